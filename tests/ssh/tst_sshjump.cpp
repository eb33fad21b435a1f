// SPDX-License-Identifier: GPL-3.0-or-later
// ProxyJump: the ssh_config reader (pure rows), then connections to the
// sandbox's login node through its jump host (sshd on VIGIL_SANDBOX_JUMP_PORT,
// which may forward only to the login node), proven to go through the jump
// host by the owner of the TCP connection that the login node sees.

#include "core/ssh/sshjump.h"
#include "core/ssh/sshjumpconfig.h"
#include "sshtesthelpers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/types.h>
#include <unistd.h>

using namespace vigil;
using namespace vigil::test;
using vigil::ssh::ProxySetting;

namespace {

// ---- what /proc says about this process and its connections ----------------

struct TcpEntry
{
    int localPort = 0;
    int remotePort = 0;
    quint64 inode = 0;
};

// IPv4 TCP connections in state ESTABLISHED (the sandbox listens on 127.0.0.1).
QList<TcpEntry> establishedTcp()
{
    QList<TcpEntry> entries;
    QFile f(QStringLiteral("/proc/net/tcp"));
    if (!f.open(QIODevice::ReadOnly))
        return entries;
    f.readLine(); // header
    while (!f.atEnd()) {
        const QList<QByteArray> fields = f.readLine().simplified().split(' ');
        if (fields.size() < 10 || fields.at(3) != "01")
            continue;
        TcpEntry e;
        e.localPort = fields.at(1).split(':').value(1).toInt(nullptr, 16);
        e.remotePort = fields.at(2).split(':').value(1).toInt(nullptr, 16);
        e.inode = fields.at(9).toULongLong();
        entries << e;
    }
    return entries;
}

QSet<quint64> socketInodesOf(const QString &pid)
{
    QSet<quint64> inodes;
    const QDir dir(QStringLiteral("/proc/%1/fd").arg(pid));
    for (const QString &fd :
         dir.entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System)) {
        const QString target = QFile::symLinkTarget(dir.filePath(fd));
        const QString prefix = QStringLiteral("socket:[");
        const qsizetype at = target.lastIndexOf(prefix); // symLinkTarget prefixes the directory
        if (at >= 0)
            inodes.insert(target.mid(at + prefix.size()).chopped(1).toULongLong());
    }
    return inodes;
}

// The processes that hold the socket with this inode.
QList<int> ownersOf(quint64 inode)
{
    QList<int> pids;
    const QStringList all = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &pid : all) {
        bool numeric = false;
        pid.toInt(&numeric);
        if (numeric && socketInodesOf(pid).contains(inode))
            pids << pid.toInt();
    }
    return pids;
}

int parentOf(int pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = f.readAll();
    const QList<QByteArray> after = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    return after.value(1).toInt(); // state ppid ...
}

bool descendsFrom(int pid, int ancestor)
{
    for (int p = pid; p > 1; p = parentOf(p))
        if (p == ancestor)
            return true;
    return false;
}

int countOpenFds()
{
    return int(QDir(QStringLiteral("/proc/self/fd"))
                   .entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System)
                   .size());
}

// Tunnel pump threads alive now. A joined thread leaves the list a moment
// after the join returns: tests wait for 0 with QTRY.
int countTunnelThreads()
{
    int n = 0;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        if (comm.open(QIODevice::ReadOnly) &&
            comm.readAll().trimmed() == QByteArray(ssh::kTunnelThreadName))
            ++n;
    }
    return n;
}

// CPU time (clock ticks) used so far by the tunnel pump threads.
qint64 tunnelThreadCpuTicks()
{
    qint64 ticks = 0;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        QFile stat(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!comm.open(QIODevice::ReadOnly) ||
            comm.readAll().trimmed() != QByteArray(ssh::kTunnelThreadName) ||
            !stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const QList<QByteArray> f = line.mid(line.lastIndexOf(')') + 2).split(' ');
        ticks += f.value(11).toLongLong() + f.value(12).toLongLong(); // utime, stime
    }
    return ticks;
}

int readPid(const QString &pidFile)
{
    QFile f(pidFile);
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toInt() : 0;
}

} // namespace

class TestSshJump : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    // ssh_config and ProxyJump parsing
    void parseProxyJump_data();
    void parseProxyJump();
    void matchHostPattern_data();
    void matchHostPattern();
    void readProxySetting_data();
    void readProxySetting();
    void readProxySettingOfTheSandbox();

    // through the sandbox's jump host
    void throughAliasExecAndSftp();
    void directConnectionIsNotTunnelled();
    void explicitProxyJump();
    void proxyJumpNoneConnectsDirectly();
    void unknownJumpHostKeyStrictIsRefused();
    void unknownJumpHostKeyIsAskedNamingTheJumpHost();
    void jumpHostRefusingTheForwardIsAClearError();
    void chainOfJumpHostsIsRefused();
    void closeEndsTheTunnelWithoutLeaks();
    void droppedJumpConnectionIsAClearError();

private:
    SshTarget viaJump(HostKeyPolicy policy = HostKeyPolicy::Strict) const;
    QString writeFile(const QString &name, const QByteArray &content) const;
    // The client port the login node sees for this transport's connection.
    int clientPortSeenByLoginNode(SshTransport &t);
    QString jumpLabel() const { return QStringLiteral("[127.0.0.1]:%1").arg(m_env.jumpPort); }

    SandboxEnv m_env;
    std::unique_ptr<QTemporaryDir> m_tmp;
};

void TestSshJump::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY2(m_env.jumpPort > 0 && !m_env.viaJumpAlias.isEmpty() && !m_env.jumpAlias.isEmpty(),
             "the sandbox has no jump host: restart it with sandbox/vigil-sandbox start");
    qunsetenv("SSH_AUTH_SOCK"); // only the keys the config names
}

void TestSshJump::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
}

QString TestSshJump::writeFile(const QString &name, const QByteArray &content) const
{
    const QString path = m_tmp->filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qWarning() << "cannot write" << path;
    return path;
}

SshTarget TestSshJump::viaJump(HostKeyPolicy policy) const
{
    SshTarget target;
    target.host = m_env.viaJumpAlias;
    target.configFile = m_env.sshConfig;
    target.hostKeyPolicy = policy;
    return target;
}

int TestSshJump::clientPortSeenByLoginNode(SshTransport &t)
{
    auto r = execWait(t, {QStringLiteral("sh"), QStringLiteral("-c"),
                          QStringLiteral("printf %s \"$SSH_CONNECTION\"")});
    if (!r.ok()) {
        qWarning().noquote() << r.errorString();
        return 0;
    }
    const QList<QByteArray> parts = r->out.split(' '); // client port server port
    return parts.size() == 4 && parts.at(3).toInt() == m_env.sshPort ? parts.at(1).toInt() : 0;
}

// ---- parsing -------------------------------------------------------------------

void TestSshJump::parseProxyJump_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<bool>("none");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");

    QTest::newRow("alias") << "bastion" << true << false << ""
                           << "bastion" << 0;
    QTest::newRow("user@host") << "ann@gw.example.org" << true << false << "ann"
                               << "gw.example.org" << 0;
    QTest::newRow("user@host:port") << "ann@10.0.0.1:2200" << true << false << "ann"
                                    << "10.0.0.1" << 2200;
    QTest::newRow("at in user") << "ann@corp@gw:22" << true << false << "ann@corp"
                                << "gw" << 22;
    QTest::newRow("ipv6 bracketed") << "[::1]:2223" << true << false << ""
                                    << "::1" << 2223;
    QTest::newRow("ipv6 bare") << "fe80::1" << true << false << ""
                               << "fe80::1" << 0;
    QTest::newRow("uri") << "ssh://ann@gw:2201" << true << false << "ann"
                         << "gw" << 2201;
    QTest::newRow("none") << "none" << true << true << ""
                          << "" << 0;
    QTest::newRow("NONE") << "NONE" << true << true << ""
                          << "" << 0;
    QTest::newRow("chain") << "a,b" << false << false << ""
                           << "" << 0;
    QTest::newRow("empty port") << "gw:" << false << false << ""
                                << "" << 0;
    QTest::newRow("port too big") << "gw:70000" << false << false << ""
                                  << "" << 0;
    QTest::newRow("port not a number") << "gw:ssh" << false << false << ""
                                       << "" << 0;
    QTest::newRow("empty user") << "@gw" << false << false << ""
                                << "" << 0;
    QTest::newRow("no host") << "ann@" << false << false << ""
                             << "" << 0;
    QTest::newRow("uri with path") << "ssh://gw/x" << false << false << ""
                                   << "" << 0;
    QTest::newRow("unclosed bracket") << "[::1:22" << false << false << ""
                                      << "" << 0;
}

void TestSshJump::parseProxyJump()
{
    QFETCH(QString, value);
    QFETCH(bool, ok);
    QFETCH(bool, none);
    auto r = ssh::parseProxyJump(value);
    QCOMPARE(r.ok(), ok);
    if (!ok) {
        QVERIFY2(r.errorString().contains(value), qPrintable(r.errorString()));
        return;
    }
    QCOMPARE(!r->has_value(), none);
    if (none)
        return;
    QTEST((*r)->user, "user");
    QTEST((*r)->host, "host");
    QTEST((*r)->port, "port");
    // What toString() writes reads back the same.
    auto again = ssh::parseProxyJump((*r)->toString());
    QVERIFY(again.ok() && again->has_value());
    QCOMPARE((*again)->toString(), (*r)->toString());
}

void TestSshJump::matchHostPattern_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<bool>("match");
    QTest::newRow("exact") << "gw"
                           << "gw" << true;
    QTest::newRow("case") << "GW.Example.org"
                          << "gw.example.ORG" << true;
    QTest::newRow("star") << "node12.cluster"
                          << "node*.cluster" << true;
    QTest::newRow("star empty") << "node.cluster"
                                << "node*.cluster" << true;
    QTest::newRow("star only") << "anything"
                               << "*" << true;
    QTest::newRow("question") << "node1"
                              << "node?" << true;
    QTest::newRow("question needs one") << "node"
                                        << "node?" << false;
    QTest::newRow("prefix only") << "gw2"
                                 << "gw" << false;
    QTest::newRow("backtrack") << "a.b.c.d"
                               << "*.c.*" << true;
    QTest::newRow("no backtrack match") << "a.b.c"
                                        << "*.d*" << false;
}

void TestSshJump::matchHostPattern()
{
    QFETCH(QString, name);
    QFETCH(QString, pattern);
    QTEST(ssh::matchHostPattern(name, pattern), "match");
}

void TestSshJump::readProxySetting_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("line");

    const int unset = int(ProxySetting::Kind::Unset);
    const int disabled = int(ProxySetting::Kind::Disabled);
    const int jump = int(ProxySetting::Kind::Jump);
    const int command = int(ProxySetting::Kind::Command);

    const QByteArray cluster = "# a comment\n"
                               "Host login\n"
                               "    HostName login.cluster.example\n"
                               "    ProxyJump ann@gw.example:2200\n"
                               "Host node*\n"
                               "    ProxyJump login\n"
                               "Host *\n"
                               "    ProxyJump fallback\n";
    QTest::newRow("host block") << cluster << "login" << jump << "ann@gw.example:2200" << 4;
    QTest::newRow("wildcard block") << cluster << "node7" << jump << "login" << 6;
    QTest::newRow("first match wins") << cluster << "elsewhere" << jump << "fallback" << 8;
    QTest::newRow("host case-insensitive")
        << cluster << "LOGIN" << jump << "ann@gw.example:2200" << 4;
    QTest::newRow("nothing") << QByteArray("Host a\n  User x\n") << "b" << unset << "" << 0;
    QTest::newRow("before any Host")
        << QByteArray("ProxyJump gw\nHost a\n  ProxyJump other\n") << "a" << jump << "gw" << 1;
    QTest::newRow("ProxyCommand first") << QByteArray("Host a\n  ProxyCommand nc -X 5 %h %p\n"
                                                      "Host *\n  ProxyJump gw\n")
                                        << "a" << command << "nc -X 5 %h %p" << 2;
    QTest::newRow("ProxyJump none first") << QByteArray("Host a\n  ProxyJump none\n"
                                                        "Host *\n  ProxyJump gw\n")
                                          << "a" << disabled << "none" << 2;
    QTest::newRow("negated pattern")
        << QByteArray("Host * !gw\n  ProxyJump gw\n") << "gw" << unset << "" << 0;
    QTest::newRow("negated pattern other host")
        << QByteArray("Host * !gw\n  ProxyJump gw\n") << "node" << jump << "gw" << 2;
    QTest::newRow("equals and quotes")
        << QByteArray("Host=a\n  proxyjump=\"ann@gw\"\n") << "a" << jump << "ann@gw" << 2;
    QTest::newRow("trailing comment")
        << QByteArray("Host a # the login node\n  ProxyJump gw # x\n") << "a" << jump << "gw" << 2;
    QTest::newRow("match host uses HostName")
        << QByteArray("Host a\n  HostName 10.1.2.3\nMatch host 10.1.*\n  ProxyJump gw\n") << "a"
        << jump << "gw" << 4;
    QTest::newRow("match originalhost")
        << QByteArray("Match originalhost a,b\n  ProxyJump gw\n") << "b" << jump << "gw" << 2;
    QTest::newRow("match negated")
        << QByteArray("Match !host a\n  ProxyJump gw\n") << "a" << unset << "" << 0;
    QTest::newRow("match user") << QByteArray(
                                       "Host a\n  User ann\nMatch user ann\n  ProxyJump gw\n")
                                << "a" << jump << "gw" << 4;
    QTest::newRow("match all") << QByteArray("Match all\n  ProxyJump gw\n") << "x" << jump << "gw"
                               << 2;
    QTest::newRow("match exec not evaluated")
        << QByteArray("Match exec true\n  ProxyJump gw\n") << "x" << unset << "" << 0;
}

void TestSshJump::readProxySetting()
{
    QFETCH(QByteArray, config);
    QFETCH(QString, host);
    QFETCH(int, line);
    const QString file = writeFile(QStringLiteral("config"), config);
    auto r = ssh::readProxySetting(host, file);
    VIGIL_VERIFY_OK(r);
    QTEST(int(r->kind), "kind");
    QTEST(r->value, "value");
    if (line > 0)
        QCOMPARE(r->where, QStringLiteral("%1 line %2").arg(file).arg(line));
}

void TestSshJump::readProxySettingOfTheSandbox()
{
    // An Include (a glob, absolute) with a Host block, before the sandbox's own file.
    const QString included = writeFile(QStringLiteral("extra.conf"),
                                       "Host included-host\n  ProxyJump ann@somewhere:2222\n");
    Q_UNUSED(included)
    const QString main =
        writeFile(QStringLiteral("main"), QStringLiteral("Include %1/*.conf\nInclude %2\n")
                                              .arg(m_tmp->path(), m_env.sshConfig)
                                              .toUtf8());
    auto r = ssh::readProxySetting(QStringLiteral("included-host"), main);
    VIGIL_VERIFY_OK(r);
    QCOMPARE(r->kind, ProxySetting::Kind::Jump);
    QCOMPARE(r->value, QStringLiteral("ann@somewhere:2222"));

    r = ssh::readProxySetting(m_env.viaJumpAlias, main);
    VIGIL_VERIFY_OK(r);
    QCOMPARE(r->kind, ProxySetting::Kind::Jump);
    QCOMPARE(r->value, m_env.jumpAlias);
    r = ssh::readProxySetting(m_env.hostAlias, main);
    VIGIL_VERIFY_OK(r);
    QCOMPARE(r->kind, ProxySetting::Kind::Unset);

    // A missing file is no error; an unreadable Include depth is.
    r = ssh::readProxySetting(QStringLiteral("x"), m_tmp->filePath(QStringLiteral("missing")));
    VIGIL_VERIFY_OK(r);
    const QString loop = writeFile(QStringLiteral("loop"), {});
    writeFile(QStringLiteral("loop"), QStringLiteral("Include %1\n").arg(loop).toUtf8());
    r = ssh::readProxySetting(QStringLiteral("x"), loop);
    QVERIFY(!r.ok());
    QVERIFY2(r.errorString().contains(QLatin1String("Include")), qPrintable(r.errorString()));
}

// ---- through the jump host ---------------------------------------------------------

void TestSshJump::throughAliasExecAndSftp()
{
    SshTransport t(viaJump());
    QSignalSpy states(&t, &Transport::stateChanged);
    auto who = execWait(t, {QStringLiteral("id"), QStringLiteral("-un")});
    VIGIL_VERIFY_OK(who);
    QCOMPARE(who->out.trimmed(), m_env.user.toUtf8());
    QCOMPARE(t.state(), Transport::State::Connected);
    QCOMPARE(countTunnelThreads(), 1);
    bool namedVia = false;
    for (const QList<QVariant> &args : std::as_const(states))
        namedVia = namedVia || args.at(1).toString().contains(QStringLiteral("via ") + jumpLabel());
    QVERIFY2(namedVia, "the connected state does not name the jump host");

    // Proof: the login node's client end of this connection belongs to a
    // process of the jump sshd, not to this test.
    const int port = clientPortSeenByLoginNode(t);
    QVERIFY(port > 0);
    const int jumpSshd = readPid(m_env.jumpPidFile);
    QVERIFY(jumpSshd > 0);
    QList<int> owners;
    for (const TcpEntry &e : establishedTcp())
        if (e.localPort == port && e.remotePort == m_env.sshPort)
            owners << ownersOf(e.inode);
    QVERIFY2(!owners.isEmpty(), "no TCP connection to the login node from the reported port");
    for (int pid : std::as_const(owners)) {
        QVERIFY2(pid != int(::getpid()), "the login node's connection is this process's own");
        QVERIFY2(descendsFrom(pid, jumpSshd),
                 qPrintable(QStringLiteral("pid %1 is not a process of the jump sshd %2")
                                .arg(pid)
                                .arg(jumpSshd)));
    }

    // SFTP both ways, larger than a socket buffer and the channel window.
    // libssh waits for the reply to each 32 KiB request: a reply held back
    // (delayed ACK + Nagle, 40 ms each) would make this take seconds.
    QByteArray data;
    for (int i = 0; i < 3'000'000; ++i)
        data += char('a' + (i * 7) % 26);
    const QString path = QStringLiteral("vigil-jump-test-%1.bin").arg(::getpid());
    QElapsedTimer timer;
    timer.start();
    VIGIL_VERIFY_OK(writeWait(t, path, data));
    auto back = readWait(t, path, 0, 1 << 22);
    VIGIL_VERIFY_OK(back);
    qInfo() << "3 MB written and read back through the tunnel in" << timer.elapsed() << "ms";
    QVERIFY2(timer.elapsed() < 3000, "SFTP through the tunnel stalls");
    QCOMPARE(back->data.size(), data.size());
    QVERIFY(back->data == data);
    auto listed = listWait(t, QStringLiteral("."));
    VIGIL_VERIFY_OK(listed);
    bool found = false;
    for (const FileEntry &e : std::as_const(*listed))
        found = found || e.name == path;
    QVERIFY(found);
    VIGIL_VERIFY_OK(execWait(t, {QStringLiteral("rm"), QStringLiteral("-f"), path}));

    // An idle tunnel waits in poll(): it does not spin.
    const qint64 ticks = tunnelThreadCpuTicks();
    QTest::qWait(1500);
    QVERIFY2(tunnelThreadCpuTicks() - ticks <= 2,
             qPrintable(QStringLiteral("the idle pump used %1 ticks in 1.5 s")
                            .arg(tunnelThreadCpuTicks() - ticks)));

    // A long exec: the tunnel keeps flowing while the session's thread waits,
    // with output and input on the way.
    auto slow = execWait(t,
                         {QStringLiteral("sh"), QStringLiteral("-c"),
                          QStringLiteral("echo start; sleep 2; cat; echo end")},
                         QByteArray("piped through\n"));
    VIGIL_VERIFY_OK(slow);
    QCOMPARE(slow->out, QByteArray("start\npiped through\nend\n"));
    QVERIFY2(tunnelThreadCpuTicks() - ticks <= 5,
             qPrintable(QStringLiteral("the pump used %1 ticks in about 3.5 s")
                            .arg(tunnelThreadCpuTicks() - ticks)));
}

void TestSshJump::directConnectionIsNotTunnelled()
{
    // The same check on a direct connection finds this process: the proof above can fail.
    SshTransport t(sandboxTarget(m_env));
    const int port = clientPortSeenByLoginNode(t);
    QVERIFY(port > 0);
    QTRY_COMPARE_WITH_TIMEOUT(countTunnelThreads(), 0, 5000);
    QList<int> owners;
    for (const TcpEntry &e : establishedTcp())
        if (e.localPort == port && e.remotePort == m_env.sshPort)
            owners << ownersOf(e.inode);
    QCOMPARE(owners, QList<int>{int(::getpid())});
}

void TestSshJump::explicitProxyJump()
{
    // The login node's own alias (no ProxyJump there) with the jump host set
    // in the target: an alias, then the same with user and port spelled out.
    for (const QString &jump :
         {m_env.jumpAlias,
          QStringLiteral("%1@%2:%3").arg(m_env.user, m_env.jumpAlias).arg(m_env.jumpPort)}) {
        SshTarget target = sandboxTarget(m_env);
        target.proxyJump = jump;
        SshTransport t(target);
        const int port = clientPortSeenByLoginNode(t);
        QVERIFY2(port > 0, qPrintable(jump));
        QCOMPARE(countTunnelThreads(), 1);
        const QSet<quint64> mine = socketInodesOf(QStringLiteral("self"));
        for (const TcpEntry &e : establishedTcp())
            if (e.localPort == port && e.remotePort == m_env.sshPort)
                QVERIFY2(!mine.contains(e.inode), "connected directly, not through the jump host");
    }
}

void TestSshJump::proxyJumpNoneConnectsDirectly()
{
    SshTarget target = viaJump();
    target.proxyJump = QStringLiteral("none");
    SshTransport t(target);
    const int port = clientPortSeenByLoginNode(t);
    QVERIFY(port > 0);
    QTRY_COMPARE_WITH_TIMEOUT(countTunnelThreads(), 0, 5000);
    const QSet<quint64> mine = socketInodesOf(QStringLiteral("self"));
    bool direct = false;
    for (const TcpEntry &e : establishedTcp())
        direct = direct || (e.localPort == port && mine.contains(e.inode));
    QVERIFY(direct);
}

void TestSshJump::unknownJumpHostKeyStrictIsRefused()
{
    // known_hosts knows the login node only.
    QFile known(m_env.knownHosts);
    QVERIFY(known.open(QIODevice::ReadOnly));
    QByteArray loginOnly;
    for (const QByteArray &line : known.readAll().split('\n'))
        if (line.startsWith(QStringLiteral("[127.0.0.1]:%1 ").arg(m_env.sshPort).toUtf8()))
            loginOnly += line + '\n';
    QVERIFY(!loginOnly.isEmpty());
    SshTarget target = viaJump(HostKeyPolicy::Strict);
    target.knownHostsFile = writeFile(QStringLiteral("known_hosts"), loginOnly);
    SshTransport t(target);
    auto r = execWait(t, {QStringLiteral("true")});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::HostKeyUnknown);
    QVERIFY2(r.errorString().contains(QStringLiteral("through jump host ") + jumpLabel()),
             qPrintable(r.errorString()));
    QVERIFY2(
        r.errorString().contains(QStringLiteral("host key for %1 is not known").arg(jumpLabel())),
        qPrintable(r.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(countTunnelThreads(), 0, 5000);
    qInfo().noquote() << r.errorString();
}

void TestSshJump::unknownJumpHostKeyIsAskedNamingTheJumpHost()
{
    // An empty known_hosts: both hosts are unknown; the jump host is asked about first.
    SshTarget target = viaJump(HostKeyPolicy::Ask);
    target.knownHostsFile = writeFile(QStringLiteral("known_hosts"), {});
    {
        SshTransport t(target);
        QStringList asked;
        connect(&t, &SshTransport::hostKeyUnknown, &t,
                [&](const QString &host, const QString &fingerprint) {
                    QVERIFY(fingerprint.startsWith(QLatin1String("SHA256:")));
                    asked << host;
                    t.answerHostKey(false);
                });
        auto r = execWait(t, {QStringLiteral("true")});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::HostKeyUnknown);
        QCOMPARE(asked, QStringList{jumpLabel()});
        QVERIFY2(r.errorString().contains(jumpLabel()), qPrintable(r.errorString()));
    }
    SshTransport t(target);
    QStringList asked;
    connect(&t, &SshTransport::hostKeyUnknown, &t, [&](const QString &host) {
        asked << host;
        t.answerHostKey(true);
    });
    VIGIL_VERIFY_OK(execWait(t, {QStringLiteral("true")}));
    QCOMPARE(asked,
             (QStringList{jumpLabel(), QStringLiteral("[127.0.0.1]:%1").arg(m_env.sshPort)}));
    QFile f(target.knownHostsFile);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray known = f.readAll();
    QVERIFY(known.contains(jumpLabel().toUtf8()));
    QVERIFY(known.contains(QStringLiteral("[127.0.0.1]:%1").arg(m_env.sshPort).toUtf8()));
}

void TestSshJump::jumpHostRefusingTheForwardIsAClearError()
{
    // The jump host forwards only to the login node (PermitOpen): not to
    // itself. The tunnel is what fails, so the connection went through it.
    SshTarget target = sandboxTarget(m_env);
    target.host = QStringLiteral("127.0.0.1");
    target.port = m_env.jumpPort;
    target.user = m_env.user;
    target.identityFile = m_env.key;
    target.knownHostsFile = m_env.knownHosts;
    target.proxyJump = m_env.jumpAlias;
    SshTransport t(target);
    auto r = execWait(t, {QStringLiteral("true")});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Network);
    QVERIFY2(r.errorString().contains(QStringLiteral("jump host %1 refused to open a tunnel to "
                                                     "127.0.0.1 port %2")
                                          .arg(jumpLabel())
                                          .arg(m_env.jumpPort)),
             qPrintable(r.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(countTunnelThreads(), 0, 5000);
    qInfo().noquote() << r.errorString();
}

void TestSshJump::chainOfJumpHostsIsRefused()
{
    SshTarget target = sandboxTarget(m_env);
    target.proxyJump = m_env.jumpAlias + QLatin1Char(',') + m_env.jumpAlias;
    SshTransport t(target);
    auto r = execWait(t, {QStringLiteral("true")});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Malformed);
    QVERIFY2(r.errorString().contains(QLatin1String("only one jump host is supported")),
             qPrintable(r.errorString()));
}

void TestSshJump::closeEndsTheTunnelWithoutLeaks()
{
    const auto cycle = [&] {
        SshTransport t(viaJump());
        auto r = execWait(t, {QStringLiteral("true")});
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(countTunnelThreads(), 1);
        t.close();
        QTRY_COMPARE_WITH_TIMEOUT(t.state(), Transport::State::Disconnected, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(countTunnelThreads(), 0, 5000);
        // Reopened: a new tunnel, and it works.
        r = execWait(t, {QStringLiteral("echo"), QStringLiteral("again")});
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(r->out, QByteArray("again\n"));
        QCOMPARE(countTunnelThreads(), 1);
    };
    cycle(); // warms up what Qt and libssh open once
    if (QTest::currentTestFailed())
        return;
    const int before = countOpenFds();
    for (int i = 0; i < 3; ++i) {
        cycle();
        if (QTest::currentTestFailed())
            return;
    }
    QTRY_COMPARE_WITH_TIMEOUT(countTunnelThreads(), 0, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(countOpenFds(), before, 5000);
}

void TestSshJump::droppedJumpConnectionIsAClearError()
{
    SshTransport t(viaJump());
    VIGIL_VERIFY_OK(execWait(t, {QStringLiteral("true")}));
    // Our TCP connection to the jump host, and the jump sshd's processes serving it.
    const QSet<quint64> mine = socketInodesOf(QStringLiteral("self"));
    int localPort = 0;
    for (const TcpEntry &e : establishedTcp())
        if (e.remotePort == m_env.jumpPort && mine.contains(e.inode))
            localPort = e.localPort;
    QVERIFY(localPort > 0);
    QList<int> serving;
    for (const TcpEntry &e : establishedTcp())
        if (e.localPort == m_env.jumpPort && e.remotePort == localPort)
            serving << ownersOf(e.inode);
    QVERIFY(!serving.isEmpty());

    std::optional<Result<ExecResult>> got;
    QObject context;
    t.exec({QStringLiteral("sleep"), QStringLiteral("20")}, {}, &context,
           [&](Result<ExecResult> r) { got.emplace(std::move(r)); });
    QTest::qWait(500); // the exec is running
    QVERIFY(!got);
    for (int pid : std::as_const(serving))
        ::kill(pid, SIGTERM);
    QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 10000);
    QVERIFY(!got->ok());
    QCOMPARE(got->error().kind, Error::Kind::Network);
    QVERIFY2(got->errorString().contains(QStringLiteral("via ") + jumpLabel()),
             qPrintable(got->errorString()));
    QVERIFY2(got->errorString().contains(
                 QStringLiteral("connection to jump host %1 lost").arg(jumpLabel())),
             qPrintable(got->errorString()));
    qInfo().noquote() << got->errorString();
    QTRY_COMPARE_WITH_TIMEOUT(countTunnelThreads(), 0, 10000);

    // The next operation connects again, through a new tunnel.
    auto again = execWait(t, {QStringLiteral("echo"), QStringLiteral("back")});
    VIGIL_VERIFY_OK(again);
    QCOMPARE(again->out, QByteArray("back\n"));
}

QTEST_GUILESS_MAIN(TestSshJump)
#include "tst_sshjump.moc"
