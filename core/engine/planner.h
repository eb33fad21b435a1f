// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The planner: what the engine should do next for a run, from the workflow,
// the derived task states, the gates' decisions and the time. Pure.
//
// Chains inside one SLURM site are SLURM's (afterok dependencies): the
// planner only submits a task whose upstream tasks are done, or whose
// unfinished upstream tasks are queued on the same SLURM site (then the
// submission carries afterok on their jobs). It acts on gates, cross-site
// edges, data inputs, retries, skips and the end of the run.

#include "taskstate.h"

namespace vigil::engine {

struct Action
{
    enum class Kind {
        Submit,          // task, attempt, afterOk, environment
        Release,         // task: its held job may start
        Cancel,          // task: cancel its queued or running job; reason
        Skip,            // task: record it as skipped; reason
        PostGate,        // task (the gate): post its checkpoint
        TakeGateDefault, // task (the gate), option: the deadline passed undecided
        Retry,           // task, attempt (n+1), afterOk, environment
        MoveInput,       // task, input, fromSite, toSite: before the task starts
        FinishRun,       // outcome (done, failed, cancelled); reason
    };
    Kind kind = Kind::Submit;
    QString task;
    int attempt = 0;
    QStringList afterOk; // tasks on the same SLURM site whose current jobs must succeed first
    QMap<QString, QString> environment; // VIGIL_PARAM_<NAME> from the gates upstream
    QString option;
    DataInput input;
    QString fromSite;
    QString toSite;
    QString reason;
    TaskState outcome = TaskState::Done;

    bool operator==(const Action &) const = default;
};

QString actionKindName(Action::Kind kind);
// One line for logs and tests: "submit train#1 after=prep env=VIGIL_PARAM_LR=0.1".
QString describe(const Action &action);

struct PlanInput
{
    const Workflow *workflow = nullptr;
    QMap<QString, TaskStatus> states;     // deriveTaskStates()
    RunRecord record;                     // attempts, skips, moved inputs
    QMap<QString, GateObservation> gates; // decisions (option, params)
    QDateTime now;
};

QList<Action> plan(const PlanInput &input);

// The tasks in an order where every task comes after those in its `after`
// (the workflow's order among equals). Tasks on a cycle are left out: a
// workflow with one is refused when it is loaded.
QList<const TaskSpec *> topologicalOrder(const Workflow &workflow);

// The run's home site: where engine.lease, the engine's record and the
// revisions live; the site of the first job in topological order, so that
// every engine and every desktop agrees on it. Empty: no job.
QString homeSiteOf(const Workflow &workflow);

// The environment name of a gate parameter: VIGIL_PARAM_ and the name in
// upper case.
QString paramVariable(const QString &name);

} // namespace vigil::engine
