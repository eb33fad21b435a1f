// SPDX-License-Identifier: GPL-3.0-or-later
// The launching process killed mid-launch, 20 times at random points (issue
// 9), on the sandbox cluster with the real vigilctl. A workflow of three
// chained SLURM tasks is launched; `vigilctl launch` gets SIGKILL at a random
// point (after a random number of its progress lines, then 0-60 ms more),
// then the launch is resumed (`vigilctl launch --resume --run RUN`).
// Afterwards:
//   - every resume succeeds and names a job for each task;
//   - SLURM's accounting holds exactly one job per task of each run (no
//     duplicate), the one the run directory records, and all of them end
//     COMPLETED: every run completes.
// Where the kills landed is counted from what each left behind (no run
// directory, a run directory without submissions, some tasks submitted),
// and how many jobs the resumes adopted (submitted by the killed launch but
// not recorded, or recorded). The seed is printed; VIGIL_TEST_SEED repeats it.

#include "../common/sandboxenv.h"
#include "../common/testfiles.h"
#include "vigilctlrunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace vigil::test;

namespace {

constexpr int kKills = 20;
const QStringList kTasks{QStringLiteral("prepare"), QStringLiteral("train"),
                         QStringLiteral("evaluate")};

} // namespace

class TestLaunchKill : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void killedLaunchesResumeWithoutDuplicates();

private:
    QStringList launchArgs(const QString &run, bool resume) const
    {
        QStringList args{QStringLiteral("-F"),     m_env.sshConfig,
                         QStringLiteral("launch"), m_workflow,
                         QStringLiteral("--run"),  run,
                         QStringLiteral("--json")};
        if (resume)
            args << QStringLiteral("--resume");
        return args;
    }
    QString runDir(const QString &run) const { return m_runRoot + QLatin1Char('/') + run; }
    int submissions(const QString &run) const
    {
        int n = 0;
        for (const QString &task : kTasks)
            n += QFile::exists(runDir(run) + QStringLiteral("/tasks/") + task +
                               QStringLiteral("/submission.json"));
        return n;
    }

    SandboxEnv m_env;
    QTemporaryDir m_dir;
    QString m_workflow;
    QString m_runRoot; // absolute, in the sandbox user's home
};

void TestLaunchKill::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY(m_dir.isValid());
    QVERIFY(!qEnvironmentVariable("VIGILCTL").isEmpty());
    const SandboxEnv::RunRoot root = m_env.freshRunRoot(QStringLiteral("vigil-launch-kill"));
    QVERIFY(!root.absolute.isEmpty());
    m_runRoot = root.absolute;
    m_workflow = m_dir.filePath(QStringLiteral("workflow.toml"));
    QString toml = QStringLiteral("[workflow]\nname = \"launch-kill\"\n"
                                  "[sites.cluster]\nkind = \"slurm\"\nhost = \"%1\"\n"
                                  "partition = \"debug\"\nrun_root = \"%2\"\n")
                       .arg(m_env.hostAlias, root.name);
    for (qsizetype i = 0; i < kTasks.size(); ++i)
        toml += QStringLiteral("[tasks.%1]\nsite = \"cluster\"\ncommand = [\"true\"]\n%2"
                               "[tasks.%1.resources]\ntime = \"00:05:00\"\n")
                    .arg(kTasks.at(i),
                         i == 0 ? QString()
                                : QStringLiteral("after = [\"%1\"]\n").arg(kTasks.at(i - 1)));
    QVERIFY(writeFile(m_workflow, toml.toUtf8()));
}

void TestLaunchKill::cleanupTestCase()
{
    if (!m_runRoot.isEmpty())
        QProcess::execute(QStringLiteral("rm"),
                          {QStringLiteral("-rf"), QStringLiteral("--"), m_runRoot});
}

void TestLaunchKill::killedLaunchesResumeWithoutDuplicates()
{
    const quint32 seed = qEnvironmentVariableIsSet("VIGIL_TEST_SEED")
                             ? quint32(qEnvironmentVariableIntValue("VIGIL_TEST_SEED"))
                             : QRandomGenerator::global()->generate();
    qInfo() << "seed" << seed << "(VIGIL_TEST_SEED repeats it)";
    QRandomGenerator rng(seed);

    // An uninterrupted launch: how long one takes, and the reference.
    QStringList runs{QStringLiteral("whole")};
    QElapsedTimer whole;
    whole.start();
    const CtlResult first = runCtl(launchArgs(runs.first(), false));
    const qint64 launchMs = whole.elapsed();
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    const int progressLines = int(first.err.count('\n'));
    qInfo() << "an uninterrupted launch took" << launchMs << "ms and printed" << progressLines
            << "progress lines";
    QVERIFY2(progressLines >= 2 + int(kTasks.size()), first.err.constData());

    // Resuming a run that is not interrupted adopts its jobs; resuming with
    // another workflow is refused.
    const CtlResult again = runCtl(launchArgs(runs.first(), true));
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    for (const QString &task : kTasks)
        QCOMPARE(again.launchedJob(task), first.launchedJob(task));
    const CtlResult plain = runCtl(launchArgs(runs.first(), false));
    QVERIFY2(plain.exitCode != 0 && plain.err.contains("--resume"), qPrintable(plain.describe()));

    QMap<QString, QMap<QString, QString>> jobsOf; // run -> task -> job id, as resumed
    for (const QString &task : kTasks)
        jobsOf[runs.first()][task] = first.launchedJob(task);
    int finishedBeforeKill = 0, noRunDir = 0, noSubmission = 0, someSubmitted = 0, adopted = 0;
    int kills = 0;
    for (int round = 0; kills < kKills; ++round) {
        QVERIFY2(round < 3 * kKills, "the launches keep ending before the kill");
        const QString run = QStringLiteral("kill-%1").arg(round, 2, 10, QLatin1Char('0'));
        runs << run;
        // The point: after the k-th progress line (k = 0: at once), then
        // 0-60 ms more, so that kills spread over every step of the launch
        // rather than over the process's start-up.
        QProcess launch;
        launch.start(qEnvironmentVariable("VIGILCTL"), launchArgs(run, false));
        QVERIFY(launch.waitForStarted(10000));
        const int afterLines = int(rng.bounded(quint32(progressLines)));
        const int delayMs = int(rng.bounded(61u));
        QByteArray err;
        QVERIFY(QTest::qWaitFor(
            [&] {
                launch.waitForReadyRead(5);
                err += launch.readAllStandardError();
                return err.count('\n') >= afterLines || launch.state() == QProcess::NotRunning;
            },
            30000));
        const bool finished = launch.waitForFinished(delayMs);
        if (!finished) {
            launch.kill(); // SIGKILL
            QVERIFY(launch.waitForFinished(10000));
        }
        const int recorded = submissions(run);
        kills += !finished;
        if (finished)
            ++finishedBeforeKill;
        else if (!QFile::exists(runDir(run) + QStringLiteral("/run.json")))
            ++noRunDir;
        else if (recorded == 0)
            ++noSubmission;
        else
            ++someSubmitted;

        const CtlResult resumed = runCtl(launchArgs(run, true));
        QVERIFY2(resumed.exitCode == 0,
                 qPrintable(QStringLiteral("round %1 (killed at line*1000+ms %2): %3")
                                .arg(round)
                                .arg(afterLines * 1000 + delayMs)
                                .arg(resumed.describe())));
        adopted += int(resumed.err.count("adopted, not submitted again"));
        for (const QString &task : kTasks) {
            const QString job = resumed.launchedJob(task);
            QVERIFY2(job.toInt() > 0, qPrintable(resumed.describe()));
            jobsOf[run][task] = job;
        }
        QCOMPARE(submissions(run), int(kTasks.size()));
    }

    // Every run completes, each task with exactly the one job recorded.
    for (const QString &run : std::as_const(runs)) {
        for (const QString &task : kTasks) {
            const QStringList expected{jobsOf[run][task] + QStringLiteral("=COMPLETED")};
            QTRY_COMPARE_WITH_TIMEOUT(sacctJobs(m_env.slurmConf, task, runDir(run)), expected,
                                      180000);
            const QByteArray submission = readLocal(runDir(run) + QStringLiteral("/tasks/") + task +
                                                    QStringLiteral("/submission.json"));
            QVERIFY2(submission.contains(jobsOf[run][task].toUtf8()), submission.constData());
        }
    }
    qInfo().noquote() << QStringLiteral(
                             "RELIABILITY fault=launch-kill kills=%1 finished_before_kill=%2 "
                             "before_run_dir=%3 before_first_submission=%4 mid_submissions=%5 "
                             "jobs_adopted=%6 runs_completed=%7/%7 jobs_per_task=1 "
                             "launch_ms=%8")
                             .arg(kills)
                             .arg(finishedBeforeKill)
                             .arg(noRunDir)
                             .arg(noSubmission)
                             .arg(someSubmitted)
                             .arg(adopted)
                             .arg(runs.size())
                             .arg(launchMs);
}

QTEST_GUILESS_MAIN(TestLaunchKill)
#include "tst_launch_kill.moc"
