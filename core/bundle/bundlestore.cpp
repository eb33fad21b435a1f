// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundlestore.h"

#include "bundlemanifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil::bundle {

namespace {

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QByteArray line(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

// What the audit log and the outbox both say of a decision.
template <typename Entry> QJsonObject decisionFields(const Entry &e)
{
    return {{QStringLiteral("decisionId"), e.decisionId},
            {QStringLiteral("site"), e.site},
            {QStringLiteral("runId"), e.runId},
            {QStringLiteral("checkpointId"), e.checkpointId},
            {QStringLiteral("option"), e.option},
            {QStringLiteral("params"), e.params},
            {QStringLiteral("comment"), e.comment},
            {QStringLiteral("decidedBy"), e.decidedBy},
            {QStringLiteral("clientHost"), e.clientHost},
            {QStringLiteral("decidedAt"), iso(e.decidedAt)}};
}

} // namespace

QByteArray auditJsonl(const QList<AuditEntry> &entries)
{
    QByteArray out;
    for (const AuditEntry &e : entries) {
        QJsonObject o = decisionFields(e);
        o.insert(QStringLiteral("evidenceSha256"), e.evidenceSha256);
        if (!e.evidenceBytes.isEmpty())
            o.insert(QStringLiteral("evidenceBytes"),
                     QJsonDocument::fromJson(e.evidenceBytes.toUtf8()).array());
        o.insert(QStringLiteral("confirmedAt"), iso(e.confirmedAt));
        out += line(o);
    }
    return out;
}

QByteArray decisionsJsonl(const QList<OutboxEntry> &entries)
{
    QByteArray out;
    for (const OutboxEntry &e : entries) {
        QJsonObject o = decisionFields(e);
        o.insert(QStringLiteral("state"), outboxStateName(e.state));
        o.insert(QStringLiteral("attempts"), e.attempts);
        o.insert(QStringLiteral("lastError"), e.lastError);
        o.insert(QStringLiteral("winnerBy"), e.winnerBy);
        o.insert(QStringLiteral("winnerOption"), e.winnerOption);
        o.insert(QStringLiteral("winnerDecisionId"), e.winnerDecisionId);
        out += line(o);
    }
    return out;
}

QByteArray jobsJson(const QList<JobInfo> &jobs, const QList<JobStateChange> &history)
{
    QJsonArray arr;
    for (const JobInfo &j : jobs) {
        QJsonArray changes;
        for (const JobStateChange &c : history)
            if (c.jobId == j.jobId)
                changes.append(QJsonObject{{QStringLiteral("state"), c.state},
                                           {QStringLiteral("reason"), c.reason},
                                           {QStringLiteral("exitCode"), c.exitCode},
                                           {QStringLiteral("observedAt"), iso(c.observedAt)}});
        arr.append(QJsonObject{{QStringLiteral("jobId"), j.jobId},
                               {QStringLiteral("name"), j.name},
                               {QStringLiteral("state"), j.state},
                               {QStringLiteral("reason"), j.reason},
                               {QStringLiteral("partition"), j.partition},
                               {QStringLiteral("runId"), j.runId},
                               {QStringLiteral("task"), j.task},
                               {QStringLiteral("attempt"), j.attempt},
                               {QStringLiteral("arrayJobId"), j.arrayJobId},
                               {QStringLiteral("arrayTaskId"), j.arrayTaskId},
                               {QStringLiteral("elapsedSeconds"), j.elapsedSeconds},
                               {QStringLiteral("exitCode"), j.exitCode},
                               {QStringLiteral("history"), changes}});
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("jobs"), arr}})
        .toJson(QJsonDocument::Indented);
}

Result<QList<JobInfo>> parseJobsJson(const QByteArray &json, const QString &site)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject() ||
        !doc.object().value(QStringLiteral("jobs")).isArray())
        return Error(Tr::tr("%1: not a JSON object with a jobs array").arg(kJobsFile),
                     Error::Kind::Malformed);
    QList<JobInfo> jobs;
    for (const QJsonValue &v : doc.object().value(QStringLiteral("jobs")).toArray()) {
        const QJsonObject o = v.toObject();
        JobInfo j;
        j.site = site;
        j.jobId = o.value(QStringLiteral("jobId")).toString();
        j.name = o.value(QStringLiteral("name")).toString();
        j.state = o.value(QStringLiteral("state")).toString();
        j.reason = o.value(QStringLiteral("reason")).toString();
        j.partition = o.value(QStringLiteral("partition")).toString();
        j.runId = o.value(QStringLiteral("runId")).toString();
        j.task = o.value(QStringLiteral("task")).toString();
        j.attempt = o.value(QStringLiteral("attempt")).toInt();
        j.arrayJobId = o.value(QStringLiteral("arrayJobId")).toString();
        j.arrayTaskId = o.value(QStringLiteral("arrayTaskId")).toString();
        j.elapsedSeconds = o.value(QStringLiteral("elapsedSeconds")).toInteger(-1);
        j.exitCode = o.value(QStringLiteral("exitCode")).toInt(-1);
        if (!j.jobId.isEmpty())
            jobs.append(j);
    }
    return jobs;
}

} // namespace vigil::bundle
