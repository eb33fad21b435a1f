// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "statefmt.h"
#include "supervisor.h"

#include <QAbstractTableModel>
#include <QTimer>

namespace vigil {

// One row per site: connection, how old its data is, helper version, counts
// and the last error. The "data age" column ticks every second (dataChanged
// for that column only); everything else changes through updateSite()/setSites().
class SitesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Name,
        Kind,
        Connection,
        DataAge,
        Helper,
        ActiveJobs,
        PendingCheckpoints,
        LastError,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        NameRole = Qt::UserRole + 1,
        ConnectionRole,  // int(Transport::State)
        LastRefreshRole, // QDateTime
        DataAgeRole,     // seconds since the last refresh; -1: never
        StaleRole,       // bool: no data for longer than staleAfter()
        HasErrorRole,    // bool
        SortRole,
    };
    Q_ENUM(Role)

    explicit SitesModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Inserts the site or updates the columns that changed.
    void updateSite(const SiteStatus &status);
    // Replaces every site: a diff by name.
    void setSites(const QList<SiteStatus> &statuses);
    void removeSite(const QString &name);

    const SiteStatus &siteAt(int row) const { return m_rows.at(row); }
    int rowOf(const QString &name) const;

    void setClock(Clock clock);
    // Data older than this many seconds is marked stale; 0: never.
    void setStaleAfter(int seconds) { m_staleAfter = seconds; }
    int staleAfter() const { return m_staleAfter; }
    // How often the data age is refreshed; 0 stops the timer.
    void setTickInterval(int msec);

private:
    qint64 ageOf(const SiteStatus &s) const;
    void tick();

    QList<SiteStatus> m_rows;
    Clock m_clock = systemClock();
    QTimer m_tick;
    int m_staleAfter = 0;
};

QString connectionStateText(Transport::State state);

} // namespace vigil
