// SPDX-License-Identifier: GPL-3.0-or-later
// A decision the site cannot take while the connection stays up, on the
// sandbox cluster (issue 9, "the remote file system full or read-only"): the
// checkpoint's directory is a small tmpfs mounted over it, filled up, or
// remounted read-only, or its directory is made not writable. Each time:
//   - the decision fails with an error that says why and where, listed in
//     the Issues list;
//   - it stays in the outbox, with that error, and the directory holds no
//     decision.json and no temporary file;
//   - once the file system recovers, the next refresh cycle writes it,
//     without a reconnection, and the outbox entry is confirmed.
// Runs as root (mount); the sandbox user owns the run directory.

#include "../common/sandboxenv.h"
#include "protocol/decision.h"
#include "store/store.h"
#include "storetest.h"
#include "supervisor.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

class TestOutboxFsFull : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void fullFileSystem();
    void readOnlyFileSystem();
    void directoryNotWritable();

private:
    // Runs a program as root; true when it exited with 0.
    static bool run(const QString &program, const QStringList &args)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p.start(program, args);
        return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit &&
               p.exitCode() == 0;
    }
    QString checkpointDir(const QString &id) const
    {
        return m_runDir + QStringLiteral("/checkpoints/") + id;
    }
    // Mounts a tmpfs of `kilobytes` over the checkpoint's directory, with the
    // directory's owner, mode and files.
    bool mountTmpfs(const QString &id, int kilobytes);
    // Decides `id` while the site refuses the write: the error must contain
    // `why`; then `recover` is run and the next cycle must write the decision.
    void decideThenRecover(const QString &id, const QString &why,
                           const std::function<bool()> &recover);

    SandboxEnv m_env;
    QTemporaryDir m_dir;
    QString m_root; // absolute
    QString m_runDir;
    QStringList m_mounts; // to unmount at the end
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Supervisor> m_sup;
};

void TestOutboxFsFull::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY(m_dir.isValid());
    auto root = makeSandboxRun(
        m_env, QStringLiteral("vigil-fsfull-test"),
        {QStringLiteral("full"), QStringLiteral("readonly"), QStringLiteral("locked")});
    VIGIL_VERIFY_OK(root);
    m_root = *root;
    m_runDir = m_root + QStringLiteral("/run-1");
}

void TestOutboxFsFull::cleanupTestCase()
{
    m_sup.reset();
    m_store.reset();
    for (const QString &mount : std::as_const(m_mounts))
        run(QStringLiteral("umount"), {QStringLiteral("-l"), mount});
    if (!m_root.isEmpty())
        run(QStringLiteral("rm"), {QStringLiteral("-rf"), QStringLiteral("--"), m_root});
}

void TestOutboxFsFull::init()
{
    m_sup.reset();
    m_store = std::make_unique<Store>(
        m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + QStringLiteral(".db")));
    m_sup = loginSupervisor(m_env, m_store.get(), m_root, 3600); // cycles when asked
    m_sup->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(m_sup->checkpoint(QStringLiteral("login"), QStringLiteral("run-1"),
                                               QStringLiteral("locked")),
                             60000);
}

bool TestOutboxFsFull::mountTmpfs(const QString &id, int kilobytes)
{
    const QString dir = checkpointDir(id);
    const QString saved = dir + QStringLiteral(".saved");
    if (!QDir().rename(dir, saved) || !QDir().mkdir(dir))
        return false;
    if (!run(QStringLiteral("mount"),
             {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
              QStringLiteral("size=%1k").arg(kilobytes), QStringLiteral("vigil-test"), dir}))
        return false;
    m_mounts << dir;
    return run(QStringLiteral("chown"), {QStringLiteral("--reference=") + saved, dir}) &&
           run(QStringLiteral("chmod"), {QStringLiteral("--reference=") + saved, dir}) &&
           run(QStringLiteral("cp"), {QStringLiteral("-a"), saved + QStringLiteral("/."), dir});
}

void TestOutboxFsFull::decideThenRecover(const QString &id, const QString &why,
                                         const std::function<bool()> &recover)
{
    const QString dir = checkpointDir(id);
    const QStringList before =
        QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    QVERIFY(before.contains(QStringLiteral("request.json")));
    const TransportStats stats = m_sup->site(QStringLiteral("login"))->transport()->stats();

    DecisionInput in;
    in.site = QStringLiteral("login");
    in.runId = QStringLiteral("run-1");
    in.checkpointId = id;
    in.option = QStringLiteral("stop");
    in.comment = QStringLiteral("the disk is full");
    auto sent = await<DecisionOutcome>(
        [&](QObject *ctx, Callback<DecisionOutcome> cb) { m_sup->decide(in, ctx, cb); }, 60000);
    QVERIFY2(!sent, "the decision was written");
    qInfo().noquote() << id << ":" << sent.errorString();
    QVERIFY2(sent.errorString().contains(why), qPrintable(sent.errorString()));
    QVERIFY2(sent.errorString().contains(dir), qPrintable(sent.errorString()));
    QVERIFY2(sent.errorString().contains(QLatin1String("kept in the outbox")),
             qPrintable(sent.errorString()));
    bool listed = false;
    for (const Issue &issue : m_sup->issues())
        listed = listed || (issue.site == QLatin1String("login") && issue.message.contains(why) &&
                            issue.subject.contains(id));
    QVERIFY2(listed, "the failure is not in the Issues list");

    // Kept, with its error; nothing left on the site.
    auto kept = outboxOf(*m_store);
    QCOMPARE(kept.size(), 1);
    QVERIFY(kept.first().state != OutboxEntry::State::Confirmed);
    QVERIFY2(kept.first().lastError.contains(why), qPrintable(kept.first().lastError));
    QCOMPARE(
        QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System),
        before);

    // Another cycle while it is still refused: still kept, nothing written.
    QSignalSpy cycles(m_sup.get(), &Supervisor::refreshed);
    m_sup->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(cycles.size() >= 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(outboxOf(*m_store).value(0).attempts >= 2, 30000);
    QVERIFY(outboxOf(*m_store).value(0).state != OutboxEntry::State::Confirmed);
    QVERIFY(!QFile::exists(dir + QStringLiteral("/decision.json")));

    // Recovered: the next cycle writes it, on the same connection.
    QVERIFY(recover());
    m_sup->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(outboxOf(*m_store).value(0).state, OutboxEntry::State::Confirmed,
                              30000);
    kept = outboxOf(*m_store);
    QCOMPARE(kept.size(), 1);
    QFile file(dir + QStringLiteral("/decision.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    auto onSite = protocol::parseDecision(file.readAll().toStdString());
    QVERIFY(onSite.ok());
    QCOMPARE(QString::fromStdString(onSite->decisionId), kept.first().decisionId);
    QCOMPARE(QString::fromStdString(onSite->option), QStringLiteral("stop"));
    QCOMPARE(auditOf(*m_store, QStringLiteral("run-1")).size(), 1);
    QCOMPARE(m_sup->site(QStringLiteral("login"))->transport()->stats().connects, stats.connects);
    // The decision and nothing else (the full file system's filler was removed).
    QStringList expected = before;
    expected.removeAll(QStringLiteral("filler"));
    expected << QStringLiteral("decision.json");
    expected.sort();
    QCOMPARE(
        QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System),
        expected);
}

void TestOutboxFsFull::fullFileSystem()
{
    const QString dir = checkpointDir(QStringLiteral("full"));
    QVERIFY(mountTmpfs(QStringLiteral("full"), 64));
    // Filled to the last block: dd ends with "No space left on device".
    run(QStringLiteral("dd"),
        {QStringLiteral("if=/dev/zero"), QStringLiteral("of=") + dir + QStringLiteral("/filler"),
         QStringLiteral("bs=4096")});
    QVERIFY(QFile::exists(dir + QStringLiteral("/filler")));
    decideThenRecover(QStringLiteral("full"),
                      QStringLiteral("no space left on the file system of ") + dir,
                      [&] { return QFile::remove(dir + QStringLiteral("/filler")); });
}

void TestOutboxFsFull::readOnlyFileSystem()
{
    const QString dir = checkpointDir(QStringLiteral("readonly"));
    QVERIFY(mountTmpfs(QStringLiteral("readonly"), 256));
    QVERIFY(
        run(QStringLiteral("mount"), {QStringLiteral("-o"), QStringLiteral("remount,ro"), dir}));
    decideThenRecover(QStringLiteral("readonly"),
                      QStringLiteral("the file system of %1 is read-only").arg(dir), [&] {
                          return run(QStringLiteral("mount"),
                                     {QStringLiteral("-o"), QStringLiteral("remount,rw"), dir});
                      });
}

void TestOutboxFsFull::directoryNotWritable()
{
    const QString dir = checkpointDir(QStringLiteral("locked"));
    QVERIFY(run(QStringLiteral("chmod"), {QStringLiteral("a-w"), dir}));
    decideThenRecover(QStringLiteral("locked"), QStringLiteral("permission denied"), [&] {
        return run(QStringLiteral("chmod"), {QStringLiteral("u+w"), dir});
    });
}

QTEST_GUILESS_MAIN(TestOutboxFsFull)
#include "tst_outbox_fsfull.moc"
