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

void JobsModel::reindex(int from)
{
    for (int r = from; r < m_rows.size(); ++r)
        m_index.insert(keyOf(m_rows.at(r).site, m_rows.at(r).jobId), r);
}

int JobsModel::rowOf(const QString &site, const QString &jobId) const
{
    return m_index.value(keyOf(site, jobId), -1);
}

// Removes matching rows bottom-up, one beginRemoveRows per contiguous block.
void JobsModel::removeRowsWhere(const std::function<bool(const JobInfo &)> &pred)
{
    int lowest = int(m_rows.size());
    for (int r = int(m_rows.size()) - 1; r >= 0;) {
        if (!pred(m_rows.at(r))) {
            --r;
            continue;
        }
        const int last = r;
        while (r > 0 && pred(m_rows.at(r - 1)))
            --r;
        beginRemoveRows(QModelIndex(), r, last);
        for (int i = r; i <= last; ++i)
            m_index.remove(keyOf(m_rows.at(i).site, m_rows.at(i).jobId));
        m_rows.remove(r, last - r + 1);
        endRemoveRows();
        lowest = r;
        --r;
    }
    reindex(lowest);
}

void JobsModel::setJobs(const QString &site, const QList<JobInfo> &incoming)
{
    const QStringList sitesBefore = siteNames();
    const QStringList runsBefore = runIds();

    // The new set, keyed by job id; a duplicate id keeps its last report.
    QHash<QString, int> fresh;
    QList<JobInfo> jobs;
    jobs.reserve(incoming.size());
    for (JobInfo j : incoming) {
        j.site = site;
        if (const auto it = fresh.constFind(j.jobId); it != fresh.cend()) {
            jobs[*it] = j;
            continue;
        }
        fresh.insert(j.jobId, int(jobs.size()));
        jobs << j;
    }

    // 1. Gone.
    removeRowsWhere([&](const JobInfo &j) { return j.site == site && !fresh.contains(j.jobId); });

    // 2. Changed: one dataChanged per row, spanning only the changed columns.
    QList<bool> seen(jobs.size(), false);
    for (int r = 0; r < m_rows.size(); ++r) {
        JobInfo &old = m_rows[r];
        if (old.site != site)
            continue;
        const int at = fresh.value(old.jobId);
        seen[at] = true;
        const JobInfo &now = jobs.at(at);
        if (old == now)
            continue;
        const QList<int> cols = changedColumns(old, now);
        old = now;
        if (cols.isEmpty()) // a field no column shows (partition): roles only
            Q_EMIT dataChanged(index(r, 0), index(r, ColumnCount - 1));
        else
            Q_EMIT dataChanged(index(r, cols.first()), index(r, cols.last()));
    }

    // 3. New, appended in the order the site reported them.
    QList<JobInfo> added;
    for (int i = 0; i < jobs.size(); ++i)
        if (!seen.at(i))
            added << jobs.at(i);
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + int(added.size()) - 1);
        m_rows << added;
        reindex(first);
        endInsertRows();
    }

    if (siteNames() != sitesBefore || runIds() != runsBefore)
        Q_EMIT namesChanged();
}

void JobsModel::removeSite(const QString &site)
{
    setJobs(site, {});
}

QStringList JobsModel::siteNames() const
{
    QStringList out;
    QSet<QString> seen;
    for (const JobInfo &j : m_rows)
        if (!seen.contains(j.site)) {
            seen.insert(j.site);
            out << j.site;
        }
    out.sort();
    return out;
}

QStringList JobsModel::runIds() const
{
    QStringList out;
    QSet<QString> seen;
    for (const JobInfo &j : m_rows)
        if (!j.runId.isEmpty() && !seen.contains(j.runId)) {
            seen.insert(j.runId);
            out << j.runId;
        }
    out.sort();
    return out;
}

} // namespace vigil
