// SPDX-License-Identifier: GPL-3.0-or-later
// Integration tests of SshTransport's connection: host keys, authentication,
// connection errors. Against the sandbox's sshd.

#include "sshtesthelpers.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

class TestSshConnect : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void unknownHostKeyStrictIsRefused();
    void unknownHostKeyAcceptNewIsAdded();
    void unknownHostKeyAskRejected();
    void unknownHostKeyAskAccepted();
    void unknownHostKeyAskWithoutListenerIsRefused();
    void changedHostKeyIsRefused_data();
    void changedHostKeyIsRefused();
    void wrongKeyIsAuthError();
    void encryptedKeyAsksForPassphrase();
    void keyFromSshAgent();
    void unreachablePortIsNetworkError();
    void operationsQueuedWhileConnectingAllGetTheError();

private:
    // The sandbox by host name and port, without its ssh_config: only what is set here counts.
    SshTarget bareTarget(HostKeyPolicy policy, const QString &knownHosts,
                         const QString &identity) const;
    QString writeFile(const QString &name, const QByteArray &content) const;
    QString hostLabel() const
    {
        return QStringLiteral("[%1]:%2").arg(m_env.sshHost).arg(m_env.sshPort);
    }

    SandboxEnv m_env;
    std::unique_ptr<QTemporaryDir> m_tmp;
};

void TestSshConnect::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    qunsetenv("SSH_AUTH_SOCK"); // only the keys a test names
}

void TestSshConnect::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
}

QString TestSshConnect::writeFile(const QString &name, const QByteArray &content) const
{
    const QString path = m_tmp->filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qWarning() << "cannot write" << path;
    return path;
}

SshTarget TestSshConnect::bareTarget(HostKeyPolicy policy, const QString &knownHosts,
                                     const QString &identity) const
{
    SshTarget t;
    t.host = m_env.sshHost;
    t.port = m_env.sshPort;
    t.user = m_env.user;
    t.identityFile = identity;
    t.knownHostsFile = knownHosts;
    t.configFile = writeFile(QStringLiteral("empty_config"), {});
    t.hostKeyPolicy = policy;
    return t;
}

void TestSshConnect::unknownHostKeyStrictIsRefused()
{
    const QString knownHosts = writeFile(QStringLiteral("known_hosts"), {});
    SshTarget target = sandboxTarget(m_env, HostKeyPolicy::Strict);
    target.knownHostsFile = knownHosts; // wins over the config's UserKnownHostsFile
    SshTransport t(target);
    auto r = execWait(t, {QStringLiteral("true")});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::HostKeyUnknown);
    QVERIFY2(r.errorString().contains(QLatin1String("SHA256:")), qPrintable(r.errorString()));
    QVERIFY2(r.errorString().contains(hostLabel()), qPrintable(r.errorString()));
    QCOMPARE(t.state(), Transport::State::Failed);
    QFile f(knownHosts);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().isEmpty()); // never silently trusted
}

void TestSshConnect::unknownHostKeyAcceptNewIsAdded()
{
    const QString knownHosts = m_tmp->filePath(QStringLiteral("new_known_hosts"));
    SshTarget target = sandboxTarget(m_env, HostKeyPolicy::AcceptNew);
    target.knownHostsFile = knownHosts;
    SshTransport t(target);
    auto r = execWait(t, {QStringLiteral("true")});
    VIGIL_VERIFY_OK(r);
    QFile f(knownHosts);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY2(f.readAll().contains(hostLabel().toUtf8()), "the key was not added");

    // Known now: a strict transport connects.
    target.hostKeyPolicy = HostKeyPolicy::Strict;
    SshTransport strict(target);
    VIGIL_VERIFY_OK(execWait(strict, {QStringLiteral("true")}));
}

void TestSshConnect::unknownHostKeyAskRejected()
{
    SshTarget target = sandboxTarget(m_env, HostKeyPolicy::Ask);
    target.knownHostsFile = writeFile(QStringLiteral("known_hosts"), {});
    SshTransport t(target);
    QSignalSpy asked(&t, &SshTransport::hostKeyUnknown);
    std::optional<Result<ExecResult>> got;
    QObject context;
    t.exec({QStringLiteral("true")}, {}, &context,
           [&](Result<ExecResult> r) { got.emplace(std::move(r)); });
    QTRY_COMPARE_WITH_TIMEOUT(asked.size(), 1, 20000);
    QCOMPARE(asked.at(0).at(0).toString(), hostLabel());
    QVERIFY(asked.at(0).at(1).toString().startsWith(QLatin1String("SHA256:")));
    QCOMPARE(t.state(), Transport::State::Connecting);
    QVERIFY(!got); // waiting for the answer, not failed

    t.answerHostKey(false);
    QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 20000);
    QVERIFY(!got->ok());
    QCOMPARE(got->error().kind, Error::Kind::HostKeyUnknown);
    QFile f(target.knownHostsFile);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().isEmpty());
}

void TestSshConnect::unknownHostKeyAskAccepted()
{
    SshTarget target = sandboxTarget(m_env, HostKeyPolicy::Ask);
    target.knownHostsFile = writeFile(QStringLiteral("known_hosts"), {});
    SshTransport t(target);
    connect(&t, &SshTransport::hostKeyUnknown, &t, [&t] { t.answerHostKey(true); });
    QSignalSpy asked(&t, &SshTransport::hostKeyUnknown);
    VIGIL_VERIFY_OK(execWait(t, {QStringLiteral("true")}));
    QCOMPARE(asked.size(), 1);
    QFile f(target.knownHostsFile);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains(hostLabel().toUtf8()));
}

void TestSshConnect::unknownHostKeyAskWithoutListenerIsRefused()
{
    SshTarget target = sandboxTarget(m_env, HostKeyPolicy::Ask);
    target.knownHostsFile = writeFile(QStringLiteral("known_hosts"), {});
    SshTransport t(target); // nobody listens to hostKeyUnknown(): no one to ask
    auto r = execWait(t, {QStringLiteral("true")});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::HostKeyUnknown);
}

void TestSshConnect::changedHostKeyIsRefused_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("known");
    QTest::newRow("another key of the same type")
        << QStringLiteral("ed25519") << QStringLiteral("has a different key");
    QTest::newRow("a key of another type")
        << QStringLiteral("ecdsa") << QStringLiteral("has a key of another type");
}

void TestSshConnect::changedHostKeyIsRefused()
{
    QFETCH(QString, type);
    QFETCH(QString, known);
    // known_hosts lists another key for the same host:port.
    const QString impostor = m_tmp->filePath(QStringLiteral("impostor-") + type);
    runLocal(QStringLiteral("ssh-keygen"),
             {QStringLiteral("-q"), QStringLiteral("-t"), type, QStringLiteral("-N"), QString(),
              QStringLiteral("-f"), impostor});
    QFile pub(impostor + QStringLiteral(".pub"));
    QVERIFY(pub.open(QIODevice::ReadOnly));
    const QList<QByteArray> parts = pub.readAll().split(' ');
    QVERIFY(parts.size() >= 2);
    const QString knownHosts =
        writeFile(QStringLiteral("known_hosts-") + type,
                  hostLabel().toUtf8() + ' ' + parts[0] + ' ' + parts[1] + '\n');
    // Refused whatever the settings: no policy accepts a changed key.
    for (HostKeyPolicy policy :
         {HostKeyPolicy::Strict, HostKeyPolicy::AcceptNew, HostKeyPolicy::Ask}) {
        SshTarget target = sandboxTarget(m_env, policy);
        target.knownHostsFile = knownHosts;
        SshTransport t(target);
        QSignalSpy asked(&t, &SshTransport::hostKeyUnknown);
        auto r = execWait(t, {QStringLiteral("true")});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::HostKeyChanged);
        QVERIFY2(r.errorString().contains(QLatin1String("CHANGED")), qPrintable(r.errorString()));
        QVERIFY2(r.errorString().contains(known), qPrintable(r.errorString()));
        QVERIFY2(r.errorString().contains(QLatin1String("SHA256:")), qPrintable(r.errorString()));
        QVERIFY2(r.errorString().contains(knownHosts), qPrintable(r.errorString()));
        QVERIFY2(r.errorString().contains(QLatin1String("man-in-the-middle")),
                 qPrintable(r.errorString()));
        QCOMPARE(asked.size(), 0);
        // known_hosts is left as it was: a changed key is never learnt.
        QFile after(knownHosts);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), hostLabel().toUtf8() + ' ' + parts[0] + ' ' + parts[1] + '\n');
        qInfo().noquote() << r.errorString();
    }
}

void TestSshConnect::wrongKeyIsAuthError()
{
    const QString key = m_tmp->filePath(QStringLiteral("stranger"));
    runLocal(QStringLiteral("ssh-keygen"),
             {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
              QStringLiteral("-N"), QString(), QStringLiteral("-f"), key});
    SshTransport t(bareTarget(HostKeyPolicy::Strict, m_env.knownHosts, key));
    auto r = execWait(t, {QStringLiteral("true")});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Auth);
    QVERIFY2(r.errorString().contains(QLatin1String("accepts publickey")),
             qPrintable(r.errorString()));
    QVERIFY2(r.errorString().contains(key), qPrintable(r.errorString()));
    qInfo().noquote() << r.errorString();
}

void TestSshConnect::encryptedKeyAsksForPassphrase()
{
    const QString key = m_tmp->filePath(QStringLiteral("locked"));
    runLocal(QStringLiteral("ssh-keygen"),
             {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
              QStringLiteral("-N"), QStringLiteral("open sesame"), QStringLiteral("-C"),
              QStringLiteral("vigil-test-%1").arg(QCoreApplication::applicationPid()),
              QStringLiteral("-f"), key});
    QFile pubFile(key + QStringLiteral(".pub"));
    QVERIFY(pubFile.open(QIODevice::ReadOnly));
    const QByteArray pub = pubFile.readAll().trimmed();

    // Authorize the key for the sandbox user (through the sandbox's own key),
    // and take it away again at the end.
    SshTransport admin(sandboxTarget(m_env));
    const QString authorized = QStringLiteral(".ssh/authorized_keys");
    auto before = readWait(admin, authorized);
    VIGIL_VERIFY_OK(before);
    const QByteArray original = before->data;
    QByteArray withKey = original;
    if (!withKey.isEmpty() && !withKey.endsWith('\n'))
        withKey += '\n';
    VIGIL_VERIFY_OK(writeWait(admin, authorized, withKey + pub + '\n', 0600));
    const auto restore = qScopeGuard([&] {
        auto now = readWait(admin, authorized);
        if (now.ok()) {
            QByteArray cleaned = now->data;
            cleaned.replace(QByteArray(pub + '\n'), QByteArray());
            (void)writeWait(admin, authorized, cleaned, 0600);
        }
    });

    SshTransport t(bareTarget(HostKeyPolicy::Strict, m_env.knownHosts, key));
    QSignalSpy asked(&t, &SshTransport::passphraseRequested);
    std::optional<Result<ExecResult>> got;
    QObject context;
    t.exec({QStringLiteral("true")}, {}, &context,
           [&](Result<ExecResult> r) { got.emplace(std::move(r)); });
    QTRY_COMPARE_WITH_TIMEOUT(asked.size(), 1, 20000);
    QCOMPARE(asked.at(0).at(0).toString(), key);
    t.answerPassphrase(QStringLiteral("wrong"));
    QTRY_COMPARE_WITH_TIMEOUT(asked.size(), 2, 20000); // asked again
    QVERIFY(!got);
    t.answerPassphrase(QStringLiteral("open sesame"));
    QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 20000);
    VIGIL_VERIFY_OK(*got);
    QCOMPARE(t.state(), Transport::State::Connected);
}

void TestSshConnect::keyFromSshAgent()
{
    // A private ssh-agent holding the sandbox key; no identity file is named.
    const QString socket = m_tmp->filePath(QStringLiteral("agent.sock"));
    QProcess agent;
    agent.start(QStringLiteral("ssh-agent"), {QStringLiteral("-D"), QStringLiteral("-a"), socket});
    QVERIFY(agent.waitForStarted());
    const auto stopAgent = qScopeGuard([&] {
        agent.terminate();
        agent.waitForFinished(5000);
        qunsetenv("SSH_AUTH_SOCK");
    });
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(socket), 5000);

    // Without the agent, no key this process has is accepted.
    qunsetenv("SSH_AUTH_SOCK");
    {
        SshTransport t(bareTarget(HostKeyPolicy::Strict, m_env.knownHosts, QString()));
        auto r = execWait(t, {QStringLiteral("true")});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::Auth);
    }

    QProcess add;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SSH_AUTH_SOCK"), socket);
    add.setProcessEnvironment(env);
    add.start(QStringLiteral("ssh-add"), {m_env.key});
    QVERIFY(add.waitForFinished(10000));
    QVERIFY2(add.exitCode() == 0, add.readAllStandardError().constData());

    qputenv("SSH_AUTH_SOCK", socket.toUtf8());
    SshTransport t(bareTarget(HostKeyPolicy::Strict, m_env.knownHosts, QString()));
    auto r = execWait(t, {QStringLiteral("id"), QStringLiteral("-un")});
    VIGIL_VERIFY_OK(r);
    QCOMPARE(QString::fromUtf8(r->out.trimmed()), m_env.user);
}

void TestSshConnect::unreachablePortIsNetworkError()
{
    QTcpServer probe; // a port that was free a moment ago, now closed
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const int port = probe.serverPort();
    probe.close();
    SshTarget target = bareTarget(HostKeyPolicy::Strict, m_env.knownHosts, m_env.key);
    target.host = QStringLiteral("127.0.0.1");
    target.port = port;
    SshTransport t(target);
    QSignalSpy states(&t, &Transport::stateChanged);
    auto r = execWait(t, {QStringLiteral("true")});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Network);
    QVERIFY2(r.errorString().contains(QStringLiteral("127.0.0.1:%1").arg(port)),
             qPrintable(r.errorString()));
    QVERIFY2(r.errorString().contains(QLatin1String("refused"), Qt::CaseInsensitive),
             qPrintable(r.errorString()));
    QTRY_COMPARE(t.state(), Transport::State::Failed);
    qInfo().noquote() << r.errorString();
}

void TestSshConnect::operationsQueuedWhileConnectingAllGetTheError()
{
    SshTarget target = sandboxTarget(m_env, HostKeyPolicy::Strict);
    target.knownHostsFile = writeFile(QStringLiteral("known_hosts"), {});
    SshTransport t(target);
    QObject context;
    QList<Error::Kind> kinds;
    for (int i = 0; i < 5; ++i)
        t.readFile(QStringLiteral("x"), 0, 1, &context, [&](Result<FileChunk> r) {
            kinds << (r.ok() ? Error::Kind::Generic : r.error().kind);
        });
    QTRY_COMPARE_WITH_TIMEOUT(kinds.size(), 5, 20000);
    QCOMPARE(kinds.count(Error::Kind::HostKeyUnknown), 5);
}

QTEST_GUILESS_MAIN(TestSshConnect)
#include "tst_sshconnect.moc"
