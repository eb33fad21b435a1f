// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QGraphicsView>
#include <QHash>

class QGraphicsLineItem;

namespace vigil {

class WorkflowDocument;
class EditorNodeItem;
class DependencyEdgeItem;

// The editor's canvas over a WorkflowDocument: a node per task, an edge per
// `after`. It follows the document's signals; every change the user makes
// (drop a node from the palette, drag nodes, drag from an output port to
// another node) goes to the document as an edit. Ctrl+wheel zooms; the
// scroll bars and the middle button pan.
class WorkflowCanvas : public QGraphicsView
{
    Q_OBJECT
public:
    static constexpr auto kNodeMime = "application/x-vigil-node";

    explicit WorkflowCanvas(WorkflowDocument *doc, QWidget *parent = nullptr);

    EditorNodeItem *node(const QString &task) const { return m_nodes.value(task); }
    int nodeCount() const { return int(m_nodes.size()); }
    int edgeCount() const { return int(m_edges.size()); }
    QStringList selectedTasks() const;
    // Selected edges, as (from, to).
    QList<QPair<QString, QString>> selectedEdges() const;
    void selectTasks(const QStringList &names);

    void zoomBy(qreal factor);
    void fitAll();
    // The centre of what is shown, in scene coordinates.
    QPointF visibleCenter() const;

Q_SIGNALS:
    // A palette entry (its key) dropped at a scene position.
    void nodeDropped(const QString &key, QPointF scenePos);
    // The one selected task, or "" for none or several.
    void currentTaskChanged(const QString &task);
    // An edit the document refused (a cycle...).
    void refused(const QString &why);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuild();
    void addNode(const QString &task);
    void removeNode(const QString &task);
    void updateNode(const QString &task);
    void moveNode(const QString &task);
    void renameNode(const QString &from, const QString &to);
    void rebuildEdges();
    void routeEdges();
    void routeEdge(DependencyEdgeItem *edge);
    void updateProblems();
    EditorNodeItem *nodeAt(QPointF scenePos) const;

    WorkflowDocument *m_doc;
    QGraphicsScene *m_scene;
    QHash<QString, EditorNodeItem *> m_nodes;
    QList<DependencyEdgeItem *> m_edges;
    QMultiHash<QString, DependencyEdgeItem *> m_edgesOf; // task -> the edges at its ends
    QGraphicsLineItem *m_wire = nullptr;                 // while connecting
    QString m_wireFrom;
    bool m_dragging = false; // moving nodes with the mouse
    int m_drag = 0;          // the current drag's id (moves merge within it)
    bool m_panning = false;
    bool m_fitPending = true; // fit once the view has its size
    QPoint m_panFrom;
};

} // namespace vigil
