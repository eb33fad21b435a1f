// SPDX-License-Identifier: GPL-3.0-or-later
// "Phone Notifications…" offscreen: a pasted Slack/Mattermost URL and an ntfy
// token go to the real keyring (GNOME Keyring in a private session, under
// with-keyring.sh), the file gets everything else and no secret; Send Test
// reaches a recording server; a second dialog sends with the stored secret;
// Remove removes the secret too; a rename moves it; Clear Token removes it.
// Without a keyring, Save fails and says so.

#include "../common/httprecorder.h"
#include "notify/secretstore.h"
#include "ui/webhooksdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

class TestWebhooksDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pasteSaveAndSendWithTheKeyring();
    void invalidUrlIsNotSaved_data();
    void invalidUrlIsNotSaved();
    void renameMovesTheSecret_data() { stores(); }
    void renameMovesTheSecret();
    void clearTokenRemovesIt_data() { stores(); }
    void clearTokenRemovesIt();
    void noKeyringSaveFails();

private:
    static QLineEdit *edit(QDialog &d, int index)
    {
        return d.findChildren<QLineEdit *>().at(index);
    }
    static void fill(QDialog &d, const QString &name, int kind, const QString &url,
                     const QString &token = {})
    {
        // The form's line edits in creation order: name, url, token, click, sites, runs.
        edit(d, 0)->setText(name);
        d.findChildren<QComboBox *>().at(0)->setCurrentIndex(kind);
        edit(d, 1)->setText(url);
        if (!token.isEmpty())
            edit(d, 2)->setText(token);
    }
    // Waits for the dialog's file, then adds a webhook to edit.
    static bool loadedWithANewWebhook(WebhooksDialog &d)
    {
        QSignalSpy loaded(&d, &WebhooksDialog::loaded);
        if (!loaded.wait(5000))
            return false;
        d.addWebhook();
        return true;
    }
    static bool saveAndWait(WebhooksDialog &d)
    {
        QSignalSpy saved(&d, &WebhooksDialog::saved);
        d.save();
        return saved.wait(20000);
    }
    static void select(WebhooksDialog &d, const QString &name)
    {
        auto *list = d.findChild<QListWidget *>();
        list->setCurrentItem(list->findItems(name, Qt::MatchExactly).value(0));
    }
    // Rows: the in-memory store; the real keyring (under with-keyring.sh).
    static void stores()
    {
        QTest::addColumn<bool>("keyring");
        QTest::newRow("memory") << false;
        QTest::newRow("keyring") << true;
    }
    static std::unique_ptr<SecretStore> storeFor(bool keyring, const QString &service)
    {
        if (keyring)
            return std::make_unique<KeychainSecretStore>(nullptr, service);
        return std::make_unique<MemorySecretStore>();
    }
    void renameWith(SecretStore &store);
    void clearTokenWith(SecretStore &store);
    // The secret, or what went wrong (a comparison then fails and says it).
    static QString stored(SecretStore &s, const QString &key)
    {
        const Result<QString> r = read(s, key);
        return r ? *r : QStringLiteral("(none: %1)").arg(r.errorString());
    }
    static bool missing(SecretStore &s, const QString &key)
    {
        const Result<QString> r = read(s, key);
        return !r && r.error().kind == Error::Kind::NotFound;
    }
    static Result<QString> read(SecretStore &s, const QString &key)
    {
        std::optional<Result<QString>> out;
        QObject ctx;
        s.read(key, &ctx, [&](Result<QString> r) { out = r; });
        if (!QTest::qWaitFor([&] { return out.has_value(); }, 20000))
            return Error(QStringLiteral("no answer"));
        return *out;
    }
};

void TestWebhooksDialog::pasteSaveAndSendWithTheKeyring()
{
    if (!qEnvironmentVariableIsSet("VIGIL_TEST_KEYRING"))
        QSKIP("runs under with-keyring.sh (ctest: tst_webhooksdialog_keyring)");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("vigil/webhooks.toml"));
    HttpRecorder http;
    QVERIFY(http.listen());
    KeychainSecretStore store(nullptr, QStringLiteral("vigil-test"));
    const QString slackUrl = http.url(QStringLiteral("/hooks/T1/B1/SECRETPART"));
    {
        WebhooksDialog d(&store, nullptr, nullptr, path);
        QVERIFY(loadedWithANewWebhook(d));
        fill(d, QStringLiteral("team"), 1, slackUrl);
        QSignalSpy tested(&d, &WebhooksDialog::testFinished);
        d.sendTest();
        QVERIFY(tested.wait(10000));
        QVERIFY2(tested.first().at(0).toBool(), qPrintable(tested.first().at(1).toString()));
        QCOMPARE(http.requests.size(), 1);
        QCOMPARE(http.requests.first().path, QByteArray("/hooks/T1/B1/SECRETPART"));
        QVERIFY(QJsonDocument::fromJson(http.requests.first().body)
                    .object()
                    .value(QStringLiteral("text"))
                    .toString()
                    .contains(QStringLiteral("Vigil test message")));
        QVERIFY2(!d.statusText().contains(QStringLiteral("SECRETPART")),
                 qPrintable(d.statusText()));

        d.addWebhook();
        fill(d, QStringLiteral("phone"), 0, http.url(QStringLiteral("/my-topic")),
             QStringLiteral("tk_dialog"));
        QSignalSpy saved(&d, &WebhooksDialog::saved);
        QSignalSpy failed(&d, &WebhooksDialog::saveFailed);
        d.save();
        QVERIFY2(saved.wait(20000), qPrintable(d.statusText()));
        QCOMPARE(failed.size(), 0);
    }
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY2(text.contains("[webhooks.team]") && text.contains("[webhooks.phone]"),
             text.constData());
    QVERIFY2(text.contains("/my-topic"), text.constData());
    QVERIFY2(!text.contains("SECRETPART") && !text.contains("/hooks/"), text.constData());
    QVERIFY2(!text.contains("tk_dialog"), text.constData());
    QCOMPARE(stored(store, QStringLiteral("webhook/team")), slackUrl);
    QCOMPARE(stored(store, QStringLiteral("webhook/phone")), QStringLiteral("tk_dialog"));

    // A second dialog lists them and sends with the stored secrets.
    WebhooksDialog d(&store, nullptr, nullptr, path);
    QSignalSpy loaded(&d, &WebhooksDialog::loaded);
    QVERIFY(loaded.wait(5000));
    auto *list = d.findChild<QListWidget *>();
    QCOMPARE(list->count(), 2);
    list->setCurrentItem(list->findItems(QStringLiteral("team"), Qt::MatchExactly).value(0));
    QCOMPARE(edit(d, 0)->text(), QStringLiteral("team"));
    QVERIFY(edit(d, 1)->text().isEmpty()); // the stored URL is not shown
    QSignalSpy tested(&d, &WebhooksDialog::testFinished);
    d.sendTest();
    QVERIFY(tested.wait(10000));
    QVERIFY2(tested.first().at(0).toBool(), qPrintable(tested.first().at(1).toString()));
    QCOMPARE(http.requests.last().path, QByteArray("/hooks/T1/B1/SECRETPART"));

    // Remove: the secret goes with it.
    d.removeWebhook();
    QSignalSpy saved(&d, &WebhooksDialog::saved);
    d.save();
    QVERIFY2(saved.wait(20000), qPrintable(d.statusText()));
    QCOMPARE(saved.first().at(0).value<QList<WebhookTarget>>().size(), 1);
    QVERIFY(missing(store, QStringLiteral("webhook/team")));
    QCOMPARE(stored(store, QStringLiteral("webhook/phone")), QStringLiteral("tk_dialog"));
}

void TestWebhooksDialog::invalidUrlIsNotSaved_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("error");
    QTest::newRow("ftp") << QStringLiteral("ftp://example.org/t")
                         << QStringLiteral("url must be an http(s) ntfy topic URL");
    // A credential in the URL would land in the plain file: the message
    // points to the Access token field.
    const QString token = QStringLiteral("put an ntfy access token in the Access token field");
    QTest::newRow("user info") << QStringLiteral("https://me:pw@ntfy.example/topic") << token;
    QTest::newRow("auth query") << QStringLiteral("https://ntfy.example/topic?auth=QmFzaWM")
                                << token;
}

// Save refuses: no file is written and no secret is stored.
void TestWebhooksDialog::invalidUrlIsNotSaved()
{
    QFETCH(QString, url);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("webhooks.toml"));
    MemorySecretStore store;
    WebhooksDialog d(&store, nullptr, nullptr, path);
    QVERIFY(loadedWithANewWebhook(d));
    fill(d, QStringLiteral("phone"), 0, url, QStringLiteral("tk_typed"));
    QSignalSpy failed(&d, &WebhooksDialog::saveFailed);
    d.save();
    QCOMPARE(failed.size(), 1);
    QVERIFY2(d.statusText().contains(error), qPrintable(d.statusText()));
    QTest::qWait(50); // a keyring write would answer on the next turn
    QVERIFY(!QFile::exists(path));
    QVERIFY(store.secrets.isEmpty());
}

// A saved ntfy webhook and a Slack one are renamed: their secrets move to the
// new names (the old keys are gone); a renamed one with a typed token gets
// the typed one; a second rename in the same dialog moves it again.
void TestWebhooksDialog::renameWith(SecretStore &store)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("webhooks.toml"));
    HttpRecorder http;
    QVERIFY(http.listen());
    const QString slackUrl = http.url(QStringLiteral("/hooks/T1/B1/RENAMED"));
    {
        WebhooksDialog d(&store, nullptr, nullptr, path);
        QVERIFY(loadedWithANewWebhook(d));
        fill(d, QStringLiteral("phone"), 0, http.url(QStringLiteral("/topic")),
             QStringLiteral("tk_moved"));
        d.addWebhook();
        fill(d, QStringLiteral("team"), 1, slackUrl);
        d.addWebhook();
        fill(d, QStringLiteral("old"), 0, http.url(QStringLiteral("/t2")),
             QStringLiteral("tk_old"));
        QVERIFY2(saveAndWait(d), qPrintable(d.statusText()));
    }
    WebhooksDialog d(&store, nullptr, nullptr, path);
    QSignalSpy loaded(&d, &WebhooksDialog::loaded);
    QVERIFY(loaded.wait(5000));
    select(d, QStringLiteral("phone"));
    edit(d, 0)->setText(QStringLiteral("pocket"));
    // Send Test before saving uses the secret stored under the old name.
    QSignalSpy tested(&d, &WebhooksDialog::testFinished);
    d.sendTest();
    QVERIFY(tested.wait(10000));
    QVERIFY2(tested.first().at(0).toBool(), qPrintable(tested.first().at(1).toString()));
    QCOMPARE(http.requests.last().header("Authorization"), QByteArray("Bearer tk_moved"));
    select(d, QStringLiteral("team"));
    edit(d, 0)->setText(QStringLiteral("crew"));
    select(d, QStringLiteral("old"));
    edit(d, 0)->setText(QStringLiteral("new"));
    edit(d, 2)->setText(QStringLiteral("tk_typed"));
    QVERIFY2(saveAndWait(d), qPrintable(d.statusText()));
    QCOMPARE(stored(store, QStringLiteral("webhook/pocket")), QStringLiteral("tk_moved"));
    QVERIFY(missing(store, QStringLiteral("webhook/phone")));
    QCOMPARE(stored(store, QStringLiteral("webhook/crew")), slackUrl);
    QVERIFY(missing(store, QStringLiteral("webhook/team")));
    QCOMPARE(stored(store, QStringLiteral("webhook/new")), QStringLiteral("tk_typed"));
    QVERIFY(missing(store, QStringLiteral("webhook/old")));

    select(d, QStringLiteral("pocket"));
    edit(d, 0)->setText(QStringLiteral("pocket2"));
    QVERIFY2(saveAndWait(d), qPrintable(d.statusText()));
    QCOMPARE(stored(store, QStringLiteral("webhook/pocket2")), QStringLiteral("tk_moved"));
    QVERIFY(missing(store, QStringLiteral("webhook/pocket")));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY2(text.contains("[webhooks.pocket2]") && text.contains("[webhooks.crew]") &&
                 !text.contains("[webhooks.phone]") && !text.contains("tk_"),
             text.constData());
}

void TestWebhooksDialog::renameMovesTheSecret()
{
    QFETCH(bool, keyring);
    if (keyring && !qEnvironmentVariableIsSet("VIGIL_TEST_KEYRING"))
        QSKIP("runs under with-keyring.sh (ctest: tst_webhooksdialog_keyring)");
    renameWith(*storeFor(keyring, QStringLiteral("vigil-test-rename")));
}

// Clear Token: the stored ntfy token is removed on Save (the webhook stays),
// and Send Test goes without it.
void TestWebhooksDialog::clearTokenWith(SecretStore &store)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("webhooks.toml"));
    HttpRecorder http;
    QVERIFY(http.listen());
    {
        WebhooksDialog d(&store, nullptr, nullptr, path);
        QVERIFY(loadedWithANewWebhook(d));
        fill(d, QStringLiteral("phone"), 0, http.url(QStringLiteral("/topic")),
             QStringLiteral("tk_cleared"));
        d.addWebhook();
        fill(d, QStringLiteral("other"), 0, http.url(QStringLiteral("/t2")),
             QStringLiteral("tk_other"));
        QVERIFY2(saveAndWait(d), qPrintable(d.statusText()));
    }
    QCOMPARE(stored(store, QStringLiteral("webhook/phone")), QStringLiteral("tk_cleared"));
    WebhooksDialog d(&store, nullptr, nullptr, path);
    QSignalSpy loaded(&d, &WebhooksDialog::loaded);
    QVERIFY(loaded.wait(5000));
    select(d, QStringLiteral("phone"));
    d.clearToken();
    QVERIFY2(edit(d, 2)->placeholderText().contains(QStringLiteral("removed when you save")),
             qPrintable(edit(d, 2)->placeholderText()));
    QSignalSpy tested(&d, &WebhooksDialog::testFinished);
    d.sendTest();
    QVERIFY(tested.wait(10000));
    QCOMPARE(http.requests.last().header("Authorization"), QByteArray());
    QVERIFY2(saveAndWait(d), qPrintable(d.statusText()));
    QVERIFY(missing(store, QStringLiteral("webhook/phone")));
    QCOMPARE(stored(store, QStringLiteral("webhook/other")), QStringLiteral("tk_other"));
    QCOMPARE(d.findChild<QListWidget *>()->count(), 2);
}

void TestWebhooksDialog::clearTokenRemovesIt()
{
    QFETCH(bool, keyring);
    if (keyring && !qEnvironmentVariableIsSet("VIGIL_TEST_KEYRING"))
        QSKIP("runs under with-keyring.sh (ctest: tst_webhooksdialog_keyring)");
    clearTokenWith(*storeFor(keyring, QStringLiteral("vigil-test-clear")));
}

void TestWebhooksDialog::noKeyringSaveFails()
{
    if (qEnvironmentVariableIsSet("VIGIL_TEST_KEYRING"))
        QSKIP("runs without a keyring (ctest: tst_webhooksdialog)");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("webhooks.toml"));
    KeychainSecretStore store(nullptr, QStringLiteral("vigil-test"));
    WebhooksDialog d(&store, nullptr, nullptr, path);
    QVERIFY(loadedWithANewWebhook(d));
    fill(d, QStringLiteral("team"), 1, QStringLiteral("https://hooks.example/services/T/B/SECRET"));
    QSignalSpy failed(&d, &WebhooksDialog::saveFailed);
    d.save();
    QVERIFY(failed.wait(20000));
    QVERIFY2(d.statusText().contains(QStringLiteral("no system keyring is reachable")),
             qPrintable(d.statusText()));
    QVERIFY(!QFile::exists(path)); // no file naming a webhook whose secret was not kept
}

QTEST_MAIN(TestWebhooksDialog)
#include "tst_webhooksdialog.moc"
