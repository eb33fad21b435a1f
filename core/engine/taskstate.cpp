// SPDX-License-Identifier: GPL-3.0-or-later
#include "taskstate.h"

#include "runs/runinfo.h"

#include <QSet>

namespace vigil::engine {

QString taskStateName(TaskState state)
{
    switch (state) {
    case TaskState::Pending:
        return QStringLiteral("pending");
    case TaskState::Held:
        return QStringLiteral("held");
    case TaskState::Running:
        return QStringLiteral("running");
    case TaskState::WaitingForHuman:
        return QStringLiteral("waiting-for-human");
    case TaskState::Done:
        return QStringLiteral("done");
    case TaskState::Failed:
        return QStringLiteral("failed");
    case TaskState::Cancelled:
        return QStringLiteral("cancelled");
    case TaskState::Skipped:
        return QStringLiteral("skipped");
    }
    return {};
}

bool isTerminal(TaskState state)
{
    return state == TaskState::Done || state == TaskState::Failed ||
           state == TaskState::Cancelled || state == TaskState::Skipped;
}

int TaskRecord::retriesUsed() const
{
    int n = 0;
    for (const AttemptRecord &a : attempts)
        n += a.reason == AttemptRecord::Reason::Retry ? 1 : 0;
    return n;
}

QString gateCheckpointId(const QString &gate)
{
    return gate;
}

namespace {

// SLURM end states that mean the job did not succeed on its own terms.
bool isFailedState(const QString &s)
{
    static const QSet<QString> failed = {
        QStringLiteral("FAILED"),    QStringLiteral("TIMEOUT"),   QStringLiteral("OUT_OF_MEMORY"),
        QStringLiteral("NODE_FAIL"), QStringLiteral("BOOT_FAIL"), QStringLiteral("DEADLINE"),
        QStringLiteral("PREEMPTED"),
    };
    return failed.contains(s);
}

// The outcome of one job (or one array element).
struct Outcome
{
    TaskState state = TaskState::Pending;
    bool known = false; // false: nothing observed about it
    bool active = false;
    int exitCode = -1;
    QString reason;
    QDateTime at; // start (running) or end (finished), when the marker says
};

Outcome fromMarker(const TaskMarker &m, const QString &jobId, bool gone)
{
    Outcome o;
    o.known = true;
    o.exitCode = m.exitCode;
    if (m.state == QLatin1String("completed")) {
        o.state = TaskState::Done;
        o.at = m.endedAt;
    } else if (m.state == QLatin1String("failed")) {
        o.state = TaskState::Failed;
        o.at = m.endedAt;
        o.reason = m.exitCode >= 0 ? QStringLiteral("exit code %1").arg(m.exitCode)
                                   : QStringLiteral("the task reported a failure");
    } else if (gone) {
        // state.json says running, but the job is no longer anywhere: killed
        // hard (SIGKILL, a lost node) before task-exec could write an end.
        o.state = TaskState::Failed;
        o.reason = QStringLiteral("job %1 ended without recording how (killed, or its node was "
                                  "lost)")
                       .arg(jobId);
    } else {
        o.state = TaskState::Running;
        o.active = true;
        o.at = m.startedAt;
    }
    return o;
}

// One job as the scheduler reports it, its marker deciding when the
// scheduler cannot (the job left the queue with no accounting, or a process
// site that only knows it exited).
Outcome judge(const JobInfo *row, const TaskMarker *marker, bool siteQueried, const QString &jobId)
{
    Outcome o;
    const bool exited = row && row->state == QLatin1String("EXITED");
    if (row && !exited) {
        o.known = true;
        o.exitCode = row->exitCode;
        if (row->isActive()) {
            o.active = true;
            if (row->state == QLatin1String("PENDING")) {
                if (row->isHeld()) {
                    o.state = TaskState::Held;
                } else if (row->reason == QLatin1String(kDependencyNeverSatisfied)) {
                    o.state = TaskState::Cancelled; // never starts: the planner cancels it
                } else {
                    o.state = TaskState::Pending;
                }
                o.reason = row->reason;
            } else {
                o.state = TaskState::Running;
                if (marker)
                    o.at = marker->startedAt;
            }
            return o;
        }
        if (row->state == QLatin1String("COMPLETED")) {
            o.state = TaskState::Done;
        } else if (row->state.startsWith(QLatin1String("CANCELLED"))) {
            o.state = TaskState::Cancelled;
            o.reason = row->reason;
        } else if (isFailedState(row->state)) {
            o.state = TaskState::Failed;
            if (o.exitCode < 0 && marker)
                o.exitCode = marker->exitCode;
            o.reason = row->reason.isEmpty()
                           ? row->state
                           : QStringLiteral("%1 (%2)").arg(row->state, row->reason);
        } else {
            o.state = TaskState::Failed;
            o.reason = QStringLiteral("the scheduler reports %1").arg(row->state);
        }
        if (marker)
            o.at = marker->endedAt;
        return o;
    }
    const bool gone = exited || (siteQueried && !row);
    if (marker)
        return fromMarker(*marker, jobId, gone);
    if (gone) {
        o.known = true;
        o.state = TaskState::Failed;
        o.reason = exited ? QStringLiteral("process %1 ended without recording how").arg(jobId)
                          : QStringLiteral("job %1 is no longer known to the scheduler and left "
                                           "no exit marker")
                                .arg(jobId);
    }
    return o;
}

// The markers of the current attempt: written by its job, or (job unknown)
// started after it was submitted. Markers of earlier attempts never count.
QList<TaskMarker> markersOf(const QList<TaskMarker> &all, const TaskRecord &record)
{
    const AttemptRecord *cur = record.current();
    QSet<QString> older;
    for (const AttemptRecord &a : record.attempts)
        if (&a != cur)
            older.insert(a.jobId);
    QList<TaskMarker> out;
    for (const TaskMarker &m : all) {
        const QString parent = m.jobId.section(QLatin1Char('_'), 0, 0);
        if (!m.jobId.isEmpty()) {
            if (cur && parent == cur->jobId)
                out << m;
            else if (!cur || !older.contains(parent))
                out << m; // adopted below only when nothing better is known
            continue;
        }
        if (!cur || record.attempts.size() == 1 || !cur->submittedAt.isValid() ||
            !m.startedAt.isValid() || m.startedAt >= cur->submittedAt)
            out << m;
    }
    return out;
}

const TaskMarker *elementMarker(const QList<TaskMarker> &markers, const QString &elementId)
{
    for (const TaskMarker &m : markers)
        if (m.jobId == elementId)
            return &m;
    return nullptr;
}

Outcome judgeArray(const QList<JobInfo> &rows, const QList<TaskMarker> &markers, bool siteQueried,
                   const QString &jobId, QStringList *failedElements)
{
    Outcome o;
    int running = 0, held = 0, pending = 0, failed = 0, cancelled = 0, done = 0;
    QSet<QString> seen;
    auto count = [&](const Outcome &e, const QString &index) {
        if (!e.known)
            return;
        if (e.active) {
            running += e.state == TaskState::Running ? 1 : 0;
            held += e.state == TaskState::Held ? 1 : 0;
            pending += e.state == TaskState::Pending ? 1 : 0;
            return;
        }
        failed += e.state == TaskState::Failed ? 1 : 0;
        cancelled += e.state == TaskState::Cancelled ? 1 : 0;
        done += e.state == TaskState::Done ? 1 : 0;
        if (e.state == TaskState::Failed) {
            *failedElements << index;
            if (o.exitCode < 0)
                o.exitCode = e.exitCode;
        }
        if (!o.at.isValid() || (e.at.isValid() && e.at > o.at))
            o.at = e.at;
    };
    for (const JobInfo &r : rows) {
        seen.insert(r.jobId);
        count(judge(&r, elementMarker(markers, r.jobId), siteQueried, r.jobId), r.arrayTaskId);
    }
    // Elements that left the queue with no accounting: their markers decide.
    for (const TaskMarker &m : markers) {
        if (seen.contains(m.jobId) || !m.jobId.startsWith(jobId + QLatin1Char('_')))
            continue;
        count(fromMarker(m, m.jobId, siteQueried), m.jobId.section(QLatin1Char('_'), 1));
    }
    if (running + held + pending + failed + cancelled + done == 0)
        return judge(nullptr, nullptr, siteQueried, jobId);
    o.known = true;
    std::sort(failedElements->begin(), failedElements->end(),
              [](const QString &a, const QString &b) { return a.toLongLong() < b.toLongLong(); });
    if (running + held + pending > 0) {
        o.active = true;
        o.exitCode = -1;
        o.state = running ? TaskState::Running : pending ? TaskState::Pending : TaskState::Held;
        return o;
    }
    if (failed > 0) {
        o.state = TaskState::Failed;
        o.reason = QStringLiteral("%1 of %2 array elements failed (%3)")
                       .arg(failed)
                       .arg(failed + cancelled + done)
                       .arg(failedElements->join(QStringLiteral(", ")));
    } else if (cancelled > 0) {
        o.state = TaskState::Cancelled;
        o.reason = QStringLiteral("%1 of %2 array elements were cancelled")
                       .arg(cancelled)
                       .arg(cancelled + done);
    } else {
        o.state = TaskState::Done;
        o.exitCode = 0;
    }
    return o;
}

TaskStatus deriveGate(const TaskSpec &gate, const Observation &obs, const TaskRecord &record)
{
    TaskStatus s;
    s.task = gate.name;
    const GateObservation g = obs.gates.value(gate.name);
    if (!record.skipReason.isEmpty()) {
        s.state = TaskState::Skipped;
        s.reason = record.skipReason;
        s.since = record.skippedAt;
    } else if (g.decided) {
        s.state = TaskState::Done;
        s.reason =
            g.timeoutDefault
                ? QStringLiteral("option %1 taken by default (deadline passed)").arg(g.option)
                : QStringLiteral("option %1 chosen by %2").arg(g.option, g.decidedBy);
        s.since = g.decidedAt;
    } else if (g.posted) {
        s.state = TaskState::WaitingForHuman;
        s.since = g.postedAt;
    }
    return s;
}

TaskStatus deriveJob(const TaskSpec &task, const Observation &obs, const TaskRecord &record)
{
    TaskStatus s;
    s.task = task.name;
    s.site = task.site;
    const AttemptRecord *cur = record.current();
    if (cur) {
        s.attempt = cur->attempt;
        s.site = cur->site;
        s.jobId = cur->jobId;
    }
    const QList<TaskMarker> markers = markersOf(obs.markers.value(task.name), record);
    const bool queried = obs.jobsBySite.contains(s.site);
    const bool isArray = !task.array.isEmpty() || !task.sweep.isEmpty();
    Outcome o;
    if (!cur) {
        // Never submitted by this engine: a marker (a job another engine
        // started and never recorded) still says what happened.
        if (!markers.isEmpty())
            o = fromMarker(markers.last(), QString(), false);
    } else {
        QList<JobInfo> rows;
        for (const JobInfo &j : obs.jobsBySite.value(s.site))
            if (j.submittedId() == cur->jobId)
                rows << j;
        if (isArray) {
            o = judgeArray(rows, markers, queried, cur->jobId, &s.failedElements);
        } else {
            const TaskMarker *m = markers.isEmpty() ? nullptr : &markers.last();
            o = judge(rows.isEmpty() ? nullptr : &rows.first(), m, queried, cur->jobId);
        }
    }
    s.jobActive = o.active;
    s.exitCode = o.exitCode;
    s.reason = o.reason;
    if (!record.skipReason.isEmpty()) {
        s.state = TaskState::Skipped;
        s.reason = record.skipReason;
        s.since = record.skippedAt;
        return s;
    }
    if (!o.known) {
        s.state = TaskState::Pending;
        return s;
    }
    s.state = o.state;
    s.since = o.at;
    if (s.state == TaskState::Running && obs.waitingCheckpoints.contains(task.name)) {
        s.state = TaskState::WaitingForHuman;
        s.since = obs.waitingCheckpoints.value(task.name);
    }
    if (s.state == TaskState::Failed)
        s.logTail = obs.logTails.value(task.name);
    return s;
}

} // namespace

QMap<QString, TaskStatus> deriveTaskStates(const Workflow &workflow, const Observation &observation,
                                           const RunRecord &record,
                                           const QMap<QString, TaskStatus> &previous,
                                           const QDateTime &now)
{
    QMap<QString, TaskStatus> out;
    for (const TaskSpec &t : workflow.tasks) {
        const TaskRecord rec = record.tasks.value(t.name);
        TaskStatus s = t.kind == TaskSpec::Kind::Gate ? deriveGate(t, observation, rec)
                                                      : deriveJob(t, observation, rec);
        const auto prev = previous.constFind(t.name);
        // An attempt that ended stays ended: a cycle that cannot see its end
        // (the site not queried right after an action, an array's elements
        // not matched to markers) does not make it pending again.
        if (prev != previous.cend() && t.kind != TaskSpec::Kind::Gate &&
            prev->attempt == s.attempt && s.state == TaskState::Pending && !s.jobActive &&
            (prev->state == TaskState::Done || prev->state == TaskState::Failed ||
             prev->state == TaskState::Cancelled)) {
            out.insert(t.name, *prev);
            continue;
        }
        if (prev != previous.cend() && prev->state == s.state && prev->attempt == s.attempt) {
            s.since = prev->since;
            if (s.logTail.isEmpty())
                s.logTail = prev->logTail;
        } else if (!s.since.isValid()) {
            s.since = now;
        }
        out.insert(t.name, s);
    }
    return out;
}

void observeRun(const RunInfo &run, const Workflow &workflow, Observation *obs)
{
    for (const TaskRunInfo &t : run.tasks) {
        if (t.state != QLatin1String("running") && t.state != QLatin1String("completed") &&
            t.state != QLatin1String("failed"))
            continue; // "submitted" or nothing: no marker yet
        // The scan's job id may come from submission.json rather than from
        // state.json: left unknown, the marker is matched by its start time.
        obs->markers[t.name] << TaskMarker{QString(), t.state, t.exitCode, t.startedAt, t.endedAt};
    }
    for (const CheckpointInfo &cp : run.checkpoints) {
        const TaskSpec *gate = workflow.task(cp.id);
        if (gate && gate->kind == TaskSpec::Kind::Gate && (cp.task.isEmpty() || cp.task == cp.id)) {
            GateObservation &g = obs->gates[gate->name];
            g.posted = true;
            g.postedAt = cp.createdAt;
            if (cp.status == CheckpointInfo::Status::Decided ||
                cp.status == CheckpointInfo::Status::Applied) {
                g.decided = true;
                g.option = cp.decidedOption;
                g.decidedBy = cp.decidedBy;
                g.decidedAt = cp.decidedAt;
                g.timeoutDefault = cp.decisionKind == QLatin1String("timeout-default");
            }
            continue;
        }
        if (cp.status == CheckpointInfo::Status::Pending && !cp.task.isEmpty())
            obs->waitingCheckpoints.insert(cp.task, cp.createdAt);
    }
}

} // namespace vigil::engine
