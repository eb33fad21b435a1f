// SPDX-License-Identifier: GPL-3.0-or-later
// The executor on the local machine (a process site, real vigil-job, real
// processes, a temporary run root), driven by a real Supervisor's refresh
// cycles: prep -> gate "review" -> train (approve) | report (reject).
// The gate is posted once prep is done; approve releases train and skips
// report; reject does the opposite; a deadline default is taken by the engine
// and marked as one; the decision's params reach train's environment; an
// engine destroyed and made again resumes without submitting twice.
#include "../common/testfiles.h"
#include "../common/vigiljob.h"
#include "engine/engine.h"
#include "engine/runrecordio.h"
#include "enginetestutil.h"
#include "protocol/decision.h"
#include "sites/site.h"
#include "supervisor.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace vigil;
using namespace vigil::engine;

using vigil::test::readAll;

namespace {

const QString kSite = QStringLiteral("here");

int lines(const QString &path)
{
    return int(readAll(path).count('\n'));
}

// A job task on the local site running `sh -c SCRIPT`.
TaskSpec shellTask(const QString &name, const QStringList &after, const QString &script)
{
    TaskSpec t = enginetest::job(name, kSite, after);
    t.command = {QStringLiteral("/bin/sh"), QStringLiteral("-c"), script};
    return t;
}

} // namespace

class TestEngineGate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void recordRoundTrip();
    void gateRequestFields();
    void approveRunsEnabledBranch();
    void rejectRunsTheOther();
    void deadlineDefaultTaken();
    void restartResumesWithoutResubmitting();
    void lostRecordAdoptsTheJob();

private:
    Workflow workflow(qint64 deadlineSeconds = 0, int prepSeconds = 1) const;
    // Makes the run directory (vigil-job init-run) and an engine for it.
    Engine *startEngine(const Workflow &wf);
    QString runDir() const { return m_root->filePath(m_runId); }
    QString taskDir(const QString &task) const
    {
        return runDir() + QStringLiteral("/tasks/") + task;
    }
    bool waitForGate(int timeoutMs = 30000);
    void decide(const QString &option, const QJsonObject &params = {});
    RunSummary summary() const;
    RunRecord record() const;

    std::unique_ptr<QTemporaryDir> m_root;
    std::unique_ptr<Supervisor> m_supervisor;
    std::unique_ptr<Engine> m_engine;
    QString m_runId;
    int m_runNumber = 0;
    int m_engines = 0;
};

Workflow TestEngineGate::workflow(qint64 deadlineSeconds, int prepSeconds) const
{
    Workflow wf;
    wf.name = QStringLiteral("gated");
    SiteSpec here = enginetest::site(kSite, SiteSpec::Kind::Local);
    here.runRoot = m_root->path();
    wf.sites << here;
    wf.tasks << shellTask(
        QStringLiteral("prep"), {},
        QStringLiteral("echo started >> prep-starts.txt; sleep %1").arg(prepSeconds));
    TaskSpec gate = enginetest::gate(
        QStringLiteral("review"), {QStringLiteral("prep")},
        {QStringLiteral("approve:train/report"), QStringLiteral("reject:report/train")});
    gate.gate.body = QStringLiteral("Look at **prep** first.");
    ParamSpec lr;
    lr.name = QStringLiteral("lr");
    lr.type = ParamSpec::Type::Number;
    lr.defaultValue = QStringLiteral("0.01");
    lr.min = QStringLiteral("0");
    lr.max = QStringLiteral("1");
    gate.gate.params << lr;
    if (deadlineSeconds > 0) {
        gate.gate.deadline = QStringLiteral("%1s").arg(deadlineSeconds);
        gate.gate.deadlineSeconds = deadlineSeconds;
        gate.gate.defaultOption = QStringLiteral("approve");
    }
    wf.tasks << gate;
    // train writes the params it was given; report leaves a trace.
    wf.tasks << shellTask(QStringLiteral("train"), {QStringLiteral("review")},
                          QStringLiteral("env | grep '^VIGIL_PARAM_' | sort > train-env.txt"));
    wf.tasks << shellTask(QStringLiteral("report"), {QStringLiteral("review")},
                          QStringLiteral("echo reported > report.txt"));
    return wf;
}

void TestEngineGate::init()
{
    m_root = std::make_unique<QTemporaryDir>();
    QVERIFY(m_root->isValid());
    m_runId = QStringLiteral("gated-%1").arg(++m_runNumber);
    SupervisorOptions options;
    options.pollSeconds = 1;
    m_supervisor = std::make_unique<Supervisor>(options);
    m_supervisor->addSite(workflow().sites.first());
    vigil::test::runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), runDir(),
                              QStringLiteral("--run-id"), m_runId,
                              QStringLiteral("--workflow-name"), QStringLiteral("gated")});
    QVERIFY(QFile::exists(runDir() + QStringLiteral("/run.json")));
    m_supervisor->start();
}

void TestEngineGate::cleanup()
{
    m_engine.reset();
    // Work-around: LocalTransport's worker can be deleted while the watch's
    // stop is still queued, and its running QProcess then reports to a
    // destroyed hash (a crash on teardown; reported). The watch is the
    // transport's only stream; it is stopped here, while the thread runs.
    if (Site *site = m_supervisor->site(kSite)) {
        for (StreamId id = 1; id <= 4; ++id)
            site->transport()->stopStream(id);
        QTest::qWait(300);
    }
    m_supervisor.reset();
    m_root.reset();
}

Engine *TestEngineGate::startEngine(const Workflow &wf)
{
    EngineOptions options;
    options.workflow = wf;
    options.lease.heartbeat = std::chrono::milliseconds(1000);
    options.lease.holder = QStringLiteral("engine-%1@test").arg(++m_engines);
    m_engine = std::make_unique<Engine>(m_supervisor.get(), m_runId, options);
    connect(m_engine.get(), &Engine::actionFailed, this,
            [](const QString &action, const QString &error) { qWarning() << action << error; });
    connect(m_engine.get(), &Engine::problem, this,
            [](const QString &message) { qWarning() << message; });
    m_engine->start();
    return m_engine.get();
}

bool TestEngineGate::waitForGate(int timeoutMs)
{
    return QTest::qWaitFor(
        [this] {
            const auto cp = m_supervisor->checkpoint(kSite, m_runId, QStringLiteral("review"));
            return cp && cp->status == CheckpointInfo::Status::Pending;
        },
        timeoutMs);
}

void TestEngineGate::decide(const QString &option, const QJsonObject &params)
{
    DecisionInput in;
    in.site = kSite;
    in.runId = m_runId;
    in.checkpointId = QStringLiteral("review");
    in.option = option;
    in.params = params;
    auto out = enginetest::await<DecisionOutcome>(
        [&](QObject *c, Callback<DecisionOutcome> cb) { m_supervisor->decide(in, c, cb); });
    QVERIFY2(out, qPrintable(out.errorString()));
    QVERIFY(out->won);
}

namespace {
// A file of the run directory read with `parse`; a default value (and a
// warning) when it cannot be.
template <typename T, typename Parse> T parsedFile(const QString &path, Parse parse)
{
    auto value = parse(readAll(path), path);
    if (!value)
        qWarning() << value.errorString();
    return value ? *value : T();
}
} // namespace

RunSummary TestEngineGate::summary() const
{
    return parsedFile<RunSummary>(runDir() + QLatin1Char('/') + QLatin1String(kSummaryFile),
                                  parseRunSummary);
}

RunRecord TestEngineGate::record() const
{
    return parsedFile<RunRecord>(runDir() + QLatin1Char('/') + QLatin1String(kRecordFile),
                                 parseRunRecord);
}

namespace {
QString stateOf(const RunSummary &s, const QString &task)
{
    for (const TaskStatus &t : s.tasks)
        if (t.task == task)
            return taskStateName(t.state);
    return QStringLiteral("<missing>");
}
} // namespace

void TestEngineGate::recordRoundTrip()
{
    RunRecord r;
    r.tasks[QStringLiteral("train")].attempts
        << AttemptRecord{1, kSite, QStringLiteral("101"), enginetest::kT0,
                         AttemptRecord::Reason::Launch}
        << AttemptRecord{2, kSite, QStringLiteral("102"), enginetest::kT0.addSecs(60),
                         AttemptRecord::Reason::Retry};
    r.tasks[QStringLiteral("train")].movedInputs << QStringLiteral("data/in.csv");
    r.tasks[QStringLiteral("report")].skipReason = QStringLiteral("skipped by gate g option a");
    r.tasks[QStringLiteral("report")].skippedAt = enginetest::kT0;
    r.finished = QStringLiteral("done");
    auto back = parseRunRecord(serializeRunRecord(QStringLiteral("r"), r), QStringLiteral("f"));
    QVERIFY2(back, qPrintable(back.errorString()));
    QCOMPARE(back->tasks.value(QStringLiteral("train")).attempts.size(), 2);
    QCOMPARE(back->tasks.value(QStringLiteral("train")).attempts[1].jobId, QStringLiteral("102"));
    QCOMPARE(back->tasks.value(QStringLiteral("train")).retriesUsed(), 1);
    QCOMPARE(back->tasks.value(QStringLiteral("train")).movedInputs,
             QStringList{QStringLiteral("data/in.csv")});
    QCOMPARE(back->tasks.value(QStringLiteral("report")).skipReason,
             QStringLiteral("skipped by gate g option a"));
    QCOMPARE(back->tasks.value(QStringLiteral("report")).skippedAt, enginetest::kT0);
    QCOMPARE(back->finished, QStringLiteral("done"));
    // Attempts that do not count up, and other formats, are refused.
    QByteArray bad = serializeRunRecord(QStringLiteral("r"), r);
    bad.replace("\"attempt\": 2", "\"attempt\": 1");
    auto refused = parseRunRecord(bad, QStringLiteral("engine/record.json"));
    QVERIFY(!refused);
    QVERIFY2(refused.errorString().contains(QStringLiteral("engine/record.json: task train")),
             qPrintable(refused.errorString()));
    QVERIFY(
        !parseRunRecord("{\"format\": {\"name\": \"vigil.engine-lease\"}}", QStringLiteral("f")));
    QVERIFY(!parseRunRecord("not json", QStringLiteral("f")));
}

// The request a gate becomes, and the params its decision gives.
void TestEngineGate::gateRequestFields()
{
    Workflow wf = workflow(90);
    TaskSpec g = *wf.task(QStringLiteral("review"));
    g.gate.defaultOption = QStringLiteral("reject");
    ParamSpec epochs;
    epochs.name = QStringLiteral("epochs");
    epochs.type = ParamSpec::Type::Integer;
    epochs.defaultValue = QStringLiteral("3");
    ParamSpec mode;
    mode.name = QStringLiteral("mode");
    mode.type = ParamSpec::Type::Enum;
    mode.defaultValue = QStringLiteral("fast");
    mode.choices = {QStringLiteral("fast"), QStringLiteral("slow")};
    g.gate.params << epochs << mode;
    GateAccount account;
    account.ownerUid = 1000;
    account.approvers = {QStringLiteral("alice")};
    account.approverUids = {1001};
    account.host = QStringLiteral("laptop");
    auto r = gateRequest(g, account, enginetest::kT0);
    QVERIFY2(r, qPrintable(r.errorString()));
    QCOMPARE(r->id, std::string("review"));
    QCOMPARE(r->task.value_or(""), std::string("review"));
    QCOMPARE(r->defaultOption().name, std::string("reject"));
    QCOMPARE(r->timeoutOption(), std::string("reject"));
    QVERIFY(r->deadline.has_value());
    QCOMPARE((*r->deadline - r->createdAt).count(), 90);
    QCOMPARE(r->allowedUids(), std::vector<std::uint32_t>{1001});
    QCOMPARE(r->createdByUid, 1000u);
    QCOMPARE(r->params.size(), std::size_t(3));
    QVERIFY(r->params[0].defaultValue.is_number_float());
    QVERIFY(r->params[1].defaultValue.is_number_integer());
    QCOMPARE(r->params[2].choices.size(), std::size_t(2));
    // Round trip through the file format, as every reader sees it.
    QVERIFY(protocol::parseRequest(protocol::serializeRequest(*r)));

    // A decision's params, every one, as environment text.
    auto d = protocol::makeDecision(*r, "approve", nlohmann::json{{"epochs", 7}}, "", "alice", "h",
                                    "", r->createdAt);
    QVERIFY(d);
    const auto params = decisionParams(*r, *d);
    QCOMPARE(params.value(QStringLiteral("epochs")), QStringLiteral("7"));
    QCOMPARE(params.value(QStringLiteral("lr")), QStringLiteral("0.01"));
    QCOMPARE(params.value(QStringLiteral("mode")), QStringLiteral("fast"));

    // A gate the protocol cannot carry is refused with its name.
    g.gate.options.clear();
    auto bad = gateRequest(g, account, enginetest::kT0);
    QVERIFY(!bad);
    QVERIFY2(bad.errorString().contains(QStringLiteral("review")), qPrintable(bad.errorString()));
    // Approvers and uids must pair up.
    account.approverUids.clear();
    QVERIFY(!gateRequest(*wf.task(QStringLiteral("review")), account, enginetest::kT0));
    QCOMPARE(gateSite(wf, *wf.task(QStringLiteral("review"))), kSite);
}

void TestEngineGate::approveRunsEnabledBranch()
{
    Engine *engine = startEngine(workflow());
    QSignalSpy finished(engine, &Engine::runFinished);
    QSignalSpy changes(engine, &Engine::taskStateChanged);
    QSignalSpy stopped(engine, &Engine::stopped);
    QVERIFY2(waitForGate(), "the gate was not posted");
    // Posted only once prep was done, as a checkpoint like any other.
    QCOMPARE(engine->states().value(QStringLiteral("prep")).state, TaskState::Done);
    QCOMPARE(engine->states().value(QStringLiteral("train")).attempt, 0);
    const auto cp = m_supervisor->checkpoint(kSite, m_runId, QStringLiteral("review"));
    QCOMPARE(cp->title, QStringLiteral("Go on?"));
    QCOMPARE(cp->body, QStringLiteral("Look at **prep** first."));
    QCOMPARE(cp->options.size(), 2);
    QCOMPARE(cp->defaultOption(), QStringLiteral("approve"));
    QVERIFY(!QFile::exists(taskDir(QStringLiteral("train"))));

    decide(QStringLiteral("approve"), QJsonObject{{QStringLiteral("lr"), 0.5}});
    QVERIFY2(finished.wait(60000) || finished.size() == 1, "the run did not finish");
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("done"));

    // train ran with the decided param; report was skipped, with its marker
    // and no process.
    QCOMPARE(readAll(runDir() + QStringLiteral("/train-env.txt")),
             QByteArray("VIGIL_PARAM_LR=0.5\n"));
    QVERIFY(!QFile::exists(runDir() + QStringLiteral("/report.txt")));
    const QByteArray marker =
        readAll(taskDir(QStringLiteral("report")) + QStringLiteral("/report.skipped"));
    QVERIFY2(marker.contains("skipped by gate review option approve"), marker.constData());
    QVERIFY(QDir(taskDir(QStringLiteral("report")))
                .entryList({QStringLiteral("attempt-*.pid")}, QDir::Files)
                .isEmpty());
    QCOMPARE(lines(runDir() + QStringLiteral("/prep-starts.txt")), 1);

    // The summary other desktops read, and the record.
    QTRY_COMPARE(stateOf(summary(), QStringLiteral("train")), QStringLiteral("done"));
    const RunSummary s = summary();
    QCOMPARE(s.finished, QStringLiteral("done"));
    QCOMPARE(stateOf(s, QStringLiteral("report")), QStringLiteral("skipped"));
    QCOMPARE(stateOf(s, QStringLiteral("review")), QStringLiteral("done"));
    QCOMPARE(stateOf(s, QStringLiteral("prep")), QStringLiteral("done"));
    const RunRecord r = record();
    QCOMPARE(r.finished, QStringLiteral("done"));
    // Finished: the engine lets the lease go.
    const auto released = [this] {
        auto lease = parseLease(readAll(runDir() + QStringLiteral("/engine.lease")),
                                QStringLiteral("engine.lease"));
        return lease && lease->released;
    };
    // stopped() says so once the release is written, and only once.
    QTRY_COMPARE(stopped.count(), 1);
    QVERIFY(released());
    QVERIFY(!engine->isRunning());
    QVERIFY(!engine->isReleasing());
    QCOMPARE(r.tasks.value(QStringLiteral("train")).attempts.size(), 1);
    QCOMPARE(r.tasks.value(QStringLiteral("prep")).attempts.size(), 1);
    QVERIFY(r.tasks.value(QStringLiteral("report")).attempts.isEmpty());
    QVERIFY(!r.tasks.value(QStringLiteral("report")).skipReason.isEmpty());

    // State changes were said, with their times.
    bool sawWaiting = false;
    for (const auto &c : std::as_const(changes))
        if (c.at(0).toString() == QLatin1String("review") &&
            c.at(1).value<TaskState>() == TaskState::WaitingForHuman)
            sawWaiting = c.at(2).toDateTime().isValid();
    QVERIFY(sawWaiting);
}

void TestEngineGate::rejectRunsTheOther()
{
    Engine *engine = startEngine(workflow());
    QSignalSpy finished(engine, &Engine::runFinished);
    QVERIFY2(waitForGate(), "the gate was not posted");
    decide(QStringLiteral("reject"));
    QVERIFY2(finished.wait(60000) || finished.size() == 1, "the run did not finish");
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("done"));
    QCOMPARE(readAll(runDir() + QStringLiteral("/report.txt")), QByteArray("reported\n"));
    QVERIFY(!QFile::exists(runDir() + QStringLiteral("/train-env.txt")));
    const QByteArray marker =
        readAll(taskDir(QStringLiteral("train")) + QStringLiteral("/train.skipped"));
    QVERIFY2(marker.contains("skipped by gate review option reject"), marker.constData());
    QCOMPARE(engine->states().value(QStringLiteral("train")).state, TaskState::Skipped);
    QCOMPARE(engine->states().value(QStringLiteral("report")).state, TaskState::Done);
}

void TestEngineGate::deadlineDefaultTaken()
{
    Engine *engine = startEngine(workflow(2));
    QSignalSpy finished(engine, &Engine::runFinished);
    QVERIFY2(waitForGate(), "the gate was not posted");
    // Nobody decides: after 2 s the engine takes the default (approve, lr at
    // its default) and marks it as one.
    QVERIFY2(finished.wait(60000) || finished.size() == 1, "the run did not finish");
    const QString decisionPath = runDir() + QStringLiteral("/checkpoints/review/decision.json");
    auto decision = protocol::parseDecision(readAll(decisionPath).toStdString());
    QVERIFY2(decision, decision.errorString().c_str());
    QVERIFY(decision->kind == protocol::DecisionKind::TimeoutDefault);
    QCOMPARE(QString::fromStdString(decision->option), QStringLiteral("approve"));
    QVERIFY(
        QString::fromStdString(decision->comment).contains(QStringLiteral("taken by the engine")));
    QCOMPARE(readAll(runDir() + QStringLiteral("/train-env.txt")),
             QByteArray("VIGIL_PARAM_LR=0.01\n"));
    const TaskStatus review = engine->states().value(QStringLiteral("review"));
    QCOMPARE(review.state, TaskState::Done);
    QVERIFY2(review.reason.contains(QStringLiteral("taken by default")), qPrintable(review.reason));
    QVERIFY(QFile::exists(taskDir(QStringLiteral("report")) + QStringLiteral("/report.skipped")));
}

void TestEngineGate::restartResumesWithoutResubmitting()
{
    Engine *first = startEngine(workflow());
    QVERIFY2(waitForGate(), "the gate was not posted");
    const QString prepJob = first->record().tasks.value(QStringLiteral("prep")).current()->jobId;
    QVERIFY(!prepJob.isEmpty());
    // The engine goes away without releasing its lease (as a crash would).
    m_engine.reset();

    Engine *second = startEngine(workflow());
    QSignalSpy finished(second, &Engine::runFinished);
    QSignalSpy acquired(second, &Engine::leaseAcquired);
    // It read the record at once: prep is its job already.
    QTRY_VERIFY(second->record().tasks.contains(QStringLiteral("prep")));
    QCOMPARE(second->record().tasks.value(QStringLiteral("prep")).current()->jobId, prepJob);
    QVERIFY2(acquired.wait(10000) || acquired.size() == 1, "the stale lease was not taken over");
    decide(QStringLiteral("approve"));
    QVERIFY2(finished.wait(60000) || finished.size() == 1, "the run did not finish");
    QCOMPARE(lines(runDir() + QStringLiteral("/prep-starts.txt")), 1);
    QCOMPARE(record().tasks.value(QStringLiteral("prep")).attempts.size(), 1);
    QCOMPARE(record().tasks.value(QStringLiteral("prep")).current()->jobId, prepJob);
    QVERIFY(!QFile::exists(taskDir(QStringLiteral("prep")) + QStringLiteral("/attempt-2.pid")));
    QCOMPARE(readAll(runDir() + QStringLiteral("/train-env.txt")),
             QByteArray("VIGIL_PARAM_LR=0.01\n"));
}

// The engine crashed between starting prep and writing anything about it
// (its record and submission.json are gone, and prep has not reported yet,
// like a job still queued): the next engine finds the attempt on the site
// and adopts it rather than starting prep again.
void TestEngineGate::lostRecordAdoptsTheJob()
{
    Engine *first = startEngine(workflow(0, 8));
    QTRY_VERIFY_WITH_TIMEOUT(first->record().tasks.contains(QStringLiteral("prep")), 20000);
    const QString prepJob = first->record().tasks.value(QStringLiteral("prep")).current()->jobId;
    QTRY_VERIFY(QFile::exists(taskDir(QStringLiteral("prep")) + QStringLiteral("/state.json")));
    m_engine.reset();
    for (const QString &f :
         QStringList{runDir() + QLatin1Char('/') + QLatin1String(kRecordFile),
                     taskDir(QStringLiteral("prep")) + QStringLiteral("/submission.json"),
                     taskDir(QStringLiteral("prep")) + QStringLiteral("/state.json")})
        QVERIFY2(QFile::remove(f) || !QFile::exists(f), qPrintable(f));

    Engine *second = startEngine(workflow(0, 8));
    QSignalSpy done(second, &Engine::actionDone);
    QTRY_VERIFY_WITH_TIMEOUT(second->record().tasks.contains(QStringLiteral("prep")), 20000);
    QCOMPARE(second->record().tasks.value(QStringLiteral("prep")).current()->jobId, prepJob);
    auto adopted = [&done] {
        for (const auto &d : std::as_const(done))
            if (d.at(0).toString().startsWith(QLatin1String("submit prep#1")) &&
                d.at(1).toString().contains(QLatin1String("adopted")))
                return true;
        return false;
    };
    QTRY_VERIFY(adopted());
    QVERIFY2(waitForGate(), "the gate was not posted");
    QCOMPARE(lines(runDir() + QStringLiteral("/prep-starts.txt")), 1);
    QVERIFY(!QFile::exists(taskDir(QStringLiteral("prep")) + QStringLiteral("/attempt-2.pid")));
}

QTEST_GUILESS_MAIN(TestEngineGate)
#include "tst_engine_gate.moc"
