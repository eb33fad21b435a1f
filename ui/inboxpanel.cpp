// SPDX-License-Identifier: GPL-3.0-or-later
#include "inboxpanel.h"

#include "inboxdelegate.h"
#include "models/checkpointsmodel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QStackedLayout>
#include <QVBoxLayout>

namespace vigil {

InboxPanel::InboxPanel(CheckpointsModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_proxy(new PendingCheckpointsProxy(this)),
      m_view(new QListView(this)), m_empty(new QLabel(this)), m_stack(new QStackedLayout),
      m_showAll(new QCheckBox(tr("Show &decided"), this))
{
    m_proxy->setSourceModel(model);
    m_view->setObjectName(QStringLiteral("inboxView"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new InboxDelegate(m_view));
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setUniformItemSizes(true);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setToolTip(tr("Double-click or press Enter to review a checkpoint"));

    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setEnabled(false); // the palette's disabled text: a quiet placeholder
    m_empty->setText(tr("No checkpoint is waiting for you."));

    auto *holder = new QWidget(this);
    holder->setLayout(m_stack);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 0);
    bar->addStretch(1);
    bar->addWidget(m_showAll);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(holder, 1);

    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT openRequested(index.data(CheckpointsModel::KeyRole).toString());
    });
    connect(m_showAll, &QCheckBox::toggled, this, [this](bool all) {
        m_proxy->setShowAll(all);
        updatePlaceholder();
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &InboxPanel::updatePlaceholder);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &InboxPanel::updatePlaceholder);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &InboxPanel::updatePlaceholder);
    updatePlaceholder();
}

void InboxPanel::updatePlaceholder()
{
    const bool empty = m_proxy->rowCount() == 0;
    m_empty->setText(m_model->rowCount() == 0 || !m_showAll->isChecked()
                         ? tr("No checkpoint is waiting for you.")
                         : tr("No checkpoints."));
    m_stack->setCurrentWidget(empty ? static_cast<QWidget *>(m_empty) : m_view);
}

QString InboxPanel::currentKey() const
{
    QModelIndex idx = m_view->currentIndex();
    if (!idx.isValid())
        idx = m_proxy->index(0, 0);
    return idx.isValid() ? idx.data(CheckpointsModel::KeyRole).toString() : QString();
}

bool InboxPanel::showAll() const
{
    return m_showAll->isChecked();
}

void InboxPanel::setShowAll(bool all)
{
    m_showAll->setChecked(all);
}

} // namespace vigil
