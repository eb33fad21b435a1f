// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>
#include <functional>

namespace vigil {

// A delegate that lets a view add presentation (an icon, a text colour) from a
// model's raw roles, so the models stay free of QtGui.
class DecoratingDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using Decorate = std::function<void(QStyleOptionViewItem *option, const QModelIndex &index)>;

    DecoratingDelegate(Decorate decorate, QObject *parent = nullptr);

    // Helpers for Decorate functions.
    static void setIcon(QStyleOptionViewItem *option, const QIcon &icon);
    static void setTextColor(QStyleOptionViewItem *option, const QColor &color);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    Decorate m_decorate;
};

} // namespace vigil
