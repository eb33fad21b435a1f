// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "workflow/workflow.h"

#include <QDateTime>
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
    // The job tasks left to the engine (`vigilctl follow RUN` or the
    // desktop must run for them), in dependency order.
    QStringList engineTasks;
};

// Starts a run of a workflow: creates the run directory on every site the
// workflow uses, uploads the workflow, the scripts and the task inputs
// (files next to the workflow), writes one job script per job task and
// submits the jobs SLURM can carry alone, in dependency order: inside one
// SLURM site, `after` edges become SLURM dependencies, so the chain advances
// with no desktop online. Everything else is the engine's (see
// tasksForLaunch()): gates, the tasks after a gate or chosen by one (their
// job scripts need the gate's params, known only once it is decided),
// cross-site edges and ordered tasks on process sites. The engine adopts
// the launcher's submissions (their submission.json). A sweep is one job
// array (element i runs sweep set i; sweep_parallel is the array's %N).
class Launcher : public QObject
{
    Q_OBJECT
public:
    Launcher(Supervisor *supervisor, Workflow workflow, QObject *parent = nullptr);

    // `runId` empty: one is made from the workflow name and the time.
    void start(const QString &runId, Callback<LaunchResult> done);
    // What is uploaded as the run's workflow.toml (its first revision).
    // Default: the workflow file itself, comments and all. Give the launched
    // workflow's own text (workflowToToml()) when it differs from the file
    // (sites overridden at launch), so that every engine follows what runs.
    void setWorkflowText(QByteArray toml) { m_workflowText = std::move(toml); }
    // Resume an interrupted launch of the run id given to start() (the
    // launching process was killed, the machine went down): the run
    // directory may exist already, but only as this workflow's run
    // (run.json's workflow name; workflow.toml, once uploaded, the same
    // text). Every task is looked up on its site before it is submitted
    // (engine::submitOnce): a job the interrupted launch submitted is
    // adopted and recorded, never submitted twice. A run that never got
    // its run directory is launched afresh.
    void setResume(bool resume) { m_resume = resume; }

    static QString makeRunId(const QString &workflowName);
    // The job script of a task (POSIX sh; every value quoted). A container
    // task runs `RUNTIME ... IMAGE COMMAND` under task-exec (sites/container.h).
    // A script task runs `sh RUNDIR/SCRIPT`; a sweep task exports sweep set
    // SLURM_ARRAY_TASK_ID as VIGIL_PARAM_<NAME> (the key in upper case); the
    // script changes to the working directory (the task's work_dir, else the
    // site's, else the run directory; a relative one is inside the run
    // directory) and makes the directories of the declared outputs there.
    // `pythonDirectory` (Site::pythonDirectory(), where vigil_job.py is) goes
    // first on PYTHONPATH, before the task's or the job's own PYTHONPATH, so
    // that `import vigil_job` works in every task; empty: PYTHONPATH is left
    // alone. A directory with a ':' cannot be on PYTHONPATH: an error.
    static Result<QByteArray> jobScript(const TaskSpec &task, const SiteSpec &site,
                                        const QString &runId, const QString &runDir,
                                        const QString &helperPath,
                                        const QString &pythonDirectory = {});
    // Where SLURM writes a task's output: output.log, or output_N.log for
    // element N of an array (SLURM's %a).
    static QString logPath(const TaskSpec &task, const QString &taskDir);
    // The job tasks the launcher submits, in dependency order: a task on a
    // SLURM site whose `after` tasks are all submitted by the launcher on
    // the same site, or a task with no `after` on a process site (ssh,
    // local); in both cases with no gate choosing it (in an option's enables
    // or skips) and its inputs from other tasks made by tasks the launcher
    // submits. Every other job task is left to the engine.
    static QStringList tasksForLaunch(const Workflow &workflow);
    // The task's job array: its `array`, or "0-(N-1)[%P]" for N sweep sets
    // and sweep_parallel P; empty: one job.
    static QString arraySpec(const TaskSpec &task);

Q_SIGNALS:
    void progress(const QString &message);

private:
    void prepareSites(int index);
    void uploadInputs(Site *site, QStringList files, std::function<void()> next);
    void upload(Site *site, const QString &target, const QByteArray &data, quint32 mode,
                std::function<void()> next);
    void submitTask(int index);
    void submitted(int index, Site *site, const QString &taskDir, const QString &jobId,
                   bool adopted);
    // Resume: the existing run directory on `site` is this workflow's run.
    void checkResumable(Site *site, std::function<void()> next);
    void fail(const Error &error);

    Supervisor *m_supervisor;
    Workflow m_workflow;
    QList<TaskSpec> m_order; // topological
    QStringList m_launch;    // tasksForLaunch()
    QStringList m_siteNames;
    LaunchResult m_result;
    Callback<LaunchResult> m_done;
    QByteArray m_workflowText;
    bool m_resume = false;
    QDateTime m_createdAt; // resume: the run's creation (run.json), where jobs are searched from
};

} // namespace vigil
