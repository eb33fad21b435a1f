// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sites/siteregistry.h"
#include "supervisor.h"
#include "workflow/workflow.h"

#include <QCommandLineParser>
#include <QObject>
#include <QTimer>
#include <functional>
#include <optional>

class QJsonArray;

namespace vigil::engine {
struct RunRecord;
struct RevisionProposal;
} // namespace vigil::engine

namespace vigil::ctl {

// Exit codes of vigilctl.
// follow: 128 + the signal that stopped it (SIGINT, SIGTERM), as a shell says.
enum ExitCode {
    Ok = 0,
    Failed = 1,
    Usage = 2,
    Lost = 3,
    TimedOut = 4,
    Interrupted = 130,
    Terminated = 143
};

void addOptions(QCommandLineParser &parser);
// The command list shown by --help.
QString commandsHelp();
// decide's --param values: each NAME=VALUE, no name twice (a usage error).
Result<void> checkParamArguments(const QStringList &params);

// One vigilctl invocation: works out the sites (a workflow's, the registry's),
// connects those it needs, does the command asynchronously and emits
// finished(exit code).
class Command : public QObject
{
    Q_OBJECT
public:
    // args: the positional arguments, the command first.
    Command(const QCommandLineParser &parser, QStringList args, QObject *parent);

    void run();

Q_SIGNALS:
    void finished(int exitCode);

private:
    // ctlcommands.cpp: workflows, runs and jobs.
    void runWorkflowCommand();
    // ctloptions.cpp: the positional arguments after the command: [WORKFLOW], then decide's
    // RUN CHECKPOINT, status's and audit's RUN (or --run, --checkpoint).
    // Sets m_run and m_checkpoint; returns the workflow path ("" if none)
    // or an error (a usage error).
    Result<QString> takeArguments();
    Result<QString> takeReviseArguments(QStringList rest);
    bool loadWorkflowFile(const QString &path);
    bool resolveSites();
    bool applySiteOverrides();
    bool loadRegistry(bool required);
    void startSupervisor(const QList<SiteSpec> &sites);
    void refreshAll(std::function<void()> then);
    void doLaunch();
    void doJobs();
    void doRuns();
    // ctlcheckpoints.cpp: checkpoints, decisions, status, audit, wait.
    void doCheckpoints();
    void doDecide();
    // The --param NAME=VALUE of decide, checked against the checkpoint's
    // declared params; the error names the checkpoint, the param and the rule.
    Result<QJsonObject> decisionParams(const CheckpointInfo &c) const;
    // status and audit: m_run is given and a valid id (else fails).
    bool checkRunArgument();
    // After a refresh: the run m_run, one RunInfo per site that has it;
    // empty (and failed, saying where it was looked for) when none has.
    QList<RunInfo> runParts();
    void doStatus();
    void doAudit();
    void doWait();
    void doCancel();
    // export SITE RUN [-o FILE] [--zip]; bundle verify FILE (ctlcommands.cpp).
    void doExport();
    void runBundleCommand();
    // ctlfollow.cpp: the headless engine on one run (follow RUN, launch --follow).
    void doFollow();
    void followRun(const QString &runId, std::optional<Workflow> workflow);
    // --lease-heartbeat MS, checked (a usage error); 0 when not given.
    Result<int> leaseHeartbeatOption() const;
    // ctlrevise.cpp: revise RUN FILE (a run-time change as a new revision),
    // revise RUN --list. `path`: FILE (--list: the --workflow file, if any).
    void doRevise(const QString &path);
    void findRevisionHome(bool list);
    void publishRevision(const QString &home, const engine::RunRecord &record,
                         const engine::RevisionProposal &proposal);
    void revisionLostRace(const QString &home, const QString &why);
    void listRevisions(const QString &home, const engine::RunRecord &record);
    void printRevisions(const QString &home, const engine::RunRecord &record,
                        const QJsonArray &rows);

    // ctlsites.cpp: the site registry, one site's test, the helper.
    void runSiteCommand();
    void runHelperCommand();
    void doSiteAdd(const QString &name);
    void doSiteList();
    void doSiteRemove(const QString &name);
    void doSiteTest(const QString &name);
    void doHelperDeploy();
    const SiteSpec *findSite(const QString &name);
    QString whereSitesAre() const;

    void finish(int code);
    void fail(const QString &message, int code = Failed);
    QString option(const QString &name) const;
    bool isSet(const QString &name) const;
    HostKeyPolicy hostKeyPolicy() const;

    const QCommandLineParser &m_parser;
    QStringList m_args;
    QString m_name;
    QString m_run;                  // RUN or --run
    QString m_checkpoint;           // decide's CHECKPOINT or --checkpoint
    QString m_workflowPath;         // empty: no workflow
    bool m_sitesOverridden = false; // --site-override changed m_workflow's sites
    Workflow m_workflow;
    // revise FILE, decide --revise FILE: the proposed revision.
    std::optional<Workflow> m_proposed;
    QString m_proposedPath;
    // decide --revise: the decision the revision comes with, and what
    // follows once the revision is published (the decision is sent).
    QString m_withCheckpoint;
    QString m_withDecisionId;
    std::function<void(int revision)> m_afterPublish;
    SiteRegistry m_registry;
    bool m_registryLoaded = false;
    QList<SiteSpec> m_sites; // in scope: the workflow's, then the registry's; --site filters
    Supervisor *m_supervisor = nullptr;
    QTimer m_deadline;
};

} // namespace vigil::ctl
