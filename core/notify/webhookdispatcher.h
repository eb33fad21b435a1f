// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/reminders.h"
#include "models/statefmt.h"
#include "result.h"
#include "webhook.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <functional>
#include <memory>

namespace vigil {

class SecretStore;
class Supervisor;
struct RunInfo;

// The outcome of one HTTP attempt. `error` never holds the URL's path or a
// token (QNetworkReply's own messages may: they are not used).
struct WebhookResponse
{
    int status = 0;    // HTTP status; 0: no answer
    QString error;     // empty: delivered (2xx)
    bool retry = true; // worth trying again (no answer, 5xx, 408, 429)
};

// One attempt: sends `request` with `nam`, gives up after `timeoutMs`. A
// redirect is never followed (the headers would go to another host): a 3xx
// is an error "HTTP 302 redirected to scheme://host: not followed", not retried.
void sendWebhookRequest(QNetworkAccessManager *nam, const WebhookRequest &request, int timeoutMs,
                        QObject *context, std::function<void(WebhookResponse)> done);

struct WebhookDispatcherOptions
{
    Clock clock = systemClock();
    // The wait before attempt n+1 after n failures: 5 s, 15 s, 45 s ... at
    // most 10 min (defaultRetryDelayMs). Tests shorten it.
    std::function<int(int failures)> retryDelayMs;
    int maxAttempts = 6;
    int timeoutMs = 15000;
    int reminderIntervalMs = 30000; // how often deadline reminders are looked for
};

// Follows a Supervisor and posts its checkpoints' events to the webhooks
// that want them: a checkpoint arriving (checkpointArrived), its deadline
// nearing (Reminders' schedule), and its decision (a checkpoint seen pending
// becomes decided or applied, by a person or by the default). The
// checkpoints of review bundles (Supervisor::isReadOnly) are left out: they
// cannot be decided. Each event goes
// once to each webhook. Secrets are read from `secrets` for every delivery.
// A failure is retried with exponential backoff; the first failure and a
// give-up go to Supervisor::raise() (the Issues list), naming the webhook,
// the event and the HTTP status or network error, and only scheme://host of
// the URL. 400, 401, 403, 404 and other 4xx (but 408, 429) are not retried.
class WebhookDispatcher : public QObject
{
    Q_OBJECT
public:
    WebhookDispatcher(Supervisor *supervisor, SecretStore *secrets,
                      WebhookDispatcherOptions options = {}, QObject *parent = nullptr);

    static int defaultRetryDelayMs(int failures);

    void setTargets(const QList<WebhookTarget> &targets);
    const QList<WebhookTarget> &targets() const { return m_targets; }
    QNetworkAccessManager *network() { return &m_nam; }

    // Sends `event` to each webhook that wants it and has not had it yet.
    void post(const WebhookEvent &event);
    // Posts the deadline reminders due now (also run by a timer).
    void checkReminders();

Q_SIGNALS:
    void delivered(const QString &webhook, const QString &eventKey, int attempts);
    // A failed attempt; nextDelayMs < 0: given up.
    void attemptFailed(const QString &webhook, const QString &eventKey, const QString &why,
                       int attempt, int nextDelayMs);

private:
    struct Delivery
    {
        WebhookTarget target;
        WebhookEvent event;
        int attempt = 0;
        QString shownUrl; // scheme://host of the URL used
    };
    void deliver(const std::shared_ptr<Delivery> &d);
    void attempt(const std::shared_ptr<Delivery> &d, const QString &secret);
    void fail(const std::shared_ptr<Delivery> &d, const QString &why, bool retry);
    void onRunsChanged(const QString &site, const QList<RunInfo> &runs);
    QString describe(const Delivery &d) const;

    QPointer<Supervisor> m_supervisor;
    QPointer<SecretStore> m_secrets;
    WebhookDispatcherOptions m_options;
    QNetworkAccessManager m_nam;
    QList<WebhookTarget> m_targets;
    QSet<QString> m_sent;                         // webhook name + event key
    QHash<QString, QHash<QString, int>> m_status; // site -> checkpoint key -> status
    Reminders m_reminders;
    QTimer m_reminderTimer;
};

} // namespace vigil
