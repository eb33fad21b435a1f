// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/workflowstatus.h"

#include <QGraphicsItem>
#include <QGraphicsPathItem>

namespace vigil {

// One task of the workflow: name, site, state (colour and text) and a badge
// with the number of pending checkpoints.
class TaskNodeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 1 };
    static constexpr QSizeF kSize{168, 66};

    TaskNodeItem(const TaskSpec &task, QGraphicsItem *parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    QString task() const { return m_task; }
    void setStatus(const TaskStatus &status);
    const TaskStatus &status() const { return m_status; }
    // The node without its badge, in scene coordinates.
    QRectF nodeRect() const { return QRectF(pos(), kSize); }

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent *event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *event) override;

private:
    QString m_task;
    QString m_site;
    TaskStatus m_status;
    bool m_hover = false;
};

// A dependency: from the task that must finish to the task that waits for it.
class DependencyEdgeItem : public QGraphicsPathItem
{
public:
    enum { Type = UserType + 2 };

    DependencyEdgeItem(const QString &from, const QString &to, QGraphicsItem *parent = nullptr);
    int type() const override { return Type; }
    QString from() const { return m_from; }
    QString to() const { return m_to; }
    void route(const QRectF &fromRect, const QRectF &toRect);
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QString m_from;
    QString m_to;
    QPolygonF m_arrow;
};

} // namespace vigil
