// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The outbox and audit of a store file that another process (vigilctl) owns,
// read without taking part: a read-only SQLite connection of the test's own.

#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QUuid>

namespace vigil::test {

struct OutboxRow
{
    QString decisionId;
    QString state;
    int attempts = -1;
    QString lastError;
};

class ReadOnlyStore
{
public:
    explicit ReadOnlyStore(const QString &path)
        : m_name(QUuid::createUuid().toString(QUuid::Id128)),
          m_db(QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name))
    {
        m_db.setDatabaseName(path);
        m_db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        m_db.open();
    }
    ~ReadOnlyStore()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    QList<OutboxRow> outbox()
    {
        QList<OutboxRow> rows;
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral(
                "SELECT decision_id, state, attempts, last_error FROM outbox ORDER BY rowid")))
            return rows;
        while (q.next())
            rows << OutboxRow{q.value(0).toString(), q.value(1).toString(), q.value(2).toInt(),
                              q.value(3).toString()};
        return rows;
    }
    QStringList auditIds()
    {
        QStringList ids;
        QSqlQuery q(m_db);
        if (q.exec(QStringLiteral("SELECT decision_id FROM audit ORDER BY id")))
            while (q.next())
                ids << q.value(0).toString();
        return ids;
    }

private:
    QString m_name;
    QSqlDatabase m_db;
};

} // namespace vigil::test
