// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookconfig.h"

#include "notifylog.h"
#include "sites/siteregistry.h"
#include "workflow/tomlreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <sstream>

namespace vigil::webhookconfig {

using workflowtoml::qs;
using workflowtoml::Reader;

namespace {

constexpr qint64 kMaxBytes = 1024 * 1024;

struct PriorityName
{
    const char *name;
    int value;
};
constexpr PriorityName kPriorities[] = {{"min", 1},  {"low", 2}, {"default", 3},
                                        {"high", 4}, {"max", 5}, {"urgent", 5}};

// Keys that hold a secret: refused with a message saying where secrets go.
constexpr std::string_view kSecretKeys[] = {"token",  "password", "passphrase",
                                            "secret", "auth",     "webhook_url"};

QString secretsGoElsewhere()
{
    return QStringLiteral("secrets are never kept in this file: set it in Phone Notifications "
                          "(it goes to the system keyring)");
}

Result<int> readPriority(const Reader &rd, const toml::table &t, const QString &where)
{
    const toml::node *n = t.get("priority");
    if (!n)
        return 3;
    if (n->is_integer() && n->as_integer()->get() >= 1 && n->as_integer()->get() <= 5)
        return int(n->as_integer()->get());
    if (n->is_string())
        for (const PriorityName &p : kPriorities)
            if (n->as_string()->get() == p.name)
                return p.value;
    return rd.error(n, QStringLiteral("%1.priority must be 1 to 5 or one of min, low, default, "
                                      "high, max, urgent")
                           .arg(where));
}

Result<void> readEvents(const Reader &rd, const toml::table &t, const QString &where,
                        WebhookTarget &w)
{
    if (!t.get("events"))
        return {};
    auto events = rd.stringList(t, "events", where);
    if (!events)
        return events.error();
    w.onArrived = w.onDeadline = w.onDecided = false;
    for (const QString &e : std::as_const(*events)) {
        if (e == QLatin1String("arrived"))
            w.onArrived = true;
        else if (e == QLatin1String("deadline"))
            w.onDeadline = true;
        else if (e == QLatin1String("decided"))
            w.onDecided = true;
        else
            return rd.error(t.get("events"),
                            QStringLiteral("%1.events: unknown event \"%2\" (arrived, deadline, "
                                           "decided)")
                                .arg(where, e));
    }
    return {};
}

Result<WebhookTarget> readWebhook(const Reader &rd, const QString &name, const toml::node &node)
{
    const QString where = QStringLiteral("webhooks.") + name;
    const toml::table *t = node.as_table();
    if (!t)
        return rd.error(&node, QStringLiteral("[%1] must be a table").arg(where));
    for (std::string_view k : kSecretKeys)
        if (const toml::node *n = t->get(k))
            return rd.error(n, QStringLiteral("%1.%2: %3").arg(where, qs(k), secretsGoElsewhere()));
    if (auto r =
            rd.onlyKeys(*t, {"kind", "url", "priority", "click", "events", "sites", "runs"}, where);
        !r)
        return r.error();
    WebhookTarget w;
    w.name = name;
    auto kind = rd.string(*t, "kind", where, true);
    if (!kind)
        return kind.error();
    if (*kind == QLatin1String("ntfy"))
        w.kind = WebhookTarget::Kind::Ntfy;
    else if (*kind == QLatin1String("slack") || *kind == QLatin1String("mattermost"))
        w.kind = WebhookTarget::Kind::Slack;
    else
        return rd.error(t->get("kind"),
                        QStringLiteral("%1.kind must be \"ntfy\" or \"slack\" (Slack and "
                                       "Mattermost incoming webhooks)")
                            .arg(where));
    auto url = rd.string(*t, "url", where, w.kind == WebhookTarget::Kind::Ntfy);
    if (!url)
        return url.error();
    if (w.kind == WebhookTarget::Kind::Slack && t->get("url"))
        return rd.error(t->get("url"),
                        QStringLiteral("%1.url: a Slack/Mattermost webhook URL is its "
                                       "credential; %2")
                            .arg(where, secretsGoElsewhere()));
    w.url = *url;
    auto priority = readPriority(rd, *t, where);
    if (!priority)
        return priority.error();
    w.priority = *priority;
    auto click = rd.string(*t, "click", where);
    if (!click)
        return click.error();
    w.clickUrl = *click;
    if (auto r = readEvents(rd, *t, where, w); !r)
        return r.error();
    auto sites = rd.stringList(*t, "sites", where);
    if (!sites)
        return sites.error();
    w.sites = *sites;
    auto runs = rd.stringList(*t, "runs", where);
    if (!runs)
        return runs.error();
    w.runs = *runs;
    if (auto r = validate(w); !r) {
        const toml::node *at =
            t->get(r.error().message.contains(QLatin1String("click")) ? std::string_view("click")
                                                                      : std::string_view("url"));
        return rd.error(at ? at : &node, QStringLiteral("%1: %2").arg(where, r.errorString()));
    }
    return w;
}

std::string utf8(const QString &s)
{
    return s.toStdString();
}

toml::array stringArray(const QStringList &list)
{
    toml::array a;
    for (const QString &s : list)
        a.push_back(utf8(s));
    return a;
}

bool webUrl(const QString &text)
{
    const QUrl u(text, QUrl::StrictMode);
    return u.isValid() && !u.host().isEmpty() &&
           (u.scheme() == QLatin1String("https") || u.scheme() == QLatin1String("http"));
}

} // namespace

QString defaultPath()
{
    return QFileInfo(SiteRegistry::defaultPath()).absolutePath() + QStringLiteral("/webhooks.toml");
}

Result<void> validate(const WebhookTarget &w)
{
    if (auto r = protocol::validateId(w.name.toStdString(), "webhook name"); !r)
        return Error(QString::fromStdString(r.errorString()), Error::Kind::Malformed);
    if (w.kind == WebhookTarget::Kind::Ntfy) {
        if (!webUrl(w.url) || QUrl(w.url).path().size() < 2)
            return Error(QStringLiteral("url must be an http(s) ntfy topic URL such as "
                                        "https://ntfy.sh/my-topic"),
                         Error::Kind::Malformed);
        // https://user:pass@host/topic or ?auth=... would put a credential in
        // this plain file.
        const QUrl u(w.url);
        if (!u.userInfo().isEmpty() || u.hasQuery())
            return Error(QStringLiteral("url must not hold a user name, password or query "
                                        "string (such as ?auth=...): put an ntfy access token "
                                        "in the Access token field of Phone Notifications (it "
                                        "goes to the system keyring)"),
                         Error::Kind::Malformed);
    } else if (!w.url.isEmpty()) {
        return Error(QStringLiteral("url: a Slack/Mattermost webhook URL is its credential; %1")
                         .arg(secretsGoElsewhere()),
                     Error::Kind::Malformed);
    }
    if (w.priority < 1 || w.priority > 5)
        return Error(QStringLiteral("priority must be 1 to 5"), Error::Kind::Malformed);
    if (!w.clickUrl.isEmpty() && !QUrl(w.clickUrl).isValid())
        return Error(QStringLiteral("click must be a URL"), Error::Kind::Malformed);
    return {};
}

Result<QList<WebhookTarget>> parse(const QByteArray &text, const QString &sourceName)
{
    Reader rd(sourceName);
    const auto parsed = workflowtoml::parseToml(rd, text);
    if (!parsed)
        return rd.error(rd.problems().first());
    const toml::table &root = *parsed;
    if (auto r =
            rd.onlyKeys(root, {"webhooks"}, QStringLiteral("a file of [webhooks.NAME] tables"));
        !r)
        return r.error();
    QList<WebhookTarget> out;
    const toml::node *hooks = root.get("webhooks");
    if (!hooks)
        return out;
    if (!hooks->is_table())
        return rd.error(hooks, QStringLiteral("[webhooks] must be a table"));
    for (const auto &[k, v] : *hooks->as_table()) {
        if (auto r = rd.validId(&v, qs(k.str()), QStringLiteral("webhook name")); !r)
            return r.error();
        auto w = readWebhook(rd, qs(k.str()), v);
        if (!w)
            return w.error();
        out << *w;
    }
    return out;
}

Result<QList<WebhookTarget>> load(const QString &path)
{
    QFile f(path);
    if (!f.exists())
        return QList<WebhookTarget>();
    if (!f.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()),
                     Error::Kind::Permission);
    if (f.size() > kMaxBytes)
        return Error(QStringLiteral("%1 is larger than 1 MiB").arg(path), Error::Kind::TooLarge);
    auto targets = parse(f.read(kMaxBytes), path);
    if (targets)
        qCInfo(lcNotify).noquote() << path << "has" << targets->size() << "webhook(s)";
    return targets;
}

QByteArray format(const QList<WebhookTarget> &targets)
{
    // toml++ writes the tables (keys in alphabetical order) and does the quoting.
    toml::table hooks;
    for (const WebhookTarget &w : targets) {
        toml::table t;
        t.insert("kind", utf8(webhookKindName(w.kind)));
        if (w.kind == WebhookTarget::Kind::Ntfy)
            t.insert("url", utf8(w.url));
        t.insert("priority", w.priority);
        if (!w.clickUrl.isEmpty())
            t.insert("click", utf8(w.clickUrl));
        QStringList events;
        if (w.onArrived)
            events << QStringLiteral("arrived");
        if (w.onDeadline)
            events << QStringLiteral("deadline");
        if (w.onDecided)
            events << QStringLiteral("decided");
        t.insert("events", stringArray(events));
        if (!w.sites.isEmpty())
            t.insert("sites", stringArray(w.sites));
        if (!w.runs.isEmpty())
            t.insert("runs", stringArray(w.runs));
        hooks.insert(utf8(w.name), std::move(t));
    }
    std::ostringstream os;
    if (!hooks.empty())
        os << toml::table{{"webhooks", std::move(hooks)}} << '\n';
    return QByteArrayLiteral(
               "# Vigil's phone notifications (Phone Notifications... rewrites this file).\n"
               "# Never a secret here: ntfy tokens and Slack/Mattermost webhook URLs are\n"
               "# kept in the system keyring.\n\n") +
           QByteArray::fromStdString(os.str());
}

Result<void> save(const QString &path, const QList<WebhookTarget> &targets)
{
    for (const WebhookTarget &w : targets)
        if (auto r = validate(w); !r)
            return Error(QStringLiteral("webhook \"%1\": %2").arg(w.name, r.errorString()),
                         Error::Kind::Malformed);
    const QString dir = QFileInfo(path).absolutePath();
    if (!QFileInfo::exists(dir)) {
        if (!QDir().mkpath(dir))
            return Error(QStringLiteral("cannot create the directory %1").arg(dir),
                         Error::Kind::Permission);
        QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                       QFileDevice::ExeOwner);
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) ||
        !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return Error(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()),
                     Error::Kind::Permission);
    const QByteArray data = format(targets);
    if (f.write(data) != data.size() || !f.commit())
        return Error(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()),
                     Error::Kind::Generic);
    qCInfo(lcNotify).noquote() << path << "saved with" << targets.size() << "webhook(s)";
    return {};
}

} // namespace vigil::webhookconfig
