// SPDX-License-Identifier: GPL-3.0-or-later
// A decision's evidence in the library: the hash and byte counts of the
// metric files the decider saw, recomputed before the decision is applied;
// a decision whose metrics changed under it refused, logged and moved aside.

#include "trustfixture.h"

using namespace vigil::protocol;
using nlohmann::json;
using vigil::test::qs;
using vigil::test::readText;
using vigil::test::sampleDecision;
using vigil::test::sampleRequest;
using vigil::test::writeText;

using namespace vigil::test::trust;

class TestTrustEvidence : public QObject, public TrustRun
{
    Q_OBJECT

private Q_SLOTS:
    void init() { setUp(); }
    void evidenceVerified_data();
    void evidenceVerified();
    void ackAfterMetricsRewritten();
};

void TestTrustEvidence::evidenceVerified_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("reason"); // empty: the decision is applied
    QTest::newRow("matching: unchanged") << QStringLiteral("none") << QString();
    QTest::newRow("matching: the file grew since (the job computes on)")
        << QStringLiteral("grow") << QString();
    QTest::newRow("no byte counts (an older desktop): applied as before")
        << QStringLiteral("old") << QString();
    QTest::newRow("tampered: first bytes rewritten")
        << QStringLiteral("edit")
        << QStringLiteral("the bytes of metrics/loss.csv (first 16 bytes) differ from what the "
                          "decider saw");
    QTest::newRow("tampered: file now shorter")
        << QStringLiteral("truncate")
        << QStringLiteral("cannot be checked: metrics/loss.csv: is now 10 bytes long, shorter "
                          "than the 16 bytes the decider saw");
    QTest::newRow("tampered: file removed")
        << QStringLiteral("remove") << QStringLiteral("metrics/loss.csv: no such file");
    QTest::newRow("tampered: file replaced by a link")
        << QStringLiteral("link") << QStringLiteral("metrics/loss.csv: is a symbolic link");
    QTest::newRow("tampered: counts of another request")
        << QStringLiteral("count")
        << QStringLiteral("\"evidence_bytes\": has 2 byte counts, but checkpoint \"lr-check\" "
                          "has 1 metric files");
}

void TestTrustEvidence::evidenceVerified()
{
    QFETCH(QString, change);
    QFETCH(QString, reason);
    const Request r = post(sampleRequest());
    const std::string seen = "step,loss\n1,0.5\n";
    writeMetrics(seen);
    Decision d = sampleDecision(r);
    d.evidenceSha256 = desktopEvidenceHash({{"metrics/loss.csv", seen}});
    d.evidenceBytes = std::vector<std::int64_t>{std::int64_t(seen.size())};
    QCOMPARE(d.evidenceBytes->front(), std::int64_t(16));
    const std::string metrics = m_run + "/metrics/loss.csv";
    if (change == QStringLiteral("grow")) {
        writeMetrics(seen + "2,0.4\n3,0.3\n");
    } else if (change == QStringLiteral("old")) {
        d.evidenceBytes.reset(); // whatever the hash, it cannot be checked
        writeMetrics("step,loss\n1,0.1\n");
    } else if (change == QStringLiteral("edit")) {
        writeMetrics("step,loss\n1,0.1\n2,0.4\n");
    } else if (change == QStringLiteral("truncate")) {
        writeMetrics("step,loss\n");
    } else if (change == QStringLiteral("remove")) {
        std::filesystem::remove(metrics);
    } else if (change == QStringLiteral("link")) {
        writeText(m_tmp->path().toStdString() + "/elsewhere.csv", seen);
        std::filesystem::remove(metrics);
        QVERIFY(::symlink((m_tmp->path().toStdString() + "/elsewhere.csv").c_str(),
                          metrics.c_str()) == 0);
    } else if (change == QStringLiteral("count")) {
        d.evidenceBytes = std::vector<std::int64_t>{16, 16};
    }
    writeDecision(d);
    PollOptions o;
    o.now = now();
    auto status = pollDecision(*m_rd, r.id, o);
    QVERIFY(status.ok());
    const auto refused = eventsOfType(m_run, event::kDecisionRefused);
    if (reason.isEmpty()) {
        QVERIFY(status->decision.has_value());
        QCOMPARE(qs(status->decision->decisionId), qs(d.decisionId));
        QVERIFY(status->warnings.empty());
        QVERIFY(refused.empty());
        return;
    }
    // Refused: not applied, logged with the reason (checkpoint and file named), moved aside.
    QVERIFY(!status->decision);
    QCOMPARE(int(status->warnings.size()), 1);
    QVERIFY2(qs(status->warnings[0]).contains(reason), status->warnings[0].c_str());
    QCOMPARE(int(refused.size()), 1);
    const QString logged = qs(refused[0]["reason"].get<std::string>());
    QVERIFY2(logged.contains(reason), qPrintable(logged));
    QVERIFY(logged.startsWith(QStringLiteral("checkpoints/lr-check/decision.json: ")));
    QVERIFY(logged.contains(QStringLiteral("checkpoint \"lr-check\"")));
    QCOMPARE(refused[0]["decision_id"].get<std::string>(), d.decisionId);
    QCOMPARE(int(refusedFiles(m_run + "/" + RunLayout::checkpointDir(r.id)).size()), 1);
    // ack has no valid decision to acknowledge.
    QCOMPARE(writeAck(*m_rd, r.id, "ok", now()).error().kind, Error::Kind::Pending);
}

void TestTrustEvidence::ackAfterMetricsRewritten()
{
    // The job got the decision, applied it (retraining from scratch rewrote
    // the metrics), then acknowledges it: the ack is not refused.
    const Request r = post(sampleRequest());
    writeMetrics("step,loss\n1,0.5\n");
    Decision d = sampleDecision(r);
    d.evidenceSha256 = desktopEvidenceHash({{"metrics/loss.csv", "step,loss\n1,0.5\n"}});
    d.evidenceBytes = std::vector<std::int64_t>{16};
    writeDecision(d);
    PollOptions o;
    o.now = now();
    QVERIFY(pollDecision(*m_rd, r.id, o)->decision.has_value());
    writeMetrics("step,loss\n");
    auto ack = writeAck(*m_rd, r.id, "retraining", now());
    QVERIFY2(ack.ok(), ack.errorString().c_str());
    QCOMPARE(qs(ack->decisionId), qs(d.decisionId));
    QVERIFY(eventsOfType(m_run, event::kDecisionRefused).empty());
    // Asked again for the decision, the job is told the evidence changed.
    QVERIFY(!pollDecision(*m_rd, r.id, o)->decision);
    QCOMPARE(int(eventsOfType(m_run, event::kDecisionRefused).size()), 1);
}

QTEST_GUILESS_MAIN(TestTrustEvidence)
#include "tst_trust_evidence.moc"
