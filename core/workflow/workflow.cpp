// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow.h"

#include "protocol/ids.h"
#include "sites/container.h"
#include "sites/slurmparse.h"
#include "tomlreader.h"

#include <QFile>
#include <functional>
#include <optional>
#include <string_view>
#include <toml++/toml.h>
#include <tuple>

namespace vigil {

using workflowtoml::qs;
using workflowtoml::Reader;

namespace {

constexpr qint64 kMaxWorkflowBytes = 4 * 1024 * 1024;

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
    QStringList inputs, checkpoints;
    for (auto [key, out] : {std::pair{"after", &task.after}, std::pair{"inputs", &inputs},
                            std::pair{"checkpoints", &checkpoints}}) {
        auto v = rd.stringList(*t, key, where);
        if (!v)
            return v.error();
        *out = *v;
    }
    for (const QString &in : std::as_const(inputs)) {
        if (in.startsWith(QLatin1Char('/')) ||
            in.split(QLatin1Char('/')).contains(QStringLiteral("..")) || in.isEmpty())
            return rd.error(t->get("inputs"),
                            QStringLiteral("%1.inputs: \"%2\" must be a relative path inside the "
                                           "workflow's directory")
                                .arg(where, in));
        task.inputs << DataInput{in, {}};
    }
    for (const QString &c : std::as_const(checkpoints)) {
        if (auto r = rd.validId(t->get("checkpoints"), c, where + QLatin1String(".checkpoints"));
            !r)
            return r.error();
        task.checkpoints << CheckpointDecl{c, {}, {}};
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

} // namespace vigil
