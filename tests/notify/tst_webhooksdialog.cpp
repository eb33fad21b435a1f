// SPDX-License-Identifier: GPL-3.0-or-later
// "Phone Notifications…" offscreen: a pasted Slack/Mattermost URL and an ntfy
// token go to the real keyring (GNOME Keyring in a private session, under
// with-keyring.sh), the file gets everything else and no secret; Send Test
// reaches a recording server; a second dialog sends with the stored secret;
// Remove removes the secret too. Without a keyring, Save fails and says so.

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
    void invalidUrlIsNotSaved();
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
    QCOMPARE(read(store, QStringLiteral("webhook/team")).value(), slackUrl);
    QCOMPARE(read(store, QStringLiteral("webhook/phone")).value(), QStringLiteral("tk_dialog"));

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
    QCOMPARE(read(store, QStringLiteral("webhook/team")).error().kind, Error::Kind::NotFound);
    QCOMPARE(read(store, QStringLiteral("webhook/phone")).value(), QStringLiteral("tk_dialog"));
}

void TestWebhooksDialog::invalidUrlIsNotSaved()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("webhooks.toml"));
    MemorySecretStore store;
    WebhooksDialog d(&store, nullptr, nullptr, path);
    QVERIFY(loadedWithANewWebhook(d));
    fill(d, QStringLiteral("phone"), 0, QStringLiteral("ftp://example.org/t"));
    QSignalSpy failed(&d, &WebhooksDialog::saveFailed);
    d.save();
    QCOMPARE(failed.size(), 1);
    QVERIFY2(d.statusText().contains(QStringLiteral("url must be an http(s) ntfy topic URL")),
             qPrintable(d.statusText()));
    QVERIFY(!QFile::exists(path));
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
