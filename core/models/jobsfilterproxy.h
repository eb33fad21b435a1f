// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSortFilterProxyModel>

namespace vigil {

// Sorts a JobsModel by its SortRole (durations by seconds, ids numerically)
// and filters it by state class, site, run and free text.
class JobsFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class StateFilter { All, Active, Finished };
    Q_ENUM(StateFilter)

    explicit JobsFilterProxy(QObject *parent = nullptr);

    StateFilter stateFilter() const { return m_state; }
    void setStateFilter(StateFilter filter);
    // Empty: every site / every run.
    QString siteFilter() const { return m_site; }
    void setSiteFilter(const QString &site);
    QString runFilter() const { return m_run; }
    void setRunFilter(const QString &runId);
    // Case-insensitive substring of any column.
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    StateFilter m_state = StateFilter::All;
    QString m_site;
    QString m_run;
};

} // namespace vigil
