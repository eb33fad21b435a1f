// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The rows of JobsModel and the order it shows them in: pure functions, no
// signals (core/models/jobsmodel.cpp puts them together).

#include "sites/jobinfo.h"

#include <QHash>
#include <QString>
#include <optional>
#include <vector>

namespace vigil::jobrows {

// One job as the model keeps it.
struct Row
{
    JobInfo job;
    qint64 reportedAt = 0; // when its times were reported (ms since the epoch)
    quint64 seq = 0;       // arrival order: the order of an unsorted view
    bool ticking = false;  // a running job: its times move with the clock
    bool visible = false;  // passes the filter: in the view's order
    int viewRow = -1;      // its row in the view's order, when the model's numbering is fresh
    quint32 seen = 0;      // the last update that reported it
    quint64 idKey = 0;     // RowIndex::keyOf(job.jobId)
    qsizetype reportAt[2] = {-1, -1}; // its place in the last two reports (RowIndex)
    // Marks of one update.
    bool fresh = false;    // arrived in this update
    bool leaving = false;  // leaves its place in the view (gone, filtered out, or moved)
    bool entering = false; // takes a new place in the view (arrived, filtered in, or moved)
    bool gone = false;     // no longer reported
};

// A job whose elapsed time and time left move with the clock between two
// reports (the scheduler's own clock: RUNNING only).
bool ticking(const JobInfo &j);
// A row's elapsed time and time left at `nowMs`: the clock's reckoning from
// the last report for a running job, else as reported.
qint64 elapsedAt(const Row &r, qint64 nowMs);
qint64 timeLeftAt(const Row &r, qint64 nowMs);

// Every field but the site, the job id and the two times is the same (the
// rows compared were found by their id). No copy: a refresh compares 100,000
// jobs.
bool sameFields(const JobInfo &a, const JobInfo &b);
// `reported` (at nowMs) has the times of `old` (reported at oldMs, running)
// as the clock moved them on, within squeue's rounding.
bool timesFollowClock(const JobInfo &old, qint64 oldMs, const JobInfo &reported, qint64 nowMs);

// Job ids compare as numbers where they are ("9" before "10", "12_3" as 12.3).
struct JobIdKey
{
    bool numeric = false;
    qint64 main = 0;
    qint64 sub = 0;
};
JobIdKey jobIdKey(const QString &id);

// The view's order: a column and a direction, or arrival order (column -1).
// Rows whose keys are equal keep their arrival order, in either direction.
struct Order
{
    int column = -1;
    bool descending = false;

    // Whether `a` comes before `b` at `nowMs` (a strict total order).
    bool before(const Row &a, const Row &b, qint64 nowMs) const;
    // Whether a job's place in this order may move when it changes from
    // `old` (ticking or not) to `now`: its key column changed, or its times
    // stopped or started following the clock.
    bool keyMoves(const QList<int> &changedColumns, bool wasTicking, bool isTicking) const;
};

// The jobs of one site by id. Ids that are numbers ("123", "123_4": nearly
// all of them) are kept as integers: a string key costs a pointer chase and
// a string compare per probe, and a refresh looks up 100,000 of them
// (bench/jobsbench.cpp). Other ids ("123_[5-9]") by string.
//
// A refresh's reports are looked up in their order (beginReport, findNext,
// reported, endReport): squeue lists jobs in the same order each time, so
// the row after the last one found is tried first, and most reports cost no
// hash probe.
class RowIndex
{
public:
    // A number for each id that is one ("N", "N_M"; not "0N"), never 0; 0
    // for ids kept as strings.
    static quint64 keyOf(QStringView id);

    Row *find(const QString &id) const { return find(id, keyOf(id)); }
    void insert(Row *row); // by row->job.jobId and row->idKey
    void remove(const Row *row);
    qsizetype size() const { return m_numbers.size() + m_others.size(); }
    template <typename F> void forEach(F f) const
    {
        for (Row *r : m_numbers)
            f(r);
        for (Row *r : m_others)
            f(r);
    }

    void beginReport(qsizetype size);
    Row *findNext(const QString &id, quint64 key);
    void reported(Row *row); // its place in this report
    void endReport();

private:
    Row *find(const QString &id, quint64 key) const;

    QHash<quint64, Row *> m_numbers;
    QHash<QString, Row *> m_others;
    // The rows of the last report and of this one, in their order; Row::reportAt[m_last]
    // is a row's place in the last one.
    std::vector<Row *> m_lastReport, m_report;
    int m_last = 0;
    std::size_t m_cursor = 0;
};

} // namespace vigil::jobrows
