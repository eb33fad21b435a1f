// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Task states of a run, derived from what was observed: the run directory
// (task markers, gate checkpoints), the scheduler (JobInfo rows) and the
// engine's own record of what it submitted. Pure: no I/O, no clock.

#include "sites/jobinfo.h"
#include "workflow/workflow.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace vigil {
struct RunInfo;
}

namespace vigil::engine {

enum class TaskState { Pending, Held, Running, WaitingForHuman, Done, Failed, Cancelled, Skipped };

// "pending", "held", "running", "waiting-for-human", "done", "failed",
// "cancelled", "skipped".
QString taskStateName(TaskState state);
// Done, failed, cancelled, skipped: nothing more happens to this attempt.
bool isTerminal(TaskState state);

// One submission the engine made (or adopted) for a task.
struct AttemptRecord
{
    enum class Reason {
        Launch,   // the first submission
        Retry,    // after a failure: counts against the task's `retries`
        Resubmit, // SLURM cancelled it because an upstream job failed, and that one was retried
    };
    int attempt = 1;
    QString site;
    QString jobId; // the site's id (an array's own id for a job array)
    QDateTime submittedAt;
    Reason reason = Reason::Launch;
};

// What the engine itself decided about one task.
struct TaskRecord
{
    QList<AttemptRecord> attempts; // ascending attempt numbers
    QString skipReason;            // non-empty: skipped, and why
    QDateTime skippedAt;
    QStringList movedInputs; // DataInput paths already moved to the task's site

    int retriesUsed() const;
    const AttemptRecord *current() const { return attempts.isEmpty() ? nullptr : &attempts.last(); }
};

// The engine's record of a run (kept by whoever executes the plan).
struct RunRecord
{
    QMap<QString, TaskRecord> tasks;
    bool cancelRequested = false; // the supervisor cancelled the run
    QString finished;             // non-empty: the run finished ("done", "failed", "cancelled")
    // The workflow revision in effect (1: the launched workflow.toml; N:
    // revisions/NNNN.toml) and the revisions refused, never to be applied.
    int revision = 1;
    QList<int> refusedRevisions;
};

// tasks/<task>/state.json with its .done/.failed markers, as scanned: one
// per task, or one per element of a job array.
struct TaskMarker
{
    QString jobId; // the job that wrote it ("123", "123_4"); empty: not known (process sites)
    QString state; // "running", "completed", "failed"
    int exitCode = -1;
    QDateTime startedAt;
    QDateTime endedAt;
};

// A gate's checkpoint in the run directory (its id is the gate's name).
struct GateObservation
{
    bool posted = false;
    QDateTime postedAt;
    bool decided = false;
    QString option;
    QMap<QString, QString> params; // as decided; missing ones take the gate's defaults
    QString decidedBy;
    QDateTime decidedAt;
    bool timeoutDefault = false;
};

// Everything observed in one cycle.
struct Observation
{
    QMap<QString, QList<TaskMarker>> markers; // by task
    // By site name. A site present here was queried this cycle (its list may
    // be empty); a job of a queried site that is missing has left the queue.
    QMap<QString, QList<JobInfo>> jobsBySite;
    QMap<QString, GateObservation> gates; // by gate name
    // Tasks with an in-job checkpoint that waits for a decision, and since when.
    QMap<QString, QDateTime> waitingCheckpoints;
    // The tail of a failed task's log, fetched by whoever executes.
    QMap<QString, QString> logTails;
};

struct TaskStatus
{
    QString task;
    TaskState state = TaskState::Pending;
    QDateTime since; // when this state was entered (as first observed)
    int attempt = 0; // current attempt; 0: never submitted
    QString site;
    QString jobId;
    int exitCode = -1;
    QString reason;  // the scheduler's reason, why it failed, why it was skipped
    QString logTail; // failed tasks: the end of the job's log
    // A job of the current attempt is still in the scheduler's queue (it may
    // need cancelling even though the task is cancelled or skipped).
    bool jobActive = false;
    QStringList failedElements; // job arrays: the indices that failed

    bool operator==(const TaskStatus &) const = default;
};

// The gate's checkpoint id in the run directory: the gate's name.
QString gateCheckpointId(const QString &gate);

// A job's reason when SLURM cancelled (kill_invalid_depend) or keeps pending
// a job whose dependency failed.
inline constexpr char kDependencyNeverSatisfied[] = "DependencyNeverSatisfied";

// Derives every task's state. `previous` is the last derivation: a task
// whose state did not change keeps its timestamp (and its log tail); a new
// state is stamped with the observed time when known (a marker's start or
// end, a gate's posting or decision), else `now`.
QMap<QString, TaskStatus> deriveTaskStates(const Workflow &workflow, const Observation &observation,
                                           const RunRecord &record,
                                           const QMap<QString, TaskStatus> &previous,
                                           const QDateTime &now);

// Markers, waiting in-job checkpoints and gate checkpoints from a scan of the
// run directory (gate params are not in a scan: the executor reads them from
// the decision file).
void observeRun(const RunInfo &run, const Workflow &workflow, Observation *observation);

} // namespace vigil::engine
