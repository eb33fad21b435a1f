// SPDX-License-Identifier: GPL-3.0-or-later
// The outbox surviving the end of the program that held it, on the sandbox
// cluster: a checkpoint is decided while the login node's sshd is down (the
// decision is stored, the send fails), the supervisor and its store are
// destroyed, sshd comes back, and a new supervisor on the same store file
// sends the decision on connecting. The run directory then holds exactly one
// decision.json, with the outbox's decision id; a third supervisor sends
// nothing again.

#include "../common/sandboxenv.h"
#include "protocol/decision.h"
#include "store/store.h"
#include "storetest.h"
#include "supervisor.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

class TestOutboxSandbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void outboxSurvivesTheEndOfItsProgram();
    void outboxIsSentAfterAReconnection();

private:
    std::unique_ptr<Supervisor> supervisor(Store *store) const
    {
        return loginSupervisor(m_env, store, m_root, 2);
    }
    QString decisionFile(const QString &checkpoint = QStringLiteral("gate")) const
    {
        return m_runDir + QStringLiteral("/checkpoints/%1/decision.json").arg(checkpoint);
    }
    static DecisionInput input(const QString &checkpoint)
    {
        DecisionInput in;
        in.site = QStringLiteral("login");
        in.runId = QStringLiteral("run-1");
        in.checkpointId = checkpoint;
        in.option = QStringLiteral("stop");
        in.comment = QStringLiteral("detections look right");
        return in;
    }

    SandboxEnv m_env;
    QTemporaryDir m_dir;
    QString m_root; // absolute
    QString m_runDir;
};

void TestOutboxSandbox::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_env.command(QStringLiteral("sshd-start"))); // whatever an earlier test left
    auto root = makeSandboxRun(m_env, QStringLiteral("vigil-outbox-test"),
                               {QStringLiteral("gate"), QStringLiteral("gate-2")});
    VIGIL_VERIFY_OK(root);
    m_root = *root;
    m_runDir = m_root + QStringLiteral("/run-1");
}

void TestOutboxSandbox::cleanupTestCase()
{
    m_env.command(QStringLiteral("sshd-start")); // whatever happened above
    if (!m_root.isEmpty())
        QProcess::execute(QStringLiteral("rm"),
                          {QStringLiteral("-rf"), QStringLiteral("--"), m_root});
}

void TestOutboxSandbox::outboxSurvivesTheEndOfItsProgram()
{
    const QString storePath = m_dir.filePath(QStringLiteral("store.sqlite"));
    QString decisionId;
    {
        Store store(storePath);
        auto sup = supervisor(&store);
        sup->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(sup->checkpoint(QStringLiteral("login"), QStringLiteral("run-1"),
                                                 QStringLiteral("gate")),
                                 60000);

        // The link goes down; the decision is taken anyway.
        QVERIFY(m_env.command(QStringLiteral("sshd-stop")));
        const DecisionInput in = input(QStringLiteral("gate"));
        auto sent = await<DecisionOutcome>(
            [&](QObject *ctx, Callback<DecisionOutcome> cb) { sup->decide(in, ctx, cb); }, 90000);
        QVERIFY2(!sent, "the decision was written while sshd was down");
        qInfo().noquote() << "decide while sshd is down:" << sent.errorString();
        QVERIFY2(sent.errorString().contains(QLatin1String("kept in the outbox")),
                 qPrintable(sent.errorString()));
        const auto kept = outboxOf(store);
        QCOMPARE(kept.size(), 1);
        QVERIFY(kept.first().state == OutboxEntry::State::Queued ||
                kept.first().state == OutboxEntry::State::Sent);
        QVERIFY(!kept.first().lastError.isEmpty());
        decisionId = kept.first().decisionId;
        QVERIFY(!QFile::exists(decisionFile()));
        // The program ends here: supervisor and store are destroyed.
    }

    QVERIFY(m_env.command(QStringLiteral("sshd-start")));
    {
        Store store(storePath);
        auto sup = supervisor(&store); // connects, then sends the outbox
        QTRY_COMPARE_WITH_TIMEOUT(outboxOf(store).value(0).state, OutboxEntry::State::Confirmed,
                                  90000);
        QCOMPARE(outboxOf(store).first().decisionId, decisionId);
        const auto audit = auditOf(store, QStringLiteral("run-1"));
        QCOMPARE(audit.size(), 1);
        QCOMPARE(audit.first().option, QStringLiteral("stop"));
        QCOMPARE(audit.first().comment, QStringLiteral("detections look right"));
    }

    // Exactly one decision on the site, the outbox's.
    QFile file(decisionFile());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    auto onSite = protocol::parseDecision(bytes.toStdString());
    QVERIFY(onSite.ok());
    QCOMPARE(QString::fromStdString(onSite->decisionId), decisionId);
    QCOMPARE(QString::fromStdString(onSite->option), QStringLiteral("stop"));
    const QDateTime mtime = QFileInfo(file).lastModified();
    file.close();

    // A third program on the same store sends nothing again.
    {
        Store store(storePath);
        auto sup = supervisor(&store);
        QTRY_VERIFY_WITH_TIMEOUT(sup->siteStatus(QStringLiteral("login")).connection ==
                                     Transport::State::Connected,
                                 60000);
        QTest::qWait(1000);
        QCOMPARE(outboxOf(store).size(), 1);
        QCOMPARE(outboxOf(store).first().attempts, 1);
    }
    QFile again(decisionFile());
    QVERIFY(again.open(QIODevice::ReadOnly));
    QCOMPARE(again.readAll(), bytes);
    QCOMPARE(QFileInfo(again).lastModified(), mtime);
}

// The same program, still running, sends the decision itself once its
// connection to the site comes back.
void TestOutboxSandbox::outboxIsSentAfterAReconnection()
{
    Store store(m_dir.filePath(QStringLiteral("reconnect.sqlite")));
    auto sup = supervisor(&store);
    sup->start();
    QTRY_VERIFY_WITH_TIMEOUT(
        sup->checkpoint(QStringLiteral("login"), QStringLiteral("run-1"), QStringLiteral("gate-2")),
        60000);
    QVERIFY(m_env.command(QStringLiteral("sshd-stop")));
    auto sent = await<DecisionOutcome>(
        [&](QObject *ctx, Callback<DecisionOutcome> cb) {
            sup->decide(input(QStringLiteral("gate-2")), ctx, cb);
        },
        90000);
    QVERIFY2(!sent, "the decision was written while sshd was down");
    QTest::qWait(3000); // refresh cycles fail meanwhile
    QVERIFY(!QFile::exists(decisionFile(QStringLiteral("gate-2"))));
    QVERIFY(m_env.command(QStringLiteral("sshd-start")));
    QTRY_COMPARE_WITH_TIMEOUT(outboxOf(store).value(0).state, OutboxEntry::State::Confirmed, 90000);
    QFile file(decisionFile(QStringLiteral("gate-2")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    auto onSite = protocol::parseDecision(file.readAll().toStdString());
    QVERIFY(onSite.ok());
    QCOMPARE(QString::fromStdString(onSite->decisionId), outboxOf(store).first().decisionId);
}

QTEST_GUILESS_MAIN(TestOutboxSandbox)
#include "tst_outbox_sandbox.moc"
