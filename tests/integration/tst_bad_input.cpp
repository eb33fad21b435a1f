// SPDX-License-Identifier: GPL-3.0-or-later
// Bad input on the checkpoint path gets a clear message, not a crash: an
// unreachable host, a wrong key, an unknown host key, a changed host key
// (refused even with --accept-new-host-key), a malformed request file and a
// malformed workflow. Runs the real vigilctl against the sandbox's sshd.
#include "../common/sandboxenv.h"
#include "vigilctlrunner.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <pwd.h>
#include <unistd.h>

using namespace vigil::test;

class TestBadInput : public QObject
{
    Q_OBJECT
private:
    SandboxEnv m_env;
    QTemporaryDir m_dir;
    int m_case = 0;

    QString write(const QString &name, const QByteArray &data)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        f.write(data);
        return path;
    }

    QString keygen(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QProcess p;
        p.start(QStringLiteral("ssh-keygen"),
                {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                 QStringLiteral("-N"), QString(), QStringLiteral("-f"), path});
        p.waitForFinished(20000);
        return path;
    }

    // A workflow whose only site reaches the sandbox through its own ssh_config.
    QString workflowWith(int port, const QString &identity, const QString &knownHosts,
                         const QString &runRoot = QStringLiteral("vigil-test-runs"))
    {
        ++m_case;
        const QString cfg = write(QStringLiteral("ssh_config_%1").arg(m_case),
                                  QStringLiteral("Host sbx\n  HostName %1\n  Port %2\n  User %3\n"
                                                 "  IdentityFile %4\n  IdentitiesOnly yes\n"
                                                 "  UserKnownHostsFile %5\n")
                                      .arg(m_env.sshHost)
                                      .arg(port)
                                      .arg(m_env.user, identity, knownHosts)
                                      .toUtf8());
        m_lastConfig = cfg;
        return write(
            QStringLiteral("wf_%1.toml").arg(m_case),
            QStringLiteral("[workflow]\nname = \"bad-input\"\n[sites.cluster]\nkind = \"slurm\"\n"
                           "host = \"sbx\"\nrun_root = \"%1\"\n[tasks.t]\nsite = \"cluster\"\n"
                           "command = [\"true\"]\n")
                .arg(runRoot)
                .toUtf8());
    }
    QString m_lastConfig;

    CtlResult ctl(const QString &workflow, const QStringList &args)
    {
        return runCtl(QStringList{QStringLiteral("-F"), m_lastConfig} + args.mid(0, 1) +
                      QStringList{workflow} + args.mid(1));
    }

    QByteArray realHostKeyLine() const
    {
        QFile f(m_env.knownHosts);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return f.readAll().split('\n').first();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_env = SandboxEnv::load();
        QVERIFY2(m_env.ok(), qPrintable(m_env.error));
        QVERIFY(m_dir.isValid());
        qunsetenv("SSH_AUTH_SOCK"); // only the keys each case names
    }

    void unreachableHost()
    {
        // A port on loopback where nothing listens.
        const QString wf = workflowWith(1, m_env.key, m_env.knownHosts);
        const CtlResult r = ctl(wf, {QStringLiteral("jobs")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("127.0.0.1") && r.err.contains(":1") &&
                     r.err.toLower().contains("connection refused"),
                 qPrintable(r.describe()));
    }

    void wrongKey()
    {
        const QString other = keygen(QStringLiteral("not_authorized"));
        const QString wf = workflowWith(m_env.sshPort, other, m_env.knownHosts);
        const CtlResult r = ctl(wf, {QStringLiteral("jobs")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.toLower().contains("authentication") || r.err.toLower().contains("auth"),
                 qPrintable(r.describe()));
        QVERIFY2(r.err.contains("publickey"), qPrintable(r.describe()));
    }

    void unknownHostKeyIsNotTrustedSilently()
    {
        const QString kh = write(QStringLiteral("known_hosts_empty"), QByteArray());
        const QString wf = workflowWith(m_env.sshPort, m_env.key, kh);
        const CtlResult r = ctl(wf, {QStringLiteral("jobs")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("SHA256:"), qPrintable(r.describe()));
        QVERIFY2(r.err.toLower().contains("not known") || r.err.toLower().contains("unknown"),
                 qPrintable(r.describe()));
        QFile f(kh);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(f.readAll().trimmed().isEmpty(), "the key was recorded without consent");

        // With explicit consent the key is recorded and the query works.
        const CtlResult ok =
            ctl(wf, {QStringLiteral("jobs"), QStringLiteral("--accept-new-host-key")});
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.describe()));
        QVERIFY(f.seek(0));
        QVERIFY(f.readAll().contains("ssh-ed25519"));
    }

    void changedHostKeyIsRefused()
    {
        // known_hosts lists a different key for the same [host]:port.
        const QString impostor = keygen(QStringLiteral("impostor_host_key"));
        QFile pub(impostor + QStringLiteral(".pub"));
        QVERIFY(pub.open(QIODevice::ReadOnly));
        const QList<QByteArray> parts = pub.readAll().trimmed().split(' ');
        const QByteArray line =
            QStringLiteral("[%1]:%2 ").arg(m_env.sshHost).arg(m_env.sshPort).toUtf8() + parts[0] +
            ' ' + parts[1] + '\n';
        const QString kh = write(QStringLiteral("known_hosts_changed"), line);
        const QString wf = workflowWith(m_env.sshPort, m_env.key, kh);
        const CtlResult r =
            ctl(wf, {QStringLiteral("jobs"), QStringLiteral("--accept-new-host-key")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("CHANGED") || r.err.toLower().contains("changed"),
                 qPrintable(r.describe()));
        QVERIFY2(r.err.contains("SHA256:"), qPrintable(r.describe()));
        QFile f(kh);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), line); // never rewritten
    }

    void malformedRequestIsReportedNotApplied()
    {
        // A run directory on the cluster with one good and one broken request,
        // made as the sandbox user would have made it.
        const QString root =
            QStringLiteral("vigil-bad-input-%1").arg(QCoreApplication::applicationPid());
        const QString home = QStringLiteral("/home/") + m_env.user;
        const QString run = home + QLatin1Char('/') + root + QStringLiteral("/run-1");
        const QString helper = qEnvironmentVariable("VIGIL_JOB_BINARY");
        QVERIFY(QDir().mkpath(run));
        QProcess p;
        p.start(helper, {QStringLiteral("init-run"), QStringLiteral("--run-dir"), run,
                         QStringLiteral("--run-id"), QStringLiteral("run-1")});
        QVERIFY(p.waitForFinished(10000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QVERIFY(QDir().mkpath(run + QStringLiteral("/checkpoints/broken")));
        QFile bad(run + QStringLiteral("/checkpoints/broken/request.json"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"format\": {\"name\": \"vigil.request\", \"version\": \"1.0\"}, \"id\": 42");
        bad.close();
        const struct passwd *pw = ::getpwnam(m_env.user.toLocal8Bit().constData());
        QVERIFY(pw);
        QProcess chown;
        chown.start(QStringLiteral("chown"),
                    {QStringLiteral("-R"), QStringLiteral("%1:%2").arg(pw->pw_uid).arg(pw->pw_gid),
                     home + QLatin1Char('/') + root});
        QVERIFY(chown.waitForFinished(10000));

        const QString wf = workflowWith(m_env.sshPort, m_env.key, m_env.knownHosts, root);
        const CtlResult r = ctl(wf, {QStringLiteral("checkpoints"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonArray list = r.jsonArray();
        QCOMPARE(list.size(), 1);
        const QJsonObject broken = list.first().toObject();
        QCOMPARE(broken.value(QStringLiteral("id")).toString(), QStringLiteral("broken"));
        QCOMPARE(broken.value(QStringLiteral("status")).toString(), QStringLiteral("broken"));
        const QString problem = broken.value(QStringLiteral("problem")).toString();
        QVERIFY2(problem.contains(QStringLiteral("request.json")), qPrintable(problem));

        // Deciding on it is refused with the reason, and nothing is written.
        const CtlResult d =
            ctl(wf, {QStringLiteral("decide"), QStringLiteral("--run"), QStringLiteral("run-1"),
                     QStringLiteral("--checkpoint"), QStringLiteral("broken"),
                     QStringLiteral("--option"), QStringLiteral("stop")});
        QCOMPARE(d.exitCode, 1);
        QVERIFY2(d.err.contains("request.json"), qPrintable(d.describe()));
        QVERIFY(!QFile::exists(run + QStringLiteral("/checkpoints/broken/decision.json")));
        QDir(home + QLatin1Char('/') + root).removeRecursively();
    }

    void malformedWorkflow()
    {
        const QString wf = write(
            QStringLiteral("broken.toml"),
            "[workflow]\nname = \"x\"\n[tasks.a]\nsite = \"nowhere\"\ncommand = [\"true\"]\n");
        const CtlResult r = runCtl({QStringLiteral("validate"), wf});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QByteArray(wf.toUtf8() + ":4:8:")) &&
                     r.err.contains("site \"nowhere\""),
                 qPrintable(r.describe()));
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_bad_input.moc"
