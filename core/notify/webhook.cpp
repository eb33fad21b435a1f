// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhook.h"

#include "models/statefmt.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil {

namespace {

// The messages a phone shows, in the desktop's language (translations/:
// lupdate reads core/notify as well).
struct Webhook
{
    Q_DECLARE_TR_FUNCTIONS(vigil::Webhook)
};

// The checkpoint's question, or its id when it has none.
QString question(const CheckpointInfo &c)
{
    return c.title.isEmpty() ? c.id : c.title;
}

bool isAscii(const QString &s)
{
    for (QChar ch : s)
        if (ch.unicode() < 0x20 || ch.unicode() > 0x7e)
            return false;
    return true;
}

// A header value: as is when printable ASCII, else RFC 2047 (ntfy decodes it).
QByteArray headerText(const QString &s)
{
    if (isAscii(s))
        return s.toLatin1();
    return "=?UTF-8?B?" + s.toUtf8().toBase64() + "?=";
}

QString fillClick(QString url, const CheckpointInfo &c)
{
    const auto enc = [](const QString &v) {
        return QString::fromLatin1(QUrl::toPercentEncoding(v));
    };
    url.replace(QStringLiteral("{site}"), enc(c.site));
    url.replace(QStringLiteral("{run}"), enc(c.runId));
    url.replace(QStringLiteral("{checkpoint}"), enc(c.id));
    return url;
}

QByteArray tagsFor(WebhookEvent::Kind kind)
{
    switch (kind) {
    case WebhookEvent::Kind::Arrived:
        return "bell";
    case WebhookEvent::Kind::DeadlineNear:
        return "hourglass_flowing_sand";
    case WebhookEvent::Kind::Decided:
        return "white_check_mark";
    case WebhookEvent::Kind::Test:
        return "test_tube";
    }
    return {};
}

} // namespace

QString webhookKindName(WebhookTarget::Kind kind)
{
    return kind == WebhookTarget::Kind::Ntfy ? QStringLiteral("ntfy") : QStringLiteral("slack");
}

QString webhookEventName(WebhookEvent::Kind kind)
{
    switch (kind) {
    case WebhookEvent::Kind::Arrived:
        return QStringLiteral("arrived");
    case WebhookEvent::Kind::DeadlineNear:
        return QStringLiteral("deadline");
    case WebhookEvent::Kind::Decided:
        return QStringLiteral("decided");
    case WebhookEvent::Kind::Test:
        return QStringLiteral("test");
    }
    return {};
}

QString WebhookEvent::key() const
{
    return checkpoint.key() + QLatin1Char('#') + webhookEventName(kind) + QLatin1Char('#') +
           QString::number(stage);
}

QByteArray WebhookRequest::header(const QByteArray &name) const
{
    for (const auto &[k, v] : headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

bool webhookWants(const WebhookTarget &target, const WebhookEvent &event)
{
    switch (event.kind) {
    case WebhookEvent::Kind::Test:
        return true;
    case WebhookEvent::Kind::Arrived:
        if (!target.onArrived)
            return false;
        break;
    case WebhookEvent::Kind::DeadlineNear:
        if (!target.onDeadline)
            return false;
        break;
    case WebhookEvent::Kind::Decided:
        if (!target.onDecided)
            return false;
        break;
    }
    if (!target.sites.isEmpty() && !target.sites.contains(event.checkpoint.site))
        return false;
    return target.runs.isEmpty() || target.runs.contains(event.checkpoint.runId);
}

QString webhookTitle(const WebhookEvent &event)
{
    const CheckpointInfo &c = event.checkpoint;
    switch (event.kind) {
    case WebhookEvent::Kind::Arrived:
        return Webhook::tr("Checkpoint waiting: %1").arg(question(c));
    case WebhookEvent::Kind::DeadlineNear:
        return Webhook::tr("%1 left to decide: %2").arg(formatAge(event.secondsLeft), question(c));
    case WebhookEvent::Kind::Decided:
        return Webhook::tr("Decided: %1").arg(question(c));
    case WebhookEvent::Kind::Test:
        return Webhook::tr("Vigil test message");
    }
    return {};
}

QString webhookText(const WebhookEvent &event, const QDateTime &now)
{
    const CheckpointInfo &c = event.checkpoint;
    if (event.kind == WebhookEvent::Kind::Test)
        return Webhook::tr("Phone notifications from Vigil reach this place.");
    QStringList lines;
    lines << Webhook::tr("Site %1, run %2, checkpoint %3").arg(c.site, c.runId, c.id);
    if (!c.title.isEmpty())
        lines << c.title;
    if (!c.body.isEmpty() && event.kind != WebhookEvent::Kind::Decided)
        lines << c.body;
    if (event.kind == WebhookEvent::Kind::Decided) {
        const bool byDefault = c.decisionKind == QLatin1String("timeout-default");
        lines << (byDefault
                      ? Webhook::tr("Default \"%1\" taken at the deadline").arg(c.decidedOption)
                      : Webhook::tr("Decided by %1: %2").arg(c.decidedBy, c.decidedOption));
        return lines.join(QLatin1Char('\n'));
    }
    QStringList options;
    for (const CheckpointOption &o : c.options)
        options << (o.isDefault ? Webhook::tr("%1 (default)").arg(o.name) : o.name);
    if (!options.isEmpty())
        lines << Webhook::tr("Options: %1").arg(options.join(QStringLiteral(", ")));
    if (c.deadline.isValid())
        lines << Webhook::tr("Deadline: %1 (%2)")
                     .arg(formatDateTime(c.deadline), formatRelative(c.deadline, now));
    return lines.join(QLatin1Char('\n'));
}

int webhookPriority(const WebhookTarget &target, const WebhookEvent &event)
{
    int p = qBound(1, target.priority, 5);
    if (event.kind == WebhookEvent::Kind::DeadlineNear && event.secondsLeft <= 600)
        p = qMax(p, 4);
    if (event.kind == WebhookEvent::Kind::Decided)
        p = qMin(p, 3);
    return p;
}

WebhookRequest buildWebhookRequest(const WebhookTarget &target, const WebhookEvent &event,
                                   const QString &secret, const QDateTime &now)
{
    WebhookRequest r;
    const QString title = webhookTitle(event);
    const QString text = webhookText(event, now);
    if (target.kind == WebhookTarget::Kind::Slack) {
        r.url = QUrl(secret);
        r.headers << qMakePair(QByteArray("Content-Type"), QByteArray("application/json"));
        QJsonObject o;
        o.insert(QStringLiteral("text"), QStringLiteral("*%1*\n%2").arg(title, text));
        r.body = QJsonDocument(o).toJson(QJsonDocument::Compact);
        return r;
    }
    r.url = QUrl(target.url);
    r.headers << qMakePair(QByteArray("Content-Type"), QByteArray("text/plain; charset=utf-8"));
    r.headers << qMakePair(QByteArray("Title"), headerText(title));
    r.headers << qMakePair(QByteArray("Priority"),
                           QByteArray::number(webhookPriority(target, event)));
    r.headers << qMakePair(QByteArray("Tags"), tagsFor(event.kind));
    if (!target.clickUrl.isEmpty() && event.kind != WebhookEvent::Kind::Test)
        r.headers << qMakePair(QByteArray("Click"),
                               fillClick(target.clickUrl, event.checkpoint).toUtf8());
    if (!secret.isEmpty())
        r.headers << qMakePair(QByteArray("Authorization"), "Bearer " + secret.toUtf8());
    r.body = text.toUtf8();
    return r;
}

QString webhookShownUrl(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("(no valid URL)");
    return url.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment |
                        QUrl::RemoveUserInfo);
}

} // namespace vigil
