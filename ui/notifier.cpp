// SPDX-License-Identifier: GPL-3.0-or-later
#include "notifier.h"

#include "logging.h"
#include "models/checkpointsmodel.h"
#include "settings.h"

#include <QDBusAbstractInterface>
#include <QDBusConnection>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QFileInfo>
#include <QGuiApplication>
#include <QSystemTrayIcon>

namespace vigil {

namespace {

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
constexpr char kInterface[] = "org.freedesktop.Notifications";
const QString kOpen = QStringLiteral("open");
const QString kApprove = QStringLiteral("approve");
const QString kDefault = QStringLiteral("default"); // a click on the notification itself

// Whether a session bus can be reached without starting one (no autolaunch).
bool sessionBusConfigured()
{
    if (qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"))
        return true;
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    return !runtime.isEmpty() && QFileInfo::exists(runtime + QStringLiteral("/bus"));
}

bool headless()
{
    const QString platform = QGuiApplication::platformName();
    return platform == QLatin1String("offscreen") || platform == QLatin1String("minimal");
}

} // namespace

// The server's signals as Qt signals (QDBusAbstractInterface relays a D-Bus
// signal to the Qt signal of the same name and arguments).
class NotificationsInterface : public QDBusAbstractInterface
{
    Q_OBJECT
public:
    NotificationsInterface(const QDBusConnection &bus, QObject *parent)
        : QDBusAbstractInterface(kService, kPath, kInterface, bus, parent)
    {}

Q_SIGNALS:
    void ActionInvoked(uint id, const QString &actionKey);
    void NotificationClosed(uint id, uint reason);
};

Notifier::Notifier(const QIcon &icon, QObject *parent) : Notifier(icon, Options(), parent) {}

Notifier::Notifier(const QIcon &icon, Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_icon(icon)
{
    if (!m_options.clock)
        m_options.clock = systemClock();
    m_batch.setSingleShot(true);
    m_batch.setInterval(m_options.batchMsec);
    connect(&m_batch, &QTimer::timeout, this, &Notifier::flush);
    m_reminderTimer.setInterval(m_options.reminderMsec);
    connect(&m_reminderTimer, &QTimer::timeout, this, &Notifier::checkReminders);
    const QStringList muted = settings::mutedRuns.value();
    m_muted = QSet<QString>(muted.cbegin(), muted.cend());

    if (headless() && !m_options.busWhenHeadless) {
        qCDebug(lcUi) << "headless: no desktop notifications";
        return;
    }
    QDBusConnection bus =
        !m_options.busAddress.isEmpty()
            ? QDBusConnection::connectToBus(m_options.busAddress, QStringLiteral("vigil-notifier"))
        : sessionBusConfigured() ? QDBusConnection::sessionBus()
                                 : QDBusConnection(QString());
    if (!bus.isConnected()) {
        useTrayOrNothing();
        return;
    }
    m_bus = new NotificationsInterface(bus, this);
    connect(m_bus, &NotificationsInterface::ActionInvoked, this, &Notifier::actionInvoked);
    connect(m_bus, &NotificationsInterface::NotificationClosed, this, [this](uint id, uint) {
        const Shown shown = m_shown.take(id);
        if (m_lastId.value(shown.key) == id)
            m_lastId.remove(shown.key);
    });
    probeBus();
}

Notifier::~Notifier() = default;

void Notifier::probeBus()
{
    // Asynchronous: the GUI never waits for the notification server.
    m_probing = true;
    auto *watcher =
        new QDBusPendingCallWatcher(m_bus->asyncCall(QStringLiteral("GetCapabilities")), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *w) {
        w->deleteLater();
        QDBusPendingReply<QStringList> reply = *w;
        m_probing = false;
        if (reply.isError()) {
            qCInfo(lcUi) << "no desktop notification server:" << reply.error().message();
            useTrayOrNothing();
        } else {
            m_actions = reply.value().contains(QStringLiteral("actions"));
            setBackend(Backend::DBus);
        }
        if (!m_queue.isEmpty() && !m_batch.isActive())
            flush();
    });
}

void Notifier::useTrayOrNothing()
{
    if (headless() || !QSystemTrayIcon::isSystemTrayAvailable()) {
        setBackend(Backend::None);
        return;
    }
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(m_icon, this);
        m_tray->setToolTip(QGuiApplication::applicationDisplayName());
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] { Q_EMIT activated(); });
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            if (m_trayKey.isEmpty())
                Q_EMIT activated();
            else
                Q_EMIT openRequested(m_trayKey);
        });
        m_tray->show();
    }
    setBackend(Backend::Tray);
}

void Notifier::setBackend(Backend backend)
{
    if (backend == m_backend)
        return;
    m_backend = backend;
    qCDebug(lcUi) << "notifications through" << backend;
    Q_EMIT backendChanged(backend);
}

void Notifier::setStatus(const QString &status)
{
    if (m_tray)
        m_tray->setToolTip(status);
}

QString Notifier::oneClickOption(const CheckpointInfo &c)
{
    for (const CheckpointParam &p : c.params)
        if (p.defaultValue.isNull() || p.defaultValue.isUndefined())
            return {};
    return c.defaultOption();
}

QStringList Notifier::mutedRuns() const
{
    QStringList runs(m_muted.cbegin(), m_muted.cend());
    runs.sort();
    return runs;
}

void Notifier::setRunMuted(const QString &runId, bool muted)
{
    if (runId.isEmpty() || muted == m_muted.contains(runId))
        return;
    if (muted)
        m_muted.insert(runId);
    else
        m_muted.remove(runId);
    settings::mutedRuns.set(mutedRuns());
    Q_EMIT runMutedChanged(runId, muted);
}

void Notifier::notify(const QString &title, const QString &body)
{
    Note note;
    note.title = title;
    note.body = body;
    queue(std::move(note));
}

Notifier::Note Notifier::checkpointNote(const CheckpointInfo &c, const QString &title) const
{
    Note note;
    note.key = c.key();
    note.runId = c.runId;
    note.title = title;
    note.body = tr("Run %1, task %2 on %3 is waiting for a decision.").arg(c.runId, c.task, c.site);
    note.approveOption = oneClickOption(c);
    for (const CheckpointOption &o : c.options)
        if (o.name == note.approveOption)
            note.approveLabel = tr("Approve: %1").arg(o.label.isEmpty() ? o.name : o.label);
    note.urgency = Reminders::urgencyAt(c, m_options.clock());
    return note;
}

void Notifier::notifyCheckpoint(const CheckpointInfo &c)
{
    queue(checkpointNote(c, c.title.isEmpty() ? tr("Checkpoint %1").arg(c.id) : c.title));
}

void Notifier::followDeadlines(CheckpointsModel *model, ReadOnlySite readOnly)
{
    if (m_checkpoints)
        disconnect(m_checkpoints, nullptr, this, nullptr);
    m_checkpoints = model;
    m_readOnly = std::move(readOnly);
    if (!model) {
        m_reminderTimer.stop();
        return;
    }
    // New checkpoints are seen at once: what has passed of their schedule
    // then is not reminded (their arrival was notified).
    connect(model, &QAbstractItemModel::rowsInserted, this, &Notifier::checkReminders);
    m_reminderTimer.start();
    checkReminders();
}

void Notifier::checkReminders()
{
    if (!m_checkpoints)
        return;
    QList<CheckpointInfo> pending;
    QHash<QString, int> rowOf;
    for (int row = 0; row < m_checkpoints->rowCount(); ++row) {
        const CheckpointInfo &c = m_checkpoints->checkpointAt(row);
        if (c.status == CheckpointInfo::Status::Pending && !(m_readOnly && m_readOnly(c.site))) {
            rowOf.insert(c.key(), row);
            pending.append(c);
        }
    }
    for (const Reminders::Reminder &r : m_reminders.due(pending, m_options.clock())) {
        const CheckpointInfo &c = m_checkpoints->checkpointAt(rowOf.value(r.key));
        const QString title = c.title.isEmpty() ? tr("Checkpoint %1").arg(c.id) : c.title;
        Note note = checkpointNote(
            c, tr("Decision due in %1: %2").arg(formatDuration(r.secondsLeft), title));
        note.urgency = r.urgency;
        queue(std::move(note));
    }
}

void Notifier::queue(Note note)
{
    if (!note.runId.isEmpty() && m_muted.contains(note.runId))
        return;
    if (m_backend == Backend::None && !m_probing)
        return;
    m_queue.append(std::move(note));
    if (!m_batch.isActive())
        m_batch.start();
}

void Notifier::flush()
{
    // A run muted since its notification was queued stays silent.
    m_queue.removeIf([this](const Note &n) { return m_muted.contains(n.runId); });
    if (m_queue.isEmpty() || m_probing)
        return; // the bus's answer flushes
    Note note = m_queue.first();
    if (m_queue.size() > 1) {
        note = Note();
        note.title = tr("Checkpoints waiting: %1").arg(m_queue.size());
        QStringList titles;
        for (const Note &n : std::as_const(m_queue)) {
            titles << n.title;
            note.urgency = std::max(note.urgency, n.urgency);
        }
        note.body = titles.mid(0, 5).join(QLatin1Char('\n'));
        if (titles.size() > 5)
            note.body += QStringLiteral("\n…");
    }
    m_queue.clear();
    if (m_backend == Backend::Tray && m_tray) {
        m_trayKey = note.key;
        m_tray->showMessage(note.title, note.body, m_icon, 10000);
    } else if (m_backend == Backend::DBus) {
        QStringList actions{kDefault, tr("Open"), kOpen,
                            note.key.isEmpty() ? tr("Open Inbox") : tr("Open")};
        if (!note.key.isEmpty() && !note.approveOption.isEmpty())
            actions << kApprove << note.approveLabel;
        sendDBus(note, actions);
    }
}

void Notifier::sendDBus(const Note &note, const QStringList &actions)
{
    QVariantMap hints;
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("vigil"));
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(note.urgency)));
    // A reminder replaces the checkpoint's earlier notification.
    const uint replaces = note.key.isEmpty() ? 0 : m_lastId.value(note.key);
    QDBusPendingCall call = m_bus->asyncCall(
        QStringLiteral("Notify"), QGuiApplication::applicationDisplayName(), replaces,
        QStringLiteral("vigil"), note.title, note.body, actions, hints, int(-1));
    auto *watcher = new QDBusPendingCallWatcher(call, this);
    const Shown shown{note.key, note.approveOption};
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, shown](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                QDBusPendingReply<uint> reply = *w;
                if (reply.isError()) {
                    qCInfo(lcUi) << "desktop notifications unavailable:" << reply.error().message();
                    useTrayOrNothing();
                    return;
                }
                m_shown.insert(reply.value(), shown);
                if (!shown.key.isEmpty())
                    m_lastId.insert(shown.key, reply.value());
            });
}

void Notifier::actionInvoked(uint id, const QString &action)
{
    const auto it = m_shown.constFind(id);
    if (it == m_shown.cend())
        return; // another program's notification
    const Shown shown = *it;
    if (action == kApprove && !shown.approveOption.isEmpty())
        Q_EMIT approveRequested(shown.key, shown.approveOption);
    else if ((action == kOpen || action == kDefault) && !shown.key.isEmpty())
        Q_EMIT openRequested(shown.key);
    else if (action == kOpen || action == kDefault)
        Q_EMIT activated();
}

} // namespace vigil

#include "notifier.moc"
