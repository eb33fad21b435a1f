// SPDX-License-Identifier: GPL-3.0-or-later
// Task states derived from markers, scheduler rows and the engine's record:
// every state, and the cases where the sources disagree or are missing.
#include "enginetestutil.h"
#include "runs/runinfo.h"

#include <QTest>

using namespace vigil;
using namespace vigil::engine;
using namespace vigil::enginetest;

class TestTaskState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void derive_data();
    void derive();
    void gateStates_data();
    void gateStates();
    void keepsTimestampAndTail();
    void endedAttemptStaysEnded();
    void fromScan();
    void names();
};

void TestTaskState::derive_data()
{
    QTest::addColumn<bool>("array");
    QTest::addColumn<QString>("record");  // attempts()
    QTest::addColumn<bool>("queried");    // the site was queried this cycle
    QTest::addColumn<QString>("jobRows"); // jobs()
    QTest::addColumn<QString>("markerSpec");
    QTest::addColumn<bool>("checkpointWaiting");
    QTest::addColumn<QString>("skip");
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("reason"); // a part of it; "" = not checked
    QTest::addColumn<bool>("jobActive");

    // clang-format off
    QTest::newRow("never submitted")
        << false << "" << true << "" << "" << false << "" << "pending" << 0 << -1 << "" << false;
    QTest::newRow("queued behind priority")
        << false << "1:100" << true << "100=PENDING/Priority" << "" << false << ""
        << "pending" << 1 << -1 << "Priority" << true;
    QTest::newRow("held by the user")
        << false << "1:100" << true << "100=PENDING/JobHeldUser" << "" << false << ""
        << "held" << 1 << -1 << "JobHeldUser" << true;
    QTest::newRow("running")
        << false << "1:100" << true << "100=RUNNING" << "100|running||150" << false << ""
        << "running" << 1 << -1 << "" << true;
    QTest::newRow("running, a checkpoint waits for a decision")
        << false << "1:100" << true << "100=RUNNING" << "100|running||150" << true << ""
        << "waiting-for-human" << 1 << -1 << "" << true;
    QTest::newRow("completed per sacct")
        << false << "1:100" << true << "100=COMPLETED//0" << "100|completed|0|150" << false << ""
        << "done" << 1 << 0 << "" << false;
    QTest::newRow("failed per sacct keeps exit code and state")
        << false << "1:100" << true << "100=FAILED//3" << "100|failed|3|150" << false << ""
        << "failed" << 1 << 3 << "FAILED" << false;
    QTest::newRow("timeout")
        << false << "1:100" << true << "100=TIMEOUT//0" << "" << false << ""
        << "failed" << 1 << 0 << "TIMEOUT" << false;
    QTest::newRow("cancelled by a user")
        << false << "1:100" << true << "100=CANCELLED//0" << "" << false << ""
        << "cancelled" << 1 << 0 << "" << false;
    // No accounting and past MinJobAge: the job is gone; its marker decides.
    QTest::newRow("left the queue, done marker")
        << false << "1:100" << true << "" << "100|completed|0|150" << false << ""
        << "done" << 1 << 0 << "" << false;
    QTest::newRow("left the queue, failed marker")
        << false << "1:100" << true << "" << "100|failed|7|150" << false << ""
        << "failed" << 1 << 7 << "exit code 7" << false;
    QTest::newRow("left the queue while its marker says running")
        << false << "1:100" << true << "" << "100|running||150" << false << ""
        << "failed" << 1 << -1 << "ended without recording how" << false;
    QTest::newRow("left the queue with no marker at all")
        << false << "1:100" << true << "" << "" << false << ""
        << "failed" << 1 << -1 << "no longer known to the scheduler" << false;
    QTest::newRow("site not queried this cycle: the marker says running")
        << false << "1:100" << false << "" << "100|running||150" << false << ""
        << "running" << 1 << -1 << "" << true;
    QTest::newRow("site not queried, nothing known yet")
        << false << "1:100" << false << "" << "" << false << ""
        << "pending" << 1 << -1 << "" << false;
    // A process site only says the process exited: the run directory tells how.
    QTest::newRow("process exited, done marker")
        << false << "1:4242" << true << "4242=EXITED" << "|completed|0|150" << false << ""
        << "done" << 1 << 0 << "" << false;
    QTest::newRow("process exited without a marker")
        << false << "1:4242" << true << "4242=EXITED" << "" << false << ""
        << "failed" << 1 << -1 << "process 4242 ended without recording how" << false;
    // Retries: attempt 2 supersedes the failed attempt 1, whose marker stays.
    QTest::newRow("retry running supersedes the failed attempt")
        << false << "1:100,2:101:retry" << true << "100=FAILED//1;101=RUNNING"
        << "100|failed|1|150" << false << "" << "running" << 2 << -1 << "" << true;
    QTest::newRow("retry's marker without a job id, started after it was submitted")
        << false << "1:100,2:101:retry" << true << "" << "|failed|1|150,|completed|0|250"
        << false << "" << "done" << 2 << 0 << "" << false;
    QTest::newRow("old attempt's marker never decides the new attempt")
        << false << "1:100,2:101:retry" << true << "101=PENDING/Priority" << "100|failed|1|150"
        << false << "" << "pending" << 2 << -1 << "" << true;
    // SLURM with kill_invalid_depend cancels a job whose dependency failed;
    // without it the job stays pending for ever with that reason.
    QTest::newRow("dependency never satisfied, cancelled")
        << false << "1:100" << true << "100=CANCELLED/DependencyNeverSatisfied" << "" << false
        << "" << "cancelled" << 1 << -1 << "DependencyNeverSatisfied" << false;
    QTest::newRow("dependency never satisfied, still pending")
        << false << "1:100" << true << "100=PENDING/DependencyNeverSatisfied" << "" << false
        << "" << "cancelled" << 1 << -1 << "DependencyNeverSatisfied" << true;
    // Job arrays.
    QTest::newRow("array: some elements still running")
        << true << "1:200" << true << "200_0=COMPLETED//0;200_1=RUNNING;200_2=FAILED//2" << ""
        << false << "" << "running" << 1 << -1 << "" << true;
    QTest::newRow("array: some elements failed")
        << true << "1:200" << true
        << "200_0=COMPLETED//0;200_1=FAILED//2;200_2=COMPLETED//0;200_3=FAILED//5" << "" << false
        << "" << "failed" << 1 << 2 << "2 of 4 array elements failed (1, 3)" << false;
    QTest::newRow("array: all done")
        << true << "1:200" << true << "200_0=COMPLETED//0;200_1=COMPLETED//0" << "" << false << ""
        << "done" << 1 << 0 << "" << false;
    QTest::newRow("array: pending range")
        << true << "1:200" << true << "200_[0-9%2]=PENDING/JobArrayTaskLimit" << "" << false << ""
        << "pending" << 1 << -1 << "" << true;
    QTest::newRow("array: elements gone, their markers decide")
        << true << "1:200" << true << "200_0=COMPLETED//0"
        << "200_1|failed|9|150,200_2|completed|0|150" << false << ""
        << "failed" << 1 << 9 << "1 of 3 array elements failed (1)" << false;
    QTest::newRow("skipped by the engine")
        << false << "1:100" << true << "100=PENDING/JobHeldUser" << "" << false
        << "skipped by gate check option reject" << "skipped" << 1 << -1
        << "skipped by gate check option reject" << true;
    // clang-format on
}

void TestTaskState::derive()
{
    QFETCH(bool, array);
    QFETCH(QString, record);
    QFETCH(bool, queried);
    QFETCH(QString, jobRows);
    QFETCH(QString, markerSpec);
    QFETCH(bool, checkpointWaiting);
    QFETCH(QString, skip);
    QFETCH(QString, state);
    QFETCH(int, attempt);
    QFETCH(int, exitCode);
    QFETCH(QString, reason);
    QFETCH(bool, jobActive);

    Workflow wf;
    wf.sites << site(QStringLiteral("c"), SiteSpec::Kind::Slurm);
    TaskSpec t = job(QStringLiteral("train"), QStringLiteral("c"));
    if (array)
        t.array = QStringLiteral("0-9%2");
    wf.tasks << t;

    RunRecord rec;
    rec.tasks[t.name] = attempts(record, QStringLiteral("c"));
    rec.tasks[t.name].skipReason = skip;
    Observation obs;
    if (queried)
        obs.jobsBySite[QStringLiteral("c")] = jobs(jobRows, QStringLiteral("c"));
    obs.markers[t.name] = markers(markerSpec);
    if (checkpointWaiting)
        obs.waitingCheckpoints.insert(t.name, kT0.addSecs(170));
    obs.logTails.insert(t.name, QStringLiteral("Traceback: boom"));

    const QDateTime now = kT0.addSecs(1000);
    const auto states = deriveTaskStates(wf, obs, rec, {}, now);
    const TaskStatus s = states.value(t.name);
    QCOMPARE(taskStateName(s.state), state);
    QCOMPARE(s.attempt, attempt);
    QCOMPARE(s.exitCode, exitCode);
    if (!reason.isEmpty())
        QVERIFY2(s.reason.contains(reason), qPrintable(s.reason));
    QCOMPARE(s.jobActive, jobActive);
    QVERIFY(s.since.isValid());
    // Failures keep the tail of the log; nothing else carries one.
    QCOMPARE(s.logTail.isEmpty(), s.state != TaskState::Failed);
    if (checkpointWaiting)
        QCOMPARE(s.since, kT0.addSecs(170));
}

void TestTaskState::gateStates_data()
{
    QTest::addColumn<bool>("posted");
    QTest::addColumn<bool>("decided");
    QTest::addColumn<bool>("byDefault");
    QTest::addColumn<QString>("skip");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("reason");

    QTest::newRow("not posted") << false << false << false << ""
                                << "pending"
                                << "";
    QTest::newRow("posted, waiting") << true << false << false << ""
                                     << "waiting-for-human"
                                     << "";
    QTest::newRow("decided") << true << true << false << ""
                             << "done"
                             << "option approve chosen by alice";
    QTest::newRow("default taken") << true << true << true << ""
                                   << "done"
                                   << "option approve taken by default (deadline passed)";
    QTest::newRow("skipped") << false << false << false << "an upstream task was skipped (a)"
                             << "skipped"
                             << "an upstream task was skipped (a)";
}

void TestTaskState::gateStates()
{
    QFETCH(bool, posted);
    QFETCH(bool, decided);
    QFETCH(bool, byDefault);
    QFETCH(QString, skip);
    QFETCH(QString, state);
    QFETCH(QString, reason);

    Workflow wf;
    wf.tasks << gate(QStringLiteral("check"), {},
                     {QStringLiteral("approve:"), QStringLiteral("reject:")});
    Observation obs;
    GateObservation &g = obs.gates[QStringLiteral("check")];
    g.posted = posted;
    g.postedAt = kT0.addSecs(10);
    g.decided = decided;
    g.option = QStringLiteral("approve");
    g.decidedBy = QStringLiteral("alice");
    g.decidedAt = kT0.addSecs(20);
    g.timeoutDefault = byDefault;
    RunRecord rec;
    rec.tasks[QStringLiteral("check")].skipReason = skip;
    rec.tasks[QStringLiteral("check")].skippedAt = kT0.addSecs(5);
    const TaskStatus s =
        deriveTaskStates(wf, obs, rec, {}, kT0.addSecs(99)).value(QStringLiteral("check"));
    QCOMPARE(taskStateName(s.state), state);
    QCOMPARE(s.reason, reason);
    const QDateTime since = !skip.isEmpty() ? kT0.addSecs(5)
                            : decided       ? kT0.addSecs(20)
                            : posted        ? kT0.addSecs(10)
                                            : kT0.addSecs(99);
    QCOMPARE(s.since, since);
}

// A state that did not change keeps the time it was entered and its log
// tail; a change is stamped anew.
void TestTaskState::keepsTimestampAndTail()
{
    Workflow wf;
    wf.sites << site(QStringLiteral("c"), SiteSpec::Kind::Slurm);
    wf.tasks << job(QStringLiteral("train"), QStringLiteral("c"));
    RunRecord rec;
    rec.tasks[QStringLiteral("train")] = attempts(QStringLiteral("1:100"), QStringLiteral("c"));
    Observation obs;
    obs.jobsBySite[QStringLiteral("c")] =
        jobs(QStringLiteral("100=PENDING/Priority"), QStringLiteral("c"));
    auto first = deriveTaskStates(wf, obs, rec, {}, kT0.addSecs(300));
    QCOMPARE(first.value(QStringLiteral("train")).since, kT0.addSecs(300));
    auto second = deriveTaskStates(wf, obs, rec, first, kT0.addSecs(400));
    QCOMPARE(second.value(QStringLiteral("train")).since, kT0.addSecs(300));

    obs.jobsBySite[QStringLiteral("c")] =
        jobs(QStringLiteral("100=FAILED//4"), QStringLiteral("c"));
    obs.logTails.insert(QStringLiteral("train"), QStringLiteral("out of memory"));
    auto failed = deriveTaskStates(wf, obs, rec, second, kT0.addSecs(500));
    QCOMPARE(failed.value(QStringLiteral("train")).state, TaskState::Failed);
    QCOMPARE(failed.value(QStringLiteral("train")).since, kT0.addSecs(500));
    obs.logTails.clear(); // not fetched again: the stored tail stays
    auto later = deriveTaskStates(wf, obs, rec, failed, kT0.addSecs(600));
    QCOMPARE(later.value(QStringLiteral("train")).logTail, QStringLiteral("out of memory"));
    QCOMPARE(later.value(QStringLiteral("train")).since, kT0.addSecs(500));
}

// A job array that was seen done, then a cycle where its site was not queried
// and its elements' markers cannot be matched to its job: still done, with its
// time (it used to flicker done -> pending -> done). A new attempt is judged
// afresh.
void TestTaskState::endedAttemptStaysEnded()
{
    Workflow wf;
    wf.sites << site(QStringLiteral("c"), SiteSpec::Kind::Slurm);
    TaskSpec sweep = job(QStringLiteral("sweep"), QStringLiteral("c"));
    sweep.array = QStringLiteral("0-3");
    wf.tasks << sweep;
    RunRecord rec;
    rec.tasks[QStringLiteral("sweep")] = attempts(QStringLiteral("1:100"), QStringLiteral("c"));
    Observation obs;
    obs.jobsBySite[QStringLiteral("c")] =
        jobs(QStringLiteral("100_0=COMPLETED//0;100_1=COMPLETED//0;100_2=COMPLETED//0;"
                            "100_3=COMPLETED//0"),
             QStringLiteral("c"));
    auto done = deriveTaskStates(wf, obs, rec, {}, kT0.addSecs(100));
    QCOMPARE(done.value(QStringLiteral("sweep")).state, TaskState::Done);
    Observation unqueried; // the site not queried, no marker matched
    auto later = deriveTaskStates(wf, unqueried, rec, done, kT0.addSecs(200));
    QCOMPARE(later.value(QStringLiteral("sweep")).state, TaskState::Done);
    QCOMPARE(later.value(QStringLiteral("sweep")).since, done.value(QStringLiteral("sweep")).since);
    // Without a previous derivation nothing is known: pending.
    QCOMPARE(deriveTaskStates(wf, unqueried, rec, {}, kT0.addSecs(200))
                 .value(QStringLiteral("sweep"))
                 .state,
             TaskState::Pending);
    // Attempt 2 (a retry) is not attempt 1: pending until seen.
    rec.tasks[QStringLiteral("sweep")] =
        attempts(QStringLiteral("1:100,2:200"), QStringLiteral("c"));
    auto retried = deriveTaskStates(wf, unqueried, rec, done, kT0.addSecs(300));
    QCOMPARE(retried.value(QStringLiteral("sweep")).state, TaskState::Pending);
}

// A scan's tasks become markers (job id left unknown) and its gate checkpoint
// the gate's observation.
void TestTaskState::fromScan()
{
    Workflow wf;
    wf.sites << site(QStringLiteral("c"), SiteSpec::Kind::Slurm);
    wf.tasks << job(QStringLiteral("train"), QStringLiteral("c"))
             << gate(QStringLiteral("check"), {QStringLiteral("train")},
                     {QStringLiteral("ok:"), QStringLiteral("no:")});
    RunInfo run;
    TaskRunInfo t;
    t.name = QStringLiteral("train");
    t.state = QStringLiteral("completed");
    t.jobId = QStringLiteral("100");
    t.exitCode = 0;
    t.startedAt = kT0;
    t.endedAt = kT0.addSecs(60);
    run.tasks << t;
    CheckpointInfo inJob;
    inJob.id = QStringLiteral("epoch-3");
    inJob.task = QStringLiteral("train");
    inJob.createdAt = kT0.addSecs(30);
    CheckpointInfo g;
    g.id = QStringLiteral("check");
    g.createdAt = kT0.addSecs(61);
    g.status = CheckpointInfo::Status::Decided;
    g.decidedOption = QStringLiteral("no");
    g.decidedBy = QStringLiteral("bob");
    g.decisionKind = QStringLiteral("human");
    run.checkpoints << inJob << g;
    Observation obs;
    observeRun(run, wf, &obs);
    QCOMPARE(obs.markers.value(QStringLiteral("train")).size(), 1);
    QCOMPARE(obs.markers.value(QStringLiteral("train")).first().state, QStringLiteral("completed"));
    QVERIFY(obs.markers.value(QStringLiteral("train")).first().jobId.isEmpty());
    QCOMPARE(obs.waitingCheckpoints.value(QStringLiteral("train")), kT0.addSecs(30));
    QVERIFY(obs.gates.value(QStringLiteral("check")).decided);
    QCOMPARE(obs.gates.value(QStringLiteral("check")).option, QStringLiteral("no"));
    QVERIFY(!obs.gates.value(QStringLiteral("check")).timeoutDefault);
}

void TestTaskState::names()
{
    QStringList names;
    for (TaskState s :
         {TaskState::Pending, TaskState::Held, TaskState::Running, TaskState::WaitingForHuman,
          TaskState::Done, TaskState::Failed, TaskState::Cancelled, TaskState::Skipped})
        names << taskStateName(s);
    QCOMPARE(
        names.join(QLatin1Char(',')),
        QStringLiteral("pending,held,running,waiting-for-human,done,failed,cancelled,skipped"));
    QVERIFY(isTerminal(TaskState::Skipped));
    QVERIFY(!isTerminal(TaskState::WaitingForHuman));
}

QTEST_GUILESS_MAIN(TestTaskState)
#include "tst_taskstate.moc"
