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
// workflow uses, uploads the workflow and the task inputs, writes one job
// script per task and submits the tasks in dependency order. Inside one SLURM
// site, `after` edges become SLURM dependencies, so the chain advances with
// no desktop online.
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
    static Result<QByteArray> jobScript(const TaskSpec &task, const SiteSpec &site,
                                        const QString &runId, const QString &runDir,
                                        const QString &helperPath);
    // Where SLURM writes a task's output: output.log, or output_N.log for
    // element N of an array (SLURM's %a).
    static QString logPath(const TaskSpec &task, const QString &taskDir);

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
