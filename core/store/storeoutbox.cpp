// SPDX-License-Identifier: GPL-3.0-or-later
// The store's outbox and audit log: the decision's states and their rules.
#include "store/storedb.h"

#include <QSqlQuery>

namespace vigil {

namespace {

const char *const kStateNames[] = {"queued", "sent", "confirmed", "lost", "failed"};

OutboxEntry::State stateFromName(const QString &name)
{
    for (int i = 0; i < 5; ++i)
        if (name == QLatin1String(kStateNames[i]))
            return OutboxEntry::State(i);
    return OutboxEntry::State::Failed;
}

const QString kOutboxColumns = QStringLiteral(
    "decision_id, site, run_id, checkpoint_id, nonce, option, params, comment, decided_by, "
    "client_host, evidence_sha256, decided_at, state, attempts, last_error, updated_at, "
    "winner_by, winner_option, winner_decision_id, winner_decided_at, evidence_bytes");

OutboxEntry outboxRow(const QSqlQuery &q)
{
    OutboxEntry e;
    e.decisionId = q.value(0).toString();
    e.site = q.value(1).toString();
    e.runId = q.value(2).toString();
    e.checkpointId = q.value(3).toString();
    e.nonce = q.value(4).toString();
    e.option = q.value(5).toString();
    e.params = q.value(6).toString();
    e.comment = q.value(7).toString();
    e.decidedBy = q.value(8).toString();
    e.clientHost = q.value(9).toString();
    e.evidenceSha256 = q.value(10).toString();
    e.decidedAt = timeOf(q.value(11));
    e.state = stateFromName(q.value(12).toString());
    e.attempts = q.value(13).toInt();
    e.lastError = q.value(14).toString();
    e.updatedAt = timeOf(q.value(15));
    e.winnerBy = q.value(16).toString();
    e.winnerOption = q.value(17).toString();
    e.winnerDecisionId = q.value(18).toString();
    e.winnerDecidedAt = timeOf(q.value(19));
    e.evidenceBytes = q.value(20).toString();
    return e;
}

} // namespace

QString outboxStateName(OutboxEntry::State state)
{
    return QString::fromLatin1(kStateNames[int(state)]);
}

Result<void> StoreDb::queueDecision(const OutboxEntry &e)
{
    const QString what = QStringLiteral("cannot store decision %1").arg(e.decisionId);
    return transaction(what, [&]() -> Result<void> {
        auto known = exec(QStringLiteral("SELECT state FROM outbox WHERE decision_id = ?"),
                          {e.decisionId}, what);
        if (!known)
            return known.error();
        if (known->next())
            return error(what,
                         QStringLiteral("that decision id is already in the outbox (%1)")
                             .arg(known->value(0).toString()),
                         Error::Kind::AlreadyExists);
        auto q = exec(QStringLiteral("INSERT INTO outbox (decision_id, site, run_id, "
                                     "checkpoint_id, nonce, option, params, comment, decided_by, "
                                     "client_host, evidence_sha256, evidence_bytes, decided_at, "
                                     "state, updated_at) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)"),
                      {e.decisionId, e.site, e.runId, e.checkpointId, e.nonce, e.option, e.params,
                       e.comment, e.decidedBy, e.clientHost, e.evidenceSha256, e.evidenceBytes,
                       timeText(e.decidedAt), nowText()},
                      what);
        return q ? Result<void>() : Result<void>(q.error());
    });
}

Result<OutboxEntry::State> StoreDb::outboxState(const QString &decisionId)
{
    const QString what = QStringLiteral("cannot read decision %1").arg(decisionId);
    auto q =
        exec(QStringLiteral("SELECT state FROM outbox WHERE decision_id = ?"), {decisionId}, what);
    if (!q)
        return q.error();
    if (!q->next())
        return error(what, QStringLiteral("not in the outbox"), Error::Kind::NotFound);
    return stateFromName(q->value(0).toString());
}

Result<void> StoreDb::moveOutbox(const QString &decisionId, QList<OutboxEntry::State> from,
                                 OutboxEntry::State to, const QString &sqlSet,
                                 const QVariantList &binds, const QString &what)
{
    auto state = outboxState(decisionId);
    if (!state)
        return state.error();
    if (!from.contains(*state))
        return error(what, QStringLiteral("the decision is %1, it cannot become %2")
                               .arg(outboxStateName(*state), outboxStateName(to)));
    QVariantList all{outboxStateName(to), nowText()};
    all << binds << decisionId;
    auto q = exec(QStringLiteral("UPDATE outbox SET state = ?, updated_at = ?%1 "
                                 "WHERE decision_id = ?")
                      .arg(sqlSet),
                  all, what);
    return q ? Result<void>() : Result<void>(q.error());
}

Result<void> StoreDb::markSent(const QString &decisionId)
{
    using S = OutboxEntry::State;
    const QString what = QStringLiteral("cannot mark decision %1 sent").arg(decisionId);
    return transaction(what, [&] {
        return moveOutbox(decisionId, {S::Queued, S::Sent}, S::Sent,
                          QStringLiteral(", attempts = attempts + 1"), {}, what);
    });
}

Result<void> StoreDb::markConfirmed(const QString &decisionId, const QDateTime &at)
{
    using S = OutboxEntry::State;
    const QString what = QStringLiteral("cannot mark decision %1 confirmed").arg(decisionId);
    return transaction(what, [&]() -> Result<void> {
        if (auto r = moveOutbox(decisionId, {S::Sent}, S::Confirmed,
                                QStringLiteral(", last_error = ''"), {}, what);
            !r)
            return r;
        // One audit row per decision id, whoever confirms it.
        auto q = exec(QStringLiteral("INSERT OR IGNORE INTO audit (decision_id, site, run_id, "
                                     "checkpoint_id, option, params, comment, decided_by, "
                                     "client_host, evidence_sha256, evidence_bytes, decided_at, "
                                     "confirmed_at) "
                                     "SELECT decision_id, site, run_id, checkpoint_id, option, "
                                     "params, comment, decided_by, client_host, evidence_sha256, "
                                     "evidence_bytes, decided_at, ? FROM outbox "
                                     "WHERE decision_id = ?"),
                      {timeText(at), decisionId}, what);
        return q ? Result<void>() : Result<void>(q.error());
    });
}

Result<void> StoreDb::markLost(const QString &decisionId, const OutboxEntry &winner)
{
    using S = OutboxEntry::State;
    const QString what = QStringLiteral("cannot mark decision %1 lost").arg(decisionId);
    return transaction(what, [&] {
        return moveOutbox(
            decisionId, {S::Sent}, S::Lost,
            QStringLiteral(", last_error = '', winner_by = ?, winner_option = ?, "
                           "winner_decision_id = ?, winner_decided_at = ?"),
            {winner.decidedBy, winner.option, winner.decisionId, timeText(winner.decidedAt)}, what);
    });
}

Result<void> StoreDb::markFailed(const QString &decisionId, const QString &why)
{
    using S = OutboxEntry::State;
    const QString what = QStringLiteral("cannot mark decision %1 failed").arg(decisionId);
    return transaction(what, [&] {
        return moveOutbox(decisionId, {S::Queued, S::Sent}, S::Failed,
                          QStringLiteral(", last_error = ?"), {why}, what);
    });
}

Result<void> StoreDb::noteSendError(const QString &decisionId, const QString &why)
{
    auto q = exec(QStringLiteral("UPDATE outbox SET last_error = ?, updated_at = ? "
                                 "WHERE decision_id = ? AND state IN ('queued', 'sent')"),
                  {why, nowText(), decisionId},
                  QStringLiteral("cannot note the error of decision %1").arg(decisionId));
    return q ? Result<void>() : Result<void>(q.error());
}

Result<QList<OutboxEntry>> StoreDb::outbox(bool unconfirmedOnly, const QString &site)
{
    QString where = QStringLiteral(" WHERE 1");
    QVariantList binds;
    if (unconfirmedOnly)
        where += QStringLiteral(" AND state IN ('queued', 'sent')");
    if (!site.isEmpty()) {
        where += QStringLiteral(" AND site = ?");
        binds << site;
    }
    auto q = exec(QStringLiteral("SELECT %1 FROM outbox%2 ORDER BY decided_at, rowid")
                      .arg(kOutboxColumns, where),
                  binds, QStringLiteral("cannot read the outbox"));
    if (!q)
        return q.error();
    QList<OutboxEntry> out;
    while (q->next())
        out << outboxRow(*q);
    return out;
}

Result<QList<AuditEntry>> StoreDb::auditLog(const QString &runId)
{
    auto q = exec(QStringLiteral("SELECT decision_id, site, run_id, checkpoint_id, option, "
                                 "params, comment, decided_by, client_host, evidence_sha256, "
                                 "decided_at, confirmed_at, evidence_bytes FROM audit "
                                 "WHERE ? = '' OR run_id = ? ORDER BY id"),
                  {runId, runId}, QStringLiteral("cannot read the audit log"));
    if (!q)
        return q.error();
    QList<AuditEntry> out;
    while (q->next()) {
        AuditEntry a;
        a.decisionId = q->value(0).toString();
        a.site = q->value(1).toString();
        a.runId = q->value(2).toString();
        a.checkpointId = q->value(3).toString();
        a.option = q->value(4).toString();
        a.params = q->value(5).toString();
        a.comment = q->value(6).toString();
        a.decidedBy = q->value(7).toString();
        a.clientHost = q->value(8).toString();
        a.evidenceSha256 = q->value(9).toString();
        a.decidedAt = timeOf(q->value(10));
        a.confirmedAt = timeOf(q->value(11));
        a.evidenceBytes = q->value(12).toString();
        out << a;
    }
    return out;
}

} // namespace vigil
