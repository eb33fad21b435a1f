// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/enginehost.h"
#include "runs/runinfo.h"
#include "statefmt.h"

#include <QAbstractTableModel>
#include <QMap>
#include <QTimer>
#include <optional>

namespace vigil {

// One row per run (by id, whichever sites have its directory): its workflow,
// sites, creation, task and checkpoint counts from the run directories, and
// what the desktop's engine does with it (engine::EngineHost). A run that no
// site lists any more stays while the desktop follows it. A read-only site's
// run (a review bundle's) has a row of its own, never merged into a live run
// of the same id, and is never followed. Updates are incremental: rows
// inserted, removed, or changed (dataChanged), never reset.
class RunsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Run, Workflow, Sites, Created, Tasks, Checkpoints, Engine, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        RunIdRole = Qt::UserRole + 1,
        SiteRole,        // the site to follow it on: where the engine found it, else the first
        FollowedRole,    // bool: this desktop follows it
        EngineStateRole, // int(engine::HostedRun::State), or -1: not followed
        SortRole,
        ReadOnlyRole, // bool: the run of a read-only site (a review bundle), alone on its row
    };
    Q_ENUM(Role)

    explicit RunsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The runs of one site now: rows added, changed, or (when no site and no
    // engine has them any more) removed. `readOnly`: the site is a review
    // bundle; its runs get rows of their own.
    void setRuns(const QString &site, const QList<RunInfo> &runs, bool readOnly = false);
    // What the engine host says of a run (inserted when not listed yet).
    void setHosted(const engine::HostedRun &hosted);
    void removeHosted(const QString &runId);

    // The row of a run: its live row if it has one, else a read-only one.
    int rowOf(const QString &runId) const;
    // The row of a run as `site` has it (a read-only site's own row).
    int rowOf(const QString &runId, const QString &site) const;

    // The clock the engine column counts down with ("again in 4 min"); the
    // rows of runs that wait for another try are redrawn every tick
    // (dataChanged, 30 s by default; 0 stops).
    void setClock(Clock clock);
    void setTickInterval(int msec);

private:
    struct SiteRun
    {
        QString workflow;
        QDateTime createdAt;
        int done = 0, running = 0, failed = 0, total = 0;
        int pending = 0; // checkpoints waiting for a decision
        bool operator==(const SiteRun &) const = default;
    };
    struct Row
    {
        QString runId;
        QString readOnlySite; // set: this read-only site's run, alone on its row
        QMap<QString, SiteRun> sites;
        std::optional<engine::HostedRun> hosted;
    };
    static SiteRun summarise(const RunInfo &run);
    QString engineText(const Row &row) const;
    QString engineTip(const Row &row) const;
    int find(const QString &runId, const QString &readOnlySite) const;
    void changed(int row);
    void removeIfGone(int row);
    void tick();

    QList<Row> m_rows;
    Clock m_clock = systemClock();
    QTimer m_tick;
};

} // namespace vigil
