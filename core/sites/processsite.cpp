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

namespace {
// A pid Vigil may signal: digits only, above 1 ("-1" or "0" would reach
// every process of the account).
bool isTaskPid(const QString &id)
{
    if (id.isEmpty() || id.size() > 10 || id.front() == QLatin1Char('0'))
        return false;
    for (QChar c : id)
        if (!c.isDigit() || c.unicode() > 127)
            return false;
    return id.toLongLong() > 1;
}
} // namespace

void ProcessSite::cancel(const QString &jobId, QObject *context, Callback<void> done)
{
    if (!isTaskPid(jobId)) {
        done(Error(tr("\"%1\" is not the process id of a task on %2").arg(jobId, name())));
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
    QStringList pids;
    for (const QString &id : tracked)
        if (isTaskPid(id))
            pids << id;
    if (pids.isEmpty()) {
        done(QList<JobInfo>());
        return;
    }
    // One `ps` for every tracked pid; those it does not list have exited and
    // their outcome is read from the run directory.
    transport()->exec({QStringLiteral("ps"), QStringLiteral("-o"), QStringLiteral("pid=,etimes="),
                       QStringLiteral("-p"), pids.join(QLatin1Char(','))},
                      {}, context, [this, pids, done = std::move(done)](Result<ExecResult> r) {
                          if (!r) {
                              done(r.error());
                              return;
                          }
                          // ps exits 1 with nothing on stderr when none of the pids exist:
                          // that is an answer. Anything else is a failure to report.
                          if (r->exitCode != 0 &&
                              !(r->exitCode == 1 && r->err.trimmed().isEmpty())) {
                              done(Error(tr("ps on %1 failed (exit %2): %3")
                                             .arg(name())
                                             .arg(r->exitCode)
                                             .arg(QString::fromUtf8(r->err).trimmed().left(500))));
                              return;
                          }
                          QHash<QString, qint64> alive;
                          for (const QByteArray &line : r->out.split('\n')) {
                              const QList<QByteArray> f = line.simplified().split(' ');
                              if (f.size() == 2)
                                  alive.insert(QString::fromLatin1(f[0]), f[1].toLongLong());
                          }
                          QList<JobInfo> jobs;
                          for (const QString &id : pids) {
                              JobInfo j;
                              j.site = name();
                              j.jobId = id;
                              if (alive.contains(id)) {
                                  j.state = QStringLiteral("RUNNING");
                                  j.elapsedSeconds = alive.value(id);
                              } else {
                                  j.state = QStringLiteral("EXITED"); // the run directory tells how
                              }
                              jobs << j;
                          }
                          done(jobs);
                      });
}

} // namespace vigil
