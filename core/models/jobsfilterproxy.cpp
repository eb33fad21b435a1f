// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobsfilterproxy.h"

#include "jobsmodel.h"
#include "statefmt.h"

namespace vigil {

JobsFilterProxy::JobsFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(JobsModel::SortRole);
    setFilterKeyColumn(-1);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void JobsFilterProxy::setStateFilter(StateFilter filter)
{
    if (filter == m_state)
        return;
    m_state = filter;
    invalidateRowsFilter();
}

void JobsFilterProxy::setSiteFilter(const QString &site)
{
    if (site == m_site)
        return;
    m_site = site;
    invalidateRowsFilter();
}

void JobsFilterProxy::setRunFilter(const QString &runId)
{
    if (runId == m_run)
        return;
    m_run = runId;
    invalidateRowsFilter();
}

void JobsFilterProxy::setText(const QString &text)
{
    setFilterFixedString(text);
}

bool JobsFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_site.isEmpty() && idx.data(JobsModel::SiteRole).toString() != m_site)
        return false;
    if (!m_run.isEmpty() && idx.data(JobsModel::RunRole).toString() != m_run)
        return false;
    if (m_state != StateFilter::All) {
        const auto c = StateClass(idx.data(JobsModel::StateClassRole).toInt());
        if (m_state == StateFilter::Active && !isActiveClass(c))
            return false;
        if (m_state == StateFilter::Finished && !isFinishedClass(c))
            return false;
    }
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

} // namespace vigil
