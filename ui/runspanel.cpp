// SPDX-License-Identifier: GPL-3.0-or-later
#include "runspanel.h"

#include "models/runsmodel.h"
#include "sitespanel.h"

#include <QAction>
#include <QHeaderView>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace vigil {

RunsPanel::RunsPanel(RunsModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)), m_follow(new QAction(tr("&Follow Run"), this)),
      m_unfollow(new QAction(tr("&Stop Following"), this)),
      m_show(new QAction(tr("Show in &Workflow"), this)),
      m_revise(new QAction(tr("&Change Run…"), this)),
      m_mute(new QAction(tr("&Mute Notifications"), this))
{
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(RunsModel::SortRole);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);

    configureTable(m_view);
    m_view->setObjectName(QStringLiteral("runsView"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->sortByColumn(RunsModel::Created, Qt::DescendingOrder);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    const int em = QFontMetrics(font()).horizontalAdvance(QLatin1Char('M'));
    for (auto [col, width] :
         {std::pair{RunsModel::Run, 22}, std::pair{RunsModel::Workflow, 9},
          std::pair{RunsModel::Sites, 7}, std::pair{RunsModel::Created, 11},
          std::pair{RunsModel::Tasks, 10}, std::pair{RunsModel::Checkpoints, 6}})
        header->resizeSection(col, std::max(width * em, header->sectionSizeHint(col)));

    m_follow->setObjectName(QStringLiteral("followRunAction"));
    m_follow->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    m_follow->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_follow->setToolTip(tr("Run this run's engine in this window: gates, cross-site steps and "
                            "run-time changes are handled while it is open, and again after a "
                            "restart"));
    m_unfollow->setObjectName(QStringLiteral("unfollowRunAction"));
    m_unfollow->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_show->setObjectName(QStringLiteral("showRunAction"));
    m_revise->setObjectName(QStringLiteral("reviseRunAction"));
    m_mute->setObjectName(QStringLiteral("muteRunAction"));
    m_mute->setCheckable(true);
    m_mute->setToolTip(tr("No desktop notification or reminder for this run's checkpoints; "
                          "they still arrive in the inbox"));
    m_revise->setToolTip(tr("Edit the run's workflow while it runs: add a task, change one not "
                            "started yet, skip one; published as the run's next revision"));
    for (QAction *a : {m_follow, m_unfollow})
        addAction(a);

    auto current = [this]() -> QModelIndex { return m_view->currentIndex(); };
    connect(m_follow, &QAction::triggered, this, [this, current] {
        const QModelIndex idx = current();
        if (idx.isValid())
            Q_EMIT followRequested(idx.data(RunsModel::RunIdRole).toString(),
                                   idx.data(RunsModel::SiteRole).toString());
    });
    connect(m_unfollow, &QAction::triggered, this, [this, current] {
        const QModelIndex idx = current();
        if (idx.isValid())
            Q_EMIT unfollowRequested(idx.data(RunsModel::RunIdRole).toString());
    });
    connect(m_show, &QAction::triggered, this, [this, current] {
        const QModelIndex idx = current();
        if (idx.isValid())
            Q_EMIT showRunRequested(idx.data(RunsModel::RunIdRole).toString());
    });
    connect(m_revise, &QAction::triggered, this, [this, current] {
        const QModelIndex idx = current();
        if (idx.isValid())
            Q_EMIT reviseRequested(idx.data(RunsModel::RunIdRole).toString());
    });
    connect(m_mute, &QAction::triggered, this, [this, current](bool checked) {
        const QModelIndex idx = current();
        if (idx.isValid())
            Q_EMIT muteRunRequested(idx.data(RunsModel::RunIdRole).toString(), checked);
    });
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &idx) {
        Q_EMIT showRunRequested(idx.data(RunsModel::RunIdRole).toString());
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &RunsPanel::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &RunsPanel::updateActions);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, &RunsPanel::updateActions);
    updateActions();
}

void RunsPanel::setRunMuted(const QString &runId, bool muted)
{
    if (muted)
        m_mutedRuns.insert(runId);
    else
        m_mutedRuns.remove(runId);
    updateActions();
}

void RunsPanel::setFollowingEnabled(bool enabled)
{
    m_followingEnabled = enabled;
    m_follow->setVisible(enabled);
    m_unfollow->setVisible(enabled);
    updateActions();
}

bool RunsPanel::selectRun(const QString &runId, const QString &site)
{
    const int row = site.isEmpty() ? m_model->rowOf(runId) : m_model->rowOf(runId, site);
    if (row < 0)
        return false;
    const QModelIndex idx = m_proxy->mapFromSource(m_model->index(row, RunsModel::Run));
    m_view->setCurrentIndex(idx);
    m_view->scrollTo(idx);
    return true;
}

void RunsPanel::updateActions()
{
    const QModelIndex idx = m_view->currentIndex();
    const bool followed = idx.data(RunsModel::FollowedRole).toBool();
    const bool readOnly = idx.data(RunsModel::ReadOnlyRole).toBool(); // a review bundle's run
    m_follow->setEnabled(m_followingEnabled && idx.isValid() && !followed && !readOnly);
    m_unfollow->setEnabled(m_followingEnabled && idx.isValid() && followed);
    m_show->setEnabled(idx.isValid());
    m_mute->setEnabled(idx.isValid());
    m_mute->setChecked(m_mutedRuns.contains(idx.data(RunsModel::RunIdRole).toString()));
    m_revise->setEnabled(idx.isValid() && !readOnly &&
                         !idx.data(RunsModel::SiteRole).toString().isEmpty());
}

void RunsPanel::showContextMenu(const QPoint &pos)
{
    if (!m_view->indexAt(pos).isValid())
        return;
    updateActions();
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(m_show);
    menu->addAction(m_revise);
    menu->addAction(m_mute);
    if (m_followingEnabled) {
        menu->addSeparator();
        menu->addAction(m_follow);
        menu->addAction(m_unfollow);
    }
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

QByteArray RunsPanel::saveState() const
{
    return m_view->horizontalHeader()->saveState();
}

void RunsPanel::restoreState(const QByteArray &state)
{
    if (!state.isEmpty())
        m_view->horizontalHeader()->restoreState(state);
}

} // namespace vigil
