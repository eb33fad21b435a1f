// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "workflow/workflow.h"

#include <QGraphicsItem>

namespace vigil {

// A task in the workflow editor: movable and selectable, with an input port
// on its left and an output port on its right (drag from the output port to
// another task to make that task run after this one). A red border and a
// badge when the task has problems.
class EditorNodeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 11 };
    static constexpr QSizeF kSize{176, 62};
    static constexpr qreal kPort = 7; // port radius

    explicit EditorNodeItem(const TaskSpec &task, const Workflow &workflow,
                            QGraphicsItem *parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    QString task() const { return m_name; }
    void setTask(const TaskSpec &task, const Workflow &workflow);
    void setProblems(const QStringList &problems);
    QStringList problems() const { return m_problems; }
    // In scene coordinates.
    QPointF inPort() const { return mapToScene(QPointF(0, kSize.height() / 2)); }
    QPointF outPort() const { return mapToScene(QPointF(kSize.width(), kSize.height() / 2)); }
    // Whether a scene point is on the output port.
    bool isOnOutPort(QPointF scenePos) const;

    // "SLURM", "SSH", "Local", "Container", "Gate": what the node stands for.
    static QString kindLabel(const TaskSpec &task, const Workflow &workflow);
    // The colour of a kind: by the palette key (slurm, ssh, local,
    // container) or the node's site kind, the attention colour for gates.
    static QColor kindColor(bool gate, const QString &key);

private:
    void updateToolTip();

    QString m_name;
    QString m_kind;
    QString m_subtitle;
    QString m_key; // the palette key of its kind
    bool m_gate = false;
    QStringList m_problems;
};

} // namespace vigil
