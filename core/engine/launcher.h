// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "workflow/workflow.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <functional>

namespace vigil {

class Site;
class Supervisor;

struct LaunchResult
{
    QString runId;
    QMap<QString, QString> jobIds; // task -> job id on its site
};

// Starts a run of a workflow: creates the run directory on every site the
// workflow uses, uploads the workflow, the scripts and the task inputs
// (files next to the workflow), writes one job script per job task and
// submits the jobs in dependency order. Inside one SLURM site, `after` edges
// become SLURM dependencies, so the chain advances with no desktop online.
// Gates are not submitted (the engine posts and decides them); a job that
// comes after a gate, directly or through other tasks, is submitted held, and
// its dependencies are the jobs before the gate. A sweep is one job array
// (element i runs sweep set i; sweep_parallel is the array's %N).
class Launcher : public QObject
{
    Q_OBJECT
public:
    Launcher(Supervisor *supervisor, Workflow workflow, QObject *parent = nullptr);

    // `runId` empty: one is made from the workflow name and the time.
    void start(const QString &runId, Callback<LaunchResult> done);

    static QString makeRunId(const QString &workflowName);
    // The job script of a task (POSIX sh; every value quoted). A container
    // task runs `RUNTIME ... IMAGE COMMAND` under task-exec (sites/container.h).
    // A script task runs `sh RUNDIR/SCRIPT`; a sweep task exports sweep set
    // SLURM_ARRAY_TASK_ID as VIGIL_PARAM_<NAME> (the key in upper case); the
    // script changes to the working directory (the task's work_dir, else the
    // site's, else the run directory; a relative one is inside the run
    // directory) and makes the directories of the declared outputs there.
    static Result<QByteArray> jobScript(const TaskSpec &task, const SiteSpec &site,
                                        const QString &runId, const QString &runDir,
                                        const QString &helperPath);
    // Where SLURM writes a task's output: output.log, or output_N.log for
    // element N of an array (SLURM's %a).
    static QString logPath(const TaskSpec &task, const QString &taskDir);
    // The jobs a task waits for: its `after`, each gate replaced by what the
    // gate comes after (a gate is no job: it has no job id to depend on).
    static QStringList jobDependencies(const Workflow &workflow, const TaskSpec &task);
    // True when a gate comes before the task, directly or through other tasks:
    // the task is submitted held.
    static bool comesAfterGate(const Workflow &workflow, const TaskSpec &task);
    // The task's job array: its `array`, or "0-(N-1)[%P]" for N sweep sets
    // and sweep_parallel P; empty: one job.
    static QString arraySpec(const TaskSpec &task);

Q_SIGNALS:
    void progress(const QString &message);

private:
    void prepareSites(int index);
    void uploadInputs(Site *site, QStringList files, std::function<void()> next);
    void submitTask(int index);
    void fail(const Error &error);

    Supervisor *m_supervisor;
    Workflow m_workflow;
    QList<TaskSpec> m_order; // topological
    QStringList m_siteNames;
    LaunchResult m_result;
    Callback<LaunchResult> m_done;
};

} // namespace vigil
