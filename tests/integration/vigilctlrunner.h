// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Runs the real vigilctl binary (path in $VIGILCTL) against the sandbox.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace vigil::test {

struct CtlResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QJsonArray jsonArray() const { return QJsonDocument::fromJson(out).array(); }
    QJsonObject jsonObject() const { return QJsonDocument::fromJson(out).object(); }
    // From `vigilctl launch --json`: the run id, and the job id of a task.
    QString launchedRun() const { return jsonObject().value(QStringLiteral("run")).toString(); }
    QString launchedJob(const QString &task) const
    {
        return jsonObject().value(QStringLiteral("jobs")).toObject().value(task).toString();
    }
    QString describe() const
    {
        return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
            .arg(exitCode)
            .arg(QString::fromUtf8(out), QString::fromUtf8(err));
    }
};

inline CtlResult runCtl(const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.start(qEnvironmentVariable("VIGILCTL"), args);
    CtlResult r;
    if (!p.waitForStarted(10000)) {
        r.err = "could not start vigilctl: " + p.errorString().toUtf8();
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "vigilctl timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace vigil::test
