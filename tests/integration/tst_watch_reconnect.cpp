// SPDX-License-Identifier: GPL-3.0-or-later
// Fault F1: the login node's sshd is killed with SIGKILL (`vigil-sandbox
// sshd-kill`, by its PID, with every connection it served) while a site's
// vigil-job watch is live, stays down for VIGIL_FAULT_DOWN_SECONDS (35 by
// default) while the job posts checkpoints, and is started again.
//
// Two clients, each on its own connection, see the same fault:
//  - a bare RunWatch, whose every event is compared afterwards, line by line
//    (offsets and records), with the run's events.jsonl read over SSH: none
//    missed, none twice, in file order;
//  - a Supervisor polling every 5 s, as the app runs it: its watch is live
//    again, each checkpoint is announced once and is in the inbox once.
// Both must be live again within 30 s of sshd being back; the times are
// measured and printed (qInfo "RELIABILITY ...") for docs/reliability.md.

#include "../common/sandboxenv.h"
#include "../common/vigiljob.h"
#include "../ssh/sshtesthelpers.h"
#include "sites/runwatch.h"
#include "sites/site.h"
#include "store/store.h"
#include "supervisor.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

namespace {
constexpr int kPollSeconds = 5;         // the Supervisor's refresh interval
constexpr qint64 kBackWithinMs = 30000; // the promise: live again within 30 s
const QString kRun = QStringLiteral("run-1");
} // namespace

class TestWatchReconnect : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void watchResumesAfterSshdKill();

private:
    // vigil-job run on this machine as the sandbox user, as a job on the
    // cluster would while the desktop's link is down.
    bool jobAsSandboxUser(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral("runuser"),
                QStringList{QStringLiteral("-u"), m_env.user, QStringLiteral("--"),
                            qEnvironmentVariable("VIGIL_JOB_BINARY")} +
                    args);
        const bool ok =
            p.waitForFinished(20000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
        if (!ok)
            qWarning() << args << p.readAllStandardError();
        return ok;
    }
    bool post(const QString &checkpoint)
    {
        return jobAsSandboxUser(checkpointArgs(m_runDir, QStringLiteral("train"), checkpoint));
    }
    bool supervisorWatching() const
    {
        return m_supervisor->siteStatus(QStringLiteral("login")).watching;
    }

    SandboxEnv m_env;
    std::unique_ptr<Site> m_site;
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Supervisor> m_supervisor;
    QString m_root;   // run root, absolute
    QString m_runDir; // the run, absolute
};

void TestWatchReconnect::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_env.command(QStringLiteral("sshd-start"))); // whatever an earlier test left
    const QString root = QStringLiteral("vigil-watch-test-%1")
                             .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    SiteSpec spec;
    spec.name = QStringLiteral("login");
    spec.kind = SiteSpec::Kind::Ssh;
    spec.host = m_env.hostAlias;
    spec.runRoot = root;
    m_site = std::make_unique<ProcessSite>(spec, new SshTransport(sandboxTarget(m_env)));
    m_site->transport()->open();
    auto helper = await<QString>(
        [&](QObject *ctx, Callback<QString> cb) { m_site->ensureHelper(ctx, std::move(cb)); },
        60000);
    VIGIL_VERIFY_OK(helper);
    m_root = m_site->runRoot();
    m_runDir = m_root + QLatin1Char('/') + kRun;
    auto madeRoot = mkdirWait(*m_site->transport(), m_root, 0700);
    VIGIL_VERIFY_OK(madeRoot);
    auto made = execWait(*m_site->transport(),
                         {*helper, QStringLiteral("init-run"), QStringLiteral("--run-dir"),
                          m_runDir, QStringLiteral("--run-id"), kRun});
    VIGIL_VERIFY_OK(made);
    QVERIFY2(made->exitCode == 0, made->err.constData());

    // The app's side: a Supervisor with its own connection and a private store.
    m_store = std::make_unique<Store>(m_dir.filePath(QStringLiteral("store.sqlite")));
    SupervisorOptions o;
    o.sshConfigFile = m_env.sshConfig;
    o.hostKeyPolicy = HostKeyPolicy::Strict;
    o.store = m_store.get();
    o.pollSeconds = kPollSeconds;
    m_supervisor = std::make_unique<Supervisor>(o);
    spec.runRoot = m_root;
    m_supervisor->addSite(spec);
}

void TestWatchReconnect::cleanupTestCase()
{
    m_env.command(QStringLiteral("sshd-start")); // whatever happened above
    m_supervisor.reset();
    if (m_site && !m_root.isEmpty())
        (void)execWait(*m_site->transport(),
                       {QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), m_root});
}

void TestWatchReconnect::watchResumesAfterSshdKill()
{
    int downSeconds = qEnvironmentVariableIntValue("VIGIL_FAULT_DOWN_SECONDS");
    if (downSeconds <= 0)
        downSeconds = 35;
    downSeconds = std::max(downSeconds, 4);

    RunWatch watch(m_site.get());
    struct Received
    {
        qint64 offset;
        QByteArray event;
    };
    QObject scope; // the context of the connections below, which capture locals
    QList<Received> received;
    QStringList kinds; // the checkpoint of each event, in arrival order
    connect(&watch, &RunWatch::eventArrived, &scope,
            [&](const QString &run, qint64 offset, const QByteArray &event) {
                QCOMPARE(run, kRun);
                received << Received{offset, event};
                kinds << QJsonDocument::fromJson(event)
                             .object()
                             .value(QStringLiteral("checkpoint"))
                             .toString();
            });
    QHash<QString, int> announced; // checkpoint id -> checkpointArrived count
    connect(m_supervisor.get(), &Supervisor::checkpointArrived, &scope,
            [&](const CheckpointInfo &c) { ++announced[c.id]; });

    watch.start();
    m_supervisor->start();
    QTRY_VERIFY_WITH_TIMEOUT(watch.isLive(), 30000);
    // Lines before the snapshot's cursor (init-run's) are in the snapshot, not events.
    const QString cursor = watch.cursor();
    QVERIFY2(cursor.startsWith(kRun + QLatin1Char('=')), qPrintable(cursor));
    bool cursorOk = false;
    const qint64 firstOffset = cursor.mid(kRun.size() + 1).toLongLong(&cursorOk);
    QVERIFY2(cursorOk, qPrintable(cursor));
    QTRY_VERIFY_WITH_TIMEOUT(supervisorWatching(), 60000);
    QVERIFY(post(QStringLiteral("before")));
    QTRY_VERIFY_WITH_TIMEOUT(kinds.contains(QStringLiteral("before")), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(announced.value(QStringLiteral("before")), 1, 15000);
    const quint64 connectsBefore = m_site->transport()->stats().connects;

    // The server dies at once with every connection it served.
    QVERIFY(m_env.command(QStringLiteral("sshd-kill")));
    QElapsedTimer down;
    down.start();
    QTRY_VERIFY_WITH_TIMEOUT(!watch.isLive(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!supervisorWatching(), 30000);
    qInfo() << "both watches saw the link drop after" << down.elapsed() << "ms";
    // The job goes on meanwhile: three checkpoints spread over the outage.
    const QStringList whileDown{QStringLiteral("while-down-1"), QStringLiteral("while-down-2"),
                                QStringLiteral("while-down-3")};
    const QList<qint64> postAtMs{1000, downSeconds * 500LL, downSeconds * 1000LL - 1500};
    for (qsizetype i = 0; i < whileDown.size(); ++i) {
        QVERIFY(QTest::qWaitFor([&] { return down.elapsed() >= postAtMs[i]; }, 600000));
        QVERIFY(post(whileDown[i]));
    }
    QVERIFY(QTest::qWaitFor([&] { return down.elapsed() >= downSeconds * 1000LL; }, 600000));
    QVERIFY(!watch.isLive());
    QVERIFY(!supervisorWatching());
    QVERIFY(!kinds.contains(whileDown.first()));

    QVERIFY(m_env.command(QStringLiteral("sshd-start")));
    QElapsedTimer back;
    back.start();
    qint64 watchBackMs = -1;
    qint64 supervisorBackMs = -1;
    (void)QTest::qWaitFor(
        [&] {
            if (watchBackMs < 0 && watch.isLive())
                watchBackMs = back.elapsed();
            if (supervisorBackMs < 0 && supervisorWatching())
                supervisorBackMs = back.elapsed();
            return watchBackMs >= 0 && supervisorBackMs >= 0;
        },
        int(kBackWithinMs + 30000));
    qInfo().noquote() << QStringLiteral(
                             "RELIABILITY fault=sshd-kill down_s=%1 watch_live_again_ms=%2 "
                             "supervisor_live_again_ms=%3 (limit %4 ms)")
                             .arg(downSeconds)
                             .arg(watchBackMs)
                             .arg(supervisorBackMs)
                             .arg(kBackWithinMs);
    QVERIFY2(watchBackMs >= 0 && watchBackMs <= kBackWithinMs,
             qPrintable(QStringLiteral("the watch was live again after %1 ms").arg(watchBackMs)));
    QVERIFY2(supervisorBackMs >= 0 && supervisorBackMs <= kBackWithinMs,
             qPrintable(QStringLiteral("the Supervisor's watch was live again after %1 ms")
                            .arg(supervisorBackMs)));
    QTRY_VERIFY_WITH_TIMEOUT(kinds.contains(whileDown.last()), 15000);
    QVERIFY(post(QStringLiteral("after")));
    QTRY_VERIFY_WITH_TIMEOUT(kinds.contains(QStringLiteral("after")), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(announced.value(QStringLiteral("after")), 1, 15000);
    QVERIFY(watch.starts() >= 2);
    QVERIFY(m_site->transport()->stats().connects > connectsBefore);
    watch.stop();

    // The run's events.jsonl, read over SSH, against what the watch delivered:
    // one event per line from the first snapshot's cursor on, at the line's
    // offset, with the line's record.
    auto file = readWait(*m_site->transport(), m_runDir + QStringLiteral("/events.jsonl"));
    VIGIL_VERIFY_OK(file);
    QCOMPARE(file->offset, 0);
    QCOMPARE(file->data.size(), file->fileSize); // all of it
    QList<Received> lines;
    for (qsizetype start = 0; start < file->data.size();) {
        const qsizetype nl = file->data.indexOf('\n', start);
        QVERIFY2(nl >= 0, "events.jsonl ends with an incomplete line");
        if (start >= firstOffset)
            lines << Received{start, file->data.mid(start, nl - start)};
        start = nl + 1;
    }
    QVERIFY(lines.size() >= 5); // the five checkpoints at least
    int identicalBytes = 0;
    for (qsizetype i = 0; i < std::max(lines.size(), received.size()); ++i) {
        QVERIFY2(i < received.size(), qPrintable(QStringLiteral("line %1 of events.jsonl (at %2) "
                                                                "never arrived: %3")
                                                     .arg(i + 1)
                                                     .arg(lines[i].offset)
                                                     .arg(QString::fromUtf8(lines[i].event))));
        QVERIFY2(i < lines.size(),
                 qPrintable(QStringLiteral("event %1 (at %2) is not in events.jsonl: %3")
                                .arg(i + 1)
                                .arg(received[i].offset)
                                .arg(QString::fromUtf8(received[i].event))));
        QCOMPARE(received[i].offset, lines[i].offset);
        const QJsonDocument onSite = QJsonDocument::fromJson(lines[i].event);
        QVERIFY(onSite.isObject());
        QCOMPARE(QJsonDocument::fromJson(received[i].event), onSite);
        identicalBytes += received[i].event == lines[i].event ? 1 : 0;
    }
    for (const QString &id :
         QStringList{QStringLiteral("before")} + whileDown + QStringList{QStringLiteral("after")}) {
        QCOMPARE(kinds.count(id), 1);
        QCOMPARE(announced.value(id), 1);
    }

    // The watch's document, and the Supervisor's view and inbox, hold the five.
    const QJsonArray runs =
        QJsonDocument::fromJson(watch.document()).object().value(QStringLiteral("runs")).toArray();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs.at(0).toObject().value(QStringLiteral("checkpoints")).toArray().size(), 5);
    QCOMPARE(m_supervisor->checkpoints().size(), 5);
    auto inbox = await<QList<InboxEntry>>(
        [&](QObject *ctx, Callback<QList<InboxEntry>> cb) { m_store->inbox(ctx, cb); });
    VIGIL_VERIFY_OK(inbox);
    QStringList inInbox;
    for (const InboxEntry &e : *inbox)
        inInbox << e.checkpointId;
    inInbox.sort();
    QStringList expected =
        QStringList{QStringLiteral("before"), QStringLiteral("after")} + whileDown;
    expected.sort();
    QCOMPARE(inInbox, expected);
    qInfo().noquote() << QStringLiteral(
                             "RELIABILITY fault=sshd-kill events_in_file_since_cursor=%1 "
                             "events_received=%2 missed=0 duplicated=0 "
                             "byte_identical=%3 checkpoints_announced_once=5/5")
                             .arg(lines.size())
                             .arg(received.size())
                             .arg(identicalBytes);
}

QTEST_GUILESS_MAIN(TestWatchReconnect)
#include "tst_watch_reconnect.moc"
