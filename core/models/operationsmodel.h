// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Long operations under way (a data input moved between sites...), each with
// its progress and a way to cancel it. Rows come and go one by one; the
// owner (EngineHost) adds a row when an operation begins, updates it as it
// goes and removes it when it ends. See docs/desktop.md, "Long operations".

#include <QAbstractListModel>
#include <QDateTime>
#include <functional>

namespace vigil {

struct Operation
{
    quint64 id = 0; // given by OperationsModel::add()
    QString site;
    QString run;
    QString title; // "Moving detections.json field -> cluster"
    qint64 bytesDone = 0;
    qint64 bytesTotal = -1; // -1: unknown
    QDateTime started;
    std::function<void()> cancel; // empty: cannot be cancelled

    // 0..100, or -1 while the total is unknown.
    int percent() const;
};

class OperationsModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1, // quint64
        SiteRole,
        RunRole,
        TitleRole,
        BytesDoneRole,  // qint64
        BytesTotalRole, // qint64, -1 unknown
        PercentRole,    // int, -1 unknown
        StartedRole,    // QDateTime
        CancellableRole,
    };
    Q_ENUM(Role)

    explicit OperationsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Appends a row; returns its id (`operation.id` is ignored). `started`
    // defaults to now.
    quint64 add(Operation operation);
    void setProgress(quint64 id, qint64 bytesDone, qint64 bytesTotal);
    void remove(quint64 id);
    // Calls the row's cancel function (the row stays until its owner removes
    // it). False: no such row, or it cannot be cancelled.
    bool cancel(quint64 id);

    int rowOf(quint64 id) const; // -1: none
    const Operation &at(int row) const { return m_rows.at(row); }

    // "45 %", or "12.3 MB" while the total is unknown.
    static QString progressText(const Operation &operation);

private:
    QList<Operation> m_rows;
    quint64 m_nextId = 1;
};

} // namespace vigil
