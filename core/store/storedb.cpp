// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/storedb.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QThread>
#include <QUuid>

namespace vigil {

namespace {

constexpr int kBusyTimeoutMs = 10000;

} // namespace

QVariant timeText(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toUTC().toString(Qt::ISODateWithMs)) : QVariant();
}

QVariant nowText()
{
    return timeText(QDateTime::currentDateTimeUtc());
}

QDateTime timeOf(const QVariant &v)
{
    if (v.isNull())
        return {};
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : QDateTime();
}

namespace {

// The inbox status of a checkpoint as the run directory shows it.
QString inboxStatus(const CheckpointInfo &c)
{
    const bool byDefault = c.decisionKind == QLatin1String("timeout-default");
    switch (c.status) {
    case CheckpointInfo::Status::Decided:
        return byDefault ? QStringLiteral("defaulted") : QStringLiteral("decided");
    default:
        return checkpointStatusName(c.status);
    }
}

} // namespace

StoreDb::~StoreDb()
{
    close();
}

Error StoreDb::error(const QString &what, const QString &why, Error::Kind kind) const
{
    return Error(QStringLiteral("store %1: %2: %3").arg(m_path, what, why), kind);
}

Result<QSqlQuery> StoreDb::exec(const QString &sql, const QVariantList &binds, const QString &what)
{
    QSqlQuery q(m_db);
    if (!q.prepare(sql))
        return error(what, q.lastError().text());
    // A null QString would be bound as NULL: text columns hold '' instead.
    // Times and other absent values are null QVariants, bound as NULL.
    for (const QVariant &b : binds)
        q.addBindValue(b.typeId() == QMetaType::QString && b.toString().isNull()
                           ? QVariant(QLatin1String(""))
                           : b);
    if (!q.exec())
        return error(what, q.lastError().text());
    return q;
}

Result<void> StoreDb::transaction(const QString &what, const std::function<Result<void>()> &body)
{
    if (auto b = exec(QStringLiteral("BEGIN IMMEDIATE"), {}, what); !b)
        return b.error();
    Result<void> r = body();
    if (r) {
        if (auto c = exec(QStringLiteral("COMMIT"), {}, what); c)
            return {};
        else
            r = c.error();
    }
    (void)exec(QStringLiteral("ROLLBACK"), {}, what);
    return r;
}

Result<void> StoreDb::open(const QString &path)
{
    close();
    m_path = path;
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return error(QStringLiteral("cannot open"),
                     QStringLiteral("cannot create the directory %1").arg(info.absolutePath()));
    if (info.exists() && !info.isFile())
        return error(QStringLiteral("cannot open"), QStringLiteral("not a regular file"));

    m_connection = QStringLiteral("vigil-store-") + QUuid::createUuid().toString(QUuid::Id128);
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    if (!m_db.open()) {
        const QString why = m_db.lastError().text();
        close();
        return error(QStringLiteral("cannot open"), why);
    }
    // The first reads of the file: a file that is not SQLite, or is damaged,
    // fails here, before anything is written to it.
    if (auto damaged = check(); !damaged.isEmpty()) {
        close();
        return Error(QStringLiteral("%1 is damaged or not a Vigil store: %2").arg(path, damaged),
                     Error::Kind::Malformed);
    }
    // The version and whether the file holds any table, read in one
    // statement (one snapshot): read apart, another program creating the
    // same new store could commit its first tables in between, and this file
    // would look like someone else's database.
    const auto read = versionAndTables();
    if (!read) {
        close();
        return read.error();
    }
    const auto [version, tables] = *read;
    if (version > Store::kSchemaVersion) {
        close();
        return Error(QStringLiteral("%1 was written by a newer Vigil (store schema version %2; "
                                    "this one knows up to %3): it is left untouched. Use a newer "
                                    "Vigil, or another file with VIGIL_STORE_PATH.")
                         .arg(path)
                         .arg(version)
                         .arg(Store::kSchemaVersion),
                     Error::Kind::Malformed);
    }
    if (version == 0 && tables != 0) {
        close();
        return Error(
            QStringLiteral("%1 is an SQLite database but not a Vigil store: it is left untouched")
                .arg(path),
            Error::Kind::Malformed);
    }
    // WAL: readers do not block the writer, so vigil and vigilctl share the file.
    // Switching needs the file to itself: SQLite answers "locked" at once
    // (no busy wait) while another connection that opens the same file reads
    // it, so it is tried again for up to the busy timeout (this is the
    // store's own thread).
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        auto wal = exec(QStringLiteral("PRAGMA journal_mode=WAL"), {},
                        QStringLiteral("cannot switch to WAL mode"));
        if (wal)
            break;
        if (!wal.errorString().contains(QLatin1String("locked")) ||
            waited.elapsed() > kBusyTimeoutMs) {
            close();
            return wal.error();
        }
        QThread::msleep(20);
    }
    if (auto r = migrate(); !r) {
        close();
        return r;
    }
    return {};
}

void StoreDb::close()
{
    if (m_connection.isEmpty())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
}

QString StoreDb::check()
{
    for (const QString &sql :
         {QStringLiteral("PRAGMA user_version"), QStringLiteral("PRAGMA quick_check(3)")}) {
        QSqlQuery q(m_db);
        if (!q.exec(sql))
            return q.lastError().databaseText();
        QStringList answer;
        while (q.next())
            answer << q.value(0).toString().simplified();
        if (answer.isEmpty())
            return QStringLiteral("no answer to %1").arg(sql);
        // quick_check answers "ok", or up to 3 problems.
        if (sql.contains(QLatin1String("quick_check")) &&
            answer != QStringList{QStringLiteral("ok")})
            return answer.join(QLatin1String("; "));
    }
    return {};
}

Result<std::pair<int, int>> StoreDb::versionAndTables()
{
    const QString what = QStringLiteral("cannot read the version");
    auto q = exec(QStringLiteral("SELECT user_version, (SELECT count(*) FROM sqlite_master) "
                                 "FROM pragma_user_version"),
                  {}, what);
    if (!q)
        return q.error();
    if (!q->next())
        return error(what, QStringLiteral("no answer"));
    return std::pair{q->value(0).toInt(), q->value(1).toInt()};
}

Result<int> StoreDb::schemaVersion()
{
    auto q =
        exec(QStringLiteral("PRAGMA user_version"), {}, QStringLiteral("cannot read the version"));
    if (!q)
        return q.error();
    if (!q->next())
        return error(QStringLiteral("cannot read the version"), QStringLiteral("no answer"));
    return q->value(0).toInt();
}

Result<void> StoreDb::migrate()
{
    const auto &migrations = storeMigrations();
    for (int target = 1; target <= int(migrations.size()); ++target) {
        const QString what = QStringLiteral("cannot upgrade to schema version %1").arg(target);
        auto r = transaction(what, [&]() -> Result<void> {
            // Read again inside the transaction: another process may have
            // upgraded the file meanwhile.
            auto version = schemaVersion();
            if (!version)
                return version.error();
            if (*version >= target)
                return {};
            for (const QString &sql : migrations[target - 1])
                if (auto q = exec(sql, {}, what); !q)
                    return q.error();
            if (auto q = exec(QStringLiteral("PRAGMA user_version = %1").arg(target), {}, what); !q)
                return q.error();
            return {};
        });
        if (!r)
            return r;
    }
    return {};
}

Result<void> StoreDb::recordSite(const QString &name, const QString &kind, const QString &address)
{
    auto q = exec(QStringLiteral("INSERT INTO sites (name, kind, address, first_seen, last_seen) "
                                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                                 "kind = excluded.kind, address = excluded.address, "
                                 "last_seen = excluded.last_seen"),
                  {name, kind, address, nowText(), nowText()},
                  QStringLiteral("cannot record site %1").arg(name));
    return q ? Result<void>() : Result<void>(q.error());
}

Result<void> StoreDb::recordRuns(const QString &site, const QList<RunInfo> &runs)
{
    return transaction(QStringLiteral("cannot record the runs of %1").arg(site), [&] {
        for (const RunInfo &r : runs) {
            auto q =
                exec(QStringLiteral("INSERT INTO runs (site, run_id, workflow, created_at, "
                                    "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?) "
                                    "ON CONFLICT (site, run_id) DO UPDATE SET "
                                    "workflow = excluded.workflow, "
                                    "created_at = excluded.created_at, "
                                    "last_seen = excluded.last_seen"),
                     {site, r.runId, r.workflowName, timeText(r.createdAt), nowText(), nowText()},
                     QStringLiteral("cannot record run %1").arg(r.runId));
            if (!q)
                return Result<void>(q.error());
        }
        return Result<void>();
    });
}

Result<QList<StoredRun>> StoreDb::runs()
{
    auto q = exec(QStringLiteral("SELECT site, run_id, workflow, created_at, first_seen, last_seen "
                                 "FROM runs ORDER BY site, run_id"),
                  {}, QStringLiteral("cannot read the runs"));
    if (!q)
        return q.error();
    QList<StoredRun> out;
    while (q->next())
        out << StoredRun{q->value(0).toString(), q->value(1).toString(), q->value(2).toString(),
                         timeOf(q->value(3)),    timeOf(q->value(4)),    timeOf(q->value(5))};
    return out;
}

Result<void> StoreDb::followRun(const QString &runId, const QString &site)
{
    auto q = exec(QStringLiteral("INSERT INTO followed_runs (run_id, site, since) VALUES (?, ?, ?) "
                                 "ON CONFLICT (run_id) DO UPDATE SET site = CASE WHEN "
                                 "excluded.site = '' THEN site ELSE excluded.site END"),
                  {runId, site, nowText()}, QStringLiteral("cannot follow run %1").arg(runId));
    return q ? Result<void>() : Result<void>(q.error());
}

Result<void> StoreDb::unfollowRun(const QString &runId)
{
    auto q = exec(QStringLiteral("DELETE FROM followed_runs WHERE run_id = ?"), {runId},
                  QStringLiteral("cannot stop following run %1").arg(runId));
    return q ? Result<void>() : Result<void>(q.error());
}

Result<QList<FollowedRun>> StoreDb::followedRuns()
{
    auto q = exec(QStringLiteral("SELECT run_id, site, since FROM followed_runs ORDER BY since, "
                                 "run_id"),
                  {}, QStringLiteral("cannot read the followed runs"));
    if (!q)
        return q.error();
    QList<FollowedRun> out;
    while (q->next())
        out << FollowedRun{q->value(0).toString(), q->value(1).toString(), timeOf(q->value(2))};
    return out;
}

Result<int> StoreDb::recordJobStates(const QString &site, const QList<JobInfo> &jobs,
                                     const QDateTime &observedAt)
{
    int added = 0;
    auto r = transaction(QStringLiteral("cannot record the jobs of %1").arg(site), [&] {
        for (const JobInfo &j : jobs) {
            auto last = exec(QStringLiteral("SELECT state FROM job_states WHERE site = ? AND "
                                            "job_id = ? ORDER BY id DESC LIMIT 1"),
                             {site, j.jobId}, QStringLiteral("cannot read job %1").arg(j.jobId));
            if (!last)
                return Result<void>(last.error());
            if (last->next() && last->value(0).toString() == j.state)
                continue;
            auto q = exec(QStringLiteral("INSERT INTO job_states (site, job_id, run_id, task, "
                                         "state, reason, exit_code, observed_at) "
                                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                          {site, j.jobId, j.runId, j.task, j.state, j.reason, j.exitCode,
                           timeText(observedAt)},
                          QStringLiteral("cannot record job %1").arg(j.jobId));
            if (!q)
                return Result<void>(q.error());
            ++added;
        }
        return Result<void>();
    });
    if (!r)
        return r.error();
    return added;
}

Result<QList<JobStateChange>> StoreDb::jobHistory(const QString &site, const QString &jobId)
{
    auto q = exec(QStringLiteral("SELECT site, job_id, run_id, task, state, reason, exit_code, "
                                 "observed_at FROM job_states WHERE site = ? AND job_id = ? "
                                 "ORDER BY id"),
                  {site, jobId}, QStringLiteral("cannot read the history of job %1").arg(jobId));
    if (!q)
        return q.error();
    QList<JobStateChange> out;
    while (q->next())
        out << JobStateChange{q->value(0).toString(), q->value(1).toString(),
                              q->value(2).toString(), q->value(3).toString(),
                              q->value(4).toString(), q->value(5).toString(),
                              q->value(6).toInt(),    timeOf(q->value(7))};
    return out;
}

Result<int> StoreDb::updateInbox(const QList<CheckpointInfo> &checkpoints)
{
    int changed = 0;
    auto r = transaction(QStringLiteral("cannot update the inbox"), [&] {
        for (const CheckpointInfo &c : checkpoints) {
            const QString status = inboxStatus(c);
            const QVariantList values{c.site,
                                      c.runId,
                                      c.id,
                                      c.task,
                                      c.title,
                                      status,
                                      c.decidedBy,
                                      c.decidedOption,
                                      c.decisionId,
                                      timeText(c.createdAt),
                                      timeText(c.decidedAt),
                                      timeText(c.appliedAt),
                                      nowText(),
                                      nowText()};
            // A new row, or a row whose status moved: nothing else is written,
            // so a refresh that changes nothing writes nothing.
            auto q = exec(
                QStringLiteral("INSERT INTO inbox (site, run_id, checkpoint_id, task, title, "
                               "status, decided_by, option, decision_id, created_at, decided_at, "
                               "applied_at, first_seen, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (site, run_id, checkpoint_id) DO UPDATE SET "
                               "status = excluded.status, decided_by = excluded.decided_by, "
                               "option = excluded.option, decision_id = excluded.decision_id, "
                               "decided_at = excluded.decided_at, "
                               "applied_at = excluded.applied_at, "
                               "updated_at = excluded.updated_at "
                               "WHERE inbox.status IS NOT excluded.status"),
                values, QStringLiteral("cannot record checkpoint %1").arg(c.key()));
            if (!q)
                return Result<void>(q.error());
            changed += q->numRowsAffected() > 0 ? 1 : 0;
        }
        return Result<void>();
    });
    if (!r)
        return r.error();
    return changed;
}

Result<void> StoreDb::setRead(const QString &site, const QString &runId,
                              const QString &checkpointId, bool read)
{
    const QString what =
        QStringLiteral("cannot mark checkpoint %1/%2/%3").arg(site, runId, checkpointId);
    auto q = exec(QStringLiteral("UPDATE inbox SET is_read = ? WHERE site = ? AND run_id = ? AND "
                                 "checkpoint_id = ?"),
                  {read ? 1 : 0, site, runId, checkpointId}, what);
    if (!q)
        return q.error();
    if (q->numRowsAffected() == 0)
        return error(what, QStringLiteral("not in the inbox"), Error::Kind::NotFound);
    return {};
}

Result<QList<InboxEntry>> StoreDb::inbox()
{
    auto q = exec(QStringLiteral("SELECT site, run_id, checkpoint_id, task, title, status, "
                                 "is_read, decided_by, option, decision_id, created_at, "
                                 "decided_at, applied_at, updated_at FROM inbox "
                                 "ORDER BY first_seen, site, run_id, checkpoint_id"),
                  {}, QStringLiteral("cannot read the inbox"));
    if (!q)
        return q.error();
    QList<InboxEntry> out;
    while (q->next()) {
        InboxEntry e;
        e.site = q->value(0).toString();
        e.runId = q->value(1).toString();
        e.checkpointId = q->value(2).toString();
        e.task = q->value(3).toString();
        e.title = q->value(4).toString();
        e.status = q->value(5).toString();
        e.read = q->value(6).toInt() != 0;
        e.decidedBy = q->value(7).toString();
        e.option = q->value(8).toString();
        e.decisionId = q->value(9).toString();
        e.createdAt = timeOf(q->value(10));
        e.decidedAt = timeOf(q->value(11));
        e.appliedAt = timeOf(q->value(12));
        e.updatedAt = timeOf(q->value(13));
        out << e;
    }
    return out;
}

} // namespace vigil
