// SPDX-License-Identifier: GPL-3.0-or-later
#include "statecolors.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace vigil {

QColor stateColor(StateClass state)
{
    switch (state) {
    case StateClass::Pending:
        return QColor(0xc9, 0x8a, 0x00); // amber
    case StateClass::Running:
        return QColor(0x3b, 0x82, 0xf6); // blue
    case StateClass::Suspended:
        return QColor(0x9b, 0x6b, 0xd6); // violet
    case StateClass::Succeeded:
        return QColor(0x2e, 0x9d, 0x4f); // green
    case StateClass::Failed:
        return QColor(0xd6, 0x45, 0x45); // red
    case StateClass::Cancelled:
    case StateClass::Finished:
        return QColor(0x8a, 0x8a, 0x8a); // grey
    case StateClass::Unknown:
    case StateClass::NotStarted:
        break;
    }
    return {};
}

QColor connectionColor(Transport::State state)
{
    switch (state) {
    case Transport::State::Connected:
        return stateColor(StateClass::Succeeded);
    case Transport::State::Connecting:
        return stateColor(StateClass::Pending);
    case Transport::State::Failed:
        return stateColor(StateClass::Failed);
    case Transport::State::Disconnected:
        return stateColor(StateClass::Cancelled);
    }
    return {};
}

QColor attentionColor()
{
    return QColor(0xe0, 0x7b, 0x00); // orange
}

QIcon dotIcon(const QColor &color)
{
    static QHash<QRgb, QIcon> cache;
    if (!color.isValid())
        return {};
    if (const auto it = cache.constFind(color.rgba()); it != cache.cend())
        return *it;
    QIcon icon;
    for (int size : {12, 16, 24, 32}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(color.darker(130), size / 12.0));
        p.setBrush(color);
        const qreal m = size * 0.2;
        p.drawEllipse(QRectF(m, m, size - 2 * m, size - 2 * m));
        p.end();
        icon.addPixmap(pm);
    }
    cache.insert(color.rgba(), icon);
    return icon;
}

} // namespace vigil
