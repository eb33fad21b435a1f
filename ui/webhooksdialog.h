// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "notify/webhook.h"
#include "notify/webhookconfig.h"
#include "result.h"

#include <QDialog>
#include <QNetworkAccessManager>
#include <QPointer>
#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace vigil {

class SecretStore;
class WebhookDispatcher;

// "Phone Notifications…": the webhooks of webhooks.toml. Each has a name, a
// kind (ntfy, or Slack/Mattermost), the URL field where the user pastes the
// ntfy topic URL or the Slack/Mattermost incoming-webhook URL, an ntfy token
// (hidden), a priority, the events, and the sites and runs it is for.
// "Send Test" posts a test message with what the fields say and shows the
// answer. Save puts the secrets (token; Slack/Mattermost URL) in the keyring,
// moves the secret of a renamed webhook to its new name (unless a new one was
// typed), removes those of removed webhooks and of tokens cleared with "Clear
// Token", then writes the file on a pool thread (never a secret in it) and
// hands the webhooks to the dispatcher. The file is read on a pool thread
// when the dialog opens.
class WebhooksDialog : public QDialog
{
    Q_OBJECT
public:
    WebhooksDialog(SecretStore *secrets, WebhookDispatcher *dispatcher, QWidget *parent = nullptr,
                   QString path = webhookconfig::defaultPath());

    // The webhooks as the fields say now, or what is wrong with them.
    Result<QList<WebhookTarget>> targets();
    QString statusText() const;

    // For tests and the buttons.
    void addWebhook();
    void removeWebhook();
    // The stored ntfy token of the current webhook is removed on Save.
    void clearToken();
    void sendTest();
    void save();

Q_SIGNALS:
    void loaded();
    void saved(const QList<vigil::WebhookTarget> &targets);
    void saveFailed(const QString &message);
    void testFinished(bool ok, const QString &message);

private:
    struct Entry
    {
        WebhookTarget target;
        QString savedName;        // the name its secret is stored under; empty: not saved yet
        QString newSecret;        // typed since the dialog opened; empty: keep the stored one
        bool clearSecret = false; // Clear Token: remove the stored one on Save
    };
    struct SecretPlan;
    void load();
    void showEntry(int row);
    void storeForm();
    void kindChanged();
    void setStatus(const QString &text, bool error);
    static QString storedKey(const Entry &e);
    void runSecretSteps(std::shared_ptr<SecretPlan> plan);
    void writeFile(const QList<WebhookTarget> &targets);
    void sendTestWith(const WebhookTarget &target, const QString &secret);

    QPointer<SecretStore> m_secrets;
    QPointer<WebhookDispatcher> m_dispatcher;
    QString m_path;
    QList<Entry> m_entries;
    QStringList m_removed; // secret keys of removed webhooks
    int m_current = -1;
    QNetworkAccessManager m_nam;

    QListWidget *m_list;
    QLineEdit *m_name;
    QComboBox *m_kind;
    QLineEdit *m_url;
    QLineEdit *m_token;
    QPushButton *m_clearToken;
    QComboBox *m_priority;
    QLineEdit *m_click;
    QCheckBox *m_arrived;
    QCheckBox *m_deadline;
    QCheckBox *m_decided;
    QLineEdit *m_sites;
    QLineEdit *m_runs;
    QLabel *m_status;
    QPushButton *m_test;
    QDialogButtonBox *m_buttons;
};

} // namespace vigil
