// SPDX-License-Identifier: GPL-3.0-or-later
// examples/cif-ship-detection run end to end on the sandbox cluster: the
// field unit is this machine (a local site), the cluster is the sandbox's
// SLURM. detect runs on the field unit; the gate `validate` asks whether its
// detections are acceptable.
// - reject (epochs = 40): the engine moves detections.json to the cluster and
//   submits retrain there with VIGIL_PARAM_EPOCHS; retrain posts its in-job
//   checkpoint through vigil_job.py and trains on; "stop" is decided, retrain
//   applies it, acknowledges it and saves the model; evaluate reports; the
//   engine moves model.json and report.json to the field unit; deploy
//   installs the model and detects again with it: other detections, a better
//   accuracy. The run finishes done.
// - accept: retrain, evaluate and deploy are skipped with their markers and
//   never submitted (no job on the cluster, no process on the field unit).
#include "examplerun.h"

#include <QJsonArray>

using namespace vigil;
using namespace vigil::engine;
using namespace vigil::exampletest;

namespace {
const QString kField = QStringLiteral("field");
const QString kCluster = QStringLiteral("cluster");
const QString kGate = QStringLiteral("validate");
const QString kCheckpoint = QStringLiteral("retrain-progress");
} // namespace

class TestExampleCif : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rejectRetrainsAndDeploys();
    void acceptSkipsRetraining();
};

void TestExampleCif::rejectRetrainsAndDeploys()
{
    // detect runs on the field unit with the factory model; the gate asks.
    ExampleRun run(QStringLiteral("cif-ship-detection"));
    const QString started = run.launchUntilCheckpoint(kField, kGate, 60000);
    QVERIFY2(started.isEmpty(), qPrintable(started));
    const QJsonObject before = run.readJson(kField, QStringLiteral("summary.json"));
    QCOMPARE(before.value(QStringLiteral("model")).toString(),
             QStringLiteral("factory-harbour-v1"));
    QCOMPARE(before.value(QStringLiteral("images")).toInt(), 200);
    const auto gateCp = run.checkpoint(kField, kGate);
    QCOMPARE(gateCp->title, QStringLiteral("Are the detections acceptable?"));
    QCOMPARE(gateCp->defaultOption(), QStringLiteral("accept"));
    const double gateAt = run.elapsed();

    const QString rejected = run.decideFirst(kField, kGate, QStringLiteral("reject"),
                                             QJsonObject{{QStringLiteral("epochs"), 40}});
    QVERIFY2(rejected.isEmpty(), qPrintable(rejected));

    // retrain runs on SLURM and asks through vigil_job.py while it trains.
    QVERIFY2(run.waitForCheckpoint(kCluster, kCheckpoint, 90000),
             qPrintable(QStringLiteral("retrain's checkpoint did not arrive; engine failures: ") +
                        run.failureText()));
    const double checkpointAt = run.elapsed();
    // The engine sees it too: retrain runs and waits for a human.
    QTRY_COMPARE_WITH_TIMEOUT(run.state(QStringLiteral("retrain")), TaskState::WaitingForHuman,
                              15000);
    const auto cp = run.checkpoint(kCluster, kCheckpoint);
    QVERIFY2(cp->title.contains(QStringLiteral("of 40 epochs")), qPrintable(cp->title));
    const QString stopped = run.decideFirst(kCluster, kCheckpoint, QStringLiteral("stop"));
    QVERIFY2(stopped.isEmpty(), qPrintable(stopped));

    const QString done = run.waitUntilDone(120000);
    QVERIFY2(done.isEmpty(), qPrintable(done));
    const double finishedAt = run.elapsed();

    // The in-job checkpoint was decided and applied by the job itself.
    const QJsonObject ack =
        run.readJson(kCluster, QStringLiteral("checkpoints/retrain-progress/ack.json"));
    const QString outcome = ack.value(QStringLiteral("outcome")).toString();
    QVERIFY2(outcome.startsWith(QStringLiteral("stopped early after epoch ")), qPrintable(outcome));
    const int stoppedAt = outcome.section(QLatin1Char(' '), -1).toInt();
    QVERIFY2(stoppedAt > 3 && stoppedAt < 40, qPrintable(outcome));
    QTRY_VERIFY_WITH_TIMEOUT(run.checkpoint(kCluster, kCheckpoint) &&
                                 run.checkpoint(kCluster, kCheckpoint)->status ==
                                     CheckpointInfo::Status::Applied,
                             15000);

    // The gate's param reached retrain's environment; the model stopped
    // where the decision was read; one metrics row per epoch trained.
    const QString modelName = QStringLiteral("retrained-") + run.runId();
    const QJsonObject model = run.readJson(kCluster, QStringLiteral("model.json"));
    QCOMPARE(model.value(QStringLiteral("name")).toString(), modelName);
    QCOMPARE(model.value(QStringLiteral("epochs_requested")).toInt(), 40);
    QCOMPARE(model.value(QStringLiteral("epochs_trained")).toInt(), stoppedAt);
    auto metrics = run.read(kCluster, QStringLiteral("metrics/retrain.csv"));
    QVERIFY2(metrics, qPrintable(metrics.errorString()));
    QVERIFY2(metrics->startsWith("step,loss,val_loss,val_accuracy\n"), metrics->constData());
    QCOMPARE(int(metrics->count('\n')), 1 + stoppedAt);

    // Data moved by the engine, byte for byte: the detections to the
    // cluster, the model and the report back to the field unit.
    const auto sameOnBoth = [&run](const QString &from, const QString &to, const QString &path) {
        auto a = run.read(from, path);
        auto b = run.read(to, path);
        return a && b && !a->isEmpty() && *a == *b;
    };
    QVERIFY(sameOnBoth(kField, kCluster, QStringLiteral("detections.json")));
    QVERIFY(sameOnBoth(kCluster, kField, QStringLiteral("model.json")));
    QVERIFY(sameOnBoth(kCluster, kField, QStringLiteral("report.json")));
    const RunRecord &record = run.engine()->record();
    QCOMPARE(record.tasks.value(QStringLiteral("retrain")).movedInputs,
             QStringList{QStringLiteral("detections.json")});
    QStringList deployMoved = record.tasks.value(QStringLiteral("deploy")).movedInputs;
    deployMoved.sort();
    QCOMPARE(deployMoved,
             (QStringList{QStringLiteral("model.json"), QStringLiteral("report.json")}));
    QCOMPARE(record.tasks.value(QStringLiteral("retrain")).attempts.size(), 1);
    QCOMPARE(record.tasks.value(QStringLiteral("retrain")).current()->site, kCluster);

    // The evaluation: the retrained model beats the factory one.
    const QJsonObject report = run.readJson(kCluster, QStringLiteral("report.json"));
    const double newAccuracy = report.value(QStringLiteral("retrained"))
                                   .toObject()
                                   .value(QStringLiteral("accuracy"))
                                   .toDouble();
    const double oldAccuracy = report.value(QStringLiteral("baseline"))
                                   .toObject()
                                   .value(QStringLiteral("accuracy"))
                                   .toDouble();
    QVERIFY2(newAccuracy > oldAccuracy, qPrintable(QString::number(newAccuracy)));

    // deploy installed it in the field unit's model directory and detected
    // again with it: other detections, closer to the truth.
    QCOMPARE(run.readJson(kField, QStringLiteral("field-unit/models/current.json"))
                 .value(QStringLiteral("name"))
                 .toString(),
             modelName);
    QCOMPARE(run.readJson(kField, QStringLiteral("field-unit/models/previous.json"))
                 .value(QStringLiteral("name"))
                 .toString(),
             QStringLiteral("factory-harbour-v1"));
    const QJsonObject after = run.readJson(kField, QStringLiteral("summary-deployed.json"));
    QCOMPARE(after.value(QStringLiteral("model")).toString(), modelName);
    QCOMPARE(after.value(QStringLiteral("images")).toInt(), 200);
    QVERIFY(after.value(QStringLiteral("ships_detected")).toInt() !=
            before.value(QStringLiteral("ships_detected")).toInt());
    QVERIFY(after.value(QStringLiteral("ground_truth_accuracy")).toDouble() >
            before.value(QStringLiteral("ground_truth_accuracy")).toDouble());
    const QJsonArray redone = run.readJson(kField, QStringLiteral("detections-deployed.json"))
                                  .value(QStringLiteral("detections"))
                                  .toArray();
    QCOMPARE(redone.size(), 200);

    for (const QString &t :
         {QStringLiteral("detect"), QStringLiteral("validate"), QStringLiteral("retrain"),
          QStringLiteral("evaluate"), QStringLiteral("deploy")})
        QVERIFY2(run.state(t) == TaskState::Done, qPrintable(t));
    QVERIFY2(run.failures().isEmpty(), qPrintable(run.failureText()));
    qInfo().noquote() << QStringLiteral(
                             "reject path: gate after %1 s, retrain's checkpoint after %2 s, "
                             "stopped at epoch %3, finished after %4 s; ships %5 -> %6, "
                             "accuracy %7 -> %8")
                             .arg(gateAt, 0, 'f', 1)
                             .arg(checkpointAt, 0, 'f', 1)
                             .arg(stoppedAt)
                             .arg(finishedAt, 0, 'f', 1)
                             .arg(before.value(QStringLiteral("ships_detected")).toInt())
                             .arg(after.value(QStringLiteral("ships_detected")).toInt())
                             .arg(before.value(QStringLiteral("ground_truth_accuracy")).toDouble())
                             .arg(after.value(QStringLiteral("ground_truth_accuracy")).toDouble());
}

void TestExampleCif::acceptSkipsRetraining()
{
    ExampleRun run(QStringLiteral("cif-ship-detection"));
    const QString started = run.launchUntilCheckpoint(kField, kGate, 60000);
    QVERIFY2(started.isEmpty(), qPrintable(started));
    const QString accepted = run.decideFirst(kField, kGate, QStringLiteral("accept"));
    QVERIFY2(accepted.isEmpty(), qPrintable(accepted));
    const QString done = run.waitUntilDone(60000);
    QVERIFY2(done.isEmpty(), qPrintable(done));

    // Each skipped task has its marker on its own site, with the reason.
    const QList<std::pair<QString, QString>> skipped{{QStringLiteral("retrain"), kCluster},
                                                     {QStringLiteral("evaluate"), kCluster},
                                                     {QStringLiteral("deploy"), kField}};
    for (const auto &[task, site] : skipped) {
        auto marker = run.read(site, QStringLiteral("tasks/%1/%1.skipped").arg(task));
        QVERIFY2(marker, qPrintable(task + QStringLiteral(": ") + marker.errorString()));
        const QByteArray why = task == QLatin1String("retrain")
                                   ? QByteArray("skipped by gate validate option accept")
                                   : QByteArray("an upstream task was skipped");
        QVERIFY2(marker->contains(why), marker->constData());
        QCOMPARE(run.state(task), TaskState::Skipped);
        QVERIFY2(run.engine()->record().tasks.value(task).attempts.isEmpty(), qPrintable(task));
    }
    // Never submitted: the cluster knows no job of them, the field unit
    // started no process, nothing they make exists.
    for (const QString &task : {QStringLiteral("retrain"), QStringLiteral("evaluate")}) {
        auto jobs = run.jobsOf(kCluster, task);
        QVERIFY2(jobs, qPrintable(jobs.errorString()));
        QVERIFY2(jobs->isEmpty(), qPrintable(task));
    }
    auto deployJobs = run.jobsOf(kField, QStringLiteral("deploy"));
    QVERIFY2(deployJobs, qPrintable(deployJobs.errorString()));
    QVERIFY(deployJobs->isEmpty());
    QVERIFY(!run.read(kCluster, QStringLiteral("model.json")));
    QVERIFY(!run.read(kCluster, QStringLiteral("detections.json")));
    QVERIFY(!run.read(kField, QStringLiteral("summary-deployed.json")));
    QVERIFY(!run.read(kField, QStringLiteral("field-unit/models/current.json")));
    QCOMPARE(run.state(QStringLiteral("detect")), TaskState::Done);
    QVERIFY2(run.failures().isEmpty(), qPrintable(run.failureText()));
    qInfo().noquote()
        << QStringLiteral("accept path: finished after %1 s").arg(run.elapsed(), 0, 'f', 1);
}

QTEST_GUILESS_MAIN(TestExampleCif)
#include "tst_example_cif.moc"
