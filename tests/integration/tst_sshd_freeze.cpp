// SPDX-License-Identifier: GPL-3.0-or-later
// Fault F2: the login node's sshd hangs. `vigil-sandbox sshd-freeze` sends
// SIGSTOP to the listener and every connection process: the TCP connections
// stay open, nothing answers, and new connections wait in the listen backlog.
// It stays frozen VIGIL_FAULT_FREEZE_SECONDS (60 by default; at least 45)
// while the job posts three checkpoints, then `sshd-thaw` sends SIGCONT.
//
// A Supervisor and the Sites model the window shows (SupervisorFeed, data
// stale after three polls of 5 s) watch the run, on this thread, as in the
// app. Asserted and printed (qInfo "RELIABILITY ..."):
//  - the thread's event loop never stalls: a 10 ms timer's largest gap stays
//    under 200 ms during the freeze and the catch-up;
//  - the site's data age grows through the freeze and the site is shown stale;
//  - the dead link is noticed (the watch's heartbeats stop: after 30-40 s the
//    site is no longer shown live, and an operation that was waiting on the
//    frozen server, a file read, fails instead of hanging until the thaw);
//  - after the thaw everything catches up within a bound: each checkpoint is
//    announced once and is in the inbox once, the watch is live again and the
//    site is no longer stale.

#include "../common/sandboxenv.h"
#include "../common/vigiljob.h"
#include "../ssh/sshtesthelpers.h"
#include "models/sitesmodel.h"
#include "models/supervisorfeed.h"
#include "sites/site.h"
#include "store/store.h"
#include "supervisor.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace vigil;
using namespace vigil::test;

namespace {
constexpr int kPollSeconds = 5;
constexpr int kTickMs = 10;
constexpr qint64 kMaxGapMs = 200; // the event loop must never stall longer
constexpr qint64 kCatchUpMs =
    45000; // after the thaw: back-off (12 s) + connect timeout (10 s), with room
const QString kSite = QStringLiteral("login");
const QString kRun = QStringLiteral("run-1");

// The largest gap between two ticks of a kTickMs timer on this thread.
class LoopProbe : public QObject
{
public:
    explicit LoopProbe(QObject *parent) : QObject(parent)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kTickMs);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.elapsed();
            m_maxGap = std::max(m_maxGap, now - m_last - kTickMs);
            m_last = now;
            ++m_ticks;
        });
    }
    void restart()
    {
        m_clock.start();
        m_last = 0;
        m_maxGap = 0;
        m_ticks = 0;
        m_timer.start();
    }
    qint64 maxGapMs() const { return m_maxGap; } // beyond the interval itself
    qint64 ticks() const { return m_ticks; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_maxGap = 0;
    qint64 m_ticks = 0;
};
} // namespace

class TestSshdFreeze : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void frozenServerKeepsTheLoopResponsiveAndCatchesUp();

private:
    // vigil-job checkpoint as the sandbox user on this machine, as the job
    // would on the cluster; asynchronous, so that this thread's loop is
    // measured, not the wait for a child. m_posted lists those that worked.
    void postAsync(const QString &checkpoint)
    {
        auto *p = new QProcess(this);
        connect(p, &QProcess::finished, this,
                [this, p, checkpoint](int code, QProcess::ExitStatus status) {
                    if (status == QProcess::NormalExit && code == 0)
                        m_posted << checkpoint;
                    else
                        qWarning() << checkpoint << code << p->readAllStandardError();
                    p->deleteLater();
                });
        p->start(QStringLiteral("runuser"),
                 QStringList{QStringLiteral("-u"), m_env.user, QStringLiteral("--"),
                             qEnvironmentVariable("VIGIL_JOB_BINARY")} +
                     checkpointArgs(m_runDir, QStringLiteral("train"), checkpoint));
    }
    SiteStatus status() const { return m_supervisor->siteStatus(kSite); }
    QVariant sitesData(int role) const
    {
        const int row = m_feed->sites()->rowOf(kSite);
        return row < 0 ? QVariant() : m_feed->sites()->index(row, SitesModel::DataAge).data(role);
    }

    SandboxEnv m_env;
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Supervisor> m_supervisor;
    std::unique_ptr<SupervisorFeed> m_feed;
    QString m_root;
    QString m_runDir;
    QStringList m_posted;
};

void TestSshdFreeze::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_env.command(QStringLiteral("sshd-thaw"))); // whatever an earlier run left
    QVERIFY(m_env.command(QStringLiteral("sshd-start")));

    // The run, made over SSH as the job would.
    SiteSpec spec;
    spec.name = kSite;
    spec.kind = SiteSpec::Kind::Ssh;
    spec.host = m_env.hostAlias;
    spec.runRoot = QStringLiteral("vigil-freeze-test-%1")
                       .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    {
        ProcessSite setup(spec, new SshTransport(sandboxTarget(m_env)));
        setup.transport()->open();
        auto helper = await<QString>(
            [&](QObject *ctx, Callback<QString> cb) { setup.ensureHelper(ctx, std::move(cb)); },
            60000);
        VIGIL_VERIFY_OK(helper);
        m_root = setup.runRoot();
        m_runDir = m_root + QLatin1Char('/') + kRun;
        auto madeRoot = mkdirWait(*setup.transport(), m_root, 0700);
        VIGIL_VERIFY_OK(madeRoot);
        auto made = execWait(*setup.transport(),
                             {*helper, QStringLiteral("init-run"), QStringLiteral("--run-dir"),
                              m_runDir, QStringLiteral("--run-id"), kRun});
        VIGIL_VERIFY_OK(made);
        QVERIFY2(made->exitCode == 0, made->err.constData());
    }

    m_store = std::make_unique<Store>(m_dir.filePath(QStringLiteral("store.sqlite")));
    SupervisorOptions o;
    o.sshConfigFile = m_env.sshConfig;
    o.hostKeyPolicy = HostKeyPolicy::Strict;
    o.store = m_store.get();
    o.pollSeconds = kPollSeconds;
    m_supervisor = std::make_unique<Supervisor>(o);
    // A SLURM site: every poll runs squeue over the connection, so requests
    // are in flight when the server freezes.
    spec.kind = SiteSpec::Kind::Slurm;
    spec.runRoot = m_root;
    m_supervisor->addSite(spec);
    m_feed = std::make_unique<SupervisorFeed>(m_supervisor.get());
}

void TestSshdFreeze::cleanupTestCase()
{
    m_env.command(QStringLiteral("sshd-thaw")); // whatever happened above
    m_env.command(QStringLiteral("sshd-start"));
    m_feed.reset();
    m_supervisor.reset();
    if (!m_root.isEmpty())
        QProcess::execute(QStringLiteral("rm"),
                          {QStringLiteral("-rf"), QStringLiteral("--"), m_root});
}

void TestSshdFreeze::frozenServerKeepsTheLoopResponsiveAndCatchesUp()
{
    int freezeSeconds = qEnvironmentVariableIntValue("VIGIL_FAULT_FREEZE_SECONDS");
    if (freezeSeconds <= 0)
        freezeSeconds = 60;
    freezeSeconds = std::max(freezeSeconds, 45);
    const int staleAfter = m_feed->sites()->staleAfter();
    QCOMPARE(staleAfter, 3 * kPollSeconds);

    QObject scope;                 // the context of the connections below, which capture locals
    QHash<QString, int> announced; // checkpoint id -> checkpointArrived count
    connect(m_supervisor.get(), &Supervisor::checkpointArrived, &scope,
            [&](const CheckpointInfo &c) { ++announced[c.id]; });
    QList<Transport::State> states; // the connection's states during the freeze
    QStringList issues;
    connect(m_supervisor.get(), &Supervisor::issueRaised, &scope,
            [&](const Issue &i) { issues << i.subject + QStringLiteral(": ") + i.message; });

    m_supervisor->start();
    QTRY_VERIFY_WITH_TIMEOUT(status().watching, 60000);
    postAsync(QStringLiteral("before"));
    QTRY_COMPARE_WITH_TIMEOUT(announced.value(QStringLiteral("before")), 1, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(sitesData(SitesModel::DataAgeRole).toLongLong() >= 0, 15000);
    QVERIFY(!sitesData(SitesModel::StaleRole).toBool());

    // The sandbox commands block this thread while they run (a child's
    // wait): the probe measures from after the freeze to before the thaw,
    // then from after the thaw to the end of the catch-up.
    QVERIFY(m_env.command(QStringLiteral("sshd-freeze")));
    QElapsedTimer frozen;
    frozen.start();
    LoopProbe probe(&scope);
    probe.restart();
    connect(m_supervisor.get(), &Supervisor::siteChanged, &scope, [&] {
        if (states.isEmpty() || states.last() != status().connection)
            states << status().connection;
    });
    const QStringList duringFreeze{QStringLiteral("frozen-1"), QStringLiteral("frozen-2"),
                                   QStringLiteral("frozen-3")};
    const QList<qint64> postAtMs{2000, freezeSeconds * 500LL, freezeSeconds * 1000LL - 3000};
    qsizetype nextPost = 0;
    // A file read while frozen, as a review window would: when it answers.
    bool readAsked = false;
    qint64 readAnsweredMs = -1;
    QString readAnswer;
    qint64 staleAtMs = -1;
    qint64 ageAtStale = -1;
    qint64 noticedMs = -1; // when the site stopped being shown live
    QVERIFY(QTest::qWaitFor(
        [&] {
            if (nextPost < postAtMs.size() && frozen.elapsed() >= postAtMs[nextPost])
                postAsync(duringFreeze[nextPost++]);
            if (!readAsked && frozen.elapsed() >= 3000) {
                readAsked = true;
                m_supervisor->readRunFile(kSite, kRun, QStringLiteral("events.jsonl"), 1 << 20,
                                          &scope, [&](Result<QByteArray> r) {
                                              readAnsweredMs = frozen.elapsed();
                                              readAnswer =
                                                  r ? QStringLiteral("%1 bytes").arg(r->size())
                                                    : r.errorString();
                                          });
            }
            if (noticedMs < 0 && !status().watching)
                noticedMs = frozen.elapsed();
            if (staleAtMs < 0 && sitesData(SitesModel::StaleRole).toBool()) {
                staleAtMs = frozen.elapsed();
                ageAtStale = sitesData(SitesModel::DataAgeRole).toLongLong();
            }
            return frozen.elapsed() >= freezeSeconds * 1000LL;
        },
        freezeSeconds * 1000 + 10000));
    const qint64 ageAtThaw = sitesData(SitesModel::DataAgeRole).toLongLong();
    const bool staleAtThaw = sitesData(SitesModel::StaleRole).toBool();
    const qint64 gapFrozen = probe.maxGapMs();
    const qint64 ticksFrozen = probe.ticks();
    const SiteStatus atThaw = status();
    const QList<Transport::State> statesFrozen = states;
    QVERIFY(m_env.command(QStringLiteral("sshd-thaw")));
    QElapsedTimer thawed;
    thawed.start();
    probe.restart();
    qInfo().noquote() << "connection states during the freeze:" << QDebug::toString(statesFrozen)
                      << "at the thaw:" << connectionStateText(atThaw.connection) << "-"
                      << atThaw.connectionMessage << "watching:" << atThaw.watching;
    qInfo().noquote() << "issues:" << issues.join(QStringLiteral(" | "));
    qInfo().noquote() << "a file read asked 3 s into the freeze answered after" << readAnsweredMs
                      << "ms:" << readAnswer;

    // Catching up: every checkpoint once, the watch live, the data fresh.
    qint64 announcedMs = -1;
    qint64 liveMs = -1;
    qint64 freshMs = -1;
    (void)QTest::qWaitFor(
        [&] {
            bool all = true;
            for (const QString &id : duringFreeze)
                all = all && announced.value(id) > 0;
            if (announcedMs < 0 && all)
                announcedMs = thawed.elapsed();
            if (liveMs < 0 && status().watching)
                liveMs = thawed.elapsed();
            if (freshMs < 0 && !sitesData(SitesModel::StaleRole).toBool())
                freshMs = thawed.elapsed();
            return announcedMs >= 0 && liveMs >= 0 && freshMs >= 0;
        },
        int(kCatchUpMs + 30000));
    const qint64 gapAll = std::max(gapFrozen, probe.maxGapMs());
    qInfo().noquote() << QStringLiteral(
                             "RELIABILITY fault=sshd-freeze frozen_s=%1 loop_max_gap_ms=%2 "
                             "(frozen %3, catching up %4; ticks %5) stale_after_ms=%6 (age %7 s, "
                             "stale_after %8 s) age_at_thaw_s=%9 caught_up_ms=%10 "
                             "watch_live_ms=%11 fresh_ms=%12 dead_link_noticed_ms=%13 "
                             "blocked_read_answered_ms=%14")
                             .arg(freezeSeconds)
                             .arg(gapAll)
                             .arg(gapFrozen)
                             .arg(probe.maxGapMs())
                             .arg(ticksFrozen + probe.ticks())
                             .arg(staleAtMs)
                             .arg(ageAtStale)
                             .arg(staleAfter)
                             .arg(ageAtThaw)
                             .arg(announcedMs)
                             .arg(liveMs)
                             .arg(freshMs)
                             .arg(noticedMs)
                             .arg(readAnsweredMs);

    // The event loop stayed responsive all along.
    QVERIFY2(gapAll < kMaxGapMs,
             qPrintable(QStringLiteral("the event loop stalled %1 ms").arg(gapAll)));
    // The data age grew through the freeze, and the site was shown stale.
    QVERIFY2(staleAtMs >= 0, "the site was never shown stale during the freeze");
    QVERIFY2(staleAtMs <= (staleAfter + 2 * kPollSeconds + 2) * 1000LL,
             qPrintable(QStringLiteral("stale only after %1 ms").arg(staleAtMs)));
    QVERIFY(staleAtThaw);
    QVERIFY2(
        ageAtThaw >= freezeSeconds - 2 * kPollSeconds,
        qPrintable(
            QStringLiteral("data age %1 s after a %2 s freeze").arg(ageAtThaw).arg(freezeSeconds)));
    // The dead link was noticed: no longer shown live, the connection not
    // "Connected", and the read that waited on the frozen server failed.
    QVERIFY2(noticedMs >= 0 && noticedMs <= 42000,
             qPrintable(QStringLiteral("shown live until %1 ms into the freeze").arg(noticedMs)));
    QVERIFY2(!atThaw.watching, "the site was still shown live at the thaw");
    QVERIFY2(
        statesFrozen.size() > 1 && atThaw.connection != Transport::State::Connected,
        qPrintable(QStringLiteral("connection states: %1").arg(QDebug::toString(statesFrozen))));
    QVERIFY2(readAnsweredMs >= 0 && readAnsweredMs < freezeSeconds * 1000LL,
             "a read on the frozen server was still waiting at the thaw");
    // It failed as a lost connection (not answered by a server that woke up).
    QVERIFY2(readAnswer.contains(QLatin1String("lost")), qPrintable(readAnswer));
    // The job's checkpoints were posted during the freeze, then caught up.
    QCOMPARE(m_posted.size(), 4);
    QVERIFY2(announcedMs >= 0 && announcedMs <= kCatchUpMs,
             qPrintable(QStringLiteral("checkpoints announced after %1 ms").arg(announcedMs)));
    QVERIFY2(liveMs >= 0 && liveMs <= kCatchUpMs,
             qPrintable(QStringLiteral("watch live again after %1 ms").arg(liveMs)));
    QVERIFY2(freshMs >= 0 && freshMs <= kCatchUpMs,
             qPrintable(QStringLiteral("site fresh again after %1 ms").arg(freshMs)));
    // Once each: announced, listed, in the inbox.
    QTest::qWait(2 * kPollSeconds * 1000); // a couple more cycles: nothing is announced again
    QCOMPARE(announced.value(QStringLiteral("before")), 1);
    for (const QString &id : duringFreeze)
        QCOMPARE(announced.value(id), 1);
    QCOMPARE(announced.size(), 4);
    QCOMPARE(m_supervisor->checkpoints().size(), 4);
    auto inbox = await<QList<InboxEntry>>(
        [&](QObject *ctx, Callback<QList<InboxEntry>> cb) { m_store->inbox(ctx, cb); });
    VIGIL_VERIFY_OK(inbox);
    QStringList inInbox;
    for (const InboxEntry &e : *inbox)
        inInbox << e.checkpointId;
    inInbox.sort();
    QCOMPARE(inInbox, (QStringList{QStringLiteral("before")} + duringFreeze));
    m_supervisor->stop();
}

QTEST_GUILESS_MAIN(TestSshdFreeze)
#include "tst_sshd_freeze.moc"
