// SPDX-License-Identifier: GPL-3.0-or-later
// Run-time changes, row by row: what diffWorkflows() finds and how it reads,
// every change checkRevision() allows and refuses (with the task and why),
// the line diff of the saved files, revisions/NNNN.json, the record's
// revision fields, the planner's skip of a `skip = "..."` task, and
// publishing a revision no-clobber on the local machine.
#include "engine/planner.h"
#include "engine/revision.h"
#include "engine/runrecordio.h"
#include "enginetestutil.h"
#include "local/localtransport.h"
#include "workflow/writer.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::engine;
using namespace vigil::enginetest;

namespace {

// prep -> train -> report on site "c" (SLURM), and a gate "review" after
// prep that enables report (report runs after train and review); train has
// LR=0.1.
Workflow base()
{
    Workflow wf;
    wf.name = QStringLiteral("w");
    wf.sites << site(QStringLiteral("c"), SiteSpec::Kind::Slurm)
             << site(QStringLiteral("spare"), SiteSpec::Kind::Local);
    wf.sites[0].host = QStringLiteral("cluster");
    TaskSpec train = job(QStringLiteral("train"), QStringLiteral("c"), {QStringLiteral("prep")});
    train.environment.insert(QStringLiteral("LR"), QStringLiteral("0.1"));
    wf.tasks << job(QStringLiteral("prep"), QStringLiteral("c")) << train
             << gate(QStringLiteral("review"), {QStringLiteral("prep")},
                     {QStringLiteral("go:report/")})
             << job(QStringLiteral("report"), QStringLiteral("c"),
                    {QStringLiteral("train"), QStringLiteral("review")});
    return wf;
}

// "task=state[#attempt:jobid]" semicolon-separated.
QMap<QString, TaskStatus> states(const QString &spec)
{
    QMap<QString, TaskStatus> out;
    for (const QString &item : spec.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        TaskStatus s;
        s.task = item.section(QLatin1Char('='), 0, 0);
        const QString rest = item.section(QLatin1Char('='), 1);
        const QString state = rest.section(QLatin1Char('#'), 0, 0);
        for (auto st :
             {TaskState::Pending, TaskState::Held, TaskState::Running, TaskState::WaitingForHuman,
              TaskState::Done, TaskState::Failed, TaskState::Cancelled, TaskState::Skipped})
            if (taskStateName(st) == state)
                s.state = st;
        if (rest.contains(QLatin1Char('#'))) {
            s.attempt = rest.section(QLatin1Char('#'), 1).section(QLatin1Char(':'), 0, 0).toInt();
            s.jobId = rest.section(QLatin1Char(':'), 1);
            s.jobActive = s.state == TaskState::Pending || s.state == TaskState::Running ||
                          s.state == TaskState::Held;
        }
        out.insert(s.task, s);
    }
    return out;
}

TaskSpec *task(Workflow &wf, const char *name)
{
    for (TaskSpec &t : wf.tasks)
        if (t.name == QLatin1String(name))
            return &t;
    return nullptr;
}

// The changes a row makes to base(), by name.
Workflow changed(const QString &change)
{
    Workflow wf = base();
    if (change == QLatin1String("add evaluate after train")) {
        wf.tasks << job(QStringLiteral("evaluate"), QStringLiteral("c"), {QStringLiteral("train")});
    } else if (change == QLatin1String("add a chain of two")) {
        wf.tasks << job(QStringLiteral("b2"), QStringLiteral("c"), {QStringLiteral("a2")})
                 << job(QStringLiteral("a2"), QStringLiteral("c"), {QStringLiteral("train")});
    } else if (change == QLatin1String("add a cycle")) {
        wf.tasks << job(QStringLiteral("x"), QStringLiteral("c"), {QStringLiteral("y")})
                 << job(QStringLiteral("y"), QStringLiteral("c"), {QStringLiteral("x")});
    } else if (change == QLatin1String("add after an unknown task")) {
        wf.tasks << job(QStringLiteral("x"), QStringLiteral("c"), {QStringLiteral("nope")});
    } else if (change == QLatin1String("add on a new site")) {
        wf.sites << site(QStringLiteral("edge"), SiteSpec::Kind::Local);
        wf.tasks << job(QStringLiteral("deploy"), QStringLiteral("edge"),
                        {QStringLiteral("train")});
    } else if (change == QLatin1String("add a gate")) {
        wf.tasks << gate(QStringLiteral("check"), {QStringLiteral("train")},
                         {QStringLiteral("ok:")});
    } else if (change == QLatin1String("train LR")) {
        task(wf, "train")->environment[QStringLiteral("LR")] = QStringLiteral("0.05");
    } else if (change == QLatin1String("train command")) {
        task(wf, "train")->command = {QStringLiteral("python3"), QStringLiteral("train.py")};
    } else if (change == QLatin1String("train time")) {
        task(wf, "train")->resources.time = QStringLiteral("01:00:00");
    } else if (change == QLatin1String("report env")) {
        task(wf, "report")->environment[QStringLiteral("MODE")] = QStringLiteral("short");
    } else if (change == QLatin1String("report after prep too")) {
        task(wf, "report")->after << QStringLiteral("prep");
    } else if (change == QLatin1String("review question")) {
        task(wf, "review")->gate.question = QStringLiteral("Really?");
    } else if (change == QLatin1String("skip report")) {
        task(wf, "report")->skip = QStringLiteral("not needed");
    } else if (change == QLatin1String("skip train")) {
        task(wf, "train")->skip = QStringLiteral("enough");
    } else if (change == QLatin1String("skip review")) {
        task(wf, "review")->skip = QStringLiteral("decided by mail");
    } else if (change == QLatin1String("remove report")) {
        wf.tasks.removeLast();
    } else if (change == QLatin1String("site host")) {
        wf.sites[0].host = QStringLiteral("other");
    } else if (change == QLatin1String("unused site")) {
        wf.sites[1].runRoot = QStringLiteral("/tmp/runs");
    } else if (change == QLatin1String("remove unused site")) {
        wf.sites.removeLast();
    } else if (change == QLatin1String("description")) {
        wf.description = QStringLiteral("now with evaluation");
    } else if (change == QLatin1String("train LR and add x")) {
        task(wf, "train")->environment[QStringLiteral("LR")] = QStringLiteral("0.05");
        wf.tasks << job(QStringLiteral("x"), QStringLiteral("c"), {QStringLiteral("train")});
    }
    return wf;
}

} // namespace

class TestRevision : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void diff_data();
    void diff();
    void check_data();
    void check();
    void unskip();
    void lineDiffHunks();
    void revisionTextReads();
    void infoRoundTrip();
    void recordKeepsRevisions();
    void plannerSkipsASkippedTask();
    void skipKeyInTheFormat();
    void proposeNoClobber();
};

void TestRevision::diff_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QStringList>("summary");
    QTest::newRow("nothing") << QString() << QStringList();
    QTest::newRow("task added") << "add evaluate after train"
                                << QStringList{QStringLiteral("+ task evaluate (after train)")};
    QTest::newRow("gate added") << "add a gate"
                                << QStringList{QStringLiteral("+ gate check (after train)")};
    QTest::newRow("site and task added")
        << "add on a new site"
        << QStringList{QStringLiteral("+ site edge (local)"),
                       QStringLiteral("+ task deploy (after train)")};
    QTest::newRow("env changed") << "train LR"
                                 << QStringList{
                                        QStringLiteral("~ train.environment.LR: 0.1 -> 0.05")};
    QTest::newRow("env added") << "report env"
                               << QStringList{QStringLiteral(
                                      "~ report.environment.MODE: (unset) -> short")};
    QTest::newRow("command") << "train command"
                             << QStringList{
                                    QStringLiteral("~ train.command: true -> python3 train.py")};
    QTest::newRow("resources") << "train time"
                               << QStringList{QStringLiteral(
                                      "~ train.resources.time: (unset) -> 01:00:00")};
    QTest::newRow("after") << "report after prep too"
                           << QStringList{QStringLiteral(
                                  "~ report.after: [train, review] -> [train, review, prep]")};
    QTest::newRow("gate question")
        << "review question" << QStringList{QStringLiteral("~ review.question: Go on? -> Really?")};
    QTest::newRow("skip") << "skip report"
                          << QStringList{QStringLiteral("- skip report: not needed")};
    QTest::newRow("removed") << "remove report" << QStringList{QStringLiteral("- task report")};
    QTest::newRow("site changed") << "site host"
                                  << QStringList{QStringLiteral("~ site c.host: cluster -> other")};
    QTest::newRow("site removed") << "remove unused site"
                                  << QStringList{QStringLiteral("- site spare")};
    QTest::newRow("workflow field")
        << "description"
        << QStringList{QStringLiteral("~ workflow.description: (unset) -> now with evaluation")};
}

void TestRevision::diff()
{
    QFETCH(QString, change);
    QFETCH(QStringList, summary);
    QStringList got;
    for (const WorkflowChange &c : diffWorkflows(base(), changed(change)))
        got << describeChange(c);
    QCOMPARE(got, summary);
}

void TestRevision::check_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("observed");
    QTest::addColumn<QString>("refusal"); // empty: allowed; else a part of the error

    const QString trainRuns = QStringLiteral("prep=done#1:100;train=running#1:123");
    // Allowed.
    QTest::newRow("add after a running task") << "add evaluate after train" << trainRuns << "";
    QTest::newRow("add a chain of new tasks") << "add a chain of two" << trainRuns << "";
    QTest::newRow("add on a new site") << "add on a new site" << trainRuns << "";
    QTest::newRow("add a gate") << "add a gate" << trainRuns << "";
    QTest::newRow("env of a task not started") << "report env" << trainRuns << "";
    QTest::newRow("after of a task not started") << "report after prep too" << trainRuns << "";
    QTest::newRow("env before anything ran") << "train LR"
                                             << ""
                                             << "";
    QTest::newRow("resources before submission") << "train time"
                                                 << "prep=running#1:100"
                                                 << "";
    QTest::newRow("gate not posted") << "review question"
                                     << "prep=running#1:100"
                                     << "";
    QTest::newRow("skip a task not started") << "skip report" << trainRuns << "";
    QTest::newRow("skip a queued task") << "skip train"
                                        << "prep=done#1:100;train=pending#1:123"
                                        << "";
    QTest::newRow("skip a held task") << "skip train"
                                      << "prep=done#1:100;train=held#1:123"
                                      << "";
    QTest::newRow("skip a waiting gate") << "skip review"
                                         << "prep=done#1:100;review=waiting-for-human"
                                         << "";
    QTest::newRow("unused site") << "unused site" << trainRuns << "";
    QTest::newRow("remove unused site") << "remove unused site" << trainRuns << "";
    QTest::newRow("workflow description") << "description" << trainRuns << "";
    // Refused.
    QTest::newRow("env of a running task")
        << "train LR" << trainRuns
        << "train: submitted as job 123 (running); a run-time change cannot alter it "
           "(environment.LR)";
    QTest::newRow("command of a queued task")
        << "train command"
        << "prep=done#1:100;train=pending#1:123"
        << "train: submitted as job 123 (pending); a run-time change cannot alter it (command)";
    QTest::newRow("resources of a finished task") << "train time"
                                                  << "prep=done#1:100;train=done#1:123"
                                                  << "train: submitted as job 123 (done)";
    QTest::newRow("posted gate")
        << "review question"
        << "prep=done#1:100;review=waiting-for-human"
        << "review: posted as a checkpoint (waiting-for-human); a run-time change cannot alter "
           "it (question)";
    QTest::newRow("skipped task changed") << "report env"
                                          << "report=skipped"
                                          << "report: skipped; a run-time change cannot alter it";
    QTest::newRow("remove a task") << "remove report" << trainRuns
                                   << "report: a run-time change cannot remove a task; skip it "
                                      "instead";
    QTest::newRow("skip a running task")
        << "skip train" << trainRuns
        << "train: running as job 123; a run-time change does not stop a running job";
    QTest::newRow("skip a finished task") << "skip train"
                                          << "prep=done#1:100;train=done#1:123"
                                          << "train: done already";
    QTest::newRow("site in use") << "site host" << trainRuns
                                 << "site c: in use by the run; a run-time change cannot alter it";
    QTest::newRow("a cycle") << "add a cycle" << trainRuns << "dependency cycle";
    QTest::newRow("after an unknown task")
        << "add after an unknown task" << trainRuns << "runs after \"nope\", which is not a task";
    QTest::newRow("one refused change refuses all")
        << "train LR and add x" << trainRuns << "train: submitted as job 123 (running)";
}

void TestRevision::check()
{
    QFETCH(QString, change);
    QFETCH(QString, observed);
    QFETCH(QString, refusal);
    const auto r = checkRevision(base(), changed(change), states(observed));
    if (refusal.isEmpty()) {
        QVERIFY2(r, qPrintable(r.errorString()));
        return;
    }
    QVERIFY(!r);
    QVERIFY2(r.errorString().contains(refusal), qPrintable(r.errorString()));
}

void TestRevision::unskip()
{
    Workflow skipped = changed(QStringLiteral("skip report"));
    // Not applied yet: the skip may be taken back.
    QVERIFY(checkRevision(skipped, base(), states(QStringLiteral("report=pending"))));
    // Applied by the engine: it stays.
    const auto r = checkRevision(skipped, base(), states(QStringLiteral("report=skipped")));
    QVERIFY(!r);
    QVERIFY2(r.errorString().contains(QStringLiteral("report: skipped already")),
             qPrintable(r.errorString()));
    // Every problem is said, one a line.
    Workflow both = changed(QStringLiteral("train LR"));
    both.tasks[1].skip = QStringLiteral("enough");
    const auto two = checkRevision(base(), both, states(QStringLiteral("train=running#1:5")));
    QVERIFY(!two);
    QCOMPARE(two.errorString().split(QLatin1Char('\n')).size(), 2);
}

void TestRevision::lineDiffHunks()
{
    QCOMPARE(lineDiff("a\nb\n", "a\nb\n", QStringLiteral("x"), QStringLiteral("y")), QString());
    QByteArray before, after;
    for (int i = 1; i <= 20; ++i) {
        before += QByteArray::number(i) + '\n';
        after += (i == 5 ? QByteArray("five") : QByteArray::number(i)) + '\n';
        if (i == 18)
            after += "18b\n";
    }
    const QString d = lineDiff(before, after, QStringLiteral("old"), QStringLiteral("new"));
    QCOMPARE(d, QStringLiteral("--- old\n+++ new\n"
                               "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
                               "@@ -16,5 +16,6 @@\n 16\n 17\n 18\n+18b\n 19\n 20\n"));
    // Changes close together share one hunk.
    const QString one = lineDiff("1\n2\n3\n4\n5\n", "0\n1\n2\n3\n4\n5\n6\n", QStringLiteral("a"),
                                 QStringLiteral("b"));
    QCOMPARE(one, QStringLiteral("--- a\n+++ b\n@@ -1,5 +1,7 @@\n+0\n 1\n 2\n 3\n 4\n 5\n+6\n"));
}

void TestRevision::revisionTextReads()
{
    const QString text =
        revisionText(base(), changed(QStringLiteral("add evaluate after train")), 1, 2);
    QVERIFY2(text.startsWith(QStringLiteral("+ task evaluate (after train)\n\n--- workflow.toml\n"
                                            "+++ revisions/0002.toml\n@@ ")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("+[tasks.evaluate]\n+site = \"c\"\n+after = "
                                          "[\"train\"]\n")),
             qPrintable(text));
    QVERIFY(revisionText(base(), base(), 2, 3).startsWith(QStringLiteral("no change\n\n")));
    QCOMPARE(revisionPath(12, QStringLiteral("json")), QStringLiteral("revisions/0012.json"));
    QList<FileEntry> listing;
    for (const char *name : {"0003.toml", "0002.toml", "0002.diff", "0001.toml", "12.toml",
                             "0004.toml.tmp", "abcd.toml"})
        listing << FileEntry{QString::fromLatin1(name), 1, 0, 0, 0600, false, false};
    listing << FileEntry{QStringLiteral("0005.toml"), 0, 0, 0, 0700, true, false};
    QCOMPARE(publishedRevisions(listing), (QList<int>{2, 3}));
}

void TestRevision::infoRoundTrip()
{
    RevisionInfo info;
    info.revision = 3;
    info.baseRevision = 2;
    info.author = QStringLiteral("alice");
    info.host = QStringLiteral("laptop");
    info.createdAt = kT0;
    info.comment = QStringLiteral("evaluate too");
    info.summary << QStringLiteral("+ task evaluate (after train)");
    auto back = parseRevisionInfo(serializeRevisionInfo(info), QStringLiteral("0003.json"));
    QVERIFY2(back, qPrintable(back.errorString()));
    QCOMPARE(*back, info);
    QByteArray bad = serializeRevisionInfo(info);
    bad.replace("\"base_revision\": 2", "\"base_revision\": 3");
    const auto refused = parseRevisionInfo(bad, QStringLiteral("revisions/0003.json"));
    QVERIFY(!refused);
    QVERIFY2(refused.errorString().startsWith(QStringLiteral("revisions/0003.json: revision 3")),
             qPrintable(refused.errorString()));
    QVERIFY(!parseRevisionInfo("[]", QStringLiteral("f")));

    // A revision that comes with a decision names it; one without says nothing of it.
    QVERIFY(!serializeRevisionInfo(info).contains("with_decision"));
    info.checkpoint = QStringLiteral("gate");
    info.decisionId = QString(32, QLatin1Char('a'));
    back = parseRevisionInfo(serializeRevisionInfo(info), QStringLiteral("0003.json"));
    QVERIFY2(back, qPrintable(back.errorString()));
    QCOMPARE(*back, info);
    QByteArray badId = serializeRevisionInfo(info);
    badId.replace(QByteArray(32, 'a'), "not-an-id");
    const auto refusedId = parseRevisionInfo(badId, QStringLiteral("revisions/0003.json"));
    QVERIFY(!refusedId);
    QVERIFY2(refusedId.errorString().startsWith(
                 QStringLiteral("revisions/0003.json: with_decision: expected")),
             qPrintable(refusedId.errorString()));
}

void TestRevision::recordKeepsRevisions()
{
    RunRecord r;
    // A record of a run never revised is written as before.
    QVERIFY(!serializeRunRecord(QStringLiteral("r"), r).contains("revision"));
    r.revision = 3;
    r.refusedRevisions << 2;
    auto back = parseRunRecord(serializeRunRecord(QStringLiteral("r"), r), QStringLiteral("f"));
    QVERIFY2(back, qPrintable(back.errorString()));
    QCOMPARE(back->revision, 3);
    QCOMPARE(back->refusedRevisions, QList<int>{2});
    QByteArray bad = serializeRunRecord(QStringLiteral("r"), r);
    bad.replace("\"revision\": 3", "\"revision\": 0");
    QVERIFY(!parseRunRecord(bad, QStringLiteral("f")));
}

void TestRevision::plannerSkipsASkippedTask()
{
    Workflow wf = changed(QStringLiteral("skip train"));
    PlanInput in;
    in.workflow = &wf;
    in.states = states(QStringLiteral("prep=done#1:100;train=pending#1:123;review=done;"
                                      "report=pending"));
    in.record.tasks[QStringLiteral("prep")] =
        attempts(QStringLiteral("1:100"), QStringLiteral("c"));
    in.record.tasks[QStringLiteral("train")] =
        attempts(QStringLiteral("1:123"), QStringLiteral("c"));
    in.gates[QStringLiteral("review")].posted = true;
    in.gates[QStringLiteral("review")].decided = true;
    in.gates[QStringLiteral("review")].option = QStringLiteral("go");
    in.now = kT0;
    QStringList got;
    for (const Action &a : plan(in))
        got << describe(a);
    // train's queued job is cancelled and it is skipped; report, after it,
    // is skipped too.
    QCOMPARE(got,
             (QStringList{QStringLiteral("cancel train (skipped by a run-time change: enough)"),
                          QStringLiteral("skip train (skipped by a run-time change: enough)"),
                          QStringLiteral("skip report (an upstream task was skipped (train))")}));
}

void TestRevision::skipKeyInTheFormat()
{
    const QByteArray toml = "[workflow]\nname = \"w\"\n[sites.c]\nkind = \"local\"\n"
                            "[tasks.a]\nsite = \"c\"\nskip = \"not needed\"\ncommand = \"true\"\n"
                            "[tasks.g]\nkind = \"gate\"\nafter = [\"a\"]\nskip = \"by mail\"\n"
                            "question = \"ok?\"\noptions = [\n  { name = \"y\" },\n]\n";
    auto wf = parseWorkflow(toml, QStringLiteral("s.toml"));
    QVERIFY2(wf, qPrintable(wf.errorString()));
    QCOMPARE(wf->task(QStringLiteral("a"))->skip, QStringLiteral("not needed"));
    QCOMPARE(wf->task(QStringLiteral("g"))->skip, QStringLiteral("by mail"));
    const QByteArray saved = workflowToToml(*wf);
    QVERIFY2(saved.contains("[tasks.a]\nsite = \"c\"\nskip = \"not needed\"\ncommand"),
             saved.constData());
    QVERIFY2(saved.contains("after = [\"a\"]\nskip = \"by mail\"\nquestion"), saved.constData());
    auto back = parseWorkflow(saved, QStringLiteral("saved.toml"));
    QVERIFY2(back, qPrintable(back.errorString()));
    QCOMPARE(*back, *wf);
}

void TestRevision::proposeNoClobber()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    LocalTransport t;
    t.open();
    const QString run = root.path();
    {
        QFile f(run + QStringLiteral("/workflow.toml"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(workflowToToml(base()));
    }
    RevisionProposal p;
    p.base = base();
    p.proposed = changed(QStringLiteral("add evaluate after train"));
    p.states = states(QStringLiteral("prep=done#1:100;train=running#1:123"));
    p.author = QStringLiteral("alice");
    p.host = QStringLiteral("laptop");
    p.comment = QStringLiteral("evaluate as well");
    p.at = kT0;
    auto propose = [&](const RevisionProposal &proposal) {
        return await<int>(
            [&](QObject *c, Callback<int> cb) { proposeRevision(&t, run, proposal, c, cb); });
    };
    auto first = propose(p);
    QVERIFY2(first, qPrintable(first.errorString()));
    QCOMPARE(*first, 2);
    QFile toml(run + QStringLiteral("/revisions/0002.toml"));
    QVERIFY(toml.open(QIODevice::ReadOnly));
    QCOMPARE(toml.readAll(), workflowToToml(p.proposed));
    QFile diff(run + QStringLiteral("/revisions/0002.diff"));
    QVERIFY(diff.open(QIODevice::ReadOnly));
    QVERIFY(diff.readAll().startsWith("+ task evaluate (after train)\n\n--- workflow.toml\n"));
    QFile json(run + QStringLiteral("/revisions/0002.json"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    auto info = parseRevisionInfo(json.readAll(), json.fileName());
    QVERIFY2(info, qPrintable(info.errorString()));
    QCOMPARE(info->author, QStringLiteral("alice"));
    QCOMPARE(info->baseRevision, 1);
    QCOMPARE(info->comment, QStringLiteral("evaluate as well"));
    // A second desktop that also started from revision 1 loses: nothing written.
    RevisionProposal late = p;
    late.proposed = changed(QStringLiteral("report env"));
    auto second = propose(late);
    QVERIFY(!second);
    QCOMPARE(second.error().kind, Error::Kind::AlreadyExists);
    QVERIFY2(second.errorString().contains(QStringLiteral("revision 2 was published meanwhile")),
             qPrintable(second.errorString()));
    QCOMPARE(QDir(run + QStringLiteral("/revisions")).entryList(QDir::Files).size(), 3);
    // A refused change writes nothing either.
    RevisionProposal bad = p;
    bad.baseRevision = 2;
    bad.base = p.proposed;
    bad.proposed = changed(QStringLiteral("train LR"));
    bad.proposed.tasks << p.proposed.tasks.last();
    auto refused = propose(bad);
    QVERIFY(!refused);
    QVERIFY2(refused.errorString().contains(QStringLiteral("train: submitted as job 123")),
             qPrintable(refused.errorString()));
    QCOMPARE(QDir(run + QStringLiteral("/revisions")).entryList(QDir::Files).size(), 3);
    // The latest revision, and the one before when the latest was refused.
    auto latest = await<RunRevision>(
        [&](QObject *c, Callback<RunRevision> cb) { readLatestRevision(&t, run, {}, c, cb); });
    QVERIFY2(latest, qPrintable(latest.errorString()));
    QCOMPARE(latest->revision, 2);
    QCOMPARE(workflowToToml(latest->workflow), workflowToToml(p.proposed));
    auto older = await<RunRevision>(
        [&](QObject *c, Callback<RunRevision> cb) { readLatestRevision(&t, run, {2}, c, cb); });
    QVERIFY2(older, qPrintable(older.errorString()));
    QCOMPARE(older->revision, 1);
    // Revision 2 refused by the engine: a proposal against revision 1 (the
    // one in effect) is published as revision 3; without knowing of the
    // refusal it loses, as before.
    RevisionProposal after = late;
    QCOMPARE(nextRevisionNumber(1, {2}), 3);
    auto unknowing = propose(after);
    QVERIFY(!unknowing);
    QCOMPARE(unknowing.error().kind, Error::Kind::AlreadyExists);
    after.refused = {2};
    auto third = propose(after);
    QVERIFY2(third, qPrintable(third.errorString()));
    QCOMPARE(*third, 3);
    QFile thirdJson(run + QStringLiteral("/revisions/0003.json"));
    QVERIFY(thirdJson.open(QIODevice::ReadOnly));
    auto thirdInfo = parseRevisionInfo(thirdJson.readAll(), thirdJson.fileName());
    QVERIFY2(thirdInfo, qPrintable(thirdInfo.errorString()));
    QCOMPARE(thirdInfo->baseRevision, 1);
    QFile thirdDiff(run + QStringLiteral("/revisions/0003.diff"));
    QVERIFY(thirdDiff.open(QIODevice::ReadOnly));
    QVERIFY(thirdDiff.readAll().contains("+++ revisions/0003.toml"));
}

QTEST_GUILESS_MAIN(TestRevision)
#include "tst_revision.moc"
