// SPDX-License-Identifier: GPL-3.0-or-later
#include "notifier.h"

#include "logging.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QFileInfo>
#include <QGuiApplication>
#include <QSystemTrayIcon>

namespace vigil {

namespace {

// Whether a session bus can be reached without starting one (no autolaunch).
bool sessionBusConfigured()
{
    if (qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"))
        return true;
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    return !runtime.isEmpty() && QFileInfo::exists(runtime + QStringLiteral("/bus"));
}

} // namespace

Notifier::Notifier(const QIcon &icon, QObject *parent) : QObject(parent), m_icon(icon)
{
    m_batch.setSingleShot(true);
    m_batch.setInterval(1500);
    connect(&m_batch, &QTimer::timeout, this, &Notifier::flush);

    const QString platform = QGuiApplication::platformName();
    const bool headless =
        platform == QLatin1String("offscreen") || platform == QLatin1String("minimal");
    if (!headless && QSystemTrayIcon::isSystemTrayAvailable()) {
        m_backend = Backend::Tray;
        m_tray = new QSystemTrayIcon(icon, this);
        m_tray->setToolTip(QGuiApplication::applicationDisplayName());
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] { Q_EMIT activated(); });
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] { Q_EMIT activated(); });
        m_tray->show();
    } else if (!headless && sessionBusConfigured() && QDBusConnection::sessionBus().isConnected()) {
        m_backend = Backend::DBus;
    }
    qCDebug(lcUi) << "notifications through" << m_backend;
}

Notifier::~Notifier() = default;

void Notifier::setStatus(const QString &status)
{
    if (m_tray)
        m_tray->setToolTip(status);
}

void Notifier::notify(const QString &title, const QString &body)
{
    if (m_backend == Backend::None)
        return;
    m_queue.append({title, body});
    if (!m_batch.isActive())
        m_batch.start();
}

void Notifier::flush()
{
    if (m_queue.isEmpty())
        return;
    QString title = m_queue.first().first;
    QString body = m_queue.first().second;
    if (m_queue.size() > 1) {
        title = tr("Checkpoints waiting: %1").arg(m_queue.size());
        QStringList titles;
        for (const auto &[t, b] : std::as_const(m_queue))
            titles << t;
        body = titles.mid(0, 5).join(QLatin1Char('\n'));
        if (titles.size() > 5)
            body += QStringLiteral("\n…");
    }
    m_queue.clear();
    if (m_backend == Backend::Tray && m_tray)
        m_tray->showMessage(title, body, m_icon, 10000);
    else if (m_backend == Backend::DBus)
        sendDBus(title, body);
}

void Notifier::sendDBus(const QString &title, const QString &body)
{
    QDBusMessage msg = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.Notifications"),
        QStringLiteral("/org/freedesktop/Notifications"),
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("vigil"));
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(1)));
    msg << QGuiApplication::applicationDisplayName() << uint(0) << QStringLiteral("vigil") << title
        << body << QStringList() << hints << int(-1);
    // Asynchronous: the GUI never waits for the notification daemon.
    auto *watcher = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(msg), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *w) {
        w->deleteLater();
        if (w->isError()) {
            qCInfo(lcUi) << "desktop notifications unavailable:" << w->error().message();
            m_backend = Backend::None;
        }
    });
}

} // namespace vigil
