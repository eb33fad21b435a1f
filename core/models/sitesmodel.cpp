// SPDX-License-Identifier: GPL-3.0-or-later
#include "sitesmodel.h"

#include <QCoreApplication>
#include <QSet>

namespace vigil {

namespace {

class SitesText
{
    Q_DECLARE_TR_FUNCTIONS(vigil::SitesModel)
public:
    static QString connection(Transport::State s)
    {
        switch (s) {
        case Transport::State::Disconnected:
            return tr("Disconnected");
        case Transport::State::Connecting:
            return tr("Connecting…");
        case Transport::State::Connected:
            return tr("Connected");
        case Transport::State::Failed:
            return tr("Failed");
        }
        return {};
    }
    static QString kind(const QString &k)
    {
        if (k == QLatin1String("slurm"))
            return tr("SLURM");
        if (k == QLatin1String("ssh"))
            return tr("SSH host");
        if (k == QLatin1String("local"))
            return tr("This computer");
        return k;
    }
};

QList<int> changedColumns(const SiteStatus &a, const SiteStatus &b)
{
    QList<int> cols;
    if (a.kind != b.kind)
        cols << SitesModel::Kind;
    if (a.connection != b.connection || a.connectionMessage != b.connectionMessage ||
        a.address != b.address)
        cols << SitesModel::Connection;
    if (a.lastRefresh != b.lastRefresh || a.jobsConfirmedAt != b.jobsConfirmedAt ||
        a.runsConfirmedAt != b.runsConfirmedAt || a.watching != b.watching)
        cols << SitesModel::DataAge;
    if (a.helperVersion != b.helperVersion || a.watching != b.watching ||
        a.helperProblem != b.helperProblem)
        cols << SitesModel::Helper;
    if (a.activeJobs != b.activeJobs)
        cols << SitesModel::ActiveJobs;
    if (a.pendingCheckpoints != b.pendingCheckpoints)
        cols << SitesModel::PendingCheckpoints;
    if (a.lastError != b.lastError)
        cols << SitesModel::LastError;
    return cols;
}

} // namespace

QString connectionStateText(Transport::State state)
{
    return SitesText::connection(state);
}

SitesModel::SitesModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &SitesModel::tick);
    m_tick.start();
}

int SitesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SitesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qint64 SitesModel::ageOf(const SiteStatus &s) const
{
    if (!s.lastRefresh.isValid())
        return -1;
    return std::max<qint64>(0, s.lastRefresh.secsTo(m_clock()));
}

QVariant SitesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SiteStatus &s = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return s.name;
        case Kind:
            return SitesText::kind(s.kind);
        case Connection:
            return connectionStateText(s.connection);
        case DataAge:
            return s.lastRefresh.isValid() ? formatAge(ageOf(s)) : tr("never");
        case Helper:
            if (s.helperVersion.isEmpty())
                return s.helperProblem.isEmpty() ? emDash() : tr("none · SFTP polling");
            // "live": the run directories are streamed (vigil-job watch), not polled.
            return s.watching ? tr("%1 · live").arg(s.helperVersion) : s.helperVersion;
        case ActiveJobs:
            return s.activeJobs;
        case PendingCheckpoints:
            return s.pendingCheckpoints;
        case LastError:
            return s.lastError.section(QLatin1Char('\n'), 0, 0);
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Name:
        case Kind:
            return s.address.isEmpty() ? s.name : tr("%1 (%2)").arg(s.name, s.address);
        case Connection:
            return s.connectionMessage.isEmpty() ? connectionStateText(s.connection)
                                                 : s.connectionMessage;
        case DataAge: {
            if (!s.lastRefresh.isValid())
                return tr("No data has arrived from this site yet");
            const QString never = tr("never");
            QString tip =
                tr("Scheduler: %1 (every %2 s)\nRun directories: %3 (%4)")
                    .arg(s.jobsConfirmedAt.isValid() ? formatDateTime(s.jobsConfirmedAt) : never)
                    .arg(s.pollSeconds)
                    .arg(s.runsConfirmedAt.isValid() ? formatDateTime(s.runsConfirmedAt) : never,
                         s.watching                   ? tr("streamed by vigil-job watch")
                         : !s.helperProblem.isEmpty() ? tr("read over SFTP every cycle")
                                                      : tr("scanned every cycle"));
            return tip;
        }
        case Helper:
            if (!s.helperProblem.isEmpty())
                return tr("vigil-job cannot run on this site (%1): the run directories are "
                          "read over SFTP every cycle, and vigil-job is tried again every few "
                          "minutes")
                    .arg(s.helperProblem);
            return {};
        case LastError:
            return s.lastError.isEmpty() ? QVariant() : QVariant(s.lastError);
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ActiveJobs || index.column() == PendingCheckpoints ||
            index.column() == DataAge)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case NameRole:
        return s.name;
    case ConnectionRole:
        return int(s.connection);
    case LastRefreshRole:
        return s.lastRefresh;
    case DataAgeRole:
        return ageOf(s);
    case StaleRole:
        return m_staleAfter > 0 && (ageOf(s) < 0 || ageOf(s) > m_staleAfter);
    case HasErrorRole:
        return !s.lastError.isEmpty() || s.connection == Transport::State::Failed;
    case SortRole:
        switch (index.column()) {
        case DataAge:
            return ageOf(s);
        case Connection:
            return int(s.connection);
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    return {};
}

QVariant SitesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Site");
    case Kind:
        return tr("Kind");
    case Connection:
        return tr("Connection");
    case DataAge:
        return tr("Data age");
    case Helper:
        return tr("Helper");
    case ActiveJobs:
        return tr("Active jobs");
    case PendingCheckpoints:
        return tr("Pending");
    case LastError:
        return tr("Last error");
    }
    return {};
}

QHash<int, QByteArray> SitesModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(ConnectionRole, "connection");
    names.insert(LastRefreshRole, "lastRefresh");
    names.insert(DataAgeRole, "dataAge");
    names.insert(StaleRole, "stale");
    names.insert(HasErrorRole, "hasError");
    names.insert(SortRole, "sortKey");
    return names;
}

int SitesModel::rowOf(const QString &name) const
{
    for (int r = 0; r < m_rows.size(); ++r)
        if (m_rows.at(r).name == name)
            return r;
    return -1;
}

void SitesModel::updateSite(const SiteStatus &status)
{
    const int r = rowOf(status.name);
    if (r < 0) {
        const int at = int(m_rows.size());
        beginInsertRows(QModelIndex(), at, at);
        m_rows << status;
        endInsertRows();
        return;
    }
    const QList<int> cols = changedColumns(m_rows.at(r), status);
    if (cols.isEmpty())
        return;
    m_rows[r] = status;
    Q_EMIT dataChanged(index(r, cols.first()), index(r, cols.last()));
}

void SitesModel::setSites(const QList<SiteStatus> &statuses)
{
    QSet<QString> names;
    for (const SiteStatus &s : statuses)
        names.insert(s.name);
    for (int r = int(m_rows.size()) - 1; r >= 0; --r)
        if (!names.contains(m_rows.at(r).name)) {
            beginRemoveRows(QModelIndex(), r, r);
            m_rows.removeAt(r);
            endRemoveRows();
        }
    for (const SiteStatus &s : statuses)
        updateSite(s);
}

void SitesModel::removeSite(const QString &name)
{
    const int r = rowOf(name);
    if (r < 0)
        return;
    beginRemoveRows(QModelIndex(), r, r);
    m_rows.removeAt(r);
    endRemoveRows();
}

void SitesModel::setClock(Clock clock)
{
    m_clock = std::move(clock);
    tick();
}

void SitesModel::setTickInterval(int msec)
{
    if (msec <= 0) {
        m_tick.stop();
        return;
    }
    m_tick.start(msec);
}

void SitesModel::tick()
{
    if (m_rows.isEmpty())
        return;
    Q_EMIT dataChanged(index(0, DataAge), index(int(m_rows.size()) - 1, DataAge));
}

} // namespace vigil
