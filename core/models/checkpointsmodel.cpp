// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpointsmodel.h"

#include <QCoreApplication>
#include <QSet>
#include <algorithm>

namespace vigil {

namespace {

bool sameOptions(const QList<CheckpointOption> &a, const QList<CheckpointOption> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].name != b[i].name || a[i].label != b[i].label || a[i].isDefault != b[i].isDefault)
            return false;
    return true;
}

bool sameMetrics(const QList<MetricRef> &a, const QList<MetricRef> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].file != b[i].file || a[i].x != b[i].x || a[i].columns != b[i].columns)
            return false;
    return true;
}

class CheckpointStatusText
{
    Q_DECLARE_TR_FUNCTIONS(vigil::CheckpointsModel)
public:
    static QString text(CheckpointInfo::Status s)
    {
        switch (s) {
        case CheckpointInfo::Status::Pending:
            return tr("Pending");
        case CheckpointInfo::Status::Decided:
            return tr("Decided");
        case CheckpointInfo::Status::Applied:
            return tr("Applied");
        case CheckpointInfo::Status::Refused:
            return tr("Refused");
        case CheckpointInfo::Status::Broken:
            return tr("Broken");
        case CheckpointInfo::Status::Closed:
            return tr("Closed");
        }
        return {};
    }
};

} // namespace

QString checkpointStatusText(CheckpointInfo::Status status)
{
    return CheckpointStatusText::text(status);
}

CheckpointsModel::CheckpointsModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_tick.setInterval(30 * 1000);
    connect(&m_tick, &QTimer::timeout, this, &CheckpointsModel::tick);
    m_tick.start();
}

int CheckpointsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CheckpointsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CheckpointsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CheckpointInfo &c = m_rows.at(index.row());
    const bool pending = c.status == CheckpointInfo::Status::Pending;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Title:
            return c.title.isEmpty() ? c.id : c.title;
        case Status:
            if (c.status == CheckpointInfo::Status::Decided ||
                c.status == CheckpointInfo::Status::Applied) {
                if (c.decisionKind == QLatin1String("timeout-default"))
                    return tr("%1: %2 (default after deadline)")
                        .arg(checkpointStatusText(c.status), c.decidedOption);
                return tr("%1: %2").arg(checkpointStatusText(c.status), c.decidedOption);
            }
            return checkpointStatusText(c.status);
        case Run:
            return c.runId;
        case Task:
            return c.task;
        case Site:
            return c.site;
        case Created:
            return formatRelative(c.createdAt, m_clock());
        case Deadline:
            if (!pending || !c.deadline.isValid())
                return emDash();
            return formatRelative(c.deadline, m_clock());
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Title:
            return tr("Checkpoint %1 of run %2 on %3").arg(c.id, c.runId, c.site);
        case Status:
            if (!c.problem.isEmpty())
                return c.problem;
            if (!c.decidedBy.isEmpty())
                return tr("Decided by %1 at %2: %3")
                    .arg(c.decidedBy, formatDateTime(c.decidedAt), c.decidedOption);
            return {};
        case Created:
            return formatDateTime(c.createdAt);
        case Deadline:
            if (!c.deadline.isValid())
                return tr("No deadline");
            return tr("%1; then the job takes \"%2\"")
                .arg(formatDateTime(c.deadline),
                     c.defaultOnTimeout.isEmpty() ? tr("the default") : c.defaultOnTimeout);
        }
        return {};
    case KeyRole:
        return c.key();
    case TitleRole:
        return c.title;
    case SiteRole:
        return c.site;
    case RunRole:
        return c.runId;
    case TaskRole:
        return c.task;
    case JobIdRole:
        return c.jobId;
    case StatusRole:
        return int(c.status);
    case IsPendingRole:
        return pending;
    case CreatedRole:
        return c.createdAt;
    case DeadlineRole:
        return c.deadline;
    case DecidedByRole:
        return c.decidedBy;
    case DecidedOptionRole:
        return c.decidedOption;
    case DecidedAtRole:
        return c.decidedAt;
    case SortRole:
        switch (index.column()) {
        case Created:
            return c.createdAt;
        case Deadline:
            return c.deadline;
        case Status:
            return int(c.status);
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    return {};
}

QVariant CheckpointsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Title:
        return tr("Checkpoint");
    case Status:
        return tr("Status");
    case Run:
        return tr("Run");
    case Task:
        return tr("Task");
    case Site:
        return tr("Site");
    case Created:
        return tr("Posted");
    case Deadline:
        return tr("Deadline");
    }
    return {};
}

QHash<int, QByteArray> CheckpointsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(KeyRole, "key");
    names.insert(TitleRole, "title");
    names.insert(SiteRole, "site");
    names.insert(RunRole, "runId");
    names.insert(TaskRole, "task");
    names.insert(JobIdRole, "jobId");
    names.insert(StatusRole, "status");
    names.insert(IsPendingRole, "pending");
    names.insert(CreatedRole, "createdAt");
    names.insert(DeadlineRole, "deadline");
    names.insert(DecidedByRole, "decidedBy");
    names.insert(DecidedOptionRole, "decidedOption");
    names.insert(DecidedAtRole, "decidedAt");
    names.insert(SortRole, "sortKey");
    return names;
}

bool CheckpointsModel::lessThan(const CheckpointInfo &a, const CheckpointInfo &b)
{
    const bool pa = a.status == CheckpointInfo::Status::Pending;
    const bool pb = b.status == CheckpointInfo::Status::Pending;
    if (pa != pb)
        return pa;
    if (a.createdAt != b.createdAt)
        return a.createdAt > b.createdAt; // newest first; invalid times last
    return a.key() < b.key();
}

bool CheckpointsModel::sameCheckpoint(const CheckpointInfo &a, const CheckpointInfo &b)
{
    return a.site == b.site && a.runId == b.runId && a.id == b.id && a.task == b.task &&
           a.jobId == b.jobId && a.title == b.title && a.body == b.body && a.nonce == b.nonce &&
           sameOptions(a.options, b.options) && sameMetrics(a.metrics, b.metrics) &&
           a.createdAt == b.createdAt && a.deadline == b.deadline &&
           a.defaultOnTimeout == b.defaultOnTimeout && a.status == b.status &&
           a.decidedBy == b.decidedBy && a.decidedOption == b.decidedOption &&
           a.decisionKind == b.decisionKind && a.decisionId == b.decisionId &&
           a.decidedAt == b.decidedAt && a.outcome == b.outcome && a.appliedAt == b.appliedAt &&
           a.problem == b.problem;
}

int CheckpointsModel::rowOf(const QString &key) const
{
    for (int r = 0; r < m_rows.size(); ++r)
        if (m_rows.at(r).key() == key)
            return r;
    return -1;
}

std::optional<CheckpointInfo> CheckpointsModel::checkpoint(const QString &key) const
{
    const int r = rowOf(key);
    if (r < 0)
        return std::nullopt;
    return m_rows.at(r);
}

bool CheckpointsModel::waits(const CheckpointInfo &c) const
{
    return c.status == CheckpointInfo::Status::Pending && !m_readOnlySites.contains(c.site);
}

int CheckpointsModel::pendingCount() const
{
    return m_pending;
}

QString CheckpointsModel::firstPendingKey(const QString &runId, const QString &task) const
{
    for (const CheckpointInfo &c : m_rows) // pending ones come first, newest first
        if (waits(c) && c.runId == runId && c.task == task)
            return c.key();
    return {};
}

int CheckpointsModel::insertPosition(const CheckpointInfo &c) const
{
    return int(std::lower_bound(m_rows.cbegin(), m_rows.cend(), c, &CheckpointsModel::lessThan) -
               m_rows.cbegin());
}

// Moves row `row`, whose sort key may have changed, to where it belongs among
// the others (which are in order). Returns its new row.
int CheckpointsModel::placeRow(int row)
{
    const CheckpointInfo &c = m_rows.at(row);
    int target = 0;
    for (int r = 0; r < m_rows.size(); ++r)
        if (r != row && lessThan(m_rows.at(r), c))
            ++target;
    if (target == row)
        return row;
    beginMoveRows(QModelIndex(), row, row, QModelIndex(), target > row ? target + 1 : target);
    m_rows.move(row, target);
    endMoveRows();
    return target;
}

void CheckpointsModel::setCheckpoints(const QString &site, const QList<CheckpointInfo> &incoming,
                                      bool readOnly)
{
    if (readOnly)
        m_readOnlySites.insert(site);
    else
        m_readOnlySites.remove(site);
    QHash<QString, CheckpointInfo> fresh;
    QStringList order; // keys in the order reported, without duplicates
    for (CheckpointInfo c : incoming) {
        c.site = site;
        const QString key = c.key();
        if (!fresh.contains(key))
            order << key;
        fresh.insert(key, c);
    }

    // 1. Gone: bottom-up, one beginRemoveRows per contiguous block.
    for (int r = int(m_rows.size()) - 1; r >= 0; --r) {
        const auto gone = [&](int i) {
            return m_rows.at(i).site == site && !fresh.contains(m_rows.at(i).key());
        };
        if (!gone(r))
            continue;
        const int last = r;
        while (r > 0 && gone(r - 1))
            --r;
        beginRemoveRows(QModelIndex(), r, last);
        m_rows.remove(r, last - r + 1);
        endRemoveRows();
    }

    // 2. Changed: update in place, move when the order changed, then dataChanged.
    QStringList existing;
    for (const CheckpointInfo &c : std::as_const(m_rows))
        if (c.site == site)
            existing << c.key();
    const QSet<QString> known(existing.cbegin(), existing.cend());
    for (const QString &key : std::as_const(existing)) {
        int r = rowOf(key);
        const CheckpointInfo &now = fresh[key];
        if (sameCheckpoint(m_rows.at(r), now))
            continue;
        m_rows[r] = now;
        r = placeRow(r);
        Q_EMIT dataChanged(index(r, 0), index(r, ColumnCount - 1));
    }

    // 3. New: each where it belongs.
    for (const QString &key : std::as_const(order)) {
        if (known.contains(key))
            continue;
        const CheckpointInfo &c = fresh[key];
        const int at = insertPosition(c);
        beginInsertRows(QModelIndex(), at, at);
        m_rows.insert(at, c);
        endInsertRows();
    }

    const int pending = int(
        std::count_if(m_rows.cbegin(), m_rows.cend(), [this](const auto &c) { return waits(c); }));
    if (pending != m_pending) {
        m_pending = pending;
        Q_EMIT pendingCountChanged(pending);
    }
}

void CheckpointsModel::removeSite(const QString &site)
{
    setCheckpoints(site, {});
}

void CheckpointsModel::setClock(Clock clock)
{
    m_clock = std::move(clock);
    tick();
}

void CheckpointsModel::setTickInterval(int msec)
{
    if (msec <= 0) {
        m_tick.stop();
        return;
    }
    m_tick.start(msec);
}

void CheckpointsModel::tick()
{
    if (m_rows.isEmpty())
        return;
    Q_EMIT dataChanged(index(0, Created), index(int(m_rows.size()) - 1, Deadline),
                       {Qt::DisplayRole});
}

PendingCheckpointsProxy::PendingCheckpointsProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
}

void PendingCheckpointsProxy::setShowAll(bool all)
{
    if (all == m_showAll)
        return;
    m_showAll = all;
    invalidateRowsFilter();
}

bool PendingCheckpointsProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_showAll)
        return true;
    return sourceModel()
        ->index(sourceRow, 0, sourceParent)
        .data(CheckpointsModel::IsPendingRole)
        .toBool();
}

} // namespace vigil
