// SPDX-License-Identifier: GPL-3.0-or-later
#include "editoritems.h"

#include "statecolors.h"

#include <QCoreApplication>
#include <QGraphicsScene>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace vigil {

namespace {

class EditorText
{
    Q_DECLARE_TR_FUNCTIONS(vigil::EditorNodeItem)
public:
    static QString kind(const TaskSpec &t, const Workflow &wf)
    {
        if (t.isGate())
            return tr("Human gate");
        if (!t.container.isEmpty())
            return tr("Container");
        const SiteSpec *s = wf.site(t.site);
        if (!s)
            return tr("Job");
        switch (s->kind) {
        case SiteSpec::Kind::Slurm:
            return tr("SLURM");
        case SiteSpec::Kind::Ssh:
            return tr("SSH");
        case SiteSpec::Kind::Local:
            return tr("Local");
        }
        return tr("Job");
    }
    static QString subtitle(const TaskSpec &t)
    {
        if (t.isGate())
            return t.gate.question;
        if (!t.command.isEmpty())
            return t.command.join(QLatin1Char(' '));
        return t.script;
    }
    static QString tooltip(const QString &name, const QString &kind, const QStringList &problems)
    {
        QStringList lines{tr("%1 (%2)").arg(name, kind)};
        for (const QString &p : problems)
            lines << tr("Problem: %1").arg(p);
        lines << tr("Drag from the right-hand port to another task to run it after this one.");
        return lines.join(QLatin1Char('\n'));
    }
};

// The palette key of a task: its container, else its site's kind.
QString keyOf(const TaskSpec &t, const Workflow &wf)
{
    if (!t.container.isEmpty())
        return QStringLiteral("container");
    const SiteSpec *s = wf.site(t.site);
    return s ? siteKindName(s->kind) : QString();
}

} // namespace

QColor EditorNodeItem::kindColor(bool gate, const QString &key)
{
    if (gate)
        return attentionColor();
    // Mid-tones, readable on light and dark palettes.
    if (key == QLatin1String("slurm"))
        return QColor(0x3d, 0x7e, 0xc9);
    if (key == QLatin1String("ssh"))
        return QColor(0x2f, 0x9e, 0x8f);
    if (key == QLatin1String("local"))
        return QColor(0x7a, 0x9a, 0x3a);
    if (key == QLatin1String("container"))
        return QColor(0x8e, 0x63, 0xc2);
    return QColor(0x8a, 0x8a, 0x8a);
}

QString EditorNodeItem::kindLabel(const TaskSpec &task, const Workflow &workflow)
{
    return EditorText::kind(task, workflow);
}

EditorNodeItem::EditorNodeItem(const TaskSpec &task, const Workflow &workflow,
                               QGraphicsItem *parent)
    : QGraphicsItem(parent)
{
    setFlags(ItemIsMovable | ItemIsSelectable | ItemIsFocusable);
    setAcceptHoverEvents(true);
    setTask(task, workflow);
}

QRectF EditorNodeItem::boundingRect() const
{
    return QRectF(QPointF(0, 0), kSize).adjusted(-kPort - 2, -12, kPort + 12, 2);
}

void EditorNodeItem::setTask(const TaskSpec &task, const Workflow &workflow)
{
    m_name = task.name;
    m_kind = EditorText::kind(task, workflow);
    m_subtitle = EditorText::subtitle(task);
    m_gate = task.isGate();
    m_key = keyOf(task, workflow);
    updateToolTip();
    update();
}

void EditorNodeItem::setProblems(const QStringList &problems)
{
    if (problems == m_problems)
        return;
    m_problems = problems;
    updateToolTip();
    update();
}

void EditorNodeItem::updateToolTip()
{
    setToolTip(EditorText::tooltip(m_name, m_kind, m_problems));
}

bool EditorNodeItem::isOnOutPort(QPointF scenePos) const
{
    const QPointF d = scenePos - outPort();
    return d.x() * d.x() + d.y() * d.y() <= (kPort + 3) * (kPort + 3);
}

void EditorNodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const QPalette pal = scene() ? scene()->palette() : QPalette();
    const QRectF r(QPointF(0, 0), kSize);
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = option->state & QStyle::State_Selected;
    const QColor problem = stateColor(StateClass::Failed);
    QPen border(selected ? pal.color(QPalette::Highlight)
                         : (m_problems.isEmpty() ? pal.color(QPalette::Mid) : problem),
                selected || !m_problems.isEmpty() ? 2 : 1);
    painter->setPen(border);
    painter->setBrush(pal.color(QPalette::Base));
    if (m_gate) {
        // A gate: cut corners, so it reads as a decision at a glance.
        const qreal c = 12;
        painter->drawPolygon(QPolygonF{{c, 0},
                                       {r.width() - c, 0},
                                       {r.width(), c},
                                       {r.width(), r.height() - c},
                                       {r.width() - c, r.height()},
                                       {c, r.height()},
                                       {0, r.height() - c},
                                       {0, c}});
    } else {
        painter->drawRoundedRect(r, 6, 6);
    }
    // The kind: a coloured strip and its name.
    const QColor kc = kindColor(m_gate, m_key);
    painter->setPen(Qt::NoPen);
    painter->setBrush(kc);
    painter->drawRect(QRectF(8, 8, 4, r.height() - 16));
    QFont bold = painter->font();
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(pal.color(QPalette::Text));
    const QFontMetricsF fm(bold);
    painter->drawText(QRectF(20, 8, r.width() - 28, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(m_name, Qt::ElideMiddle, r.width() - 28));
    QFont small = painter->font();
    small.setBold(false);
    small.setPointSizeF(small.pointSizeF() * 0.9);
    painter->setFont(small);
    const QFontMetricsF sm(small);
    painter->setPen(pal.color(QPalette::PlaceholderText));
    painter->drawText(QRectF(20, 8 + fm.height(), r.width() - 28, sm.height()),
                      Qt::AlignLeft | Qt::AlignVCenter, m_kind);
    painter->drawText(QRectF(20, 8 + fm.height() + sm.height(), r.width() - 28, sm.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      sm.elidedText(m_subtitle, Qt::ElideRight, r.width() - 28));
    // Ports.
    painter->setPen(QPen(pal.color(QPalette::Mid), 1));
    painter->setBrush(pal.color(QPalette::Button));
    painter->drawEllipse(QPointF(0, r.height() / 2), kPort - 2, kPort - 2);
    painter->setBrush(pal.color(QPalette::Highlight));
    painter->drawEllipse(QPointF(r.width(), r.height() / 2), kPort, kPort);
    // Problems: a badge with their number.
    if (!m_problems.isEmpty()) {
        const QRectF badge(r.width() - 10, -10, 20, 20);
        painter->setPen(Qt::NoPen);
        painter->setBrush(problem);
        painter->drawEllipse(badge);
        painter->setPen(Qt::white);
        painter->setFont(bold);
        painter->drawText(badge, Qt::AlignCenter, QString::number(m_problems.size()));
    }
}

} // namespace vigil
