// SPDX-License-Identifier: GPL-3.0-or-later
// A workflow with two sites on one login node (two SLURM sites with their own
// run roots, as two partitions or projects of one account would be): each
// fresh vigilctl connects both at once, and both deploy-check the helper at
// the same moment. It used to hang for ever: the helper binary is read once
// per process behind a QFuture, and a second then() on it replaced the first
// site's continuation, so that site never finished its first refresh.
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

QTEST_GUILESS_MAIN(TestCtlTwoSites)
#include "tst_ctl_two_sites.moc"
