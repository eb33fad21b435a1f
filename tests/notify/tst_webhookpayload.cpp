// SPDX-License-Identifier: GPL-3.0-or-later
// The pure half of phone notifications: the HTTP requests made for ntfy and
// Slack/Mattermost for each event, which webhooks want which event, and
// webhooks.toml (errors with FILE:LINE:COL and the key, no secret written).

#include "webhook.h"
#include "webhookconfig.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

class TestWebhookPayload : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ntfyArrived();
    void ntfyWithoutTokenOrClick();
    void ntfyDeadlineRaisesPriority();
    void ntfyNonAsciiTitle();
    void slackDecided();
    void decidedByDefault();
    void wants_data();
    void wants();
    void shownUrlHidesThePath();
    void configRoundTrip();
    void configErrors_data();
    void configErrors();
    void credentialsInTheUrlAreRefused_data();
    void credentialsInTheUrlAreRefused();
    void savedFileHasNoSecret();
    void defaultPathIsNextToSites();

private:
    static CheckpointInfo checkpoint()
    {
        CheckpointInfo c;
        c.site = QStringLiteral("mn5");
        c.runId = QStringLiteral("run-7");
        c.id = QStringLiteral("epoch-3");
        c.title = QStringLiteral("Keep training?");
        c.body = QStringLiteral("Loss 0.31 after 3 epochs");
        c.options = {{QStringLiteral("go"), {}, false}, {QStringLiteral("stop"), {}, true}};
        c.createdAt = QDateTime(QDate(2026, 5, 1), QTime(10, 0), Qt::UTC);
        c.deadline = c.createdAt.addSecs(7200);
        return c;
    }
    static QDateTime now() { return checkpoint().createdAt.addSecs(60); }
    static WebhookTarget ntfy()
    {
        WebhookTarget t;
        t.name = QStringLiteral("phone");
        t.url = QStringLiteral("https://ntfy.example/vigil-alerts");
        t.priority = 4;
        t.clickUrl = QStringLiteral("https://vigil.example/{site}/{run}/{checkpoint}");
        return t;
    }
    static WebhookTarget slack()
    {
        WebhookTarget t;
        t.name = QStringLiteral("team");
        t.kind = WebhookTarget::Kind::Slack;
        return t;
    }
};

void TestWebhookPayload::ntfyArrived()
{
    const WebhookEvent e{WebhookEvent::Kind::Arrived, checkpoint()};
    const WebhookRequest r = buildWebhookRequest(ntfy(), e, QStringLiteral("tk_secret"), now());
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.url, QUrl(QStringLiteral("https://ntfy.example/vigil-alerts")));
    QCOMPARE(r.header("Title"), QByteArray("Checkpoint waiting: Keep training?"));
    QCOMPARE(r.header("Priority"), QByteArray("4"));
    QCOMPARE(r.header("Tags"), QByteArray("bell"));
    QCOMPARE(r.header("Click"), QByteArray("https://vigil.example/mn5/run-7/epoch-3"));
    QCOMPARE(r.header("Authorization"), QByteArray("Bearer tk_secret"));
    const QString body = QString::fromUtf8(r.body);
    QVERIFY2(body.contains(QStringLiteral("Site mn5, run run-7, checkpoint epoch-3")),
             qPrintable(body));
    QVERIFY2(body.contains(QStringLiteral("Keep training?")), qPrintable(body));
    QVERIFY2(body.contains(QStringLiteral("Loss 0.31")), qPrintable(body));
    QVERIFY2(body.contains(QStringLiteral("Options: go, stop (default)")), qPrintable(body));
    QVERIFY2(body.contains(QStringLiteral("Deadline: ")) && body.contains(QStringLiteral("in ")),
             qPrintable(body));
}

void TestWebhookPayload::ntfyWithoutTokenOrClick()
{
    WebhookTarget t = ntfy();
    t.clickUrl.clear();
    const WebhookRequest r =
        buildWebhookRequest(t, {WebhookEvent::Kind::Arrived, checkpoint()}, QString(), now());
    QVERIFY(r.header("Authorization").isEmpty());
    QVERIFY(r.header("Click").isEmpty());
}

void TestWebhookPayload::ntfyDeadlineRaisesPriority()
{
    WebhookTarget t = ntfy();
    t.priority = 2;
    WebhookEvent e{WebhookEvent::Kind::DeadlineNear, checkpoint()};
    e.secondsLeft = 3600;
    QCOMPARE(buildWebhookRequest(t, e, {}, now()).header("Priority"), QByteArray("2"));
    e.secondsLeft = 300;
    const WebhookRequest r = buildWebhookRequest(t, e, {}, now());
    QCOMPARE(r.header("Priority"), QByteArray("4"));
    QCOMPARE(r.header("Title"), QByteArray("5 min left to decide: Keep training?"));
    QCOMPARE(r.header("Tags"), QByteArray("hourglass_flowing_sand"));
}

void TestWebhookPayload::ntfyNonAsciiTitle()
{
    CheckpointInfo c = checkpoint();
    c.title = QStringLiteral("Weiter trainieren? \u00e4");
    const WebhookRequest r =
        buildWebhookRequest(ntfy(), {WebhookEvent::Kind::Arrived, c}, {}, now());
    const QByteArray title = r.header("Title");
    QVERIFY2(title.startsWith("=?UTF-8?B?") && title.endsWith("?="), title.constData());
    QCOMPARE(QString::fromUtf8(QByteArray::fromBase64(title.mid(10, title.size() - 12))),
             QStringLiteral("Checkpoint waiting: Weiter trainieren? \u00e4"));
}

void TestWebhookPayload::slackDecided()
{
    CheckpointInfo c = checkpoint();
    c.status = CheckpointInfo::Status::Decided;
    c.decidedBy = QStringLiteral("alice");
    c.decidedOption = QStringLiteral("go");
    c.decisionKind = QStringLiteral("human");
    const QString url = QStringLiteral("https://hooks.slack.example/services/T0/B0/XYZ");
    const WebhookRequest r =
        buildWebhookRequest(slack(), {WebhookEvent::Kind::Decided, c}, url, now());
    QCOMPARE(r.url, QUrl(url));
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    QVERIFY(r.header("Authorization").isEmpty());
    const QJsonObject o = QJsonDocument::fromJson(r.body).object();
    QCOMPARE(o.keys(), QStringList{QStringLiteral("text")});
    const QString text = o.value(QStringLiteral("text")).toString();
    QVERIFY2(text.startsWith(QStringLiteral("*Decided: Keep training?*\n")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Site mn5, run run-7, checkpoint epoch-3")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Decided by alice: go")), qPrintable(text));
}

void TestWebhookPayload::decidedByDefault()
{
    CheckpointInfo c = checkpoint();
    c.decidedOption = QStringLiteral("stop");
    c.decisionKind = QStringLiteral("timeout-default");
    const QString text = webhookText({WebhookEvent::Kind::Decided, c}, now());
    QVERIFY2(text.contains(QStringLiteral("Default \"stop\" taken at the deadline")),
             qPrintable(text));
    WebhookTarget t = ntfy();
    t.priority = 5;
    QCOMPARE(webhookPriority(t, {WebhookEvent::Kind::Decided, c}), 3);
}

void TestWebhookPayload::wants_data()
{
    QTest::addColumn<QString>("events");
    QTest::addColumn<QStringList>("sites");
    QTest::addColumn<QStringList>("runs");
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("wanted");
    const int arrived = int(WebhookEvent::Kind::Arrived);
    const int decided = int(WebhookEvent::Kind::Decided);
    const int deadline = int(WebhookEvent::Kind::DeadlineNear);
    const int test = int(WebhookEvent::Kind::Test);
    const QStringList none;
    QTest::newRow("all") << "adx" << none << none << arrived << true;
    QTest::newRow("arrived off") << "dx" << none << none << arrived << false;
    QTest::newRow("decided off") << "ad" << none << none << decided << false;
    QTest::newRow("deadline off") << "ax" << none << none << deadline << false;
    QTest::newRow("deadline on") << "d" << none << none << deadline << true;
    QTest::newRow("site listed") << "adx" << QStringList{QStringLiteral("mn5")} << none << arrived
                                 << true;
    QTest::newRow("other site") << "adx" << QStringList{QStringLiteral("edge")} << none << arrived
                                << false;
    QTest::newRow("run listed") << "adx" << none << QStringList{QStringLiteral("run-7")} << arrived
                                << true;
    QTest::newRow("other run") << "adx" << none << QStringList{QStringLiteral("run-8")} << arrived
                               << false;
    QTest::newRow("test always") << "" << QStringList{QStringLiteral("edge")} << none << test
                                 << true;
}

void TestWebhookPayload::wants()
{
    QFETCH(QString, events);
    QFETCH(QStringList, sites);
    QFETCH(QStringList, runs);
    QFETCH(int, kind);
    QFETCH(bool, wanted);
    WebhookTarget t = ntfy();
    t.onArrived = events.contains(QLatin1Char('a'));
    t.onDeadline = events.contains(QLatin1Char('d'));
    t.onDecided = events.contains(QLatin1Char('x'));
    t.sites = sites;
    t.runs = runs;
    QCOMPARE(webhookWants(t, {WebhookEvent::Kind(kind), checkpoint()}), wanted);
}

void TestWebhookPayload::shownUrlHidesThePath()
{
    QCOMPARE(
        webhookShownUrl(QUrl(QStringLiteral("https://u:p@hooks.slack.com/services/T0/B0/XYZ?x=1"))),
        QStringLiteral("https://hooks.slack.com"));
    QCOMPARE(webhookShownUrl(QUrl(QStringLiteral("http://127.0.0.1:8080/topic"))),
             QStringLiteral("http://127.0.0.1:8080"));
}

void TestWebhookPayload::configRoundTrip()
{
    WebhookTarget a = ntfy();
    a.onDecided = false;
    a.sites = {QStringLiteral("mn5"), QStringLiteral("edge")};
    WebhookTarget b = slack();
    b.runs = {QStringLiteral("run-7")};
    b.priority = 3;
    const QByteArray text = webhookconfig::format({a, b});
    auto back = webhookconfig::parse(text, QStringLiteral("webhooks.toml"));
    QVERIFY2(back.ok(),
             qPrintable(back.errorString() + QLatin1Char('\n') + QString::fromUtf8(text)));
    QCOMPARE(back->size(), 2);
    QCOMPARE(back->at(0), a);
    QCOMPARE(back->at(1), b);

    auto named =
        webhookconfig::parse("[webhooks.p]\nkind = \"ntfy\"\nurl = \"https://n.example/t\"\n"
                             "priority = \"urgent\"\nevents = [\"decided\"]\n",
                             QStringLiteral("w.toml"));
    QVERIFY2(named.ok(), qPrintable(named.errorString()));
    QCOMPARE(named->at(0).priority, 5);
    QVERIFY(!named->at(0).onArrived && !named->at(0).onDeadline && named->at(0).onDecided);
}

void TestWebhookPayload::configErrors_data()
{
    QTest::addColumn<QByteArray>("toml");
    QTest::addColumn<QString>("error");
    const QByteArray head = "# mine\n[webhooks.phone]\nkind = \"ntfy\"\n";
    QTest::newRow("priority") << head + "url = \"https://n.example/t\"\npriority = 9\n"
                              << "webhooks.toml:5:12: webhooks.phone.priority must be 1 to 5";
    QTest::newRow("token") << head + "url = \"https://n.example/t\"\ntoken = \"tk\"\n"
                           << "webhooks.toml:5:9: webhooks.phone.token: secrets are never kept";
    QTest::newRow("slack url")
        << QByteArray("[webhooks.team]\nkind = \"slack\"\nurl = \"https://hooks.slack.com/x\"\n")
        << "webhooks.toml:3:7: webhooks.team.url: a Slack/Mattermost webhook URL is its credential";
    QTest::newRow("typo") << head + "url = \"https://n.example/t\"\nprioirty = 2\n"
                          << "webhooks.toml:5:1:";
    QTest::newRow("kind") << QByteArray("[webhooks.x]\nkind = \"mail\"\n")
                          << "webhooks.toml:2:8: webhooks.x.kind must be \"ntfy\" or \"slack\"";
    QTest::newRow("no url") << head << "webhooks.phone needs \"url\"";
    QTest::newRow("bad url") << head + "url = \"ftp://n.example/t\"\n"
                             << "webhooks.toml:4:7: webhooks.phone: url must be an http(s) ntfy "
                                "topic URL";
    QTest::newRow("user info in url")
        << head + "url = \"https://me:pw@n.example/t\"\n"
        << "webhooks.toml:4:7: webhooks.phone: url must not hold a user name, password or query "
           "string (such as ?auth=...): put an ntfy access token in the Access token field";
    QTest::newRow("auth query in url")
        << head + "url = \"https://n.example/t?auth=QmFzaWM\"\n"
        << "webhooks.toml:4:7: webhooks.phone: url must not hold a user name, password or query "
           "string";
    QTest::newRow("event") << head +
                                  "url = \"https://n.example/t\"\nevents = [\"arrived\", \"x\"]\n"
                           << "webhooks.toml:5:10: webhooks.phone.events: unknown event \"x\"";
    QTest::newRow("syntax") << QByteArray("[webhooks.a\n") << "webhooks.toml:1:";
}

void TestWebhookPayload::configErrors()
{
    QFETCH(QByteArray, toml);
    QFETCH(QString, error);
    auto r = webhookconfig::parse(toml, QStringLiteral("webhooks.toml"));
    QVERIFY(!r.ok());
    QVERIFY2(r.errorString().contains(error), qPrintable(r.errorString()));
}

void TestWebhookPayload::credentialsInTheUrlAreRefused_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("ok");
    QTest::newRow("plain") << QStringLiteral("https://ntfy.sh/topic") << true;
    QTest::newRow("port") << QStringLiteral("http://127.0.0.1:8080/topic") << true;
    QTest::newRow("user and password") << QStringLiteral("https://me:pw@ntfy.sh/topic") << false;
    QTest::newRow("user") << QStringLiteral("https://me@ntfy.sh/topic") << false;
    QTest::newRow("auth query") << QStringLiteral("https://ntfy.sh/topic?auth=QmFzaWM") << false;
    QTest::newRow("empty query") << QStringLiteral("https://ntfy.sh/topic?") << false;
}

// validate() (the dialog's Save, webhookconfig::save) refuses a URL that
// carries a credential, saying where a token goes; nothing is written.
void TestWebhookPayload::credentialsInTheUrlAreRefused()
{
    QFETCH(QString, url);
    QFETCH(bool, ok);
    WebhookTarget t = ntfy();
    t.url = url;
    auto r = webhookconfig::validate(t);
    QCOMPARE(r.ok(), ok);
    if (ok)
        return;
    QVERIFY2(r.errorString().contains(QStringLiteral("put an ntfy access token in the Access "
                                                     "token field")),
             qPrintable(r.errorString()));
    QVERIFY2(!r.errorString().contains(QStringLiteral("QmFzaWM")), qPrintable(r.errorString()));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("webhooks.toml"));
    QVERIFY(!webhookconfig::save(path, {t}).ok());
    QVERIFY(!QFile::exists(path));
}

void TestWebhookPayload::savedFileHasNoSecret()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cfg/vigil/webhooks.toml"));
    WebhookTarget a = ntfy();
    WebhookTarget b = slack();
    QVERIFY(webhookconfig::save(path, {a, b}).ok());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(text.contains("[webhooks.phone]") && text.contains("[webhooks.team]"));
    QVERIFY(!text.contains("hooks.slack"));
    QVERIFY(!text.contains("token =") && !text.contains("Bearer"));
    QCOMPARE(f.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther), 0);
    // A Slack URL in the target (a mistake of the caller) is refused, not written.
    b.url = QStringLiteral("https://hooks.slack.com/services/T0/B0/XYZ");
    auto r = webhookconfig::save(path, {a, b});
    QVERIFY(!r.ok());
    QVERIFY2(r.errorString().contains(QStringLiteral("credential")), qPrintable(r.errorString()));
    f.close();
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(!f.readAll().contains("XYZ"));
    auto loaded = webhookconfig::load(path);
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->size(), 2);
}

void TestWebhookPayload::defaultPathIsNextToSites()
{
    QTemporaryDir dir;
    qputenv("XDG_CONFIG_HOME", dir.path().toUtf8());
    QCOMPARE(webhookconfig::defaultPath(), dir.path() + QStringLiteral("/vigil/webhooks.toml"));
}

QTEST_GUILESS_MAIN(TestWebhookPayload)
#include "tst_webhookpayload.moc"
