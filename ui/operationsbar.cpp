// SPDX-License-Identifier: GPL-3.0-or-later
#include "operationsbar.h"

#include "models/operationsmodel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace vigil {

OperationsBar::OperationsBar(OperationsModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_label(new QLabel(this)), m_bar(new QProgressBar(this)),
      m_cancel(new QPushButton(tr("Cancel"), this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    m_label->setObjectName(QStringLiteral("operationLabel"));
    m_bar->setObjectName(QStringLiteral("operationProgress"));
    m_bar->setFixedWidth(120);
    m_bar->setFormat(tr("%p %"));
    m_cancel->setObjectName(QStringLiteral("operationCancel"));
    m_cancel->setToolTip(tr("Cancel this operation"));
    connect(m_cancel, &QPushButton::clicked, this, &OperationsBar::cancelFirst);
    connect(model, &QAbstractItemModel::rowsInserted, this, &OperationsBar::refresh);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &OperationsBar::refresh);
    connect(model, &QAbstractItemModel::dataChanged, this, &OperationsBar::refresh);
    connect(model, &QAbstractItemModel::modelReset, this, &OperationsBar::refresh);
    refresh();
}

void OperationsBar::refresh()
{
    const int count = m_model->rowCount();
    setVisible(count > 0);
    if (count == 0)
        return;
    const Operation &first = m_model->at(0);
    const bool stopping = m_cancelling.contains(first.id);
    const QString title = stopping ? tr("Cancelling: %1").arg(first.title) : first.title;
    m_label->setText(count == 1 ? title : tr("%1 (and %n more)", nullptr, count - 1).arg(title));
    const int percent = first.percent();
    if (percent < 0) {
        m_bar->setRange(0, 0); // busy
    } else {
        m_bar->setRange(0, 100);
        m_bar->setValue(percent);
    }
    m_cancel->setEnabled(bool(first.cancel) && !stopping);
    QStringList lines;
    for (int row = 0; row < count; ++row)
        lines << m_model->index(row).data().toString();
    setToolTip(lines.join(QLatin1Char('\n')));
}

void OperationsBar::cancelFirst()
{
    if (m_model->rowCount() == 0)
        return;
    const quint64 id = m_model->at(0).id;
    // Ids are never reused: those of ended operations can stay in the set.
    if (m_model->cancel(id)) {
        m_cancelling.insert(id);
        refresh();
    }
}

} // namespace vigil
