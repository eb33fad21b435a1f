// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Runs the real vigilctl binary (path in $VIGILCTL) against the sandbox:
// one command to its end (runCtl), or a long-lived `follow --json` (Follow);
// and what the tests check afterwards (a local file, SLURM's accounting).

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>
#include <functional>

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

// One `vigilctl follow --json` process and the events it printed.
struct Follow
{
    QProcess process;
    QList<QJsonObject> events;
    QByteArray err;

    void pump()
    {
        while (process.canReadLine()) {
            const QByteArray line = process.readLine().trimmed();
            if (!line.isEmpty())
                events << QJsonDocument::fromJson(line).object();
        }
        err += process.readAllStandardError();
    }
    // The first event with these fields, or an empty object.
    QJsonObject find(const QString &event, const QString &key = {}, const QString &value = {}) const
    {
        for (const QJsonObject &e : events)
            if (e.value(QStringLiteral("event")).toString() == event &&
                (key.isEmpty() || e.value(key).toString() == value))
                return e;
        return {};
    }
    int count(const QString &event, const QString &key = {}, const QString &value = {}) const
    {
        int n = 0;
        for (const QJsonObject &e : events)
            n += e.value(QStringLiteral("event")).toString() == event &&
                 (key.isEmpty() || e.value(key).toString() == value);
        return n;
    }
    bool waitFor(const std::function<bool()> &condition, int ms)
    {
        return QTest::qWaitFor(
            [&] {
                pump();
                return condition();
            },
            ms);
    }
    QString describe()
    {
        pump();
        QStringList lines;
        for (const QJsonObject &e : std::as_const(events))
            lines << QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact));
        return QStringLiteral("pid %1, state %2\nstdout:\n%3\nstderr:\n%4")
            .arg(process.processId())
            .arg(process.state())
            .arg(lines.join(QLatin1Char('\n')), QString::fromUtf8(err));
    }
};

inline QByteArray readLocal(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every job named `name` whose working directory is `workDir` in SLURM's
// accounting (sacct, the last hour), as "ID=STATE" (with `fields` more
// sacct fields after it, '|'-separated, when given).
inline QStringList sacctJobs(const QString &slurmConf, const QString &name, const QString &workDir,
                             const QStringList &fields = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SLURM_CONF"), slurmConf);
    p.setProcessEnvironment(env);
    p.start(
        QStringLiteral("sacct"),
        {QStringLiteral("-a"), QStringLiteral("-X"), QStringLiteral("-n"), QStringLiteral("-P"),
         QStringLiteral("-S"), QStringLiteral("now-1hours"), QStringLiteral("--name=") + name,
         QStringLiteral("-o"),
         (QStringList{QStringLiteral("JobID"), QStringLiteral("WorkDir"), QStringLiteral("State")} +
          fields)
             .join(QLatin1Char(','))});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return {QStringLiteral("sacct failed: ") + QString::fromUtf8(p.readAllStandardError())};
    QStringList jobs;
    for (const QString &line :
         QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'))) {
        const QStringList f = line.trimmed().split(QLatin1Char('|'));
        if (f.size() == 3 + fields.size() && f[1] == workDir) {
            QStringList row{f[0] + QLatin1Char('=') + f[2]};
            row += f.mid(3);
            jobs << row.join(QLatin1Char('|'));
        }
    }
    return jobs;
}

} // namespace vigil::test
