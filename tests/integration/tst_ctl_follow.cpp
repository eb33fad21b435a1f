// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl follow RUN, the headless engine, as processes on the sandbox
// cluster: prep -> gate (go enables train with a param lr, stop skips it) ->
// train. `launch` submits prep only and leaves train to the engine. A first
// follow takes the lease and posts the gate; a second follow on the same run
// only observes and says who holds the lease (SIGTERM: exit 143). The first
// is killed (SIGKILL) while the gate waits; a new follow takes the stale
// lease over, the gate is decided with lr=0.5 by `vigilctl decide`, the run
// ends done (exit 0): train ran once with VIGIL_PARAM_LR=0.5, and every task
// has exactly one SLURM job (no duplicate submission after the kill).
#include "../common/gatedworkflow.h"
#include "../common/sandboxenv.h"
#include "store/store.h"
#include "vigilctlrunner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>
#include <sys/types.h>

using namespace vigil::test;

namespace {

// The runs the local store (VIGIL_STORE_PATH, set by initTestCase) says the desktop follows.
QStringList followedRuns()
{
    vigil::Store store;
    std::optional<vigil::Result<QList<vigil::FollowedRun>>> got;
    QObject ctx;
    store.followedRuns(&ctx, [&](vigil::Result<QList<vigil::FollowedRun>> r) { got.emplace(r); });
    if (!QTest::qWaitFor([&] { return got.has_value(); }, 10000) || !got->ok())
        return {QStringLiteral("(the store did not answer)")};
    QStringList out;
    for (const vigil::FollowedRun &r : **got)
        out << r.runId + QLatin1Char('@') + r.site;
    return out;
}

} // namespace

class TestCtlFollow : public QObject
{
    Q_OBJECT
private:
    SandboxEnv m_env;
    QTemporaryDir m_dir;
    QString m_workflow;
    QString m_run;
    static constexpr auto kRunRoot = "vigil-ctl-follow-runs";

    QStringList ctl(const QString &command, const QStringList &more = {}) const
    {
        return QStringList{QStringLiteral("-F"), m_env.sshConfig, QStringLiteral("--workflow"),
                           m_workflow, command} +
               more;
    }
    QString runDir() const
    {
        return QStringLiteral("/home/%1/%2/%3").arg(m_env.user, QLatin1String(kRunRoot), m_run);
    }
    std::unique_ptr<Follow> startFollow()
    {
        auto f = std::make_unique<Follow>();
        f->process.start(
            qEnvironmentVariable("VIGILCTL"),
            ctl(QStringLiteral("follow"),
                {m_run, QStringLiteral("--json"), QStringLiteral("--poll"), QStringLiteral("1"),
                 QStringLiteral("--lease-heartbeat"), QStringLiteral("1000")}));
        if (!f->process.waitForStarted(10000))
            qWarning("vigilctl follow did not start: %s", qPrintable(f->process.errorString()));
        return f;
    }
    // Every job of the run's task in SLURM's accounting, as "ID=STATE".
    QStringList slurmJobs(const QString &task) const
    {
        return sacctJobs(m_env.slurmConf, task, runDir());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_env = SandboxEnv::load();
        QVERIFY2(m_env.ok(), qPrintable(m_env.error));
        QVERIFY(m_dir.isValid());
        // A store of this run alone, for vigilctl and followedRuns(): the one
        // ctest names outlives the run, and a failed run left runs in it.
        qputenv("VIGIL_STORE_PATH",
                QFile::encodeName(m_dir.filePath(QStringLiteral("store.sqlite"))));
        m_workflow = m_dir.filePath(QStringLiteral("workflow.toml"));
        QFile wf(m_workflow);
        QVERIFY(wf.open(QIODevice::WriteOnly));
        wf.write(gatedWorkflowToml(m_env, QStringLiteral("ctl-follow"), QLatin1String(kRunRoot)));
        wf.close();
    }

    void launchLeavesTheGatedTaskToTheEngine()
    {
        const CtlResult launch = runCtl(ctl(QStringLiteral("launch"), {QStringLiteral("--json")}));
        QVERIFY2(launch.exitCode == 0, qPrintable(launch.describe()));
        m_run = launch.launchedRun();
        QVERIFY2(!m_run.isEmpty(), qPrintable(launch.describe()));
        const QJsonObject doc = launch.jsonObject();
        // prep only: train's job script needs the gate's lr, known once decided.
        QCOMPARE(doc.value(QStringLiteral("jobs")).toObject().keys(),
                 QStringList{QStringLiteral("prep")});
        QCOMPARE(doc.value(QStringLiteral("engine_tasks")).toArray(),
                 QJsonArray{QStringLiteral("train")});
        QVERIFY(!QFile::exists(runDir() + QStringLiteral("/tasks/train/submission.json")));
        // Work waits for an engine: the desktop of this machine will follow the run.
        QCOMPARE(doc.value(QStringLiteral("desktop_follows")).toBool(), true);
        QCOMPARE(followedRuns(), QStringList{m_run + QStringLiteral("@cluster")});
    }

    void oneActsTheKilledOneIsTakenOverAndTheRunEnds()
    {
        QVERIFY(!m_run.isEmpty());
        // A: takes the lease and acts (adopts prep, posts the gate).
        auto a = startFollow();
        QVERIFY2(a->waitFor([&] { return !a->find(QStringLiteral("lease")).isEmpty(); }, 30000),
                 qPrintable(a->describe()));
        const QJsonObject aLease = a->find(QStringLiteral("lease"));
        QCOMPARE(aLease.value(QStringLiteral("lease")).toString(), QStringLiteral("acquired"));
        const QString holderA = aLease.value(QStringLiteral("holder")).toString();
        QVERIFY2(holderA.endsWith(QLatin1Char(':') + QString::number(a->process.processId())),
                 qPrintable(holderA));

        // (a) B on the same run: observes, says who holds the lease, never acts.
        auto b = startFollow();
        QVERIFY2(b->waitFor([&] { return !b->find(QStringLiteral("lease")).isEmpty(); }, 30000),
                 qPrintable(b->describe()));
        const QJsonObject bLease = b->find(QStringLiteral("lease"));
        QCOMPARE(bLease.value(QStringLiteral("lease")).toString(), QStringLiteral("elsewhere"));
        QCOMPARE(bLease.value(QStringLiteral("holder")).toString(), holderA);

        // The gate waits for a person (A posted it; B sees it too).
        const auto gateWaits = [](Follow &f) {
            for (const QJsonObject &e : std::as_const(f.events))
                if (e.value(QStringLiteral("event")).toString() == QLatin1String("task") &&
                    e.value(QStringLiteral("task")).toString() == QLatin1String("gate") &&
                    e.value(QStringLiteral("state")).toString() ==
                        QLatin1String("waiting-for-human"))
                    return true;
            return false;
        };
        QVERIFY2(a->waitFor([&] { return gateWaits(*a); }, 60000), qPrintable(a->describe()));
        // A never submitted prep again: the launcher's job is derived from
        // the run directory (done already) or adopted (still queued).
        for (const QJsonObject &e : std::as_const(a->events))
            if (e.value(QStringLiteral("action"))
                    .toString()
                    .startsWith(QLatin1String("submit prep")))
                QVERIFY2(
                    e.value(QStringLiteral("what")).toString().contains(QStringLiteral("adopted")),
                    qPrintable(a->describe()));
        // A posted the gate.
        QVERIFY2(a->find(QStringLiteral("action"), QStringLiteral("action"),
                         QStringLiteral("post-gate gate"))
                     .value(QStringLiteral("ok"))
                     .toBool(),
                 qPrintable(a->describe()));
        QVERIFY2(b->waitFor([&] { return gateWaits(*b); }, 30000), qPrintable(b->describe()));
        b->pump();
        QCOMPARE(b->count(QStringLiteral("action")), 0);
        QCOMPARE(
            b->count(QStringLiteral("lease"), QStringLiteral("lease"), QStringLiteral("acquired")),
            0);
        QVERIFY(QFile::exists(runDir() + QStringLiteral("/checkpoints/gate/request.json")));
        // B stops on SIGTERM: 143, and A's lease is untouched.
        QVERIFY(::kill(pid_t(b->process.processId()), SIGTERM) == 0);
        QVERIFY2(b->process.waitForFinished(15000), qPrintable(b->describe()));
        QCOMPARE(b->process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(b->process.exitCode(), 143);
        const QJsonObject lease =
            QJsonDocument::fromJson(readLocal(runDir() + QStringLiteral("/engine.lease"))).object();
        QCOMPARE(lease.value(QStringLiteral("holder")).toString(), holderA);
        QCOMPARE(lease.value(QStringLiteral("released")).toBool(), false);

        // (b) A is killed while the gate waits: no release, no goodbye.
        QVERIFY(::kill(pid_t(a->process.processId()), SIGKILL) == 0);
        QVERIFY(a->process.waitForFinished(10000));
        QCOMPARE(a->process.exitStatus(), QProcess::CrashExit);

        // C takes the lease over once it is stale (3 missed heartbeats of 1 s).
        auto c = startFollow();
        QVERIFY2(c->waitFor(
                     [&] {
                         return !c->find(QStringLiteral("lease"), QStringLiteral("lease"),
                                         QStringLiteral("acquired"))
                                     .isEmpty();
                     },
                     30000),
                 qPrintable(c->describe()));
        const QString holderC =
            c->find(QStringLiteral("lease"), QStringLiteral("lease"), QStringLiteral("acquired"))
                .value(QStringLiteral("holder"))
                .toString();
        QVERIFY2(holderC != holderA &&
                     holderC.endsWith(QLatin1Char(':') + QString::number(c->process.processId())),
                 qPrintable(holderC));
        // Stale, not released: C saw A's lease first.
        QCOMPARE(c->find(QStringLiteral("lease")).value(QStringLiteral("lease")).toString(),
                 QStringLiteral("elsewhere"));

        // The decision comes with a revision (as CIF's decision file may):
        // a report task after train, which the launched workflow does not have.
        const QString revised = m_dir.filePath(QStringLiteral("revised.toml"));
        {
            QFile f(revised);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(
                gatedWorkflowToml(m_env, QStringLiteral("ctl-follow"), QLatin1String(kRunRoot)) +
                "[tasks.report]\nsite = \"cluster\"\nafter = [\"train\"]\n"
                "command = [\"sh\", \"-c\", \"echo reported >> report.txt\"]\n");
        }
        const CtlResult decide =
            runCtl(ctl(QStringLiteral("decide"),
                       {m_run, QStringLiteral("gate"), QStringLiteral("--option"),
                        QStringLiteral("go"), QStringLiteral("--param"), QStringLiteral("lr=0.5"),
                        QStringLiteral("--revise"), revised}));
        QVERIFY2(decide.exitCode == 0, qPrintable(decide.describe()));
        QVERIFY2(decide.out.contains("+ task report (after train)") &&
                     decide.out.contains("revision 2 published on site cluster"),
                 qPrintable(decide.describe()));

        QVERIFY2(c->process.waitForFinished(90000) || c->process.state() == QProcess::NotRunning,
                 qPrintable(c->describe()));
        c->pump();
        QVERIFY2(c->process.exitStatus() == QProcess::NormalExit && c->process.exitCode() == 0,
                 qPrintable(c->describe()));
        // C submitted train, with the decided param in its environment.
        QVERIFY2(c->find(QStringLiteral("action"), QStringLiteral("action"),
                         QStringLiteral("submit train#1 env=VIGIL_PARAM_LR=0.5"))
                     .value(QStringLiteral("ok"))
                     .toBool(),
                 qPrintable(c->describe()));
        const QJsonObject ended = c->find(QStringLiteral("ended"));
        QCOMPARE(ended.value(QStringLiteral("outcome")).toString(), QStringLiteral("done"));
        QVERIFY2(!c->find(QStringLiteral("task"), QStringLiteral("task"), QStringLiteral("train"))
                      .isEmpty(),
                 qPrintable(c->describe()));

        // train ran once, with the decided lr; prep ran once.
        QCOMPARE(readLocal(runDir() + QStringLiteral("/train-lr.txt")), QByteArray("0.5\n"));
        const QByteArray prepRuns = readLocal(runDir() + QStringLiteral("/prep-runs.txt"));
        QCOMPARE(prepRuns.count('\n'), 1);
        // The lease was released at the end.
        const QJsonObject last =
            QJsonDocument::fromJson(readLocal(runDir() + QStringLiteral("/engine.lease"))).object();
        QCOMPARE(last.value(QStringLiteral("holder")).toString(), holderC);
        QCOMPARE(last.value(QStringLiteral("released")).toBool(), true);
        // Over: the desktop has nothing left to follow.
        QCOMPARE(followedRuns(), QStringList{});

        // One job per task in SLURM's accounting, and in the engine's record.
        const QString prepJob = QString::fromUtf8(prepRuns).trimmed();
        QTRY_COMPARE_WITH_TIMEOUT(slurmJobs(QStringLiteral("prep")),
                                  QStringList{prepJob + QStringLiteral("=COMPLETED")}, 20000);
        const QJsonObject record =
            QJsonDocument::fromJson(readLocal(runDir() + QStringLiteral("/engine/record.json")))
                .object();
        const QJsonObject tasks = record.value(QStringLiteral("tasks")).toObject();
        const QJsonArray prepAttempts = tasks.value(QStringLiteral("prep"))
                                            .toObject()
                                            .value(QStringLiteral("attempts"))
                                            .toArray();
        const QJsonArray trainAttempts = tasks.value(QStringLiteral("train"))
                                             .toObject()
                                             .value(QStringLiteral("attempts"))
                                             .toArray();
        QVERIFY(prepAttempts.size() <= 1); // none when prep ended before an engine looked
        if (!prepAttempts.isEmpty())
            QCOMPARE(prepAttempts.first().toObject().value(QStringLiteral("job_id")).toString(),
                     prepJob);
        QCOMPARE(trainAttempts.size(), 1);
        const QString trainJob =
            trainAttempts.first().toObject().value(QStringLiteral("job_id")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(slurmJobs(QStringLiteral("train")),
                                  QStringList{trainJob + QStringLiteral("=COMPLETED")}, 20000);
        QCOMPARE(record.value(QStringLiteral("finished")).toString(), QStringLiteral("done"));
        // The revision that came with the decision applied: report ran once.
        QCOMPARE(record.value(QStringLiteral("revision")).toInt(), 2);
        QCOMPARE(readLocal(runDir() + QStringLiteral("/report.txt")), QByteArray("reported\n"));
        QVERIFY2(!c->find(QStringLiteral("revision")).isEmpty(), qPrintable(c->describe()));
    }

    // Following a finished run ends at once with its outcome; a run that is
    // not there, or whose workflow.toml is broken, cannot be followed.
    void endedMissingAndBrokenRuns()
    {
        QVERIFY(!m_run.isEmpty());
        const CtlResult again = runCtl(ctl(QStringLiteral("follow"), {m_run}));
        QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
        QVERIFY2(
            again.out.endsWith(QStringLiteral("run %1 ended: done (the run had finished already)\n")
                                   .arg(m_run)
                                   .toUtf8()),
            qPrintable(again.describe()));

        const CtlResult missing = runCtl(ctl(QStringLiteral("follow"), {QStringLiteral("no-run")}));
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains("run no-run not found on site cluster"),
                 qPrintable(missing.describe()));

        QFile toml(runDir() + QStringLiteral("/workflow.toml"));
        QVERIFY(toml.open(QIODevice::WriteOnly)); // truncated, owner kept
        toml.write("[workflow]\nname = \"broken\"\n[tasks.a]\nsite = \"nowhere\"\n");
        toml.close();
        const CtlResult broken = runCtl(ctl(QStringLiteral("follow"), {m_run}));
        QCOMPARE(broken.exitCode, 1);
        QVERIFY2(broken.err.contains(QStringLiteral("workflow.toml of run %1 on site cluster: 3:1: "
                                                    "[tasks.a] needs \"command\" or \"script\" "
                                                    "(and 1 more problem(s))")
                                         .arg(m_run)
                                         .toUtf8()),
                 qPrintable(broken.describe()));
    }
};

QTEST_GUILESS_MAIN(TestCtlFollow)
#include "tst_ctl_follow.moc"
