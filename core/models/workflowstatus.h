// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runs/runinfo.h"
#include "sites/jobinfo.h"
#include "statefmt.h"
#include "workflow/workflow.h"

#include <QHash>
#include <QObject>

namespace vigil {

// What a workflow view shows for one task of the current run.
struct TaskStatus
{
    QString task;
    StateClass stateClass = StateClass::NotStarted;
    QString stateText; // the raw state: "RUNNING", "completed", empty when not started
    QString detail;    // reason, exit code, host
    QString site;
    QString jobId;
    int pendingCheckpoints = 0;
    // Seconds: how long it ran (runs), and what is left of its time limit
    // while it is active; -1: unknown.
    qint64 elapsedSeconds = -1;
    qint64 timeLeftSeconds = -1;
    bool operator==(const TaskStatus &) const = default;
};

// The state of each task of one workflow in its current run, merged from the
// run directories (RunInfo, on every site) and the scheduler (JobInfo). The
// current run is the newest run of the workflow unless one is chosen.
// Emits taskChanged() only for tasks whose status changed.
class WorkflowStatus : public QObject
{
    Q_OBJECT
public:
    explicit WorkflowStatus(QObject *parent = nullptr);

    void setWorkflow(const Workflow &workflow);
    const Workflow &workflow() const { return m_workflow; }

    void setRuns(const QString &site, const QList<RunInfo> &runs);
    void setJobs(const QString &site, const QList<JobInfo> &jobs);

    // Empty: follow the newest run.
    void setCurrentRun(const QString &runId);
    QString currentRun() const { return m_current; }
    // The runs of this workflow, newest first.
    QStringList runIds() const;

    TaskStatus status(const QString &task) const;
    int pendingCheckpoints() const;

Q_SIGNALS:
    void workflowChanged();
    void currentRunChanged(const QString &runId);
    void runsListChanged();
    void taskChanged(const QString &task);

private:
    // What the current run's directories and the scheduler say, by task name:
    // gathered in one pass over the runs and the jobs, so that a recompute
    // costs O(tasks + jobs), not O(tasks x jobs) (100,000 jobs listed by a
    // site, 500 tasks: bench/editorbench.cpp).
    struct Facts
    {
        QHash<QString, const TaskRunInfo *> recorded;
        QHash<QString, int> pendingCheckpoints;
        QHash<QString, const CheckpointInfo *> gateCheckpoint; // id == task == the gate
        QHash<QString, const JobInfo *> job;                   // the one shown
    };
    Facts gatherFacts() const;
    void recompute();
    TaskStatus compute(const TaskSpec &task, const Facts &facts) const;
    // A gate's state from its checkpoint: pending, decided (which option, by
    // whom, how long it waited), closed, refused or broken.
    TaskStatus gateStatus(TaskStatus s, const CheckpointInfo *cp) const;

    Workflow m_workflow;
    QHash<QString, QList<RunInfo>> m_runs; // by site
    QHash<QString, QList<JobInfo>> m_jobs; // by site
    QString m_chosen;                      // empty: newest
    QString m_current;
    QStringList m_runIds;
    QHash<QString, TaskStatus> m_status;
};

} // namespace vigil
