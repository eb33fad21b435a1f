// SPDX-License-Identifier: GPL-3.0-or-later
// The real vigil-job binary: wait, param, log-metrics, status, watch and the
// checkpoint spellings of the issue (--timeout, NAME:TYPE:DEFAULT).

#include "protocol/checkpoint.h"
#include "protocol/format.h"
#include "protocol/rundir.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <csignal>

using namespace vigil::protocol;
using nlohmann::json;
using vigil::test::ProcessResult;
using vigil::test::qs;
using vigil::test::readText;
using vigil::test::runJob;

namespace {

QStringList L(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *i : items)
        out << QString::fromUtf8(i);
    return out;
}

// Reads one line from `p` within `ms`; empty when none came.
QByteArray readLine(QProcess &p, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!p.canReadLine()) {
        const int left = ms - int(t.elapsed());
        if (left <= 0 || !p.waitForReadyRead(left))
            break;
    }
    return p.canReadLine() ? p.readLine() : QByteArray();
}

// Reads lines until one satisfies `pred` (returned) or `ms` pass; every line
// read goes to `seen`.
json readUntil(QProcess &p, int ms, const std::function<bool(const json &)> &pred,
               std::vector<json> &seen)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) {
        const QByteArray line = readLine(p, ms - int(t.elapsed()));
        if (line.isEmpty())
            break;
        json j = json::parse(line.toStdString());
        seen.push_back(j);
        if (pred(j))
            return j;
    }
    return nullptr;
}

bool isEvent(const json &j, const std::string &type, const std::string &checkpoint)
{
    return j.value("type", "") == "event" && j["event"].value("type", "") == type &&
           j["event"].value("checkpoint", "") == checkpoint;
}

} // namespace

class TestCommands : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void checkpointSpellings();
    void waitReturnsWhenDecided();
    void waitTimesOut();
    void waitCommitsDueDefault();
    void paramTypes();
    void paramPendingAndUnknown();
    void logMetricsRows();
    void logMetricsRefusals_data();
    void logMetricsRefusals();
    void logMetricsConcurrent();
    void statusEqualsScanEntry();
    void watchStreamsAndResumes();
    void watchStopsOnSigtermAndClosedStdout();

private:
    QStringList runArgs() const { return {QStringLiteral("--run-dir"), qs(m_run)}; }
    ProcessResult job(const QStringList &args) { return runJob(args + runArgs()); }
    Request post(const std::string &id, const QStringList &extra = {});
    void decide(const std::string &id, const std::string &option, json params = json::object());

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::string m_run;
};

void TestCommands::initTestCase()
{
    QVERIFY2(QFile::exists(vigil::test::jobBinary()), "VIGIL_JOB_BINARY is not set");
}

void TestCommands::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_run = m_tmp->path().toStdString() + "/run-1";
    const auto r = runJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), qs(m_run),
                           QStringLiteral("--run-id"), QStringLiteral("run-1")});
    QCOMPARE(r.exitCode, 0);
}

Request TestCommands::post(const std::string &id, const QStringList &extra)
{
    const auto r =
        job(QStringList{QStringLiteral("checkpoint"), QStringLiteral("--id"), qs(id),
                        QStringLiteral("--title"), QStringLiteral("t"), QStringLiteral("--option"),
                        QStringLiteral("go"), QStringLiteral("--option"), QStringLiteral("lr")} +
            extra);
    if (r.exitCode != 0)
        qWarning("%s", r.err.constData());
    return parseRequest(readText(m_run + "/checkpoints/" + id + "/request.json")).value();
}

void TestCommands::decide(const std::string &id, const std::string &option, json params)
{
    const Request req =
        parseRequest(readText(m_run + "/checkpoints/" + id + "/request.json")).value();
    auto d = makeDecision(req, option, std::move(params), "", "root", "desk", "", now()).value();
    QVERIFY(checkDecision(req, d).ok());
    QVERIFY(createFileNoClobber(m_run + "/checkpoints/" + id + "/decision.json",
                                serializeDecision(d), 0600)
                .ok());
}

void TestCommands::checkpointSpellings()
{
    const Request r =
        post("c", L({"--param", "lr:number:0.01,min=0,max=1", "--param", "name:string:a=b",
                     "--param", "n:integer=3", "--timeout", "1h"}));
    QCOMPARE(r.params.size(), std::size_t(3));
    QCOMPARE(r.params[0].defaultValue.get<double>(), 0.01);
    QCOMPARE(r.params[0].max.get<double>(), 1.0);
    QCOMPARE(r.params[1].defaultValue.get<std::string>(), std::string("a=b"));
    QCOMPARE(r.params[2].defaultValue.get<std::int64_t>(), std::int64_t(3));
    QVERIFY(r.deadline && *r.deadline > now() + std::chrono::minutes(59));
    QCOMPARE(qs(*r.defaultOnTimeout), QStringLiteral("go"));
    // --timeout and --deadline are one option.
    const auto both = job(L({"checkpoint", "--id", "d", "--title", "t", "--option", "go",
                             "--timeout", "1h", "--deadline", "2h"}));
    QCOMPARE(both.exitCode, 2);
    QVERIFY(both.err.contains("--timeout is another name of --deadline"));
}

void TestCommands::waitReturnsWhenDecided()
{
    post("w");
    QProcess p;
    p.start(vigil::test::jobBinary(),
            L({"wait", "--id", "w", "--timeout", "30s", "--json"}) + runArgs());
    QVERIFY(p.waitForStarted());
    QThread::msleep(1200);
    QCOMPARE(p.state(), QProcess::Running); // still waiting
    decide("w", "lr");
    QVERIFY(p.waitForFinished(15000));
    QCOMPARE(p.exitCode(), 0);
    const json out = json::parse(p.readAllStandardOutput().toStdString());
    QCOMPARE(out["option"].get<std::string>(), std::string("lr"));
    QCOMPARE(out["decided_by"].get<std::string>(), std::string("root"));
}

void TestCommands::waitTimesOut()
{
    post("w");
    QElapsedTimer timer;
    timer.start();
    const auto r = job(L({"wait", "--id", "w", "--timeout", "1s"}));
    QCOMPARE(r.exitCode, 3);
    QVERIFY(timer.elapsed() >= 900);
    QVERIFY(r.out.isEmpty());
    QCOMPARE(job(L({"wait", "--id", "w", "--timeout", "soon"})).exitCode, 2);
}

void TestCommands::waitCommitsDueDefault()
{
    post("w", L({"--deadline", "1s", "--default", "lr"}));
    const auto r = job(L({"wait", "--id", "w", "--timeout", "20s"}));
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("lr\n"));
    const auto d = parseDecision(readText(m_run + "/checkpoints/w/decision.json"));
    QVERIFY(d.ok());
    QCOMPARE(d->kind, DecisionKind::TimeoutDefault);
}

void TestCommands::paramTypes()
{
    post("p", L({"--param", "lr:number=0.001,min=0,max=1", "--param", "n:integer=3", "--param",
                 "s:string=hello world", "--param", "b:boolean", "--param",
                 "opt:enum,choices=adam|sgd", "--param", "whole:number=2"}));
    decide("p", "lr", {{"lr", 0.0005}, {"b", true}, {"opt", "sgd"}});
    struct Case
    {
        const char *name;
        QByteArray plain;
        QByteArray asJson;
    };
    const Case cases[] = {
        {"lr", "0.0005\n", "0.0005\n"},
        {"n", "3\n", "3\n"},
        {"s", "hello world\n", "\"hello world\"\n"},
        {"b", "true\n", "true\n"},
        {"opt", "sgd\n", "\"sgd\"\n"},
        {"whole", "2.0\n", "2.0\n"}, // a number param is a float
    };
    for (const Case &c : cases) {
        auto r = job(L({"param", "--id", "p", c.name}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.out, c.plain);
        r = job(L({"param", "--id", "p", "--json", c.name}));
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, c.asJson);
    }
}

void TestCommands::paramPendingAndUnknown()
{
    post("p", L({"--param", "lr:number=0.001"}));
    auto r = job(L({"param", "--id", "p", "lr"}));
    QCOMPARE(r.exitCode, 3);
    QVERIFY(r.out.isEmpty());
    r = job(L({"param", "--id", "p", "nope"}));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("checkpoint \"p\" has no parameter \"nope\" (its parameters: lr)"),
             r.err.constData());
    r = job(L({"param", "--id", "p"}));
    QCOMPARE(r.exitCode, 2);
    r = job(L({"param", "--id", "missing", "lr"}));
    QCOMPARE(r.exitCode, 1);
}

void TestCommands::logMetricsRows()
{
    QCOMPARE(job(L({"log-metrics", "loss=0.5", "acc=1e-3", "--step", "1"})).exitCode, 0);
    QCOMPARE(job(L({"log-metrics", "acc=-2", "--step", "2"})).exitCode, 0);
    QCOMPARE(job(L({"log-metrics", "acc=.25", "loss=3."})).exitCode, 0);
    QCOMPARE(qs(readText(m_run + "/metrics/metrics.csv")),
             QStringLiteral("step,loss,acc\n1,0.5,1e-3\n2,,-2\n,3.,.25\n"));
    QCOMPARE(
        job(L({"log-metrics", "epoch=1", "loss=2", "val_loss=3", "--file", "metrics/train.csv"}))
            .exitCode,
        0);
    QCOMPARE(qs(readText(m_run + "/metrics/train.csv")),
             QStringLiteral("epoch,loss,val_loss\n1,2,3\n"));
    struct stat st
    {
    };
    QVERIFY(::stat((m_run + "/metrics/train.csv").c_str(), &st) == 0);
    QCOMPARE(int(st.st_mode & 07777), 0600);
}

void TestCommands::logMetricsRefusals_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("inf") << L({"x=inf"}) << 1 << "\"inf\" is not a finite number";
    QTest::newRow("nan") << L({"x=nan"}) << 1 << "\"nan\" is not a finite number";
    QTest::newRow("overflow") << L({"x=1e999"}) << 1 << "is not a finite number";
    QTest::newRow("hex") << L({"x=0x10"}) << 1 << "is not a finite number";
    QTest::newRow("space") << L({"x= 1"}) << 1 << "is not a finite number";
    QTest::newRow("empty") << L({"x="}) << 1 << "is not a finite number";
    QTest::newRow("bad key") << L({"a,b=1"}) << 1 << "invalid metric key \"a,b\"";
    QTest::newRow("no =") << L({"loss"}) << 1 << "expected KEY=VALUE";
    QTest::newRow("twice") << L({"x=1", "x=2"}) << 1 << "\"x\" is given twice";
    QTest::newRow("step twice") << L({"step=1", "--step", "2"}) << 1 << "\"step\" is given twice";
    QTest::newRow("bad step") << L({"x=1", "--step", "-1"}) << 2 << "--step \"-1\"";
    QTest::newRow("bad file") << L({"x=1", "--file", "../x.csv"}) << 2
                              << "expected metrics/NAME.csv";
    QTest::newRow("nested file") << L({"x=1", "--file", "metrics/a/b.csv"}) << 2
                                 << "invalid metrics file name";
    QTest::newRow("nothing") << L({"--step", "1"}) << 2 << "expected at least one KEY=VALUE";
    QTest::newRow("new key") << L({"loss=1", "lr=2"}) << 4
                             << "\"lr\" is not a column (the header is \"loss\"";
}

void TestCommands::logMetricsRefusals()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QCOMPARE(job(L({"log-metrics", "loss=0.5"})).exitCode, 0);
    const std::string before = readText(m_run + "/metrics/metrics.csv");
    const auto r = job(QStringList{QStringLiteral("log-metrics")} + args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QCOMPARE(readText(m_run + "/metrics/metrics.csv"), before); // nothing written
}

void TestCommands::logMetricsConcurrent()
{
    // Eight writers, 20 rows each, racing to create the file: one header, whole rows.
    std::vector<std::unique_ptr<QProcess>> procs;
    for (int w = 0; w < 8; ++w) {
        auto p = std::make_unique<QProcess>();
        QStringList script;
        p->start(QStringLiteral("/bin/sh"),
                 {QStringLiteral("-c"),
                  QStringLiteral("for i in $(seq 1 20); do \"$0\" log-metrics --run-dir \"$1\" "
                                 "--step $i a=%1 b=%1.5 || exit 1; done")
                      .arg(w),
                  vigil::test::jobBinary(), qs(m_run)});
        procs.push_back(std::move(p));
    }
    for (auto &p : procs) {
        QVERIFY(p->waitForFinished(60000));
        QCOMPARE(p->exitCode(), 0);
    }
    const auto rows = vigil::test::lines(readText(m_run + "/metrics/metrics.csv"));
    QCOMPARE(rows.size(), std::size_t(161));
    QCOMPARE(qs(rows[0]), QStringLiteral("step,a,b"));
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const QStringList cells = qs(rows[i]).split(QLatin1Char(','));
        QCOMPARE(cells.size(), 3);
        QCOMPARE(cells[2], cells[1] + QStringLiteral(".5"));
    }
}

void TestCommands::statusEqualsScanEntry()
{
    post("s", L({"--param", "lr:number=0.1"}));
    decide("s", "go");
    QCOMPARE(job(L({"ack", "--id", "s", "--outcome", "went"})).exitCode, 0);
    auto status = job(L({"status", "--json"}));
    QVERIFY2(status.exitCode == 0, status.err.constData());
    const auto scan = runJob({QStringLiteral("scan"), m_tmp->path()});
    QCOMPARE(scan.exitCode, 0);
    const json entry = json::parse(scan.out.toStdString())["runs"][0];
    QCOMPARE(qs(json::parse(status.out.toStdString()).dump()), qs(entry.dump()));
    QCOMPARE(entry["checkpoints"][0]["ack"]["outcome"].get<std::string>(), std::string("went"));
    // Without --json: one line per checkpoint.
    status = job(L({"status"}));
    QCOMPARE(status.exitCode, 0);
    QVERIFY2(status.out.contains("checkpoint s: decided go by root, applied: went"),
             status.out.constData());
    // VIGIL_RUN_DIR, and a directory that is not a run.
    status = runJob(L({"status", "--json"}), {QStringLiteral("VIGIL_RUN_DIR=") + qs(m_run)});
    QCOMPARE(status.exitCode, 0);
    status = runJob(L({"status", "--json", "--run-dir"}) + QStringList{m_tmp->path()});
    QCOMPARE(status.exitCode, 1);
    QVERIFY(status.err.contains("not a run directory"));
}

void TestCommands::watchStreamsAndResumes()
{
    post("old");
    QProcess p;
    p.start(vigil::test::jobBinary(), L({"watch", "--interval", "0.2"}) + runArgs());
    QVERIFY(p.waitForStarted());
    const QByteArray first = readLine(p, 5000);
    QVERIFY(!first.isEmpty());
    const json snapshot = json::parse(first.toStdString());
    QCOMPARE(snapshot["type"].get<std::string>(), std::string("snapshot"));
    QCOMPARE(snapshot["scan"]["runs"][0]["dir"].get<std::string>(), std::string("run-1"));
    QCOMPARE(snapshot["scan"]["runs"][0]["checkpoints"][0]["id"].get<std::string>(),
             std::string("old"));
    const std::string startCursor = snapshot["cursor"].get<std::string>();
    QVERIFY(startCursor.rfind("run-1=", 0) == 0);

    std::vector<json> seen;
    // A request: an event within 2 s (and a checkpoint line).
    QElapsedTimer t;
    t.start();
    post("c1", L({"--param", "lr:number=0.1"}));
    json ev = readUntil(
        p, 2000, [](const json &j) { return isEvent(j, "checkpoint_posted", "c1"); }, seen);
    QVERIFY2(!ev.is_null(), "no checkpoint_posted event within 2 s");
    QVERIFY(t.elapsed() < 2500);
    // A decision (no event in events.jsonl: the desktop writes only decision.json).
    decide("c1", "lr", {{"lr", 0.5}});
    ev = readUntil(
        p, 2000,
        [](const json &j) {
            return j.value("type", "") == "checkpoint" && j["checkpoint"]["decision"].is_object() &&
                   j["checkpoint"]["decision"].value("status", "") == "valid";
        },
        seen);
    QVERIFY2(!ev.is_null(), "no checkpoint line for the decision within 2 s");
    QCOMPARE(ev["checkpoint"]["id"].get<std::string>(), std::string("c1"));
    // An ack.
    QCOMPARE(job(L({"ack", "--id", "c1", "--outcome", "done"})).exitCode, 0);
    ev = readUntil(
        p, 2000, [](const json &j) { return isEvent(j, "ack_written", "c1"); }, seen);
    QVERIFY2(!ev.is_null(), "no ack_written event within 2 s");
    // Drain what the same interval produced, then remember the last cursor.
    readUntil(
        p, 600, [](const json &) { return false; }, seen);
    const std::string cursor = seen.back()["cursor"].get<std::string>();
    // Cursors only grow, and none of the old checkpoint's events came again.
    for (const json &j : seen) {
        QVERIFY(!isEvent(j, "checkpoint_posted", "old"));
        QVERIFY(j.contains("cursor"));
    }
    p.kill();
    p.waitForFinished();

    // While nobody watches: a new checkpoint and a metrics row.
    post("c2");
    QCOMPARE(job(L({"log-metrics", "loss=1"})).exitCode, 0);

    QProcess q;
    q.start(vigil::test::jobBinary(),
            L({"watch", "--interval", "0.2", "--since"}) + QStringList{qs(cursor)} + runArgs());
    QVERIFY(q.waitForStarted());
    std::vector<json> resumed;
    const json snap2 = json::parse(readLine(q, 5000).toStdString());
    QCOMPARE(snap2["type"].get<std::string>(), std::string("snapshot"));
    QCOMPARE(snap2["cursor"].get<std::string>(), cursor); // nothing delivered yet
    readUntil(
        q, 1500, [](const json &) { return false; }, resumed);
    int posted = 0;
    for (const json &j : resumed) {
        QVERIFY2(!isEvent(j, "checkpoint_posted", "c1"), "an event was repeated");
        QVERIFY2(!isEvent(j, "ack_written", "c1"), "an event was repeated");
        posted += isEvent(j, "checkpoint_posted", "c2") ? 1 : 0;
    }
    QCOMPARE(posted, 1); // not lost, not repeated
    q.kill();
    q.waitForFinished();

    // A bad cursor is a usage error.
    QCOMPARE(job(L({"watch", "--since", "run-1=x"})).exitCode, 2);
}

void TestCommands::watchStopsOnSigtermAndClosedStdout()
{
    QProcess p;
    p.start(vigil::test::jobBinary(), L({"watch", "--interval", "0.2"}) + runArgs());
    QVERIFY(p.waitForStarted());
    QVERIFY(!readLine(p, 5000).isEmpty());
    ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
    QVERIFY(p.waitForFinished(3000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);

    // stdout closed by the reader: the next line (a heartbeat here) ends it.
    QProcess q;
    q.setStandardOutputFile(QProcess::nullDevice());
    const std::string script = "\"$0\" watch --run-dir \"$1\" --interval 0.1 --heartbeat 0.2 | "
                               "head -c 1 >/dev/null; wait";
    QElapsedTimer t;
    t.start();
    q.start(QStringLiteral("/bin/sh"),
            {QStringLiteral("-c"), qs(script), vigil::test::jobBinary(), qs(m_run)});
    QVERIFY(q.waitForFinished(10000));
    QVERIFY(t.elapsed() < 9000);
}

QTEST_GUILESS_MAIN(TestCommands)
#include "tst_commands.moc"
