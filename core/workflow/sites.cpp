// SPDX-License-Identifier: GPL-3.0-or-later
// Sites in TOML ([sites.NAME] of a workflow or of the site registry) and the
// rules a site must follow however it was made.
#include "sites/container.h"
#include "tomlreader.h"
#include "values.h"
#include "workflow.h"

#include <optional>
#include <tuple>

namespace vigil {

using workflowtoml::qs;
using workflowtoml::Reader;

namespace {

// What is wrong with a site's name or connection fields: the TOML key at
// fault (empty: the table itself) and what. Shared by readSite(), which adds
// FILE:LINE:COL, and validateSite(), for sites made on a command line.
struct SiteProblem
{
    std::string_view key;
    QString what;
};

bool hasControlChar(const QString &s)
{
    for (QChar c : s)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return true;
    return false;
}

std::optional<SiteProblem> siteProblem(const SiteSpec &s)
{
    const QString where = QStringLiteral("[sites.%1]").arg(s.name);
    if (auto r = protocol::validateId(s.name.toStdString(), "site name"); !r)
        return SiteProblem{{}, QString::fromStdString(r.errorString())};
    const bool connects = s.kind != SiteSpec::Kind::Local;
    if (connects && s.host.isEmpty())
        return SiteProblem{
            {}, QStringLiteral("%1 of kind %2 needs \"host\"").arg(where, siteKindName(s.kind))};
    if (s.host.startsWith(QLatin1Char('-')) || hasControlChar(s.host) ||
        s.host.contains(QLatin1Char(' ')))
        return SiteProblem{"host", QStringLiteral("%1.host must not start with '-' or contain "
                                                  "spaces or control characters")
                                       .arg(where)};
    if (!connects) {
        // The local machine is not reached over SSH: these would be ignored.
        for (auto [key, set] :
             {std::pair{"user", !s.user.isEmpty()}, std::pair{"port", s.port != 0},
              std::pair{"identity_file", !s.identityFile.isEmpty()},
              std::pair{"known_hosts", !s.knownHostsFile.isEmpty()},
              std::pair{"proxy_jump", !s.proxyJump.isEmpty()}})
            if (set)
                return SiteProblem{key, QStringLiteral("%1.%2 does not apply to a site of kind "
                                                       "local (it is not reached over SSH)")
                                            .arg(where, QLatin1String(key))};
    }
    if (s.user.startsWith(QLatin1Char('-')) || hasControlChar(s.user) ||
        s.user.contains(QLatin1Char(' ')) || s.user.size() > 256)
        return SiteProblem{"user", QStringLiteral("%1.user must not start with '-' or contain "
                                                  "spaces or control characters")
                                       .arg(where)};
    // One hop, as OpenSSH writes it; a chain is refused where it is used.
    if (s.proxyJump.startsWith(QLatin1Char('-')) || hasControlChar(s.proxyJump) ||
        s.proxyJump.contains(QLatin1Char(' ')) || s.proxyJump.contains(QLatin1Char(',')) ||
        s.proxyJump.size() > 512)
        return SiteProblem{"proxy_jump",
                           QStringLiteral("%1.proxy_jump must be one [user@]host[:port] (or "
                                          "\"none\"), without spaces, commas or control "
                                          "characters, not starting with '-'")
                               .arg(where)};
    if (s.port < 0 || s.port > 65535)
        return SiteProblem{"port",
                           QStringLiteral("%1.port must be an integer from 1 to 65535").arg(where)};
    // sbatch --output takes a filename pattern in which a backslash turns the
    // patterns off and is dropped: a job's log in such a directory cannot be
    // named, and the job fails before it starts. ('%' is escaped as "%%".)
    if (s.kind == SiteSpec::Kind::Slurm && s.runRoot.contains(QLatin1Char('\\')))
        return SiteProblem{"run_root", QStringLiteral("%1.run_root must not contain a backslash "
                                                      "on a SLURM site (sbatch --output drops it)")
                                           .arg(where)};
    for (auto [key, path] : {std::pair{"identity_file", &s.identityFile},
                             std::pair{"known_hosts", &s.knownHostsFile}}) {
        if (path->isEmpty())
            continue;
        if (!(path->startsWith(QLatin1Char('/')) || path->startsWith(QLatin1String("~/"))) ||
            hasControlChar(*path) || path->size() > 4096)
            return SiteProblem{key, QStringLiteral("%1.%2 must be an absolute path or start with "
                                                   "~/ (it is \"%3\")")
                                        .arg(where, QLatin1String(key), path->left(200))};
    }
    if (s.pollSeconds != 0 &&
        (s.pollSeconds < SiteSpec::kMinPollSeconds || s.pollSeconds > SiteSpec::kMaxPollSeconds))
        return SiteProblem{"poll_interval",
                           QStringLiteral("%1.poll_interval must be from %2 to %3 seconds")
                               .arg(where)
                               .arg(SiteSpec::kMinPollSeconds)
                               .arg(SiteSpec::kMaxPollSeconds)};
    return std::nullopt;
}

// Vigil never stores a secret: a key that looks like one gets its own message
// (a password in a file next to a workflow would be worse than a typo).
Result<void> refuseSecrets(const Reader &rd, const toml::table &t, const QString &where)
{
    static const char *const kSecretWords[] = {"pass", "secret", "token", "otp", "private_key"};
    for (const auto &[k, v] : t) {
        const QString key = qs(k.str()).toLower();
        for (const char *word : kSecretWords)
            if (key.contains(QLatin1String(word)))
                return rd.error(&v, QStringLiteral("%1.%2: Vigil never stores secrets (passwords, "
                                                   "passphrases, one-time codes): it asks for "
                                                   "them when it connects; name a key file with "
                                                   "identity_file")
                                        .arg(where, qs(k.str())));
    }
    return {};
}

// user, port, identity_file, known_hosts, proxy_jump and poll_interval, then the rules of
// siteProblem() (which include those of host).
Result<void> readConnection(const Reader &rd, const toml::table &t, const QString &where,
                            SiteSpec &s)
{
    for (auto [key, out] :
         {std::pair{"user", &s.user}, std::pair{"identity_file", &s.identityFile},
          std::pair{"known_hosts", &s.knownHostsFile}, std::pair{"proxy_jump", &s.proxyJump}}) {
        auto v = rd.string(t, key, where);
        if (!v)
            return v.error();
        *out = *v;
    }
    for (auto [key, out, lo, hi] :
         {std::tuple{"port", &s.port, 1, 65535},
          std::tuple{"poll_interval", &s.pollSeconds, SiteSpec::kMinPollSeconds,
                     SiteSpec::kMaxPollSeconds}}) {
        const toml::node *n = t.get(key);
        if (!n)
            continue;
        if (!n->is_integer() || n->as_integer()->get() < lo || n->as_integer()->get() > hi)
            return rd.error(n, QStringLiteral("%1.%2 must be an integer from %3 to %4")
                                   .arg(where, QLatin1String(key))
                                   .arg(lo)
                                   .arg(hi));
        *out = int(n->as_integer()->get());
    }
    if (auto p = siteProblem(s))
        return rd.error(p->key.empty() ? &t : t.get(p->key), p->what);
    return {};
}

} // namespace

Result<SiteSpec> workflowtoml::readSite(const Reader &rd, const QString &name,
                                        const toml::node &node)
{
    const QString where = QStringLiteral("[sites.%1]").arg(name);
    const toml::table *t = node.as_table();
    if (!t)
        return rd.error(&node, QStringLiteral("%1 must be a table").arg(where));
    if (auto r = refuseSecrets(rd, *t, where); !r)
        return r.error();
    if (auto r = rd.onlyKeys(*t,
                             {"kind", "host", "run_root", "partition", "account", "qos", "work_dir",
                              "container_runtime", "user", "port", "identity_file", "known_hosts",
                              "proxy_jump", "poll_interval"},
                             where);
        !r)
        return r.error();
    SiteSpec s;
    s.name = name;
    auto kind = rd.string(*t, "kind", where, true);
    if (!kind)
        return kind.error();
    if (*kind == QLatin1String("slurm"))
        s.kind = SiteSpec::Kind::Slurm;
    else if (*kind == QLatin1String("ssh"))
        s.kind = SiteSpec::Kind::Ssh;
    else if (*kind == QLatin1String("local"))
        s.kind = SiteSpec::Kind::Local;
    else
        return rd.error(
            t->get("kind"),
            QStringLiteral("%1.kind is \"%2\"; expected slurm, ssh or local").arg(where, *kind));
    for (auto [key, out] : {std::pair{"host", &s.host}, std::pair{"run_root", &s.runRoot},
                            std::pair{"partition", &s.partition}, std::pair{"account", &s.account},
                            std::pair{"qos", &s.qos}, std::pair{"work_dir", &s.workDirectory}}) {
        auto v = rd.string(*t, key, where);
        if (!v)
            return v.error();
        *out = *v;
    }
    if (t->get("qos"))
        if (auto r = workflowvalues::validateSlurmName(s.qos); !r)
            return rd.error(t->get("qos"),
                            QStringLiteral("%1.qos: %2").arg(where, r.errorString()));
    if (t->get("work_dir") && !isWorkDirectory(s.workDirectory))
        return rd.error(t->get("work_dir"), QStringLiteral("%1.work_dir: \"%2\" must be an "
                                                           "absolute path or a relative one "
                                                           "without \"..\"")
                                                .arg(where, s.workDirectory));
    if (auto r = readConnection(rd, *t, where, s); !r)
        return r.error();
    auto runtime = rd.string(*t, "container_runtime", where);
    if (!runtime)
        return runtime.error();
    if (!runtime->isEmpty())
        if (auto r = container::parseRuntime(*runtime); !r)
            return rd.error(t->get("container_runtime"),
                            QStringLiteral("%1.container_runtime: %2").arg(where, r.errorString()));
    s.containerRuntime = *runtime;
    if (s.runRoot.isEmpty())
        s.runRoot = QStringLiteral("vigil-runs");
    return s;
}

QString siteKindName(SiteSpec::Kind kind)
{
    switch (kind) {
    case SiteSpec::Kind::Slurm:
        return QStringLiteral("slurm");
    case SiteSpec::Kind::Ssh:
        return QStringLiteral("ssh");
    case SiteSpec::Kind::Local:
        return QStringLiteral("local");
    }
    return {};
}

Result<void> validateSite(const SiteSpec &site)
{
    if (auto p = siteProblem(site))
        return Error(p->what, Error::Kind::Malformed);
    return {};
}

Result<QList<SiteSpec>> parseSiteTables(const QByteArray &text, const QString &sourceName)
{
    Reader rd(sourceName);
    const auto parsed = workflowtoml::parseToml(rd, text);
    if (!parsed)
        return rd.error(rd.problems().first());
    const toml::table &root = *parsed;
    if (auto r = rd.onlyKeys(root, {"sites"}, QStringLiteral("a file of [sites.NAME] tables")); !r)
        return r.error();
    QList<SiteSpec> out;
    const toml::node *sites = root.get("sites");
    if (!sites)
        return out;
    if (!sites->is_table())
        return rd.error(sites, QStringLiteral("[sites] must be a table"));
    for (const auto &[k, v] : *sites->as_table()) {
        if (auto r = rd.validId(&v, qs(k.str()), QStringLiteral("site name")); !r)
            return r.error();
        auto s = readSite(rd, qs(k.str()), v);
        if (!s)
            return s.error();
        out << *s;
    }
    return out;
}

} // namespace vigil
