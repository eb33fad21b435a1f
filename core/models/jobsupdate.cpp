// SPDX-License-Identifier: GPL-3.0-or-later
// JobsModel::setJobs: one site's refresh applied as a diff.
#include "jobsmodel.h"

#include <QSet>
#include <algorithm>

namespace vigil {

using jobrows::Row;

namespace {

// The columns whose shown value differs between two versions of a job. A
// job that starts or stops running changes its times as shown even when the
// reported ones are equal (they stop or start following the clock).
QList<int> changedColumns(const JobInfo &a, const JobInfo &b)
{
    QList<int> cols;
    if (a.name != b.name)
        cols << JobsModel::Name;
    if (a.runId != b.runId)
        cols << JobsModel::Run;
    if (a.task != b.task)
        cols << JobsModel::Task;
    if (a.state != b.state || a.exitCode != b.exitCode)
        cols << JobsModel::State;
    if (a.reason != b.reason)
        cols << JobsModel::Reason;
    const bool tickingChanged = jobrows::ticking(a) != jobrows::ticking(b);
    if (a.elapsedSeconds != b.elapsedSeconds || tickingChanged)
        cols << JobsModel::Elapsed;
    if (a.timeLeftSeconds != b.timeLeftSeconds ||
        (tickingChanged && (a.timeLeftSeconds >= 0 || b.timeLeftSeconds >= 0)))
        cols << JobsModel::TimeLeft;
    return cols;
}

} // namespace

void JobsModel::setJobs(const QString &site, const QList<JobInfo> &incoming)
{
    const qint64 nowMs = m_clock().toMSecsSinceEpoch();
    if (++m_update == 0) // 0 is "never seen"
        ++m_update;
    const quint32 stamp = m_update;
    if (!m_numbered)
        renumber();
    jobrows::RowIndex &known = m_bySite[site];
    known.beginReport(incoming.size());

    // 1. Each report against its row: one hash probe per job, nothing copied
    // unless it changed (a refresh may list 100,000 jobs: bench/jobsbench.cpp).
    // A duplicate id keeps its last report.
    std::vector<Row *> fresh, entering;
    int top = -1, bottom = -1, left = ColumnCount, right = -1;
    bool namesMayChange = false;
    for (const JobInfo &reported : incoming) {
        const quint64 key = jobrows::RowIndex::keyOf(reported.jobId);
        Row *row = known.findNext(reported.jobId, key);
        if (!row) {
            auto owned = std::make_unique<Row>();
            row = owned.get();
            row->seq = m_nextSeq++;
            row->fresh = true;
            row->idKey = key;
            row->job.jobId = reported.jobId;
            known.insert(row);
            m_rows.push_back(std::move(owned));
            fresh.push_back(row);
        }
        known.reported(row);
        if (row->fresh) {
            row->job = reported;
            row->job.site = site;
            row->reportedAt = nowMs;
            // A report may name a job twice: the last one counts, once.
            const bool wasTicking = row->ticking;
            row->ticking = jobrows::ticking(row->job);
            m_tickingRows += int(row->ticking) - int(wasTicking);
            row->seen = stamp;
            continue;
        }
        row->seen = stamp;
        JobInfo &old = row->job;
        if (jobrows::sameFields(old, reported) &&
            ((old.elapsedSeconds == reported.elapsedSeconds &&
              old.timeLeftSeconds == reported.timeLeftSeconds) ||
             jobrows::timesFollowClock(old, row->reportedAt, reported, nowMs)))
            continue; // shown as the clock moves it (elapsedAt, timeLeftAt)
        JobInfo now = reported;
        now.site = site;
        const QList<int> cols = changedColumns(old, now);
        namesMayChange |= old.runId != now.runId;
        const bool wasTicking = row->ticking;
        old = std::move(now);
        row->reportedAt = nowMs;
        row->ticking = jobrows::ticking(old);
        m_tickingRows += int(row->ticking) - int(wasTicking);

        // In place, or to another place: its key moved, or the filter took it in or out.
        const bool accepted = accepts(*row, nowMs);
        const bool moves = row->visible && m_order.keyMoves(cols, wasTicking, row->ticking);
        if (row->visible && (!accepted || moves))
            row->leaving = true;
        if (accepted && (!row->visible || moves) && !row->entering) {
            row->entering = true;
            entering.push_back(row);
        }
        if (row->visible && accepted && !moves) {
            top = top < 0 ? row->viewRow : std::min(top, row->viewRow);
            bottom = std::max(bottom, row->viewRow);
            // A field no column shows (partition): roles only, every column.
            left = std::min(left, cols.isEmpty() ? 0 : cols.first());
            right = std::max(right, cols.isEmpty() ? int(ColumnCount) - 1 : cols.last());
        }
    }

    // 2. Gone: the rows of this site no report named.
    std::vector<Row *> gone;
    known.forEach([&gone, stamp](Row *r) {
        if (r->seen != stamp)
            gone.push_back(r);
    });
    for (Row *r : gone) {
        r->gone = true;
        m_tickingRows -= r->ticking ? 1 : 0;
        r->leaving = r->visible;
        known.remove(r);
    }
    known.endReport();
    for (Row *r : fresh) {
        r->fresh = false;
        if (accepts(*r, nowMs)) {
            r->entering = true;
            entering.push_back(r);
        }
    }

    // 3. Signals: what changed in place (at the places of now), then the rows
    // that leave and enter their places.
    if (top >= 0)
        Q_EMIT dataChanged(index(top, left), index(bottom, right));
    std::sort(entering.begin(), entering.end(),
              [this, nowMs](const Row *a, const Row *b) { return m_order.before(*a, *b, nowMs); });
    moveRows(std::move(entering), nowMs);
    if (!gone.empty()) {
        std::erase_if(m_rows, [](const std::unique_ptr<Row> &r) { return r->gone; });
        namesMayChange = true;
    }
    if (known.size() == 0)
        m_bySite.remove(site);
    if (namesMayChange || !fresh.empty())
        updateNames();
}

// The sites and runs present, for the filter boxes: said when they change.
void JobsModel::updateNames()
{
    // Neighbouring rows mostly share their site and run: those are compared,
    // not hashed again (100,000 rows after a refresh that added or removed one).
    QSet<QString> sites, runs;
    const QString *lastSite = nullptr, *lastRun = nullptr;
    for (const auto &row : m_rows) {
        const JobInfo &j = row->job;
        if (!lastSite || j.site != *lastSite) {
            sites.insert(j.site);
            lastSite = &j.site;
        }
        if (!j.runId.isEmpty() && (!lastRun || j.runId != *lastRun)) {
            runs.insert(j.runId);
            lastRun = &j.runId;
        }
    }
    QStringList siteNames(sites.cbegin(), sites.cend());
    QStringList runIds(runs.cbegin(), runs.cend());
    siteNames.sort();
    runIds.sort();
    if (siteNames == m_siteNames && runIds == m_runIds)
        return;
    m_siteNames = siteNames;
    m_runIds = runIds;
    Q_EMIT namesChanged();
}

void JobsModel::removeSite(const QString &site)
{
    setJobs(site, {});
}

} // namespace vigil
