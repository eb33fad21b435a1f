// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The store's database connection and its statements, synchronous. Used only
// on the store's own thread (store.cpp); one connection per StoreDb.

#include "store/store.h"

#include <QSqlDatabase>
#include <QStringList>
#include <QVariantList>
#include <utility>

class QSqlQuery;

namespace vigil {

// Times as the store writes them (ISO 8601 UTC text with milliseconds; an
// invalid time is NULL) and reads them back.
QVariant timeText(const QDateTime &t);
QVariant nowText();
QDateTime timeOf(const QVariant &v);

// The schema, as migrations: entry i brings a database from version i to i + 1.
const QList<QStringList> &storeMigrations();

class StoreDb
{
public:
    StoreDb() = default;
    ~StoreDb();
    StoreDb(const StoreDb &) = delete;
    StoreDb &operator=(const StoreDb &) = delete;

    // Opens `path` (creating it and its directory), refuses a database that is
    // damaged, not a Vigil store or newer than this program, then sets WAL
    // mode and a busy timeout and runs the missing migrations, each in one
    // transaction.
    Result<void> open(const QString &path);
    void close();
    Result<int> schemaVersion();

    Result<void> recordSite(const QString &name, const QString &kind, const QString &address);
    Result<void> recordRuns(const QString &site, const QList<RunInfo> &runs);
    Result<QList<StoredRun>> runs();

    Result<void> followRun(const QString &runId, const QString &site);
    Result<void> unfollowRun(const QString &runId);
    Result<QList<FollowedRun>> followedRuns();

    Result<int> recordJobStates(const QString &site, const QList<JobInfo> &jobs,
                                const QDateTime &observedAt);
    Result<QList<JobStateChange>> jobHistory(const QString &site, const QString &jobId);

    Result<int> updateInbox(const QList<CheckpointInfo> &checkpoints);
    Result<void> setRead(const QString &site, const QString &runId, const QString &checkpointId,
                         bool read);
    Result<QList<InboxEntry>> inbox();

    Result<void> queueDecision(const OutboxEntry &entry);
    Result<void> markSent(const QString &decisionId);
    Result<void> markConfirmed(const QString &decisionId, const QDateTime &at);
    Result<void> markLost(const QString &decisionId, const OutboxEntry &winner);
    Result<void> markFailed(const QString &decisionId, const QString &why);
    Result<void> noteSendError(const QString &decisionId, const QString &why);
    Result<QList<OutboxEntry>> outbox(bool unconfirmedOnly, const QString &site);

    Result<QList<AuditEntry>> auditLog(const QString &runId);

private:
    Result<QSqlQuery> exec(const QString &sql, const QVariantList &binds, const QString &what);
    // BEGIN IMMEDIATE (waits for other writers up to the busy timeout), the
    // body, COMMIT; ROLLBACK when the body fails.
    Result<void> transaction(const QString &what, const std::function<Result<void>()> &body);
    Result<void> migrate();
    // Why the file cannot be read as SQLite (empty: it can).
    QString check();
    // PRAGMA user_version and the number of entries in sqlite_master, at once.
    Result<std::pair<int, int>> versionAndTables();
    Result<OutboxEntry::State> outboxState(const QString &decisionId);
    Result<void> moveOutbox(const QString &decisionId, QList<OutboxEntry::State> from,
                            OutboxEntry::State to, const QString &sqlSet, const QVariantList &binds,
                            const QString &what);
    Error error(const QString &what, const QString &why,
                Error::Kind kind = Error::Kind::Generic) const;

    QString m_path;
    QString m_connection; // the QSqlDatabase connection name; empty when closed
    QSqlDatabase m_db;
};

} // namespace vigil
