// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflowitems.h"

#include "statecolors.h"

#include <QCoreApplication>
#include <QGraphicsScene>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <cmath>

namespace vigil {

namespace {

constexpr qreal kBadge = 22;

class NodeText
{
    Q_DECLARE_TR_FUNCTIONS(vigil::TaskNodeItem)
public:
    static QString tooltip(const QString &task, const QString &site, const TaskStatus &s)
    {
        const QString where = s.site.isEmpty() ? site : s.site;
        QStringList lines{where.isEmpty() ? tr("Gate %1").arg(task)
                                          : tr("Task %1 on %2").arg(task, where)};
        lines << tr("State: %1")
                     .arg(s.stateText.isEmpty() ? stateClassName(s.stateClass) : s.stateText);
        if (!s.jobId.isEmpty())
            lines << tr("Job: %1").arg(s.jobId);
        if (s.elapsedSeconds >= 0)
            lines << tr("Ran for %1").arg(formatDuration(s.elapsedSeconds));
        if (s.timeLeftSeconds >= 0)
            lines << tr("Time left: %1").arg(formatDuration(s.timeLeftSeconds));
        if (!s.detail.isEmpty())
            lines << s.detail;
        if (s.pendingCheckpoints > 0)
            lines
                << tr("Checkpoints waiting: %1 (double-click to review)").arg(s.pendingCheckpoints);
        return lines.join(QLatin1Char('\n'));
    }
};

QPalette paletteOf(const QGraphicsItem *item)
{
    return item->scene() ? item->scene()->palette() : QPalette();
}

} // namespace

TaskNodeItem::TaskNodeItem(const TaskSpec &task, QGraphicsItem *parent)
    : QGraphicsItem(parent), m_task(task.name), m_site(task.site)
{
    m_status.task = task.name;
    m_status.site = task.site;
    setAcceptHoverEvents(true);
    setFlag(ItemIsSelectable);
    setToolTip(NodeText::tooltip(m_task, m_site, m_status));
}

QRectF TaskNodeItem::boundingRect() const
{
    return QRectF(QPointF(0, 0), kSize).adjusted(-2, -kBadge / 2 - 1, kBadge / 2 + 1, 2);
}

void TaskNodeItem::setStatus(const TaskStatus &status)
{
    if (status == m_status)
        return;
    m_status = status;
    setToolTip(NodeText::tooltip(m_task, m_site, m_status));
    update();
}

void TaskNodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const QPalette pal = paletteOf(this);
    const QRectF r(QPointF(0, 0), kSize);
    painter->setRenderHint(QPainter::Antialiasing);

    // Card.
    const bool selected = option->state & QStyle::State_Selected;
    QPen border(selected ? pal.color(QPalette::Highlight)
                         : (m_hover ? pal.color(QPalette::Text) : pal.color(QPalette::Mid)),
                selected ? 2 : 1);
    painter->setPen(border);
    painter->setBrush(pal.color(QPalette::Base));
    painter->drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);

    // State stripe on the left.
    QColor state = stateColor(m_status.stateClass);
    if (!state.isValid())
        state = pal.color(QPalette::Mid);
    QPainterPath stripe;
    stripe.addRoundedRect(QRectF(r.left() + 1, r.top() + 1, 12, r.height() - 2), 5, 5);
    QPainterPath clip;
    clip.addRect(QRectF(r.left() + 1, r.top() + 1, 6, r.height() - 2));
    painter->setPen(Qt::NoPen);
    painter->setBrush(state);
    painter->drawPath(stripe.intersected(clip));

    // Text: name, then state and site, then detail.
    const qreal left = r.left() + 16;
    const qreal width = r.width() - 24;
    QFont bold = painter->font();
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(pal.color(QPalette::Text));
    const QFontMetricsF fmb(bold);
    painter->drawText(QRectF(left, r.top() + 6, width, fmb.height()), Qt::AlignLeft,
                      fmb.elidedText(m_task, Qt::ElideRight, width));

    QFont normal = painter->font();
    normal.setBold(false);
    painter->setFont(normal);
    const QFontMetricsF fm(normal);
    // The translated class ("Running"); the raw state is in the tooltip.
    const QString stateText =
        m_status.stateClass == StateClass::Unknown && !m_status.stateText.isEmpty()
            ? m_status.stateText
            : stateClassName(m_status.stateClass);
    const qreal dot = fm.height() * 0.55;
    const qreal y2 = r.top() + 8 + fmb.height();
    painter->setPen(Qt::NoPen);
    painter->setBrush(state);
    painter->drawEllipse(QRectF(left, y2 + (fm.height() - dot) / 2, dot, dot));
    painter->setPen(pal.color(QPalette::Text));
    // A gate runs nowhere: it has no site to name.
    const QString site = m_status.site.isEmpty() ? m_site : m_status.site;
    const QString line2 = site.isEmpty() ? stateText : stateText + QStringLiteral(" · ") + site;
    painter->drawText(QRectF(left + dot + 5, y2, width - dot - 5, fm.height()), Qt::AlignLeft,
                      fm.elidedText(line2, Qt::ElideRight, width - dot - 5));

    QStringList extra;
    if (!m_status.jobId.isEmpty())
        extra << QStringLiteral("#") + m_status.jobId;
    if (m_status.elapsedSeconds >= 0)
        extra << formatDuration(m_status.elapsedSeconds);
    if (m_status.timeLeftSeconds >= 0)
        extra << NodeText::tr("%1 left").arg(formatDuration(m_status.timeLeftSeconds));
    if (!m_status.detail.isEmpty())
        extra << m_status.detail;
    const QString line3 = extra.join(QStringLiteral(" · "));
    if (!line3.isEmpty()) {
        painter->setPen(pal.color(QPalette::PlaceholderText));
        painter->drawText(QRectF(left, y2 + fm.height() + 1, width, fm.height()), Qt::AlignLeft,
                          fm.elidedText(line3, Qt::ElideRight, width));
    }

    // Badge: pending checkpoints.
    if (m_status.pendingCheckpoints > 0) {
        const QRectF b(r.right() - kBadge / 2, r.top() - kBadge / 2, kBadge, kBadge);
        painter->setPen(QPen(pal.color(QPalette::Base), 2));
        painter->setBrush(attentionColor());
        painter->drawEllipse(b);
        painter->setPen(Qt::white);
        painter->setFont(bold);
        painter->drawText(b, Qt::AlignCenter, QString::number(m_status.pendingCheckpoints));
    }
}

void TaskNodeItem::hoverEnterEvent(QGraphicsSceneHoverEvent *event)
{
    m_hover = true;
    update();
    QGraphicsItem::hoverEnterEvent(event);
}

void TaskNodeItem::hoverLeaveEvent(QGraphicsSceneHoverEvent *event)
{
    m_hover = false;
    update();
    QGraphicsItem::hoverLeaveEvent(event);
}

DependencyEdgeItem::DependencyEdgeItem(const QString &from, const QString &to,
                                       QGraphicsItem *parent)
    : QGraphicsPathItem(parent), m_from(from), m_to(to)
{
    setZValue(-1);
}

void DependencyEdgeItem::route(const QRectF &a, const QRectF &b)
{
    const QPointF start(a.right(), a.center().y());
    const QPointF end(b.left(), b.center().y());
    QPainterPath path(start);
    if (end.x() > start.x() + 10) {
        const qreal dx = (end.x() - start.x()) / 2;
        path.cubicTo(start + QPointF(dx, 0), end - QPointF(dx, 0), end);
    } else { // placed by hand, target left of source: go around below
        const qreal below = std::max(a.bottom(), b.bottom()) + 30;
        path.cubicTo(start + QPointF(60, 0), QPointF(start.x() + 60, below),
                     QPointF((start.x() + end.x()) / 2, below));
        path.cubicTo(QPointF(end.x() - 60, below), end - QPointF(60, 0), end);
    }
    prepareGeometryChange();
    setPath(path);
    const qreal size = 9;
    m_arrow = QPolygonF{end, end + QPointF(-size, -size / 2), end + QPointF(-size, size / 2)};
}

QRectF DependencyEdgeItem::boundingRect() const
{
    return QGraphicsPathItem::boundingRect().united(m_arrow.boundingRect()).adjusted(-2, -2, 2, 2);
}

void DependencyEdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const QPalette pal = paletteOf(this);
    QColor c = pal.color(QPalette::Text);
    c.setAlphaF(0.55);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(c, 1.6));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path());
    painter->setPen(Qt::NoPen);
    painter->setBrush(c);
    painter->drawPolygon(m_arrow);
}

} // namespace vigil
