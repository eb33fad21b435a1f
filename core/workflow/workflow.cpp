// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow.h"

#include "protocol/ids.h"
#include "sites/container.h"
#include "sites/slurmparse.h"

#include <QFile>
#include <functional>
#include <optional>
#include <string_view>
#include <toml++/toml.h>
#include <tuple>

namespace vigil {

namespace {

constexpr qint64 kMaxWorkflowBytes = 4 * 1024 * 1024;

QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

class Reader
{
public:
    explicit Reader(QString source) : m_source(std::move(source)) {}

    Error error(const toml::node *node, const QString &what) const
    {
        if (node && node->source().begin) {
            const auto &b = node->source().begin;
            return Error(
                QStringLiteral("%1:%2:%3: %4").arg(m_source).arg(b.line).arg(b.column).arg(what),
                Error::Kind::Malformed);
        }
        return Error(QStringLiteral("%1: %2").arg(m_source, what), Error::Kind::Malformed);
    }

    // Rejects keys the format does not know: a typo must not be silently ignored.
    Result<void> onlyKeys(const toml::table &t, std::initializer_list<std::string_view> allowed,
                          const QString &where) const
    {
        for (const auto &[k, v] : t) {
            bool known = false;
            for (auto a : allowed)
                known = known || a == k.str();
            if (!known) {
                const QString msg =
                    QStringLiteral("unknown key \"%1\" in %2").arg(qs(k.str()), where);
                if (k.source().begin)
                    return Error(QStringLiteral("%1:%2:%3: %4")
                                     .arg(m_source)
                                     .arg(k.source().begin.line)
                                     .arg(k.source().begin.column)
                                     .arg(msg),
                                 Error::Kind::Malformed);
                return error(&v, msg);
            }
        }
        return {};
    }

    Result<QString> string(const toml::table &t, std::string_view key, const QString &where,
                           bool required = false) const
    {
        const toml::node *n = t.get(key);
        if (!n) {
            if (required)
                return error(&t, QStringLiteral("%1 needs \"%2\"").arg(where, qs(key)));
            return QString();
        }
        if (!n->is_string())
            return error(n, QStringLiteral("%1.%2 must be a string").arg(where, qs(key)));
        return qs(n->as_string()->get());
    }

    Result<QStringList> stringList(const toml::table &t, std::string_view key,
                                   const QString &where) const
    {
        const toml::node *n = t.get(key);
        QStringList out;
        if (!n)
            return out;
        const toml::array *a = n->as_array();
        if (!a)
            return error(n,
                         QStringLiteral("%1.%2 must be an array of strings").arg(where, qs(key)));
        for (const toml::node &e : *a) {
            if (!e.is_string())
                return error(&e,
                             QStringLiteral("%1.%2 must contain only strings").arg(where, qs(key)));
            out << qs(e.as_string()->get());
        }
        return out;
    }

    Result<void> validId(const toml::node *n, const QString &id, const QString &what) const
    {
        if (auto r = protocol::validateId(id.toStdString(), what.toStdString()); !r)
            return error(n, QString::fromStdString(r.errorString()));
        return {};
    }

private:
    QString m_source;
};

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
              std::pair{"known_hosts", !s.knownHostsFile.isEmpty()}})
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

// user, port, identity_file, known_hosts and poll_interval, then the rules of
// siteProblem() (which include those of host).
Result<void> readConnection(const Reader &rd, const toml::table &t, const QString &where,
                            SiteSpec &s)
{
    for (auto [key, out] : {std::pair{"user", &s.user}, std::pair{"identity_file", &s.identityFile},
                            std::pair{"known_hosts", &s.knownHostsFile}}) {
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

Result<SiteSpec> readSite(const Reader &rd, const QString &name, const toml::node &node)
{
    const QString where = QStringLiteral("[sites.%1]").arg(name);
    const toml::table *t = node.as_table();
    if (!t)
        return rd.error(&node, QStringLiteral("%1 must be a table").arg(where));
    if (auto r = refuseSecrets(rd, *t, where); !r)
        return r.error();
    if (auto r =
            rd.onlyKeys(*t,
                        {"kind", "host", "run_root", "partition", "account", "container_runtime",
                         "user", "port", "identity_file", "known_hosts", "poll_interval"},
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
    for (auto [key, out] :
         {std::pair{"host", &s.host}, std::pair{"run_root", &s.runRoot},
          std::pair{"partition", &s.partition}, std::pair{"account", &s.account}}) {
        auto v = rd.string(*t, key, where);
        if (!v)
            return v.error();
        *out = *v;
    }
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

// [tasks.X] array = "0-9" and container = { image, runtime, binds }.
Result<void> readArrayAndContainer(const Reader &rd, const toml::table &t, const QString &where,
                                   TaskSpec &task)
{
    if (const toml::node *arr = t.get("array")) {
        if (!arr->is_string())
            return rd.error(arr,
                            QStringLiteral("%1.array must be a string such as \"0-9\"").arg(where));
        task.array = qs(arr->as_string()->get());
        if (auto r = slurm::validateArraySpec(task.array); !r)
            return rd.error(arr, QStringLiteral("%1.array: %2").arg(where, r.errorString()));
    }
    const toml::node *c = t.get("container");
    if (!c)
        return {};
    const QString cw = where + QLatin1String(".container");
    const toml::table *ct = c->as_table();
    if (!ct)
        return rd.error(
            c, QStringLiteral("%1 must be a table such as { image = \"app.sif\" }").arg(cw));
    if (auto r = rd.onlyKeys(*ct, {"image", "runtime", "binds"}, cw); !r)
        return r.error();
    auto image = rd.string(*ct, "image", cw, true);
    if (!image)
        return image.error();
    if (auto r = container::validateImage(*image); !r)
        return rd.error(ct->get("image"), QStringLiteral("%1.image: %2").arg(cw, r.errorString()));
    auto runtime = rd.string(*ct, "runtime", cw);
    if (!runtime)
        return runtime.error();
    if (!runtime->isEmpty())
        if (auto r = container::parseRuntime(*runtime); !r)
            return rd.error(ct->get("runtime"),
                            QStringLiteral("%1.runtime: %2").arg(cw, r.errorString()));
    auto binds = rd.stringList(*ct, "binds", cw);
    if (!binds)
        return binds.error();
    const toml::array *bindNodes = ct->get_as<toml::array>("binds");
    for (qsizetype i = 0; i < binds->size(); ++i)
        if (auto r = container::validateBind(binds->at(i)); !r)
            return rd.error(bindNodes ? bindNodes->get(size_t(i)) : c,
                            QStringLiteral("%1.binds: %2").arg(cw, r.errorString()));
    task.container = ContainerSpec{*image, *runtime, *binds};
    return {};
}

Result<TaskSpec> readTask(const Reader &rd, const QString &name, const toml::node &node)
{
    const QString where = QStringLiteral("[tasks.%1]").arg(name);
    const toml::table *t = node.as_table();
    if (!t)
        return rd.error(&node, QStringLiteral("%1 must be a table").arg(where));
    if (auto r = rd.onlyKeys(*t,
                             {"site", "command", "after", "inputs", "resources", "environment",
                              "checkpoints", "position", "array", "container"},
                             where);
        !r)
        return r.error();
    TaskSpec task;
    task.name = name;
    auto site = rd.string(*t, "site", where, true);
    if (!site)
        return site.error();
    task.site = *site;

    const toml::node *cmd = t->get("command");
    if (!cmd)
        return rd.error(t, QStringLiteral("%1 needs \"command\"").arg(where));
    if (cmd->is_string()) {
        // A string is a shell command line, run by /bin/sh on the site.
        task.command = {QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                        qs(cmd->as_string()->get())};
    } else {
        auto argv = rd.stringList(*t, "command", where);
        if (!argv)
            return argv.error();
        if (argv->isEmpty())
            return rd.error(cmd, QStringLiteral("%1.command is empty").arg(where));
        task.command = *argv;
    }
    for (auto [key, out] : {std::pair{"after", &task.after}, std::pair{"inputs", &task.inputs},
                            std::pair{"checkpoints", &task.checkpoints}}) {
        auto v = rd.stringList(*t, key, where);
        if (!v)
            return v.error();
        *out = *v;
    }
    for (const QString &in : task.inputs) {
        if (in.startsWith(QLatin1Char('/')) ||
            in.split(QLatin1Char('/')).contains(QStringLiteral("..")) || in.isEmpty())
            return rd.error(t->get("inputs"),
                            QStringLiteral("%1.inputs: \"%2\" must be a relative path inside the "
                                           "workflow's directory")
                                .arg(where, in));
    }
    for (const QString &c : task.checkpoints) {
        if (auto r = rd.validId(t->get("checkpoints"), c, where + QLatin1String(".checkpoints"));
            !r)
            return r.error();
    }
    if (const toml::node *res = t->get("resources")) {
        const toml::table *rt = res->as_table();
        const QString rw = where + QLatin1String(".resources");
        if (!rt)
            return rd.error(res, QStringLiteral("%1 must be a table").arg(rw));
        if (auto r = rd.onlyKeys(*rt, {"time", "cpus", "memory", "partition"}, rw); !r)
            return r.error();
        auto time = rd.string(*rt, "time", rw);
        auto mem = rd.string(*rt, "memory", rw);
        auto part = rd.string(*rt, "partition", rw);
        for (auto *r : {&time, &mem, &part})
            if (!*r)
                return r->error();
        task.resources.time = *time;
        task.resources.memory = *mem;
        task.resources.partition = *part;
        if (const toml::node *c = rt->get("cpus")) {
            if (!c->is_integer() || c->as_integer()->get() < 1 || c->as_integer()->get() > 100000)
                return rd.error(c, QStringLiteral("%1.cpus must be a positive integer").arg(rw));
            task.resources.cpus = int(c->as_integer()->get());
        }
    }
    if (const toml::node *env = t->get("environment")) {
        const toml::table *et = env->as_table();
        if (!et)
            return rd.error(env, QStringLiteral("%1.environment must be a table").arg(where));
        for (const auto &[k, v] : *et) {
            const QString key = qs(k.str());
            bool okName = !key.isEmpty() && !key.front().isDigit();
            for (QChar ch : key)
                okName = okName && (ch.isLetterOrNumber() || ch == QLatin1Char('_')) &&
                         ch.unicode() < 128;
            if (!okName)
                return rd.error(
                    &v, QStringLiteral("%1.environment: \"%2\" is not a valid variable name")
                            .arg(where, key));
            if (!v.is_string())
                return rd.error(
                    &v, QStringLiteral("%1.environment.%2 must be a string").arg(where, key));
            task.environment.insert(key, qs(v.as_string()->get()));
        }
    }
    if (const toml::node *pos = t->get("position")) {
        const toml::array *a = pos->as_array();
        if (!a || a->size() != 2 || !(*a)[0].is_number() || !(*a)[1].is_number())
            return rd.error(pos, QStringLiteral("%1.position must be [x, y]").arg(where));
        task.position =
            QPointF((*a)[0].value<double>().value_or(0), (*a)[1].value<double>().value_or(0));
        task.hasPosition = true;
    }
    if (auto r = readArrayAndContainer(rd, *t, where, task); !r)
        return r.error();
    return task;
}

Result<void> checkGraph(const Reader &rd, const Workflow &wf, const toml::table &root)
{
    const toml::table *tasks = root["tasks"].as_table();
    for (const TaskSpec &t : wf.tasks) {
        const toml::node *node = tasks ? tasks->get(t.name.toStdString()) : nullptr;
        if (!wf.site(t.site))
            return rd.error(
                node, QStringLiteral("[tasks.%1] uses site \"%2\", which is not defined in [sites]")
                          .arg(t.name, t.site));
        if (!t.array.isEmpty() && wf.site(t.site)->kind != SiteSpec::Kind::Slurm) {
            const toml::table *tt = node ? node->as_table() : nullptr;
            return rd.error(tt ? tt->get("array") : node,
                            QStringLiteral("[tasks.%1].array needs a SLURM site; site \"%2\" is "
                                           "of kind %3")
                                .arg(t.name, t.site, siteKindName(wf.site(t.site)->kind)));
        }
        for (const QString &dep : t.after) {
            if (!wf.task(dep))
                return rd.error(node,
                                QStringLiteral("[tasks.%1] runs after \"%2\", which is not a task")
                                    .arg(t.name, dep));
            if (dep == t.name)
                return rd.error(node, QStringLiteral("[tasks.%1] runs after itself").arg(t.name));
        }
    }
    // Cycle check: depth-first search with colours.
    QMap<QString, int> colour; // 0 white, 1 grey, 2 black
    QStringList path;
    std::function<Result<void>(const TaskSpec &)> visit = [&](const TaskSpec &t) -> Result<void> {
        colour[t.name] = 1;
        path << t.name;
        for (const QString &dep : t.after) {
            if (colour.value(dep) == 1) {
                QStringList cycle = path.mid(path.indexOf(dep));
                cycle << dep;
                const toml::node *node = tasks ? tasks->get(t.name.toStdString()) : nullptr;
                return rd.error(
                    node,
                    QStringLiteral("dependency cycle: %1").arg(cycle.join(QStringLiteral(" -> "))));
            }
            if (colour.value(dep) == 0)
                if (auto r = visit(*wf.task(dep)); !r)
                    return r;
        }
        path.removeLast();
        colour[t.name] = 2;
        return {};
    };
    for (const TaskSpec &t : wf.tasks)
        if (colour.value(t.name) == 0)
            if (auto r = visit(t); !r)
                return r;
    return {};
}

} // namespace

const SiteSpec *Workflow::site(const QString &n) const
{
    for (const SiteSpec &s : sites)
        if (s.name == n)
            return &s;
    return nullptr;
}

const TaskSpec *Workflow::task(const QString &n) const
{
    for (const TaskSpec &t : tasks)
        if (t.name == n)
            return &t;
    return nullptr;
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

Result<Workflow> parseWorkflow(const QByteArray &text, const QString &sourceName)
{
    Reader rd(sourceName);
    toml::table root;
    try {
        root = toml::parse(std::string_view(text.constData(), size_t(text.size())),
                           sourceName.toStdString());
    } catch (const toml::parse_error &e) {
        return Error(QStringLiteral("%1:%2:%3: %4")
                         .arg(sourceName)
                         .arg(e.source().begin.line)
                         .arg(e.source().begin.column)
                         .arg(qs(e.description())),
                     Error::Kind::Malformed);
    }
    if (auto r = rd.onlyKeys(root, {"workflow", "sites", "tasks"}, QStringLiteral("the file")); !r)
        return r.error();
    Workflow wf;
    wf.sourcePath = sourceName;
    const toml::table *meta = root["workflow"].as_table();
    if (!meta)
        return rd.error(nullptr, QStringLiteral("missing [workflow] table"));
    if (auto r = rd.onlyKeys(*meta, {"name", "description"}, QStringLiteral("[workflow]")); !r)
        return r.error();
    auto name = rd.string(*meta, "name", QStringLiteral("[workflow]"), true);
    if (!name)
        return name.error();
    if (auto r = rd.validId(meta->get("name"), *name, QStringLiteral("[workflow].name")); !r)
        return r.error();
    wf.name = *name;
    auto desc = rd.string(*meta, "description", QStringLiteral("[workflow]"));
    if (!desc)
        return desc.error();
    wf.description = *desc;

    if (const toml::node *sites = root.get("sites")) {
        if (!sites->is_table())
            return rd.error(sites, QStringLiteral("[sites] must be a table"));
        for (const auto &[k, v] : *sites->as_table()) {
            if (auto r = rd.validId(&v, qs(k.str()), QStringLiteral("site name")); !r)
                return r.error();
            auto s = readSite(rd, qs(k.str()), v);
            if (!s)
                return s.error();
            wf.sites << *s;
        }
    }
    const toml::node *tasks = root.get("tasks");
    if (!tasks || !tasks->is_table() || tasks->as_table()->empty())
        return rd.error(tasks, QStringLiteral("the workflow has no [tasks.NAME] table"));
    for (const auto &[k, v] : *tasks->as_table()) {
        if (auto r = rd.validId(&v, qs(k.str()), QStringLiteral("task name")); !r)
            return r.error();
        auto t = readTask(rd, qs(k.str()), v);
        if (!t)
            return t.error();
        wf.tasks << *t;
    }
    if (auto r = checkGraph(rd, wf, root); !r)
        return r.error();
    return wf;
}

Result<Workflow> loadWorkflow(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("cannot open workflow %1: %2").arg(path, f.errorString()),
                     Error::Kind::NotFound);
    if (f.size() > kMaxWorkflowBytes)
        return Error(QStringLiteral("workflow %1 is larger than 4 MiB").arg(path),
                     Error::Kind::TooLarge);
    return parseWorkflow(f.readAll(), path);
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
    toml::table root;
    try {
        root = toml::parse(std::string_view(text.constData(), size_t(text.size())),
                           sourceName.toStdString());
    } catch (const toml::parse_error &e) {
        return Error(QStringLiteral("%1:%2:%3: %4")
                         .arg(sourceName)
                         .arg(e.source().begin.line)
                         .arg(e.source().begin.column)
                         .arg(qs(e.description())),
                     Error::Kind::Malformed);
    }
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
