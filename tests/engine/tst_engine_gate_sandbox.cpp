// SPDX-License-Identifier: GPL-3.0-or-later
// The executor on the sandbox cluster (real sshd, SLURM with slurmdbd), no
// mocks: prep -> gate "review" -> train (approve) | report (reject), every
// job on SLURM. The engine submits prep, posts the gate once prep is done,
// an approval (with a param) is written through the Supervisor like any
// decision; the engine then submits train with the param in its environment
// and skips report: train runs on SLURM and completes, report has its skip
// marker and no job at all (neither squeue nor sacct knows one). Another run
// of the same chain, whose gate nobody decides before its deadline: the
// engine takes the default (reject), marked as such; report runs on SLURM
// and train is skipped.
#include "engine/engine.h"
#include "engine/runrecordio.h"
#include "enginetestutil.h"
#include "sites/site.h"
#include "supervisor.h"

#include <QJsonObject>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <memory>

using namespace vigil;
using namespace vigil::engine;
using namespace vigil::enginetest;
using namespace vigil::test;

namespace {

const QString kSite = QStringLiteral("cluster");

TaskSpec shellTask(const QString &name, const QStringList &after, const QString &script)
{
    TaskSpec t = job(name, kSite, after);
    t.command = {QStringLiteral("/bin/sh"), QStringLiteral("-c"), script};
    t.resources.time = QStringLiteral("00:05:00");
    return t;
}

} // namespace

class TestEngineGateSandbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void approveOnSlurm();
    void timeoutDefaultOnSlurm();

private:
    // A new run directory, as the launcher makes it; sets m_runId.
    void newRun();
    // An engine started on m_runId, with what it says.
    struct Running
    {
        std::unique_ptr<Engine> engine;
        QSignalSpy finished;
        QStringList failures;
        explicit Running(std::unique_ptr<Engine> e)
            : engine(std::move(e)), finished(engine.get(), &Engine::runFinished)
        {}
    };
    std::unique_ptr<Running> startEngine(const Workflow &workflow)
    {
        EngineOptions options;
        options.workflow = workflow;
        options.lease.heartbeat = std::chrono::seconds(4);
        auto run = std::make_unique<Running>(
            std::make_unique<Engine>(m_supervisor.get(), m_runId, options));
        QStringList *failures = &run->failures;
        connect(run->engine.get(), &Engine::actionFailed, this,
                [failures](const QString &, const QString &error) { *failures << error; });
        run->engine->start();
        return run;
    }
    Result<QByteArray> read(const QString &path)
    {
        return await<QByteArray>([&](QObject *c, Callback<QByteArray> cb) {
            m_site->transport()->readFile(path, 0, 1 << 20, c, [cb](Result<FileChunk> r) {
                if (r)
                    cb(r->data);
                else
                    cb(r.error());
            });
        });
    }
    Result<QList<JobInfo>> jobsOf(const QString &task)
    {
        const QString dir = m_site->runDirectory(m_runId);
        const JobLookup lookup{m_runId, task, dir, dir + QStringLiteral("/tasks/") + task,
                               QDateTime::currentDateTimeUtc().addDays(-1)};
        return await<QList<JobInfo>>(
            [&](QObject *c, Callback<QList<JobInfo>> cb) { m_site->findTaskJobs(lookup, c, cb); });
    }

    SandboxEnv m_env;
    std::unique_ptr<Supervisor> m_supervisor;
    Site *m_site = nullptr;
    Workflow m_workflow;
    QString m_runId;
    QString m_helper; // vigil-job on the site
};

void TestEngineGateSandbox::initTestCase()
{
    m_env = SandboxEnv::load();
    QVERIFY2(m_env.ok(), qPrintable(m_env.error));
    SupervisorOptions options;
    options.sshConfigFile = m_env.sshConfig;
    options.hostKeyPolicy = HostKeyPolicy::Strict;
    options.pollSeconds = 2;
    m_supervisor = std::make_unique<Supervisor>(options);

    SiteSpec spec = site(kSite, SiteSpec::Kind::Slurm);
    spec.host = m_env.hostAlias;
    spec.partition = m_env.value(QStringLiteral("VIGIL_SANDBOX_PARTITION"));
    spec.runRoot = QStringLiteral("vigil-test-engine-gate");
    m_workflow.name = QStringLiteral("gate-on-slurm");
    m_workflow.sites << spec;
    m_workflow.tasks << shellTask(QStringLiteral("prep"), {},
                                  QStringLiteral("echo started >> prep-starts.txt"));
    TaskSpec review =
        gate(QStringLiteral("review"), {QStringLiteral("prep")},
             {QStringLiteral("approve:train/report"), QStringLiteral("reject:report/train")});
    ParamSpec lr;
    lr.name = QStringLiteral("lr");
    lr.type = ParamSpec::Type::Number;
    lr.defaultValue = QStringLiteral("0.01");
    review.gate.params << lr;
    m_workflow.tasks << review;
    m_workflow.tasks << shellTask(
        QStringLiteral("train"), {QStringLiteral("review")},
        QStringLiteral("env | grep '^VIGIL_PARAM_' | sort > train-env.txt; "
                       "echo \"$SLURM_JOB_ID\" > train-job.txt"));
    m_workflow.tasks << shellTask(QStringLiteral("report"), {QStringLiteral("review")},
                                  QStringLiteral("echo reported > report.txt"));

    m_site = m_supervisor->addSite(spec);
    auto up = await<void>([&](QObject *c, Callback<void> cb) { m_site->whenConnected(c, cb); });
    QVERIFY2(up, qPrintable(up.errorString()));
    auto helper = await<QString>(
        [&](QObject *c, Callback<QString> cb) { m_site->ensureHelper(c, cb); }, 60000);
    QVERIFY2(helper, qPrintable(helper.errorString()));
    m_helper = *helper;
    auto mk = await<void>([&](QObject *c, Callback<void> cb) {
        m_site->transport()->makeDirectories(m_site->runRoot(), 0700, c, cb);
    });
    QVERIFY2(mk, qPrintable(mk.errorString()));
    m_supervisor->start();
}

void TestEngineGateSandbox::newRun()
{
    m_runId = QStringLiteral("gate-") +
              QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-")) +
              QString::number(QRandomGenerator::global()->bounded(0x10000), 16);
    auto init = await<ExecResult>([&](QObject *c, Callback<ExecResult> cb) {
        m_site->transport()->exec({m_helper, QStringLiteral("init-run"),
                                   QStringLiteral("--run-dir"), m_site->runDirectory(m_runId),
                                   QStringLiteral("--run-id"), m_runId,
                                   QStringLiteral("--workflow-name"), m_workflow.name},
                                  {}, c, cb);
    });
    QVERIFY2(init && init->exitCode == 0, init ? init->err.constData() : "exec failed");
}

void TestEngineGateSandbox::cleanupTestCase()
{
    m_supervisor.reset();
}

void TestEngineGateSandbox::approveOnSlurm()
{
    newRun();
    auto run = startEngine(m_workflow);
    Engine &engine = *run->engine;
    QSignalSpy &finished = run->finished;
    const QStringList &failures = run->failures;

    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     const auto cp =
                         m_supervisor->checkpoint(kSite, m_runId, QStringLiteral("review"));
                     return cp && cp->status == CheckpointInfo::Status::Pending;
                 },
                 90000),
             qPrintable(QStringLiteral("the gate was not posted; failures: ") +
                        failures.join(QStringLiteral("; "))));
    QCOMPARE(engine.states().value(QStringLiteral("prep")).state, TaskState::Done);
    const QString prepJob = engine.record().tasks.value(QStringLiteral("prep")).current()->jobId;

    DecisionInput in;
    in.site = kSite;
    in.runId = m_runId;
    in.checkpointId = QStringLiteral("review");
    in.option = QStringLiteral("approve");
    in.params = QJsonObject{{QStringLiteral("lr"), 0.25}};
    auto decided = await<DecisionOutcome>(
        [&](QObject *c, Callback<DecisionOutcome> cb) { m_supervisor->decide(in, c, cb); });
    QVERIFY2(decided, qPrintable(decided.errorString()));

    QVERIFY2(finished.wait(120000) || finished.size() == 1,
             qPrintable(QStringLiteral("the run did not finish; failures: ") +
                        failures.join(QStringLiteral("; "))));
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("done"));

    const QString dir = m_site->runDirectory(m_runId);
    // train ran as a SLURM job with the decided param, and completed.
    auto env = read(dir + QStringLiteral("/train-env.txt"));
    QVERIFY2(env, qPrintable(env.errorString()));
    QCOMPARE(*env, QByteArray("VIGIL_PARAM_LR=0.25\n"));
    const QString trainJob = engine.record().tasks.value(QStringLiteral("train")).current()->jobId;
    auto slurmId = read(dir + QStringLiteral("/train-job.txt"));
    QVERIFY(slurmId);
    QCOMPARE(QString::fromUtf8(*slurmId).trimmed(), trainJob);
    // (slurmdbd records a finished job a moment after it left the queue)
    const auto completedJobs = [this](const QString &task) {
        auto jobs = jobsOf(task);
        QStringList out;
        for (const JobInfo &j : jobs ? *jobs : QList<JobInfo>())
            out << j.submittedId() + QLatin1Char('=') + j.state;
        return out;
    };
    QTRY_COMPARE_WITH_TIMEOUT(completedJobs(QStringLiteral("train")),
                              QStringList{trainJob + QStringLiteral("=COMPLETED")}, 20000);
    QCOMPARE(engine.states().value(QStringLiteral("train")).state, TaskState::Done);

    // report: skipped, with its marker, and no job anywhere.
    auto marker = read(dir + QStringLiteral("/tasks/report/report.skipped"));
    QVERIFY2(marker, qPrintable(marker.errorString()));
    QVERIFY2(marker->contains("skipped by gate review option approve"), marker->constData());
    auto reportJobs = jobsOf(QStringLiteral("report"));
    QVERIFY2(reportJobs, qPrintable(reportJobs.errorString()));
    QVERIFY(reportJobs->isEmpty());
    QVERIFY(!read(dir + QStringLiteral("/report.txt")));

    // prep ran once; the record and the summary on the cluster say it all.
    QTRY_COMPARE_WITH_TIMEOUT(completedJobs(QStringLiteral("prep")),
                              QStringList{prepJob + QStringLiteral("=COMPLETED")}, 20000);
    auto starts = read(dir + QStringLiteral("/prep-starts.txt"));
    QVERIFY(starts);
    QCOMPARE(starts->count('\n'), 1);
    auto recordBytes = read(dir + QLatin1Char('/') + QLatin1String(kRecordFile));
    QVERIFY(recordBytes);
    auto record = parseRunRecord(*recordBytes, QLatin1String(kRecordFile));
    QVERIFY2(record, qPrintable(record.errorString()));
    QCOMPARE(record->finished, QStringLiteral("done"));
    QCOMPARE(record->tasks.value(QStringLiteral("train")).current()->jobId, trainJob);
    QVERIFY(record->tasks.value(QStringLiteral("report")).attempts.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(read(dir + QLatin1Char('/') + QLatin1String(kSummaryFile)), 10000);
    auto summary = parseRunSummary(*read(dir + QLatin1Char('/') + QLatin1String(kSummaryFile)),
                                   QLatin1String(kSummaryFile));
    QVERIFY2(summary, qPrintable(summary.errorString()));
    QCOMPARE(summary->finished, QStringLiteral("done"));
    QVERIFY(failures.isEmpty());
}

void TestEngineGateSandbox::timeoutDefaultOnSlurm()
{
    newRun();
    Workflow wf = m_workflow;
    for (TaskSpec &t : wf.tasks) {
        if (t.name != QLatin1String("review"))
            continue;
        t.gate.deadline = QStringLiteral("3s");
        t.gate.deadlineSeconds = 3;
        t.gate.defaultOption = QStringLiteral("reject");
    }
    auto run = startEngine(wf);
    Engine &engine = *run->engine;
    QSignalSpy &finished = run->finished;
    const QStringList &failures = run->failures;

    // Nobody decides: the default is taken after the deadline, and says so.
    QVERIFY2(finished.wait(120000) || finished.size() == 1,
             qPrintable(QStringLiteral("the run did not finish; failures: ") +
                        failures.join(QStringLiteral("; "))));
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("done"));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const auto cp = m_supervisor->checkpoint(kSite, m_runId, QStringLiteral("review"));
            return cp && cp->status != CheckpointInfo::Status::Pending;
        }(),
        20000);
    const auto cp = m_supervisor->checkpoint(kSite, m_runId, QStringLiteral("review"));
    QCOMPARE(cp->decidedOption, QStringLiteral("reject"));
    QCOMPARE(cp->decisionKind, QStringLiteral("timeout-default"));
    QVERIFY(cp->decidedAt >= cp->createdAt.addSecs(3));

    const QString dir = m_site->runDirectory(m_runId);
    auto report = read(dir + QStringLiteral("/report.txt"));
    QVERIFY2(report, qPrintable(report.errorString()));
    QCOMPARE(*report, QByteArray("reported\n"));
    auto marker = read(dir + QStringLiteral("/tasks/train/train.skipped"));
    QVERIFY2(marker, qPrintable(marker.errorString()));
    QVERIFY2(marker->contains("skipped by gate review option reject"), marker->constData());
    QVERIFY(!read(dir + QStringLiteral("/train-env.txt")));
    const QString reportJob =
        engine.record().tasks.value(QStringLiteral("report")).current()->jobId;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            auto jobs = jobsOf(QStringLiteral("report"));
            return jobs && jobs->size() == 1 && jobs->first().submittedId() == reportJob &&
                   jobs->first().state == QLatin1String("COMPLETED");
        }(),
        20000);
    QVERIFY(failures.isEmpty());
}

QTEST_GUILESS_MAIN(TestEngineGateSandbox)
#include "tst_engine_gate_sandbox.moc"
