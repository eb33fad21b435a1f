// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jobrows.h"
#include "sites/jobinfo.h"
#include "statefmt.h"

#include <QAbstractTableModel>
#include <QHash>
#include <functional>
#include <memory>
#include <vector>

namespace vigil {

// Every scheduler job of every site, keyed by (site, job id), shown sorted
// and filtered: the model is the Jobs dock's view order itself, with no
// proxy between it and the table.
//
// setJobs() replaces one site's jobs with a diff: one dataChanged spans the
// rows and columns that changed in place; jobs that left the queue or
// arrived, or that the filter took out or in, are removed and inserted where
// they belong. Up to kMaxRowBlocks such blocks are sent as rowsRemoved and
// rowsInserted. More blocks, or a job that moves (its sort key changed), go
// as one layout change that keeps every persistent index (selection,
// current row) on its job. The reason is measured (bench/jobsbench.cpp,
// docs/performance.md): a table view spends time in proportion to all its
// rows on each rowsRemoved, so 100 departures spread over 100,000 rows cost
// it 40 ms one by one, and a sorting proxy as much again. The model is never
// reset.
//
// A running job whose elapsed time and time left moved only as the clock did
// (within 2 s) has not changed: the model shows them as the clock moves them
// on from the last report (elapsedAt, timeLeftAt), so a refresh where nothing
// but time passed sends no signal; a view redraws to follow the clock
// (JobsPanel).
class JobsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Site, JobId, Name, Run, Task, State, Reason, Elapsed, TimeLeft, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        StateRole = Qt::UserRole + 1, // raw scheduler state ("RUNNING")
        StateClassRole,               // int(vigil::StateClass)
        SortRole,                     // seconds for durations, numbers for ids, else text
        SiteRole,
        JobIdRole,
        RunRole,
        TaskRole,
        ExitCodeRole,
    };
    Q_ENUM(Role)

    enum class StateFilter { All, Active, Finished };
    Q_ENUM(StateFilter)

    // Up to this many blocks of rows removed and inserted by one update are
    // sent row signal by row signal; more go as one layout change.
    static constexpr int kMaxRowBlocks = 8;

    explicit JobsModel(QObject *parent = nullptr);
    ~JobsModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    // Column -1: the order the jobs arrived in. Rows with equal keys keep
    // their arrival order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // Replaces the jobs of `site` (each job's own site field is overwritten with it).
    void setJobs(const QString &site, const QList<JobInfo> &jobs);
    void removeSite(const QString &site);

    // Filters: which jobs are rows. Empty site/run: every site/run. The text
    // matches any column's shown text, case-insensitively.
    StateFilter stateFilter() const { return m_stateFilter; }
    void setStateFilter(StateFilter filter);
    QString siteFilter() const { return m_siteFilter; }
    void setSiteFilter(const QString &site);
    QString runFilter() const { return m_runFilter; }
    void setRunFilter(const QString &runId);
    QString filterText() const { return m_text; }
    void setFilterText(const QString &text);
    int sortColumn() const { return m_order.column; }
    Qt::SortOrder sortOrder() const
    {
        return m_order.descending ? Qt::DescendingOrder : Qt::AscendingOrder;
    }

    // The job of a row as last reported (its elapsed time and time left as of then).
    const JobInfo &job(int row) const { return m_view.at(std::size_t(row))->job; }
    // A row's elapsed time and time left at `nowMs` (ms since the epoch),
    // the clock's reckoning from the last report for a running job.
    qint64 elapsedAt(int row, qint64 nowMs) const;
    qint64 timeLeftAt(int row, qint64 nowMs) const;
    bool hasTickingRows() const; // a running job: its times move with the clock
    void setClock(Clock clock);
    // The row of a job; -1 when unknown or filtered out.
    int rowOf(const QString &site, const QString &jobId) const;
    // Every job, filtered out or not, in the order they arrived.
    QList<JobInfo> jobs() const;
    QStringList siteNames() const { return m_siteNames; } // sorted
    QStringList runIds() const { return m_runIds; }       // sorted

Q_SIGNALS:
    // The set of sites or runs present changed (for filter combo boxes).
    void namesChanged();

private:
    using Row = jobrows::Row;

    bool accepts(const Row &row, qint64 nowMs) const;
    QString shownText(const Row &row, int column, qint64 nowMs) const;
    // Shows the rows that pass the filter in the current order: one layout change.
    void refilter();
    // Replaces the view's order with `order` (the rows in it marked visible,
    // the others not) as one layout change; persistent indexes follow their rows.
    void relayout(std::vector<Row *> order);
    // Applies the marks of an update: rows `leaving` their place and rows
    // `entering` theirs (`entering`: sorted, visible). Row signals or one
    // layout change, whichever is cheaper for a view.
    void moveRows(std::vector<Row *> entering, qint64 nowMs);
    void renumber() const;
    void updateNames();

    // Every row, in arrival order.
    std::vector<std::unique_ptr<Row>> m_rows;
    qsizetype m_tickingRows = 0; // rows whose ticking is true: asked once a second
    // The rows that pass the filter, in the view's order.
    std::vector<Row *> m_view;
    mutable bool m_numbered = true; // every visible Row::viewRow is its index in m_view
    QHash<QString, jobrows::RowIndex> m_bySite;
    quint64 m_nextSeq = 0;
    quint32 m_update = 0;
    jobrows::Order m_order;
    StateFilter m_stateFilter = StateFilter::All;
    QString m_siteFilter;
    QString m_runFilter;
    QString m_text;
    Clock m_clock = systemClock();
    QStringList m_siteNames;
    QStringList m_runIds;
};

} // namespace vigil
