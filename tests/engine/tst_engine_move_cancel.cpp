// SPDX-License-Identifier: GPL-3.0-or-later
// A data input's move cancelled through the engine (this machine, two local
// sites with their own run roots, real vigil-job, real processes): produce on
// "field" writes 200 MB; consume on "lab" needs it. The move starts
// (inputMoveStarted), is cancelled at its first progress (cancelInputMove),
// fails with "cancelled", ends (inputMoveEnded), leaves no file at the target,
// and is not started again by later cycles: consume gets no job. Then the
// same through the window's EngineHost: its row in the operations model.
#include "../common/vigiljob.h"
#include "engine/engine.h"
#include "engine/enginehost.h"
#include "engine/launcher.h"
#include "enginetestutil.h"
#include "models/operationsmodel.h"
#include "sites/site.h"
#include "supervisor.h"
#include "workflow/writer.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace vigil;
using namespace vigil::engine;

namespace {

// produce on "field" writes 200 MB (detections.bin); consume on "lab" needs
// it: two local sites with their own run roots.
Workflow movingWorkflow(const QString &fieldRoot, const QString &labRoot)
{
    Workflow wf;
    wf.name = QStringLiteral("moved");
    SiteSpec f = enginetest::site(QStringLiteral("field"), SiteSpec::Kind::Local);
    f.runRoot = fieldRoot;
    SiteSpec l = enginetest::site(QStringLiteral("lab"), SiteSpec::Kind::Local);
    l.runRoot = labRoot;
    wf.sites << f << l;
    TaskSpec produce = enginetest::job(QStringLiteral("produce"), f.name);
    produce.command = {QStringLiteral("truncate"), QStringLiteral("-s"), QStringLiteral("200M"),
                       QStringLiteral("detections.bin")};
    produce.outputs << QStringLiteral("detections.bin"); // checked when a run is followed
    TaskSpec consume =
        enginetest::job(QStringLiteral("consume"), l.name, {QStringLiteral("produce")});
    consume.inputs << DataInput{QStringLiteral("detections.bin"), QStringLiteral("produce")};
    wf.tasks << produce << consume;
    return wf;
}

} // namespace

class TestEngineMoveCancel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cancelledMoveIsNotStartedAgain();
    void rowOfTheWindowsEngine();
};

void TestEngineMoveCancel::cancelledMoveIsNotStartedAgain()
{
    QTemporaryDir field;
    QTemporaryDir lab;
    QVERIFY(field.isValid() && lab.isValid());
    const QString runId = QStringLiteral("moved-1");
    Workflow wf = movingWorkflow(field.path(), lab.path());
    const SiteSpec f = wf.sites.at(0);
    const SiteSpec l = wf.sites.at(1);

    SupervisorOptions options;
    options.pollSeconds = 1;
    Supervisor supervisor(options);
    supervisor.addSite(f);
    supervisor.addSite(l);
    for (const QTemporaryDir *root : {&field, &lab})
        vigil::test::runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"),
                                  root->filePath(runId), QStringLiteral("--run-id"), runId,
                                  QStringLiteral("--workflow-name"), wf.name});
    supervisor.start();

    EngineOptions eo;
    eo.workflow = wf;
    eo.homeSite = f.name;
    eo.lease.heartbeat = std::chrono::milliseconds(1000);
    Engine engine(&supervisor, runId, eo);
    QSignalSpy started(&engine, &Engine::inputMoveStarted);
    QSignalSpy ended(&engine, &Engine::inputMoveEnded);
    QSignalSpy cycles(&engine, &Engine::cycleFinished);
    QStringList failures;
    bool cancelAnswer = false;
    int progressSignals = 0;
    connect(&engine, &Engine::actionFailed, this,
            [&](const QString &, const QString &error) { failures << error; });
    connect(&engine, &Engine::inputProgress, this, [&](const QString &task, const QString &path) {
        if (++progressSignals == 1)
            cancelAnswer = engine.cancelInputMove(task, path);
    });
    engine.start();

    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 60000);
    QCOMPARE(started.size(), 1);
    QCOMPARE(started.at(0).at(0).toString(), QStringLiteral("consume"));
    QCOMPARE(started.at(0).at(1).toString(), QStringLiteral("detections.bin"));
    QCOMPARE(started.at(0).at(2).toString(), QStringLiteral("field"));
    QCOMPARE(started.at(0).at(3).toString(), QStringLiteral("lab"));
    QVERIFY(cancelAnswer);
    QVERIFY(!engine.cancelInputMove(QStringLiteral("consume"), QStringLiteral("detections.bin")));
    QTRY_VERIFY_WITH_TIMEOUT(!failures.isEmpty(), 10000);
    QVERIFY2(failures.last().contains(QStringLiteral("cancelled")), qPrintable(failures.last()));
    QVERIFY(!QFile::exists(lab.filePath(runId + QStringLiteral("/detections.bin"))));

    // Three more cycles (a refresh a second): no new move, no job for consume.
    const int seen = int(cycles.size());
    QTRY_VERIFY_WITH_TIMEOUT(cycles.size() >= seen + 3, 30000);
    QCOMPARE(started.size(), 1);
    QVERIFY(engine.record().tasks.value(QStringLiteral("consume")).attempts.isEmpty());
    QVERIFY(!engine.record()
                 .tasks.value(QStringLiteral("consume"))
                 .movedInputs.contains(QStringLiteral("detections.bin")));
    engine.stop();
    QSignalSpy stopped(&engine, &Engine::stopped);
    QVERIFY(stopped.wait(10000));
}

// The same move through the window's engine host: a row in the Supervisor's
// operations model ("Moving detections.bin field -> lab") from the move's
// start, with its progress; its Cancel (what the status bar's button calls)
// ends the move and the row.
void TestEngineMoveCancel::rowOfTheWindowsEngine()
{
    QTemporaryDir field;
    QTemporaryDir lab;
    QVERIFY(field.isValid() && lab.isValid());
    Workflow wf = movingWorkflow(field.path(), lab.path());
    const SiteSpec f = wf.sites.at(0);
    const SiteSpec l = wf.sites.at(1);

    SupervisorOptions options;
    options.pollSeconds = 1;
    Supervisor supervisor(options);
    supervisor.addSite(f);
    supervisor.addSite(l);
    supervisor.start();
    // The launcher uploads the workflow file (and any inputs next to it).
    QTemporaryDir source;
    wf.sourcePath = source.filePath(QStringLiteral("workflow.toml"));
    {
        QFile file(wf.sourcePath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write(workflowToToml(wf)) > 0);
    }
    Launcher launcher(&supervisor, wf);
    std::optional<Result<LaunchResult>> launched;
    launcher.start(QString(), [&](Result<LaunchResult> r) { launched.emplace(r); });
    QTRY_VERIFY_WITH_TIMEOUT(launched.has_value(), 30000);
    QVERIFY2(launched->ok(), qPrintable(launched->errorString()));
    const QString runId = (*launched)->runId;

    EngineHost host(&supervisor, nullptr);
    OperationsModel *ops = supervisor.operations();
    QCOMPARE(host.operations(), ops);
    qint64 seenDone = -1;
    connect(ops, &QAbstractItemModel::dataChanged, this, [&] {
        if (ops->rowCount() == 1)
            seenDone = ops->at(0).bytesDone;
    });
    host.follow(runId, f.name);
    QTRY_COMPARE_WITH_TIMEOUT(ops->rowCount(), 1, 40000);
    const Operation row = ops->at(0);
    QCOMPARE(row.title, QStringLiteral("Moving detections.bin field -> lab"));
    QCOMPARE(row.run, runId);
    QCOMPARE(row.site, QStringLiteral("lab"));
    QVERIFY(row.cancel);
    QTRY_VERIFY_WITH_TIMEOUT(seenDone > 0, 30000); // progress reaches the row
    QVERIFY(ops->cancel(row.id));
    QTRY_COMPARE_WITH_TIMEOUT(ops->rowCount(), 0, 15000);
    QVERIFY(!QFile::exists(lab.filePath(runId + QStringLiteral("/detections.bin"))));
    bool stopped = false;
    host.shutdown(std::chrono::seconds(10), this, [&] { stopped = true; });
    QTRY_VERIFY_WITH_TIMEOUT(stopped, 15000);
}

QTEST_GUILESS_MAIN(TestEngineMoveCancel)
#include "tst_engine_move_cancel.moc"
