// SPDX-License-Identifier: GPL-3.0-or-later
// The planner, row by row: gates (approve, reject, branch, timeout default),
// cross-site edges and data, retries, skipped branches, params flowing
// downstream, held tasks, cancelling a run, and nothing to do while
// everything waits.
#include "engine/planner.h"
#include "enginetestutil.h"

#include <QTest>

using namespace vigil;
using namespace vigil::engine;
using namespace vigil::enginetest;

namespace {

// The CIF demonstration in miniature: inference at the edge, a human checks
// it; a rejection retrains and evaluates on the cluster, and the new model
// goes back to the edge.
Workflow cifWorkflow()
{
    Workflow wf;
    wf.sites << site(QStringLiteral("edge"), SiteSpec::Kind::Local)
             << site(QStringLiteral("c"), SiteSpec::Kind::Slurm);
    TaskSpec check = gate(QStringLiteral("check"), {QStringLiteral("infer")},
                          {QStringLiteral("approve:/retrain"), QStringLiteral("reject:retrain/")});
    check.gate.deadline = QStringLiteral("1h");
    check.gate.deadlineSeconds = 3600;
    check.gate.defaultOption = QStringLiteral("approve");
    ParamSpec threshold;
    threshold.name = QStringLiteral("threshold");
    threshold.type = ParamSpec::Type::Number;
    threshold.defaultValue = QStringLiteral("0.5");
    check.gate.params << threshold;
    TaskSpec retrain =
        job(QStringLiteral("retrain"), QStringLiteral("c"), {QStringLiteral("check")});
    retrain.retries = 1;
    TaskSpec redeploy =
        job(QStringLiteral("redeploy"), QStringLiteral("edge"), {QStringLiteral("evaluate")});
    redeploy.inputs << DataInput{QStringLiteral("model.pt"), QStringLiteral("evaluate")};
    wf.tasks << job(QStringLiteral("infer"), QStringLiteral("edge")) << check << retrain
             << job(QStringLiteral("evaluate"), QStringLiteral("c"), {QStringLiteral("retrain")})
             << redeploy;
    return wf;
}

// Two gates in a row, each with a param of the same name: the nearest wins.
Workflow twoGates()
{
    Workflow wf;
    wf.sites << site(QStringLiteral("c"), SiteSpec::Kind::Slurm);
    ParamSpec lr;
    lr.name = QStringLiteral("lr");
    lr.defaultValue = QStringLiteral("0.1");
    ParamSpec epochs;
    epochs.name = QStringLiteral("epochs");
    epochs.defaultValue = QStringLiteral("10");
    TaskSpec first = gate(QStringLiteral("first"), {}, {QStringLiteral("go:")});
    first.gate.params << lr << epochs;
    TaskSpec second =
        gate(QStringLiteral("second"), {QStringLiteral("first")}, {QStringLiteral("go:")});
    second.gate.params << lr;
    wf.tasks << first << second
             << job(QStringLiteral("train"), QStringLiteral("c"), {QStringLiteral("second")});
    return wf;
}

// A chain inside one SLURM site, submitted at launch: SLURM's business.
Workflow chain()
{
    Workflow wf;
    wf.sites << site(QStringLiteral("c"), SiteSpec::Kind::Slurm);
    wf.tasks << job(QStringLiteral("a"), QStringLiteral("c"))
             << job(QStringLiteral("b"), QStringLiteral("c"), {QStringLiteral("a")});
    return wf;
}

// "task=state[#attempt][!][~reason]" semicolon-separated ("!": a job is queued).
QMap<QString, TaskStatus> states(const QString &spec)
{
    QMap<QString, TaskStatus> out;
    static const QMap<QString, TaskState> names = {
        {QStringLiteral("pending"), TaskState::Pending},
        {QStringLiteral("held"), TaskState::Held},
        {QStringLiteral("running"), TaskState::Running},
        {QStringLiteral("waiting"), TaskState::WaitingForHuman},
        {QStringLiteral("done"), TaskState::Done},
        {QStringLiteral("failed"), TaskState::Failed},
        {QStringLiteral("cancelled"), TaskState::Cancelled},
        {QStringLiteral("skipped"), TaskState::Skipped},
    };
    for (const QString &item : spec.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        TaskStatus s;
        s.task = item.section(QLatin1Char('='), 0, 0);
        QString v = item.section(QLatin1Char('='), 1);
        s.reason = v.section(QLatin1Char('~'), 1);
        v = v.section(QLatin1Char('~'), 0, 0);
        s.jobActive = v.endsWith(QLatin1Char('!'));
        if (s.jobActive)
            v.chop(1);
        s.attempt = v.contains(QLatin1Char('#')) ? v.section(QLatin1Char('#'), 1).toInt() : 0;
        s.state = names.value(v.section(QLatin1Char('#'), 0, 0));
        s.since = kT0;
        out.insert(s.task, s);
    }
    return out;
}

} // namespace

class TestPlanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plan_data();
    void plan();
    void derivedThenPlanned();
    void noWorkflowNoActions();
};

void TestPlanner::plan_data()
{
    QTest::addColumn<QString>("workflow");
    QTest::addColumn<QString>("stateSpec");
    QTest::addColumn<QString>("decisions"); // "gate=option[,param=value...]" ;-separated
    QTest::addColumn<QString>("record");    // "task=attempts()" ;-separated; "task+input" moved
    QTest::addColumn<int>("nowSeconds");    // after kT0
    QTest::addColumn<bool>("cancel");
    QTest::addColumn<QString>("expected"); // describe() of each action, " | "-separated

    // clang-format off
    QTest::newRow("nothing to do while everything waits")
        << "cif" << "infer=running#1!" << "" << "infer=1:7" << 10 << false << "";
    QTest::newRow("gate posted when what it comes after is done")
        << "cif" << "infer=done#1" << "" << "infer=1:7" << 10 << false << "post-gate check";
    QTest::newRow("gate waits before its deadline")
        << "cif" << "infer=done#1;check=waiting" << "" << "infer=1:7" << 3599 << false << "";
    QTest::newRow("timeout default")
        << "cif" << "infer=done#1;check=waiting" << "" << "infer=1:7" << 3600 << false
        << "take-default check option=approve";
    QTest::newRow("approve skips the retrain branch and all below it")
        << "cif" << "infer=done#1;check=done" << "check=approve" << "infer=1:7" << 4000 << false
        << "skip retrain (skipped by gate check option approve) | "
           "skip evaluate (an upstream task was skipped (retrain)) | "
           "skip redeploy (an upstream task was skipped (evaluate))";
    QTest::newRow("a skipped branch finishes the run as done")
        << "cif"
        << "infer=done#1;check=done;retrain=skipped~x;evaluate=skipped~y;redeploy=skipped~z"
        << "check=approve" << "infer=1:7" << 4000 << false << "finish done";
    QTest::newRow("reject enables retrain with the decided params")
        << "cif" << "infer=done#1;check=done" << "check=reject,threshold=0.8" << "infer=1:7"
        << 4000 << false << "submit retrain#1 env=VIGIL_PARAM_THRESHOLD=0.8";
    QTest::newRow("params not decided take the gate's defaults")
        << "cif" << "infer=done#1;check=done" << "check=reject" << "infer=1:7" << 4000 << false
        << "submit retrain#1 env=VIGIL_PARAM_THRESHOLD=0.5";
    QTest::newRow("a same-site successor is chained with afterok, params flow on")
        << "cif" << "infer=done#1;check=done;retrain=pending#1!" << "check=reject,threshold=0.8"
        << "infer=1:7;retrain=1:100" << 4000 << false
        << "submit evaluate#1 after=retrain env=VIGIL_PARAM_THRESHOLD=0.8";
    QTest::newRow("cross-site edge waits while upstream runs")
        << "cif" << "infer=done#1;check=done;retrain=done#1;evaluate=running#1!"
        << "check=reject" << "infer=1:7;retrain=1:100;evaluate=1:101" << 4000 << false << "";
    QTest::newRow("cross-site edge: data moved first")
        << "cif" << "infer=done#1;check=done;retrain=done#1;evaluate=done#1" << "check=reject"
        << "infer=1:7;retrain=1:100;evaluate=1:101" << 4000 << false
        << "move-input redeploy evaluate/model.pt c->edge";
    QTest::newRow("cross-site edge: submitted once its data is there")
        << "cif" << "infer=done#1;check=done;retrain=done#1;evaluate=done#1" << "check=reject"
        << "infer=1:7;retrain=1:100;evaluate=1:101;redeploy+model.pt" << 4000 << false
        << "submit redeploy#1 env=VIGIL_PARAM_THRESHOLD=0.5";
    QTest::newRow("failed task with a retry left")
        << "cif" << "infer=done#1;check=done;retrain=failed#1;evaluate=cancelled#1"
        << "check=reject" << "infer=1:7;retrain=1:100;evaluate=1:101" << 4000 << false
        << "retry retrain#2 env=VIGIL_PARAM_THRESHOLD=0.5";
    QTest::newRow("a successor SLURM cancelled follows the retry")
        << "cif" << "infer=done#1;check=done;retrain=running#2!;evaluate=cancelled#1"
        << "check=reject" << "infer=1:7;retrain=1:100,2:102:retry;evaluate=1:101" << 4000 << false
        << "submit evaluate#2 after=retrain env=VIGIL_PARAM_THRESHOLD=0.5";
    QTest::newRow("retries used up: the run fails")
        << "cif"
        << "infer=done#1;check=done;retrain=failed#2;evaluate=cancelled#1~DependencyNeverSatisfied"
        << "check=reject" << "infer=1:7;retrain=1:100,2:102:retry;evaluate=1:101" << 4000 << false
        << "finish failed (retrain failed)";
    QTest::newRow("a dependency never satisfied that stays queued is cancelled")
        << "cif"
        << "infer=done#1;check=done;retrain=failed#2;evaluate=cancelled#1!~DependencyNeverSatisfied"
        << "check=reject" << "infer=1:7;retrain=1:100,2:102:retry;evaluate=1:101" << 4000 << false
        << "cancel evaluate (upstream task retrain failed)";
    QTest::newRow("a held task is released by the gate's decision")
        << "cif" << "infer=done#1;check=done;retrain=held#1!" << "check=reject"
        << "infer=1:7;retrain=1:100" << 4000 << false << "release retrain";
    QTest::newRow("a held task on the branch not taken is cancelled and skipped")
        << "cif" << "infer=done#1;check=done;retrain=held#1!" << "check=approve"
        << "infer=1:7;retrain=1:100" << 4000 << false
        << "cancel retrain (skipped by gate check option approve) | "
           "skip retrain (skipped by gate check option approve) | "
           "skip evaluate (an upstream task was skipped (retrain)) | "
           "skip redeploy (an upstream task was skipped (evaluate))";
    QTest::newRow("a held task stays held until its gate decides")
        << "cif" << "infer=done#1;check=waiting;retrain=held#1!" << "" << "infer=1:7;retrain=1:100"
        << 100 << false << "";
    QTest::newRow("params: the nearest gate wins, the farther fills in")
        << "gates" << "first=done;second=done" << "first=go,lr=0.5,epochs=20;second=go,lr=0.01"
        << "" << 10 << false << "submit train#1 env=VIGIL_PARAM_EPOCHS=20,VIGIL_PARAM_LR=0.01";
    QTest::newRow("second gate posted after the first is decided")
        << "gates" << "first=done" << "first=go" << "" << 10 << false << "post-gate second";
    QTest::newRow("a same-site chain is left to SLURM")
        << "chain" << "a=running#1!;b=pending#1!~Dependency" << "" << "a=1:100;b=1:101" << 10
        << false << "";
    QTest::newRow("a never-submitted same-site successor is chained at once")
        << "chain" << "a=running#1!" << "" << "a=1:100" << 10 << false << "submit b#1 after=a";
    QTest::newRow("an upstream failure with no retries: its successor is dead, the run fails")
        << "chain" << "a=failed#1" << "" << "a=1:100" << 10 << false << "finish failed (a failed)";
    QTest::newRow("all done")
        << "chain" << "a=done#1;b=done#1" << "" << "a=1:100;b=1:101" << 10 << false
        << "finish done";
    QTest::newRow("cancelling a run cancels what is queued")
        << "chain" << "a=running#1!;b=pending#1!" << "" << "a=1:100;b=1:101" << 10 << true
        << "cancel a (the run was cancelled) | cancel b (the run was cancelled)";
    QTest::newRow("a cancelled run finishes when nothing is queued")
        << "chain" << "a=cancelled#1;b=cancelled#1" << "" << "a=1:100;b=1:101" << 10 << true
        << "finish cancelled (the run was cancelled)";
    QTest::newRow("a task cancelled by a user ends the run as cancelled")
        << "chain" << "a=cancelled#1" << "" << "a=1:100" << 10 << false << "finish cancelled";
    // clang-format on
}

void TestPlanner::plan()
{
    QFETCH(QString, workflow);
    QFETCH(QString, stateSpec);
    QFETCH(QString, decisions);
    QFETCH(QString, record);
    QFETCH(int, nowSeconds);
    QFETCH(bool, cancel);
    QFETCH(QString, expected);

    const Workflow wf = workflow == QLatin1String("cif")     ? cifWorkflow()
                        : workflow == QLatin1String("gates") ? twoGates()
                                                             : chain();
    PlanInput in;
    in.workflow = &wf;
    in.states = states(stateSpec);
    in.now = kT0.addSecs(nowSeconds);
    in.record.cancelRequested = cancel;
    for (const QString &d : decisions.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const QStringList f = d.split(QLatin1Char(','));
        GateObservation g;
        g.posted = g.decided = true;
        g.option = f.first().section(QLatin1Char('='), 1);
        for (const QString &p : f.mid(1))
            g.params.insert(p.section(QLatin1Char('='), 0, 0), p.section(QLatin1Char('='), 1));
        in.gates.insert(f.first().section(QLatin1Char('='), 0, 0), g);
    }
    for (const QString &r : record.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        if (r.contains(QLatin1Char('+'))) {
            in.record.tasks[r.section(QLatin1Char('+'), 0, 0)].movedInputs
                << r.section(QLatin1Char('+'), 1);
            continue;
        }
        const QString task = r.section(QLatin1Char('='), 0, 0);
        const QString siteName = wf.task(task)->site;
        const QStringList moved = in.record.tasks[task].movedInputs;
        in.record.tasks[task] = attempts(r.section(QLatin1Char('='), 1), siteName);
        in.record.tasks[task].movedInputs = moved;
    }
    QStringList got;
    for (const Action &a : engine::plan(in))
        got << describe(a);
    QCOMPARE(got.join(QStringLiteral(" | ")), expected);
}

// The two pure steps together, from what sacct says: a failed retrain with a
// retry left, its chained successor CANCELLED (sacct gives no reason).
void TestPlanner::derivedThenPlanned()
{
    const Workflow wf = cifWorkflow();
    RunRecord rec;
    rec.tasks[QStringLiteral("infer")] = attempts(QStringLiteral("1:7"), QStringLiteral("edge"));
    rec.tasks[QStringLiteral("retrain")] = attempts(QStringLiteral("1:100"), QStringLiteral("c"));
    rec.tasks[QStringLiteral("evaluate")] = attempts(QStringLiteral("1:101"), QStringLiteral("c"));
    Observation obs;
    obs.jobsBySite[QStringLiteral("c")] =
        jobs(QStringLiteral("100=FAILED//1;101=CANCELLED//0"), QStringLiteral("c"));
    obs.jobsBySite[QStringLiteral("edge")] =
        jobs(QStringLiteral("7=EXITED"), QStringLiteral("edge"));
    obs.markers[QStringLiteral("infer")] = markers(QStringLiteral("|completed|0|150"));
    GateObservation g;
    g.posted = g.decided = true;
    g.option = QStringLiteral("reject");
    obs.gates.insert(QStringLiteral("check"), g);

    auto describeAll = [&](const QMap<QString, TaskStatus> &st) {
        PlanInput in{&wf, st, rec, obs.gates, kT0.addSecs(5000)};
        QStringList got;
        for (const Action &a : engine::plan(in))
            got << describe(a);
        return got.join(QStringLiteral(" | "));
    };
    auto st = deriveTaskStates(wf, obs, rec, {}, kT0.addSecs(5000));
    QCOMPARE(st.value(QStringLiteral("evaluate")).state, TaskState::Cancelled);
    QCOMPARE(describeAll(st), QStringLiteral("retry retrain#2 env=VIGIL_PARAM_THRESHOLD=0.5"));

    // The executor submitted the retry: the successor follows it.
    rec.tasks[QStringLiteral("retrain")] =
        attempts(QStringLiteral("1:100,2:102:retry"), QStringLiteral("c"));
    obs.jobsBySite[QStringLiteral("c")] =
        jobs(QStringLiteral("100=FAILED//1;101=CANCELLED//0;102=RUNNING"), QStringLiteral("c"));
    st = deriveTaskStates(wf, obs, rec, st, kT0.addSecs(5100));
    QCOMPARE(st.value(QStringLiteral("retrain")).state, TaskState::Running);
    QCOMPARE(describeAll(st),
             QStringLiteral("submit evaluate#2 after=retrain env=VIGIL_PARAM_THRESHOLD=0.5"));
}

void TestPlanner::noWorkflowNoActions()
{
    PlanInput in;
    QVERIFY(engine::plan(in).isEmpty());
    // A run already finished is never planned again.
    const Workflow wf = chain();
    in.workflow = &wf;
    in.states = states(QStringLiteral("a=done#1;b=done#1"));
    in.record.finished = QStringLiteral("done");
    QVERIFY(engine::plan(in).isEmpty());
}

QTEST_GUILESS_MAIN(TestPlanner)
#include "tst_planner.moc"
