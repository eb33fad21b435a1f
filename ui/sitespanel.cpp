// SPDX-License-Identifier: GPL-3.0-or-later
#include "sitespanel.h"

#include "decoratingdelegate.h"
#include "models/sitesmodel.h"
#include "statecolors.h"

#include <QAction>
#include <QHeaderView>
#include <QTableView>
#include <QVBoxLayout>

namespace vigil {

void configureTable(QTableView *view)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->setWordWrap(false);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    view->setFrameShape(QFrame::NoFrame);
}

SitesPanel::SitesPanel(SitesModel *model, QWidget *parent)
    : QWidget(parent), m_view(new QTableView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    configureTable(m_view);
    m_view->setModel(model);
    m_view->setItemDelegate(new DecoratingDelegate(
        [](QStyleOptionViewItem *option, const QModelIndex &index) {
            switch (index.column()) {
            case SitesModel::Connection:
                DecoratingDelegate::setIcon(
                    option, dotIcon(connectionColor(
                                Transport::State(index.data(SitesModel::ConnectionRole).toInt()))));
                break;
            case SitesModel::DataAge:
                if (index.data(SitesModel::StaleRole).toBool())
                    DecoratingDelegate::setTextColor(option, attentionColor());
                break;
            case SitesModel::PendingCheckpoints:
                if (index.data().toInt() > 0) {
                    DecoratingDelegate::setTextColor(option, attentionColor());
                    option->font.setBold(true);
                }
                break;
            case SitesModel::LastError:
                if (!index.data().toString().isEmpty())
                    DecoratingDelegate::setTextColor(option, stateColor(StateClass::Failed));
                break;
            default:
                break;
            }
        },
        m_view));
    m_view->setObjectName(QStringLiteral("sitesView"));
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
}

void SitesPanel::addSiteAction(QAction *action)
{
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addAction(action);
}

} // namespace vigil
