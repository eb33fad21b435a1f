// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobrows.h"

#include "jobsmodel.h"

#include <algorithm>
#include <utility>

namespace vigil::jobrows {

namespace {

// How far the scheduler's rounding may take a report from the clock's
// reckoning before it counts as a change (squeue prints whole seconds).
constexpr qint64 kSlackSeconds = 2;

template <typename T> int threeWay(const T &a, const T &b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

QStringView shownReason(const JobInfo &j)
{
    return j.reason == QLatin1String("None") ? QStringView() : QStringView(j.reason);
}

int compareIds(const QString &a, const QString &b)
{
    const JobIdKey ka = jobIdKey(a), kb = jobIdKey(b);
    if (ka.numeric != kb.numeric)
        return ka.numeric ? -1 : 1; // numbers first
    if (!ka.numeric)
        return a.compare(b);
    if (const int c = threeWay(ka.main, kb.main))
        return c;
    return threeWay(ka.sub, kb.sub);
}

// The key of `column` of `a` against that of `b`: <0, 0, >0.
int compareKeys(int column, const Row &a, const Row &b, qint64 nowMs)
{
    const JobInfo &x = a.job, &y = b.job;
    switch (column) {
    case JobsModel::Site:
        return x.site.compare(y.site);
    case JobsModel::JobId:
        return compareIds(x.jobId, y.jobId);
    case JobsModel::Name:
        return x.name.compare(y.name);
    case JobsModel::Run:
        return x.runId.compare(y.runId);
    case JobsModel::Task:
        return x.task.compare(y.task);
    case JobsModel::State:
        return threeWay(int(classifyJob(x)), int(classifyJob(y)));
    case JobsModel::Reason:
        return shownReason(x).compare(shownReason(y));
    case JobsModel::Elapsed:
        return threeWay(elapsedAt(a, nowMs), elapsedAt(b, nowMs));
    case JobsModel::TimeLeft:
        return threeWay(timeLeftAt(a, nowMs), timeLeftAt(b, nowMs));
    }
    return 0;
}

} // namespace

bool ticking(const JobInfo &j)
{
    return j.state == QLatin1String("RUNNING") && j.elapsedSeconds >= 0;
}

qint64 elapsedAt(const Row &r, qint64 nowMs)
{
    if (!r.ticking)
        return r.job.elapsedSeconds;
    return r.job.elapsedSeconds + std::max<qint64>(0, nowMs - r.reportedAt) / 1000;
}

qint64 timeLeftAt(const Row &r, qint64 nowMs)
{
    if (!r.ticking || r.job.timeLeftSeconds < 0)
        return r.job.timeLeftSeconds;
    return std::max<qint64>(0, r.job.timeLeftSeconds -
                                   std::max<qint64>(0, nowMs - r.reportedAt) / 1000);
}

bool sameFields(const JobInfo &a, const JobInfo &b)
{
    // A field added to JobInfo must be compared here.
    static_assert(sizeof(JobInfo) == 10 * sizeof(QString) + 2 * sizeof(qint64) + 2 * sizeof(int) +
                                         2 * sizeof(int), // padding after each int
                  "JobInfo changed: compare its new field in sameFields()");
    // Ints first, then the fields most likely to differ. Not the job id:
    // the rows compared were found by it (RowIndex).
    return a.exitCode == b.exitCode && a.attempt == b.attempt && a.state == b.state &&
           a.reason == b.reason && a.name == b.name && a.runId == b.runId && a.task == b.task &&
           a.partition == b.partition && a.arrayJobId == b.arrayJobId &&
           a.arrayTaskId == b.arrayTaskId;
}

bool timesFollowClock(const JobInfo &old, qint64 oldMs, const JobInfo &reported, qint64 nowMs)
{
    if (!ticking(old) || !ticking(reported))
        return false;
    const qint64 e = old.elapsedSeconds, t = old.timeLeftSeconds;
    const qint64 passed = (nowMs - oldMs) / 1000;
    const bool elapsedFollows = std::abs(reported.elapsedSeconds - (e + passed)) <= kSlackSeconds;
    const bool leftFollows =
        t < 0
            ? reported.timeLeftSeconds == t
            : std::abs(reported.timeLeftSeconds - std::max<qint64>(0, t - passed)) <= kSlackSeconds;
    return elapsedFollows && leftFollows;
}

JobIdKey jobIdKey(const QString &id)
{
    const qsizetype us = id.indexOf(QLatin1Char('_'));
    bool ok = false;
    JobIdKey key;
    key.main = QStringView(id).left(us < 0 ? id.size() : us).toLongLong(&ok);
    if (!ok)
        return {};
    if (us >= 0) {
        key.sub = QStringView(id).mid(us + 1).toLongLong(&ok);
        if (!ok)
            return {};
    }
    key.numeric = true;
    return key;
}

bool Order::before(const Row &a, const Row &b, qint64 nowMs) const
{
    if (column >= 0) {
        if (const int c = compareKeys(column, a, b, nowMs))
            return descending ? c > 0 : c < 0;
    }
    return a.seq < b.seq;
}

bool Order::keyMoves(const QList<int> &changedColumns, bool wasTicking, bool isTicking) const
{
    if (column < 0)
        return false;
    if ((column == JobsModel::Elapsed || column == JobsModel::TimeLeft) && wasTicking != isTicking)
        return true;
    return changedColumns.contains(column);
}

quint64 RowIndex::keyOf(QStringView id)
{
    // "N" and "N_M" (N < 2^38, M < 2^24) as one integer, plus one.
    quint64 main = 0, task = 0;
    bool underscore = false, leadingZero = false;
    int digits = 0;
    for (QChar c : id) {
        if (c == u'_' && !underscore && digits > 0) {
            underscore = true;
            digits = 0;
            continue;
        }
        // "0123" is not "123": a leading zero keeps the id a string.
        if (c < u'0' || c > u'9' || ++digits > 11 || (digits == 2 && leadingZero))
            return 0;
        leadingZero = digits == 1 && c == u'0';
        quint64 &v = underscore ? task : main;
        v = v * 10 + quint64(c.unicode() - u'0');
    }
    if (digits == 0 || (underscore && task >= (1u << 24)) || main >= (quint64(1) << 38))
        return 0;
    return (main << 25 | quint64(underscore) << 24 | task) + 1;
}

Row *RowIndex::find(const QString &id, quint64 key) const
{
    return key ? m_numbers.value(key) : m_others.value(id);
}

void RowIndex::insert(Row *row)
{
    if (row->idKey)
        m_numbers.insert(row->idKey, row);
    else
        m_others.insert(row->job.jobId, row);
}

void RowIndex::remove(const Row *row)
{
    if (row->idKey)
        m_numbers.remove(row->idKey);
    else
        m_others.remove(row->job.jobId);
}

void RowIndex::beginReport(qsizetype size)
{
    if (m_numbers.isEmpty() && m_others.isEmpty())
        m_numbers.reserve(size);
    m_report.clear();
    m_report.reserve(std::size_t(size));
    m_cursor = 0;
}

Row *RowIndex::findNext(const QString &id, quint64 key)
{
    if (key && m_cursor < m_lastReport.size() && m_lastReport[m_cursor]->idKey == key)
        return m_lastReport[m_cursor++];
    Row *row = find(id, key);
    if (row && row->reportAt[m_last] >= 0)
        m_cursor = std::size_t(row->reportAt[m_last]) + 1;
    return row;
}

void RowIndex::reported(Row *row)
{
    row->reportAt[1 - m_last] = qsizetype(m_report.size());
    m_report.push_back(row);
}

void RowIndex::endReport()
{
    // Rows of the last report that this one did not name are gone (and
    // about to be deleted): only this report's rows stay.
    m_lastReport.swap(m_report);
    m_report.clear();
    m_last = 1 - m_last;
}

} // namespace vigil::jobrows
