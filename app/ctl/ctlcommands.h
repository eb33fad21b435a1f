// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sites/siteregistry.h"
#include "supervisor.h"
#include "workflow/workflow.h"

#include <QCommandLineParser>
#include <QObject>
#include <QTimer>

namespace vigil::ctl {

// Exit codes of vigilctl.
enum ExitCode { Ok = 0, Failed = 1, Usage = 2, Lost = 3, TimedOut = 4 };

void addOptions(QCommandLineParser &parser);
// The command list shown by --help.
QString commandsHelp();

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
    // ctlcommands.cpp: workflows, runs, jobs and checkpoints.
    void runWorkflowCommand();
    bool loadWorkflowFile(const QString &path);
    bool resolveSites();
    bool loadRegistry(bool required);
    void startSupervisor(const QList<SiteSpec> &sites);
    void refreshAll(std::function<void()> then);
    void doLaunch();
    void doJobs();
    void doRuns();
    void doCheckpoints();
    void doDecide();
    void doWait();
    void doCancel();

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
    QString m_workflowPath; // empty: no workflow
    Workflow m_workflow;
    SiteRegistry m_registry;
    bool m_registryLoaded = false;
    QList<SiteSpec> m_sites; // in scope: the workflow's, then the registry's; --site filters
    Supervisor *m_supervisor = nullptr;
    QTimer m_deadline;
};

} // namespace vigil::ctl
