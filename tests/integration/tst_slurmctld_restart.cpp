// SPDX-License-Identifier: GPL-3.0-or-later
// slurmctld restarted while a run's jobs are in SLURM (issue 9), on the
// sandbox cluster, with the real vigilctl. A run of two tasks is launched
// ("long" sleeps; "after" waits for it through a SLURM dependency); while
// "long" runs, slurmctld is stopped by its recorded PID:
//   - `vigilctl jobs` fails with a message that names the scheduler;
//   - a launch of another run fails and submits nothing;
// slurmctld is started again from its saved state:
//   - the run's jobs come back with their ids, "long" ends and "after" runs;
//   - SLURM's accounting holds exactly one job for each task of the run,
//     and none for the launch that failed.
// SERIAL: every other SLURM test would fail while the controller is down.

#include "../common/sandboxenv.h"
#include "../common/testfiles.h"
#include "vigilctlrunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace vigil::test;

class TestSlurmctldRestart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void jobsSurviveARestartAndNothingIsSubmittedTwice();

private:
    QStringList ctl(const QString &command, const QStringList &more = {}) const
    {
        return QStringList{QStringLiteral("-F"), m_env.sshConfig, command, m_workflow} + more;
    }
    // The state of a job of the run, from `vigilctl jobs --json` (empty when not listed).
    QString jobState(const QString &job) const
    {
        const CtlResult jobs = runCtl(ctl(QStringLiteral("jobs"), {QStringLiteral("--json")}));
        for (const QJsonValue &v : jobs.jsonArray())
            if (v.toObject().value(QStringLiteral("job")).toString() == job)
                return v.toObject().value(QStringLiteral("state")).toString();
        return {};
    }
    QString runDir(const QString &run) const { return m_runRoot + QLatin1Char('/') + run; }

    SandboxEnv m_env;
    QTemporaryDir m_dir;
    QString m_workflow;
    QString m_runRoot; // absolute, in the sandbox user's home
};

void TestSlurmctldRestart::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY(m_dir.isValid());
    QVERIFY(!qEnvironmentVariable("VIGILCTL").isEmpty());
    QVERIFY(m_env.command(QStringLiteral("slurmctld-start"))); // whatever an earlier run left
    const SandboxEnv::RunRoot root = m_env.freshRunRoot(QStringLiteral("vigil-ctld-test"));
    QVERIFY(!root.absolute.isEmpty());
    m_runRoot = root.absolute;
    m_workflow = m_dir.filePath(QStringLiteral("workflow.toml"));
    QVERIFY(writeFile(m_workflow,
                      QStringLiteral("[workflow]\nname = \"ctld-restart\"\n"
                                     "[sites.cluster]\nkind = \"slurm\"\nhost = \"%1\"\n"
                                     "partition = \"debug\"\nrun_root = \"%2\"\n"
                                     "[tasks.long]\nsite = \"cluster\"\n"
                                     "command = [\"sleep\", \"25\"]\n"
                                     "[tasks.long.resources]\ntime = \"00:05:00\"\n"
                                     "[tasks.after]\nsite = \"cluster\"\nafter = [\"long\"]\n"
                                     "command = [\"true\"]\n"
                                     "[tasks.after.resources]\ntime = \"00:05:00\"\n")
                          .arg(m_env.hostAlias, root.name)
                          .toUtf8()));
}

void TestSlurmctldRestart::cleanupTestCase()
{
    m_env.command(QStringLiteral("slurmctld-start"));
    if (!m_runRoot.isEmpty())
        QProcess::execute(QStringLiteral("rm"),
                          {QStringLiteral("-rf"), QStringLiteral("--"), m_runRoot});
}

void TestSlurmctldRestart::jobsSurviveARestartAndNothingIsSubmittedTwice()
{
    const CtlResult launch = runCtl(ctl(QStringLiteral("launch"), {QStringLiteral("--json")}));
    QVERIFY2(launch.exitCode == 0, qPrintable(launch.describe()));
    const QString run = launch.launchedRun();
    const QString longJob = launch.launchedJob(QStringLiteral("long"));
    const QString afterJob = launch.launchedJob(QStringLiteral("after"));
    QVERIFY2(longJob.toInt() > 0 && afterJob.toInt() > 0, qPrintable(launch.describe()));
    QTRY_COMPARE_WITH_TIMEOUT(jobState(longJob), QStringLiteral("RUNNING"), 60000);

    // The controller goes away; the job goes on running on its node.
    QElapsedTimer down;
    down.start();
    QVERIFY(m_env.command(QStringLiteral("slurmctld-stop")));
    const CtlResult jobs = runCtl(ctl(QStringLiteral("jobs")));
    qInfo().noquote() << "vigilctl jobs while slurmctld is down:" << jobs.describe();
    QVERIFY2(jobs.exitCode != 0, qPrintable(jobs.describe()));
    QVERIFY2(jobs.err.contains("slurm"), qPrintable(jobs.describe()));
    const CtlResult refused = runCtl(ctl(QStringLiteral("launch"), {QStringLiteral("--json")}));
    qInfo().noquote() << "vigilctl launch while slurmctld is down:" << refused.describe();
    QVERIFY2(refused.exitCode != 0, qPrintable(refused.describe()));
    QVERIFY2(refused.err.contains("sbatch") || refused.err.contains("slurm"),
             qPrintable(refused.describe()));
    QThread::sleep(5); // down for a while, as a restart takes

    // Back from its saved state: the same jobs, the chain goes on.
    QVERIFY(m_env.command(QStringLiteral("slurmctld-start")));
    const qint64 downMs = down.elapsed();
    QElapsedTimer back;
    back.start();
    QTRY_VERIFY_WITH_TIMEOUT(!jobState(longJob).isEmpty(), 60000);
    const qint64 listedAgainMs = back.elapsed();
    qInfo().noquote() << "after the restart:" << longJob << jobState(longJob) << afterJob
                      << jobState(afterJob);
    const CtlResult wait =
        runCtl(ctl(QStringLiteral("wait"),
                   {QStringLiteral("--run"), run, QStringLiteral("--task"), QStringLiteral("after"),
                    QStringLiteral("--timeout"), QStringLiteral("120")}),
               150000);
    QVERIFY2(wait.exitCode == 0, qPrintable(wait.describe()));
    QVERIFY2(wait.out.contains("task after completed (exit 0)"), qPrintable(wait.describe()));

    // Exactly one job per task of the run; none for the launch that failed.
    const QStringList longJobs = sacctJobs(m_env.slurmConf, QStringLiteral("long"), runDir(run));
    const QStringList afterJobs = sacctJobs(m_env.slurmConf, QStringLiteral("after"), runDir(run));
    QCOMPARE(longJobs, QStringList{longJob + QStringLiteral("=COMPLETED")});
    QCOMPARE(afterJobs, QStringList{afterJob + QStringLiteral("=COMPLETED")});
    int others = 0;
    for (const QString &entry : QDir(m_runRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        if (entry != run)
            others +=
                int(sacctJobs(m_env.slurmConf, QStringLiteral("long"), runDir(entry)).size() +
                    sacctJobs(m_env.slurmConf, QStringLiteral("after"), runDir(entry)).size());
    QCOMPARE(others, 0);
    qInfo().noquote() << QStringLiteral("RELIABILITY fault=slurmctld-restart down_ms=%1 "
                                        "jobs_listed_again_ms=%2 jobs_per_task=1 "
                                        "submitted_while_down=0")
                             .arg(downMs)
                             .arg(listedAgainMs);
}

QTEST_GUILESS_MAIN(TestSlurmctldRestart)
#include "tst_slurmctld_restart.moc"
