// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundlesite.h"

#include "bundle/bundlestore.h"

namespace vigil {

BundleSite::BundleSite(SiteSpec spec, Transport *transport, QString bundleFile, QString jobsFile,
                       QObject *parent)
    : Site(std::move(spec), transport, parent), m_bundleFile(std::move(bundleFile)),
      m_jobsFile(std::move(jobsFile))
{}

Error BundleSite::readOnlyError() const
{
    return Error(tr("%1 is a review bundle: read-only").arg(name()), Error::Kind::Permission);
}

void BundleSite::submit(const Submission &, QObject *, Callback<QString> done)
{
    done(readOnlyError());
}

void BundleSite::cancel(const QString &, QObject *, Callback<void> done)
{
    done(readOnlyError());
}

void BundleSite::hold(const QString &, QObject *, Callback<void> done)
{
    done(readOnlyError());
}

void BundleSite::release(const QString &, QObject *, Callback<void> done)
{
    done(readOnlyError());
}

void BundleSite::queryJobs(const QStringList &, QObject *context, Callback<QList<JobInfo>> done)
{
    transport()->readFile(m_jobsFile, 0, qint64(16) << 20, context,
                          [this, done](Result<FileChunk> r) {
                              if (!r) {
                                  done(r.error());
                                  return;
                              }
                              done(bundle::parseJobsJson(r->data, name()));
                          });
}

void BundleSite::findTaskJobs(const JobLookup &lookup, QObject *context,
                              Callback<QList<JobInfo>> done)
{
    queryJobs({}, context, [lookup, done](Result<QList<JobInfo>> r) {
        if (!r) {
            done(r.error());
            return;
        }
        QList<JobInfo> mine;
        for (const JobInfo &j : std::as_const(*r))
            if (j.runId == lookup.runId && j.task == lookup.task)
                mine << j;
        done(mine);
    });
}

} // namespace vigil
