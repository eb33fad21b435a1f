// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A review bundle opened read-only (docs/bundles.md): its extracted run
// directory read through the local transport like a live run's, its jobs
// those of the bundle's store/jobs.json. Nothing can be started, cancelled,
// held or released: every such call fails with "SITE is a review bundle:
// read-only".

#include "site.h"

namespace vigil {

class BundleSite final : public Site
{
    Q_OBJECT
public:
    // `jobsFile`: the bundle's store/jobs.json (absolute, local).
    BundleSite(SiteSpec spec, Transport *transport, QString bundleFile, QString jobsFile,
               QObject *parent = nullptr);

    QString bundleFile() const { return m_bundleFile; }
    // "SITE is a review bundle: read-only"
    Error readOnlyError() const;

    void submit(const Submission &submission, QObject *context, Callback<QString> done) override;
    void cancel(const QString &jobId, QObject *context, Callback<void> done) override;
    void hold(const QString &jobId, QObject *context, Callback<void> done) override;
    void release(const QString &jobId, QObject *context, Callback<void> done) override;
    void queryJobs(const QStringList &tracked, QObject *context,
                   Callback<QList<JobInfo>> done) override;
    void findTaskJobs(const JobLookup &lookup, QObject *context,
                      Callback<QList<JobInfo>> done) override;

private:
    QString m_bundleFile;
    QString m_jobsFile;
};

} // namespace vigil
