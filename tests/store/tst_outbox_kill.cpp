// SPDX-License-Identifier: GPL-3.0-or-later
// The outbox surviving a SIGKILL during the send, with the real vigilctl on
// the sandbox: `vigilctl decide` stores the decision in its outbox and starts
// writing decision.json; the write hangs (the SFTP server of a private sshd,
// on the sandbox's host key and account, holds the request that creates the
// decision's temporary file); vigilctl is killed by its PID while it waits.
// A later `vigilctl checkpoints` on the same store sends the queued decision
// on connecting: decision.json carries the outbox's decision id, the entry is
// confirmed, the audit log has it once, and a third run sends nothing again.
//
// The hold is real I/O that does not answer: sftp-gate.py sits between sshd
// and /usr/lib/openssh/sftp-server and, while the flag file `hold` exists,
// never forwards an SSH_FXP_OPEN of a ".decision.json.tmp-" file. Nothing of
// the sandbox is stopped: the test needs no SERIAL.

#include "../common/sandboxenv.h"
#include "../common/testfiles.h"
#include "../common/vigiljob.h"
#include "../integration/vigilctlrunner.h"
#include "../ssh/sshtesthelpers.h"
#include "protocol/decision.h"
#include "readonlystore.h"
#include "sites/site.h"
#include "sites/siteregistry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <csignal>
#include <sys/stat.h>
#include <sys/types.h>

using namespace vigil;
using namespace vigil::test;

using vigil::test::readAll;
using vigil::test::writeFile;

namespace {

// Between sshd and the real sftp-server: forwards every packet, except that
// while FLAGS/hold exists an SSH_FXP_OPEN (type 3) of a decision's temporary
// file is never forwarded: it writes FLAGS/held and waits for the client's
// end of the channel (EOF), as a server that stopped answering would.
const char kSftpGate[] = R"PY(import os, sys, subprocess, threading
flags = sys.argv[1]
child = subprocess.Popen(["/usr/lib/openssh/sftp-server"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, bufsize=0)

def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]

def pump():
    while True:
        data = os.read(child.stdout.fileno(), 65536)
        if not data:
            break
        write_all(1, data)

threading.Thread(target=pump, daemon=True).start()

def read_exactly(n):
    buf = b""
    while len(buf) < n:
        data = os.read(0, n - len(buf))
        if not data:
            return None
        buf += data
    return buf

while True:
    head = read_exactly(4)
    body = read_exactly(int.from_bytes(head, "big")) if head else None
    if body is None:
        break
    if body[0] == 3 and os.path.exists(os.path.join(flags, "hold")):
        size = int.from_bytes(body[5:9], "big")
        name = body[9:9 + size]
        if b"/.decision.json.tmp-" in name:
            with open(os.path.join(flags, "held"), "wb") as f:
                f.write(name)
            while os.read(0, 65536):
                pass
            break
    write_all(child.stdin.fileno(), head + body)
child.stdin.close()
child.wait()
)PY";

// One outbox row as another program sees the file: opened read-only.

} // namespace

class TestOutboxKill : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void outboxSurvivesAKillDuringTheSend();

private:
    bool startPrivateSshd();
    QProcessEnvironment ctlEnvironment() const;
    QStringList ctlArgs(const QStringList &args) const
    {
        return QStringList{QStringLiteral("-F"), m_sshConfig} + args;
    }
    QString checkpointDir() const { return m_runDir + QStringLiteral("/checkpoints/gate"); }
    QString flag(const char *name) const
    {
        return m_gate.filePath(QStringLiteral("flags/") + QLatin1String(name));
    }

    SandboxEnv m_env;
    QTemporaryDir m_dir;  // the store, the registry, the ssh_config: the test's
    QTemporaryDir m_gate; // readable by the sandbox user: sftp-gate.py and its flags
    QProcess m_sshd;
    int m_port = 0;
    QString m_sshConfig;
    QString m_storePath;
    QString m_rootName; // relative to the sandbox user's home
    QString m_root;     // absolute
    QString m_runDir;
};

bool TestOutboxKill::startPrivateSshd()
{
    {
        QTcpServer probe; // a free port on loopback
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return false;
        m_port = probe.serverPort();
    }
    const QString sandboxConfig = m_env.dir + QStringLiteral("/sshd/sshd_config");
    const QByteArray original = readAll(sandboxConfig);
    if (original.isEmpty()) {
        qWarning().noquote() << "cannot read" << sandboxConfig;
        return false;
    }
    // The sandbox's server (host key, users, SLURM_CONF), on another port, with
    // its own pid file and the gate in front of sftp-server.
    QByteArray config;
    for (const QByteArray &line : original.split('\n')) {
        if (line.startsWith("Port ") || line.startsWith("PidFile ") ||
            line.startsWith("Subsystem "))
            continue;
        config += line + '\n';
    }
    config += QStringLiteral("Port %1\nPidFile %2\nSubsystem sftp /usr/bin/python3 %3 %4\n")
                  .arg(m_port)
                  .arg(m_dir.filePath(QStringLiteral("sshd.pid")),
                       m_gate.filePath(QStringLiteral("sftp-gate.py")),
                       m_gate.filePath(QStringLiteral("flags")))
                  .toUtf8();
    const QString configPath = m_dir.filePath(QStringLiteral("sshd_config"));
    if (!writeFile(configPath, config))
        return false;
    m_sshd.setStandardErrorFile(m_dir.filePath(QStringLiteral("sshd.log")));
    m_sshd.start(QStringLiteral("/usr/sbin/sshd"),
                 {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"), configPath});
    if (!m_sshd.waitForStarted(10000))
        return false;
    // Listening: a connection is accepted.
    return QTest::qWaitFor(
        [&] {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, quint16(m_port));
            return s.waitForConnected(200);
        },
        20000);
}

QProcessEnvironment TestOutboxKill::ctlEnvironment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("VIGIL_STORE_PATH"), m_storePath);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
    return env;
}

void TestOutboxKill::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_gate.isValid());
    QVERIFY(!qEnvironmentVariable("VIGILCTL").isEmpty());
    m_storePath = m_dir.filePath(QStringLiteral("store.sqlite"));

    // The gate: read and run by the sandbox user (through sshd), its flags
    // written by both.
    QVERIFY(writeFile(m_gate.filePath(QStringLiteral("sftp-gate.py")), kSftpGate));
    QVERIFY(QDir(m_gate.path()).mkdir(QStringLiteral("flags")));
    QVERIFY(QFile::setPermissions(
        m_gate.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther |
                           QFile::ExeOther | QFile::ReadGroup | QFile::ExeGroup));
    QVERIFY(::chmod(QFile::encodeName(m_gate.filePath(QStringLiteral("flags"))).constData(),
                    01777) == 0);
    QVERIFY(::chmod(QFile::encodeName(m_gate.filePath(QStringLiteral("sftp-gate.py"))).constData(),
                    0644) == 0);
    QVERIFY2(startPrivateSshd(), "the private sshd did not start");

    // The client side: the sandbox's key and host key, for the private port.
    QByteArray knownHosts;
    const QByteArray sandboxHost = QStringLiteral("[127.0.0.1]:%1 ").arg(m_env.sshPort).toUtf8();
    for (const QByteArray &line : readAll(m_env.knownHosts).split('\n'))
        if (line.startsWith(sandboxHost))
            knownHosts += QStringLiteral("[127.0.0.1]:%1 ").arg(m_port).toUtf8() +
                          line.mid(sandboxHost.size()) + '\n';
    QVERIFY2(!knownHosts.isEmpty(), qPrintable(m_env.knownHosts));
    const QString knownHostsPath = m_dir.filePath(QStringLiteral("known_hosts"));
    QVERIFY(writeFile(knownHostsPath, knownHosts));
    m_sshConfig = m_dir.filePath(QStringLiteral("ssh_config"));
    QVERIFY(writeFile(m_sshConfig, QStringLiteral("Host vigil-kill\n    HostName 127.0.0.1\n"
                                                  "    Port %1\n    User %2\n"
                                                  "    IdentityFile %3\n    IdentitiesOnly yes\n"
                                                  "    UserKnownHostsFile %4\n"
                                                  "    StrictHostKeyChecking yes\n")
                                       .arg(m_port)
                                       .arg(m_env.user, m_env.key, knownHostsPath)
                                       .toUtf8()));

    m_rootName = QStringLiteral("vigil-outbox-kill-%1")
                     .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    // vigilctl's site, in its own registry.
    SiteRegistry registry(m_dir.filePath(QStringLiteral("config/vigil/sites.toml")));
    SiteSpec site;
    site.name = QStringLiteral("kill");
    site.kind = SiteSpec::Kind::Ssh;
    site.host = QStringLiteral("vigil-kill");
    site.runRoot = m_rootName;
    VIGIL_VERIFY_OK(registry.add(site));
    VIGIL_VERIFY_OK(registry.save());

    // The run directory and its checkpoint, made by vigil-job as the job (the
    // sandbox user) would, over the sandbox's own sshd.
    SiteSpec setupSpec = site;
    setupSpec.name = QStringLiteral("setup");
    setupSpec.host = m_env.hostAlias;
    ProcessSite setup(setupSpec, new SshTransport(sandboxTarget(m_env)));
    setup.transport()->open();
    auto helper = await<QString>(
        [&](QObject *ctx, Callback<QString> cb) { setup.ensureHelper(ctx, std::move(cb)); }, 60000);
    VIGIL_VERIFY_OK(helper);
    m_root = setup.runRoot();
    m_runDir = m_root + QStringLiteral("/run-1");
    VIGIL_VERIFY_OK(mkdirWait(*setup.transport(), m_root, 0700));
    for (const QStringList &args :
         {QStringList{QStringLiteral("init-run"), QStringLiteral("--run-dir"), m_runDir,
                      QStringLiteral("--run-id"), QStringLiteral("run-1")},
          checkpointArgs(m_runDir, QStringLiteral("train"), QStringLiteral("gate"))}) {
        auto made = execWait(*setup.transport(), QStringList{*helper} + args);
        VIGIL_VERIFY_OK(made);
        QVERIFY2(made->exitCode == 0, made->err.constData());
    }
}

void TestOutboxKill::cleanupTestCase()
{
    if (m_sshd.state() != QProcess::NotRunning) {
        m_sshd.terminate();
        if (!m_sshd.waitForFinished(5000)) {
            m_sshd.kill();
            m_sshd.waitForFinished(5000);
        }
    }
    if (!m_root.isEmpty())
        QProcess::execute(QStringLiteral("rm"),
                          {QStringLiteral("-rf"), QStringLiteral("--"), m_root});
}

void TestOutboxKill::outboxSurvivesAKillDuringTheSend()
{
    const QString decisionPath = checkpointDir() + QStringLiteral("/decision.json");

    // 1. decide; the write of decision.json hangs; vigilctl is killed.
    QVERIFY(writeFile(flag("hold"), "1"));
    QProcess decide;
    decide.setProcessEnvironment(ctlEnvironment());
    decide.start(qEnvironmentVariable("VIGILCTL"),
                 ctlArgs({QStringLiteral("decide"), QStringLiteral("run-1"), QStringLiteral("gate"),
                          QStringLiteral("--option"), QStringLiteral("stop"),
                          QStringLiteral("--comment"), QStringLiteral("killed while sending")}));
    QVERIFY(decide.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(flag("held")) || decide.state() == QProcess::NotRunning,
                             90000);
    QVERIFY2(QFile::exists(flag("held")) && decide.state() == QProcess::Running,
             qPrintable(
                 QStringLiteral("the write never hung (vigilctl %1, exit %2)\n%3%4\nsshd: %5")
                     .arg(decide.state() == QProcess::Running ? QStringLiteral("running")
                                                              : QStringLiteral("ended"))
                     .arg(decide.exitCode())
                     .arg(QString::fromUtf8(decide.readAllStandardOutput()),
                          QString::fromUtf8(decide.readAllStandardError()),
                          QString::fromUtf8(readAll(m_dir.filePath(QStringLiteral("sshd.log")))))));
    qInfo().noquote() << "the write hangs at" << readAll(flag("held"));
    QString decisionId;
    {
        // The decision is in the outbox, a write tried (sent), not confirmed.
        ReadOnlyStore store(m_storePath);
        QTRY_COMPARE_WITH_TIMEOUT(store.outbox().value(0).state, QStringLiteral("sent"), 10000);
        QCOMPARE(store.outbox().size(), 1);
        decisionId = store.outbox().first().decisionId;
        QCOMPARE(decisionId.size(), 32);
    }
    const qint64 pid = decide.processId();
    QVERIFY(pid > 0);
    QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
    QVERIFY(decide.waitForFinished(10000));
    QCOMPARE(decide.exitStatus(), QProcess::CrashExit);
    qInfo().noquote() << "vigilctl" << pid
                      << "killed; its stdout:" << decide.readAllStandardOutput()
                      << "stderr:" << decide.readAllStandardError();
    QVERIFY(!QFile::exists(decisionPath));
    {
        ReadOnlyStore store(m_storePath);
        const auto rows = store.outbox();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().decisionId, decisionId);
        QCOMPARE(rows.first().state, QStringLiteral("sent"));
        QCOMPARE(rows.first().attempts, 1);
        QVERIFY(store.auditIds().isEmpty());
    }
    QVERIFY(QFile::remove(flag("hold")));
    QVERIFY(QFile::remove(flag("held")));
    // The gate ends with its channel: no temporary file was ever created.
    QTRY_VERIFY(QDir(checkpointDir())
                    .entryList({QStringLiteral(".decision.json.tmp-*")}, QDir::Hidden | QDir::Files)
                    .isEmpty());

    // 2. A later vigilctl on the same store sends it on connecting.
    QProcess later;
    later.setProcessEnvironment(ctlEnvironment());
    later.start(qEnvironmentVariable("VIGILCTL"),
                ctlArgs({QStringLiteral("checkpoints"), QStringLiteral("--all"),
                         QStringLiteral("--json")}));
    QVERIFY(later.waitForFinished(120000));
    const QByteArray laterOut = later.readAllStandardOutput();
    const QByteArray laterErr = later.readAllStandardError();
    qInfo().noquote() << "second vigilctl: exit" << later.exitCode() << "stderr:" << laterErr;
    QCOMPARE(later.exitStatus(), QProcess::NormalExit);
    QVERIFY2(later.exitCode() == 0, laterErr.constData());
    QVERIFY2(laterErr.contains(
                 QStringLiteral("decision %1 on kill/run-1/gate (option stop) from the outbox: "
                                "written")
                     .arg(decisionId)
                     .toUtf8()),
             laterErr.constData());
    const QByteArray onSite = readAll(decisionPath);
    auto decision = protocol::parseDecision(onSite.toStdString());
    QVERIFY2(decision.ok(), onSite.constData());
    QCOMPARE(QString::fromStdString(decision->decisionId), decisionId);
    QCOMPARE(QString::fromStdString(decision->option), QStringLiteral("stop"));
    QCOMPARE(QString::fromStdString(decision->comment), QStringLiteral("killed while sending"));
    const QDateTime mtime = QFileInfo(decisionPath).lastModified();
    {
        ReadOnlyStore store(m_storePath);
        const auto rows = store.outbox();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().state, QStringLiteral("confirmed"));
        QCOMPARE(rows.first().attempts, 2); // the killed try and this one
        QCOMPARE(store.auditIds(), QStringList{decisionId});
    }
    // What the second run listed: the checkpoint, decided.
    const QJsonArray listed = QJsonDocument::fromJson(laterOut).array();
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.first().toObject().value(QStringLiteral("id")).toString(),
             QStringLiteral("gate"));

    // 3. A third run sends nothing again.
    QProcess third;
    third.setProcessEnvironment(ctlEnvironment());
    third.start(qEnvironmentVariable("VIGILCTL"), ctlArgs({QStringLiteral("checkpoints")}));
    QVERIFY(third.waitForFinished(120000));
    const QByteArray thirdErr = third.readAllStandardError();
    QVERIFY2(third.exitCode() == 0, thirdErr.constData());
    QVERIFY2(!thirdErr.contains("from the outbox"), thirdErr.constData());
    QCOMPARE(readAll(decisionPath), onSite);
    QCOMPARE(QFileInfo(decisionPath).lastModified(), mtime);
    ReadOnlyStore store(m_storePath);
    QCOMPARE(store.outbox().value(0).state, QStringLiteral("confirmed"));
    QCOMPARE(store.outbox().value(0).attempts, 2);
    QCOMPARE(store.auditIds(), QStringList{decisionId});
}

QTEST_GUILESS_MAIN(TestOutboxKill)
#include "tst_outbox_kill.moc"
