// SPDX-License-Identifier: GPL-3.0-or-later
// Webhook delivery against a recording HTTP server on 127.0.0.1: what ntfy
// and Slack/Mattermost receive, retries with backoff, a refusal that is not
// retried, an unreachable server, a redirect that is not followed; end to
// end from a real checkpoint on a local site (vigil-job): arrived, deadline
// near, decided; and no reminder for a review bundle's checkpoint.

#include "../common/httprecorder.h"
#include "../common/vigiljob.h"
#include "secretstore.h"
#include "supervisor.h"
#include "webhookdispatcher.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

class TestWebhookDelivery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ntfyHeadersAndBody();
    void slackJson();
    void retriesWithBackoffThenSucceeds();
    void forbiddenGivesUpAtOnce();
    void unreachableGivesAnIssueAfterTheLastAttempt();
    void redirectIsNotFollowed();
    void endToEndFromARealCheckpoint();
    void noReminderForAReviewBundle();

private:
    static CheckpointInfo checkpoint()
    {
        CheckpointInfo c;
        c.site = QStringLiteral("here");
        c.runId = QStringLiteral("run-1");
        c.id = QStringLiteral("epoch-3");
        c.title = QStringLiteral("Keep training?");
        c.options = {{QStringLiteral("go"), {}, false}, {QStringLiteral("stop"), {}, true}};
        return c;
    }
    static WebhookTarget ntfy(const HttpRecorder &http)
    {
        WebhookTarget t;
        t.name = QStringLiteral("phone");
        t.url = http.url(QStringLiteral("/vigil-topic"));
        t.priority = 4;
        return t;
    }
    static WebhookTarget slack()
    {
        WebhookTarget t;
        t.name = QStringLiteral("team");
        t.kind = WebhookTarget::Kind::Slack;
        return t;
    }
    static QStringList issueTexts(const Supervisor &s)
    {
        QStringList out;
        for (const Issue &i : s.issues())
            out << i.subject + QStringLiteral(": ") + i.message;
        return out;
    }
    // Backoff that tests can wait for: 40 ms, 120 ms, 360 ms ...; the failure
    // counts asked for are recorded.
    WebhookDispatcherOptions fastOptions()
    {
        WebhookDispatcherOptions o;
        o.retryDelayMs = [this](int failures) {
            m_asked << failures;
            int ms = 40;
            for (int i = 1; i < failures; ++i)
                ms *= 3;
            return ms;
        };
        o.maxAttempts = 4;
        return o;
    }
    QList<int> m_asked;
};

void TestWebhookDelivery::ntfyHeadersAndBody()
{
    HttpRecorder http;
    QVERIFY(http.listen());
    Supervisor sup(SupervisorOptions{});
    MemorySecretStore secrets;
    secrets.secrets.insert(QStringLiteral("webhook/phone"), QStringLiteral("tk_1234"));
    WebhookDispatcher d(&sup, &secrets, fastOptions());
    d.setTargets({ntfy(http)});
    QSignalSpy delivered(&d, &WebhookDispatcher::delivered);
    d.post({WebhookEvent::Kind::Arrived, checkpoint()});
    QTRY_COMPARE(delivered.size(), 1);
    QCOMPARE(http.requests.size(), 1);
    const RecordedRequest &r = http.requests.first();
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.path, QByteArray("/vigil-topic"));
    QCOMPARE(r.header("Title"), QByteArray("Checkpoint waiting: Keep training?"));
    QCOMPARE(r.header("Priority"), QByteArray("4"));
    QCOMPARE(r.header("Tags"), QByteArray("bell"));
    QCOMPARE(r.header("Authorization"), QByteArray("Bearer tk_1234"));
    QVERIFY2(r.body.contains("Site here, run run-1, checkpoint epoch-3"), r.body.constData());
    QVERIFY2(r.body.contains("Options: go, stop (default)"), r.body.constData());
    // Each event once.
    d.post({WebhookEvent::Kind::Arrived, checkpoint()});
    QTest::qWait(100);
    QCOMPARE(http.requests.size(), 1);
    QVERIFY(sup.issues().isEmpty());
}

void TestWebhookDelivery::slackJson()
{
    HttpRecorder http;
    QVERIFY(http.listen());
    Supervisor sup(SupervisorOptions{});
    MemorySecretStore secrets;
    secrets.secrets.insert(QStringLiteral("webhook/team"),
                           http.url(QStringLiteral("/hooks/T000/B000/XXXXSECRET")));
    WebhookDispatcher d(&sup, &secrets, fastOptions());
    d.setTargets({slack()});
    QSignalSpy delivered(&d, &WebhookDispatcher::delivered);
    CheckpointInfo c = checkpoint();
    c.status = CheckpointInfo::Status::Decided;
    c.decidedBy = QStringLiteral("alice");
    c.decidedOption = QStringLiteral("go");
    d.post({WebhookEvent::Kind::Decided, c});
    QTRY_COMPARE(delivered.size(), 1);
    const RecordedRequest &r = http.requests.first();
    QCOMPARE(r.path, QByteArray("/hooks/T000/B000/XXXXSECRET"));
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    const QString text =
        QJsonDocument::fromJson(r.body).object().value(QStringLiteral("text")).toString();
    QVERIFY2(text.contains(QStringLiteral("Decided by alice: go")), qPrintable(text));
}

void TestWebhookDelivery::retriesWithBackoffThenSucceeds()
{
    HttpRecorder http;
    QVERIFY(http.listen());
    http.statuses = {503, 503};
    Supervisor sup(SupervisorOptions{});
    MemorySecretStore secrets;
    m_asked.clear();
    WebhookDispatcher d(&sup, &secrets, fastOptions());
    d.setTargets({ntfy(http)});
    QSignalSpy delivered(&d, &WebhookDispatcher::delivered);
    QSignalSpy failed(&d, &WebhookDispatcher::attemptFailed);
    d.post({WebhookEvent::Kind::Arrived, checkpoint()});
    QTRY_COMPARE(delivered.size(), 1);
    QCOMPARE(delivered.first().at(2).toInt(), 3); // attempts
    QCOMPARE(http.requests.size(), 3);
    QCOMPARE(failed.size(), 2);
    QCOMPARE(failed.at(0).at(2).toString(), QStringLiteral("HTTP 503 Service Unavailable"));
    QCOMPARE(failed.at(1).at(4).toInt(), 120); // the second wait is longer
    QVERIFY(m_asked.contains(1) && m_asked.contains(2));
    // The waits between attempts were kept.
    QVERIFY2(http.requests[1].atMs - http.requests[0].atMs >= 40,
             qPrintable(QString::number(http.requests[1].atMs - http.requests[0].atMs)));
    QVERIFY2(http.requests[2].atMs - http.requests[1].atMs >= 120,
             qPrintable(QString::number(http.requests[2].atMs - http.requests[1].atMs)));
    QCOMPARE(http.requests[2].body, http.requests[0].body);
    // The first failure is listed once, as a warning, naming the webhook.
    const QStringList issues = issueTexts(sup);
    QCOMPARE(issues.size(), 1);
    QCOMPARE(sup.issues().first().severity, Issue::Severity::Warning);
    QVERIFY2(issues.first().contains(QStringLiteral("webhook \"phone\"")) &&
                 issues.first().contains(QStringLiteral("HTTP 503")),
             qPrintable(issues.first()));
}

void TestWebhookDelivery::forbiddenGivesUpAtOnce()
{
    HttpRecorder http;
    QVERIFY(http.listen());
    http.statuses = {403, 403};
    Supervisor sup(SupervisorOptions{});
    MemorySecretStore secrets;
    const QString secretUrl = http.url(QStringLiteral("/hooks/T000/B000/XXXXSECRET"));
    secrets.secrets.insert(QStringLiteral("webhook/team"), secretUrl);
    secrets.secrets.insert(QStringLiteral("webhook/phone"), QStringLiteral("tk_9876"));
    WebhookDispatcher d(&sup, &secrets, fastOptions());
    d.setTargets({slack(), ntfy(http)});
    QSignalSpy failed(&d, &WebhookDispatcher::attemptFailed);
    d.post({WebhookEvent::Kind::Arrived, checkpoint()});
    QTRY_COMPARE(failed.size(), 2);
    QTest::qWait(300); // more than the first two backoff delays: no retry came
    QCOMPARE(http.requests.size(), 2);
    QCOMPARE(failed.at(0).at(4).toInt(), -1);
    QCOMPARE(failed.at(1).at(4).toInt(), -1);
    const QStringList issues = issueTexts(sup);
    QCOMPARE(issues.size(), 2);
    for (const QString &i : issues) {
        QVERIFY2(i.contains(QStringLiteral("HTTP 403 Forbidden")), qPrintable(i));
        QVERIFY2(i.contains(QStringLiteral("not retried")), qPrintable(i));
        QVERIFY2(i.contains(QStringLiteral("http://127.0.0.1:%1").arg(http.port())), qPrintable(i));
        QVERIFY2(!i.contains(QStringLiteral("XXXXSECRET")) && !i.contains(QStringLiteral("T000")),
                 qPrintable(i));
        QVERIFY2(!i.contains(QStringLiteral("tk_9876")), qPrintable(i));
    }
    for (const Issue &i : sup.issues())
        QCOMPARE(i.severity, Issue::Severity::Error);
}

void TestWebhookDelivery::unreachableGivesAnIssueAfterTheLastAttempt()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    } // closed: nothing listens there now
    Supervisor sup(SupervisorOptions{});
    MemorySecretStore secrets;
    WebhookDispatcher d(&sup, &secrets, fastOptions());
    WebhookTarget t;
    t.name = QStringLiteral("phone");
    t.url = QStringLiteral("http://127.0.0.1:%1/topic").arg(port);
    d.setTargets({t});
    QSignalSpy failed(&d, &WebhookDispatcher::attemptFailed);
    d.post({WebhookEvent::Kind::Arrived, checkpoint()});
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 4, 10000);
    QCOMPARE(failed.last().at(3).toInt(), 4);
    QCOMPARE(failed.last().at(4).toInt(), -1);
    QCOMPARE(failed.first().at(2).toString(), QStringLiteral("connection refused"));
    QStringList issues = issueTexts(sup);
    QCOMPARE(issues.size(), 2); // the first failure, then the give-up
    QVERIFY2(issues.last().contains(QStringLiteral("gave up after 4 attempts: connection refused")),
             qPrintable(issues.last()));
    QCOMPARE(sup.issues().last().severity, Issue::Severity::Error);
}

// A 302 to another server is not followed (the token would go there with
// the same headers): the other server gets nothing, the attempt is not
// retried, and the issue names where it pointed without its path.
void TestWebhookDelivery::redirectIsNotFollowed()
{
    HttpRecorder http;
    HttpRecorder elsewhere;
    QVERIFY(http.listen() && elsewhere.listen());
    http.statuses = {302, 302};
    http.location = elsewhere.url(QStringLiteral("/stolen/path")).toUtf8();
    Supervisor sup(SupervisorOptions{});
    MemorySecretStore secrets;
    secrets.secrets.insert(QStringLiteral("webhook/phone"), QStringLiteral("tk_redirect"));
    WebhookDispatcher d(&sup, &secrets, fastOptions());
    d.setTargets({ntfy(http)});
    QSignalSpy failed(&d, &WebhookDispatcher::attemptFailed);
    d.post({WebhookEvent::Kind::Arrived, checkpoint()});
    QTRY_COMPARE(failed.size(), 1);
    QTest::qWait(300); // more than the first two backoff delays: no retry came
    QCOMPARE(http.requests.size(), 1);
    QCOMPARE(http.requests.first().header("Authorization"), QByteArray("Bearer tk_redirect"));
    QCOMPARE(elsewhere.requests.size(), 0);
    QCOMPARE(failed.first().at(4).toInt(), -1);
    const QString shown = QStringLiteral("http://127.0.0.1:%1").arg(elsewhere.port());
    QCOMPARE(failed.first().at(2).toString(),
             QStringLiteral("HTTP 302 redirected to %1: not followed").arg(shown));
    const QStringList issues = issueTexts(sup);
    QCOMPARE(issues.size(), 1);
    QCOMPARE(sup.issues().first().severity, Issue::Severity::Error);
    QVERIFY2(issues.first().contains(QStringLiteral("redirected to %1: not followed").arg(shown)),
             qPrintable(issues.first()));
    QVERIFY2(!issues.first().contains(QStringLiteral("stolen")), qPrintable(issues.first()));
    QVERIFY2(!issues.first().contains(QStringLiteral("tk_redirect")), qPrintable(issues.first()));
}

void TestWebhookDelivery::endToEndFromARealCheckpoint()
{
    QVERIFY(!qEnvironmentVariable("VIGIL_JOB_BINARY").isEmpty());
    QTemporaryDir home;
    QVERIFY(home.isValid());
    qputenv("HOME", home.path().toUtf8()); // vigil-job installs under $HOME/.local
    const QString root = home.filePath(QStringLiteral("runs"));
    const QString runDir = root + QStringLiteral("/run-1");
    QVERIFY(QDir().mkpath(root));
    runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), runDir,
                 QStringLiteral("--run-id"), QStringLiteral("run-1")});
    runVigilJob(checkpointArgs(runDir, QStringLiteral("train"), QStringLiteral("epoch-3"),
                               {QStringLiteral("--deadline"), QStringLiteral("2h")}));

    HttpRecorder http;
    QVERIFY(http.listen());
    SupervisorOptions so;
    so.pollSeconds = 1;
    Supervisor sup(so);
    SiteSpec spec;
    spec.name = QStringLiteral("here");
    spec.kind = SiteSpec::Kind::Local;
    spec.runRoot = root;
    sup.addSite(spec);
    MemorySecretStore secrets;
    qint64 skew = 0; // the dispatcher's clock runs ahead by this many seconds
    WebhookDispatcherOptions o = fastOptions();
    o.clock = [&skew] { return QDateTime::currentDateTimeUtc().addSecs(skew); };
    o.reminderIntervalMs = 50;
    WebhookDispatcher d(&sup, &secrets, o);
    WebhookTarget t = ntfy(http);
    t.priority = 3;
    d.setTargets({t});
    sup.start();

    QTRY_COMPARE_WITH_TIMEOUT(http.requests.size(), 1, 20000);
    RecordedRequest arrived = http.requests.first();
    QCOMPARE(arrived.header("Tags"), QByteArray("bell"));
    QVERIFY2(arrived.body.contains("Site here, run run-1, checkpoint epoch-3"),
             arrived.body.constData());
    QVERIFY2(arrived.body.contains("Go on?") &&
                 arrived.body.contains("Options: go (default), stop"),
             arrived.body.constData());
    QVERIFY2(arrived.body.contains("Deadline: "), arrived.body.constData());
    QTest::qWait(200); // a few reminder checks at the real time: nothing is due
    QCOMPARE(http.requests.size(), 1);

    // 5 minutes before the deadline: one reminder, urgent.
    skew = 7200 - 300;
    QTRY_COMPARE_WITH_TIMEOUT(http.requests.size(), 2, 5000);
    const RecordedRequest reminder = http.requests.at(1);
    QCOMPARE(reminder.header("Tags"), QByteArray("hourglass_flowing_sand"));
    QCOMPARE(reminder.header("Priority"), QByteArray("4"));
    QVERIFY2(reminder.header("Title").contains("left to decide: Go on?"),
             reminder.header("Title").constData());
    skew = 0;

    // A person decides through the Supervisor: "decided" follows.
    std::optional<Result<DecisionOutcome>> outcome;
    DecisionInput in;
    in.site = QStringLiteral("here");
    in.runId = QStringLiteral("run-1");
    in.checkpointId = QStringLiteral("epoch-3");
    in.option = QStringLiteral("go");
    sup.decide(in, this, [&](Result<DecisionOutcome> r) { outcome = r; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 20000);
    QVERIFY2(outcome->ok(), qPrintable(outcome->errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(http.requests.size(), 3, 20000);
    const RecordedRequest decided = http.requests.at(2);
    QCOMPARE(decided.header("Tags"), QByteArray("white_check_mark"));
    QVERIFY2(
        decided.body.contains(QByteArray("Decided by " + (*outcome)->decidedBy.toUtf8() + ": go")),
        decided.body.constData());
    // Later refreshes send nothing again.
    QTest::qWait(1500);
    QCOMPARE(http.requests.size(), 3);
    QVERIFY2(sup.issues().isEmpty(), qPrintable(issueTexts(sup).join(QLatin1Char('\n'))));
}

// One pending checkpoint with a deadline, seen twice: through a live local
// site and through a review bundle of the same directory
// (Supervisor::addBundle, read-only). Near the deadline only the live one is
// reminded: the bundle's cannot be decided.
void TestWebhookDelivery::noReminderForAReviewBundle()
{
    QVERIFY(!qEnvironmentVariable("VIGIL_JOB_BINARY").isEmpty());
    QTemporaryDir home;
    QVERIFY(home.isValid());
    qputenv("HOME", home.path().toUtf8());
    // Laid out like an extracted bundle: ROOT/runs/RUN, ROOT/store/jobs.json.
    const QString bundleRoot = home.filePath(QStringLiteral("bundle"));
    const QString runDir = bundleRoot + QStringLiteral("/runs/r1");
    QVERIFY(QDir().mkpath(bundleRoot + QStringLiteral("/store")));
    QVERIFY(QDir().mkpath(bundleRoot + QStringLiteral("/runs")));
    QFile jobs(bundleRoot + QStringLiteral("/store/jobs.json"));
    QVERIFY(jobs.open(QIODevice::WriteOnly) && jobs.write("{\"jobs\": []}") == 12);
    jobs.close();
    runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), runDir,
                 QStringLiteral("--run-id"), QStringLiteral("r1")});
    runVigilJob(checkpointArgs(runDir, QStringLiteral("train"), QStringLiteral("epoch-3"),
                               {QStringLiteral("--deadline"), QStringLiteral("2h")}));

    HttpRecorder http;
    QVERIFY(http.listen());
    Supervisor sup(SupervisorOptions{});
    SiteSpec spec;
    spec.name = QStringLiteral("here");
    spec.kind = SiteSpec::Kind::Local;
    spec.runRoot = bundleRoot + QStringLiteral("/runs");
    sup.addSite(spec);
    sup.addBundle(home.filePath(QStringLiteral("r1.tar.zst")), bundleRoot, QStringLiteral("r1"));
    QVERIFY(sup.isReadOnly(QStringLiteral("bundle-r1")));
    MemorySecretStore secrets;
    qint64 skew = 0;
    WebhookDispatcherOptions o = fastOptions();
    o.clock = [&skew] { return QDateTime::currentDateTimeUtc().addSecs(skew); };
    o.reminderIntervalMs = 3600 * 1000; // the test says when
    WebhookDispatcher d(&sup, &secrets, o);
    WebhookTarget t = ntfy(http);
    t.onArrived = t.onDecided = false; // reminders only
    d.setTargets({t});
    QSet<QString> refreshed;
    connect(&sup, &Supervisor::refreshed, this,
            [&](const QString &site, bool) { refreshed.insert(site); });
    sup.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 2, 20000);
    const auto live =
        sup.checkpoint(QStringLiteral("here"), QStringLiteral("r1"), QStringLiteral("epoch-3"));
    const auto bundled = sup.checkpoint(QStringLiteral("bundle-r1"), QStringLiteral("r1"),
                                        QStringLiteral("epoch-3"));
    QVERIFY(live && bundled);
    QCOMPARE(bundled->status, CheckpointInfo::Status::Pending);
    QVERIFY(bundled->deadline.isValid());
    d.checkReminders(); // both first seen: nothing due

    skew = 7200 - 300; // 5 minutes before the deadline
    d.checkReminders();
    QTRY_COMPARE(http.requests.size(), 1);
    QTest::qWait(200); // a second post would have come by now
    QCOMPARE(http.requests.size(), 1);
    const QByteArray body = http.requests.first().body;
    QVERIFY2(body.contains("Site here, run r1, checkpoint epoch-3"), body.constData());
    QVERIFY2(!body.contains("bundle-r1"), body.constData());
    QVERIFY2(sup.issues().isEmpty(), qPrintable(issueTexts(sup).join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestWebhookDelivery)
#include "tst_webhookdelivery.moc"
