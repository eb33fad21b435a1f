// SPDX-License-Identifier: GPL-3.0-or-later
// The real vigil-job binary: the checkpoint flow, exit codes, task-exec, scan.

#include "protocol/checkpoint.h"
#include "protocol/format.h"
#include "protocol/rundir.h"
#include "protocol/text.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace vigil::protocol;
using nlohmann::json;
using vigil::test::ProcessResult;
using vigil::test::qs;
using vigil::test::readText;
using vigil::test::runJob;
using vigil::test::writeText;

namespace {

json parseOut(const ProcessResult &r)
{
    return json::parse(r.out.toStdString());
}

std::string lastEventType(const std::string &run)
{
    const auto all = vigil::test::lines(readText(run + "/events.jsonl"));
    return all.empty() ? std::string() : json::parse(all.back())["type"].get<std::string>();
}

} // namespace

class TestHelper : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void isStaticAndRuns();
    void usageErrors_data();
    void usageErrors();
    void fullFlow();
    void runDirFromEnvironment();
    void forgedDecisionRefused();
    void waitSeesDecision();
    void waitTimesOut();
    void timeoutDefault();
    void repostAndConflict();
    void badCheckpointInput_data();
    void badCheckpointInput();
    void taskExec_data();
    void taskExec();
    void taskExecForwardsSigterm();
    void scanOneDocument();

private:
    QStringList runArgs() const { return {QStringLiteral("--run-dir"), qs(m_run)}; }

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::string m_run;
};

void TestHelper::initTestCase()
{
    QVERIFY2(QFile::exists(vigil::test::jobBinary()), "VIGIL_JOB_BINARY is not set");
}

void TestHelper::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_run = m_tmp->path().toStdString() + "/run-1";
    const auto r = runJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), qs(m_run),
                           QStringLiteral("--run-id"), QStringLiteral("run-1")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(parseOut(r)["created"].get<bool>());
}

void TestHelper::isStaticAndRuns()
{
    const auto version = runJob({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    QCOMPARE(version.out, QByteArray("vigil-job 0.1.0 (protocol 1.0)\n"));
#ifdef VIGIL_HELPER_NOT_STATIC
    QSKIP("vigil-job is linked dynamically in sanitizer builds");
#endif
    // No PT_INTERP program header: the kernel runs it without a dynamic loader.
    const std::string elf = readText(vigil::test::jobBinary().toStdString());
    QVERIFY(elf.size() > sizeof(Elf64_Ehdr));
    Elf64_Ehdr eh;
    std::memcpy(&eh, elf.data(), sizeof eh);
    QVERIFY(std::memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0);
    QCOMPARE(int(eh.e_ident[EI_CLASS]), int(ELFCLASS64));
    for (int i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph;
        std::memcpy(&ph, elf.data() + eh.e_phoff + size_t(i) * eh.e_phentsize, sizeof ph);
        QVERIFY2(ph.p_type != PT_INTERP, "vigil-job is dynamically linked");
    }
}

void TestHelper::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no command") << QStringList{}
                                << QStringLiteral("vigil-job: vigil-job: no command");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")}
                                     << QStringLiteral("unknown command \"frobnicate\"");
    QTest::newRow("unknown option")
        << QStringList{QStringLiteral("decision"), QStringLiteral("--id"), QStringLiteral("x"),
                       QStringLiteral("--frob")}
        << QStringLiteral("vigil-job: decision: unknown option --frob");
    QTest::newRow("missing id") << QStringList{QStringLiteral("decision"),
                                               QStringLiteral("--run-dir"), QStringLiteral("/")}
                                << QStringLiteral("vigil-job: decision: --id is required");
    QTest::newRow("no run dir") << QStringList{QStringLiteral("decision"), QStringLiteral("--id"),
                                               QStringLiteral("x")}
                                << QStringLiteral("no run directory");
    QTest::newRow("timeout without wait")
        << QStringList{QStringLiteral("decision"), QStringLiteral("--run-dir"),
                       QStringLiteral("/"),        QStringLiteral("--id"),
                       QStringLiteral("x"),        QStringLiteral("--timeout"),
                       QStringLiteral("5s")}
        << QStringLiteral("--timeout needs --wait");
    QTest::newRow("checkpoint without option")
        << QStringList{QStringLiteral("checkpoint"), QStringLiteral("--run-dir"),
                       QStringLiteral("/"),          QStringLiteral("--id"),
                       QStringLiteral("x"),          QStringLiteral("--title"),
                       QStringLiteral("t")}
        << QStringLiteral("at least one --option");
    QTest::newRow("bad param spec")
        << QStringList{QStringLiteral("checkpoint"), QStringLiteral("--run-dir"),
                       QStringLiteral("/"),          QStringLiteral("--id"),
                       QStringLiteral("x"),          QStringLiteral("--title"),
                       QStringLiteral("t"),          QStringLiteral("--option"),
                       QStringLiteral("a"),          QStringLiteral("--param"),
                       QStringLiteral("lr:float=1")}
        << QStringLiteral("unknown type \"float\"");
    QTest::newRow("task-exec without command")
        << QStringList{QStringLiteral("task-exec"), QStringLiteral("--run-dir"),
                       QStringLiteral("/"), QStringLiteral("--task"), QStringLiteral("t")}
        << QStringLiteral("no command after \"--\"");
    QTest::newRow("scan without root")
        << QStringList{QStringLiteral("scan")} << QStringLiteral("expected one ROOT directory");
}

void TestHelper::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const auto r = runJob(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(QString::fromUtf8(r.err).startsWith(QStringLiteral("vigil-job: ")));
    QVERIFY(r.out.isEmpty());
}

void TestHelper::fullFlow()
{
    // The job posts a checkpoint and goes on.
    auto r = runJob(QStringList{QStringLiteral("checkpoint")} + runArgs() +
                        QStringList{

                            QStringLiteral("--id"),
                            QStringLiteral("lr-check"),
                            QStringLiteral("--title"),
                            QStringLiteral("Lower the LR?"),
                            QStringLiteral("--body"),
                            QStringLiteral("Loss is *flat*."),
                            QStringLiteral("--option"),
                            QStringLiteral("continue=Continue"),
                            QStringLiteral("--option"),
                            QStringLiteral("lower=Lower it"),
                            QStringLiteral("--default"),
                            QStringLiteral("continue"),
                            QStringLiteral("--param"),
                            QStringLiteral("lr:number=0.001,min=0,max=1,label=LR"),
                            QStringLiteral("--param"),
                            QStringLiteral("opt:enum=adam,choices=adam|sgd"),
                            QStringLiteral("--metrics"),
                            QStringLiteral("metrics/loss.csv,x=step,columns=loss:val"),
                            QStringLiteral("--attach"),
                            QStringLiteral("plots/a.png"),
                            QStringLiteral("--deadline"),
                            QStringLiteral("2h"),
                            QStringLiteral("--approver"),
                            QStringLiteral("root"),
                            QStringLiteral("--task"),
                            QStringLiteral("train"),
                        },
                    {QStringLiteral("SLURM_JOB_ID=4242"), QStringLiteral("SLURM_STEP_ID=0")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const json posted = parseOut(r);
    QCOMPARE(posted["id"].get<std::string>(), std::string("lr-check"));
    QVERIFY(isLowerHex(posted["nonce"].get<std::string>(), 32));
    QVERIFY(!posted["existing"].get<bool>());
    QCOMPARE(lastEventType(m_run), std::string("checkpoint_posted"));

    auto request = parseRequest(readText(m_run + "/checkpoints/lr-check/request.json"));
    QVERIFY2(request.ok(), request.errorString().c_str());
    QCOMPARE(request->nonce, posted["nonce"].get<std::string>());
    QCOMPARE(qs(*request->job.slurmJobId), QStringLiteral("4242"));
    QCOMPARE(qs(*request->task), QStringLiteral("train"));
    QCOMPARE(request->approverUids, std::vector<std::uint32_t>{0});
    QCOMPARE(qs(request->params[0].label), QStringLiteral("LR"));
    QCOMPARE(request->params[0].max.get<double>(), 1.0);
    QCOMPARE(request->params[1].choices, (std::vector<std::string>{"adam", "sgd"}));
    QCOMPARE(request->metrics[0].columns, (std::vector<std::string>{"loss", "val"}));
    QVERIFY(request->deadline && *request->deadline > now() + std::chrono::minutes(119));

    // Nothing decided yet: pending.
    r = runJob(QStringList{QStringLiteral("decision")} + runArgs() +
               QStringList{QStringLiteral("--id"), QStringLiteral("lr-check")});
    QCOMPARE(r.exitCode, 3);
    QVERIFY(r.out.isEmpty());
    r = runJob(QStringList{QStringLiteral("ack")} + runArgs() +
               QStringList{QStringLiteral("--id"), QStringLiteral("lr-check"),
                           QStringLiteral("--outcome"), QStringLiteral("x")});
    QCOMPARE(r.exitCode, 3);

    // The desktop's part, with the library's API: a decision created no-clobber.
    Decision d = makeDecision(*request, "lower", {{"lr", 0.0005}}, "flat since 1200", "root",
                              "laptop", std::string(64, 'e'), now())
                     .value();
    QVERIFY(checkDecision(*request, d).ok());
    QVERIFY(createFileNoClobber(m_run + "/checkpoints/lr-check/decision.json", serializeDecision(d),
                                0600)
                .ok());
    // A second desktop loses, and reads who won.
    Decision late = makeDecision(*request, "continue", {}, "", "root", "other", "", now()).value();
    auto lost = createFileNoClobber(m_run + "/checkpoints/lr-check/decision.json",
                                    serializeDecision(late), 0600);
    QCOMPARE(lost.error().kind, Error::Kind::AlreadyExists);
    QCOMPARE(qs(parseDecision(readText(m_run + "/checkpoints/lr-check/decision.json"))->decidedBy),
             QStringLiteral("root"));

    r = runJob(QStringList{QStringLiteral("decision")} + runArgs() +
               QStringList{QStringLiteral("--id"), QStringLiteral("lr-check")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("lower\n"));
    r = runJob(
        QStringList{QStringLiteral("decision")} + runArgs() +
        QStringList{QStringLiteral("--id"), QStringLiteral("lr-check"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const json out = parseOut(r);
    QCOMPARE(out["decision_id"].get<std::string>(), d.decisionId);
    QCOMPARE(out["option"].get<std::string>(), std::string("lower"));
    QCOMPARE(out["params"]["lr"].get<double>(), 0.0005);
    QCOMPARE(out["params"]["opt"].get<std::string>(), std::string("adam")); // the default
    QCOMPARE(out["kind"].get<std::string>(), std::string("human"));

    r = runJob(QStringList{QStringLiteral("ack")} + runArgs() +
               QStringList{QStringLiteral("--id"), QStringLiteral("lr-check"),
                           QStringLiteral("--outcome"), QStringLiteral("lr set to 5e-4")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    auto ack = parseAck(readText(m_run + "/checkpoints/lr-check/ack.json"));
    QVERIFY(ack.ok());
    QCOMPARE(qs(ack->decisionId), qs(d.decisionId));
    QCOMPARE(qs(ack->outcome), QStringLiteral("lr set to 5e-4"));
    QCOMPARE(lastEventType(m_run), std::string("ack_written"));
}

void TestHelper::runDirFromEnvironment()
{
    const QStringList env{QStringLiteral("VIGIL_RUN_DIR=") + qs(m_run),
                          QStringLiteral("VIGIL_TASK=eval")};
    auto r = runJob({QStringLiteral("checkpoint"), QStringLiteral("--id"), QStringLiteral("e"),
                     QStringLiteral("--title"), QStringLiteral("t"), QStringLiteral("--option"),
                     QStringLiteral("ok")},
                    env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(qs(*parseRequest(readText(m_run + "/checkpoints/e/request.json"))->task),
             QStringLiteral("eval"));
    r = runJob({QStringLiteral("decision"), QStringLiteral("--id"), QStringLiteral("e")}, env);
    QCOMPARE(r.exitCode, 3);
    // Not a run directory.
    r = runJob({QStringLiteral("decision"), QStringLiteral("--id"), QStringLiteral("e")},
               {QStringLiteral("VIGIL_RUN_DIR=") + m_tmp->path()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(QString::fromUtf8(r.err).contains(QStringLiteral("not a run directory")));
}

void TestHelper::forgedDecisionRefused()
{
    auto r =
        runJob(QStringList{QStringLiteral("checkpoint")} + runArgs() +
               QStringList{QStringLiteral("--id"), QStringLiteral("c1"), QStringLiteral("--title"),
                           QStringLiteral("t"), QStringLiteral("--option"), QStringLiteral("go")});
    QCOMPARE(r.exitCode, 0);
    const Request req = parseRequest(readText(m_run + "/checkpoints/c1/request.json")).value();
    const std::string path = m_run + "/checkpoints/c1/decision.json";
    QVERIFY(
        createFileNoClobber(
            path,
            serializeDecision(makeDecision(req, "go", {}, "", "mallory", "", "", now()).value()),
            0644)
            .ok());
    QVERIFY(::chown(path.c_str(), 65534, 65534) == 0);
    r = runJob(QStringList{QStringLiteral("decision")} + runArgs() +
               QStringList{QStringLiteral("--id"), QStringLiteral("c1")});
    QCOMPARE(r.exitCode, 3); // treated as pending, never applied
    QVERIFY(r.out.isEmpty());
    QVERIFY2(QString::fromUtf8(r.err).startsWith(
                 QStringLiteral("vigil-job: warning: refused a decision: ")),
             r.err.constData());
    QVERIFY(QString::fromUtf8(r.err).contains(QStringLiteral("owned by uid 65534")));
    QCOMPARE(lastEventType(m_run), std::string("decision_refused"));
    QVERIFY(!QFile::exists(qs(path)));
}

void TestHelper::waitSeesDecision()
{
    auto r =
        runJob(QStringList{QStringLiteral("checkpoint")} + runArgs() +
               QStringList{QStringLiteral("--id"), QStringLiteral("w"), QStringLiteral("--title"),
                           QStringLiteral("t"), QStringLiteral("--option"), QStringLiteral("a"),
                           QStringLiteral("--option"), QStringLiteral("b")});
    QCOMPARE(r.exitCode, 0);
    const Request req = parseRequest(readText(m_run + "/checkpoints/w/request.json")).value();
    QProcess p;
    p.start(vigil::test::jobBinary(),
            QStringList{QStringLiteral("decision")} + runArgs() +
                QStringList{QStringLiteral("--id"), QStringLiteral("w"), QStringLiteral("--wait"),
                            QStringLiteral("--timeout"), QStringLiteral("30s")});
    QVERIFY(p.waitForStarted());
    QThread::msleep(1200);
    QCOMPARE(p.state(), QProcess::Running); // still waiting
    QVERIFY(createFileNoClobber(
                m_run + "/checkpoints/w/decision.json",
                serializeDecision(makeDecision(req, "b", {}, "", "root", "", "", now()).value()),
                0600)
                .ok());
    QVERIFY(p.waitForFinished(15000));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(p.readAllStandardOutput(), QByteArray("b\n"));
}

void TestHelper::waitTimesOut()
{
    auto r =
        runJob(QStringList{QStringLiteral("checkpoint")} + runArgs() +
               QStringList{QStringLiteral("--id"), QStringLiteral("w"), QStringLiteral("--title"),
                           QStringLiteral("t"), QStringLiteral("--option"), QStringLiteral("a")});
    QCOMPARE(r.exitCode, 0);
    QElapsedTimer timer;
    timer.start();
    r = runJob(QStringList{QStringLiteral("decision")} + runArgs() +
               QStringList{QStringLiteral("--id"), QStringLiteral("w"), QStringLiteral("--wait"),
                           QStringLiteral("--timeout"), QStringLiteral("2s")});
    QCOMPARE(r.exitCode, 3);
    QVERIFY(timer.elapsed() >= 1900);
    QVERIFY(timer.elapsed() < 10000);
}

void TestHelper::timeoutDefault()
{
    auto r =
        runJob(QStringList{QStringLiteral("checkpoint")} + runArgs() +
               QStringList{QStringLiteral("--id"), QStringLiteral("t"), QStringLiteral("--title"),
                           QStringLiteral("t"), QStringLiteral("--option"), QStringLiteral("go"),
                           QStringLiteral("--option"), QStringLiteral("halt"),
                           QStringLiteral("--param"), QStringLiteral("n:integer=7"),
                           QStringLiteral("--deadline"), QStringLiteral("1s"),
                           QStringLiteral("--timeout-default"), QStringLiteral("halt")});
    QCOMPARE(r.exitCode, 0);
    // --wait wakes up at the deadline and commits the default.
    r = runJob(QStringList{QStringLiteral("decision")} + runArgs() +
               QStringList{QStringLiteral("--id"), QStringLiteral("t"), QStringLiteral("--wait"),
                           QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const json d = parseOut(r);
    QCOMPARE(d["kind"].get<std::string>(), std::string("timeout-default"));
    QCOMPARE(d["option"].get<std::string>(), std::string("halt"));
    QCOMPARE(d["decided_by"].get<std::string>(), std::string("vigil-job"));
    QCOMPARE(d["params"]["n"].get<int>(), 7);
    QCOMPARE(lastEventType(m_run), std::string("timeout_default"));
    // Asking again returns the same committed decision.
    r = runJob(QStringList{QStringLiteral("decision")} + runArgs() +
               QStringList{QStringLiteral("--id"), QStringLiteral("t"), QStringLiteral("--json")});
    QCOMPARE(parseOut(r)["decision_id"].get<std::string>(), d["decision_id"].get<std::string>());
    QCOMPARE(lastEventType(m_run), std::string("timeout_default"));
}

void TestHelper::repostAndConflict()
{
    const QStringList post =
        QStringList{QStringLiteral("checkpoint")} + runArgs() +
        QStringList{QStringLiteral("--id"), QStringLiteral("p"),        QStringLiteral("--title"),
                    QStringLiteral("t"),    QStringLiteral("--option"), QStringLiteral("a")};
    const auto first = runJob(post);
    const auto again = runJob(post);
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(parseOut(again)["nonce"].get<std::string>(),
             parseOut(first)["nonce"].get<std::string>());
    QVERIFY(parseOut(again)["existing"].get<bool>());
    auto changed = post;
    changed[changed.indexOf(QStringLiteral("t"))] = QStringLiteral("other title");
    const auto conflict = runJob(changed);
    QCOMPARE(conflict.exitCode, 4);
    QVERIFY(QString::fromUtf8(conflict.err).contains(QStringLiteral("already posted")));
    // init-run with another id on an existing run: refused too.
    const auto run = runJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), qs(m_run),
                             QStringLiteral("--run-id"), QStringLiteral("other")});
    QCOMPARE(run.exitCode, 4);
}

void TestHelper::badCheckpointInput_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QString>("message");
    QTest::newRow("hostile id") << QStringList{QStringLiteral("--id"), QStringLiteral("$(reboot)")}
                                << QStringLiteral("invalid checkpoint id \"$(reboot)\"");
    QTest::newRow("path id") << QStringList{QStringLiteral("--id"), QStringLiteral("../../etc")}
                             << QStringLiteral("invalid checkpoint id");
    QTest::newRow("hidden id")
        << QStringList{QStringLiteral("--id"), QStringLiteral(".hidden")}
        << QStringLiteral("invalid checkpoint id \".hidden\": it must not start with '.'");
    QTest::newRow("default out of bounds")
        << QStringList{QStringLiteral("--id"), QStringLiteral("x"), QStringLiteral("--param"),
                       QStringLiteral("lr:number=5,max=1")}
        << QStringLiteral("5.0 is above the maximum 1.0");
    QTest::newRow("absolute attachment")
        << QStringList{QStringLiteral("--id"), QStringLiteral("x"), QStringLiteral("--attach"),
                       QStringLiteral("/etc/shadow")}
        << QStringLiteral("invalid attachment \"/etc/shadow\"");
    QTest::newRow("unknown approver")
        << QStringList{QStringLiteral("--id"), QStringLiteral("x"), QStringLiteral("--approver"),
                       QStringLiteral("no-such-user-xyz")}
        << QStringLiteral("cannot resolve user \"no-such-user-xyz\"");
    QTest::newRow("title with newline")
        << QStringList{QStringLiteral("--id"), QStringLiteral("x"), QStringLiteral("--title"),
                       QStringLiteral("a\nb")}
        << QStringLiteral("contains control characters");
}

void TestHelper::badCheckpointInput()
{
    QFETCH(QStringList, extra);
    QFETCH(QString, message);
    QStringList args = QStringList{QStringLiteral("checkpoint")} + runArgs() +
                       QStringList{QStringLiteral("--option"), QStringLiteral("a")};
    if (!extra.contains(QStringLiteral("--title")))
        args += {QStringLiteral("--title"), QStringLiteral("t")};
    const auto r = runJob(args + extra);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(std::filesystem::is_empty(m_run + "/checkpoints"));
}

void TestHelper::taskExec_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("state");
    QTest::newRow("success") << QStringList{QStringLiteral("sh"), QStringLiteral("-c"),
                                            QStringLiteral("echo out; echo err >&2")}
                             << 0 << QStringLiteral("completed");
    QTest::newRow("failure") << QStringList{QStringLiteral("sh"), QStringLiteral("-c"),
                                            QStringLiteral("exit 7")}
                             << 7 << QStringLiteral("failed");
    QTest::newRow("killed") << QStringList{QStringLiteral("sh"), QStringLiteral("-c"),
                                           QStringLiteral("kill -KILL $$")}
                            << 137 << QStringLiteral("failed");
    QTest::newRow("not found") << QStringList{QStringLiteral("/nonexistent/train")} << 127
                               << QStringLiteral("failed");
}

void TestHelper::taskExec()
{
    QFETCH(QStringList, command);
    QFETCH(int, exitCode);
    QFETCH(QString, state);
    // A stale marker of an earlier attempt goes away.
    std::filesystem::create_directories(m_run + "/tasks/train");
    writeText(m_run + "/tasks/train/train.done", "0\n");
    writeText(m_run + "/tasks/train/train.failed", "1\n");
    const auto r = runJob(
        QStringList{QStringLiteral("task-exec")} + runArgs() +
            QStringList{QStringLiteral("--task"), QStringLiteral("train"), QStringLiteral("--")} +
            command,
        {QStringLiteral("SLURM_JOB_ID=777")});
    QCOMPARE(r.exitCode, exitCode);
    if (exitCode == 0) {
        QCOMPARE(r.out, QByteArray("out\n")); // passed through
        QCOMPARE(r.err, QByteArray("err\n"));
    }
    auto s = parseTaskState(readText(m_run + "/tasks/train/state.json"));
    QVERIFY2(s.ok(), s.errorString().c_str());
    QCOMPARE(qs(std::string(taskStatusName(s->state))), state);
    QCOMPARE(*s->exitCode, exitCode);
    QVERIFY(s->endedAt.has_value());
    QCOMPARE(qs(*s->slurmJobId), QStringLiteral("777"));
    const bool done = exitCode == 0;
    QCOMPARE(QFile::exists(qs(m_run + "/tasks/train/train.done")), done);
    QCOMPARE(QFile::exists(qs(m_run + "/tasks/train/train.failed")), !done);
    QCOMPARE(lastEventType(m_run), std::string("task_finished"));
    if (exitCode == 137)
        QCOMPARE(*s->signal, 9);
}

void TestHelper::taskExecForwardsSigterm()
{
    QProcess p;
    p.start(vigil::test::jobBinary(),
            QStringList{QStringLiteral("task-exec")} + runArgs() +
                QStringList{QStringLiteral("--task"), QStringLiteral("long"), QStringLiteral("--"),
                            QStringLiteral("sh"), QStringLiteral("-c"),
                            QStringLiteral("trap 'echo got-term; exit 42' TERM; echo "
                                           "ready; while :; do sleep 0.1; done")});
    QVERIFY(p.waitForStarted());
    QVERIFY(p.waitForReadyRead(10000));
    QCOMPARE(p.readLine(), QByteArray("ready\n"));
    auto running = parseTaskState(readText(m_run + "/tasks/long/state.json"));
    QVERIFY(running.ok());
    QCOMPARE(running->state, TaskStatus::Running);
    QVERIFY(running->pid > 0);
    p.terminate(); // SIGTERM to vigil-job, as SLURM does at the time limit
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 42);
    QVERIFY(p.readAll().contains("got-term"));
    auto s = parseTaskState(readText(m_run + "/tasks/long/state.json"));
    QCOMPARE(*s->exitCode, 42);
    QVERIFY(QFile::exists(qs(m_run + "/tasks/long/long.failed")));
}

void TestHelper::scanOneDocument()
{
    auto r =
        runJob(QStringList{QStringLiteral("checkpoint")} + runArgs() +
               QStringList{QStringLiteral("--id"), QStringLiteral("ok"), QStringLiteral("--title"),
                           QStringLiteral("t"), QStringLiteral("--option"), QStringLiteral("a")});
    QCOMPARE(r.exitCode, 0);
    std::filesystem::create_directories(m_run + "/checkpoints/bad");
    writeText(m_run + "/checkpoints/bad/request.json", "{\"format\": 1}");
    std::filesystem::create_directories(m_run + "/checkpoints/evil");
    QVERIFY(::symlink("/etc/passwd", (m_run + "/checkpoints/evil/request.json").c_str()) == 0);
    r = runJob(QStringList{QStringLiteral("task-exec")} + runArgs() +
               QStringList{QStringLiteral("--task"), QStringLiteral("prep"), QStringLiteral("--"),
                           QStringLiteral("true")});
    QCOMPARE(r.exitCode, 0);

    r = runJob({QStringLiteral("scan"), m_tmp->path()});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.count('\n'), 1); // one line, one document
    const json doc = parseOut(r);
    QCOMPARE(doc["format"]["name"].get<std::string>(), std::string("vigil.scan"));
    QCOMPARE(int(doc["runs"].size()), 1);
    const json &run = doc["runs"][0];
    QCOMPARE(run["run"]["run_id"].get<std::string>(), std::string("run-1"));
    QVERIFY(run["events_size"].get<int>() > 0);
    std::map<std::string, json> cps;
    for (const json &c : run["checkpoints"])
        cps[c["id"].get<std::string>()] = c;
    QCOMPARE(cps["ok"]["request"]["title"].get<std::string>(), std::string("t"));
    QCOMPARE(qs(cps["bad"]["error"].get<std::string>()),
             QStringLiteral("checkpoints/bad/request.json: field \"format\": expected an object"));
    QCOMPARE(qs(cps["evil"]["error"].get<std::string>()),
             QStringLiteral("checkpoints/evil/request.json: is a symbolic link: refused"));
    QCOMPARE(run["tasks"][0]["name"].get<std::string>(), std::string("prep"));
    QVERIFY(run["tasks"][0]["done"].get<bool>());
    QCOMPARE(run["tasks"][0]["state"]["state"].get<std::string>(), std::string("completed"));

    r = runJob({QStringLiteral("scan"), m_tmp->path() + QStringLiteral("/missing")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(QString::fromUtf8(r.err).startsWith(QStringLiteral("vigil-job: scan: ")));
}

QTEST_GUILESS_MAIN(TestHelper)
#include "tst_helper.moc"
