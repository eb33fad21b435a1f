// SPDX-License-Identifier: GPL-3.0-or-later
// examples/sweep-and-pick run end to end on the sandbox cluster: the sweep
// over four learning rates is one SLURM job array, each element writes its
// validation loss; the gate `pick` asks for the rate; the test, as the human,
// reads the four results and sets `lr` to the best one; the engine submits
// `final` with VIGIL_PARAM_LR, and final's result carries that rate.
#include "examplerun.h"

using namespace vigil;
using namespace vigil::engine;
using namespace vigil::exampletest;

namespace {
const QString kCluster = QStringLiteral("cluster");
} // namespace

class TestExampleSweep : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pickReachesFinal();
};

void TestExampleSweep::pickReachesFinal()
{
    ExampleRun run(QStringLiteral("sweep-and-pick"));
    const QString started = run.launchUntilCheckpoint(kCluster, QStringLiteral("pick"), 90000);
    QVERIFY2(started.isEmpty(), qPrintable(started));
    const double gateAt = run.elapsed();
    QCOMPARE(run.state(QStringLiteral("sweep")), TaskState::Done);
    QCOMPARE(run.state(QStringLiteral("final")), TaskState::Pending);
    const AttemptRecord *sweepJob =
        run.engine()->record().tasks.value(QStringLiteral("sweep")).current();
    QVERIFY(sweepJob);

    // Four array elements of one job ran, each with its own sweep set.
    const QList<QMap<QString, QString>> sets = run.workflow().task(QStringLiteral("sweep"))->sweep;
    QCOMPARE(sets.size(), 4);
    double bestLr = 0;
    double bestLoss = 0;
    QStringList seen;
    for (int i = 0; i < sets.size(); ++i) {
        const QJsonObject e =
            run.readJson(kCluster, QStringLiteral("sweep/element-%1.json").arg(i));
        QCOMPARE(e.value(QStringLiteral("element")).toInt(-1), i);
        QCOMPARE(e.value(QStringLiteral("array_job_id")).toString(), sweepJob->jobId);
        const double lr = e.value(QStringLiteral("lr")).toDouble();
        QCOMPARE(lr, sets[i].value(QStringLiteral("lr")).toDouble());
        const double loss = e.value(QStringLiteral("val_loss")).toDouble(-1);
        QVERIFY(loss > 0);
        seen << QStringLiteral("lr %1: %2").arg(lr).arg(loss);
        if (i == 0 || loss < bestLoss) {
            bestLoss = loss;
            bestLr = lr;
        }
    }
    // The rates were chosen so that the best is neither end of the list.
    QVERIFY2(bestLr != sets.first().value(QStringLiteral("lr")).toDouble() &&
                 bestLr != sets.last().value(QStringLiteral("lr")).toDouble(),
             qPrintable(seen.join(QStringLiteral(", "))));

    // The human picks it.
    const QString picked =
        run.decideFirst(kCluster, QStringLiteral("pick"), QStringLiteral("train"),
                        QJsonObject{{QStringLiteral("lr"), bestLr}});
    QVERIFY2(picked.isEmpty(), qPrintable(picked));
    const QString done = run.waitUntilDone(90000);
    QVERIFY2(done.isEmpty(), qPrintable(done));

    // final ran once, as the engine's submission, with the rate in its
    // environment and in its result.
    const QJsonObject result = run.readJson(kCluster, QStringLiteral("final/result.json"));
    QCOMPARE(result.value(QStringLiteral("lr")).toDouble(), bestLr);
    QCOMPARE(result.value(QStringLiteral("lr_from")).toString(), QStringLiteral("VIGIL_PARAM_LR"));
    QVERIFY(!result.value(QStringLiteral("diverged")).toBool(true));
    QVERIFY(result.value(QStringLiteral("val_loss")).toDouble() < bestLoss);
    const TaskRecord finalRecord = run.engine()->record().tasks.value(QStringLiteral("final"));
    QCOMPARE(finalRecord.attempts.size(), 1);
    auto script = run.read(kCluster, QStringLiteral("tasks/final/job-1.sh"));
    QVERIFY2(script, qPrintable(script.errorString()));
    QVERIFY2(script->contains("export VIGIL_PARAM_LR=") &&
                 script->contains(QByteArray::number(bestLr)),
             script->constData());
    QCOMPARE(run.state(QStringLiteral("final")), TaskState::Done);
    QCOMPARE(run.state(QStringLiteral("pick")), TaskState::Done);
    QVERIFY2(run.failures().isEmpty(), qPrintable(run.failureText()));
    qInfo().noquote() << QStringLiteral("sweep: %1; picked lr %2; gate after %3 s, finished "
                                        "after %4 s; final validation loss %5")
                             .arg(seen.join(QStringLiteral(", ")))
                             .arg(bestLr)
                             .arg(gateAt, 0, 'f', 1)
                             .arg(run.elapsed(), 0, 'f', 1)
                             .arg(result.value(QStringLiteral("val_loss")).toDouble());
}

QTEST_GUILESS_MAIN(TestExampleSweep)
#include "tst_example_sweep.moc"
