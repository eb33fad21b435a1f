// SPDX-License-Identifier: GPL-3.0-or-later
// Sites given at the command line: a workflow with two sites on one login node (two SLURM sites
// with their own run roots, as two partitions or projects of one account would be): each fresh
// vigilctl connects both at once, and both deploy-check the helper at the same moment. It used to
// hang for ever: the helper binary is read once per process behind a QFuture, and a second then()
// on it replaced the first site's continuation, so that site never finished its first refresh. And
// launch --site-override NAME=SITE: a workflow's site replaced by a registry site, recorded in the
// run's workflow.toml.
#include "../common/sandboxenv.h"
#include "vigilctlrunner.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil::test;

class TestCtlTwoSites : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void bothSitesAnswer();
    void siteOverrideAtLaunch();

private:
    SandboxEnv m_env;
    QTemporaryDir m_dir;
    QString m_workflow;
};

void TestCtlTwoSites::initTestCase()
{
    m_env = SandboxEnv::load();
    QVERIFY2(m_env.ok(), qPrintable(m_env.error));
    QVERIFY(m_dir.isValid());
    // A private site registry (XDG_CONFIG_HOME), inherited by every vigilctl.
    qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
    QString text = QStringLiteral("[workflow]\nname = \"two-sites\"\n");
    for (const char *name : {"a", "b"})
        text += QStringLiteral("[sites.%1]\nkind = \"slurm\"\nhost = \"%2\"\npartition = \"%3\"\n"
                               "run_root = \"vigil-test-two-sites-%1\"\n")
                    .arg(QLatin1String(name), m_env.hostAlias,
                         m_env.value(QStringLiteral("VIGIL_SANDBOX_PARTITION")));
    text += QStringLiteral("[tasks.x]\nsite = \"a\"\ncommand = [\"true\"]\n"
                           "[tasks.y]\nsite = \"b\"\ncommand = [\"true\"]\n");
    m_workflow = m_dir.filePath(QStringLiteral("workflow.toml"));
    QFile f(m_workflow);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text.toUtf8());
}

void TestCtlTwoSites::bothSitesAnswer()
{
    // Each run is a new process: the helper is read and checked afresh.
    for (int i = 0; i < 3; ++i) {
        QElapsedTimer t;
        t.start();
        const CtlResult r =
            runCtl({QStringLiteral("-F"), m_env.sshConfig, QStringLiteral("--workflow"), m_workflow,
                    QStringLiteral("jobs"), QStringLiteral("--json")},
                   30000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY2(r.out.trimmed().startsWith('['), qPrintable(r.describe()));
        qInfo("vigilctl jobs with two sites: %lld ms", qint64(t.elapsed()));
    }
}

void TestCtlTwoSites::siteOverrideAtLaunch()
{
    const QString partition = m_env.value(QStringLiteral("VIGIL_SANDBOX_PARTITION"));
    const QString runRoot = QStringLiteral("vigil-test-site-override");
    const CtlResult add =
        runCtl({QStringLiteral("-F"), m_env.sshConfig, QStringLiteral("site"),
                QStringLiteral("add"), QStringLiteral("real"), QStringLiteral("--kind"),
                QStringLiteral("slurm"), QStringLiteral("--host"), m_env.hostAlias,
                QStringLiteral("--partition"), partition, QStringLiteral("--run-root"), runRoot});
    QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
    // The workflow's own site cannot be reached: only the override makes it run.
    const QString wf = m_dir.filePath(QStringLiteral("override.toml"));
    {
        QFile f(wf);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# written by hand\n[workflow]\nname = \"override\"\n"
                "[sites.cluster]\nkind = \"slurm\"\nhost = \"nowhere.invalid\"\n"
                "[tasks.x]\nsite = \"cluster\"\ncommand = [\"sh\", \"-c\", \"echo ok > x.txt\"]\n");
    }
    auto launch = [&](const QString &override) {
        return runCtl({QStringLiteral("-F"), m_env.sshConfig, QStringLiteral("launch"), wf,
                       QStringLiteral("--site-override"), override, QStringLiteral("--json")});
    };
    const CtlResult bad = launch(QStringLiteral("cluster"));
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains("expected NAME=SITE"), qPrintable(bad.describe()));
    const CtlResult noName = launch(QStringLiteral("nosuch=real"));
    QCOMPARE(noName.exitCode, 1);
    QVERIFY2(noName.err.contains("has no site \"nosuch\""), qPrintable(noName.describe()));
    const CtlResult noSite = launch(QStringLiteral("cluster=nosuch"));
    QCOMPARE(noSite.exitCode, 1);
    QVERIFY2(noSite.err.contains("no site \"nosuch\" in the site registry"),
             qPrintable(noSite.describe()));

    const CtlResult ok = launch(QStringLiteral("cluster=real"));
    QVERIFY2(ok.exitCode == 0, qPrintable(ok.describe()));
    const QString run = ok.launchedRun();
    QVERIFY2(!run.isEmpty(), qPrintable(ok.describe()));
    QVERIFY2(!ok.launchedJob(QStringLiteral("x")).isEmpty(), qPrintable(ok.describe()));
    // The run's first revision says where it really runs.
    const QByteArray recorded =
        readLocal(QStringLiteral("/home/%1/%2/%3/workflow.toml").arg(m_env.user, runRoot, run));
    QVERIFY2(recorded.contains(QStringLiteral("host = \"%1\"").arg(m_env.hostAlias).toUtf8()),
             recorded.constData());
    QVERIFY2(!recorded.contains("nowhere.invalid"), recorded.constData());
    QVERIFY2(recorded.contains("[sites.cluster]"), recorded.constData());
}

QTEST_GUILESS_MAIN(TestCtlTwoSites)
#include "tst_ctl_two_sites.moc"
