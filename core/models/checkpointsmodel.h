// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runs/runinfo.h"
#include "statefmt.h"

#include <QAbstractTableModel>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <optional>

namespace vigil {

// The inbox: every checkpoint of every run, keyed by CheckpointInfo::key(),
// pending ones first, newest first. setCheckpoints() replaces one site's
// checkpoints with a diff (dataChanged, rowsMoved when a checkpoint leaves the
// pending group, rowsInserted, rowsRemoved); the model is never reset.
// The relative times ("in 12 min") are refreshed by a timer.
class CheckpointsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Title, Status, Run, Task, Site, Created, Deadline, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        KeyRole = Qt::UserRole + 1,
        TitleRole,
        SiteRole,
        RunRole,
        TaskRole,
        JobIdRole,
        StatusRole, // int(CheckpointInfo::Status)
        IsPendingRole,
        CreatedRole,  // QDateTime
        DeadlineRole, // QDateTime, invalid: none
        DecidedByRole,
        DecidedOptionRole,
        DecidedAtRole,
        SortRole,
    };
    Q_ENUM(Role)

    explicit CheckpointsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Replaces the checkpoints of `site` (their site field is overwritten with it).
    // readOnly: the site is a review bundle; its pending checkpoints are
    // shown but wait for nobody (not in pendingCount(), firstPendingKey()).
    void setCheckpoints(const QString &site, const QList<CheckpointInfo> &checkpoints,
                        bool readOnly = false);
    // Pending, on a site where it can be decided.
    bool waits(const CheckpointInfo &c) const;
    void removeSite(const QString &site);

    const CheckpointInfo &checkpointAt(int row) const { return m_rows.at(row); }
    std::optional<CheckpointInfo> checkpoint(const QString &key) const;
    int rowOf(const QString &key) const;
    int pendingCount() const;
    // The newest pending checkpoint of a task of a run; empty when none.
    QString firstPendingKey(const QString &runId, const QString &task) const;

    void setClock(Clock clock);
    // How often the relative times are refreshed; 0 stops the timer.
    void setTickInterval(int msec);

    // Inbox order: pending first, then newest first, then by key.
    static bool lessThan(const CheckpointInfo &a, const CheckpointInfo &b);
    static bool sameCheckpoint(const CheckpointInfo &a, const CheckpointInfo &b);

Q_SIGNALS:
    void pendingCountChanged(int count);

private:
    int placeRow(int row);
    int insertPosition(const CheckpointInfo &c) const;
    void tick();

    QList<CheckpointInfo> m_rows;
    Clock m_clock = systemClock();
    QTimer m_tick;
    int m_pending = 0;
    QSet<QString> m_readOnlySites; // review bundles (setCheckpoints)
};

// The inbox view: only pending checkpoints unless showAll; keeps the model's order.
class PendingCheckpointsProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit PendingCheckpointsProxy(QObject *parent = nullptr);
    bool showAll() const { return m_showAll; }
    void setShowAll(bool all);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool m_showAll = false;
};

QString checkpointStatusText(CheckpointInfo::Status status);

} // namespace vigil
