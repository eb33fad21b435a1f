// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/metricstable.h"
#include "models/statefmt.h"
#include "models/workflowstatus.h"

#include <QSignalSpy>
#include <QTest>
#include <cmath>

using namespace vigil;

namespace {

const QDateTime kNow = QDateTime(QDate(2025, 3, 1), QTime(12, 0), Qt::UTC);

Workflow workflow()
{
    Workflow wf;
    wf.name = QStringLiteral("retrain");
    for (const auto &[name, after] :
         {std::pair{QStringLiteral("infer"), QStringList()},
          std::pair{QStringLiteral("train"), QStringList{QStringLiteral("infer")}},
          std::pair{QStringLiteral("deploy"), QStringList{QStringLiteral("train")}}}) {
        TaskSpec t;
        t.name = name;
        t.site = QStringLiteral("mn5");
        t.after = after;
        wf.tasks << t;
    }
    return wf;
}

// Every column of a metrics file against its "step" column.
Result<MetricTable> parseByStep(const QString &file, const QByteArray &data)
{
    MetricRef ref;
    ref.file = file;
    ref.x = QStringLiteral("step");
    return parseMetrics(data, ref);
}

RunInfo run(const QString &id, int minutesAgo)
{
    RunInfo r;
    r.site = QStringLiteral("mn5");
    r.runId = id;
    r.workflowName = QStringLiteral("retrain");
    r.createdAt = kNow.addSecs(-60 * minutesAgo);
    return r;
}

} // namespace

class TestWorkflowStatus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followsNewestRun();
    void mergesJobsAndRunDirectory();
    void gateFromItsCheckpoint();
    void relativeTimes_data();
    void relativeTimes();
    void csvMetrics();
    void jsonLinesMetrics();
    void metricErrors();
    void nonFiniteMetrics_data();
    void nonFiniteMetrics();
    void wallTimeMetrics_data();
    void wallTimeMetrics();
};

void TestWorkflowStatus::followsNewestRun()
{
    WorkflowStatus ws;
    ws.setWorkflow(workflow());
    QSignalSpy current(&ws, &WorkflowStatus::currentRunChanged);
    RunInfo other = run(QStringLiteral("x"), 0);
    other.workflowName = QStringLiteral("another");
    ws.setRuns(QStringLiteral("mn5"),
               {run(QStringLiteral("r1"), 60), run(QStringLiteral("r2"), 5), other});
    QCOMPARE(ws.runIds(), (QStringList{QStringLiteral("r2"), QStringLiteral("r1")}));
    QCOMPARE(ws.currentRun(), QStringLiteral("r2"));
    QCOMPARE(current.count(), 1);
    ws.setCurrentRun(QStringLiteral("r1"));
    QCOMPARE(ws.currentRun(), QStringLiteral("r1"));
    ws.setCurrentRun(QString());
    QCOMPARE(ws.currentRun(), QStringLiteral("r2"));
}

void TestWorkflowStatus::mergesJobsAndRunDirectory()
{
    WorkflowStatus ws;
    ws.setWorkflow(workflow());
    QCOMPARE(ws.status(QStringLiteral("train")).stateClass, StateClass::NotStarted);

    RunInfo r = run(QStringLiteral("r1"), 10);
    TaskRunInfo infer;
    infer.name = QStringLiteral("infer");
    infer.state = QStringLiteral("completed");
    infer.exitCode = 0;
    r.tasks << infer;
    CheckpointInfo c;
    c.runId = r.runId;
    c.id = QStringLiteral("validate");
    c.task = QStringLiteral("train");
    r.checkpoints << c;
    QSignalSpy changed(&ws, &WorkflowStatus::taskChanged);
    ws.setRuns(QStringLiteral("mn5"), {r});
    QCOMPARE(ws.status(QStringLiteral("infer")).stateClass, StateClass::Succeeded);
    QCOMPARE(ws.status(QStringLiteral("train")).pendingCheckpoints, 1);
    QCOMPARE(ws.pendingCheckpoints(), 1);

    JobInfo j;
    j.site = QStringLiteral("mn5");
    j.jobId = QStringLiteral("42");
    j.state = QStringLiteral("PENDING");
    j.reason = QStringLiteral("Dependency");
    j.runId = r.runId;
    j.task = QStringLiteral("train");
    changed.clear();
    ws.setJobs(QStringLiteral("mn5"), {j});
    QCOMPARE(changed.count(), 1); // only train changed
    QCOMPARE(changed.at(0).at(0).toString(), QStringLiteral("train"));
    const TaskStatus train = ws.status(QStringLiteral("train"));
    QCOMPARE(train.stateClass, StateClass::Pending);
    QCOMPARE(train.stateText, QStringLiteral("PENDING"));
    QCOMPARE(train.detail, QStringLiteral("Dependency"));
    QCOMPARE(train.jobId, QStringLiteral("42"));
    QCOMPARE(ws.status(QStringLiteral("deploy")).stateClass, StateClass::NotStarted);

    changed.clear();
    ws.setJobs(QStringLiteral("mn5"), {j});
    QCOMPARE(changed.count(), 0);

    // Running: how long, and what is left of its limit; then ended: how long it ran.
    j.state = QStringLiteral("RUNNING");
    j.reason.clear();
    j.elapsedSeconds = 12;
    j.timeLeftSeconds = 588;
    ws.setJobs(QStringLiteral("mn5"), {j});
    QCOMPARE(ws.status(QStringLiteral("train")).elapsedSeconds, 12);
    QCOMPARE(ws.status(QStringLiteral("train")).timeLeftSeconds, 588);
    j.state = QStringLiteral("COMPLETED");
    j.elapsedSeconds = 70;
    j.exitCode = 0;
    ws.setJobs(QStringLiteral("mn5"), {j});
    QCOMPARE(ws.status(QStringLiteral("train")).elapsedSeconds, 70);
    QCOMPARE(ws.status(QStringLiteral("train")).timeLeftSeconds, -1);
    // A task only its run directory knows: from its start and end.
    TaskRunInfo deploy;
    deploy.name = QStringLiteral("deploy");
    deploy.state = QStringLiteral("completed");
    deploy.exitCode = 0;
    deploy.startedAt = kNow.addSecs(-100);
    deploy.endedAt = kNow.addSecs(-40);
    r.tasks << deploy;
    ws.setRuns(QStringLiteral("mn5"), {r});
    QCOMPARE(ws.status(QStringLiteral("deploy")).elapsedSeconds, 60);
}

void TestWorkflowStatus::gateFromItsCheckpoint()
{
    Workflow wf = workflow();
    TaskSpec gate;
    gate.name = QStringLiteral("validate");
    gate.kind = TaskSpec::Kind::Gate;
    gate.after = {QStringLiteral("infer")};
    wf.tasks.insert(1, gate);
    WorkflowStatus ws;
    ws.setWorkflow(wf);
    RunInfo r = run(QStringLiteral("r1"), 10);
    ws.setRuns(QStringLiteral("mn5"), {r});
    // Not posted yet: not started, and no site named.
    QCOMPARE(ws.status(QStringLiteral("validate")).stateClass, StateClass::NotStarted);
    QVERIFY(ws.status(QStringLiteral("validate")).site.isEmpty());

    CheckpointInfo cp;
    cp.site = QStringLiteral("mn5");
    cp.runId = QStringLiteral("r1");
    cp.id = cp.task = QStringLiteral("validate");
    cp.createdAt = kNow.addSecs(-300);
    r.checkpoints = {cp};
    ws.setRuns(QStringLiteral("mn5"), {r});
    TaskStatus s = ws.status(QStringLiteral("validate"));
    QCOMPARE(s.stateClass, StateClass::Pending);
    QCOMPARE(s.pendingCheckpoints, 1);
    QCOMPARE(s.detail, QStringLiteral("waiting for a decision"));

    r.checkpoints[0].status = CheckpointInfo::Status::Decided;
    r.checkpoints[0].decidedOption = QStringLiteral("reject");
    r.checkpoints[0].decidedBy = QStringLiteral("ana");
    r.checkpoints[0].decidedAt = kNow.addSecs(-60);
    ws.setRuns(QStringLiteral("mn5"), {r});
    s = ws.status(QStringLiteral("validate"));
    QCOMPARE(s.stateClass, StateClass::Succeeded);
    QCOMPARE(s.pendingCheckpoints, 0);
    QCOMPARE(s.detail, QStringLiteral("reject by ana"));
    QCOMPARE(s.elapsedSeconds, 240);

    r.checkpoints[0].decisionKind = QStringLiteral("timeout-default");
    ws.setRuns(QStringLiteral("mn5"), {r});
    QCOMPARE(ws.status(QStringLiteral("validate")).detail,
             QStringLiteral("reject (default at the deadline)"));

    r.checkpoints[0].status = CheckpointInfo::Status::Closed;
    ws.setRuns(QStringLiteral("mn5"), {r});
    QCOMPARE(ws.status(QStringLiteral("validate")).stateClass, StateClass::Cancelled);

    // A checkpoint the job posted from inside a task is not the gate's.
    r.checkpoints[0].task = QStringLiteral("train");
    ws.setRuns(QStringLiteral("mn5"), {r});
    QCOMPARE(ws.status(QStringLiteral("validate")).stateClass, StateClass::NotStarted);
}

void TestWorkflowStatus::relativeTimes_data()
{
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<QString>("text");
    QTest::newRow("now") << qint64(2) << QStringLiteral("now");
    QTest::newRow("seconds") << qint64(-30) << QStringLiteral("30 s ago");
    QTest::newRow("in 12 min") << qint64(12 * 60) << QStringLiteral("in 12 min");
    QTest::newRow("hours") << qint64(-(3 * 3600 + 5 * 60)) << QStringLiteral("3 h 5 min ago");
    QTest::newRow("whole hours") << qint64(2 * 3600) << QStringLiteral("in 2 h");
    QTest::newRow("day") << qint64(20 * 3600) << QStringLiteral("in 20 h");
    QTest::newRow("days") << qint64(-3 * 86400) << QStringLiteral("3 d ago");
}

void TestWorkflowStatus::relativeTimes()
{
    QFETCH(qint64, offset);
    QFETCH(QString, text);
    QCOMPARE(formatRelative(kNow.addSecs(offset), kNow), text);
    QCOMPARE(formatRelative(QDateTime(), kNow), QStringLiteral("\u2014"));
}

void TestWorkflowStatus::csvMetrics()
{
    const QByteArray csv = "epoch,loss,accuracy,note\r\n"
                           "1,0.9,0.5,warmup\r\n"
                           "2,0.7,,\r\n"
                           "3,0.5,0.8,\r\n";
    MetricRef ref;
    ref.file = QStringLiteral("metrics/train.csv");
    ref.x = QStringLiteral("epoch");
    auto t = parseMetrics(csv, ref);
    QVERIFY2(t.ok(), qPrintable(t.errorString()));
    QCOMPARE(t->series.size(), 2); // "note" is not numeric
    QCOMPARE(t->series[0].name, QStringLiteral("loss"));
    QCOMPARE(t->series[0].points.size(), 3);
    QCOMPARE(t->series[0].points[2], QPointF(3, 0.5));
    QCOMPARE(t->series[1].points.size(), 2); // the empty cell is skipped

    ref.columns = QStringList{QStringLiteral("accuracy")};
    ref.x.clear();
    t = parseMetrics("step\taccuracy\n0\t0.1\n1\t0.2\n", ref);
    QVERIFY(t.ok());
    QCOMPARE(t->series.size(), 1);
    QCOMPARE(t->series[0].points[1], QPointF(1, 0.2));
}

void TestWorkflowStatus::jsonLinesMetrics()
{
    MetricRef ref;
    ref.file = QStringLiteral("m.jsonl");
    ref.x = QStringLiteral("step");
    ref.columns = QStringList{QStringLiteral("loss")};
    auto t =
        parseMetrics("{\"step\":1,\"loss\":2.5}\n{\"step\":2,\"loss\":1.5}\n{\"step\":3,", ref);
    QVERIFY2(t.ok(), qPrintable(t.errorString()));
    QCOMPARE(t->series[0].points, (QList<QPointF>{QPointF(1, 2.5), QPointF(2, 1.5)}));
}

void TestWorkflowStatus::metricErrors()
{
    MetricRef ref;
    ref.file = QStringLiteral("m.csv");
    ref.columns = QStringList{QStringLiteral("loss")};
    auto t = parseMetrics("epoch,acc\n1,2\n", ref);
    QVERIFY(!t.ok());
    QVERIFY(t.errorString().contains(QLatin1String("m.csv")));
    QVERIFY(t.errorString().contains(QLatin1String("\"loss\"")));
    QVERIFY(!parseMetrics("", ref).ok());
}

void TestWorkflowStatus::nonFiniteMetrics_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("data");
    // "loss" of rows 1..6: 2, NaN, +Inf, -Inf, NaN, +Inf; the empty cell and "n/a" are skipped.
    QTest::newRow("csv") << QStringLiteral("m.csv")
                         << QByteArray("step,loss\n1,2\n2,nan\n3,inf\n4,-inf\n5,NaN\n6,Infinity\n"
                                       "7,\n8,n/a\n");
    QTest::newRow("tsv quoted") << QStringLiteral("m.tsv")
                                << QByteArray(
                                       "step\tloss\n1\t2\n2\t\"nan\"\n3\t+inf\n4\t-Infinity\n"
                                       "5\tNAN\n6\tINF\n7\t\n8\tabc\n");
    // Python's json module writes NaN, Infinity and -Infinity bare.
    QTest::newRow("json lines")
        << QStringLiteral("m.jsonl")
        << QByteArray(
               "{\"step\":1,\"loss\":2}\n{\"step\":2,\"loss\":NaN}\n"
               "{\"step\":3,\"loss\":Infinity}\n{\"step\":4,\"loss\":-Infinity}\n"
               "{\"step\":5,\"loss\":\"nan\"}\n{\"step\":6,\"loss\":\"inf\"}\n"
               "{\"step\":7,\"loss\":null}\n{\"step\":8,\"loss\":\"NaN is not a number\"}\n");
}

void TestWorkflowStatus::nonFiniteMetrics()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, data);
    const auto t = parseByStep(file, data);
    QVERIFY2(t.ok(), qPrintable(t.errorString()));
    QCOMPARE(t->series.size(), 1);
    const QList<QPointF> &p = t->series[0].points;
    QCOMPARE(p.size(), 6);
    QCOMPARE(p[0], QPointF(1, 2));
    QVERIFY(std::isnan(p[1].y()));
    QVERIFY(std::isinf(p[2].y()) && p[2].y() > 0);
    QVERIFY(std::isinf(p[3].y()) && p[3].y() < 0);
    QVERIFY(std::isnan(p[4].y()));
    QVERIFY(std::isinf(p[5].y()) && p[5].y() > 0);
    QCOMPARE(p[5].x(), 6.0);
    QVERIFY(t->series[0].times.isEmpty());
    QVERIFY(t->timeName.isEmpty());
}

void TestWorkflowStatus::wallTimeMetrics_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("timeName");
    QTest::newRow("seconds") << QStringLiteral("m.csv")
                             << QByteArray("step,loss,time\n1,0.5,1700000000\n2,0.4,1700000060.5\n"
                                           "3,0.3,\n")
                             << QStringLiteral("time");
    QTest::newRow("iso 8601") << QStringLiteral("m.csv")
                              << QByteArray("step,wall_time,loss\n1,2023-11-14T22:13:20Z,0.5\n"
                                            "2,2023-11-14T23:14:20.500+01:00,0.4\n3,soon,0.3\n")
                              << QStringLiteral("wall_time");
    QTest::newRow("json lines") << QStringLiteral("m.jsonl")
                                << QByteArray("{\"step\":1,\"loss\":0.5,\"timestamp\":1700000000}\n"
                                              "{\"step\":2,\"loss\":0.4,"
                                              "\"timestamp\":\"2023-11-14T22:14:20.5Z\"}\n"
                                              "{\"step\":3,\"loss\":0.3}\n")
                                << QStringLiteral("timestamp");
}

void TestWorkflowStatus::wallTimeMetrics()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, data);
    QFETCH(QString, timeName);
    const auto t = parseByStep(file, data);
    QVERIFY2(t.ok(), qPrintable(t.errorString()));
    QCOMPARE(t->timeName, timeName);
    QCOMPARE(t->series.size(), 1); // the time column is not a series
    const MetricSeries &s = t->series[0];
    QCOMPARE(s.name, QStringLiteral("loss"));
    QCOMPARE(s.points.size(), 3);
    QCOMPARE(s.times.size(), 3);
    QCOMPARE(s.times[0], 1700000000.0);
    QCOMPARE(s.times[1], 1700000060.5);
    QVERIFY(std::isnan(s.times[2])); // a row without a time keeps its point
    QCOMPARE(s.points[2], QPointF(3, 0.3));
}

QTEST_GUILESS_MAIN(TestWorkflowStatus)
#include "tst_workflowstatus.moc"
