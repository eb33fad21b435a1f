// SPDX-License-Identifier: GPL-3.0-or-later
// The window runs the engines of the runs it follows, and a window opened
// again picks them up: on the sandbox cluster, prep -> gate (go enables train
// with a param lr) -> train. The run is followed from the Runs dock; the
// window's engine takes the lease and posts the gate. The window is closed
// (its engine releases the lease); a new window on the same store follows the
// run by itself, the gate is decided, train runs once with lr=0.5 and the run
// ends done, which takes it off the store's followed runs.
#include "../common/gatedworkflow.h"
#include "../common/sandboxenv.h"
#include "../integration/vigilctlrunner.h"
#include "engine/enginehost.h"
#include "engine/launcher.h"
#include "mainwindow.h"
#include "models/runsmodel.h"
#include "models/supervisorfeed.h"
#include "runspanel.h"
#include "store/store.h"
#include "supervisor.h"

#include <QAction>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace vigil;
using engine::EngineHost;
using engine::HostedRun;

namespace {

constexpr auto kRunRoot = "vigil-window-follow-runs";

// One desktop: the store, the Supervisor, its engines and the window.
struct Desktop
{
    Store store;
    Supervisor supervisor;
    EngineHost engines;
    MainWindow window;

    static SupervisorOptions options(const test::SandboxEnv &env, Store *store)
    {
        SupervisorOptions o;
        o.sshConfigFile = env.sshConfig;
        o.hostKeyPolicy = HostKeyPolicy::Strict;
        o.pollSeconds = 1;
        o.store = store;
        return o;
    }
    static engine::EngineHostOptions hostOptions()
    {
        engine::EngineHostOptions o;
        o.lease.heartbeat = std::chrono::milliseconds(1000);
        return o;
    }
    Desktop(const test::SandboxEnv &env, const QString &storePath, const Workflow &wf)
        : store(storePath), supervisor(options(env, &store)),
          engines(&supervisor, &store, hostOptions()), window(&supervisor, &engines)
    {
        for (const SiteSpec &s : wf.sites)
            supervisor.addSite(s);
        window.setWorkflow(wf);
        window.show();
    }

    RunsModel *runs() const { return window.feed()->runs(); }
    QString engineText(const QString &run) const
    {
        const int row = runs()->rowOf(run);
        return row < 0 ? QString() : runs()->index(row, RunsModel::Engine).data().toString();
    }
    int engineState(const QString &run) const
    {
        const int row = runs()->rowOf(run);
        return row < 0 ? -2 : runs()->index(row, 0).data(RunsModel::EngineStateRole).toInt();
    }
    QList<FollowedRun> followed()
    {
        std::optional<Result<QList<FollowedRun>>> got;
        QObject ctx;
        store.followedRuns(&ctx, [&](Result<QList<FollowedRun>> r) { got.emplace(r); });
        if (!QTest::qWaitFor([&] { return got.has_value(); }, 10000) || !got->ok())
            return {FollowedRun{QStringLiteral("(the store did not answer)"), {}, {}}};
        return **got;
    }
};

} // namespace

class TestWindowFollow : public QObject
{
    Q_OBJECT
private:
    test::SandboxEnv m_env;
    QTemporaryDir m_dir;
    std::optional<Workflow> m_workflow;

    QString runDir(const QString &run) const
    {
        return QStringLiteral("/home/%1/%2/%3").arg(m_env.user, QLatin1String(kRunRoot), run);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_env = test::SandboxEnv::load();
        QVERIFY2(m_env.ok(), qPrintable(m_env.error));
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(QStringLiteral("workflow.toml"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(test::gatedWorkflowToml(m_env, QStringLiteral("window-follow"),
                                        QLatin1String(kRunRoot)));
        f.close();
        auto wf = loadWorkflow(path);
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        m_workflow = *wf;
    }

    void aReopenedWindowPicksTheRunUp()
    {
        const QString storePath = m_dir.filePath(QStringLiteral("store.sqlite"));
        QString run;
        QString firstHolder;
        {
            Desktop a(m_env, storePath, *m_workflow);
            Launcher launcher(&a.supervisor, *m_workflow);
            std::optional<Result<LaunchResult>> launched;
            launcher.start(QString(), [&](Result<LaunchResult> r) { launched.emplace(r); });
            QTRY_VERIFY_WITH_TIMEOUT(launched.has_value(), 30000);
            QVERIFY2(launched->ok(), qPrintable(launched->errorString()));
            run = (*launched)->runId;
            QCOMPARE((*launched)->engineTasks, QStringList{QStringLiteral("train")});
            a.supervisor.start();

            // Listed in the Runs dock, not followed: nothing posts the gate.
            QTRY_VERIFY_WITH_TIMEOUT(a.runs()->rowOf(run) >= 0, 30000);
            QCOMPARE(a.engineState(run), -1);
            QCOMPARE(a.engineText(run), QStringLiteral("not followed"));
            RunsPanel *panel = a.window.runsPanel();
            QVERIFY(panel->selectRun(run));
            QVERIFY(panel->followAction()->isEnabled());
            QVERIFY(!panel->unfollowAction()->isEnabled());

            // Follow: the window's engine takes the lease and posts the gate.
            panel->followAction()->trigger();
            QTRY_COMPARE_WITH_TIMEOUT(a.engineState(run), int(HostedRun::State::Acting), 60000);
            QCOMPARE(a.engineText(run), QStringLiteral("running here"));
            QVERIFY(panel->unfollowAction()->isEnabled());
            QVERIFY(!panel->followAction()->isEnabled());
            const QList<FollowedRun> listed = a.followed();
            QCOMPARE(listed.size(), 1);
            QCOMPARE(listed.first().runId, run);
            QCOMPARE(listed.first().site, QStringLiteral("cluster"));
            auto gate = [&] {
                auto c =
                    a.supervisor.checkpoint(QStringLiteral("cluster"), run, QStringLiteral("gate"));
                return c && c->status == CheckpointInfo::Status::Pending;
            };
            QTRY_VERIFY_WITH_TIMEOUT(gate(), 60000);
            const QJsonObject lease =
                QJsonDocument::fromJson(
                    test::readLocal(runDir(run) + QStringLiteral("/engine.lease")))
                    .object();
            firstHolder = lease.value(QStringLiteral("holder")).toString();
            QVERIFY2(firstHolder.endsWith(QLatin1Char(':') + QString::number(getpid())),
                     qPrintable(firstHolder));

            // Closing the window stops the engine first: the lease is released.
            a.window.close();
            QTRY_VERIFY_WITH_TIMEOUT(!a.window.isVisible(), 15000);
            QCOMPARE(a.engines.activeCount(), 0);
            const QJsonObject released =
                QJsonDocument::fromJson(
                    test::readLocal(runDir(run) + QStringLiteral("/engine.lease")))
                    .object();
            QCOMPARE(released.value(QStringLiteral("holder")).toString(), firstHolder);
            QCOMPARE(released.value(QStringLiteral("released")).toBool(), true);
            // Still followed: the next window takes it up.
            QCOMPARE(a.followed().size(), 1);
        }
        // Nothing of the run advanced without an engine: train has no job.
        QVERIFY(!QFile::exists(runDir(run) + QStringLiteral("/tasks/train/submission.json")));

        Desktop b(m_env, storePath, *m_workflow);
        b.supervisor.start();
        b.engines.restore();
        QTRY_COMPARE_WITH_TIMEOUT(b.engineState(run), int(HostedRun::State::Acting), 60000);
        auto gate = b.supervisor.checkpoint(QStringLiteral("cluster"), run, QStringLiteral("gate"));
        QTRY_VERIFY_WITH_TIMEOUT(
            (gate = b.supervisor.checkpoint(QStringLiteral("cluster"), run, QStringLiteral("gate")))
                .has_value(),
            30000);
        QCOMPARE(gate->status, CheckpointInfo::Status::Pending);

        DecisionInput decision;
        decision.site = QStringLiteral("cluster");
        decision.runId = run;
        decision.checkpointId = QStringLiteral("gate");
        decision.option = QStringLiteral("go");
        decision.params.insert(QStringLiteral("lr"), 0.5);
        std::optional<Result<DecisionOutcome>> decided;
        b.supervisor.decide(decision, &b.window,
                            [&](Result<DecisionOutcome> r) { decided.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(decided.has_value(), 30000);
        QVERIFY2(decided->ok(), qPrintable(decided->errorString()));

        // The new window's engine submits train and finishes the run.
        QTRY_COMPARE_WITH_TIMEOUT(b.engineState(run), int(HostedRun::State::Ended), 120000);
        QCOMPARE(b.engineText(run), QStringLiteral("ended · done"));
        QTRY_VERIFY_WITH_TIMEOUT(b.followed().isEmpty(), 10000);
        const QString lr =
            QString::fromUtf8(test::readLocal(runDir(run) + QStringLiteral("/train-lr.txt")));
        QCOMPARE(lr, QStringLiteral("0.5\n"));
        // One SLURM job per task, though two engines followed the run (the
        // accounting may take a moment to list a job that just ended).
        auto jobs = [&](const QString &task) {
            return test::sacctJobs(m_env.slurmConf, task, runDir(run));
        };
        QTRY_VERIFY2_WITH_TIMEOUT(
            jobs(QStringLiteral("train")).size() == 1 &&
                jobs(QStringLiteral("train")).first().endsWith(QLatin1String("=COMPLETED")),
            qPrintable(jobs(QStringLiteral("train")).join(QLatin1Char(' '))), 30000);
        QVERIFY2(jobs(QStringLiteral("prep")).size() == 1,
                 qPrintable(jobs(QStringLiteral("prep")).join(QLatin1Char(' '))));
        b.window.close();
        QTRY_VERIFY_WITH_TIMEOUT(!b.window.isVisible(), 15000);
    }
};

QTEST_MAIN(TestWindowFollow)
#include "tst_window_follow.moc"
