// SPDX-License-Identifier: GPL-3.0-or-later
#include "inboxdelegate.h"

#include "models/checkpointsmodel.h"
#include "statecolors.h"

#include <QApplication>
#include <QPainter>

namespace vigil {

namespace {

constexpr int kPad = 6;
constexpr int kDot = 8;

QString cell(const QModelIndex &index, int column)
{
    return index.siblingAtColumn(column).data().toString();
}

} // namespace

QSize InboxDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    return QSize(200, 2 * fm.height() + 3 * kPad);
}

void InboxDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group =
        option.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    const QColor text =
        option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor quiet = selected ? text : option.palette.color(group, QPalette::PlaceholderText);

    const bool pending = index.data(CheckpointsModel::IsPendingRole).toBool();
    const QRect r = option.rect.adjusted(kPad + 2, kPad, -kPad - 2, -kPad);
    QFont bold = option.font;
    bold.setBold(pending);
    const QFontMetrics fmb(bold);
    const QFontMetrics fm(option.font);
    const int line1 = r.top();
    const int line2 = r.top() + fmb.height() + kPad / 2;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);

    // Line 1: dot, title, posted.
    const QColor dot = pending ? attentionColor() : stateColor(StateClass::Succeeded);
    painter->setPen(Qt::NoPen);
    painter->setBrush(dot);
    painter->drawEllipse(QRectF(r.left(), line1 + (fmb.height() - kDot) / 2.0, kDot, kDot));
    const QString posted = cell(index, CheckpointsModel::Created);
    const int postedWidth = fm.horizontalAdvance(posted);
    painter->setFont(option.font);
    painter->setPen(quiet);
    painter->drawText(QRect(r.right() - postedWidth, line1, postedWidth, fm.height()),
                      Qt::AlignRight | Qt::AlignVCenter, posted);
    const int titleLeft = r.left() + kDot + kPad;
    const int titleWidth = r.right() - postedWidth - kPad - titleLeft;
    painter->setFont(bold);
    painter->setPen(text);
    painter->drawText(
        QRect(titleLeft, line1, titleWidth, fmb.height()), Qt::AlignLeft | Qt::AlignVCenter,
        fmb.elidedText(cell(index, CheckpointsModel::Title), Qt::ElideRight, titleWidth));

    // Line 2: where; then the deadline (pending) or the status.
    QString right;
    QColor rightColor = quiet;
    if (pending) {
        if (index.data(CheckpointsModel::DeadlineRole).toDateTime().isValid()) {
            right = tr("due %1").arg(cell(index, CheckpointsModel::Deadline));
            if (!selected)
                rightColor = attentionColor();
        }
    } else {
        right = cell(index, CheckpointsModel::Status);
    }
    painter->setFont(option.font);
    const int rightWidth = std::min(fm.horizontalAdvance(right), r.width() / 2);
    painter->setPen(rightColor);
    painter->drawText(QRect(r.right() - rightWidth, line2, rightWidth, fm.height()),
                      Qt::AlignRight | Qt::AlignVCenter,
                      fm.elidedText(right, Qt::ElideRight, rightWidth));
    QStringList where;
    if (const QString task = cell(index, CheckpointsModel::Task); !task.isEmpty())
        where << tr("task %1").arg(task);
    where << cell(index, CheckpointsModel::Site) << cell(index, CheckpointsModel::Run);
    const int whereWidth = r.right() - rightWidth - kPad - titleLeft;
    painter->setPen(quiet);
    painter->drawText(
        QRect(titleLeft, line2, whereWidth, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
        fm.elidedText(where.join(QStringLiteral(" · ")), Qt::ElideMiddle, whereWidth));
    painter->restore();
}

} // namespace vigil
