// SPDX-License-Identifier: GPL-3.0-or-later
// A site's vigil-job watch survives the login node's sshd being killed and
// restarted (by its PID, with every connection it served): the stream ends,
// the transport reconnects with back-off once sshd is back, and the watch
// resumes from its cursor: the events written while the link was down arrive
// once each, none lost, none repeated.

#include "../common/sandboxenv.h"
#include "../common/vigiljob.h"
#include "../ssh/sshtesthelpers.h"
#include "sites/runwatch.h"
#include "sites/site.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

class TestWatchReconnect : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void watchResumesAfterSshdRestart();

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
    bool sandbox(const QString &command)
    {
        QProcess p;
        p.start(qEnvironmentVariable("VIGIL_SOURCE_DIR") + QStringLiteral("/sandbox/vigil-sandbox"),
                {command});
        const bool ok = p.waitForFinished(60000) && p.exitCode() == 0;
        qInfo().noquote() << "vigil-sandbox" << command << "->"
                          << p.readAllStandardOutput().trimmed()
                          << p.readAllStandardError().trimmed();
        return ok;
    }

    SandboxEnv m_env;
    std::unique_ptr<Site> m_site;
    QString m_root;   // run root, absolute
    QString m_runDir; // the run, absolute
};

void TestWatchReconnect::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
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
    m_runDir = m_root + QStringLiteral("/run-1");
    auto madeRoot = mkdirWait(*m_site->transport(), m_root, 0700);
    VIGIL_VERIFY_OK(madeRoot);
    auto made = execWait(*m_site->transport(),
                         {*helper, QStringLiteral("init-run"), QStringLiteral("--run-dir"),
                          m_runDir, QStringLiteral("--run-id"), QStringLiteral("run-1")});
    VIGIL_VERIFY_OK(made);
    QVERIFY2(made->exitCode == 0, made->err.constData());
}

void TestWatchReconnect::cleanupTestCase()
{
    sandbox(QStringLiteral("sshd-start")); // whatever happened above
    if (m_site && !m_root.isEmpty())
        (void)execWait(*m_site->transport(),
                       {QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), m_root});
}

void TestWatchReconnect::watchResumesAfterSshdRestart()
{
    RunWatch watch(m_site.get());
    QList<qint64> offsets;
    QList<QByteArray> kinds;
    connect(&watch, &RunWatch::eventArrived, this,
            [&](const QString &run, qint64 offset, const QByteArray &event) {
                QCOMPARE(run, QStringLiteral("run-1"));
                offsets << offset;
                kinds << QJsonDocument::fromJson(event)
                             .object()
                             .value(QStringLiteral("checkpoint"))
                             .toString()
                             .toUtf8();
            });
    watch.start();
    QTRY_VERIFY_WITH_TIMEOUT(watch.isLive(), 30000);
    QVERIFY(jobAsSandboxUser(
        checkpointArgs(m_runDir, QStringLiteral("train"), QStringLiteral("before"))));
    QTRY_VERIFY_WITH_TIMEOUT(kinds.contains("before"), 15000);

    // The server goes away with every connection it served.
    QVERIFY(sandbox(QStringLiteral("sshd-stop")));
    QTRY_VERIFY_WITH_TIMEOUT(!watch.isLive(), 30000);
    // The job goes on meanwhile.
    QVERIFY(jobAsSandboxUser(
        checkpointArgs(m_runDir, QStringLiteral("train"), QStringLiteral("while-down-1"))));
    QVERIFY(jobAsSandboxUser(
        checkpointArgs(m_runDir, QStringLiteral("train"), QStringLiteral("while-down-2"))));
    QTest::qWait(2500); // a few failed reconnection attempts, spaced by the back-off
    QVERIFY(!watch.isLive());
    QVERIFY(!kinds.contains("while-down-1"));

    QVERIFY(sandbox(QStringLiteral("sshd-start")));
    // Back-off reaches at most 30 s; here a few seconds.
    QTRY_VERIFY_WITH_TIMEOUT(watch.isLive(), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(kinds.contains("while-down-2"), 15000);
    QVERIFY(jobAsSandboxUser(
        checkpointArgs(m_runDir, QStringLiteral("train"), QStringLiteral("after"))));
    QTRY_VERIFY_WITH_TIMEOUT(kinds.contains("after"), 15000);

    // Each event line once, in file order: nothing lost, nothing replayed twice.
    QCOMPARE(kinds.count("before"), 1);
    QCOMPARE(kinds.count("while-down-1"), 1);
    QCOMPARE(kinds.count("while-down-2"), 1);
    for (qsizetype i = 1; i < offsets.size(); ++i)
        QVERIFY2(offsets[i] > offsets[i - 1], qPrintable(QDebug::toString(offsets)));
    QVERIFY(watch.starts() >= 2);
    QVERIFY(m_site->transport()->stats().connects >= 2);
    // The document has all four checkpoints.
    const QJsonArray runs =
        QJsonDocument::fromJson(watch.document()).object().value(QStringLiteral("runs")).toArray();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs.at(0).toObject().value(QStringLiteral("checkpoints")).toArray().size(), 4);
    watch.stop();
}

QTEST_GUILESS_MAIN(TestWatchReconnect)
#include "tst_watch_reconnect.moc"
