// SPDX-License-Identifier: GPL-3.0-or-later
// A run on the sandbox's login node, exported over its sshd by the real
// vigilctl (`export SITE RUN`), then checked by `vigilctl bundle verify`, by
// tar and sha256sum; the same files packed again by tar (with its directory
// entries) still verify, and with one file more they are refused.

#include "../common/testfiles.h"
#include "../common/vigiljob.h"
#include "bundletest.h"
#include "sites/siteregistry.h"

#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

class TestBundleSandbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void exportOverSsh();

private:
    bool remote(const QStringList &argv)
    {
        auto r = execWait(*m_t, argv);
        if (!r || r->exitCode != 0)
            qWarning().noquote() << argv << (r ? QString::fromUtf8(r->err) : r.errorString());
        return r && r->exitCode == 0;
    }
    ToolRun ctl(const QStringList &args)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
        return tool(qEnvironmentVariable("VIGILCTL"),
                    QStringList{QStringLiteral("-F"), m_env.sshConfig} + args, QString(), env);
    }

    SandboxEnv m_env;
    QTemporaryDir m_dir;
    std::unique_ptr<SshTransport> m_t;
    QString m_root; // absolute, on the sandbox
    QString m_run;
};

void TestBundleSandbox::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY(m_dir.isValid());
    QVERIFY(!qEnvironmentVariable("VIGILCTL").isEmpty());
    m_t = std::make_unique<SshTransport>(sandboxTarget(m_env));
    m_t->open();
    QVERIFY(remote({QStringLiteral("true")}));
    const QString rootName =
        QStringLiteral("vigil-bundle-test-%1")
            .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    m_root = m_t->homeDirectory() + QLatin1Char('/') + rootName;
    m_run = m_root + QStringLiteral("/s1");
    // The run, made by vigil-job as the sandbox user, a log, and a link out.
    const QString helper = qEnvironmentVariable("VIGIL_JOB_BINARY");
    QVERIFY(remote({QStringLiteral("mkdir"), QStringLiteral("-p"), m_root}));
    QVERIFY(remote({helper, QStringLiteral("init-run"), QStringLiteral("--run-dir"), m_run,
                    QStringLiteral("--run-id"), QStringLiteral("s1")}));
    QVERIFY(remote(QStringList{helper} +
                   checkpointArgs(m_run, QStringLiteral("train"), QStringLiteral("epoch-1"))));
    QVERIFY(remote(
        {QStringLiteral("mkdir"), QStringLiteral("-p"), m_run + QStringLiteral("/tasks/train")}));
    VIGIL_VERIFY_OK(writeWait(*m_t, m_run + QStringLiteral("/tasks/train/stdout.log"),
                              QByteArray("epoch 1 loss 0.5\n").repeated(100)));
    QVERIFY(remote({QStringLiteral("ln"), QStringLiteral("-s"), QStringLiteral("/etc/passwd"),
                    m_run + QStringLiteral("/leak")}));

    SiteRegistry registry(m_dir.filePath(QStringLiteral("config/vigil/sites.toml")));
    SiteSpec site;
    site.name = QStringLiteral("cluster");
    site.kind = SiteSpec::Kind::Ssh;
    site.host = m_env.hostAlias;
    site.runRoot = rootName;
    VIGIL_VERIFY_OK(registry.add(site));
    VIGIL_VERIFY_OK(registry.save());
}

void TestBundleSandbox::cleanupTestCase()
{
    if (m_t && !m_root.isEmpty())
        remote({QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), m_root});
}

void TestBundleSandbox::exportOverSsh()
{
    const QString file = m_dir.filePath(QStringLiteral("s1.tar.zst"));
    const ToolRun exported = ctl({QStringLiteral("export"), QStringLiteral("cluster"),
                                  QStringLiteral("s1"), QStringLiteral("-o"), file});
    QVERIFY2(exported.exitCode == 0, exported.out.constData());
    QVERIFY2(exported.out.contains(QByteArray("wrote " + file.toUtf8() + ": run s1 of cluster")),
             exported.out.constData());
    QVERIFY2(exported.out.contains("left out leak (symbolic link)"), exported.out.constData());

    const ToolRun verified = ctl({QStringLiteral("bundle"), QStringLiteral("verify"), file});
    QVERIFY2(verified.exitCode == 0, verified.out.constData());
    QVERIFY(verified.out.contains(": ok, every entry under vigil-bundle-s1"));
    QVERIFY(verified.out.contains("run s1 of site cluster"));

    // tar and sha256sum agree; the request is the one on the cluster.
    QTemporaryDir x;
    QCOMPARE(tool(QStringLiteral("tar"), {QStringLiteral("--zstd"), QStringLiteral("-xf"), file,
                                          QStringLiteral("-C"), x.path()})
                 .exitCode,
             0);
    const QString root = x.filePath(QStringLiteral("vigil-bundle-s1"));
    const ToolRun sums = tool(QStringLiteral("sha256sum"),
                              {QStringLiteral("-c"), QStringLiteral("SHA256SUMS")}, root);
    QVERIFY2(sums.exitCode == 0, sums.out.constData());
    auto request = readWait(*m_t, m_run + QStringLiteral("/checkpoints/epoch-1/request.json"));
    VIGIL_VERIFY_OK(request);
    QCOMPARE(readAll(root + QStringLiteral("/runs/s1/checkpoints/epoch-1/request.json")),
             request->data);
    QVERIFY(!QFile::exists(root + QStringLiteral("/runs/s1/leak")));

    // Packed again by tar, directory entries and all: still a valid bundle.
    const QString again = m_dir.filePath(QStringLiteral("again.tar.gz"));
    QCOMPARE(tool(QStringLiteral("tar"), {QStringLiteral("-czf"), again, QStringLiteral("-C"),
                                          x.path(), QStringLiteral("vigil-bundle-s1")})
                 .exitCode,
             0);
    QCOMPARE(ctl({QStringLiteral("bundle"), QStringLiteral("verify"), again}).exitCode, 0);
    // One file more than the manifest lists: refused, and said which.
    QVERIFY(writeFile(root + QStringLiteral("/runs/s1/extra.txt"), "not in the manifest\n"));
    const QString tampered = m_dir.filePath(QStringLiteral("tampered.tar.gz"));
    QCOMPARE(tool(QStringLiteral("tar"), {QStringLiteral("-czf"), tampered, QStringLiteral("-C"),
                                          x.path(), QStringLiteral("vigil-bundle-s1")})
                 .exitCode,
             0);
    const ToolRun refused = ctl({QStringLiteral("bundle"), QStringLiteral("verify"), tampered});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.out.contains("entry vigil-bundle-s1/runs/s1/extra.txt is not listed in the "
                                  "manifest"),
             refused.out.constData());
}

QTEST_GUILESS_MAIN(TestBundleSandbox)
#include "tst_bundle_sandbox.moc"
