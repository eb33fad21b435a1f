// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runs/runinfo.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace vigil {

// One place a phone notification goes: an ntfy topic, or a Slack or
// Mattermost incoming webhook. Kept in webhooks.toml (WebhookConfig), except
// its secret, which lives in the system keyring (SecretStore) under
// secretKey(): the ntfy access token (optional), or the whole Slack/Mattermost
// URL (which is itself the credential).
struct WebhookTarget
{
    enum class Kind { Ntfy, Slack };

    QString name; // [A-Za-z0-9_.-], unique
    Kind kind = Kind::Ntfy;
    QString url;      // ntfy: the topic URL. Slack: always empty (a secret).
    int priority = 3; // ntfy 1 (min) to 5 (max/urgent); 3 is ntfy's default
    QString clickUrl; // ntfy: opened when the notification is tapped; empty: none
    bool onArrived = true;
    bool onDeadline = true;
    bool onDecided = true;
    QStringList sites; // empty: every site
    QStringList runs;  // empty: every run

    // The key of this webhook's secret in the keyring (service "vigil").
    QString secretKey() const { return QStringLiteral("webhook/") + name; }
    bool operator==(const WebhookTarget &) const = default;
};

QString webhookKindName(WebhookTarget::Kind kind); // "ntfy", "slack"

// What happened to a checkpoint, told to a webhook.
struct WebhookEvent
{
    enum class Kind { Arrived, DeadlineNear, Decided, Test };

    Kind kind = Kind::Arrived;
    CheckpointInfo checkpoint;
    qint64 secondsLeft = 0; // DeadlineNear: until the deadline
    int stage = 0;          // DeadlineNear: the reminder's index in Reminders::schedule()

    // Each event is sent once per webhook: checkpoint key + event + stage.
    QString key() const;
};

QString webhookEventName(WebhookEvent::Kind kind); // "arrived", "deadline", "decided", "test"

// An HTTP request, ready for QNetworkAccessManager.
struct WebhookRequest
{
    QByteArray method = "POST";
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const;
};

// Whether `target` wants `event` (its event kinds, sites and runs). A test
// message is always wanted.
bool webhookWants(const WebhookTarget &target, const WebhookEvent &event);

// The notification's title and text: the site, run, question, options and
// deadline (time left at `now`), or who decided what.
QString webhookTitle(const WebhookEvent &event);
QString webhookText(const WebhookEvent &event, const QDateTime &now);

// The request for `target`. `secret`: the ntfy token (empty: none) or the
// Slack/Mattermost URL.
//   ntfy: POST the text to the topic URL with the headers Title (RFC 2047
//   when not ASCII), Priority, Tags, Click (clickUrl with {site}, {run},
//   {checkpoint} filled in; none when empty) and Authorization: Bearer TOKEN.
//   Slack/Mattermost: POST application/json {"text": "*title*\ntext"}.
WebhookRequest buildWebhookRequest(const WebhookTarget &target, const WebhookEvent &event,
                                   const QString &secret, const QDateTime &now);

// The ntfy priority of an event: the target's; a deadline reminder with
// 10 min or less left is raised to at least 4 (high); a decision is at most 3.
int webhookPriority(const WebhookTarget &target, const WebhookEvent &event);

// What may be shown of a webhook's URL (issues, logs): scheme://host[:port]
// only, since a Slack URL's path is its credential.
QString webhookShownUrl(const QUrl &url);

} // namespace vigil
