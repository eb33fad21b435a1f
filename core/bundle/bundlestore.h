// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What a bundle holds of the local store, as JSON: the audit log
// (store/audit.jsonl), the outbox's records of the run's decisions
// (store/decisions.jsonl) and the run's jobs with their state history
// (store/jobs.json). Pure functions.

#include "sites/jobinfo.h"
#include "store/store.h"

namespace vigil::bundle {

inline constexpr QLatin1String kAuditFile{"store/audit.jsonl"};
inline constexpr QLatin1String kDecisionsFile{"store/decisions.jsonl"};
inline constexpr QLatin1String kJobsFile{"store/jobs.json"};

QByteArray auditJsonl(const QList<AuditEntry> &entries);
QByteArray decisionsJsonl(const QList<OutboxEntry> &entries);
QByteArray jobsJson(const QList<JobInfo> &jobs, const QList<JobStateChange> &history);
// The jobs of jobs.json, with `site` as their site.
Result<QList<JobInfo>> parseJobsJson(const QByteArray &json, const QString &site);

} // namespace vigil::bundle
