// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobsmodel.h"

#include "statefmt.h"

#include <QSet>
#include <algorithm>
#include <utility>

namespace vigil {

namespace {

// The columns whose shown value differs between two versions of a job.
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
    if (a.elapsedSeconds != b.elapsedSeconds)
        cols << JobsModel::Elapsed;
    if (a.timeLeftSeconds != b.timeLeftSeconds)
        cols << JobsModel::TimeLeft;
    return cols;
}

// `old` (of `site`) and `reported` are the same whatever site `reported` says
// (sites report jobs without it). No copy of `reported`: a cycle compares
// 100,000 of them. `old` is only compared (its site is put back).
bool sameAsReported(JobInfo &old, const JobInfo &reported)
{
    if (old.site == reported.site)
        return old == reported;
    QString site = std::exchange(old.site, reported.site);
    const bool same = old == reported;
    old.site = std::move(site);
    return same;
}

// A job whose elapsed time and time left move with the clock between two
// reports (the scheduler's own clock: RUNNING only).
bool ticking(const JobInfo &j)
{
    return j.state == QLatin1String("RUNNING") && j.elapsedSeconds >= 0;
}

// How far the scheduler's rounding may take a report from the clock's
// reckoning before it counts as a change (squeue prints whole seconds).
constexpr qint64 kSlackSeconds = 2;

// `reported` (at nowMs) is `old` (reported at oldMs) as time alone moved it
// on: the same fields, and a running job's elapsed time and time left where
// the clock puts them. `old` is only compared (its two times are put back).
bool sameButTime(JobInfo &old, qint64 oldMs, const JobInfo &reported, qint64 nowMs)
{
    if (!ticking(old) || !ticking(reported))
        return false;
    const qint64 e = old.elapsedSeconds, t = old.timeLeftSeconds;
    old.elapsedSeconds = reported.elapsedSeconds;
    old.timeLeftSeconds = reported.timeLeftSeconds;
    const bool sameFields = sameAsReported(old, reported);
    old.elapsedSeconds = e;
    old.timeLeftSeconds = t;
    if (!sameFields)
        return false;
    const qint64 passed = (nowMs - oldMs) / 1000;
    const bool elapsedFollows = std::abs(reported.elapsedSeconds - (e + passed)) <= kSlackSeconds;
    const bool leftFollows =
        t < 0
            ? reported.timeLeftSeconds == t
            : std::abs(reported.timeLeftSeconds - std::max<qint64>(0, t - passed)) <= kSlackSeconds;
    return elapsedFollows && leftFollows;
}

// The reports of one cycle by job id. Ids that are numbers ("123",
// "123_4": nearly all of them) are kept as integers: a string key costs a
// pointer chase and a string compare per probe, and a cycle looks up 100,000
// of them (bench/jobsbench.cpp). Other ids ("123_[5-9]") by string.
class ReportIndex
{
public:
    explicit ReportIndex(qsizetype size) { m_numbers.reserve(size); }

    // Maps `id` to `at`; returns the index it had before, or -1. One probe:
    // the maps hold index + 1, so 0 (what operator[] makes) means none.
    qsizetype insert(const QString &id, qsizetype at)
    {
        const std::optional<quint64> n = numeric(id);
        qsizetype &slot = n ? m_numbers[*n] : m_others[id];
        return std::exchange(slot, at + 1) - 1;
    }
    qsizetype find(const QString &id) const
    {
        const std::optional<quint64> n = numeric(id);
        return (n ? m_numbers.value(*n) : m_others.value(id)) - 1;
    }

private:
    // "N" and "N_M" (N < 2^38, M < 2^24) as one integer; else none.
    static std::optional<quint64> numeric(QStringView id)
    {
        quint64 main = 0, task = 0;
        bool underscore = false;
        int digits = 0;
        for (QChar c : id) {
            if (c == u'_' && !underscore && digits > 0) {
                underscore = true;
                digits = 0;
                continue;
            }
            if (c < u'0' || c > u'9' || ++digits > 11)
                return std::nullopt;
            quint64 &v = underscore ? task : main;
            v = v * 10 + quint64(c.unicode() - u'0');
        }
        if (digits == 0 || (underscore && task >= (1u << 24)) || main >= (quint64(1) << 38))
            return std::nullopt;
        return main << 25 | quint64(underscore) << 24 | task;
    }

    QHash<quint64, qsizetype> m_numbers;
    QHash<QString, qsizetype> m_others;
};

// Job ids sort numerically where they are numbers ("9" before "10", "12_3" as 12.3).
QVariant jobIdSortKey(const QString &id)
{
    const qsizetype us = id.indexOf(QLatin1Char('_'));
    bool ok = false;
    const qlonglong main = (us < 0 ? id : id.left(us)).toLongLong(&ok);
    if (!ok)
        return id;
    qlonglong sub = 0;
    if (us >= 0)
        sub = id.mid(us + 1).toLongLong();
    return double(main) + double(sub) / 1e6;
}

} // namespace

JobsModel::JobsModel(QObject *parent) : QAbstractTableModel(parent) {}

void JobsModel::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

qint64 JobsModel::elapsedAt(int row, qint64 nowMs) const
{
    const Row &r = *m_rows.at(std::size_t(row));
    if (!ticking(r.job))
        return r.job.elapsedSeconds;
    return r.job.elapsedSeconds + std::max<qint64>(0, nowMs - r.reportedAt) / 1000;
}

qint64 JobsModel::timeLeftAt(int row, qint64 nowMs) const
{
    const Row &r = *m_rows.at(std::size_t(row));
    if (!ticking(r.job) || r.job.timeLeftSeconds < 0)
        return r.job.timeLeftSeconds;
    return std::max<qint64>(0, r.job.timeLeftSeconds -
                                   std::max<qint64>(0, nowMs - r.reportedAt) / 1000);
}

bool JobsModel::hasTickingRows() const
{
    return std::any_of(m_rows.cbegin(), m_rows.cend(),
                       [](const std::unique_ptr<Row> &r) { return ticking(r->job); });
}

QList<JobInfo> JobsModel::jobs() const
{
    QList<JobInfo> all;
    all.reserve(qsizetype(m_rows.size()));
    for (const auto &r : m_rows)
        all << r->job;
    return all;
}

int JobsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JobsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobInfo &j = job(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Site:
            return j.site;
        case JobId:
            return j.jobId;
        case Name:
            return j.name;
        case Run:
            return j.runId;
        case Task:
            return j.task;
        case State:
            if (j.exitCode > 0 && classifyJob(j) == StateClass::Failed)
                return tr("%1 (exit %2)").arg(j.state).arg(j.exitCode);
            return j.state;
        case Reason:
            return j.reason == QLatin1String("None") ? QString() : j.reason;
        case Elapsed:
            return formatDuration(elapsedAt(index.row(), m_clock().toMSecsSinceEpoch()));
        case TimeLeft:
            return formatDuration(timeLeftAt(index.row(), m_clock().toMSecsSinceEpoch()));
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == State)
            return tr("%1: %2").arg(stateClassName(classifyJob(j)), j.state);
        if (index.column() == Name && !j.partition.isEmpty())
            return tr("%1 (partition %2)").arg(j.name, j.partition);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Elapsed || index.column() == TimeLeft || index.column() == JobId)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SortRole:
        switch (index.column()) {
        case JobId:
            return jobIdSortKey(j.jobId);
        case Elapsed:
            return elapsedAt(index.row(), m_clock().toMSecsSinceEpoch());
        case TimeLeft:
            return timeLeftAt(index.row(), m_clock().toMSecsSinceEpoch());
        case State:
            return int(classifyJob(j));
        default:
            return data(index, Qt::DisplayRole);
        }
    case StateRole:
        return j.state;
    case StateClassRole:
        return int(classifyJob(j));
    case SiteRole:
        return j.site;
    case JobIdRole:
        return j.jobId;
    case RunRole:
        return j.runId;
    case TaskRole:
        return j.task;
    case ExitCodeRole:
        return j.exitCode;
    }
    return {};
}

QVariant JobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Site:
        return tr("Site");
    case JobId:
        return tr("Job ID");
    case Name:
        return tr("Name");
    case Run:
        return tr("Run");
    case Task:
        return tr("Task");
    case State:
        return tr("State");
    case Reason:
        return tr("Reason");
    case Elapsed:
        return tr("Elapsed");
    case TimeLeft:
        return tr("Time left");
    }
    return {};
}

QHash<int, QByteArray> JobsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(StateRole, "state");
    names.insert(StateClassRole, "stateClass");
    names.insert(SortRole, "sortKey");
    names.insert(SiteRole, "site");
    names.insert(JobIdRole, "jobId");
    names.insert(RunRole, "runId");
    names.insert(TaskRole, "task");
    names.insert(ExitCodeRole, "exitCode");
    return names;
}

QString JobsModel::keyOf(const QString &site, const QString &jobId)
{
    return site + QLatin1Char('\n') + jobId;
}

int JobsModel::rowOf(const QString &site, const QString &jobId) const
{
    // Built when first asked after a change: a refresh cycle that moves rows
    // does not pay for re-keying every row below them.
    if (!m_indexValid) {
        m_index.clear();
        m_index.reserve(qsizetype(m_rows.size()));
        for (int r = 0; r < int(m_rows.size()); ++r)
            m_index.insert(keyOf(job(r).site, job(r).jobId), r);
        m_indexValid = true;
    }
    return m_index.value(keyOf(site, jobId), -1);
}

// Removes the rows marked in `gone` bottom-up, one beginRemoveRows per
// contiguous block.
void JobsModel::removeRows(const QList<bool> &gone)
{
    for (int r = int(m_rows.size()) - 1; r >= 0;) {
        if (!gone.at(r)) {
            --r;
            continue;
        }
        const int last = r;
        while (r > 0 && gone.at(r - 1))
            --r;
        beginRemoveRows(QModelIndex(), r, last);
        m_rows.erase(m_rows.begin() + r, m_rows.begin() + last + 1);
        m_indexValid = false;
        endRemoveRows();
        --r;
    }
}

void JobsModel::setJobs(const QString &site, const QList<JobInfo> &incoming)
{
    // The new set, by job id; a duplicate id keeps its last report. Nothing
    // is copied until it goes into a row, and each job costs one hash insert
    // and one lookup (a cycle may list 100,000 jobs: bench/jobsbench.cpp).
    ReportIndex fresh(incoming.size());
    QList<bool> taken(incoming.size(), false); // matched to a row, or a superseded duplicate
    for (qsizetype i = 0; i < incoming.size(); ++i)
        if (const qsizetype before = fresh.insert(incoming.at(i).jobId, i); before >= 0)
            taken[before] = true;
    const auto withSite = [&site](JobInfo j) {
        j.site = site;
        return j;
    };
    bool namesMayChange = false;
    const qint64 nowMs = m_clock().toMSecsSinceEpoch();

    // 1. Changed: one dataChanged over the rows and columns that changed.
    // One signal, not one per row: with a sorting proxy attached, each
    // dataChanged costs a pass over the proxy's rows, and a cycle changes the
    // elapsed time of every running job.
    QList<bool> gone(qsizetype(m_rows.size()), false);
    bool anyGone = false;
    int top = -1, bottom = -1, left = ColumnCount, right = -1;
    for (int r = 0; r < int(m_rows.size()); ++r) {
        Row &row = *m_rows[std::size_t(r)];
        JobInfo &old = row.job;
        if (old.site != site)
            continue;
        const qsizetype at = fresh.find(old.jobId);
        if (at < 0) {
            gone[r] = anyGone = true;
            continue;
        }
        taken[at] = true;
        const JobInfo &reported = incoming.at(at);
        if (sameAsReported(old, reported) || sameButTime(old, row.reportedAt, reported, nowMs))
            continue; // shown as the clock moves it (elapsedAt, timeLeftAt)
        const JobInfo now = withSite(reported);
        const QList<int> cols = changedColumns(old, now);
        namesMayChange |= old.runId != now.runId;
        old = now;
        row.reportedAt = nowMs;
        if (top < 0)
            top = r;
        bottom = r;
        // A field no column shows (partition): roles only, every column.
        left = std::min(left, cols.isEmpty() ? 0 : cols.first());
        right = std::max(right, cols.isEmpty() ? int(ColumnCount) - 1 : cols.last());
    }
    if (top >= 0)
        Q_EMIT dataChanged(index(top, left), index(bottom, right));

    // 2. Gone.
    if (anyGone) {
        removeRows(gone);
        namesMayChange = true;
    }

    // 3. New, appended in the order the site reported them.
    QList<JobInfo> added;
    for (qsizetype i = 0; i < incoming.size(); ++i)
        if (!taken.at(i))
            added << withSite(incoming.at(i));
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + int(added.size()) - 1);
        m_rows.reserve(m_rows.size() + std::size_t(added.size()));
        for (JobInfo &j : added)
            m_rows.push_back(std::make_unique<Row>(Row{std::move(j), nowMs}));
        m_indexValid = false;
        endInsertRows();
        namesMayChange = true;
    }

    if (namesMayChange)
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
