// SPDX-License-Identifier: GPL-3.0-or-later
// Symbolic links planted in a run directory on the sandbox cluster (issue 9),
// as anyone with write access to a checkpoint's directory could plant them
// (an approver group's 01770 directory; here the links belong to the job's
// own account, which Vigil trusts no more for that). Vigil over SFTP:
//   - decision.json -> the job owner's ~/.ssh/authorized_keys: the decision
//     is refused, authorized_keys is unchanged, and the job's own vigil-job
//     refuses the link too;
//   - request.json -> another user's file: neither read nor decided on;
//   - a checkpoint's directory -> a directory outside the run: no decision
//     is written into it;
//   - an attachment below a directory that is a link (plots -> ~/.ssh): not
//     read, whatever file it names.
// Each refusal says which path is a link.

#include "../common/sandboxenv.h"
#include "../common/testfiles.h"
#include "../store/storetest.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace vigil;
using namespace vigil::test;

namespace {

// A refusal that names the link.
bool refusesLink(const QString &message, const QString &path)
{
    return message.contains(path) && (message.contains(QLatin1String("symlink")) ||
                                      message.contains(QLatin1String("symbolic link")));
}

} // namespace

class TestHostileSymlinks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void decisionLinkToAuthorizedKeys();
    void requestLinkToAnotherUsersFile();
    void checkpointDirectoryIsALink();
    void attachmentBelowALinkedDirectory();

private:
    // A symbolic link owned by the sandbox user, as the account would make it.
    bool plantLink(const QString &target, const QString &link) const
    {
        return QFile::link(target, link) &&
               QProcess::execute(
                   QStringLiteral("chown"),
                   {QStringLiteral("-h"), m_env.user + QLatin1Char(':') + m_env.user, link}) == 0;
    }
    QString checkpointDir(const QString &id) const
    {
        return m_root + QStringLiteral("/run-1/checkpoints/") + id;
    }
    Result<DecisionOutcome> decide(const QString &id)
    {
        DecisionInput in;
        in.site = QStringLiteral("login");
        in.runId = QStringLiteral("run-1");
        in.checkpointId = id;
        in.option = QStringLiteral("go");
        return await<DecisionOutcome>(
            [&](QObject *ctx, Callback<DecisionOutcome> cb) { m_sup->decide(in, ctx, cb); }, 60000);
    }

    SandboxEnv m_env;
    QTemporaryDir m_dir;
    QString m_root;
    QString m_home; // the sandbox user's
    QString m_helper;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Supervisor> m_sup;
};

void TestHostileSymlinks::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY(m_dir.isValid());
    auto root = makeSandboxRun(
        m_env, QStringLiteral("vigil-symlink-test"),
        {QStringLiteral("keys"), QStringLiteral("request"), QStringLiteral("plots")}, &m_helper);
    VIGIL_VERIFY_OK(root);
    m_root = *root;
    m_home = QFileInfo(m_root).path();
    m_store = std::make_unique<Store>(m_dir.filePath(QStringLiteral("store.db")));
    m_sup = loginSupervisor(m_env, m_store.get(), m_root, 3600);
    m_sup->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(m_sup->checkpoint(QStringLiteral("login"), QStringLiteral("run-1"),
                                               QStringLiteral("plots")),
                             60000);
}

void TestHostileSymlinks::cleanupTestCase()
{
    m_sup.reset();
    if (!m_root.isEmpty())
        QProcess::execute(QStringLiteral("rm"),
                          {QStringLiteral("-rf"), QStringLiteral("--"), m_root,
                           m_home + QStringLiteral("/vigil-symlink-outside")});
}

void TestHostileSymlinks::decisionLinkToAuthorizedKeys()
{
    const QString keys = m_home + QStringLiteral("/.ssh/authorized_keys");
    const QByteArray before = readAll(keys);
    QVERIFY(!before.isEmpty());
    const QDateTime mtime = QFileInfo(keys).lastModified();
    const QString link = checkpointDir(QStringLiteral("keys")) + QStringLiteral("/decision.json");
    QVERIFY(plantLink(keys, link));

    auto sent = decide(QStringLiteral("keys"));
    QVERIFY2(!sent, "a decision was written through decision.json -> authorized_keys");
    qInfo().noquote() << sent.errorString();
    QVERIFY2(refusesLink(sent.errorString(), link), qPrintable(sent.errorString()));
    QCOMPARE(readAll(keys), before);
    QCOMPARE(QFileInfo(keys).lastModified(), mtime);

    // The job's side: the link is not a decision; it is moved aside and logged.
    SshTransport t(sandboxTarget(m_env));
    auto job = execWait(t, {m_helper, QStringLiteral("decision"), QStringLiteral("--run-dir"),
                            m_root + QStringLiteral("/run-1"), QStringLiteral("--id"),
                            QStringLiteral("keys")});
    VIGIL_VERIFY_OK(job);
    QCOMPARE(job->exitCode, 3); // pending
    QVERIFY(!QFileInfo(link).isSymLink());
    const QByteArray events = readAll(m_root + QStringLiteral("/run-1/events.jsonl"));
    QVERIFY2(events.contains("\"type\":\"decision_refused\"") && events.contains("symbolic link"),
             events.constData());
    QCOMPARE(readAll(keys), before);

    // The decision was kept: the next cycle writes it, now that the link is gone.
    m_sup->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(link).isFile() && !QFileInfo(link).isSymLink(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(outboxOf(*m_store).value(0).state, OutboxEntry::State::Confirmed,
                              30000);
    QCOMPARE(readAll(keys), before);
    QCOMPARE(QFileInfo(keys).lastModified(), mtime);
}

void TestHostileSymlinks::requestLinkToAnotherUsersFile()
{
    // A file only root and its owner may write, readable by all.
    const QString secret = m_dir.filePath(QStringLiteral("other-users-file"));
    QVERIFY(writeFile(secret, "not a request\n"));
    QVERIFY(QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner |
                                                    QFile::ExeOwner | QFile::ExeOther));
    QVERIFY(QFile::setPermissions(secret, QFile::ReadOwner | QFile::ReadOther));
    const QString request =
        checkpointDir(QStringLiteral("request")) + QStringLiteral("/request.json");
    QVERIFY(QFile::rename(request, request + QStringLiteral(".real")));
    QVERIFY(plantLink(secret, request));

    auto read = await<QByteArray>(
        [&](QObject *ctx, Callback<QByteArray> cb) {
            m_sup->readRunFile(QStringLiteral("login"), QStringLiteral("run-1"),
                               QStringLiteral("checkpoints/request/request.json"), 1 << 20, ctx,
                               cb);
        },
        30000);
    QVERIFY2(!read, "request.json was read through the link");
    QVERIFY2(refusesLink(read.errorString(), request), qPrintable(read.errorString()));
    auto sent = decide(QStringLiteral("request"));
    QVERIFY2(!sent, "a decision was made on a linked request.json");
    qInfo().noquote() << sent.errorString();
    QVERIFY2(refusesLink(sent.errorString(), request), qPrintable(sent.errorString()));
    QVERIFY(!QFileInfo::exists(checkpointDir(QStringLiteral("request")) +
                               QStringLiteral("/decision.json")));
}

void TestHostileSymlinks::checkpointDirectoryIsALink()
{
    // A directory outside the run, holding a copy of a valid request.
    const QString outside = m_home + QStringLiteral("/vigil-symlink-outside");
    QVERIFY(QDir().mkpath(outside));
    QVERIFY(QFile::copy(checkpointDir(QStringLiteral("plots")) + QStringLiteral("/request.json"),
                        outside + QStringLiteral("/request.json")));
    QCOMPARE(QProcess::execute(
                 QStringLiteral("chown"),
                 {QStringLiteral("-R"), m_env.user + QLatin1Char(':') + m_env.user, outside}),
             0);
    QVERIFY(plantLink(outside, checkpointDir(QStringLiteral("evil"))));

    auto sent = decide(QStringLiteral("evil"));
    QVERIFY2(!sent, "a decision was written into a linked checkpoint directory");
    qInfo().noquote() << sent.errorString();
    QVERIFY2(refusesLink(sent.errorString(), checkpointDir(QStringLiteral("evil"))),
             qPrintable(sent.errorString()));
    QVERIFY(!QFileInfo::exists(outside + QStringLiteral("/decision.json")));
}

void TestHostileSymlinks::attachmentBelowALinkedDirectory()
{
    const QString plots = checkpointDir(QStringLiteral("plots")) + QStringLiteral("/plots");
    QVERIFY(plantLink(m_home + QStringLiteral("/.ssh"), plots));
    auto read = await<QByteArray>(
        [&](QObject *ctx, Callback<QByteArray> cb) {
            m_sup->readRunFile(QStringLiteral("login"), QStringLiteral("run-1"),
                               QStringLiteral("checkpoints/plots/plots/authorized_keys"), 1 << 20,
                               ctx, cb);
        },
        30000);
    QVERIFY2(!read, "a file was read through a linked directory");
    qInfo().noquote() << read.errorString();
    QVERIFY2(refusesLink(read.errorString(), plots), qPrintable(read.errorString()));
    // A real directory in the same place is read.
    QVERIFY(QFile::remove(plots));
    QVERIFY(QDir().mkdir(plots));
    QVERIFY(writeFile(plots + QStringLiteral("/loss.txt"), "0.25\n"));
    auto real = await<QByteArray>(
        [&](QObject *ctx, Callback<QByteArray> cb) {
            m_sup->readRunFile(QStringLiteral("login"), QStringLiteral("run-1"),
                               QStringLiteral("checkpoints/plots/plots/loss.txt"), 1 << 20, ctx,
                               cb);
        },
        30000);
    VIGIL_VERIFY_OK(real);
    QCOMPARE(*real, QByteArray("0.25\n"));
}

QTEST_GUILESS_MAIN(TestHostileSymlinks)
#include "tst_hostile_symlinks.moc"
