// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflowview.h"

#include "models/workflowstatus.h"
#include "workflowitems.h"
#include "workflowlayout.h"

#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QScrollBar>
#include <algorithm>

namespace vigil {

namespace {
constexpr qreal kMargin = 24;
} // namespace

WorkflowView::WorkflowView(WorkflowStatus *status, QWidget *parent)
    : QGraphicsView(parent), m_status(status), m_scene(new QGraphicsScene(this))
{
    setObjectName(QStringLiteral("workflowView"));
    setScene(m_scene);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setAlignment(Qt::AlignCenter);
    setFrameShape(QFrame::NoFrame);
    setDragMode(QGraphicsView::ScrollHandDrag);
    viewport()->setBackgroundRole(QPalette::Window);
    m_scene->setPalette(palette());

    connect(status, &WorkflowStatus::workflowChanged, this, &WorkflowView::rebuild);
    connect(status, &WorkflowStatus::taskChanged, this, &WorkflowView::updateTask);
    connect(status, &WorkflowStatus::currentRunChanged, this, &WorkflowView::updateTitle);
    rebuild();
}

void WorkflowView::rebuild()
{
    m_scene->clear();
    m_nodes.clear();
    m_edges.clear();
    m_title = m_scene->addSimpleText(QString());
    m_subtitle = m_scene->addSimpleText(QString());
    QFont big = font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.3);
    m_title->setFont(big);

    const Workflow &wf = m_status->workflow();
    const QHash<QString, QPointF> pos = layoutWorkflow(wf, TaskNodeItem::kSize, QSizeF(40, 28));
    for (const TaskSpec &t : wf.tasks) {
        auto *node = new TaskNodeItem(t);
        node->setPos(pos.value(t.name));
        node->setStatus(m_status->status(t.name));
        m_scene->addItem(node);
        m_nodes.insert(t.name, node);
    }
    for (const TaskSpec &t : wf.tasks)
        for (const QString &dep : t.after) {
            TaskNodeItem *from = m_nodes.value(dep);
            TaskNodeItem *to = m_nodes.value(t.name);
            if (!from || !to)
                continue;
            auto *edge = new DependencyEdgeItem(dep, t.name);
            edge->route(from->nodeRect(), to->nodeRect());
            m_scene->addItem(edge);
            m_edges << edge;
        }
    updateTitle();
}

void WorkflowView::updateTitle()
{
    const Workflow &wf = m_status->workflow();
    QRectF graph;
    for (TaskNodeItem *n : std::as_const(m_nodes))
        graph = graph.united(n->nodeRect().adjusted(0, -12, 12, 0));
    for (DependencyEdgeItem *e : std::as_const(m_edges))
        graph = graph.united(e->sceneBoundingRect());

    if (wf.tasks.isEmpty()) {
        m_title->setText(tr("No workflow loaded"));
        m_subtitle->setText(tr("Start Vigil with a workflow file: vigil WORKFLOW.toml"));
    } else {
        m_title->setText(wf.name);
        QString sub = m_status->currentRun().isEmpty() ? tr("No run yet")
                                                       : tr("Run %1").arg(m_status->currentRun());
        if (!wf.description.isEmpty())
            sub = wf.description + QStringLiteral("  ·  ") + sub;
        m_subtitle->setText(sub);
    }
    m_title->setBrush(palette().color(QPalette::WindowText));
    m_subtitle->setBrush(palette().color(QPalette::PlaceholderText));
    const qreal top = graph.isNull() ? 0 : graph.top();
    const qreal left = graph.isNull() ? 0 : graph.left();
    const qreal subH = m_subtitle->boundingRect().height();
    m_subtitle->setPos(left, top - subH - 14);
    m_title->setPos(left, m_subtitle->pos().y() - m_title->boundingRect().height() - 2);

    const QRectF all = m_scene->itemsBoundingRect().adjusted(-kMargin, -kMargin, kMargin, kMargin);
    m_scene->setSceneRect(all);
    fit();
}

void WorkflowView::updateTask(const QString &task)
{
    if (TaskNodeItem *n = m_nodes.value(task))
        n->setStatus(m_status->status(task));
}

void WorkflowView::fit()
{
    const QRectF r = m_scene->sceneRect();
    if (r.isEmpty())
        return;
    // Shrink a large graph to fit, but not below a readable size: beyond that, scroll.
    const QSizeF avail = viewport()->size();
    const qreal scale =
        std::clamp(std::min(avail.width() / r.width(), avail.height() / r.height()), 0.8, 1.0);
    setTransform(QTransform::fromScale(scale, scale));
    centerOn(r.center());
    // Too large even so: show the start of the workflow (its left and top).
    if (r.width() * scale > avail.width())
        horizontalScrollBar()->setValue(horizontalScrollBar()->minimum());
    if (r.height() * scale > avail.height())
        verticalScrollBar()->setValue(verticalScrollBar()->minimum());
}

void WorkflowView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    fit();
}

void WorkflowView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        m_scene->setPalette(palette());
        updateTitle();
    }
    QGraphicsView::changeEvent(event);
}

void WorkflowView::mouseDoubleClickEvent(QMouseEvent *event)
{
    for (QGraphicsItem *item : items(event->position().toPoint()))
        if (item->type() == TaskNodeItem::Type) {
            Q_EMIT taskActivated(static_cast<TaskNodeItem *>(item)->task());
            return;
        }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void WorkflowView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        for (QGraphicsItem *item : m_scene->selectedItems())
            if (item->type() == TaskNodeItem::Type) {
                Q_EMIT taskActivated(static_cast<TaskNodeItem *>(item)->task());
                return;
            }
    }
    QGraphicsView::keyPressEvent(event);
}

} // namespace vigil
