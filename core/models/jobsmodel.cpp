// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobsmodel.h"

#include "statefmt.h"

#include <algorithm>
#include <utility>

namespace vigil {

using jobrows::Row;

JobsModel::JobsModel(QObject *parent) : QAbstractTableModel(parent) {}

JobsModel::~JobsModel() = default;

void JobsModel::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

qint64 JobsModel::elapsedAt(int row, qint64 nowMs) const
{
    return jobrows::elapsedAt(*m_view.at(std::size_t(row)), nowMs);
}

qint64 JobsModel::timeLeftAt(int row, qint64 nowMs) const
{
    return jobrows::timeLeftAt(*m_view.at(std::size_t(row)), nowMs);
}

bool JobsModel::hasTickingRows() const
{
    return m_tickingRows > 0;
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
    return parent.isValid() ? 0 : int(m_view.size());
}

int JobsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString JobsModel::shownText(const Row &row, int column, qint64 nowMs) const
{
    const JobInfo &j = row.job;
    switch (column) {
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
        return formatDuration(jobrows::elapsedAt(row, nowMs));
    case TimeLeft:
        return formatDuration(jobrows::timeLeftAt(row, nowMs));
    }
    return {};
}

QVariant JobsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = *m_view.at(std::size_t(index.row()));
    const JobInfo &j = row.job;
    switch (role) {
    case Qt::DisplayRole:
        return shownText(row, index.column(), m_clock().toMSecsSinceEpoch());
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
            if (const jobrows::JobIdKey key = jobrows::jobIdKey(j.jobId); key.numeric)
                return double(key.main) + double(key.sub) / 1e6;
            return j.jobId;
        case Elapsed:
            return jobrows::elapsedAt(row, m_clock().toMSecsSinceEpoch());
        case TimeLeft:
            return jobrows::timeLeftAt(row, m_clock().toMSecsSinceEpoch());
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

bool JobsModel::accepts(const Row &row, qint64 nowMs) const
{
    const JobInfo &j = row.job;
    if (!m_siteFilter.isEmpty() && j.site != m_siteFilter)
        return false;
    if (!m_runFilter.isEmpty() && j.runId != m_runFilter)
        return false;
    if (m_stateFilter != StateFilter::All) {
        const StateClass c = classifyJob(j);
        if (m_stateFilter == StateFilter::Active && !isActiveClass(c))
            return false;
        if (m_stateFilter == StateFilter::Finished && !isFinishedClass(c))
            return false;
    }
    if (m_text.isEmpty())
        return true;
    for (int c = 0; c < ColumnCount; ++c)
        if (shownText(row, c, nowMs).contains(m_text, Qt::CaseInsensitive))
            return true;
    return false;
}

void JobsModel::setStateFilter(StateFilter filter)
{
    if (std::exchange(m_stateFilter, filter) != filter)
        refilter();
}

void JobsModel::setSiteFilter(const QString &site)
{
    if (std::exchange(m_siteFilter, site) != site)
        refilter();
}

void JobsModel::setRunFilter(const QString &runId)
{
    if (std::exchange(m_runFilter, runId) != runId)
        refilter();
}

void JobsModel::setFilterText(const QString &text)
{
    if (std::exchange(m_text, text) != text)
        refilter();
}

void JobsModel::sort(int column, Qt::SortOrder order)
{
    // Sorted again even when asked for the same order: durations move with
    // the clock between two refreshes.
    m_order.column = column >= 0 && column < ColumnCount ? column : -1;
    m_order.descending = order == Qt::DescendingOrder;
    refilter();
}

void JobsModel::refilter()
{
    const qint64 nowMs = m_clock().toMSecsSinceEpoch();
    std::vector<Row *> order;
    order.reserve(m_rows.size());
    for (const auto &r : m_rows)
        if (accepts(*r, nowMs))
            order.push_back(r.get());
    if (m_order.column >= 0) // else m_rows' arrival order
        std::sort(order.begin(), order.end(), [this, nowMs](const Row *a, const Row *b) {
            return m_order.before(*a, *b, nowMs);
        });
    relayout(std::move(order));
}

void JobsModel::relayout(std::vector<Row *> order)
{
    // VerticalSortHint: the columns stay as they are. (Without the hint a
    // table's horizontal header keeps its column widths through indexes of
    // row 0, and loses them when that row goes.)
    const QList<QPersistentModelIndex> parents;
    Q_EMIT layoutAboutToBeChanged(parents, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList from = persistentIndexList();
    std::vector<Row *> fromRows;
    fromRows.reserve(std::size_t(from.size()));
    for (const QModelIndex &i : from)
        fromRows.push_back(m_view.at(std::size_t(i.row())));
    for (Row *r : m_view)
        r->visible = false;
    for (Row *r : order)
        r->visible = true;
    m_view = std::move(order);
    renumber();
    QModelIndexList to;
    to.reserve(from.size());
    for (qsizetype i = 0; i < from.size(); ++i) {
        const Row *r = fromRows[std::size_t(i)];
        to << (r->visible ? createIndex(r->viewRow, from.at(i).column()) : QModelIndex());
    }
    changePersistentIndexList(from, to);
    Q_EMIT layoutChanged(parents, QAbstractItemModel::VerticalSortHint);
}

void JobsModel::moveRows(std::vector<Row *> entering, qint64 nowMs)
{
    // The next order: the rows that stay, in their order, merged with the
    // entering ones (sorted). Rows whose keys moved with the clock keep their
    // places, as they would under a sorting proxy.
    std::vector<Row *> next;
    next.reserve(m_view.size() + entering.size());
    std::vector<Row *> leaving;
    int leavingBlocks = 0;
    bool inBlock = false, moved = false;
    auto in = entering.cbegin();
    for (Row *r : m_view) {
        if (r->leaving) {
            leaving.push_back(r);
            moved |= r->entering;
            leavingBlocks += !inBlock;
            inBlock = true;
            continue;
        }
        inBlock = false;
        while (in != entering.cend() && m_order.before(**in, *r, nowMs))
            next.push_back(*in++);
        next.push_back(r);
    }
    next.insert(next.end(), in, entering.cend());
    int enteringBlocks = 0;
    inBlock = false;
    for (const Row *r : next) {
        enteringBlocks += r->entering && !inBlock;
        inBlock = r->entering;
    }

    // A row that moves keeps its persistent indexes (a selected job stays
    // selected) only through a layout change.
    if (moved || leavingBlocks + enteringBlocks > kMaxRowBlocks) {
        relayout(std::move(next));
    } else {
        // Bottom-up removals leave m_view as the rows that stay; top-down
        // insertions at their places in `next` then make it `next`.
        m_numbered = false;
        for (int r = int(m_view.size()) - 1; r >= 0; --r) {
            if (!m_view[std::size_t(r)]->leaving)
                continue;
            const int last = r;
            while (r > 0 && m_view[std::size_t(r) - 1]->leaving)
                --r;
            beginRemoveRows(QModelIndex(), r, last);
            for (int i = r; i <= last; ++i)
                m_view[std::size_t(i)]->visible = false;
            m_view.erase(m_view.begin() + r, m_view.begin() + last + 1);
            endRemoveRows();
        }
        for (int r = 0; r < int(next.size()); ++r) {
            if (!next[std::size_t(r)]->entering)
                continue;
            const int first = r;
            while (r + 1 < int(next.size()) && next[std::size_t(r) + 1]->entering)
                ++r;
            beginInsertRows(QModelIndex(), first, r);
            m_view.insert(m_view.begin() + first, next.begin() + first, next.begin() + r + 1);
            for (int i = first; i <= r; ++i)
                m_view[std::size_t(i)]->visible = true;
            endInsertRows();
        }
    }
    for (Row *r : leaving)
        r->leaving = false;
    for (Row *r : entering)
        r->entering = false;
}

void JobsModel::renumber() const
{
    for (std::size_t i = 0; i < m_view.size(); ++i)
        m_view[i]->viewRow = int(i);
    m_numbered = true;
}

int JobsModel::rowOf(const QString &site, const QString &jobId) const
{
    const auto it = m_bySite.constFind(site);
    const Row *row = it == m_bySite.cend() ? nullptr : it->find(jobId);
    if (!row || !row->visible)
        return -1;
    if (!m_numbered)
        renumber();
    return row->viewRow;
}

} // namespace vigil
