// SPDX-License-Identifier: GPL-3.0-or-later
#include "operationsmodel.h"

#include <QLocale>
#include <algorithm>

namespace vigil {

int Operation::percent() const
{
    if (bytesTotal < 0)
        return -1;
    if (bytesTotal == 0)
        return 100;
    return int(std::clamp<qint64>(bytesDone * 100 / bytesTotal, 0, 100));
}

OperationsModel::OperationsModel(QObject *parent) : QAbstractListModel(parent) {}

int OperationsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant OperationsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Operation &op = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return tr("%1 (%2)").arg(op.title, progressText(op));
    case Qt::ToolTipRole:
        return op.run.isEmpty() ? op.title : tr("%1, run %2").arg(op.title, op.run);
    case IdRole:
        return op.id;
    case SiteRole:
        return op.site;
    case RunRole:
        return op.run;
    case TitleRole:
        return op.title;
    case BytesDoneRole:
        return op.bytesDone;
    case BytesTotalRole:
        return op.bytesTotal;
    case PercentRole:
        return op.percent();
    case StartedRole:
        return op.started;
    case CancellableRole:
        return bool(op.cancel);
    default:
        return {};
    }
}

QHash<int, QByteArray> OperationsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "id");
    names.insert(SiteRole, "site");
    names.insert(RunRole, "run");
    names.insert(TitleRole, "title");
    names.insert(BytesDoneRole, "bytesDone");
    names.insert(BytesTotalRole, "bytesTotal");
    names.insert(PercentRole, "percent");
    names.insert(StartedRole, "started");
    names.insert(CancellableRole, "cancellable");
    return names;
}

quint64 OperationsModel::add(Operation operation)
{
    operation.id = m_nextId++;
    if (!operation.started.isValid())
        operation.started = QDateTime::currentDateTimeUtc();
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(std::move(operation));
    endInsertRows();
    return m_rows.last().id;
}

void OperationsModel::setProgress(quint64 id, qint64 bytesDone, qint64 bytesTotal)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    Operation &op = m_rows[row];
    if (op.bytesDone == bytesDone && op.bytesTotal == bytesTotal)
        return;
    op.bytesDone = bytesDone;
    op.bytesTotal = bytesTotal;
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at, {Qt::DisplayRole, BytesDoneRole, BytesTotalRole, PercentRole});
}

void OperationsModel::remove(quint64 id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

bool OperationsModel::cancel(quint64 id)
{
    const int row = rowOf(id);
    if (row < 0 || !m_rows.at(row).cancel)
        return false;
    // A copy: the function may remove the row.
    const std::function<void()> cancel = m_rows.at(row).cancel;
    cancel();
    return true;
}

int OperationsModel::rowOf(quint64 id) const
{
    const auto it = std::find_if(m_rows.cbegin(), m_rows.cend(),
                                 [id](const Operation &op) { return op.id == id; });
    return it == m_rows.cend() ? -1 : int(it - m_rows.cbegin());
}

QString OperationsModel::progressText(const Operation &operation)
{
    const int percent = operation.percent();
    if (percent >= 0)
        return tr("%1 %").arg(percent);
    return QLocale().formattedDataSize(operation.bytesDone);
}

} // namespace vigil
