// SPDX-License-Identifier: GPL-3.0-or-later
// scanOverSftp (listings and reads only) gives the document `vigil-job scan`
// gives for the same run root, on a local directory through LocalTransport:
// valid, refused, moved-aside and missing decisions, acks, broken, oversized
// and symlinked files, odd names. The same comparison against the sandbox
// over real SFTP is tests/integration/tst_sftp_scan.cpp.
#include "../common/vigiljob.h"
#include "local/localtransport.h"
#include "protocol/decision.h"
#include "protocol/request.h"
#include "runs/runinfo.h"
#include "runs/sftpscan.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>
#include <optional>
#include <unistd.h>

using namespace vigil;
using namespace vigil::test;
using nlohmann::json;

class TestSftpScan : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    QString m_root;
    LocalTransport m_transport;

    bool write(const QString &path, const QByteArray &data)
    {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
    }
    // A decision for checkpoint `id` of `run`, as the desktop writes one.
    QByteArray decisionFor(const QString &run, const QString &id, const std::string &option,
                           const std::string &nonce = {})
    {
        QFile req(run + QStringLiteral("/checkpoints/") + id + QStringLiteral("/request.json"));
        if (!req.open(QIODevice::ReadOnly))
            return {};
        auto request = protocol::parseRequest(req.readAll().toStdString());
        if (!request)
            return {};
        auto decision = protocol::makeDecision(*request, option, json::object(), "fine", "alice",
                                               "desk", "", protocol::now());
        if (!decision)
            return {};
        if (!nonce.empty())
            decision->nonce = nonce;
        return QByteArray::fromStdString(protocol::serializeDecision(*decision));
    }
    static json stripped(const QByteArray &doc)
    {
        json j = json::parse(doc.toStdString());
        for (const char *key : {"scanned_at", "helper_version", "host"})
            j.erase(key);
        return j;
    }

private Q_SLOTS:
    void initTestCase();
    void sameDocumentAsTheHelper();
    void missingRootFails();
    void parsedLikeTheHelpersDocument();

private:
    std::optional<Result<SftpScanResult>> scan(const QString &root,
                                               std::optional<quint32> uid = std::nullopt)
    {
        std::optional<Result<SftpScanResult>> got;
        scanOverSftp(&m_transport, {root, QStringLiteral("desk"), uid}, this,
                     [&got](Result<SftpScanResult> r) { got.emplace(std::move(r)); });
        if (!QTest::qWaitFor([&] { return got.has_value(); }, 20000))
            return std::nullopt;
        return got;
    }
};

void TestSftpScan::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_transport.open();
    QCOMPARE(m_transport.state(), Transport::State::Connected);
    m_root = m_tmp.filePath(QStringLiteral("root"));
    QVERIFY(QDir().mkpath(m_root));
    const QString run = m_root + QStringLiteral("/run-1");
    runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), run,
                 QStringLiteral("--run-id"), QStringLiteral("run-1"),
                 QStringLiteral("--workflow-name"), QStringLiteral("wf")});
    const QString cps = run + QStringLiteral("/checkpoints/");
    for (const char *id : {"pending", "answered", "forged", "moved", "linked-decision"})
        runVigilJob(checkpointArgs(run, QStringLiteral("train"), QString::fromLatin1(id),
                                   {QStringLiteral("--param"), QStringLiteral("lr:number:0.01")}));
    // Decided and acknowledged.
    QVERIFY(write(cps + QStringLiteral("answered/decision.json"),
                  decisionFor(run, QStringLiteral("answered"), "stop")));
    runVigilJob({QStringLiteral("ack"), QStringLiteral("--run-dir"), run, QStringLiteral("--id"),
                 QStringLiteral("answered"), QStringLiteral("--outcome"),
                 QStringLiteral("stopped")});
    // A decision for another incarnation (wrong nonce): refused in place.
    QVERIFY(write(cps + QStringLiteral("forged/decision.json"),
                  decisionFor(run, QStringLiteral("forged"), "go", std::string(32, 'a'))));
    // One the job refused and moved aside, then a valid one.
    QVERIFY(write(cps + QStringLiteral("moved/decision.json"),
                  decisionFor(run, QStringLiteral("moved"), "go", std::string(32, 'b'))));
    runVigilJob({QStringLiteral("decision"), QStringLiteral("--run-dir"), run,
                 QStringLiteral("--id"), QStringLiteral("moved")},
                3);
    QCOMPARE(QDir(cps + QStringLiteral("moved"))
                 .entryList({QStringLiteral("decision.refused-*")}, QDir::Files)
                 .size(),
             1);
    QVERIFY(write(cps + QStringLiteral("moved/decision.json"),
                  decisionFor(run, QStringLiteral("moved"), "go")));
    // A symlinked decision, request, checkpoint directory; broken and huge requests.
    QVERIFY(QFile::link(cps + QStringLiteral("answered/decision.json"),
                        cps + QStringLiteral("linked-decision/decision.json")));
    QVERIFY(QDir().mkpath(cps + QStringLiteral("linked-request")));
    QVERIFY(QFile::link(cps + QStringLiteral("pending/request.json"),
                        cps + QStringLiteral("linked-request/request.json")));
    QVERIFY(QFile::link(cps + QStringLiteral("pending"), cps + QStringLiteral("linked-dir")));
    QVERIFY(QDir().mkpath(cps + QStringLiteral("garbled")));
    QVERIFY(write(cps + QStringLiteral("garbled/request.json"), "{not json"));
    QVERIFY(QDir().mkpath(cps + QStringLiteral("huge")));
    QVERIFY(write(cps + QStringLiteral("huge/request.json"), QByteArray(1024 * 1024 + 1, ' ')));
    QVERIFY(QDir().mkpath(cps + QStringLiteral("bad name")));
    QVERIFY(QDir().mkpath(cps + QStringLiteral(".hidden")));
    QVERIFY(QDir().mkpath(cps + QStringLiteral("empty")));
    QVERIFY(QDir().mkpath(cps + QStringLiteral("answered/ack.json.d")));
    // Tasks: one run by task-exec, one that failed, broken and symlinked state files.
    runVigilJob({QStringLiteral("task-exec"), QStringLiteral("--run-dir"), run,
                 QStringLiteral("--task"), QStringLiteral("prep"), QStringLiteral("--"),
                 QStringLiteral("true")});
    runVigilJob({QStringLiteral("task-exec"), QStringLiteral("--run-dir"), run,
                 QStringLiteral("--task"), QStringLiteral("train"), QStringLiteral("--"),
                 QStringLiteral("false")},
                1);
    const QString tasks = run + QStringLiteral("/tasks/");
    QVERIFY(write(tasks + QStringLiteral("train/stdout.log"), "epoch 1\n"));
    QVERIFY(QDir().mkpath(tasks + QStringLiteral("broken")));
    QVERIFY(write(tasks + QStringLiteral("broken/state.json"), "[]"));
    QVERIFY(write(tasks + QStringLiteral("broken/submission.json"), "{}"));
    QVERIFY(QDir().mkpath(tasks + QStringLiteral("linked")));
    QVERIFY(QFile::link(tasks + QStringLiteral("prep/state.json"),
                        tasks + QStringLiteral("linked/state.json")));
    QVERIFY(QFile::link(tasks + QStringLiteral("prep/prep.done"),
                        tasks + QStringLiteral("linked/linked.done")));
    // Other runs and things that are not runs.
    const QString run2 = m_root + QStringLiteral("/run-2");
    runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), run2,
                 QStringLiteral("--run-id"), QStringLiteral("run-2")});
    QVERIFY(write(run2 + QStringLiteral("/run.json"), "garbage"));
    QVERIFY(QFile::remove(run2 + QStringLiteral("/events.jsonl")));
    QVERIFY(QDir().mkpath(m_root + QStringLiteral("/not-a-run/tasks")));
    QVERIFY(QDir().mkpath(m_root + QStringLiteral("/bad id!")));
    QVERIFY(write(m_root + QStringLiteral("/bad id!/run.json"), "{}"));
    QVERIFY(QFile::link(run, m_root + QStringLiteral("/run-link")));
    QVERIFY(write(m_root + QStringLiteral("/README"), "hello"));
    const QString run3 = m_root + QStringLiteral("/run-3");
    QVERIFY(QDir().mkpath(run3));
    QVERIFY(QFile::link(run + QStringLiteral("/run.json"), run3 + QStringLiteral("/run.json")));
    QVERIFY(
        QFile::link(run + QStringLiteral("/checkpoints"), run3 + QStringLiteral("/checkpoints")));
}

void TestSftpScan::sameDocumentAsTheHelper()
{
    const QByteArray helperDoc = runVigilJob({QStringLiteral("scan"), m_root});
    QVERIFY(!helperDoc.isEmpty());
    const auto before = m_transport.stats().fileOps;
    auto got = scan(m_root);
    QVERIFY(got.has_value());
    QVERIFY2(got->ok(), qPrintable(got->errorString()));
    const SftpScanResult &r = **got;
    QVERIFY(r.document.endsWith('\n'));
    QCOMPARE(r.document.count('\n'), 1);

    const json mine = stripped(r.document);
    const json theirs = stripped(helperDoc);
    if (mine != theirs)
        qWarning().noquote() << "helper:" << QString::fromStdString(theirs.dump(1))
                             << "\nsftp:" << QString::fromStdString(mine.dump(1));
    QCOMPARE(mine.dump(), theirs.dump());
    // The fixture reaches the cases that matter.
    const std::string text = mine.dump();
    for (const char *needle :
         {"checkpoints/linked-decision/decision.json: is a symbolic link: refused",
          "checkpoints/linked-request/request.json: is a symbolic link: refused",
          "checkpoints/linked-dir: is a symbolic link: refused",
          "checkpoints: is a symbolic link: refused", "run.json: is a symbolic link: refused",
          "tasks/linked/state.json: is a symbolic link: refused",
          "the file is 1048577 bytes, over the limit of 1 MiB: refused",
          "checkpoints/garbled/request.json: not valid JSON", "\"status\":\"refused\"",
          "\"status\":\"valid\"", "\"matches_decision\":true", "\"refused_count\":1",
          "invalid run directory name", "\"file\":\"decision.refused-"})
        QVERIFY2(text.find(needle) != std::string::npos, needle);
    const json doc = json::parse(r.document.toStdString());
    QVERIFY(doc["helper_version"].is_null());
    QCOMPARE(doc["host"].dump(), std::string("\"desk\""));
    QVERIFY(r.uid.has_value());
    QCOMPARE(*r.uid, quint32(::geteuid()));

    // What it cost: every directory listed once, only the files needed read.
    QCOMPARE(m_transport.stats().fileOps - before, quint64(r.listings + r.reads));
    // Listed: the root's parent and the root; the directories in it (run-1,
    // run-2, run-3, not-a-run, "bad id!": not the symlink, not the file);
    // tasks/ and checkpoints/ of run-1 and run-2 (run-3's checkpoints/ is a
    // symlink, "bad id!" is refused by name); run-1's 9 checkpoint
    // directories with a valid name that are not symlinks, and its 4 tasks.
    QCOMPARE(r.listings, 2 + 5 + 4 + 9 + 4);
    // Read: run.json of run-1 and run-2 (run-3's is a symlink: refused
    // unread); 6 request.json (not the symlinked, the huge or the missing
    // one); decision.json of answered, forged and moved, and moved's refused
    // one (not the symlinked one); answered's ack.json; state.json of prep,
    // train and broken; broken's submission.json.
    QCOMPARE(r.reads, 2 + 6 + 4 + 1 + 3 + 1);
    QVERIFY(r.passes >= 5 && r.passes <= 10);

    // With the uid known, the root's parent is not listed.
    auto again = scan(m_root, 1234);
    QVERIFY(again.has_value() && again->ok());
    QCOMPARE((*again)->listings, r.listings - 1);
    QCOMPARE(json::parse((*again)->document.toStdString())["uid"].dump(), std::string("1234"));
}

void TestSftpScan::missingRootFails()
{
    const QString missing = m_tmp.filePath(QStringLiteral("nope"));
    auto got = scan(missing, 0);
    QVERIFY(got.has_value());
    QVERIFY(!got->ok());
    QCOMPARE(got->error().message, missing + QStringLiteral(": No such file or directory"));
    QCOMPARE(got->error().kind, Error::Kind::NotFound);
    auto relative = scan(QStringLiteral("relative/root"), 0);
    QVERIFY(relative.has_value() && !relative->ok());
}

void TestSftpScan::parsedLikeTheHelpersDocument()
{
    auto got = scan(m_root);
    QVERIFY(got.has_value() && got->ok());
    auto runs = parseScan((*got)->document, QStringLiteral("s"));
    QVERIFY2(runs.ok(), qPrintable(runs.errorString()));
    auto reference = parseScan(runVigilJob({QStringLiteral("scan"), m_root}), QStringLiteral("s"));
    QVERIFY(reference.ok());
    QCOMPARE(runs->size(), reference->size());
    for (qsizetype i = 0; i < runs->size(); ++i) {
        QCOMPARE(runs->at(i).runId, reference->at(i).runId);
        QCOMPARE(runs->at(i).checkpoints.size(), reference->at(i).checkpoints.size());
        QCOMPARE(runs->at(i).problems, reference->at(i).problems);
        for (qsizetype c = 0; c < runs->at(i).checkpoints.size(); ++c)
            QCOMPARE(runs->at(i).checkpoints.at(c).status,
                     reference->at(i).checkpoints.at(c).status);
    }
}

QTEST_GUILESS_MAIN(TestSftpScan)
#include "tst_sftpscan.moc"
