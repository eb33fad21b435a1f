// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflowcanvas.h"

#include "editoritems.h"
#include "workflowdocument.h"
#include "workflowitems.h"

#include <QDragEnterEvent>
#include <QGraphicsLineItem>
#include <QMimeData>
#include <QScrollBar>

namespace vigil {

WorkflowCanvas::WorkflowCanvas(WorkflowDocument *doc, QWidget *parent)
    : QGraphicsView(parent), m_doc(doc), m_scene(new QGraphicsScene(this))
{
    setObjectName(QStringLiteral("workflowCanvas"));
    setScene(m_scene);
    m_scene->setPalette(palette());
    setAcceptDrops(true);
    setRenderHint(QPainter::Antialiasing);
    setDragMode(RubberBandDrag);
    setViewportUpdateMode(SmartViewportUpdate);
    setTransformationAnchor(AnchorUnderMouse);
    connect(doc, &WorkflowDocument::workflowReset, this, &WorkflowCanvas::rebuild);
    connect(doc, &WorkflowDocument::taskAdded, this, &WorkflowCanvas::addNode);
    connect(doc, &WorkflowDocument::taskRemoved, this, &WorkflowCanvas::removeNode);
    connect(doc, &WorkflowDocument::taskChanged, this, &WorkflowCanvas::updateNode);
    connect(doc, &WorkflowDocument::taskMoved, this, &WorkflowCanvas::moveNode);
    connect(doc, &WorkflowDocument::taskRenamed, this, &WorkflowCanvas::renameNode);
    connect(doc, &WorkflowDocument::edgesChanged, this, &WorkflowCanvas::rebuildEdges);
    connect(doc, &WorkflowDocument::problemsChanged, this, &WorkflowCanvas::updateProblems);
    connect(m_scene, &QGraphicsScene::selectionChanged, this, [this] {
        const QStringList sel = selectedTasks();
        Q_EMIT currentTaskChanged(sel.size() == 1 ? sel.first() : QString());
    });
    rebuild();
}

void WorkflowCanvas::rebuild()
{
    m_wire = nullptr;
    m_scene->clear();
    m_nodes.clear();
    m_edges.clear();
    m_edgesOf.clear();
    for (const TaskSpec &t : m_doc->workflow().tasks)
        addNode(t.name);
    rebuildEdges();
    m_fitPending = true;
    if (isVisible())
        fitAll();
}

void WorkflowCanvas::addNode(const QString &task)
{
    const TaskSpec *t = m_doc->task(task);
    if (!t || m_nodes.contains(task))
        return;
    auto *item = new EditorNodeItem(*t, m_doc->workflow());
    item->setPos(t->position);
    item->setProblems(m_doc->problemsOf(task));
    item->setCacheMode(QGraphicsItem::DeviceCoordinateCache);
    m_scene->addItem(item);
    m_nodes.insert(task, item);
}

void WorkflowCanvas::removeNode(const QString &task)
{
    delete m_nodes.take(task);
    rebuildEdges();
}

void WorkflowCanvas::updateNode(const QString &task)
{
    if (EditorNodeItem *n = m_nodes.value(task))
        if (const TaskSpec *t = m_doc->task(task))
            n->setTask(*t, m_doc->workflow());
}

void WorkflowCanvas::moveNode(const QString &task)
{
    EditorNodeItem *n = m_nodes.value(task);
    const TaskSpec *t = m_doc->task(task);
    if (!n || !t)
        return;
    if (n->pos() != t->position)
        n->setPos(t->position);
    // Only this node's edges: a drag of many nodes moves each once per step.
    for (DependencyEdgeItem *e : m_edgesOf.values(task))
        routeEdge(e);
}

void WorkflowCanvas::renameNode(const QString &from, const QString &to)
{
    if (EditorNodeItem *n = m_nodes.take(from))
        m_nodes.insert(to, n);
    rebuildEdges();
}

void WorkflowCanvas::rebuildEdges()
{
    for (DependencyEdgeItem *e : std::as_const(m_edges))
        delete e;
    m_edges.clear();
    m_edgesOf.clear();
    for (const TaskSpec &t : m_doc->workflow().tasks)
        for (const QString &from : t.after)
            if (m_nodes.contains(from) && m_nodes.contains(t.name)) {
                auto *e = new DependencyEdgeItem(from, t.name);
                e->setFlag(QGraphicsItem::ItemIsSelectable);
                e->setZValue(-1);
                m_scene->addItem(e);
                m_edges << e;
                m_edgesOf.insert(from, e);
                m_edgesOf.insert(t.name, e);
            }
    routeEdges();
}

void WorkflowCanvas::routeEdges()
{
    for (DependencyEdgeItem *e : std::as_const(m_edges))
        routeEdge(e);
}

void WorkflowCanvas::routeEdge(DependencyEdgeItem *e)
{
    const EditorNodeItem *a = m_nodes.value(e->from());
    const EditorNodeItem *b = m_nodes.value(e->to());
    if (a && b)
        e->route(QRectF(a->pos(), EditorNodeItem::kSize), QRectF(b->pos(), EditorNodeItem::kSize));
}

void WorkflowCanvas::updateProblems()
{
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it)
        it.value()->setProblems(m_doc->problemsOf(it.key()));
}

QStringList WorkflowCanvas::selectedTasks() const
{
    QStringList out;
    for (QGraphicsItem *i : m_scene->selectedItems())
        if (i->type() == EditorNodeItem::Type)
            out << static_cast<EditorNodeItem *>(i)->task();
    out.sort();
    return out;
}

QList<QPair<QString, QString>> WorkflowCanvas::selectedEdges() const
{
    QList<QPair<QString, QString>> out;
    for (QGraphicsItem *i : m_scene->selectedItems())
        if (i->type() == DependencyEdgeItem::Type) {
            const auto *e = static_cast<DependencyEdgeItem *>(i);
            out << qMakePair(e->from(), e->to());
        }
    return out;
}

void WorkflowCanvas::selectTasks(const QStringList &names)
{
    m_scene->clearSelection();
    for (const QString &n : names)
        if (EditorNodeItem *item = m_nodes.value(n)) {
            item->setSelected(true);
            ensureVisible(item);
        }
}

void WorkflowCanvas::zoomBy(qreal factor)
{
    const qreal now = transform().m11();
    const qreal target = std::clamp(now * factor, 0.1, 4.0);
    scale(target / now, target / now);
}

void WorkflowCanvas::fitAll()
{
    const QRectF r = m_scene->itemsBoundingRect().adjusted(-40, -40, 40, 40);
    m_scene->setSceneRect(r.united(QRectF(-400, -300, 800, 600)));
    if (m_nodes.isEmpty()) {
        resetTransform();
        centerOn(0, 0);
        return;
    }
    m_fitPending = !isVisible();
    // Shrink a large graph to fit, but not below a readable size: beyond
    // that, scroll; never larger than life.
    const QSizeF avail = viewport()->size();
    const qreal scale =
        std::clamp(std::min(avail.width() / r.width(), avail.height() / r.height()), 0.5, 1.0);
    setTransform(QTransform::fromScale(scale, scale));
    centerOn(r.center());
}

QPointF WorkflowCanvas::visibleCenter() const
{
    return mapToScene(viewport()->rect().center());
}

EditorNodeItem *WorkflowCanvas::nodeAt(QPointF scenePos) const
{
    for (QGraphicsItem *i : m_scene->items(scenePos))
        if (i->type() == EditorNodeItem::Type)
            return static_cast<EditorNodeItem *>(i);
    return nullptr;
}

void WorkflowCanvas::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasFormat(QLatin1String(kNodeMime)))
        event->acceptProposedAction();
    else
        QGraphicsView::dragEnterEvent(event);
}

void WorkflowCanvas::dragMoveEvent(QDragMoveEvent *event)
{
    if (event->mimeData()->hasFormat(QLatin1String(kNodeMime)))
        event->acceptProposedAction();
    else
        QGraphicsView::dragMoveEvent(event);
}

void WorkflowCanvas::dropEvent(QDropEvent *event)
{
    if (!event->mimeData()->hasFormat(QLatin1String(kNodeMime))) {
        QGraphicsView::dropEvent(event);
        return;
    }
    const QString key = QString::fromUtf8(event->mimeData()->data(QLatin1String(kNodeMime)));
    // The node's centre where it was dropped.
    const QPointF at =
        mapToScene(event->position().toPoint()) -
        QPointF(EditorNodeItem::kSize.width() / 2, EditorNodeItem::kSize.height() / 2);
    event->acceptProposedAction();
    Q_EMIT nodeDropped(key, at);
}

void WorkflowCanvas::mousePressEvent(QMouseEvent *event)
{
    const QPointF at = mapToScene(event->position().toPoint());
    if (event->button() == Qt::MiddleButton) {
        m_panning = true;
        m_panFrom = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        return;
    }
    if (event->button() == Qt::LeftButton) {
        EditorNodeItem *n = nodeAt(at);
        if (n && n->isOnOutPort(at)) {
            m_wireFrom = n->task();
            m_wire = m_scene->addLine(QLineF(n->outPort(), at),
                                      QPen(palette().color(QPalette::Highlight), 2, Qt::DashLine));
            return;
        }
        if (n) {
            m_dragging = true;
            ++m_drag;
        }
    }
    QGraphicsView::mousePressEvent(event);
}

void WorkflowCanvas::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPoint d = event->position().toPoint() - m_panFrom;
        m_panFrom = event->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - d.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - d.y());
        return;
    }
    if (m_wire) {
        QLineF l = m_wire->line();
        l.setP2(mapToScene(event->position().toPoint()));
        m_wire->setLine(l);
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
    if (m_dragging && (event->buttons() & Qt::LeftButton)) {
        // The items moved: the document follows, one undo step per drag.
        QHash<QString, QPointF> positions;
        for (QGraphicsItem *i : m_scene->selectedItems())
            if (i->type() == EditorNodeItem::Type)
                positions.insert(static_cast<EditorNodeItem *>(i)->task(), i->pos());
        m_doc->moveTasks(positions, m_drag);
    }
}

void WorkflowCanvas::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning && event->button() == Qt::MiddleButton) {
        m_panning = false;
        viewport()->unsetCursor();
        return;
    }
    if (m_wire && event->button() == Qt::LeftButton) {
        delete m_wire;
        m_wire = nullptr;
        const EditorNodeItem *target = nodeAt(mapToScene(event->position().toPoint()));
        if (target && target->task() != m_wireFrom) {
            QString why;
            if (!m_doc->connectTasks(m_wireFrom, target->task(), &why))
                Q_EMIT refused(why);
        }
        return;
    }
    m_dragging = false;
    QGraphicsView::mouseReleaseEvent(event);
}

void WorkflowCanvas::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        zoomBy(event->angleDelta().y() > 0 ? 1.15 : 1 / 1.15);
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void WorkflowCanvas::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (m_fitPending && isVisible())
        fitAll();
}

void WorkflowCanvas::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_scene->setPalette(palette());
    QGraphicsView::changeEvent(event);
}

} // namespace vigil
