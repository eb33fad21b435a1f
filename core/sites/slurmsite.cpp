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
                     QStringLiteral("--comment=") + slurm::jobComment(s.runId, s.task),
                     QStringLiteral("--chdir=") + s.workDirectory,
                     QStringLiteral("--output=") + outputPattern(s.logPath),
                     QStringLiteral("--open-mode=append")};
    const QString partition =
        s.resources.partition.isEmpty() ? defaultPartition : s.resources.partition;
    if (!partition.isEmpty())
        argv << QStringLiteral("--partition=") + partition;
    if (!account.isEmpty())
        argv << QStringLiteral("--account=") + account;
    if (!s.resources.time.isEmpty())
        argv << QStringLiteral("--time=") + s.resources.time;
    if (s.resources.cpus > 0)
        argv << QStringLiteral("--cpus-per-task=%1").arg(s.resources.cpus);
    if (!s.resources.memory.isEmpty())
        argv << QStringLiteral("--mem=") + s.resources.memory;
    if (!s.afterOk.isEmpty())
        argv << QStringLiteral("--dependency=afterok:") + s.afterOk.join(QLatin1Char(':'));
    if (s.hold)
        argv << QStringLiteral("--hold");
    if (!s.array.isEmpty())
        argv << QStringLiteral("--array=") + s.array; // validated on load
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

} // namespace vigil
