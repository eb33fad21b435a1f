// SPDX-License-Identifier: GPL-3.0-or-later
// One checkpoint end to end on the sandbox cluster, no mocks: vigilctl submits
// the example training job to SLURM over SSH, the job posts a checkpoint with
// vigil-job and keeps training, vigilctl lists it and decides "stop", the job
// sees the decision, stops early and acknowledges it.
#include "../common/sandboxenv.h"
#include "vigilctlrunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace vigil::test;

class TestCheckpointE2E : public QObject
{
    Q_OBJECT
private:
    SandboxEnv m_env;
    QTemporaryDir m_dir;
    QString m_workflow;
    static constexpr int kEpochs = 40;

    QStringList ctl(const QString &command, const QStringList &more = {}) const
    {
        return QStringList{QStringLiteral("-F"), m_env.sshConfig, command, m_workflow} + more;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_env = SandboxEnv::load();
        QVERIFY2(m_env.ok(), qPrintable(m_env.error));
        QVERIFY(m_dir.isValid());
        // The example training script, with a fast schedule for the test.
        const QString src = qEnvironmentVariable("VIGIL_SOURCE_DIR") +
                            QStringLiteral("/examples/train-review/train.py");
        QVERIFY(QFile::copy(src, m_dir.filePath(QStringLiteral("train.py"))));
        m_workflow = m_dir.filePath(QStringLiteral("workflow.toml"));
        QFile wf(m_workflow);
        QVERIFY(wf.open(QIODevice::WriteOnly));
        wf.write(QStringLiteral(
                     "[workflow]\nname = \"e2e-test\"\n"
                     "[sites.cluster]\nkind = \"slurm\"\nhost = \"%1\"\npartition = \"debug\"\n"
                     "run_root = \"vigil-test-runs\"\n"
                     "[tasks.train]\nsite = \"cluster\"\n"
                     "command = [\"python3\", \"train.py\", \"--epochs\", \"%2\", "
                     "\"--epoch-seconds\", \"0.5\"]\n"
                     "inputs = [\"train.py\"]\n[tasks.train.resources]\ntime = \"00:05:00\"\n")
                     .arg(m_env.hostAlias)
                     .arg(kEpochs)
                     .toUtf8());
    }

    void checkpointTravelsEndToEnd()
    {
        // 1. Submit over SSH with sbatch.
        const CtlResult launch = runCtl(ctl(QStringLiteral("launch"), {QStringLiteral("--json")}));
        QVERIFY2(launch.exitCode == 0, qPrintable(launch.describe()));
        const QString run = launch.launchedRun();
        const QString job = launch.launchedJob(QStringLiteral("train"));
        QVERIFY2(!run.isEmpty() && job.toInt() > 0, qPrintable(launch.describe()));

        // 2-3. The job posts its checkpoint and keeps training; vigilctl lists it.
        QJsonObject pending;
        QElapsedTimer timer;
        timer.start();
        while (pending.isEmpty() && timer.elapsed() < 90000) {
            const CtlResult cps =
                runCtl(ctl(QStringLiteral("checkpoints"),
                           {QStringLiteral("--json"), QStringLiteral("--run"), run}));
            QVERIFY2(cps.exitCode == 0, qPrintable(cps.describe()));
            for (const QJsonValue &v : cps.jsonArray())
                if (v.toObject().value(QStringLiteral("id")).toString() == QLatin1String("epoch-3"))
                    pending = v.toObject();
            if (pending.isEmpty())
                QThread::msleep(500);
        }
        QVERIFY2(!pending.isEmpty(), "the job never posted checkpoint epoch-3");
        QCOMPARE(pending.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        QCOMPARE(pending.value(QStringLiteral("options")).toArray(),
                 (QJsonArray{QStringLiteral("continue*"), QStringLiteral("stop"),
                             QStringLiteral("lr")}));

        // The job is live in SLURM while the checkpoint waits: it did not stop for us.
        const CtlResult jobs = runCtl(ctl(QStringLiteral("jobs"), {QStringLiteral("--json")}));
        QVERIFY2(jobs.exitCode == 0, qPrintable(jobs.describe()));
        bool running = false;
        for (const QJsonValue &v : jobs.jsonArray()) {
            const QJsonObject j = v.toObject();
            if (j.value(QStringLiteral("job")).toString() == job) {
                running = j.value(QStringLiteral("state")).toString() == QLatin1String("RUNNING");
                QCOMPARE(j.value(QStringLiteral("run")).toString(), run);
                QCOMPARE(j.value(QStringLiteral("task")).toString(), QStringLiteral("train"));
            }
        }
        QVERIFY2(running, qPrintable(jobs.describe()));

        // 3. Decide "stop" (atomic, no-clobber); a second decider loses and is told who won.
        const CtlResult decide = runCtl(
            ctl(QStringLiteral("decide"),
                {QStringLiteral("--run"), run, QStringLiteral("--checkpoint"),
                 QStringLiteral("epoch-3"), QStringLiteral("--option"), QStringLiteral("stop"),
                 QStringLiteral("--comment"), QStringLiteral("plateau")}));
        QVERIFY2(decide.exitCode == 0, qPrintable(decide.describe()));
        const CtlResult late = runCtl(ctl(
            QStringLiteral("decide"),
            {QStringLiteral("--run"), run, QStringLiteral("--checkpoint"),
             QStringLiteral("epoch-3"), QStringLiteral("--option"), QStringLiteral("continue")}));
        QCOMPARE(late.exitCode, 3);
        QVERIFY2(late.out.contains("already decided by") && late.out.contains("option stop"),
                 qPrintable(late.describe()));

        // 4. The job's next poll sees it, stops early and acknowledges.
        const CtlResult wait =
            runCtl(ctl(QStringLiteral("wait"), {QStringLiteral("--run"), run,
                                                QStringLiteral("--task"), QStringLiteral("train"),
                                                QStringLiteral("--timeout"), QStringLiteral("90")}),
                   120000);
        QVERIFY2(wait.exitCode == 0, qPrintable(wait.describe()));
        QVERIFY2(wait.out.contains("task train completed (exit 0)"), qPrintable(wait.describe()));

        const CtlResult after = runCtl(
            ctl(QStringLiteral("checkpoints"),
                {QStringLiteral("--json"), QStringLiteral("--all"), QStringLiteral("--run"), run}));
        QVERIFY2(after.exitCode == 0, qPrintable(after.describe()));
        QCOMPARE(after.jsonArray().size(), 1);
        const QJsonObject applied = after.jsonArray().first().toObject();
        QCOMPARE(applied.value(QStringLiteral("status")).toString(), QStringLiteral("applied"));
        QCOMPARE(applied.value(QStringLiteral("option")).toString(), QStringLiteral("stop"));
        const QString outcome = applied.value(QStringLiteral("outcome")).toString();
        QVERIFY2(outcome.startsWith(QStringLiteral("stopped early after epoch ")),
                 qPrintable(outcome));
        const int stoppedAt = outcome.section(QLatin1Char(' '), -1).toInt();
        QVERIFY2(stoppedAt > 3 && stoppedAt < kEpochs, qPrintable(outcome));

        // The run directory agrees: metrics end at the epoch the job stopped.
        const QString runDir = QStringLiteral("/home/%1/vigil-test-runs/%2").arg(m_env.user, run);
        QFile metrics(runDir + QStringLiteral("/metrics/train.csv"));
        QVERIFY2(metrics.open(QIODevice::ReadOnly), qPrintable(metrics.fileName()));
        const QList<QByteArray> rows = metrics.readAll().trimmed().split('\n');
        QCOMPARE(rows.size(), stoppedAt + 1); // header + one row per epoch
        QVERIFY(QFile::exists(runDir + QStringLiteral("/tasks/train/train.done")));

        // And SLURM's accounting reports the finished job.
        const CtlResult finished = runCtl(ctl(QStringLiteral("jobs"), {QStringLiteral("--json")}));
        QVERIFY2(finished.exitCode == 0, qPrintable(finished.describe()));
        bool completed = false;
        for (const QJsonValue &v : finished.jsonArray())
            if (v.toObject().value(QStringLiteral("job")).toString() == job)
                completed = v.toObject().value(QStringLiteral("state")).toString() ==
                            QLatin1String("COMPLETED");
        QVERIFY2(completed, qPrintable(finished.describe()));
    }

    void cancelStopsTheJob()
    {
        const CtlResult launch = runCtl(ctl(QStringLiteral("launch"), {QStringLiteral("--json")}));
        QVERIFY2(launch.exitCode == 0, qPrintable(launch.describe()));
        const QString run = launch.launchedRun();
        const QString job = launch.launchedJob(QStringLiteral("train"));
        QVERIFY2(!job.isEmpty(), qPrintable(launch.describe()));

        const CtlResult cancel =
            runCtl(ctl(QStringLiteral("cancel"), {QStringLiteral("--job"), job}));
        QVERIFY2(cancel.exitCode == 0, qPrintable(cancel.describe()));
        QVERIFY(cancel.out.contains(QByteArray("cancelled job " + job.toUtf8())));

        // wait reports the end, and SLURM's accounting says CANCELLED.
        const CtlResult wait =
            runCtl(ctl(QStringLiteral("wait"), {QStringLiteral("--run"), run,
                                                QStringLiteral("--task"), QStringLiteral("train"),
                                                QStringLiteral("--timeout"), QStringLiteral("60")}),
                   90000);
        QCOMPARE(wait.exitCode, 1);
        QVERIFY2(wait.out.contains("CANCELLED") || wait.out.contains("failed"),
                 qPrintable(wait.describe()));
        const CtlResult jobs = runCtl(ctl(QStringLiteral("jobs"), {QStringLiteral("--json")}));
        QString state;
        for (const QJsonValue &v : jobs.jsonArray())
            if (v.toObject().value(QStringLiteral("job")).toString() == job)
                state = v.toObject().value(QStringLiteral("state")).toString();
        QCOMPARE(state, QStringLiteral("CANCELLED"));
    }
};

QTEST_GUILESS_MAIN(TestCheckpointE2E)
#include "tst_checkpoint_e2e.moc"
