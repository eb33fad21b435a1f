// SPDX-License-Identifier: GPL-3.0-or-later
// The checkpoint lifecycle in the library: posting, the trust rule (owner uid
// + nonce), refusals logged and moved aside, the timeout default, acks, scan.

#include "trustfixture.h"

#include <sys/wait.h>

using namespace vigil::protocol;
using nlohmann::json;
using vigil::test::qs;
using vigil::test::readText;
using vigil::test::sampleDecision;
using vigil::test::sampleRequest;
using vigil::test::writeText;

using namespace vigil::test::trust;

class TestTrust : public QObject, public TrustRun
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void postIsNoClobberAndIdempotent();
    void pendingUntilDecided();
    void validDecisionAccepted();
    void refusedDecisions_data();
    void refusedDecisions();
    void approverListAcceptsOnlyApprovers();
    void refusedOnceWhenPolledRepeatedly();
    void timeoutDefaultCommittedOnce();
    void timeoutDefaultLosesToHuman();
    void noTimeoutBeforeDeadline();
    void ackNeedsValidDecision();
    void scanReportsEverything();
    void resolveUidFallsBackToId();
};

void TestTrust::init()
{
    setUp();
}

void TestTrust::postIsNoClobberAndIdempotent()
{
    const Request r = post(sampleRequest());
    const std::string file = m_run + "/" + RunLayout::request(r.id);
    QCOMPARE(qs(readText(file)), qs(serializeRequest(r)));
    struct stat st
    {
    };
    ::stat(file.c_str(), &st);
    QCOMPARE(st.st_mode & 07777, mode_t(0600));

    // The same question again (say, a requeued job): the stored request and nonce come back.
    Request again = sampleRequest();
    again.approvers.clear();
    again.approverUids.clear();
    again.nonce = std::string(32, 'c');
    auto second = postCheckpoint(*m_rd, again);
    QVERIFY(second.ok());
    QVERIFY(second->existing);
    QCOMPARE(qs(second->request.nonce), qs(r.nonce));
    QCOMPARE(qs(readText(file)), qs(serializeRequest(r)));

    // Another question under the same id is a conflict, and nothing changes.
    again.title = "Something else";
    auto conflict = postCheckpoint(*m_rd, again);
    QVERIFY(!conflict.ok());
    QCOMPARE(conflict.error().kind, Error::Kind::Conflict);
    QVERIFY(qs(conflict.error().message).contains(QStringLiteral("already posted")));
    QCOMPARE(qs(readText(file)), qs(serializeRequest(r)));
    QCOMPARE(int(eventsOfType(m_run, event::kCheckpointPosted).size()), 1);
}

void TestTrust::pendingUntilDecided()
{
    const Request r = post(sampleRequest());
    PollOptions o;
    o.now = now();
    auto status = pollDecision(*m_rd, r.id, o);
    QVERIFY(status.ok());
    QVERIFY(!status->decision);
    QVERIFY(status->warnings.empty());
    auto missing = pollDecision(*m_rd, "no-such", o);
    QCOMPARE(missing.error().kind, Error::Kind::NotFound);
    QVERIFY(qs(missing.error().message).startsWith(QStringLiteral("no checkpoint \"no-such\"")));
}

void TestTrust::validDecisionAccepted()
{
    const Request r = post(sampleRequest());
    const Decision d = sampleDecision(r);
    writeDecision(d);
    PollOptions o;
    o.now = now();
    auto status = pollDecision(*m_rd, r.id, o);
    QVERIFY(status.ok());
    QVERIFY(status->decision.has_value());
    QVERIFY(*status->decision == d);
    QVERIFY(!status->committedTimeout);
    QVERIFY(eventsOfType(m_run, event::kDecisionRefused).empty());
}

void TestTrust::refusedDecisions_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<QString>("reason");
    QTest::newRow("forged: owned by another uid")
        << QStringLiteral("chown")
        << QStringLiteral("the file is owned by uid 65534, who is not an approver");
    QTest::newRow("stale: wrong nonce")
        << QStringLiteral("nonce") << QStringLiteral("its nonce does not match the request's");
    // Real decisions replayed: each was valid where it was made.
    QTest::newRow("replayed: from another run's checkpoint of the same id")
        << QStringLiteral("replay-run") << QStringLiteral("its nonce does not match the request's");
    QTest::newRow("replayed: from another checkpoint of this run")
        << QStringLiteral("replay-checkpoint")
        << QStringLiteral("it answers checkpoint \"other-check\", not \"lr-check\"");
    QTest::newRow("unknown option")
        << QStringLiteral("option") << QStringLiteral("is not an option of checkpoint");
    QTest::newRow("param out of bounds")
        << QStringLiteral("bounds") << QStringLiteral("is above the maximum");
    QTest::newRow("malformed") << QStringLiteral("garbage") << QStringLiteral("not valid JSON");
    QTest::newRow("symlink") << QStringLiteral("symlink")
                             << QStringLiteral("is a symbolic link: refused");
    QTest::newRow("oversized") << QStringLiteral("big") << QStringLiteral("over the limit");
    QTest::newRow("newer major") << QStringLiteral("major")
                                 << QStringLiteral("has format version 2.0");
    // The decider saw other metrics than the file now holds (evidenceVerified has more).
    QTest::newRow("tampered evidence hash")
        << QStringLiteral("evidence")
        << QStringLiteral("tampered evidence: evidence_sha256 does not match the metrics of "
                          "checkpoint \"lr-check\" as they are now: the bytes of "
                          "metrics/loss.csv (first 16 bytes) differ");
}

void TestTrust::refusedDecisions()
{
    QFETCH(QString, how);
    QFETCH(QString, reason);
    const Request r = post(sampleRequest());
    const std::string cpDir = m_run + "/" + RunLayout::checkpointDir(r.id);
    const std::string path = cpDir + "/decision.json";
    Decision d = sampleDecision(r);
    uid_t owner = ::geteuid();
    if (how == QStringLiteral("chown")) {
        owner = 65534;
    } else if (how == QStringLiteral("nonce")) {
        d.nonce = std::string(32, 'f');
    } else if (how == QStringLiteral("option")) {
        d.option = "explode";
    } else if (how == QStringLiteral("bounds")) {
        d.params = {{"lr", 99.0}};
    } else if (how == QStringLiteral("evidence")) {
        writeMetrics("step,loss\n1,0.5\n");
        d.evidenceSha256 = desktopEvidenceHash({{"metrics/loss.csv", "step,loss\n1,0.5\n"}});
        d.evidenceBytes = std::vector<std::int64_t>{16};
        writeMetrics("step,loss\n1,0.1\n2,0.4\n"); // the first 16 bytes differ
    } else if (how == QStringLiteral("replay-run")) {
        // The same question in another run: its own nonce, its own decision.
        const std::string otherRun = m_tmp->path().toStdString() + "/run-b";
        QVERIFY(initRun(otherRun, RunInfo{"run-b", "wf", now(), ::geteuid(), false}).ok());
        RunDir other = RunDir::open(otherRun).value();
        Request question = sampleRequest();
        question.nonce = "fedcba9876543210fedcba9876543210"; // every posting has its own
        auto there = postCheckpoint(other, question);
        QVERIFY(there.ok());
        QVERIFY(there->request.nonce != r.nonce);
        d = sampleDecision(there->request);
    }
    if (how == QStringLiteral("replay-checkpoint")) {
        // A valid decision of another checkpoint, copied byte for byte.
        const Request other = post(sampleRequest("other-check"));
        writeText(path, serializeDecision(sampleDecision(other)));
    } else if (how == QStringLiteral("garbage")) {
        writeText(path, "{\"format\": ");
    } else if (how == QStringLiteral("symlink")) {
        writeText(m_tmp->path().toStdString() + "/forged.json", serializeDecision(d));
        QVERIFY(::symlink((m_tmp->path().toStdString() + "/forged.json").c_str(), path.c_str()) ==
                0);
    } else if (how == QStringLiteral("big")) {
        writeText(path, std::string(kMaxFileSize + 10, ' '));
    } else if (how == QStringLiteral("major")) {
        json doc = toJson(d);
        doc["format"]["version"] = "2.0";
        writeText(path, doc.dump());
    } else {
        writeDecision(d, owner);
    }

    PollOptions o;
    o.now = now();
    auto status = pollDecision(*m_rd, r.id, o);
    QVERIFY(status.ok());
    QVERIFY(!status->decision); // never applied: still pending
    QCOMPARE(int(status->warnings.size()), 1);
    QVERIFY2(qs(status->warnings[0]).contains(reason), status->warnings[0].c_str());

    // Logged once with the reason, and moved aside out of the way.
    const auto refused = eventsOfType(m_run, event::kDecisionRefused);
    QCOMPARE(int(refused.size()), 1);
    QVERIFY(qs(refused[0]["reason"].get<std::string>()).contains(reason));
    QCOMPARE(refused[0]["checkpoint"].get<std::string>(), r.id);
    QCOMPARE(refused[0]["owner_uid"].get<std::uint32_t>(), std::uint32_t(owner));
    QVERIFY(!std::filesystem::exists(std::filesystem::symlink_status(path)));
    const auto moved = refusedFiles(cpDir);
    QCOMPARE(int(moved.size()), 1);
    QCOMPARE(refused[0]["moved_to"].get<std::string>(), moved[0]);

    // The rightful approver can still decide, and that decision is applied.
    const Decision good = sampleDecision(r, "continue");
    writeDecision(good);
    auto after = pollDecision(*m_rd, r.id, o);
    QVERIFY(after.ok());
    QVERIFY(after->decision.has_value());
    QCOMPARE(qs(after->decision->decisionId), qs(good.decisionId));
}

void TestTrust::approverListAcceptsOnlyApprovers()
{
    Request r = sampleRequest();
    r.approvers = {"nobody"};
    r.approverUids = {65534};
    auto posted = postCheckpoint(*m_rd, r);
    QVERIFY(posted.ok());
    // The approver is not the job owner: the checkpoint directory lets them create files,
    // sticky so that nobody removes another's file; the run is not group-readable: warned.
    struct stat st
    {
    };
    ::stat((m_run + "/" + RunLayout::checkpointDir(r.id)).c_str(), &st);
    QCOMPARE(st.st_mode & 07777, mode_t(01770));
    QCOMPARE(int(posted->warnings.size()), 1);
    QVERIFY(qs(posted->warnings[0]).contains(QStringLiteral("not group-readable")));

    // The job owner (root here) is not an approver: refused.
    writeDecision(sampleDecision(r));
    PollOptions o;
    o.now = now();
    auto status = pollDecision(*m_rd, r.id, o);
    QVERIFY(!status->decision);
    QVERIFY(qs(status->warnings[0]).contains(QStringLiteral("owned by uid 0")));

    // The approver's decision is accepted.
    const Decision mine = sampleDecision(r, "stop");
    writeDecision(mine, 65534);
    status = pollDecision(*m_rd, r.id, o);
    QVERIFY(status->decision.has_value());
    QCOMPARE(qs(status->decision->option), QStringLiteral("stop"));
}

void TestTrust::refusedOnceWhenPolledRepeatedly()
{
    const Request r = post(sampleRequest());
    Decision d = sampleDecision(r);
    d.nonce = std::string(32, '9');
    writeDecision(d);
    std::set<std::string> reported;
    PollOptions o;
    o.now = now();
    o.reported = &reported;
    for (int i = 0; i < 5; ++i)
        QVERIFY(!pollDecision(*m_rd, r.id, o)->decision);
    QCOMPARE(int(eventsOfType(m_run, event::kDecisionRefused).size()), 1);
}

void TestTrust::timeoutDefaultCommittedOnce()
{
    Request r = sampleRequest();
    r.deadline = now() - std::chrono::seconds(5);
    r = post(r);
    const std::string run = m_run;
    const std::string id = r.id;
    // Four pollers race at the deadline: one commits, every one applies the same decision.
    int fds[2];
    QVERIFY(::pipe(fds) == 0);
    std::vector<pid_t> pids;
    for (int i = 0; i < 4; ++i) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            auto rd = RunDir::open(run);
            PollOptions o;
            o.now = now();
            o.host = "node" + std::to_string(i);
            auto s = rd ? pollDecision(*rd, id, o) : Result<DecisionStatus>(rd.error());
            if (!s || !s->decision)
                ::_exit(1);
            const std::string line = s->decision->decisionId + (s->committedTimeout ? "+" : "-");
            [[maybe_unused]] auto n = ::write(fds[1], line.data(), line.size());
            ::_exit(0);
        }
        pids.push_back(pid);
    }
    ::close(fds[1]);
    for (const pid_t pid : pids) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    std::string all;
    char buf[256];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        all.append(buf, size_t(n));
    ::close(fds[0]);
    QCOMPARE(int(all.size()), 4 * 33);
    std::set<std::string> ids;
    int committed = 0;
    for (int i = 0; i < 4; ++i) {
        ids.insert(all.substr(size_t(i) * 33, 32));
        committed += all[size_t(i) * 33 + 32] == '+' ? 1 : 0;
    }
    QCOMPARE(int(ids.size()), 1);
    QCOMPARE(committed, 1);
    QCOMPARE(int(eventsOfType(m_run, event::kTimeoutDefault).size()), 1);

    auto stored = parseDecision(readText(m_run + "/" + RunLayout::decision(id)));
    QVERIFY(stored.ok());
    QCOMPARE(stored->kind, DecisionKind::TimeoutDefault);
    QCOMPARE(qs(stored->option), QStringLiteral("stop"));
    QCOMPARE(qs(stored->decidedBy), QStringLiteral("vigil-job"));
    QCOMPARE(qs(stored->decisionId), qs(*ids.begin()));
    // Later polls return the same decision and commit nothing.
    PollOptions o;
    o.now = now();
    auto later = pollDecision(*m_rd, id, o);
    QCOMPARE(qs(later->decision->decisionId), qs(*ids.begin()));
    QVERIFY(!later->committedTimeout);
}

void TestTrust::timeoutDefaultLosesToHuman()
{
    Request r = sampleRequest();
    r.deadline = now() - std::chrono::seconds(5);
    r = post(r);
    const Decision human = sampleDecision(r, "lower");
    writeDecision(human); // arrived before the job polled
    PollOptions o;
    o.now = now();
    auto status = pollDecision(*m_rd, r.id, o);
    QCOMPARE(qs(status->decision->decisionId), qs(human.decisionId));
    QVERIFY(eventsOfType(m_run, event::kTimeoutDefault).empty());
}

void TestTrust::noTimeoutBeforeDeadline()
{
    Request r = sampleRequest();
    r.deadline = now() + std::chrono::hours(1);
    r = post(r);
    PollOptions o;
    o.now = now();
    QVERIFY(!pollDecision(*m_rd, r.id, o)->decision);
    o.commitTimeout = false; // ack and scan never commit
    o.now = now() + std::chrono::hours(2);
    QVERIFY(!pollDecision(*m_rd, r.id, o)->decision);
    o.commitTimeout = true;
    QVERIFY(pollDecision(*m_rd, r.id, o)->committedTimeout);
}

void TestTrust::ackNeedsValidDecision()
{
    const Request r = post(sampleRequest());
    auto early = writeAck(*m_rd, r.id, "too early", now());
    QCOMPARE(early.error().kind, Error::Kind::Pending);
    const Decision d = sampleDecision(r);
    writeDecision(d);
    auto ack = writeAck(*m_rd, r.id, "lr set to 5e-4", now());
    QVERIFY2(ack.ok(), ack.errorString().c_str());
    auto stored = parseAck(readText(m_run + "/" + RunLayout::ack(r.id)));
    QVERIFY(stored.ok());
    QCOMPARE(qs(stored->decisionId), qs(d.decisionId));
    QCOMPARE(qs(stored->outcome), QStringLiteral("lr set to 5e-4"));
    const auto acks = eventsOfType(m_run, event::kAckWritten);
    QCOMPARE(int(acks.size()), 1);
    QCOMPARE(acks[0]["decision_id"].get<std::string>(), d.decisionId);
}

void TestTrust::scanReportsEverything()
{
    const Request good = post(sampleRequest("good"));
    const Decision d = sampleDecision(good);
    writeDecision(d);
    QVERIFY(writeAck(*m_rd, good.id, "done", now()).ok());
    const Request forged = post(sampleRequest("forged"));
    writeDecision(sampleDecision(forged), 65534);
    post(sampleRequest("open"));
    // Broken things that must not stop the scan.
    std::filesystem::create_directories(m_run + "/checkpoints/broken");
    writeText(m_run + "/checkpoints/broken/request.json", "{not json");
    std::filesystem::create_directories(m_run + "/checkpoints/huge");
    writeText(m_run + "/checkpoints/huge/request.json", std::string(kMaxFileSize + 1, ' '));
    std::filesystem::create_directories(m_run + "/tasks/train");
    writeText(m_run + "/tasks/train/state.json", "[]");
    writeText(m_run + "/tasks/train/train.failed", "1\n");
    // Another run with a broken run.json, a directory that is not a run, a symlinked run.
    const std::string root = m_tmp->path().toStdString();
    std::filesystem::create_directories(root + "/run-b");
    writeText(root + "/run-b/run.json", "{\"format\": {\"name\": \"vigil.run\", \"version\": "
                                        "\"9.0\"}}");
    std::filesystem::create_directories(root + "/not-a-run");
    QVERIFY(::symlink((m_run).c_str(), (root + "/linked").c_str()) == 0);

    const std::string before = readText(m_run + "/events.jsonl");
    auto doc = scanRoot(root, now());
    QVERIFY2(doc.ok(), doc.errorString().c_str());
    // Read-only: no event, the forged decision still in place.
    QCOMPARE(qs(readText(m_run + "/events.jsonl")), qs(before));
    QVERIFY(std::filesystem::exists(m_run + "/checkpoints/forged/decision.json"));

    const json &runs = (*doc)["runs"];
    QCOMPARE(int(runs.size()), 2); // run-a and run-b; not-a-run and the symlink are skipped
    QCOMPARE(runs[0]["dir"].get<std::string>(), std::string("run-a"));
    QCOMPARE(runs[0]["run"]["run_id"].get<std::string>(), std::string("run-a"));
    QCOMPARE(runs[1]["dir"].get<std::string>(), std::string("run-b"));
    QCOMPARE(qs(runs[1]["error"].get<std::string>()),
             QStringLiteral("run.json has format version 9.0; this vigil-job understands 1.x: "
                            "upgrade it"));

    std::map<std::string, json> cps;
    for (const json &c : runs[0]["checkpoints"])
        cps[c["id"].get<std::string>()] = c;
    QCOMPARE(int(cps.size()), 5);
    QCOMPARE(cps["good"]["decision"]["status"].get<std::string>(), std::string("valid"));
    QCOMPARE(cps["good"]["decision"]["decision_id"].get<std::string>(), d.decisionId);
    QCOMPARE(cps["good"]["decision"]["decided_by"].get<std::string>(), std::string("root"));
    QVERIFY(cps["good"]["ack"]["matches_decision"].get<bool>());
    QCOMPARE(cps["good"]["request"]["nonce"].get<std::string>(), good.nonce);
    QCOMPARE(cps["forged"]["decision"]["status"].get<std::string>(), std::string("refused"));
    QVERIFY(qs(cps["forged"]["decision"]["reason"].get<std::string>())
                .contains(QStringLiteral("owned by uid 65534")));
    QVERIFY(cps["open"]["decision"].is_null());
    QVERIFY(cps["open"]["ack"].is_null());
    QVERIFY(qs(cps["broken"]["error"].get<std::string>())
                .startsWith(QStringLiteral("checkpoints/broken/request.json: not valid JSON")));
    QVERIFY(qs(cps["huge"]["error"].get<std::string>())
                .contains(QStringLiteral("over the limit of 1 MiB")));
    QVERIFY(!cps["broken"].contains("request"));

    const json &task = runs[0]["tasks"][0];
    QCOMPARE(task["name"].get<std::string>(), std::string("train"));
    QVERIFY(task["failed"].get<bool>());
    QVERIFY(!task["done"].get<bool>());
    QVERIFY(qs(task["error"].get<std::string>())
                .startsWith(QStringLiteral("tasks/train/state.json: expected a JSON object")));
    QCOMPARE(qs((*doc)["format"]["name"].get<std::string>()), QStringLiteral("vigil.scan"));
}

void TestTrust::resolveUidFallsBackToId()
{
    // The passwd file has it.
    QCOMPARE(resolveUid("root").value(), 0u);
    // Not in the passwd file: the system's `id -u` answers (what LDAP users need).
    UserLookup noPasswd;
    noPasswd.passwdFile = m_tmp->path().toStdString() + "/empty-passwd";
    writeText(noPasswd.passwdFile, "alice:x:1234:1234::/home/alice:/bin/sh\n");
    QCOMPARE(resolveUid("alice", noPasswd).value(), 1234u);
    QCOMPARE(resolveUid("root", noPasswd).value(), 0u);
    // Unknown everywhere: a clear error.
    auto unknown = resolveUid("no-such-user-xyz", noPasswd);
    QVERIFY(!unknown.ok());
    QVERIFY2(qs(unknown.error().message)
                 .startsWith(
                     QStringLiteral("cannot resolve user \"no-such-user-xyz\" to a uid: not in")),
             unknown.error().message.c_str());
    QVERIFY(qs(unknown.error().message).contains(QStringLiteral("-u no-such-user-xyz` exited")));
    // No id command either.
    UserLookup nothing = noPasswd;
    nothing.idCommands = {"/nonexistent/id"};
    QVERIFY(qs(resolveUid("bob", nothing).error().message)
                .contains(QStringLiteral("no `id` command was found")));
    // Hostile names are refused before anything runs.
    QVERIFY(qs(resolveUid("-a", noPasswd).error().message)
                .startsWith(QStringLiteral("invalid user name")));
}

QTEST_GUILESS_MAIN(TestTrust)
#include "tst_trust.moc"
