// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sites/jobinfo.h"
#include "statefmt.h"

#include <QAbstractTableModel>
#include <QHash>
#include <functional>
#include <memory>
#include <vector>

namespace vigil {

// Every scheduler job of every site, one row each, keyed by (site, job id).
// setJobs() replaces one site's jobs with a diff: one dataChanged spans the
// rows and columns that changed, new jobs are inserted, gone jobs are
// removed. A running job whose elapsed time and time left moved only as the
// clock did (within 2 s) has not changed: the model shows them as the clock
// moves them on from the last report (elapsedAt, timeLeftAt), so a refresh
// where nothing but time passed sends no signal; a view redraws to follow
// the clock (JobsPanel). The model is never reset, so selections and scroll positions survive
// a refresh. Rows keep their arrival order; sort with JobsFilterProxy.
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

    explicit JobsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Replaces the jobs of `site` (each job's own site field is overwritten with it).
    void setJobs(const QString &site, const QList<JobInfo> &jobs);
    void removeSite(const QString &site);

    // The job as last reported (its elapsed time and time left as of then).
    const JobInfo &job(int row) const { return m_rows.at(std::size_t(row))->job; }
    // A row's elapsed time and time left at `nowMs` (ms since the epoch),
    // the clock's reckoning from the last report for a running job.
    qint64 elapsedAt(int row, qint64 nowMs) const;
    qint64 timeLeftAt(int row, qint64 nowMs) const;
    bool hasTickingRows() const; // a running job: its times move with the clock
    void setClock(Clock clock);
    // -1 when unknown.
    int rowOf(const QString &site, const QString &jobId) const;
    QList<JobInfo> jobs() const;
    QStringList siteNames() const { return m_siteNames; } // sorted
    QStringList runIds() const { return m_runIds; }       // sorted

Q_SIGNALS:
    // The set of sites or runs present changed (for filter combo boxes).
    void namesChanged();

private:
    static QString keyOf(const QString &site, const QString &jobId);
    void removeRows(const QList<bool> &gone);
    void updateNames();

    struct Row
    {
        JobInfo job;
        qint64 reportedAt = 0; // when its times were reported (ms since the epoch)
    };
    // Rows by pointer: a job that leaves the queue moves the pointers below
    // it, not the jobs (100 departures spread over 100,000 rows moved 1.4 GB
    // of JobInfo a cycle: bench/jobsbench.cpp).
    std::vector<std::unique_ptr<Row>> m_rows;
    Clock m_clock = systemClock();
    QStringList m_siteNames;
    QStringList m_runIds;
    mutable QHash<QString, int> m_index; // key -> row, when m_indexValid
    mutable bool m_indexValid = false;
};

} // namespace vigil
