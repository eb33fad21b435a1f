// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QGraphicsView>
#include <QHash>

class QGraphicsSimpleTextItem;

namespace vigil {

class WorkflowStatus;
class TaskNodeItem;
class DependencyEdgeItem;

// The tasks of the loaded workflow as nodes, their `after` dependencies as
// edges, laid out left to right; each node shows the state of its task in the
// current run and the number of checkpoints waiting. It follows a
// WorkflowStatus: it rebuilds on workflowChanged() and repaints one node on
// taskChanged().
class WorkflowView : public QGraphicsView
{
    Q_OBJECT
public:
    explicit WorkflowView(WorkflowStatus *status, QWidget *parent = nullptr);

    int nodeCount() const { return int(m_nodes.size()); }
    int edgeCount() const { return int(m_edges.size()); }
    TaskNodeItem *node(const QString &task) const { return m_nodes.value(task); }
    QList<DependencyEdgeItem *> edges() const { return m_edges; }

Q_SIGNALS:
    // A node was double-clicked or Enter was pressed on it.
    void taskActivated(const QString &task);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void rebuild();
    void updateTask(const QString &task);
    void updateTitle();
    void fit();

    WorkflowStatus *m_status;
    QGraphicsScene *m_scene;
    QHash<QString, TaskNodeItem *> m_nodes;
    QList<DependencyEdgeItem *> m_edges;
    QGraphicsSimpleTextItem *m_title = nullptr;
    QGraphicsSimpleTextItem *m_subtitle = nullptr;
};

} // namespace vigil
