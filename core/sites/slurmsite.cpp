// SPDX-License-Identifier: GPL-3.0-or-later
#include "logging.h"
#include "site.h"
#include "slurmparse.h"

#include <QSet>

namespace vigil {

namespace {

// --output takes a filename pattern: "%j", "%a" ... are expanded, "%%" is a
// '%', and a backslash anywhere turns expansion off and is itself dropped.
// The log's directory (the run root's path) is taken literally: its '%'
// doubled. The file name is Vigil's own and may be a pattern ("output_%a.log"
// for an array). A backslash cannot be written at all: submit() refuses it.
QString outputPattern(const QString &logPath)
{
    const qsizetype slash = logPath.lastIndexOf(QLatin1Char('/'));
    QString dir = logPath.left(slash + 1);
    dir.replace(QLatin1Char('%'), QLatin1String("%%"));
    return dir + logPath.mid(slash + 1);
}

} // namespace

QStringList SlurmSite::sbatchArgs(const Submission &s, const QString &defaultPartition,
                                  const QString &account)
{
    QStringList argv{QStringLiteral("sbatch"),
                     QStringLiteral("--parsable"),
                     QStringLiteral("--job-name=") + s.task,
                     QStringLiteral("--comment=") + slurm::jobComment(s.runId, s.task, s.attempt),
                     QStringLiteral("--chdir=") + s.workDirectory,
                     QStringLiteral("--output=") + outputPattern(s.logPath),
                     QStringLiteral("--open-mode=append")};
    const QString partition =
        s.resources.partition.isEmpty() ? defaultPartition : s.resources.partition;
    if (!partition.isEmpty())
        argv << QStringLiteral("--partition=") + partition;
    const QString chargedTo = s.resources.account.isEmpty() ? account : s.resources.account;
    if (!chargedTo.isEmpty())
        argv << QStringLiteral("--account=") + chargedTo;
    if (!s.resources.time.isEmpty())
        argv << QStringLiteral("--time=") + s.resources.time;
    if (s.resources.cpus > 0)
        argv << QStringLiteral("--cpus-per-task=%1").arg(s.resources.cpus);
    if (!s.resources.memory.isEmpty())
        argv << QStringLiteral("--mem=") + s.resources.memory;
    if (s.resources.gpus > 0)
        argv << QStringLiteral("--gpus=%1").arg(s.resources.gpus);
    if (s.resources.nodes > 0)
        argv << QStringLiteral("--nodes=%1").arg(s.resources.nodes);
    // The site's QOS default is filled in by the launcher (Submission carries
    // the task's resources with the site's defaults applied).
    if (!s.resources.qos.isEmpty())
        argv << QStringLiteral("--qos=") + s.resources.qos;
    if (!s.afterOk.isEmpty())
        argv << QStringLiteral("--dependency=afterok:") + s.afterOk.join(QLatin1Char(':'));
    if (s.hold)
        argv << QStringLiteral("--hold");
    if (!s.array.isEmpty())
        argv << QStringLiteral("--array=") + s.array; // validated on load
    // Each one "--name[=value]", none of the options above (validated on load).
    argv << s.resources.extraArgs;
    argv << QStringLiteral("--") << s.scriptPath;
    return argv;
}

void SlurmSite::submit(const Submission &s, QObject *context, Callback<QString> done)
{
    // A site from the registry was checked when it was added, but the file
    // may have been edited since: the rule of validateSite() once more.
    if (s.logPath.contains(QLatin1Char('\\'))) {
        done(Error(tr("site %1: cannot submit task %2: its log %3 contains a '\\', which "
                      "SLURM's --output drops (it turns filename patterns off): use a run_root "
                      "without '\\'")
                       .arg(name(), s.task, s.logPath),
                   Error::Kind::Malformed));
        return;
    }
    run(sbatchArgs(s, spec().partition, spec().account), context,
        [done = std::move(done)](Result<QByteArray> out) {
            if (!out) {
                done(out.error());
                return;
            }
            done(slurm::parseSbatch(*out));
        });
}

void SlurmSite::cancel(const QString &jobId, QObject *context, Callback<void> done)
{
    if (!slurm::isJobId(jobId)) {
        done(
            Error(tr("\"%1\" is not a SLURM job id").arg(jobId.left(100)), Error::Kind::Malformed));
        return;
    }
    // An array's id cancels every element of it, pending or running.
    run({QStringLiteral("scancel"), QStringLiteral("--"), jobId}, context,
        [done = std::move(done)](Result<QByteArray> out) {
            if (!out)
                done(out.error());
            else
                done(Result<void>());
        });
}

void SlurmSite::hold(const QString &jobId, QObject *context, Callback<void> done)
{
    control(QStringLiteral("hold"), jobId, context, std::move(done));
}

void SlurmSite::release(const QString &jobId, QObject *context, Callback<void> done)
{
    control(QStringLiteral("release"), jobId, context, std::move(done));
}

void SlurmSite::control(const QString &verb, const QString &jobId, QObject *context,
                        Callback<void> done)
{
    if (!slurm::isJobId(jobId)) {
        done(
            Error(tr("\"%1\" is not a SLURM job id").arg(jobId.left(100)), Error::Kind::Malformed));
        return;
    }
    // The id of an array holds or releases all of its pending elements.
    run(slurm::controlArgs(verb, jobId), context,
        [this, verb, jobId, done = std::move(done)](Result<QByteArray> out) {
            if (!out) {
                done(out.error());
                return;
            }
            qCInfo(lcSlurm).noquote() << verb << "job" << jobId << "on" << name();
            done(Result<void>());
        });
}

void SlurmSite::queryJobs(const QStringList &tracked, QObject *context,
                          Callback<QList<JobInfo>> done)
{
    QPointer<QObject> ctx(context);
    run(slurm::squeueArgs(), this,
        [this, tracked, ctx, done = std::move(done)](Result<QByteArray> out) mutable {
            if (!ctx)
                return;
            if (!out) {
                done(out.error());
                return;
            }
            auto jobs = slurm::parseSqueue(*out);
            if (!jobs) {
                done(jobs.error());
                return;
            }
            // A tracked array id is seen while any of its elements is queued.
            QSet<QString> seen;
            for (JobInfo &j : *jobs) {
                j.site = name();
                seen.insert(j.jobId);
                if (!j.arrayJobId.isEmpty())
                    seen.insert(j.arrayJobId);
            }
            QStringList missing;
            for (const QString &id : tracked)
                if (!seen.contains(id))
                    missing << id;
            if (missing.isEmpty()) {
                done(std::move(*jobs));
                return;
            }
            queryFinished(std::move(*jobs), missing, ctx, std::move(done));
        });
}

void SlurmSite::queryFinished(QList<JobInfo> active, const QStringList &missing, QObject *context,
                              Callback<QList<JobInfo>> done)
{
    QPointer<QObject> ctx(context);
    auto merge = [this, active, missing](QList<JobInfo> finished) {
        QList<JobInfo> all = active;
        const QSet<QString> wanted(missing.cbegin(), missing.cend());
        // sacct -j ARRAY lists every element (and the range that never started).
        for (JobInfo &j : finished) {
            if (!wanted.contains(j.jobId) && !wanted.contains(j.arrayJobId))
                continue;
            j.site = name();
            all << j;
        }
        return all;
    };
    // Without accounting (sacct says so), scontrol knows finished jobs for
    // MinJobAge. Any other sacct failure falls back for this cycle only.
    auto viaScontrol = [this, ctx, merge, done](const QString &why) mutable {
        if (!m_noAccounting &&
            why.contains(QLatin1String("accounting storage is disabled"), Qt::CaseInsensitive)) {
            qCInfo(lcSlurm) << name() << "has no accounting, using scontrol from now on:" << why;
            m_noAccounting = true;
        } else if (!why.isEmpty()) {
            qCInfo(lcSlurm) << name() << "sacct failed, using scontrol this time:" << why;
        }
        run({QStringLiteral("scontrol"), QStringLiteral("show"), QStringLiteral("job"),
             QStringLiteral("-o")},
            this, [ctx, merge, done](Result<QByteArray> out) {
                if (!ctx)
                    return;
                if (!out) {
                    done(out.error());
                    return;
                }
                auto jobs = slurm::parseScontrolJobs(*out);
                if (!jobs)
                    done(jobs.error());
                else
                    done(merge(*jobs));
            });
    };
    if (m_noAccounting) {
        viaScontrol(QString());
        return;
    }
    run(slurm::sacctArgs(missing), this,
        [ctx, merge, viaScontrol, done](Result<QByteArray> out) mutable {
            if (!ctx)
                return;
            if (!out) {
                viaScontrol(out.errorString());
                return;
            }
            auto jobs = slurm::parseSacct(*out);
            if (!jobs) {
                done(jobs.error());
                return;
            }
            done(merge(*jobs));
        });
}

void SlurmSite::findTaskJobs(const JobLookup &lookup, QObject *context,
                             Callback<QList<JobInfo>> done)
{
    QPointer<QObject> ctx(context);
    auto mine = [lookup](const JobInfo &j) {
        return j.runId == lookup.runId && j.task == lookup.task;
    };
    // Every state, with the working directory: a job that ended a moment
    // ago has left squeue's default view but may not be in sacct yet
    // (tst_launch_kill found a task submitted twice that way: its first job
    // ran for under a second), and the same run id may name a run in
    // another run root.
    run(slurm::squeueTaskArgs(), this,
        [this, lookup, ctx, mine, done = std::move(done)](Result<QByteArray> out) mutable {
            if (!ctx)
                return;
            QStringList queuedDirs;
            auto queued = out ? slurm::parseSqueueTasks(*out, &queuedDirs)
                              : Result<QList<JobInfo>>(out.error());
            if (!queued) {
                done(queued.error());
                return;
            }
            QList<JobInfo> found;
            QSet<QString> seen;
            for (qsizetype i = 0; i < queued->size(); ++i) {
                JobInfo &j = (*queued)[i];
                if (!mine(j) || queuedDirs.value(i) != lookup.runDirectory)
                    continue;
                j.site = name();
                seen.insert(j.jobId);
                found << j;
            }
            // Finished jobs: sacct by job name (the task) and working
            // directory (the run directory); accounting does not keep the
            // comment unless told to. Without accounting, scontrol knows
            // them by comment for MinJobAge.
            auto add = [this, seen, found](const QList<JobInfo> &jobs, const QStringList &dirs,
                                           const JobLookup &l) mutable {
                for (qsizetype i = 0; i < jobs.size(); ++i) {
                    JobInfo j = jobs[i];
                    const bool match = dirs.isEmpty()
                                           ? (j.runId == l.runId && j.task == l.task)
                                           : (dirs.value(i) == l.runDirectory && j.name == l.task);
                    if (!match || seen.contains(j.jobId))
                        continue;
                    j.site = name();
                    j.runId = l.runId;
                    j.task = l.task;
                    seen.insert(j.jobId);
                    found << j;
                }
                return found;
            };
            auto viaScontrol = [this, ctx, add, lookup, done]() mutable {
                run({QStringLiteral("scontrol"), QStringLiteral("show"), QStringLiteral("job"),
                     QStringLiteral("-o")},
                    this, [ctx, add, lookup, done](Result<QByteArray> shown) mutable {
                        if (!ctx)
                            return;
                        auto jobs = shown ? slurm::parseScontrolJobs(*shown)
                                          : Result<QList<JobInfo>>(shown.error());
                        if (!jobs)
                            done(jobs.error());
                        else
                            done(add(*jobs, {}, lookup));
                    });
            };
            if (m_noAccounting) {
                viaScontrol();
                return;
            }
            const QDateTime since =
                lookup.since.isValid() ? lookup.since : QDateTime::currentDateTimeUtc();
            // A day earlier: the cluster's clock and time zone are its own.
            const QString from = since.toUTC().addDays(-1).toString(QStringLiteral("yyyy-MM-dd"));
            run(slurm::sacctByNameArgs(lookup.task, from), this,
                [this, ctx, add, viaScontrol, lookup, done](Result<QByteArray> acct) mutable {
                    if (!ctx)
                        return;
                    if (!acct) {
                        if (acct.errorString().contains(
                                QLatin1String("accounting storage is disabled"),
                                Qt::CaseInsensitive))
                            m_noAccounting = true;
                        viaScontrol();
                        return;
                    }
                    QStringList dirs;
                    auto jobs = slurm::parseSacctByName(*acct, &dirs);
                    if (!jobs)
                        done(jobs.error());
                    else
                        done(add(*jobs, dirs, lookup));
                });
        });
}

} // namespace vigil
