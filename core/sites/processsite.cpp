// SPDX-License-Identifier: GPL-3.0-or-later
#include "logging.h"
#include "site.h"

#include <QSet>

namespace vigil {

namespace {

// Where a held task's gate lives on the host: one empty file per waiting
// process, named by its pid (pids are per host, like the gates). Every
// script below starts with this line.
const char kGates[] = "g=\"${HOME:?}/.cache/vigil/held\"; ";

// Every script is constant and takes each value as a positional parameter,
// so nothing from the workflow is ever parsed by the shell.

// $1 work directory, $2 log, $3 "1" to hold, $4 the attempt's record file
// or "", then the command. The record is created no-clobber before anything
// starts (exit 3 when it exists: this attempt was started already), holds
// the pid once started, and is removed again when the start fails.
const char kStartScript[] =
    "cd \"$1\" || exit 1; log=$2; hold=$3; rec=$4; shift 4; "
    "fail() { [ -z \"$rec\" ] || rm -f -- \"$rec\"; exit 1; }; "
    "if [ -n \"$rec\" ] && ! (set -C; : >\"$rec\") 2>/dev/null; then "
    "if [ -e \"$rec\" ]; then echo \"this attempt was started already: $rec exists\" >&2; "
    "exit 3; fi; echo \"cannot create $rec\" >&2; exit 1; fi; "
    "if [ \"$hold\" != 1 ]; then setsid \"$@\" </dev/null >>\"$log\" 2>&1 & pid=$!; else "
    "mkdir -p \"$g\" && chmod 700 \"$g\" || fail; "
    // The waiter makes its own gate, then sleeps until release removes it.
    "setsid /bin/sh -c 'g=$1; shift; : >\"$g/$$\" || exit 1; "
    "while [ -e \"$g/$$\" ]; do sleep 1; done; exec \"$@\"' vigil-held \"$g\" \"$@\" "
    "</dev/null >>\"$log\" 2>&1 & pid=$!; n=0; "
    "while [ ! -e \"$g/$pid\" ] && [ $n -lt 200 ] && kill -0 \"$pid\" 2>/dev/null; do "
    "sleep 0.05 2>/dev/null || sleep 1; n=$((n+1)); done; "
    "if [ ! -e \"$g/$pid\" ]; then kill -s TERM -- \"-$pid\" 2>/dev/null; "
    "echo \"the held task (pid $pid) did not create its gate in $g\" >&2; fail; fi; fi; "
    "if [ -n \"$rec\" ]; then echo \"$pid\" >\"$rec.tmp\" && mv -f -- \"$rec.tmp\" \"$rec\"; fi; "
    "echo \"$pid\"";

// $1 the record directory: one "attempt-N.pid PID" line per record (PID
// empty while a start is under way, or when it was interrupted).
const char kRecordsScript[] =
    "for f in \"$1\"/attempt-*.pid; do [ -f \"$f\" ] || continue; "
    "printf '%s %s\\n' \"${f##*/}\" \"$(head -c 32 -- \"$f\")\"; done; exit 0";

// $1 pid. The process (group) is stopped first, then its gate removed: a
// held task never starts on its way out. `kill -s TERM -- -PGID` and
// `kill -s TERM PID` are the spellings that dash, bash and busybox all accept
// (dash refuses `kill -TERM -- PID`; busybox refuses `--` before a plain pid).
const char kCancelScript[] =
    "kill -s TERM -- \"-$1\" 2>/dev/null || kill -s TERM \"$1\"; rc=$?; rm -f -- \"$g/$1\"; "
    "exit $rc";

const char kHoldScript[] =
    "[ -e \"$g/$1\" ] && kill -0 \"$1\" 2>/dev/null && exit 0; "
    "if kill -0 \"$1\" 2>/dev/null; then "
    "echo \"task $1 has already started: a host without a scheduler cannot hold it\" >&2; "
    "exit 4; fi; "
    "echo \"no task with process id $1 is running\" >&2; exit 3";

// Releasing a task that is not held (it runs already) does nothing, like scontrol.
const char kReleaseScript[] =
    "if kill -0 \"$1\" 2>/dev/null; then rm -f -- \"$g/$1\"; exit 0; fi; rm -f -- \"$g/$1\"; "
    "echo \"no task with process id $1 is waiting or running\" >&2; exit 3";

// $1 comma-separated pids, then each pid: ps lines, a "held:" line, the held pids.
const char kQueryScript[] =
    "pids=$1; shift; ps -o pid=,etimes= -p \"$pids\"; rc=$?; echo held:; "
    "for p in \"$@\"; do if [ -e \"$g/$p\" ]; then echo \"$p\"; fi; done; exit $rc";

QStringList shellArgv(const char *script, const QString &name, const QStringList &args)
{
    return QStringList{QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                       QLatin1String(kGates) + QLatin1String(script), name} +
           args;
}

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

Callback<QByteArray> toVoid(Callback<void> done)
{
    return [done = std::move(done)](Result<QByteArray> out) {
        if (!out)
            done(out.error());
        else
            done(Result<void>());
    };
}

} // namespace

void ProcessSite::submit(const Submission &s, QObject *context, Callback<QString> done)
{
    if (!s.afterOk.isEmpty() || !s.array.isEmpty()) {
        done(Error(QStringLiteral("site %1 has no scheduler: task %2 cannot %3 there")
                       .arg(name(), s.task,
                            s.array.isEmpty()
                                ? QStringLiteral("wait for other jobs (the engine starts it when "
                                                 "its inputs are ready)")
                                : QStringLiteral("be a job array"))));
        return;
    }
    const QStringList argv =
        shellArgv(kStartScript, QStringLiteral("vigil-start"),
                  {s.workDirectory, s.logPath, s.hold ? QStringLiteral("1") : QStringLiteral("0"),
                   s.recordDirectory.isEmpty()
                       ? QString()
                       : QStringLiteral("%1/attempt-%2.pid").arg(s.recordDirectory).arg(s.attempt),
                   QStringLiteral("/bin/sh"), s.scriptPath});
    const QString task = s.task;
    const int attempt = s.attempt;
    transport()->exec(
        argv, {}, context,
        [this, task, attempt, hold = s.hold, done = std::move(done)](Result<ExecResult> r) {
            if (r && r->exitCode == 3) {
                done(Error(tr("attempt %1 of task %2 was started on %3 already: %4")
                               .arg(attempt)
                               .arg(task, name(), QString::fromUtf8(r->err).trimmed()),
                           Error::Kind::AlreadyExists));
                return;
            }
            Result<QByteArray> out =
                !r ? Result<QByteArray>(r.error())
                : r->exitCode != 0
                    ? Result<QByteArray>(Error(tr("could not start task %1 on %2 (exit %3): %4")
                                                   .arg(task, name())
                                                   .arg(r->exitCode)
                                                   .arg(QString::fromUtf8(r->err).trimmed())))
                    : Result<QByteArray>(r->out);
            if (!out) {
                done(out.error());
                return;
            }
            const QString pid = QString::fromUtf8(*out).trimmed();
            if (!isTaskPid(pid)) {
                done(Error(QStringLiteral("could not start the task: the shell printed \"%1\"")
                               .arg(pid.left(200)),
                           Error::Kind::Malformed));
                return;
            }
            if (hold)
                qCInfo(lcSite).noquote() << "task held as process" << pid << "on" << name();
            done(pid);
        });
}

void ProcessSite::cancel(const QString &jobId, QObject *context, Callback<void> done)
{
    if (!isTaskPid(jobId)) {
        done(Error(tr("\"%1\" is not the process id of a task on %2").arg(jobId, name())));
        return;
    }
    // The id is the task's process; when it leads a process group (setsid),
    // the whole group is signalled so that its children stop too.
    run(shellArgv(kCancelScript, QStringLiteral("vigil-cancel"), {jobId}), context,
        toVoid(std::move(done)));
}

void ProcessSite::hold(const QString &jobId, QObject *context, Callback<void> done)
{
    if (!isTaskPid(jobId)) {
        done(Error(tr("\"%1\" is not the process id of a task on %2").arg(jobId, name())));
        return;
    }
    run(shellArgv(kHoldScript, QStringLiteral("vigil-hold"), {jobId}), context,
        toVoid(std::move(done)));
}

void ProcessSite::release(const QString &jobId, QObject *context, Callback<void> done)
{
    if (!isTaskPid(jobId)) {
        done(Error(tr("\"%1\" is not the process id of a task on %2").arg(jobId, name())));
        return;
    }
    run(shellArgv(kReleaseScript, QStringLiteral("vigil-release"), {jobId}), context,
        [this, jobId, done = std::move(done)](Result<QByteArray> out) {
            if (!out) {
                done(out.error());
                return;
            }
            qCInfo(lcSite).noquote() << "released process" << jobId << "on" << name();
            done(Result<void>());
        });
}

void ProcessSite::queryJobs(const QStringList &tracked, QObject *context,
                            Callback<QList<JobInfo>> done)
{
    QStringList pids;
    for (const QString &id : tracked)
        if (isTaskPid(id) && !pids.contains(id))
            pids << id;
    if (pids.isEmpty()) {
        done(QList<JobInfo>());
        return;
    }
    // One round trip for every tracked pid: `ps` for those alive, the gates
    // for those held. Those ps does not list have exited and their outcome is
    // read from the run directory.
    transport()->exec(
        shellArgv(kQueryScript, QStringLiteral("vigil-query"),
                  QStringList{pids.join(QLatin1Char(','))} + pids),
        {}, context, [this, pids, done = std::move(done)](Result<ExecResult> r) {
            if (!r) {
                done(r.error());
                return;
            }
            // ps exits 1 with nothing on stderr when none of the pids exist:
            // that is an answer. Anything else is a failure to report.
            if (r->exitCode != 0 && !(r->exitCode == 1 && r->err.trimmed().isEmpty())) {
                done(Error(tr("ps on %1 failed (exit %2): %3")
                               .arg(name())
                               .arg(r->exitCode)
                               .arg(QString::fromUtf8(r->err).trimmed().left(500))));
                return;
            }
            QHash<QString, qint64> alive;
            QSet<QString> held;
            bool inHeld = false;
            for (const QByteArray &line : r->out.split('\n')) {
                const QByteArray l = line.simplified();
                if (l == "held:") {
                    inHeld = true;
                    continue;
                }
                if (inHeld) {
                    if (!l.isEmpty())
                        held.insert(QString::fromLatin1(l));
                    continue;
                }
                const QList<QByteArray> f = l.split(' ');
                if (f.size() == 2)
                    alive.insert(QString::fromLatin1(f[0]), f[1].toLongLong());
            }
            if (!inHeld) {
                done(Error(tr("the process query on %1 printed no \"held:\" line: \"%2\"")
                               .arg(name(), QString::fromUtf8(r->out.left(200))),
                           Error::Kind::Malformed));
                return;
            }
            QList<JobInfo> jobs;
            for (const QString &id : pids) {
                JobInfo j;
                j.site = name();
                j.jobId = id;
                if (alive.contains(id) && held.contains(id)) {
                    // Like SLURM: a held job is pending, its reason JobHeldUser.
                    j.state = QStringLiteral("PENDING");
                    j.reason = QStringLiteral("JobHeldUser");
                    j.elapsedSeconds = 0;
                } else if (alive.contains(id)) {
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

void ProcessSite::findTaskJobs(const JobLookup &lookup, QObject *context,
                               Callback<QList<JobInfo>> done)
{
    if (lookup.recordDirectory.isEmpty()) {
        done(QList<JobInfo>());
        return;
    }
    QPointer<QObject> ctx(context);
    run(shellArgv(kRecordsScript, QStringLiteral("vigil-records"), {lookup.recordDirectory}), this,
        [this, lookup, ctx, done = std::move(done)](Result<QByteArray> out) mutable {
            if (!ctx)
                return;
            if (!out) {
                done(out.error());
                return;
            }
            QHash<QString, int> attempts; // pid -> attempt
            for (const QByteArray &line : out->split('\n')) {
                const QList<QByteArray> f = line.trimmed().split(' ');
                if (f.isEmpty() || f[0].isEmpty())
                    continue;
                const QByteArray file = f[0];
                const int attempt = file.mid(8, file.size() - 8 - 4).toInt(); // attempt-N.pid
                const QString pid = f.size() > 1 ? QString::fromLatin1(f[1]) : QString();
                if (!isTaskPid(pid)) {
                    done(Error(tr("%1/%2 on %3 names no process: a start of task %4 was "
                                  "interrupted, and whether it runs is unknown (look, then "
                                  "remove the file)")
                                   .arg(lookup.recordDirectory, QString::fromLatin1(file), name(),
                                        lookup.task)));
                    return;
                }
                attempts.insert(pid, attempt);
            }
            if (attempts.isEmpty()) {
                done(QList<JobInfo>());
                return;
            }
            queryJobs(attempts.keys(), ctx,
                      [lookup, attempts, done = std::move(done)](Result<QList<JobInfo>> jobs) {
                          if (!jobs) {
                              done(jobs.error());
                              return;
                          }
                          for (JobInfo &j : *jobs) {
                              j.runId = lookup.runId;
                              j.task = lookup.task;
                              j.attempt = attempts.value(j.jobId);
                          }
                          done(*jobs);
                      });
        });
}

} // namespace vigil
