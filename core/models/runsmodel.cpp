// SPDX-License-Identifier: GPL-3.0-or-later
#include "runsmodel.h"

#include "statefmt.h"

#include <QSet>

namespace vigil {

using engine::HostedRun;

RunsModel::RunsModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_tick.setInterval(30 * 1000);
    connect(&m_tick, &QTimer::timeout, this, &RunsModel::tick);
    m_tick.start();
}

void RunsModel::setClock(Clock clock)
{
    m_clock = std::move(clock);
    tick();
}

void RunsModel::setTickInterval(int msec)
{
    if (msec <= 0) {
        m_tick.stop();
        return;
    }
    m_tick.start(msec);
}

void RunsModel::tick()
{
    // Only the countdown of a run waiting for another try changes with time.
    for (int row = 0; row < m_rows.size(); ++row) {
        const std::optional<HostedRun> &h = m_rows.at(row).hosted;
        if (h && h->state == HostedRun::State::Failed)
            Q_EMIT dataChanged(index(row, Engine), index(row, Engine), {Qt::DisplayRole});
    }
}

int RunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

RunsModel::SiteRun RunsModel::summarise(const RunInfo &run)
{
    SiteRun s;
    s.workflow = run.workflowName;
    s.createdAt = run.createdAt;
    s.total = int(run.tasks.size());
    for (const TaskRunInfo &t : run.tasks) {
        switch (classifyTaskState(t.state, t.exitCode)) {
        case StateClass::Succeeded:
            ++s.done;
            break;
        case StateClass::Running:
            ++s.running;
            break;
        case StateClass::Failed:
            ++s.failed;
            break;
        default:
            break;
        }
    }
    for (const CheckpointInfo &c : run.checkpoints)
        if (c.status == CheckpointInfo::Status::Pending)
            ++s.pending;
    return s;
}

QString RunsModel::engineText(const Row &row) const
{
    if (!row.readOnlySite.isEmpty())
        return tr("read-only");
    if (!row.hosted)
        return tr("not followed");
    const HostedRun &h = *row.hosted;
    switch (h.state) {
    case HostedRun::State::Starting:
        return tr("starting…");
    case HostedRun::State::Acting:
        return tr("running here");
    case HostedRun::State::Observing:
        return h.holder.isEmpty() ? tr("observing") : tr("observing · %1 acts").arg(h.holder);
    case HostedRun::State::Failed:
        return tr("cannot follow · again %1").arg(formatRelative(h.retryAt, m_clock()));
    case HostedRun::State::Ended:
        return tr("ended · %1").arg(h.detail.section(QLatin1Char(':'), 0, 0));
    case HostedRun::State::Stopping:
        return tr("stopping…");
    }
    return QString();
}

QString RunsModel::engineTip(const Row &row) const
{
    if (!row.readOnlySite.isEmpty())
        return tr("The run as the review bundle %1 holds it: it is read, never followed.")
            .arg(row.readOnlySite);
    if (!row.hosted)
        return tr("This desktop does not run the engine of this run. Follow it to have gates, "
                  "cross-site steps and run-time changes handled while the window is open.");
    const HostedRun &h = *row.hosted;
    QString tip = tr("Followed since %1.").arg(formatDateTime(h.since));
    if (!h.holder.isEmpty())
        tip += QLatin1Char('\n') + tr("Lease held by %1.").arg(h.holder);
    if (!h.detail.isEmpty())
        tip += QLatin1Char('\n') + h.detail;
    return tip;
}

QVariant RunsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    // The values of the first site that has the run (they agree where several do).
    const SiteRun first = row.sites.isEmpty() ? SiteRun{} : row.sites.first();
    SiteRun sum;
    for (const SiteRun &s : row.sites) {
        sum.done += s.done;
        sum.running += s.running;
        sum.failed += s.failed;
        sum.total += s.total;
        sum.pending += s.pending;
    }
    switch (role) {
    case RunIdRole:
        return row.runId;
    case SiteRole:
        if (row.hosted && !row.hosted->site.isEmpty())
            return row.hosted->site;
        return row.sites.isEmpty() ? QString() : row.sites.firstKey();
    case FollowedRole:
        return row.hosted.has_value() && row.hosted->state != HostedRun::State::Stopping &&
               row.hosted->state != HostedRun::State::Ended;
    case EngineStateRole:
        return row.hosted ? int(row.hosted->state) : -1;
    case ReadOnlyRole:
        return !row.readOnlySite.isEmpty();
    case Qt::ToolTipRole:
        if (index.column() == Engine)
            return engineTip(row);
        if (!row.readOnlySite.isEmpty() && (index.column() == Run || index.column() == Sites))
            return tr("Run %1 of the review bundle %2 (read-only)")
                .arg(row.runId, row.readOnlySite);
        if (index.column() == Created)
            return formatDateTime(first.createdAt);
        return {};
    case SortRole:
        switch (index.column()) {
        case Created:
            return first.createdAt;
        case Checkpoints:
            return sum.pending;
        case Tasks:
            return sum.running * 1000 + sum.done;
        default:
            break;
        }
        [[fallthrough]];
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Run:
            return row.runId;
        case Workflow:
            return first.workflow;
        case Sites:
            return QStringList(row.sites.keys()).join(QStringLiteral(", "));
        case Created:
            return first.createdAt.isValid()
                       ? first.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                       : emDash();
        case Tasks: {
            QStringList parts;
            if (sum.running)
                parts << tr("%n running", nullptr, sum.running);
            if (sum.done)
                parts << tr("%n done", nullptr, sum.done);
            if (sum.failed)
                parts << tr("%n failed", nullptr, sum.failed);
            return parts.isEmpty() ? emDash() : parts.join(QStringLiteral(" · "));
        }
        case Checkpoints:
            return sum.pending ? tr("%n pending", nullptr, sum.pending) : QString();
        case Engine:
            return engineText(row);
        case ColumnCount:
            break;
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Run:
        return tr("Run");
    case Workflow:
        return tr("Workflow");
    case Sites:
        return tr("Sites");
    case Created:
        return tr("Created");
    case Tasks:
        return tr("Tasks");
    case Checkpoints:
        return tr("Checkpoints");
    case Engine:
        return tr("Engine");
    case ColumnCount:
        break;
    }
    return {};
}

int RunsModel::find(const QString &runId, const QString &readOnlySite) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).runId == runId && m_rows.at(i).readOnlySite == readOnlySite)
            return i;
    return -1;
}

int RunsModel::rowOf(const QString &runId) const
{
    if (const int live = find(runId, QString()); live >= 0)
        return live;
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).runId == runId)
            return i;
    return -1;
}

int RunsModel::rowOf(const QString &runId, const QString &site) const
{
    if (const int own = find(runId, site); own >= 0)
        return own;
    const int live = find(runId, QString());
    return live >= 0 && m_rows.at(live).sites.contains(site) ? live : -1;
}

void RunsModel::changed(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void RunsModel::removeIfGone(int row)
{
    if (!m_rows.at(row).sites.isEmpty() || m_rows.at(row).hosted)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

void RunsModel::setRuns(const QString &site, const QList<RunInfo> &runs, bool readOnly)
{
    // The rows this site's runs go to: the live ones, or its own.
    const QString own = readOnly ? site : QString();
    QHash<QString, SiteRun> now;
    for (const RunInfo &r : runs)
        now.insert(r.runId, summarise(r));
    // Rows that had the run on this site: changed, or the site gone.
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        Row &row = m_rows[i];
        if (row.readOnlySite != own)
            continue;
        const auto it = now.constFind(row.runId);
        if (it == now.cend()) {
            if (row.sites.remove(site) > 0) {
                changed(i);
                removeIfGone(i);
            }
            continue;
        }
        const auto old = row.sites.constFind(site);
        if (old == row.sites.cend() || !(*old == *it)) {
            row.sites.insert(site, *it);
            changed(i);
        }
        now.remove(row.runId);
    }
    if (now.isEmpty())
        return;
    // New runs, in the order the site lists them.
    QList<Row> added;
    for (const RunInfo &r : runs) {
        if (!now.contains(r.runId))
            continue;
        Row row;
        row.runId = r.runId;
        row.readOnlySite = own;
        row.sites.insert(site, now.take(r.runId));
        added << row;
    }
    beginInsertRows(QModelIndex(), int(m_rows.size()), int(m_rows.size() + added.size()) - 1);
    m_rows << added;
    endInsertRows();
}

void RunsModel::setHosted(const HostedRun &hosted)
{
    const int at = find(hosted.runId, QString()); // a read-only row is never followed
    if (at >= 0) {
        m_rows[at].hosted = hosted;
        changed(at);
        return;
    }
    Row row;
    row.runId = hosted.runId;
    row.hosted = hosted;
    beginInsertRows(QModelIndex(), int(m_rows.size()), int(m_rows.size()));
    m_rows << row;
    endInsertRows();
}

void RunsModel::removeHosted(const QString &runId)
{
    const int at = find(runId, QString());
    if (at < 0 || !m_rows.at(at).hosted)
        return;
    m_rows[at].hosted.reset();
    changed(at);
    removeIfGone(at);
}

} // namespace vigil
