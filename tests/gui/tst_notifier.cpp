// SPDX-License-Identifier: GPL-3.0-or-later
// Desktop notifications over D-Bus against a fake org.freedesktop.Notifications
// server on a private bus (dbus-daemon --session): a checkpoint's notification
// with its actions, Approve and Open coming back as signals, muted runs, bursts
// merged, and reminders as a deadline nears.
#include "models/checkpointsmodel.h"
#include "notifier.h"
#include "settings.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDBusAbstractAdaptor>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

namespace {

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");

struct NotifyCall
{
    uint id = 0;
    uint replaces = 0;
    QString summary;
    QString body;
    QStringList actions;
    int urgency = -1;
};

// The server side of org.freedesktop.Notifications: records every Notify.
class FakeServer : public QObject
{
    Q_OBJECT
public:
    QList<NotifyCall> calls;
    QStringList capabilities{QStringLiteral("actions"), QStringLiteral("body")};
};

class FakeAdaptor : public QDBusAbstractAdaptor
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    explicit FakeAdaptor(FakeServer *server) : QDBusAbstractAdaptor(server), m_server(server) {}

public Q_SLOTS:
    QStringList GetCapabilities() { return m_server->capabilities; }
    uint Notify(const QString &, uint replaces, const QString &, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints, int)
    {
        NotifyCall c;
        c.id = replaces ? replaces : uint(m_server->calls.size() + 100);
        c.replaces = replaces;
        c.summary = summary;
        c.body = body;
        c.actions = actions;
        c.urgency = hints.value(QStringLiteral("urgency"), -1).toInt();
        m_server->calls.append(c);
        return c.id;
    }
    void CloseNotification(uint id) { Q_EMIT NotificationClosed(id, 3); }

Q_SIGNALS:
    void ActionInvoked(uint id, const QString &actionKey);
    void NotificationClosed(uint id, uint reason);

private:
    FakeServer *m_server;
};

CheckpointInfo checkpoint(const QString &run, const QString &id, bool paramDefaults = true)
{
    CheckpointInfo c;
    c.site = QStringLiteral("cluster");
    c.runId = run;
    c.id = id;
    c.task = QStringLiteral("train");
    c.title = QStringLiteral("Loss 0.08 after %1: keep training?").arg(id);
    c.options = {{QStringLiteral("continue"), QStringLiteral("Keep training"), true},
                 {QStringLiteral("stop"), QStringLiteral("Stop early"), false}};
    CheckpointParam lr;
    lr.name = QStringLiteral("lr");
    lr.type = QStringLiteral("number");
    if (paramDefaults)
        lr.defaultValue = 0.001;
    c.params = {lr};
    c.createdAt = QDateTime(QDate(2026, 11, 27), QTime(8, 0), Qt::UTC);
    return c;
}

} // namespace

class TestNotifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
        QApplication::setOrganizationName(QStringLiteral("VigilTest"));
        QApplication::setApplicationName(QStringLiteral("tst_notifier"));
        // No skip: without dbus-daemon this test fails (Debian package "dbus").
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        QVERIFY2(!daemon.isEmpty(), "dbus-daemon not found: install the Debian package dbus");
        m_daemon.setProgram(daemon);
        m_daemon.setArguments({QStringLiteral("--session"), QStringLiteral("--print-address"),
                               QStringLiteral("--nofork"), QStringLiteral("--nopidfile")});
        m_daemon.start();
        QVERIFY2(m_daemon.waitForStarted(10000), qPrintable(m_daemon.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(m_daemon.canReadLine(), 10000);
        m_address = QString::fromUtf8(m_daemon.readLine().trimmed());
        QVERIFY(!m_address.isEmpty());

        QDBusConnection server =
            QDBusConnection::connectToBus(m_address, QStringLiteral("fake-notifications"));
        QVERIFY2(server.isConnected(), qPrintable(server.lastError().message()));
        new FakeAdaptor(&m_server);
        QVERIFY(server.registerObject(kPath, &m_server, QDBusConnection::ExportAdaptors));
        QVERIFY(server.registerService(kService));
    }

    void cleanupTestCase()
    {
        QDBusConnection::disconnectFromBus(QStringLiteral("fake-notifications"));
        QDBusConnection::disconnectFromBus(QStringLiteral("vigil-notifier"));
        m_daemon.terminate();
        m_daemon.waitForFinished(5000);
    }

    void init()
    {
        m_server.calls.clear();
        settings::mutedRuns.set({});
    }

    void checkpointWithActions()
    {
        auto notifier = makeNotifier();
        QCOMPARE(notifier->backend(), Notifier::Backend::DBus);
        QVERIFY(notifier->hasActions());
        notifier->notifyCheckpoint(checkpoint(QStringLiteral("run-a"), QStringLiteral("epoch-3")));
        QTRY_COMPARE(m_server.calls.size(), 1);
        const NotifyCall &n = m_server.calls.first();
        QCOMPARE(n.summary, QStringLiteral("Loss 0.08 after epoch-3: keep training?"));
        QVERIFY2(n.body.contains(QStringLiteral("run-a")), qPrintable(n.body));
        QCOMPARE(n.actions, (QStringList{QStringLiteral("default"), QStringLiteral("Open"),
                                         QStringLiteral("open"), QStringLiteral("Open"),
                                         QStringLiteral("approve"),
                                         QStringLiteral("Approve: Keep training")}));
        QCOMPARE(n.urgency, 1); // no deadline: normal
    }

    // A parameter without a default: no decision without the dialog.
    void noApproveWhenAParamNeedsAValue()
    {
        auto notifier = makeNotifier();
        notifier->notifyCheckpoint(
            checkpoint(QStringLiteral("run-a"), QStringLiteral("epoch-4"), false));
        QTRY_COMPARE(m_server.calls.size(), 1);
        QVERIFY(!m_server.calls.first().actions.contains(QStringLiteral("approve")));
        QVERIFY(m_server.calls.first().actions.contains(QStringLiteral("open")));
    }

    void actionsComeBack()
    {
        auto notifier = makeNotifier();
        QSignalSpy approve(notifier.get(), &Notifier::approveRequested);
        QSignalSpy open(notifier.get(), &Notifier::openRequested);
        const CheckpointInfo c = checkpoint(QStringLiteral("run-b"), QStringLiteral("epoch-3"));
        notifier->notifyCheckpoint(c);
        QTRY_COMPARE(m_server.calls.size(), 1);
        const uint id = m_server.calls.first().id;

        // Another program's notification: ignored.
        Q_EMIT adaptor()->ActionInvoked(id + 1000, QStringLiteral("approve"));
        Q_EMIT adaptor()->ActionInvoked(id, QStringLiteral("approve"));
        QTRY_COMPARE(approve.size(), 1);
        QCOMPARE(approve.first().at(0).toString(), c.key());
        QCOMPARE(approve.first().at(1).toString(), QStringLiteral("continue"));

        Q_EMIT adaptor()->ActionInvoked(id, QStringLiteral("open"));
        QTRY_COMPARE(open.size(), 1);
        QCOMPARE(open.first().at(0).toString(), c.key());
        QCOMPARE(approve.size(), 1);
    }

    // A muted run is not notified; the next, unmuted notification comes alone
    // (not merged with the muted one). Muting is kept in the settings.
    void mutedRunIsSilent()
    {
        auto notifier = makeNotifier();
        QSignalSpy changed(notifier.get(), &Notifier::runMutedChanged);
        notifier->setRunMuted(QStringLiteral("run-quiet"), true);
        QCOMPARE(changed.size(), 1);
        QVERIFY(notifier->isRunMuted(QStringLiteral("run-quiet")));
        QCOMPARE(settings::mutedRuns.value(), QStringList{QStringLiteral("run-quiet")});

        notifier->notifyCheckpoint(checkpoint(QStringLiteral("run-quiet"), QStringLiteral("a")));
        notifier->notifyCheckpoint(checkpoint(QStringLiteral("run-loud"), QStringLiteral("b")));
        QTRY_COMPARE(m_server.calls.size(), 1);
        QCOMPARE(m_server.calls.first().summary,
                 QStringLiteral("Loss 0.08 after b: keep training?"));

        // A new notifier (the next start of the window) still mutes it.
        auto next = makeNotifier();
        QVERIFY(next->isRunMuted(QStringLiteral("run-quiet")));
        next->setRunMuted(QStringLiteral("run-quiet"), false);
        QVERIFY(settings::mutedRuns.value().isEmpty());
        next->notifyCheckpoint(checkpoint(QStringLiteral("run-quiet"), QStringLiteral("c")));
        QTRY_COMPARE(m_server.calls.size(), 2);
        QCOMPARE(m_server.calls.at(1).summary, QStringLiteral("Loss 0.08 after c: keep training?"));
    }

    void burstMerged()
    {
        auto notifier = makeNotifier();
        QSignalSpy activated(notifier.get(), &Notifier::activated);
        for (const char *id : {"a", "b", "c"})
            notifier->notifyCheckpoint(
                checkpoint(QStringLiteral("run-c"), QString::fromLatin1(id)));
        QTRY_COMPARE(m_server.calls.size(), 1);
        const NotifyCall &n = m_server.calls.first();
        QCOMPARE(n.summary, QStringLiteral("Checkpoints waiting: 3"));
        QCOMPARE(n.body.count(QLatin1Char('\n')), 2);
        QVERIFY(!n.actions.contains(QStringLiteral("approve"))); // which one?
        QVERIFY(n.actions.contains(QStringLiteral("Open Inbox")));
        // Nothing else was sent for the burst: the next one is the second call.
        notifier->notify(QStringLiteral("later"), QString());
        QTRY_COMPARE(m_server.calls.size(), 2);
        QCOMPARE(m_server.calls.at(1).summary, QStringLiteral("later"));
        Q_EMIT adaptor()->ActionInvoked(n.id, QStringLiteral("default"));
        QTRY_COMPARE(activated.size(), 1);
    }

    // Reminders as the deadline nears, with rising urgency, each replacing
    // the checkpoint's earlier notification.
    void remindersEscalate()
    {
        QDateTime now(QDate(2026, 11, 27), QTime(8, 0), Qt::UTC);
        CheckpointsModel model;
        auto notifier = makeReminderNotifier(now, model);
        CheckpointInfo c = checkpoint(QStringLiteral("run-d"), QStringLiteral("epoch-3"));
        c.createdAt = now;
        c.deadline = now.addSecs(4 * 3600);
        model.setCheckpoints(QStringLiteral("cluster"), {c});
        notifier->followDeadlines(&model);
        notifier->notifyCheckpoint(c);
        QTRY_COMPARE(m_server.calls.size(), 1);
        QCOMPARE(m_server.calls.first().urgency, 0); // 4 h left: low

        now = now.addSecs(2 * 3600); // half the time
        notifier->checkReminders();
        QTRY_COMPARE(m_server.calls.size(), 2);
        QVERIFY2(m_server.calls.at(1).summary.startsWith(QStringLiteral("Decision due in")),
                 qPrintable(m_server.calls.at(1).summary));
        QCOMPARE(m_server.calls.at(1).urgency, 0);
        QCOMPARE(m_server.calls.at(1).replaces, m_server.calls.first().id);
        QVERIFY(m_server.calls.at(1).actions.contains(QStringLiteral("approve")));

        now = now.addSecs(3600); // 1 h left
        notifier->checkReminders();
        QTRY_COMPARE(m_server.calls.size(), 3);
        QCOMPARE(m_server.calls.at(2).urgency, 1);
        now = now.addSecs(3000); // 10 min left
        notifier->checkReminders();
        notifier->checkReminders(); // once only
        QTRY_COMPARE(m_server.calls.size(), 4);
        QCOMPARE(m_server.calls.at(3).urgency, 2);

        // Muted: no reminder either.
        notifier->setRunMuted(c.runId, true);
        now = now.addSecs(540); // 1 min left
        notifier->checkReminders();
        notifier->notify(QStringLiteral("marker"), QString());
        QTRY_COMPARE(m_server.calls.size(), 5);
        QCOMPARE(m_server.calls.at(4).summary, QStringLiteral("marker"));
    }

    // A review bundle's pending checkpoint (read-only: it cannot be decided)
    // gets no reminder; a live site's checkpoint with the same deadline does.
    void noReminderForReadOnlySites()
    {
        QDateTime now(QDate(2026, 11, 27), QTime(8, 0), Qt::UTC);
        CheckpointsModel model;
        QAbstractItemModelTester tester(&model);
        auto notifier = makeReminderNotifier(now, model);
        CheckpointInfo c = checkpoint(QStringLiteral("run-b"), QStringLiteral("epoch-3"));
        c.createdAt = now;
        c.deadline = now.addSecs(4 * 3600);
        model.setCheckpoints(QStringLiteral("cluster"), {c});
        model.setCheckpoints(QStringLiteral("bundle-run-b"), {c});
        QCOMPARE(model.rowCount(), 2);
        notifier->followDeadlines(
            &model, [](const QString &site) { return site == QLatin1String("bundle-run-b"); });

        now = now.addSecs(2 * 3600); // half the time: both would be due
        notifier->checkReminders();
        QTRY_COMPARE(m_server.calls.size(), 1);
        // One reminder, not "Checkpoints waiting: 2" (two merged).
        QVERIFY2(m_server.calls.first().summary.startsWith(QStringLiteral("Decision due in")),
                 qPrintable(m_server.calls.first().summary));
        QVERIFY2(m_server.calls.first().body.endsWith(QStringLiteral("on cluster is waiting "
                                                                     "for a decision.")),
                 qPrintable(m_server.calls.first().body));
        notifier->notify(QStringLiteral("marker"), QString());
        QTRY_COMPARE(m_server.calls.size(), 2);
        QCOMPARE(m_server.calls.at(1).summary, QStringLiteral("marker"));
    }

    // No server on the bus: no D-Bus notifications (offscreen: no tray either).
    void noServerNoBackend()
    {
        QDBusConnection server = QDBusConnection(QStringLiteral("fake-notifications"));
        QVERIFY(server.unregisterService(kService));
        auto notifier = std::make_unique<Notifier>(QIcon(), options());
        QTRY_VERIFY(notifier->backendKnown());
        QCOMPARE(notifier->backend(), Notifier::Backend::None);
        QVERIFY(server.registerService(kService));
    }

private:
    Notifier::Options options() const
    {
        Notifier::Options o;
        o.busWhenHeadless = true;
        o.busAddress = m_address;
        o.batchMsec = 200;
        return o;
    }
    std::unique_ptr<Notifier> makeNotifier(std::optional<Notifier::Options> o = std::nullopt)
    {
        auto n = std::make_unique<Notifier>(QIcon(), o ? *o : options());
        [&] { QTRY_VERIFY(n->backendKnown()); }();
        return n;
    }
    // Reminders on a clock the test moves: the notifier and `model` read `now`.
    std::unique_ptr<Notifier> makeReminderNotifier(const QDateTime &now, CheckpointsModel &model)
    {
        Notifier::Options o = options();
        o.clock = [&now] { return now; };
        o.reminderMsec = 3600 * 1000; // the test says when
        model.setClock([&now] { return now; });
        model.setTickInterval(0);
        return makeNotifier(o);
    }
    FakeAdaptor *adaptor() { return m_server.findChild<FakeAdaptor *>(); }

    QTemporaryDir m_config;
    QProcess m_daemon;
    QString m_address;
    FakeServer m_server;
};

QTEST_MAIN(TestNotifier)
#include "tst_notifier.moc"
