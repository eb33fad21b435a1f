// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// For the store's tests: the version-1 schema as released, and a plain
// SQLite connection of the test's own, as another program would open the file.

#include <QCryptographicHash>
#include <QDebug>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace vigil::test {

// The schema of version 1, as released: a test of the upgrade path must not
// follow later edits of the migrations.
inline const char *const kVersion1[] = {
    "CREATE TABLE sites (name TEXT PRIMARY KEY, kind TEXT NOT NULL, address TEXT NOT NULL "
    "DEFAULT '', first_seen TEXT NOT NULL, last_seen TEXT NOT NULL)",
    "CREATE TABLE runs (site TEXT NOT NULL, run_id TEXT NOT NULL, workflow TEXT NOT NULL DEFAULT "
    "'', created_at TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, PRIMARY KEY (site, "
    "run_id))",
    "CREATE TABLE job_states (id INTEGER PRIMARY KEY AUTOINCREMENT, site TEXT NOT NULL, job_id "
    "TEXT NOT NULL, run_id TEXT NOT NULL DEFAULT '', task TEXT NOT NULL DEFAULT '', state TEXT NOT "
    "NULL, reason TEXT NOT NULL DEFAULT '', exit_code INTEGER NOT NULL DEFAULT -1, observed_at "
    "TEXT NOT NULL)",
    "CREATE TABLE inbox (site TEXT NOT NULL, run_id TEXT NOT NULL, checkpoint_id TEXT NOT NULL, "
    "task TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, is_read "
    "INTEGER NOT NULL DEFAULT 0, decided_by TEXT NOT NULL DEFAULT '', option TEXT NOT NULL "
    "DEFAULT '', decision_id TEXT NOT NULL DEFAULT '', created_at TEXT, decided_at TEXT, "
    "applied_at TEXT, first_seen TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (site, "
    "run_id, checkpoint_id))",
    "CREATE TABLE outbox (decision_id TEXT PRIMARY KEY, site TEXT NOT NULL, run_id TEXT NOT NULL, "
    "checkpoint_id TEXT NOT NULL, nonce TEXT NOT NULL DEFAULT '', option TEXT NOT NULL, params "
    "TEXT NOT NULL DEFAULT '{}', comment TEXT NOT NULL DEFAULT '', decided_by TEXT NOT NULL, "
    "client_host TEXT NOT NULL, evidence_sha256 TEXT NOT NULL DEFAULT '', decided_at TEXT NOT "
    "NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL "
    "DEFAULT '', updated_at TEXT NOT NULL)",
    "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, decision_id TEXT NOT NULL UNIQUE, "
    "site TEXT NOT NULL, run_id TEXT NOT NULL, checkpoint_id TEXT NOT NULL, option TEXT NOT NULL, "
    "params TEXT NOT NULL, comment TEXT NOT NULL, decided_by TEXT NOT NULL, client_host TEXT NOT "
    "NULL, evidence_sha256 TEXT NOT NULL, decided_at TEXT NOT NULL, confirmed_at TEXT NOT NULL)",
};

// A plain connection of the test's own, as another program would open the file.
class RawDb
{
public:
    explicit RawDb(const QString &path)
        : m_name(QUuid::createUuid().toString(QUuid::Id128)),
          m_db(QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name))
    {
        m_db.setDatabaseName(path);
        m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        m_db.open();
    }
    ~RawDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool exec(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql))
            qWarning().noquote() << sql << q.lastError().text();
        return q.isActive();
    }
    QVariant value(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }

private:
    QString m_name;
    QSqlDatabase m_db;
};

inline QByteArray sha(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

} // namespace vigil::test
