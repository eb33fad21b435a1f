// SPDX-License-Identifier: GPL-3.0-or-later
#include "issuesmodel.h"

#include "statefmt.h"

#include <QLocale>

namespace vigil {

QString severityIconName(Issue::Severity severity)
{
    switch (severity) {
    case Issue::Severity::Info:
        return QStringLiteral("dialog-information");
    case Issue::Severity::Warning:
        return QStringLiteral("dialog-warning");
    case Issue::Severity::Error:
        return QStringLiteral("dialog-error");
    }
    return {};
}

IssuesModel::IssuesModel(QObject *parent) : QAbstractTableModel(parent) {}

int IssuesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int IssuesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IssuesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Issue &i = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case When:
            return i.when.isValid()
                       ? QLocale().toString(i.when.toLocalTime().time(), QLocale::ShortFormat)
                       : QString();
        case Site:
            return i.site;
        case Subject:
            return i.subject;
        case Message:
            return i.message.section(QLatin1Char('\n'), 0, 0);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == When)
            return formatDateTime(i.when);
        if (index.column() == Message)
            return i.message;
        return {};
    case SeverityRole:
        return int(i.severity);
    case IconNameRole:
        return severityIconName(i.severity);
    case WhenRole:
        return i.when;
    case MessageRole:
        return i.message;
    }
    return {};
}

QVariant IssuesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case When:
        return tr("Time");
    case Site:
        return tr("Site");
    case Subject:
        return tr("Subject");
    case Message:
        return tr("Message");
    }
    return {};
}

QHash<int, QByteArray> IssuesModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SeverityRole, "severity");
    names.insert(IconNameRole, "iconName");
    names.insert(WhenRole, "when");
    names.insert(MessageRole, "message");
    return names;
}

void IssuesModel::append(const Issue &issue)
{
    Issue fresh = issue;
    if (!fresh.when.isValid())
        fresh.when = QDateTime::currentDateTimeUtc();

    // The same problem again (a site that stays unreachable, a file that stays
    // malformed) moves to the top with its new time instead of piling up.
    for (int r = 0; r < m_rows.size(); ++r) {
        const Issue &old = m_rows.at(r);
        if (old.severity != fresh.severity || old.site != fresh.site ||
            old.subject != fresh.subject || old.message != fresh.message)
            continue;
        if (r > 0) {
            beginMoveRows(QModelIndex(), r, r, QModelIndex(), 0);
            m_rows.move(r, 0);
            endMoveRows();
        }
        m_rows[0].when = fresh.when;
        Q_EMIT dataChanged(index(0, When), index(0, When));
        return;
    }

    beginInsertRows(QModelIndex(), 0, 0);
    m_rows.prepend(fresh);
    endInsertRows();
    trim();
}

void IssuesModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginRemoveRows(QModelIndex(), 0, int(m_rows.size()) - 1);
    m_rows.clear();
    endRemoveRows();
}

void IssuesModel::setMaximumCount(int count)
{
    m_max = std::max(1, count);
    trim();
}

void IssuesModel::trim()
{
    if (m_rows.size() <= m_max)
        return;
    beginRemoveRows(QModelIndex(), m_max, int(m_rows.size()) - 1);
    m_rows.resize(m_max);
    endRemoveRows();
}

} // namespace vigil
