// SPDX-License-Identifier: GPL-3.0-or-later
#include "decoratingdelegate.h"

namespace vigil {

DecoratingDelegate::DecoratingDelegate(Decorate decorate, QObject *parent)
    : QStyledItemDelegate(parent), m_decorate(std::move(decorate))
{}

void DecoratingDelegate::initStyleOption(QStyleOptionViewItem *option,
                                         const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (m_decorate)
        m_decorate(option, index);
}

void DecoratingDelegate::setIcon(QStyleOptionViewItem *option, const QIcon &icon)
{
    if (icon.isNull())
        return;
    option->icon = icon;
    option->features |= QStyleOptionViewItem::HasDecoration;
    if (option->decorationSize.isEmpty())
        option->decorationSize = QSize(12, 12);
}

void DecoratingDelegate::setTextColor(QStyleOptionViewItem *option, const QColor &color)
{
    if (!color.isValid())
        return;
    option->palette.setColor(QPalette::Text, color);
}

} // namespace vigil
