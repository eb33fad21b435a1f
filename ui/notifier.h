// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

class QSystemTrayIcon;

namespace vigil {

// Desktop notifications: through the system tray when there is one, else
// through org.freedesktop.Notifications on the session bus, else nowhere
// (never an error). Notifications that arrive together are merged into one.
class Notifier : public QObject
{
    Q_OBJECT
public:
    enum class Backend { None, Tray, DBus };
    Q_ENUM(Backend)

    explicit Notifier(const QIcon &icon, QObject *parent = nullptr);
    ~Notifier() override;

    Backend backend() const { return m_backend; }
    void notify(const QString &title, const QString &body);
    // Shown as the tray icon's tooltip.
    void setStatus(const QString &status);

Q_SIGNALS:
    // The user clicked the tray icon or its message.
    void activated();

private:
    void flush();
    void sendDBus(const QString &title, const QString &body);

    Backend m_backend = Backend::None;
    QIcon m_icon;
    QSystemTrayIcon *m_tray = nullptr;
    QTimer m_batch;
    QList<std::pair<QString, QString>> m_queue;
};

} // namespace vigil
