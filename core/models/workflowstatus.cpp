// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflowstatus.h"

#include <QMap>
#include <algorithm>

namespace vigil {

namespace {

// Scheduler ids grow: "10" is newer than "9".
bool newerId(const QString &a, const QString &b)
{
    if (a.size() != b.size())
        return a.size() > b.size();
    return a > b;
}

} // namespace

WorkflowStatus::WorkflowStatus(QObject *parent) : QObject(parent) {}

void WorkflowStatus::setWorkflow(const Workflow &workflow)
{
    m_workflow = workflow;
    m_status.clear();
    recompute();
    Q_EMIT workflowChanged();
}

void WorkflowStatus::setRuns(const QString &site, const QList<RunInfo> &runs)
{
    m_runs.insert(site, runs);
    recompute();
}

void WorkflowStatus::setJobs(const QString &site, const QList<JobInfo> &jobs)
{
    m_jobs.insert(site, jobs);
    recompute();
}

void WorkflowStatus::setCurrentRun(const QString &runId)
{
    m_chosen = runId;
    recompute();
}

QStringList WorkflowStatus::runIds() const
{
    return m_runIds;
}

TaskStatus WorkflowStatus::status(const QString &task) const
{
    if (const auto it = m_status.constFind(task); it != m_status.cend())
        return *it;
    TaskStatus s;
    s.task = task;
    return s;
}

int WorkflowStatus::pendingCheckpoints() const
{
    int n = 0;
    for (const TaskStatus &s : m_status)
        n += s.pendingCheckpoints;
    return n;
}

WorkflowStatus::Facts WorkflowStatus::gatherFacts() const
{
    Facts f;
    if (m_current.isEmpty())
        return f;
    // The tasks as their run directory records them (any site: a run spans sites).
    for (const QList<RunInfo> &runs : m_runs)
        for (const RunInfo &run : runs) {
            if (run.runId != m_current)
                continue;
            for (const TaskRunInfo &t : run.tasks) {
                const TaskRunInfo *&recorded = f.recorded[t.name];
                if (!recorded || recorded->state.isEmpty())
                    recorded = &t;
            }
            for (const CheckpointInfo &c : run.checkpoints) {
                if (c.status == CheckpointInfo::Status::Pending)
                    ++f.pendingCheckpoints[c.task];
                if (c.id == c.task)
                    f.gateCheckpoint.insert(c.id, &c);
            }
        }
    // The tasks as the scheduler sees them: the job of this run and task,
    // the one still active first, then the most recent id.
    for (const QList<JobInfo> &jobs : m_jobs)
        for (const JobInfo &j : jobs) {
            if (j.runId != m_current || j.task.isEmpty())
                continue;
            const JobInfo *&job = f.job[j.task];
            if (!job || (j.isActive() && !job->isActive()) ||
                (j.isActive() == job->isActive() && newerId(j.jobId, job->jobId)))
                job = &j;
        }
    return f;
}

TaskStatus WorkflowStatus::compute(const TaskSpec &task, const Facts &facts) const
{
    TaskStatus s;
    s.task = task.name;
    s.site = task.site;
    if (m_current.isEmpty())
        return s;
    s.pendingCheckpoints = facts.pendingCheckpoints.value(task.name);
    if (task.isGate())
        return gateStatus(s, facts.gateCheckpoint.value(task.name));
    const TaskRunInfo *recorded = facts.recorded.value(task.name);
    const JobInfo *job = facts.job.value(task.name);

    const StateClass recordedClass =
        recorded ? classifyTaskState(recorded->state, recorded->exitCode) : StateClass::NotStarted;
    if (job && (job->isActive() || !recorded || recorded->state.isEmpty())) {
        s.stateClass = classifyJob(*job);
        s.stateText = job->state;
        s.jobId = job->jobId;
        s.site = job->site;
        if (!job->reason.isEmpty() && job->reason != QLatin1String("None"))
            s.detail = job->reason;
        s.elapsedSeconds = job->elapsedSeconds;
        if (job->isActive())
            s.timeLeftSeconds = job->timeLeftSeconds;
    } else if (recorded) {
        s.stateClass = recordedClass;
        s.stateText = recorded->state;
        s.jobId = recorded->jobId;
        if (recorded->startedAt.isValid() && recorded->endedAt.isValid())
            s.elapsedSeconds = recorded->startedAt.secsTo(recorded->endedAt);
        if (recorded->exitCode > 0)
            s.detail = tr("exit %1").arg(recorded->exitCode);
        else if (!recorded->host.isEmpty())
            s.detail = recorded->host;
    }
    return s;
}

TaskStatus WorkflowStatus::gateStatus(TaskStatus s, const CheckpointInfo *cp) const
{
    // A gate has no job: its state is its checkpoint's (posted by the engine
    // with the gate's name as id and task).
    s.site.clear();
    if (!cp)
        return s;
    s.stateText = checkpointStatusName(cp->status);
    switch (cp->status) {
    case CheckpointInfo::Status::Pending:
        s.stateClass = StateClass::Pending;
        s.detail = tr("waiting for a decision");
        break;
    case CheckpointInfo::Status::Decided:
    case CheckpointInfo::Status::Applied:
        s.stateClass = StateClass::Succeeded;
        s.detail = cp->decisionKind == QLatin1String("timeout-default")
                       ? tr("%1 (default at the deadline)").arg(cp->decidedOption)
                       : tr("%1 by %2").arg(cp->decidedOption, cp->decidedBy);
        if (cp->createdAt.isValid() && cp->decidedAt.isValid())
            s.elapsedSeconds = std::max<qint64>(0, cp->createdAt.secsTo(cp->decidedAt));
        break;
    case CheckpointInfo::Status::Closed:
        s.stateClass = StateClass::Cancelled;
        s.detail = tr("closed without a decision");
        break;
    case CheckpointInfo::Status::Refused:
    case CheckpointInfo::Status::Broken:
        s.stateClass = StateClass::Failed;
        s.detail = cp->problem;
        break;
    }
    return s;
}

void WorkflowStatus::recompute()
{
    // Runs of this workflow, newest first.
    QMap<QString, QDateTime> created;
    for (const QList<RunInfo> &runs : std::as_const(m_runs))
        for (const RunInfo &run : runs)
            if (run.workflowName == m_workflow.name) {
                const QDateTime c = created.value(run.runId);
                if (!c.isValid() || (run.createdAt.isValid() && run.createdAt < c))
                    created.insert(run.runId, run.createdAt);
            }
    QStringList ids = created.keys();
    std::stable_sort(ids.begin(), ids.end(), [&](const QString &a, const QString &b) {
        const QDateTime ca = created.value(a), cb = created.value(b);
        if (ca != cb)
            return ca > cb;
        return a > b; // run ids start with a timestamp
    });
    if (ids != m_runIds) {
        m_runIds = ids;
        Q_EMIT runsListChanged();
    }

    QString current = m_chosen;
    if (current.isEmpty() || !m_runIds.contains(current))
        current = m_runIds.value(0);
    if (current != m_current) {
        m_current = current;
        Q_EMIT currentRunChanged(m_current);
    }

    const Facts facts = gatherFacts();
    QHash<QString, TaskStatus> next;
    for (const TaskSpec &t : m_workflow.tasks)
        next.insert(t.name, compute(t, facts));
    const QHash<QString, TaskStatus> before = std::exchange(m_status, next);
    for (const TaskSpec &t : m_workflow.tasks)
        if (!before.contains(t.name) || before.value(t.name) != next.value(t.name))
            Q_EMIT taskChanged(t.name);
}

} // namespace vigil
