// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "supervisor.h"

#include <QAbstractTableModel>

namespace vigil {

// Problems the user must see (not the developer log), newest first.
class IssuesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { When, Site, Subject, Message, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        SeverityRole = Qt::UserRole + 1, // int(Issue::Severity)
        IconNameRole,                    // freedesktop icon name for the severity
        WhenRole,                        // QDateTime
        MessageRole,
    };
    Q_ENUM(Role)

    explicit IssuesModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Adds at the top (an issue equal to a listed one moves that one to the
    // top instead); drops the oldest beyond maximumCount().
    void append(const Issue &issue);
    void clear();

    const Issue &issueAt(int row) const { return m_rows.at(row); }
    int maximumCount() const { return m_max; }
    void setMaximumCount(int count);

private:
    void trim();

    QList<Issue> m_rows; // newest first
    int m_max = 1000;
};

QString severityIconName(Issue::Severity severity);

} // namespace vigil
