// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "supervisor.h"
#include "workflow/workflow.h"

#include <QCommandLineParser>
#include <QObject>
#include <QTimer>

namespace vigil::ctl {

// Exit codes of vigilctl.
enum ExitCode { Ok = 0, Failed = 1, Usage = 2, Lost = 3, TimedOut = 4 };

void addOptions(QCommandLineParser &parser);

// One vigilctl invocation: loads the workflow, connects its sites, does the
// command asynchronously and emits finished(exit code).
class Command : public QObject
{
    Q_OBJECT
public:
    Command(const QCommandLineParser &parser, QString name, QString workflowPath, QObject *parent);

    void run();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void refreshAll(std::function<void()> then);
    void doLaunch();
    void doJobs();
    void doRuns();
    void doCheckpoints();
    void doDecide();
    void doWait();
    void doCancel();
    void finish(int code);
    void fail(const QString &message, int code = Failed);
    QString option(const QString &name) const;

    const QCommandLineParser &m_parser;
    QString m_name;
    QString m_workflowPath;
    Workflow m_workflow;
    Supervisor *m_supervisor = nullptr;
    QTimer m_deadline;
};

} // namespace vigil::ctl
