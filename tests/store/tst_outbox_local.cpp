// SPDX-License-Identifier: GPL-3.0-or-later
// The outbox in the supervisor's decide path, on the local site (real run
// directories made by vigil-job, real files, no mocks): a decision is stored,
// written, confirmed and audited; a second decider is recorded as lost with
// who won; a decision already on the site that an outbox still holds
// (written, then the program died before it could note it) is confirmed, not
// written again; the inbox follows the checkpoint; a supervisor without a
// store still decides.

#include "../common/vigiljob.h"
#include "../ssh/sshtesthelpers.h"
#include "protocol/decision.h"
#include "runs/evidence.h"
#include "sites/site.h"
#include "store/store.h"
#include "storetest.h"
#include "supervisor.h"

#include <QDir>
#include <QFile>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

class TestOutboxLocal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void decisionGoesThroughTheOutbox();
    void decisionOnTheSiteIsConfirmedNotRewritten();
    void decidesWithoutAStore();
    void evidenceBytesReachTheJob_data();
    void evidenceBytesReachTheJob();

private:
    QString runDir(const QString &id) const { return m_root + QLatin1Char('/') + id; }
    void newRun(const QString &run, const QString &checkpoint)
    {
        runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), runDir(run),
                     QStringLiteral("--run-id"), run});
        runVigilJob(checkpointArgs(runDir(run), QStringLiteral("train"), checkpoint));
    }
    QString decisionFile(const QString &run, const QString &checkpoint) const
    {
        return runDir(run) + QStringLiteral("/checkpoints/%1/decision.json").arg(checkpoint);
    }
    std::unique_ptr<Supervisor> supervisor(Store *store)
    {
        SupervisorOptions o;
        o.store = store;
        o.pollSeconds = 1;
        auto s = std::make_unique<Supervisor>(o);
        SiteSpec spec;
        spec.name = QStringLiteral("here");
        spec.kind = SiteSpec::Kind::Local;
        spec.runRoot = m_root;
        s->addSite(spec);
        return s;
    }
    static bool refreshed(Supervisor &s)
    {
        bool done = false;
        QObject ctx;
        QObject::connect(&s, &Supervisor::refreshed, &ctx,
                         [&](const QString &, bool ok) { done = ok; });
        s.refresh();
        return QTest::qWaitFor([&] { return done; }, 20000);
    }
    static Result<DecisionOutcome> decide(Supervisor &s, DecisionInput in)
    {
        return await<DecisionOutcome>(
            [&](QObject *ctx, Callback<DecisionOutcome> cb) { s.decide(in, ctx, std::move(cb)); },
            20000);
    }
    static DecisionInput input(const QString &run, const QString &checkpoint, const QString &option)
    {
        DecisionInput in;
        in.site = QStringLiteral("here");
        in.runId = run;
        in.checkpointId = checkpoint;
        in.option = option;
        in.comment = QStringLiteral("looks fine");
        in.evidenceSha256 = QString(64, QLatin1Char('e'));
        return in;
    }
    static QString inboxStatus(Store &store, const QString &run)
    {
        auto r = await<QList<InboxEntry>>(
            [&](QObject *ctx, Callback<QList<InboxEntry>> cb) { store.inbox(ctx, cb); });
        if (r)
            for (const InboxEntry &e : std::as_const(*r))
                if (e.runId == run)
                    return e.status;
        return {};
    }

    QTemporaryDir m_home;
    QString m_root;
};

void TestOutboxLocal::initTestCase()
{
    QVERIFY(!qEnvironmentVariable("VIGIL_JOB_BINARY").isEmpty());
    QVERIFY(m_home.isValid());
    // vigil-job is installed under $HOME/.local/share/vigil/bin: a private home.
    qputenv("HOME", m_home.path().toUtf8());
    m_root = m_home.filePath(QStringLiteral("runs"));
    QVERIFY(QDir().mkpath(m_root));
}

void TestOutboxLocal::decisionGoesThroughTheOutbox()
{
    newRun(QStringLiteral("run-1"), QStringLiteral("epoch-3"));
    Store store(m_home.filePath(QStringLiteral("store.sqlite")));
    auto sup = supervisor(&store);
    QVERIFY(refreshed(*sup));
    QTRY_COMPARE_WITH_TIMEOUT(inboxStatus(store, QStringLiteral("run-1")),
                              QStringLiteral("pending"), 10000);

    auto won = decide(
        *sup, input(QStringLiteral("run-1"), QStringLiteral("epoch-3"), QStringLiteral("go")));
    VIGIL_VERIFY_OK(won);
    QVERIFY(won->won);
    QCOMPARE(won->decisionId.size(), 32);

    // The site holds the decision, with the outbox's id.
    QFile file(decisionFile(QStringLiteral("run-1"), QStringLiteral("epoch-3")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    auto onSite = protocol::parseDecision(file.readAll().toStdString());
    QVERIFY(onSite.ok());
    QCOMPARE(QString::fromStdString(onSite->decisionId), won->decisionId);
    QCOMPARE(QString::fromStdString(onSite->comment), QStringLiteral("looks fine"));

    QTRY_COMPARE_WITH_TIMEOUT(outboxOf(store).size(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(outboxOf(store).first().state, OutboxEntry::State::Confirmed, 5000);
    QCOMPARE(outboxOf(store).first().attempts, 1);
    const auto rows = auditOf(store);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().decisionId, won->decisionId);
    QCOMPARE(rows.first().option, QStringLiteral("go"));
    QCOMPARE(rows.first().clientHost, QSysInfo::machineHostName());
    QCOMPARE(rows.first().evidenceSha256, QString(64, QLatin1Char('e')));
    QCOMPARE(rows.first().decidedBy, QString::fromStdString(onSite->decidedBy));

    // The refresh after the decision moves the inbox on.
    QTRY_COMPARE_WITH_TIMEOUT(inboxStatus(store, QStringLiteral("run-1")),
                              QStringLiteral("decided"), 10000);

    // A second decider loses, and the outbox says who won.
    auto lost = decide(
        *sup, input(QStringLiteral("run-1"), QStringLiteral("epoch-3"), QStringLiteral("stop")));
    VIGIL_VERIFY_OK(lost);
    QVERIFY(!lost->won);
    QCOMPARE(lost->option, QStringLiteral("go"));
    QCOMPARE(lost->decisionId, won->decisionId);
    QTRY_COMPARE_WITH_TIMEOUT(outboxOf(store).size(), 2, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(outboxOf(store).last().state, OutboxEntry::State::Lost, 5000);
    QCOMPARE(outboxOf(store).last().winnerDecisionId, won->decisionId);
    QCOMPARE(outboxOf(store).last().winnerOption, QStringLiteral("go"));
    QCOMPARE(auditOf(store).size(), 1); // only what holds is audited
}

// The program wrote the decision, then died before noting it: its outbox
// still holds the entry. The next supervisor sends it again on connecting,
// finds its own decision id on the site, and confirms it: the file is not
// written twice, the decision is not recorded as lost.
void TestOutboxLocal::decisionOnTheSiteIsConfirmedNotRewritten()
{
    newRun(QStringLiteral("run-2"), QStringLiteral("epoch-1"));
    QString id;
    QByteArray bytes;
    {
        Store first(m_home.filePath(QStringLiteral("first.sqlite")));
        auto sup = supervisor(&first);
        QVERIFY(refreshed(*sup));
        auto won = decide(*sup, input(QStringLiteral("run-2"), QStringLiteral("epoch-1"),
                                      QStringLiteral("stop")));
        VIGIL_VERIFY_OK(won);
        id = won->decisionId;
        QFile f(decisionFile(QStringLiteral("run-2"), QStringLiteral("epoch-1")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        bytes = f.readAll();
        QTRY_COMPARE_WITH_TIMEOUT(outboxOf(first).value(0).state, OutboxEntry::State::Confirmed,
                                  5000);
        // The state the crash left: the same entry, still queued, in a store.
        OutboxEntry left = outboxOf(first).first();
        Store second(m_home.filePath(QStringLiteral("second.sqlite")));
        VIGIL_VERIFY_OK(await<void>(
            [&](QObject *ctx, Callback<void> cb) { second.queueDecision(left, ctx, cb); }));
    }
    const QDateTime mtime =
        QFileInfo(decisionFile(QStringLiteral("run-2"), QStringLiteral("epoch-1"))).lastModified();
    Store second(m_home.filePath(QStringLiteral("second.sqlite")));
    auto sup = supervisor(&second); // connects, then sends its outbox
    QTRY_COMPARE_WITH_TIMEOUT(outboxOf(second).value(0).state, OutboxEntry::State::Confirmed,
                              15000);
    QCOMPARE(outboxOf(second).first().decisionId, id);
    QCOMPARE(outboxOf(second).first().attempts, 1);
    QCOMPARE(auditOf(second).size(), 1);
    QFile f(decisionFile(QStringLiteral("run-2"), QStringLiteral("epoch-1")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), bytes);
    QCOMPARE(QFileInfo(f).lastModified(), mtime);
    QVERIFY(sup->issues().isEmpty());
}

void TestOutboxLocal::decidesWithoutAStore()
{
    QVERIFY(!Store::applicationStore());
    newRun(QStringLiteral("run-3"), QStringLiteral("epoch-1"));
    auto sup = supervisor(nullptr);
    QVERIFY(!sup->store());
    QVERIFY(refreshed(*sup));
    auto won = decide(
        *sup, input(QStringLiteral("run-3"), QStringLiteral("epoch-1"), QStringLiteral("go")));
    VIGIL_VERIFY_OK(won);
    QVERIFY(won->won);
    QVERIFY(QFile::exists(decisionFile(QStringLiteral("run-3"), QStringLiteral("epoch-1"))));
}

void TestOutboxLocal::evidenceBytesReachTheJob_data()
{
    QTest::addColumn<QString>("run");
    QTest::addColumn<QByteArray>("after"); // the metric file when the job looks
    QTest::addColumn<bool>("applied");
    QTest::newRow("the file grew: applied")
        << QStringLiteral("run-e1") << QByteArray("step,loss\n1,0.5\n2,0.4\n") << true;
    QTest::newRow("tampered evidence hash: refused and logged")
        << QStringLiteral("run-e2") << QByteArray("step,loss\n1,0.1\n2,0.4\n") << false;
}

// A decision queued with its evidence (hash and byte counts, as the review
// dialog records them), sent from the outbox by a supervisor that starts on
// it: decision.json carries both, and the job checks them against its file.
void TestOutboxLocal::evidenceBytesReachTheJob()
{
    QFETCH(QString, run);
    QFETCH(QByteArray, after);
    QFETCH(bool, applied);
    runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), runDir(run),
                 QStringLiteral("--run-id"), run});
    runVigilJob(checkpointArgs(runDir(run), QStringLiteral("train"), QStringLiteral("cp"),
                               {QStringLiteral("--metrics"), QStringLiteral("loss.csv")}));
    const QString metrics = runDir(run) + QStringLiteral("/loss.csv");
    const QByteArray seen("step,loss\n1,0.5\n");
    auto writeMetrics = [&](const QByteArray &bytes) {
        QFile f(metrics);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(bytes), bytes.size());
    };
    writeMetrics(seen);
    const QList<std::pair<QString, QByteArray>> files{{QStringLiteral("loss.csv"), seen}};
    const QString storePath = m_home.filePath(run + QStringLiteral(".sqlite"));
    {
        Store store(storePath);
        OutboxEntry e;
        e.decisionId = QString(32, QLatin1Char('7'));
        e.site = QStringLiteral("here");
        e.runId = run;
        e.checkpointId = QStringLiteral("cp");
        e.option = QStringLiteral("go");
        e.decidedBy = QStringLiteral("ana");
        e.clientHost = QStringLiteral("laptop");
        e.evidenceSha256 = evidenceSha256(files);
        e.evidenceBytes = evidenceBytes(files);
        QCOMPARE(e.evidenceBytes, QStringLiteral("[16]"));
        e.decidedAt = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        VIGIL_VERIFY_OK(
            await<void>([&](QObject *ctx, Callback<void> cb) { store.queueDecision(e, ctx, cb); }));
    }
    Store store(storePath);
    auto sup = supervisor(&store); // connects, then sends its outbox
    QTRY_COMPARE_WITH_TIMEOUT(outboxOf(store).value(0).state, OutboxEntry::State::Confirmed, 15000);
    QCOMPARE(auditOf(store).value(0).evidenceBytes, QStringLiteral("[16]"));
    QFile file(decisionFile(run, QStringLiteral("cp")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    auto onSite = protocol::parseDecision(file.readAll().toStdString());
    QVERIFY2(onSite.ok(), onSite.errorString().c_str());
    QVERIFY(onSite->evidenceBytes == std::vector<std::int64_t>{16});
    QCOMPARE(QString::fromStdString(onSite->evidenceSha256), evidenceSha256(files));

    writeMetrics(after);
    const QByteArray out = runVigilJob({QStringLiteral("decision"), QStringLiteral("--run-dir"),
                                        runDir(run), QStringLiteral("--id"), QStringLiteral("cp")},
                                       applied ? 0 : 3);
    QFile events(runDir(run) + QStringLiteral("/events.jsonl"));
    QVERIFY(events.open(QIODevice::ReadOnly));
    const QByteArray log = events.readAll();
    if (applied) {
        QCOMPARE(out, QByteArray("go\n"));
        QVERIFY(!log.contains("decision_refused"));
    } else {
        QVERIFY(out.isEmpty());
        QVERIFY2(log.contains("\"type\":\"decision_refused\"") &&
                     log.contains("tampered evidence") && log.contains("loss.csv (first 16 bytes)"),
                 log.constData());
    }
}

QTEST_GUILESS_MAIN(TestOutboxLocal)
#include "tst_outbox_local.moc"
