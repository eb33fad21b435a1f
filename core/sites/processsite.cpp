// SPDX-License-Identifier: GPL-3.0-or-later
#include "site.h"

#include <QSet>

namespace vigil {

void ProcessSite::submit(const Submission &s, QObject *context, Callback<QString> done)
{
    if (!s.afterOk.isEmpty() || s.hold) {
        done(Error(QStringLiteral("site %1 has no scheduler: task %2 cannot wait for other jobs "
                                  "there (the engine starts it when its inputs are ready)")
                       .arg(name(), s.task)));
        return;
    }
    // The constant script takes every value as a positional parameter, so
    // nothing from the workflow is ever parsed by the shell.
    const QStringList argv{QStringLiteral("/bin/sh"),
                           QStringLiteral("-c"),
                           QStringLiteral("cd \"$1\" || exit 1; log=$2; shift 2; "
                                          "setsid \"$@\" </dev/null >>\"$log\" 2>&1 & echo $!"),
                           QStringLiteral("vigil-start"),
                           s.workDirectory,
                           s.logPath,
                           QStringLiteral("/bin/sh"),
                           s.scriptPath};
    run(argv, context, [done = std::move(done)](Result<QByteArray> out) {
        if (!out) {
            done(out.error());
            return;
        }
        const QString pid = QString::fromUtf8(*out).trimmed();
        bool ok = false;
        pid.toLongLong(&ok);
        if (!ok)
            done(Error(QStringLiteral("could not start the task: the shell printed \"%1\"")
                           .arg(pid.left(200)),
                       Error::Kind::Malformed));
        else
            done(pid);
    });
}

void ProcessSite::cancel(const QString &jobId, QObject *context, Callback<void> done)
{
    bool ok = false;
    jobId.toLongLong(&ok);
    if (!ok) {
        done(Error(QStringLiteral("\"%1\" is not a process id").arg(jobId)));
        return;
    }
    // The id is the task's process; when it leads a process group (setsid),
    // the whole group is signalled so that its children stop too.
    run({QStringLiteral("/bin/sh"), QStringLiteral("-c"),
         QStringLiteral("kill -TERM -- \"-$1\" 2>/dev/null || kill -TERM -- \"$1\""),
         QStringLiteral("vigil-cancel"), jobId},
        context, [done = std::move(done)](Result<QByteArray> out) {
            if (!out)
                done(out.error());
            else
                done(Result<void>());
        });
}

void ProcessSite::queryJobs(const QStringList &tracked, QObject *context,
                            Callback<QList<JobInfo>> done)
{
    if (tracked.isEmpty()) {
        done(QList<JobInfo>());
        return;
    }
    // One `ps` for every tracked pid; those it does not list have exited and
    // their outcome is read from the run directory.
    run({QStringLiteral("ps"), QStringLiteral("-o"), QStringLiteral("pid=,etimes="),
         QStringLiteral("-p"), tracked.join(QLatin1Char(','))},
        context, [this, tracked, done = std::move(done)](Result<QByteArray> out) {
            // ps exits 1 when none of the pids exist: that is an answer, not an error.
            const QByteArray text = out ? *out : QByteArray();
            if (!out && out.error().kind != Error::Kind::Generic) {
                done(out.error());
                return;
            }
            QHash<QString, qint64> alive;
            for (const QByteArray &line : text.split('\n')) {
                const QList<QByteArray> f = line.simplified().split(' ');
                if (f.size() == 2)
                    alive.insert(QString::fromLatin1(f[0]), f[1].toLongLong());
            }
            QList<JobInfo> jobs;
            for (const QString &id : tracked) {
                JobInfo j;
                j.site = name();
                j.jobId = id;
                if (alive.contains(id)) {
                    j.state = QStringLiteral("RUNNING");
                    j.elapsedSeconds = alive.value(id);
                } else {
                    j.state = QStringLiteral("EXITED");
                }
                jobs << j;
            }
            done(jobs);
        });
}

} // namespace vigil
