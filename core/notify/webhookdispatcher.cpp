// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookdispatcher.h"

#include "notifylog.h"
#include "secretstore.h"
#include "supervisor.h"

#include <QMetaEnum>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace vigil {

namespace {

// What went wrong with a reply, from its error code only: QNetworkReply's
// errorString() names the whole URL, which may be a credential.
QString networkProblem(QNetworkReply::NetworkError e, int timeoutMs)
{
    switch (e) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("the server closed the connection");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found");
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return QStringLiteral("no answer within %1 s").arg(timeoutMs / 1000);
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("TLS handshake failed");
    case QNetworkReply::ProtocolUnknownError:
        return QStringLiteral("not an http(s) URL");
    default:
        break;
    }
    return QStringLiteral("network error %1")
        .arg(QString::fromLatin1(QMetaEnum::fromType<QNetworkReply::NetworkError>().valueToKey(e)));
}

bool decidedStatus(int s)
{
    return s == int(CheckpointInfo::Status::Decided) || s == int(CheckpointInfo::Status::Applied);
}

} // namespace

void sendWebhookRequest(QNetworkAccessManager *nam, const WebhookRequest &request, int timeoutMs,
                        QObject *context, std::function<void(WebhookResponse)> done)
{
    if (!request.url.isValid() || request.url.host().isEmpty()) {
        QTimer::singleShot(0, context, [done = std::move(done)] {
            done({0, QStringLiteral("no valid URL"), false});
        });
        return;
    }
    QNetworkRequest req(request.url);
    // Never follow a redirect: Qt would send the same headers (the ntfy token)
    // to whatever host the Location names. A 3xx is a failure instead.
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::ManualRedirectPolicy);
    req.setTransferTimeout(timeoutMs);
    req.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("Vigil"));
    for (const auto &[k, v] : request.headers)
        req.setRawHeader(k, v);
    QNetworkReply *reply = nam->sendCustomRequest(req, request.method, request.body);
    QObject::connect(
        reply, &QNetworkReply::finished, context,
        [reply, timeoutMs, url = request.url, done = std::move(done)] {
            reply->deleteLater();
            WebhookResponse r;
            r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (r.status >= 200 && r.status < 300) {
                done(r);
                return;
            }
            const QUrl target =
                reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
            if (r.status >= 300 && r.status < 400 && target.isValid()) {
                // Only scheme://host of where it points: its path may be a credential.
                r.error = QStringLiteral("HTTP %1 redirected to %2: not followed")
                              .arg(r.status)
                              .arg(webhookShownUrl(url.resolved(target)));
                r.retry = false;
                done(r);
                return;
            }
            if (r.status > 0) {
                const QString phrase = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute)
                                           .toString()
                                           .left(80);
                r.error = QStringLiteral("HTTP %1 %2").arg(r.status).arg(phrase).trimmed();
                r.retry = r.status >= 500 || r.status == 408 || r.status == 429;
            } else {
                r.error = networkProblem(reply->error(), timeoutMs);
                r.retry = reply->error() != QNetworkReply::ProtocolUnknownError;
            }
            done(r);
        });
    // A reply outliving its context (dispatcher gone) is deleted with the manager.
}

WebhookDispatcher::WebhookDispatcher(Supervisor *supervisor, SecretStore *secrets,
                                     WebhookDispatcherOptions options, QObject *parent)
    : QObject(parent), m_supervisor(supervisor), m_secrets(secrets), m_options(std::move(options))
{
    if (!m_options.retryDelayMs)
        m_options.retryDelayMs = &WebhookDispatcher::defaultRetryDelayMs;
    if (!m_options.clock)
        m_options.clock = systemClock();
    connect(supervisor, &Supervisor::checkpointArrived, this, [this](const CheckpointInfo &c) {
        m_status[c.site].insert(c.key(), int(CheckpointInfo::Status::Pending));
        post(WebhookEvent{WebhookEvent::Kind::Arrived, c});
    });
    connect(supervisor, &Supervisor::runsChanged, this, &WebhookDispatcher::onRunsChanged);
    connect(&m_reminderTimer, &QTimer::timeout, this, &WebhookDispatcher::checkReminders);
    m_reminderTimer.start(m_options.reminderIntervalMs);
}

int WebhookDispatcher::defaultRetryDelayMs(int failures)
{
    qint64 ms = 5000;
    for (int i = 1; i < failures && ms < 600000; ++i)
        ms *= 3;
    return int(qMin<qint64>(ms, 600000));
}

void WebhookDispatcher::setTargets(const QList<WebhookTarget> &targets)
{
    m_targets = targets;
    qCInfo(lcNotify) << "following" << targets.size() << "webhook(s)";
}

void WebhookDispatcher::onRunsChanged(const QString &site, const QList<RunInfo> &runs)
{
    if (m_supervisor && m_supervisor->isReadOnly(site))
        return; // a review bundle: nothing in it can be decided
    QHash<QString, int> now;
    const QHash<QString, int> before = m_status.value(site);
    for (const RunInfo &run : runs) {
        for (const CheckpointInfo &c : run.checkpoints) {
            const int s = int(c.status);
            now.insert(c.key(), s);
            if (before.value(c.key(), -1) == int(CheckpointInfo::Status::Pending) &&
                decidedStatus(s))
                post(WebhookEvent{WebhookEvent::Kind::Decided, c});
        }
    }
    m_status.insert(site, now);
}

void WebhookDispatcher::checkReminders()
{
    if (!m_supervisor)
        return;
    QList<CheckpointInfo> pending;
    // A review bundle's checkpoints cannot be decided: no reminder for them.
    for (const CheckpointInfo &c : m_supervisor->checkpoints())
        if (c.status == CheckpointInfo::Status::Pending && !m_supervisor->isReadOnly(c.site))
            pending << c;
    for (const Reminders::Reminder &r : m_reminders.due(pending, m_options.clock())) {
        for (const CheckpointInfo &c : std::as_const(pending)) {
            if (c.key() != r.key)
                continue;
            WebhookEvent e{WebhookEvent::Kind::DeadlineNear, c};
            e.secondsLeft = r.secondsLeft;
            e.stage = r.stage;
            post(e);
        }
    }
}

void WebhookDispatcher::post(const WebhookEvent &event)
{
    for (const WebhookTarget &t : std::as_const(m_targets)) {
        if (!webhookWants(t, event))
            continue;
        const QString sentKey = t.name + QLatin1Char('|') + event.key();
        if (m_sent.contains(sentKey))
            continue;
        m_sent.insert(sentKey);
        auto d = std::make_shared<Delivery>();
        d->target = t;
        d->event = event;
        d->shownUrl = webhookShownUrl(QUrl(t.url));
        deliver(d);
    }
}

QString WebhookDispatcher::describe(const Delivery &d) const
{
    const CheckpointInfo &c = d.event.checkpoint;
    return QStringLiteral("webhook \"%1\" (%2, %3), \"%4\" of %5/%6")
        .arg(d.target.name, webhookKindName(d.target.kind), d.shownUrl,
             webhookEventName(d.event.kind), c.runId, c.id);
}

void WebhookDispatcher::deliver(const std::shared_ptr<Delivery> &d)
{
    if (!m_secrets) {
        attempt(d, QString());
        return;
    }
    m_secrets->read(d->target.secretKey(), this, [this, d](Result<QString> secret) {
        const bool slack = d->target.kind == WebhookTarget::Kind::Slack;
        if (secret) {
            if (slack)
                d->shownUrl = webhookShownUrl(QUrl(*secret));
            attempt(d, *secret);
        } else if (secret.error().kind == Error::Kind::NotFound && !slack) {
            attempt(d, QString()); // an ntfy topic without a token
        } else if (secret.error().kind == Error::Kind::NotFound) {
            fail(d,
                 QStringLiteral("no webhook URL in the system keyring: paste it in Phone "
                                "Notifications"),
                 false);
        } else {
            fail(d, secret.errorString(), false);
        }
    });
}

void WebhookDispatcher::attempt(const std::shared_ptr<Delivery> &d, const QString &secret)
{
    ++d->attempt;
    const WebhookRequest request =
        buildWebhookRequest(d->target, d->event, secret, m_options.clock());
    qCDebug(lcNotify).noquote() << "posting" << describe(*d) << "attempt" << d->attempt;
    sendWebhookRequest(
        &m_nam, request, m_options.timeoutMs, this, [this, d, secret](const WebhookResponse &r) {
            if (r.error.isEmpty()) {
                qCInfo(lcNotify).noquote() << "delivered" << describe(*d) << "HTTP" << r.status;
                Q_EMIT delivered(d->target.name, d->event.key(), d->attempt);
                return;
            }
            if (r.retry && d->attempt < m_options.maxAttempts) {
                const int delay = m_options.retryDelayMs(d->attempt);
                fail(d, r.error, true);
                QTimer::singleShot(delay, this, [this, d, secret] { attempt(d, secret); });
            } else {
                fail(d, r.error, false);
            }
        });
}

void WebhookDispatcher::fail(const std::shared_ptr<Delivery> &d, const QString &why, bool retry)
{
    const int delay = retry ? m_options.retryDelayMs(d->attempt) : -1;
    qCWarning(lcNotify).noquote() << describe(*d) << "attempt" << d->attempt << "failed:" << why;
    Q_EMIT attemptFailed(d->target.name, d->event.key(), why, d->attempt, delay);
    if (!m_supervisor)
        return;
    const QString subject = QStringLiteral("webhook %1").arg(d->target.name);
    const QString site = d->event.checkpoint.site;
    if (retry && d->attempt == 1) {
        m_supervisor->raise(
            Issue::Severity::Warning, site, subject,
            QStringLiteral("%1 failed: %2; trying again with backoff").arg(describe(*d), why));
    } else if (!retry) {
        const bool refused = d->attempt > 0 && why.startsWith(QLatin1String("HTTP 4"));
        QString message;
        if (refused)
            message = QStringLiteral("%1 refused: %2; not retried: check its URL and token in "
                                     "Phone Notifications")
                          .arg(describe(*d), why);
        else if (d->attempt > 1)
            message = QStringLiteral("%1 gave up after %2 attempts: %3")
                          .arg(describe(*d))
                          .arg(d->attempt)
                          .arg(why);
        else
            message = QStringLiteral("%1 not sent: %2").arg(describe(*d), why);
        m_supervisor->raise(Issue::Severity::Error, site, subject, message);
    }
}

} // namespace vigil
