// SPDX-License-Identifier: GPL-3.0-or-later
// vigil_job.py and vigil-job read each other's files: the same bytes, the
// same rules.

#include "core/runs/evidence.h"
#include "protocol/checkpoint.h"
#include "protocol/format.h"
#include "protocol/rundir.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace vigil::protocol;
using nlohmann::json;
using vigil::test::ProcessResult;
using vigil::test::qs;
using vigil::test::readText;
using vigil::test::runJob;
using vigil::test::runPython;
using vigil::test::writeText;

namespace {

std::vector<json> eventsOfType(const std::string &run, const std::string &type)
{
    std::vector<json> out;
    for (const std::string &line : vigil::test::lines(readText(run + "/events.jsonl"))) {
        json e = json::parse(line);
        if (e["type"] == type)
            out.push_back(e);
    }
    return out;
}

} // namespace

class TestPython : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cppPostsPythonDecides();
    void pythonPostsCppDecides();
    void sameCheckpointCommandSameFile();
    void timeoutCommittedOnceAcrossTwins();
    void pythonRefusesForged_data();
    void pythonRefusesForged();
    void twinsJudgeEvidenceAlike_data();
    void twinsJudgeEvidenceAlike();
    void pythonRejectsNewerMajor();
    void pythonRejectsHostileIds_data();
    void pythonRejectsHostileIds();

private:
    QStringList run() const { return {QStringLiteral("--run-dir"), qs(m_run)}; }
    Request request(const std::string &id) const
    {
        return parseRequest(readText(m_run + "/checkpoints/" + id + "/request.json")).value();
    }
    void decide(const std::string &id, const std::string &option, json params = json::object());

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::string m_run;
};

void TestPython::initTestCase()
{
    const auto r = runPython(QStringList{QStringLiteral("--version")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("vigil_job.py 0.1.0 (protocol 1.0)\n"));
}

void TestPython::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_run = m_tmp->path().toStdString() + "/run";
    QCOMPARE(runJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), qs(m_run),
                     QStringLiteral("--run-id"), QStringLiteral("run")})
                 .exitCode,
             0);
}

void TestPython::decide(const std::string &id, const std::string &option, json params)
{
    const Decision d =
        makeDecision(request(id), option, std::move(params), "", "root", "desk", "", now()).value();
    QVERIFY(createFileNoClobber(m_run + "/checkpoints/" + id + "/decision.json",
                                serializeDecision(d), 0600)
                .ok());
}

void TestPython::cppPostsPythonDecides()
{
    auto r =
        runJob(QStringList{QStringLiteral("checkpoint")} + run() +
               QStringList{QStringLiteral("--id"), QStringLiteral("c"), QStringLiteral("--title"),
                           QStringLiteral("Go on?"), QStringLiteral("--option"),
                           QStringLiteral("yes"), QStringLiteral("--option"), QStringLiteral("no"),
                           QStringLiteral("--param"), QStringLiteral("k:integer=3,min=1,max=9")});
    QCOMPARE(r.exitCode, 0);
    r = runPython(
        QStringList{QStringLiteral("decision"), QStringLiteral("--id"), QStringLiteral("c")} +
        run());
    QCOMPARE(r.exitCode, 3); // pending
    decide("c", "no", {{"k", 5}});
    r = runPython(
        QStringList{QStringLiteral("decision"), QStringLiteral("--id"), QStringLiteral("c")} +
        run());
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("no\n"));
    // Both twins print the same JSON for the same decision.
    const auto py = runPython(QStringList{QStringLiteral("decision"), QStringLiteral("--id"),
                                          QStringLiteral("c"), QStringLiteral("--json")} +
                              run());
    const auto cpp =
        runJob(QStringList{QStringLiteral("decision")} + run() +
               QStringList{QStringLiteral("--id"), QStringLiteral("c"), QStringLiteral("--json")});
    QCOMPARE(py.exitCode, 0);
    QCOMPARE(py.out, cpp.out);
    QCOMPARE(json::parse(py.out.toStdString())["params"]["k"].get<int>(), 5);

    r = runPython(QStringList{QStringLiteral("ack"), QStringLiteral("--id"), QStringLiteral("c"),
                              QStringLiteral("--outcome"), QStringLiteral("stopped at epoch 4")} +
                  run());
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const std::string ackBytes = readText(m_run + "/checkpoints/c/ack.json");
    auto ack = parseAck(ackBytes);
    QVERIFY2(ack.ok(), ack.errorString().c_str());
    QCOMPARE(qs(serializeAck(*ack)), qs(ackBytes)); // byte for byte what C++ would write
    auto scan = runJob({QStringLiteral("scan"), m_tmp->path()});
    const json cp = json::parse(scan.out.toStdString())["runs"][0]["checkpoints"][0];
    QVERIFY(cp["ack"]["matches_decision"].get<bool>());
    QCOMPARE(int(eventsOfType(m_run, "ack_written").size()), 1);
}

void TestPython::pythonPostsCppDecides()
{
    auto r = runPython(
        QStringList{QStringLiteral("checkpoint"),
                    QStringLiteral("--id"),
                    QStringLiteral("p"),
                    QStringLiteral("--title"),
                    QString::fromUtf8("Caf\xc3\xa9 \"quoted\" \\"),
                    QStringLiteral("--body"),
                    QStringLiteral("line 1\nline 2\t\x01"),
                    QStringLiteral("--option"),
                    QStringLiteral("keep=Keep"),
                    QStringLiteral("--option"),
                    QStringLiteral("retrain=Retrain"),
                    QStringLiteral("--default"),
                    QStringLiteral("retrain"),
                    QStringLiteral("--param"),
                    QStringLiteral("lr:number=0.0001,min=0,max=0.5"),
                    QStringLiteral("--param"),
                    QStringLiteral("epochs:integer=3,min=1"),
                    QStringLiteral("--param"),
                    QStringLiteral("aug:boolean=yes"),
                    QStringLiteral("--param"),
                    QStringLiteral("arch:enum=resnet,choices=resnet|vit,label=Arch\\, net"),
                    QStringLiteral("--metrics"),
                    QStringLiteral("metrics/m.csv,x=step"),
                    QStringLiteral("--attach"),
                    QStringLiteral("plots/a.png"),
                    QStringLiteral("--deadline"),
                    QStringLiteral("1d"),
                    QStringLiteral("--approver"),
                    QStringLiteral("root"),
                    QStringLiteral("--task"),
                    QStringLiteral("edge")} +
            run(),
        {QStringLiteral("SLURM_JOB_ID=55")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const json posted = json::parse(r.out.toStdString());
    const std::string bytes = readText(m_run + "/checkpoints/p/request.json");
    auto req = parseRequest(bytes);
    QVERIFY2(req.ok(), req.errorString().c_str());
    QCOMPARE(req->nonce, posted["nonce"].get<std::string>());
    QCOMPARE(qs(serializeRequest(*req)), qs(bytes)); // byte-compatible
    QCOMPARE(qs(req->defaultOption().name), QStringLiteral("retrain"));
    QCOMPARE(qs(req->params[3].label), QStringLiteral("Arch, net"));
    QCOMPARE(req->params[2].defaultValue.get<bool>(), true);
    QCOMPARE(qs(*req->defaultOnTimeout), QStringLiteral("retrain"));
    QCOMPARE(req->approverUids, std::vector<std::uint32_t>{0});
    QCOMPARE(qs(*req->job.slurmJobId), QStringLiteral("55"));
    QCOMPARE(int(eventsOfType(m_run, "checkpoint_posted").size()), 1);

    r = runJob(QStringList{QStringLiteral("decision")} + run() +
               QStringList{QStringLiteral("--id"), QStringLiteral("p")});
    QCOMPARE(r.exitCode, 3);
    decide("p", "keep", {{"lr", 0.25}});
    r = runJob(QStringList{QStringLiteral("decision")} + run() +
               QStringList{QStringLiteral("--id"), QStringLiteral("p")});
    QCOMPARE(r.out, QByteArray("keep\n"));
    r = runJob(QStringList{QStringLiteral("ack")} + run() +
               QStringList{QStringLiteral("--id"), QStringLiteral("p"), QStringLiteral("--outcome"),
                           QStringLiteral("kept")});
    QCOMPARE(r.exitCode, 0);
    // Python re-posting the same question gets the same nonce back (idempotent).
    r = runPython(QStringList{QStringLiteral("checkpoint"), QStringLiteral("--id"),
                              QStringLiteral("p"), QStringLiteral("--title"),
                              QStringLiteral("different"), QStringLiteral("--option"),
                              QStringLiteral("keep")} +
                  run());
    QCOMPARE(r.exitCode, 4);
}

void TestPython::sameCheckpointCommandSameFile()
{
    // The same command line through both twins gives the same file but for the
    // nonce and the times.
    const QStringList args{QStringLiteral("checkpoint"),
                           QStringLiteral("--title"),
                           QStringLiteral("T"),
                           QStringLiteral("--option"),
                           QStringLiteral("a=A"),
                           QStringLiteral("--option"),
                           QStringLiteral("b"),
                           QStringLiteral("--param"),
                           QStringLiteral("x:number=2.5,min=-1,max=1e3"),
                           QStringLiteral("--param"),
                           QStringLiteral("s:string=hi"),
                           QStringLiteral("--metrics"),
                           QStringLiteral("metrics/l.csv,columns=loss:acc")};
    QCOMPARE(
        runJob(args + run() + QStringList{QStringLiteral("--id"), QStringLiteral("c1")}).exitCode,
        0);
    QCOMPARE(runPython(args + QStringList{QStringLiteral("--id"), QStringLiteral("c2")} + run())
                 .exitCode,
             0);
    json a = json::parse(readText(m_run + "/checkpoints/c1/request.json"));
    json b = json::parse(readText(m_run + "/checkpoints/c2/request.json"));
    for (json *doc : {&a, &b}) {
        doc->erase("nonce");
        doc->erase("created_at");
        doc->erase("id");
    }
    QCOMPARE(qs(dumpFile(a)), qs(dumpFile(b)));
}

void TestPython::timeoutCommittedOnceAcrossTwins()
{
    auto r = runPython(
        QStringList{QStringLiteral("checkpoint"), QStringLiteral("--id"), QStringLiteral("t"),
                    QStringLiteral("--title"), QStringLiteral("t"), QStringLiteral("--option"),
                    QStringLiteral("go"), QStringLiteral("--option"), QStringLiteral("stop"),
                    QStringLiteral("--deadline"), QStringLiteral("2020-01-01T00:00:00Z"),
                    QStringLiteral("--timeout-default"), QStringLiteral("stop")} +
        run());
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const auto py = runPython(QStringList{QStringLiteral("decision"), QStringLiteral("--id"),
                                          QStringLiteral("t"), QStringLiteral("--json")} +
                              run());
    QVERIFY2(py.exitCode == 0, py.err.constData());
    const auto cpp =
        runJob(QStringList{QStringLiteral("decision")} + run() +
               QStringList{QStringLiteral("--id"), QStringLiteral("t"), QStringLiteral("--json")});
    QCOMPARE(cpp.exitCode, 0);
    QCOMPARE(cpp.out, py.out); // the one committed by Python
    const json d = json::parse(py.out.toStdString());
    QCOMPARE(d["kind"].get<std::string>(), std::string("timeout-default"));
    QCOMPARE(d["option"].get<std::string>(), std::string("stop"));
    QCOMPARE(int(eventsOfType(m_run, "timeout_default").size()), 1);
    const std::string bytes = readText(m_run + "/checkpoints/t/decision.json");
    QCOMPARE(qs(serializeDecision(parseDecision(bytes).value())), qs(bytes));
}

void TestPython::pythonRefusesForged_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<QString>("reason");
    QTest::newRow("other owner") << QStringLiteral("chown") << QStringLiteral("owned by uid 65534");
    QTest::newRow("wrong nonce") << QStringLiteral("nonce")
                                 << QStringLiteral("nonce does not match");
    QTest::newRow("out of bounds")
        << QStringLiteral("bounds") << QStringLiteral("is above the maximum 9");
    QTest::newRow("symlink") << QStringLiteral("symlink")
                             << QStringLiteral("is a symbolic link: refused");
}

void TestPython::pythonRefusesForged()
{
    QFETCH(QString, how);
    QFETCH(QString, reason);
    QCOMPARE(
        runJob(QStringList{QStringLiteral("checkpoint")} + run() +
               QStringList{QStringLiteral("--id"), QStringLiteral("f"), QStringLiteral("--title"),
                           QStringLiteral("t"), QStringLiteral("--option"), QStringLiteral("go"),
                           QStringLiteral("--param"), QStringLiteral("k:integer=3,max=9")})
            .exitCode,
        0);
    Decision d = makeDecision(request("f"), "go", {{"k", 4}}, "", "mallory", "", "", now()).value();
    if (how == QStringLiteral("nonce"))
        d.nonce = std::string(32, '1');
    if (how == QStringLiteral("bounds"))
        d.params = {{"k", 99}};
    const std::string path = m_run + "/checkpoints/f/decision.json";
    if (how == QStringLiteral("symlink")) {
        writeText(m_run + "/elsewhere.json", serializeDecision(d));
        QVERIFY(::symlink("../../elsewhere.json", path.c_str()) == 0);
    } else {
        QVERIFY(createFileNoClobber(path, serializeDecision(d), 0644).ok());
    }
    if (how == QStringLiteral("chown"))
        QVERIFY(::chown(path.c_str(), 65534, 65534) == 0);

    const auto r = runPython(
        QStringList{QStringLiteral("decision"), QStringLiteral("--id"), QStringLiteral("f")} +
        run());
    QCOMPARE(r.exitCode, 3);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(QString::fromUtf8(r.err).contains(reason), r.err.constData());
    const auto refused = eventsOfType(m_run, "decision_refused");
    QCOMPARE(int(refused.size()), 1);
    QVERIFY(qs(refused[0]["reason"].get<std::string>()).contains(reason));
    QVERIFY(!std::filesystem::exists(std::filesystem::symlink_status(path)));
    // C++ agrees afterwards: nothing to apply.
    QCOMPARE(runJob(QStringList{QStringLiteral("decision")} + run() +
                    QStringList{QStringLiteral("--id"), QStringLiteral("f")})
                 .exitCode,
             3);
}

void TestPython::twinsJudgeEvidenceAlike_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("reason"); // empty: applied by both
    QTest::newRow("matching, both files grew") << QStringLiteral("grow") << QString();
    QTest::newRow("no byte counts: applied as before") << QStringLiteral("old") << QString();
    QTest::newRow("tampered evidence hash: second file rewritten")
        << QStringLiteral("edit")
        << QStringLiteral("checkpoints/e/decision.json: tampered evidence: evidence_sha256 does "
                          "not match the metrics of checkpoint \"e\" as they are now: the bytes "
                          "of one of a.csv (first 6 bytes), sub/b.csv (first 4 bytes) differ "
                          "from what the decider saw");
    QTest::newRow("tampered: first file shorter")
        << QStringLiteral("truncate")
        << QStringLiteral("checkpoints/e/decision.json: tampered evidence: the metrics the "
                          "decider saw for checkpoint \"e\" cannot be checked: a.csv: is now 2 "
                          "bytes long, shorter than the 6 bytes the decider saw");
    QTest::newRow("tampered: directory of a file is a link")
        << QStringLiteral("link")
        << QStringLiteral("cannot be checked: sub: is a symbolic link: refused");
}

void TestPython::twinsJudgeEvidenceAlike()
{
    QFETCH(QString, change);
    QFETCH(QString, reason);
    QCOMPARE(
        runJob(QStringList{QStringLiteral("checkpoint")} + run() +
               QStringList{QStringLiteral("--id"), QStringLiteral("e"), QStringLiteral("--title"),
                           QStringLiteral("t"), QStringLiteral("--option"), QStringLiteral("go"),
                           QStringLiteral("--metrics"), QStringLiteral("a.csv"),
                           QStringLiteral("--metrics"), QStringLiteral("sub/b.csv")})
            .exitCode,
        0);
    std::filesystem::create_directories(m_run + "/sub");
    writeText(m_run + "/a.csv", "x,y\n1\n");
    writeText(m_run + "/sub/b.csv", "k\n7\n");
    Decision d =
        makeDecision(request("e"), "go", json::object(), "", "root", "desk", "", now()).value();
    // The hash as the desktop makes it (core/runs/evidence.cpp).
    d.evidenceSha256 = vigil::evidenceSha256({{QStringLiteral("a.csv"), QByteArray("x,y\n1\n")},
                                              {QStringLiteral("sub/b.csv"), QByteArray("k\n7\n")}})
                           .toStdString();
    d.evidenceBytes = std::vector<std::int64_t>{6, 4};
    if (change == QStringLiteral("grow")) {
        writeText(m_run + "/a.csv", "x,y\n1\n2\n3\n");
        writeText(m_run + "/sub/b.csv", "k\n7\n8\n");
    } else if (change == QStringLiteral("old")) {
        d.evidenceBytes.reset();
        writeText(m_run + "/sub/b.csv", "k\n9\n");
    } else if (change == QStringLiteral("edit")) {
        writeText(m_run + "/sub/b.csv", "k\n9\n");
    } else if (change == QStringLiteral("truncate")) {
        writeText(m_run + "/a.csv", "x,");
    } else if (change == QStringLiteral("link")) {
        std::filesystem::rename(m_run + "/sub", m_tmp->path().toStdString() + "/sub-elsewhere");
        QVERIFY(::symlink((m_tmp->path().toStdString() + "/sub-elsewhere").c_str(),
                          (m_run + "/sub").c_str()) == 0);
    }
    QVERIFY(createFileNoClobber(m_run + "/checkpoints/e/decision.json", serializeDecision(d), 0600)
                .ok());
    // The same run for each twin.
    const std::string twin = m_tmp->path().toStdString() + "/twin";
    std::filesystem::copy(m_run, twin,
                          std::filesystem::copy_options::recursive |
                              std::filesystem::copy_options::copy_symlinks);
    const QStringList ask{QStringLiteral("decision"), QStringLiteral("--id"), QStringLiteral("e"),
                          QStringLiteral("--json")};
    const auto cpp = runJob(ask + run());
    const auto py = runPython(ask + QStringList{QStringLiteral("--run-dir"), qs(twin)});
    QCOMPARE(py.exitCode, cpp.exitCode);
    QCOMPARE(py.out, cpp.out);
    const auto cppRefused = eventsOfType(m_run, "decision_refused");
    const auto pyRefused = eventsOfType(twin, "decision_refused");
    if (reason.isEmpty()) {
        QVERIFY2(cpp.exitCode == 0, cpp.err.constData());
        QCOMPARE(json::parse(cpp.out.toStdString())["decision_id"].get<std::string>(),
                 d.decisionId);
        QVERIFY(cppRefused.empty());
        QVERIFY(pyRefused.empty());
        return;
    }
    QCOMPARE(cpp.exitCode, 3); // pending: nothing applied
    QVERIFY(cpp.out.isEmpty());
    QCOMPARE(int(cppRefused.size()), 1);
    QCOMPARE(int(pyRefused.size()), 1);
    const std::string said = cppRefused[0]["reason"].get<std::string>();
    QVERIFY2(qs(said).contains(reason), said.c_str());
    QCOMPARE(qs(pyRefused[0]["reason"].get<std::string>()), qs(said));
    QVERIFY2(QString::fromUtf8(py.err).contains(reason), py.err.constData());
    QVERIFY2(QString::fromUtf8(cpp.err).contains(reason), cpp.err.constData());
}

void TestPython::pythonRejectsNewerMajor()
{
    QCOMPARE(
        runJob(QStringList{QStringLiteral("checkpoint")} + run() +
               QStringList{QStringLiteral("--id"), QStringLiteral("v"), QStringLiteral("--title"),
                           QStringLiteral("t"), QStringLiteral("--option"), QStringLiteral("go")})
            .exitCode,
        0);
    const std::string path = m_run + "/checkpoints/v/request.json";
    json doc = json::parse(readText(path));
    doc["format"]["version"] = "2.0";
    writeText(path, dumpFile(doc));
    const auto r = runPython(
        QStringList{QStringLiteral("decision"), QStringLiteral("--id"), QStringLiteral("v")} +
        run());
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(QString::fromUtf8(r.err).contains(
                 QStringLiteral("request.json has format version 2.0; this vigil_job.py "
                                "understands 1.x: upgrade it")),
             r.err.constData());
}

void TestPython::pythonRejectsHostileIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("substitution") << QStringLiteral("$(touch pwned)");
    QTest::newRow("traversal") << QStringLiteral("../../x");
    QTest::newRow("newline") << QStringLiteral("a\nb");
    QTest::newRow("unicode") << QString::fromUtf8("\xc3\xa9t\xc3\xa9");
    QTest::newRow("dotdot") << QStringLiteral("..");
    QTest::newRow("hidden") << QStringLiteral(".hidden"); // dot-names are the temporaries'
}

void TestPython::pythonRejectsHostileIds()
{
    QFETCH(QString, id);
    const auto r = runPython(QStringList{QStringLiteral("checkpoint"), QStringLiteral("--id=") + id,
                                         QStringLiteral("--title"), QStringLiteral("t"),
                                         QStringLiteral("--option"), QStringLiteral("a")} +
                             run());
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(QString::fromUtf8(r.err).contains(QStringLiteral("invalid checkpoint id")),
             r.err.constData());
    QVERIFY(std::filesystem::is_empty(m_run + "/checkpoints"));
}

QTEST_GUILESS_MAIN(TestPython)
#include "tst_python.moc"
