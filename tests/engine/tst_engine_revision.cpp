// SPDX-License-Identifier: GPL-3.0-or-later
// Run-time changes applied by the executor on the local machine (a process
// site, real vigil-job, real processes, a real Supervisor): prep -> train ->
// report. While train runs, revision 2 adds `evaluate` after train and
// changes report's environment: the engine takes it at its next cycle,
// evaluate runs after train, report runs with the new value, train is not
// submitted again. Revision 3 (written by hand, as a stale desktop could)
// changes the running train and adds a task: it is refused whole, and
// nothing of it ever applies. A restarted engine goes on with revision 2.
// A revision that comes with a gate's decision (vigilctl decide --revise)
// waits while the gate does, is taken before the decision acts when that
// decision holds the gate, and is refused when another one does.
#include "../common/testfiles.h"
#include "../common/vigiljob.h"
#include "engine/engine.h"
#include "engine/revision.h"
#include "engine/runrecordio.h"
#include "enginetestutil.h"
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

using vigil::test::readAll;

namespace {

const QString kSite = QStringLiteral("here");

// Waits until the engine says `task` is in `state`.
bool reaches(const Engine *engine, const QString &task, TaskState state)
{
    return QTest::qWaitFor([&] { return engine->states().value(task).state == state; }, 30000);
}

TaskSpec shellTask(const QString &name, const QStringList &after, const QString &script)
{
    TaskSpec t = enginetest::job(name, kSite, after);
    t.command = {QStringLiteral("/bin/sh"), QStringLiteral("-c"), script};
    return t;
}

} // namespace

class TestEngineRevision : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void addTaskAndChangeEnvWhileTrainRuns();
    void revisionThatComesWithADecision_data();
    void revisionThatComesWithADecision();

private:
    Workflow noTasks() const; // the name and the local site
    Workflow workflow() const;
    Engine *startEngine(const Workflow &wf);
    QString runDir() const { return m_root->filePath(QStringLiteral("revised")); }
    // With a checkpoint and a decision id: a revision that comes with that decision.
    Result<int> propose(const Workflow &base, int baseRevision, const Workflow &proposed,
                        const QString &checkpoint = QString(),
                        const QString &decisionId = QString());

    std::unique_ptr<QTemporaryDir> m_root;
    std::unique_ptr<Supervisor> m_supervisor;
    std::unique_ptr<Engine> m_engine;
    QStringList m_problems;
};

Workflow TestEngineRevision::noTasks() const
{
    Workflow wf;
    wf.name = QStringLiteral("revised");
    SiteSpec here = enginetest::site(kSite, SiteSpec::Kind::Local);
    here.runRoot = m_root->path();
    wf.sites << here;
    return wf;
}

Workflow TestEngineRevision::workflow() const
{
    Workflow wf = noTasks();
    wf.tasks << shellTask(QStringLiteral("prep"), {}, QStringLiteral("sleep 1"));
    // train runs long enough for two revisions to arrive meanwhile.
    wf.tasks << shellTask(QStringLiteral("train"), {QStringLiteral("prep")},
                          QStringLiteral("echo started >> train-starts.txt; sleep 8"));
    TaskSpec report = shellTask(QStringLiteral("report"), {QStringLiteral("train")},
                                QStringLiteral("echo \"$MODE\" > report-mode.txt"));
    report.environment.insert(QStringLiteral("MODE"), QStringLiteral("long"));
    wf.tasks << report;
    return wf;
}

void TestEngineRevision::init()
{
    m_root = std::make_unique<QTemporaryDir>();
    QVERIFY(m_root->isValid());
    m_problems.clear();
    SupervisorOptions options;
    options.pollSeconds = 1;
    m_supervisor = std::make_unique<Supervisor>(options);
    m_supervisor->addSite(workflow().sites.first());
    vigil::test::runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), runDir(),
                              QStringLiteral("--run-id"), QStringLiteral("revised"),
                              QStringLiteral("--workflow-name"), QStringLiteral("revised")});
    QVERIFY(QFile::exists(runDir() + QStringLiteral("/run.json")));
    m_supervisor->start();
}

void TestEngineRevision::cleanup()
{
    m_engine.reset();
    // As in tst_engine_gate: stop the local watch while its thread runs.
    if (Site *site = m_supervisor->site(kSite)) {
        for (StreamId id = 1; id <= 4; ++id)
            site->transport()->stopStream(id);
        QTest::qWait(300);
    }
    m_supervisor.reset();
    m_root.reset();
}

Engine *TestEngineRevision::startEngine(const Workflow &wf)
{
    EngineOptions options;
    options.workflow = wf;
    options.lease.heartbeat = std::chrono::milliseconds(1000);
    options.lease.holder = QStringLiteral("engine@test");
    m_engine = std::make_unique<Engine>(m_supervisor.get(), QStringLiteral("revised"), options);
    connect(m_engine.get(), &Engine::actionFailed, this,
            [](const QString &action, const QString &error) { qWarning() << action << error; });
    connect(m_engine.get(), &Engine::problem, this,
            [this](const QString &message) { m_problems << message; });
    m_engine->start();
    return m_engine.get();
}

Result<int> TestEngineRevision::propose(const Workflow &base, int baseRevision,
                                        const Workflow &proposed, const QString &checkpoint,
                                        const QString &decisionId)
{
    RevisionProposal p;
    p.base = base;
    p.baseRevision = baseRevision;
    p.proposed = proposed;
    p.states = m_engine->states();
    p.author = QStringLiteral("tester");
    p.host = QStringLiteral("here");
    p.comment = QStringLiteral("evaluate as well; a short report");
    p.at = QDateTime::currentDateTimeUtc();
    p.checkpoint = checkpoint;
    p.decisionId = decisionId;
    Transport *t = m_supervisor->site(kSite)->transport();
    return enginetest::await<int>(
        [&](QObject *c, Callback<int> cb) { proposeRevision(t, runDir(), p, c, cb); });
}

void TestEngineRevision::addTaskAndChangeEnvWhileTrainRuns()
{
    const Workflow v1 = workflow();
    Engine *engine = startEngine(v1);
    QSignalSpy applied(engine, &Engine::revisionApplied);
    QSignalSpy refused(engine, &Engine::revisionRefused);
    QSignalSpy finished(engine, &Engine::runFinished);
    QVERIFY2(reaches(engine, QStringLiteral("train"), TaskState::Running), "train did not start");

    // Revision 2: evaluate after train; report's MODE changed.
    Workflow v2 = v1;
    v2.tasks << shellTask(QStringLiteral("evaluate"), {QStringLiteral("train")},
                          QStringLiteral("echo evaluated >> evaluate.txt"));
    v2.tasks[2].environment[QStringLiteral("MODE")] = QStringLiteral("short");
    auto two = propose(v1, 1, v2);
    QVERIFY2(two, qPrintable(two.errorString()));
    QCOMPARE(*two, 2);
    QVERIFY2(applied.wait(20000) || applied.size() == 1, "revision 2 was not applied");
    QCOMPARE(applied.first().at(0).toInt(), 2);
    QCOMPARE(applied.first().at(1).toString(),
             QStringLiteral("~ report.environment.MODE: long -> short\n"
                            "+ task evaluate (after train)"));
    QCOMPARE(engine->revision(), 2);
    QCOMPARE(engine->workflow(), v2);
    // Taken while train still ran.
    QCOMPARE(engine->states().value(QStringLiteral("train")).state, TaskState::Running);
    QCOMPARE(engine->states().value(QStringLiteral("evaluate")).state, TaskState::Pending);

    // Revision 3 changes the running train and adds a task: a proposer
    // refuses it, and so does the engine when it is written by hand.
    Workflow v3 = v2;
    v3.tasks[1].command = {QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                           QStringLiteral("echo changed >> train-starts.txt")};
    v3.tasks << shellTask(QStringLiteral("extra"), {QStringLiteral("train")},
                          QStringLiteral("echo extra > extra.txt"));
    auto three = propose(v2, 2, v3);
    QVERIFY(!three);
    QVERIFY2(three.errorString().contains(QStringLiteral("train: submitted as job")),
             qPrintable(three.errorString()));
    {
        QFile f(runDir() + QStringLiteral("/revisions/0003.toml"));
        QVERIFY(f.open(QIODevice::NewOnly));
        f.write(workflowToToml(v3));
    }
    QVERIFY2(refused.wait(20000) || refused.size() == 1, "revision 3 was not refused");
    QCOMPARE(refused.first().at(0).toInt(), 3);
    const QString why = refused.first().at(1).toString();
    QVERIFY2(why.startsWith(QStringLiteral("train: submitted as job ")), qPrintable(why));
    QVERIFY2(why.contains(QStringLiteral("(running); a run-time change cannot alter it (command)")),
             qPrintable(why));
    QVERIFY(std::any_of(m_problems.cbegin(), m_problems.cend(), [](const QString &p) {
        return p.contains(QStringLiteral("revision 3 is refused, nothing of it applies"));
    }));
    QCOMPARE(engine->revision(), 2);
    QCOMPARE(engine->workflow(), v2);

    QVERIFY2(finished.wait(60000) || finished.size() == 1, "the run did not finish");
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("done"));
    // train ran once, as it was; evaluate ran after it; report with the new
    // value; nothing of revision 3.
    QCOMPARE(readAll(runDir() + QStringLiteral("/train-starts.txt")), QByteArray("started\n"));
    QCOMPARE(readAll(runDir() + QStringLiteral("/evaluate.txt")), QByteArray("evaluated\n"));
    QCOMPARE(readAll(runDir() + QStringLiteral("/report-mode.txt")), QByteArray("short\n"));
    QVERIFY(!QFile::exists(runDir() + QStringLiteral("/extra.txt")));
    QVERIFY(!QFile::exists(runDir() + QStringLiteral("/tasks/extra")));
    const auto record =
        parseRunRecord(readAll(runDir() + QLatin1Char('/') + QLatin1String(kRecordFile)),
                       QStringLiteral("record"));
    QVERIFY2(record, qPrintable(record.errorString()));
    QCOMPARE(record->revision, 2);
    QCOMPARE(record->refusedRevisions, QList<int>{3});
    QCOMPARE(record->tasks.value(QStringLiteral("train")).attempts.size(), 1);
    QCOMPARE(record->tasks.value(QStringLiteral("evaluate")).attempts.size(), 1);
    QVERIFY(!record->tasks.contains(QStringLiteral("extra")));
    // evaluate started after train ended.
    const auto startOf = [&](const QString &task) {
        return QFileInfo(runDir() + QStringLiteral("/tasks/") + task + QStringLiteral("/job-1.sh"))
            .lastModified();
    };
    QVERIFY(startOf(QStringLiteral("evaluate")) > startOf(QStringLiteral("train")).addSecs(7));
    // The published revision and its readable diff.
    const QByteArray diff = readAll(runDir() + QStringLiteral("/revisions/0002.diff"));
    QVERIFY2(diff.startsWith("~ report.environment.MODE: long -> short\n+ task evaluate (after "
                             "train)\n\n--- workflow.toml\n+++ revisions/0002.toml\n"),
             diff.constData());

    // A restarted engine goes on with revision 2 (the run finished: it only
    // reads it back).
    m_engine.reset();
    Engine *again = startEngine(v1);
    QSignalSpy started(again, &Engine::started);
    QVERIFY(started.wait(10000) || started.size() == 1);
    QCOMPARE(again->revision(), 2);
    QCOMPARE(again->workflow(), v2);
}

void TestEngineRevision::revisionThatComesWithADecision_data()
{
    QTest::addColumn<bool>("itsDecisionHolds");
    QTest::addColumn<bool>(
        "waitBetween"); // else decided right after the revision, as vigilctl does
    QTest::newRow("its decision holds") << true << true;
    QTest::newRow("its decision, at once") << true << false;
    QTest::newRow("another decision holds") << false << true;
}

void TestEngineRevision::revisionThatComesWithADecision()
{
    QFETCH(bool, itsDecisionHolds);
    QFETCH(bool, waitBetween);
    Workflow v1 = noTasks();
    v1.tasks << shellTask(QStringLiteral("prep"), {}, QStringLiteral("true"));
    v1.tasks << enginetest::gate(QStringLiteral("review"), {QStringLiteral("prep")},
                                 {QStringLiteral("go:train"), QStringLiteral("stop:/train")});
    v1.tasks << shellTask(QStringLiteral("train"), {QStringLiteral("review")},
                          QStringLiteral("echo trained > train.txt"));
    Engine *engine = startEngine(v1);
    QSignalSpy applied(engine, &Engine::revisionApplied);
    QSignalSpy refused(engine, &Engine::revisionRefused);
    QSignalSpy finished(engine, &Engine::runFinished);
    QVERIFY2(reaches(engine, QStringLiteral("review"), TaskState::WaitingForHuman),
             "the gate was not posted");

    // Revision 2, with the decision about to be taken: train (enabled by
    // that decision) changed, report added after the gate. Taken after the
    // decision acted, it would be refused: train would have been submitted.
    const QString decisionId = QString(32, QLatin1Char('7'));
    Workflow v2 = v1;
    v2.tasks[2].command.last() = QStringLiteral("echo trained-v2 > train.txt");
    v2.tasks << shellTask(QStringLiteral("report"), {QStringLiteral("review")},
                          QStringLiteral("echo reported > report.txt"));
    auto two = propose(v1, 1, v2, QStringLiteral("review"), decisionId);
    QVERIFY2(two, qPrintable(two.errorString()));
    if (waitBetween) {
        // Not taken while the gate waits, and not refused either.
        QTest::qWait(3000);
        QCOMPARE(engine->revision(), 1);
        QCOMPARE(applied.size(), 0);
        QCOMPARE(refused.size(), 0);
    }

    DecisionInput in;
    in.site = kSite;
    in.runId = QStringLiteral("revised");
    in.checkpointId = QStringLiteral("review");
    in.option = QStringLiteral("go");
    if (itsDecisionHolds)
        in.decisionId = decisionId; // else a new one: someone else's decision
    auto out = enginetest::await<DecisionOutcome>(
        [&](QObject *c, Callback<DecisionOutcome> cb) { m_supervisor->decide(in, c, cb); });
    QVERIFY2(out, qPrintable(out.errorString()));
    QVERIFY(out->won);

    QVERIFY2(finished.wait(60000) || finished.size() == 1, "the run did not finish");
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("done"));
    QCOMPARE(readAll(runDir() + QStringLiteral("/train.txt")),
             itsDecisionHolds ? QByteArray("trained-v2\n") : QByteArray("trained\n"));
    if (itsDecisionHolds) {
        QCOMPARE(applied.size(), 1);
        QCOMPARE(applied.first().at(1).toString(),
                 QStringLiteral("~ train.command: /bin/sh -c 'echo trained > train.txt' -> /bin/sh "
                                "-c 'echo trained-v2 > train.txt'\n+ task report (after review)"));
        QCOMPARE(refused.size(), 0);
        QCOMPARE(engine->revision(), 2);
        QCOMPARE(readAll(runDir() + QStringLiteral("/report.txt")), QByteArray("reported\n"));
    } else {
        QCOMPARE(applied.size(), 0);
        QCOMPARE(refused.size(), 1);
        const QString why = refused.first().at(1).toString();
        QVERIFY2(why.startsWith(QStringLiteral("it came with decision %1 on checkpoint review, "
                                               "but ")
                                    .arg(decisionId)) &&
                     why.endsWith(QStringLiteral(" decided first (option go)")),
                 qPrintable(why));
        QCOMPARE(engine->revision(), 1);
        QVERIFY(!QFile::exists(runDir() + QStringLiteral("/report.txt")));
        QVERIFY(!QFile::exists(runDir() + QStringLiteral("/tasks/report")));
    }
}

QTEST_MAIN(TestEngineRevision)
#include "tst_engine_revision.moc"
