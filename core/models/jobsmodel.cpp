// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobsmodel.h"

#include "statefmt.h"

#include <QSet>

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
    const JobInfo &j = m_rows.at(index.row());
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
            return formatDuration(j.elapsedSeconds);
        case TimeLeft:
            return formatDuration(j.timeLeftSeconds);
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
            return j.elapsedSeconds;
        case TimeLeft:
            return j.timeLeftSeconds;
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
        m_index.reserve(m_rows.size());
        for (int r = 0; r < m_rows.size(); ++r)
            m_index.insert(keyOf(m_rows.at(r).site, m_rows.at(r).jobId), r);
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
        m_rows.remove(r, last - r + 1);
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
    QHash<QString, qsizetype> fresh;
    fresh.reserve(incoming.size());
    QList<bool> taken(incoming.size(), false); // matched to a row, or a superseded duplicate
    for (qsizetype i = 0; i < incoming.size(); ++i) {
        auto it = fresh.find(incoming.at(i).jobId);
        if (it == fresh.end()) {
            fresh.insert(incoming.at(i).jobId, i);
        } else {
            taken[*it] = true;
            *it = i;
        }
    }
    const auto withSite = [&site](JobInfo j) {
        j.site = site;
        return j;
    };
    bool namesMayChange = false;

    // 1. Changed: one dataChanged over the rows and columns that changed.
    // One signal, not one per row: with a sorting proxy attached, each
    // dataChanged costs a pass over the proxy's rows, and a cycle changes the
    // elapsed time of every running job.
    QList<bool> gone(m_rows.size(), false);
    bool anyGone = false;
    int top = -1, bottom = -1, left = ColumnCount, right = -1;
    for (int r = 0; r < m_rows.size(); ++r) {
        JobInfo &old = m_rows[r];
        if (old.site != site)
            continue;
        const auto it = fresh.constFind(old.jobId);
        if (it == fresh.cend()) {
            gone[r] = anyGone = true;
            continue;
        }
        taken[*it] = true;
        const JobInfo &reported = incoming.at(*it);
        if (reported.site == site ? old == reported : old == withSite(reported))
            continue;
        const JobInfo now = withSite(reported);
        const QList<int> cols = changedColumns(old, now);
        namesMayChange |= old.runId != now.runId;
        old = now;
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
        m_rows << added;
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
    QSet<QString> sites, runs;
    for (const JobInfo &j : std::as_const(m_rows)) {
        sites.insert(j.site);
        if (!j.runId.isEmpty())
            runs.insert(j.runId);
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
