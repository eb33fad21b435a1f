// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Runs the job-side helper built with the tests ($VIGIL_JOB_BINARY, set by
// ctest) to make real run directories. Header-only; any test may use it.

#include <QDebug>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace vigil::test {

// vigil-job with `args`; its standard output. A failure to finish, or an exit
// code other than `expectExit`, is warned about with its standard error, so a
// test that then fails on the output says why.
inline QByteArray runVigilJob(const QStringList &args, int expectExit = 0)
{
    QProcess p;
    p.start(qEnvironmentVariable("VIGIL_JOB_BINARY"), args);
    if (!p.waitForFinished(20000) || p.exitStatus() != QProcess::NormalExit ||
        p.exitCode() != expectExit)
        qWarning() << args << p.exitCode() << p.readAllStandardError();
    return p.readAllStandardOutput();
}

// The arguments of `vigil-job checkpoint` posting checkpoint `id` of task
// `task` in `runDir`, titled "Go on?", with the options go and stop, then `extra`.
inline QStringList checkpointArgs(const QString &runDir, const QString &task, const QString &id,
                                  const QStringList &extra = {})
{
    return QStringList{QStringLiteral("checkpoint"),
                       QStringLiteral("--run-dir"),
                       runDir,
                       QStringLiteral("--task"),
                       task,
                       QStringLiteral("--id"),
                       id,
                       QStringLiteral("--title"),
                       QStringLiteral("Go on?"),
                       QStringLiteral("--option"),
                       QStringLiteral("go"),
                       QStringLiteral("--option"),
                       QStringLiteral("stop")} +
           extra;
}

} // namespace vigil::test
