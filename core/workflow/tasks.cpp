// SPDX-License-Identifier: GPL-3.0-or-later
// [tasks.NAME] tables: the keys of a job (command or script, resources,
// inputs and outputs, checkpoints, array and sweep, container); gates are in
// gates.cpp, the checks across tables in graph.cpp.
#include "sites/container.h"
#include "sites/slurmparse.h"
#include "tomlreader.h"
#include "values.h"

#include <QRegularExpression>
#include <cmath>

namespace vigil::workflowtoml {

namespace {

namespace values = workflowvalues;

// The keys of a gate; a job with one of them gets its own message.
constexpr std::string_view kGateOnlyKeys[] = {"question",  "body",     "options", "params",
                                              "approvers", "deadline", "default"};

bool isEnvName(const QString &key)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return re.match(key).hasMatch();
}

void readCommand(Reader &rd, const toml::table &t, const QString &where, TaskSpec &task)
{
    const toml::node *cmd = t.get("command");
    const toml::node *script = t.get("script");
    if (cmd && script) {
        rd.report(script,
                  QStringLiteral("%1 has both \"command\" and \"script\": give one").arg(where));
        return;
    }
    if (!cmd && !script) {
        rd.report(&t, QStringLiteral("%1 needs \"command\" or \"script\"").arg(where));
        return;
    }
    if (script) {
        task.script = rd.str(t, "script", where);
        if (script->is_string() && !isInsidePath(task.script))
            rd.report(script, QStringLiteral("%1.script: \"%2\" must be a relative path inside "
                                             "the workflow's directory")
                                  .arg(where, task.script));
        return;
    }
    if (cmd->is_string()) {
        // A string is a shell command line, run by /bin/sh on the site.
        task.command = {QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                        qs(cmd->as_string()->get())};
        return;
    }
    task.command = rd.strList(t, "command", where);
    if (cmd->is_array() && cmd->as_array()->empty())
        rd.report(cmd, QStringLiteral("%1.command is empty").arg(where));
}

void readInputsOutputs(Reader &rd, const toml::table &t, const QString &where, TaskSpec &task)
{
    auto pathProblem = [&](const toml::node *n, const QString &key, const QString &path) {
        rd.report(n,
                  QStringLiteral("%1.%2: \"%3\" must be a relative path inside the %4")
                      .arg(where, key, path,
                           key == QLatin1String("inputs") ? QStringLiteral("workflow's directory")
                                                          : QStringLiteral("task's directory")));
    };
    if (const toml::node *in = t.get("inputs")) {
        const toml::array *a = in->as_array();
        if (!a)
            rd.report(in, QStringLiteral("%1.inputs must be an array of paths or { from, path } "
                                         "tables")
                              .arg(where));
        for (size_t i = 0; a && i < a->size(); ++i) {
            const toml::node &e = *a->get(i);
            if (e.is_string()) {
                const QString p = qs(e.as_string()->get());
                if (!isInsidePath(p))
                    pathProblem(&e, QStringLiteral("inputs"), p);
                task.inputs << DataInput{p, {}};
            } else if (const toml::table *et = e.as_table()) {
                const QString iw = where + QLatin1String(".inputs");
                rd.checkKeys(*et, {"from", "path"}, iw);
                DataInput d;
                d.fromTask = rd.str(*et, "from", iw, true);
                if (et->get("from") && et->get("from")->is_string())
                    rd.checkId(et->get("from"), d.fromTask, iw + QLatin1String(".from"));
                d.path = rd.str(*et, "path", iw, true);
                if (et->get("path") && et->get("path")->is_string() && !isInsidePath(d.path))
                    pathProblem(et->get("path"), QStringLiteral("inputs"), d.path);
                task.inputs << d;
            } else {
                rd.report(&e, QStringLiteral("%1.inputs: each input is a path or a { from = "
                                             "\"TASK\", path = \"...\" } table")
                                  .arg(where));
            }
        }
    }
    task.outputs = rd.strList(t, "outputs", where);
    if (const toml::array *a = t.get_as<toml::array>("outputs"))
        for (qsizetype i = 0; i < task.outputs.size(); ++i)
            if (!isInsidePath(task.outputs[i]))
                pathProblem(a->get(size_t(i)), QStringLiteral("outputs"), task.outputs[i]);
}

void readCheckpoints(Reader &rd, const toml::table &t, const QString &where, TaskSpec &task)
{
    const toml::node *n = t.get("checkpoints");
    if (!n)
        return;
    const QString cw = where + QLatin1String(".checkpoints");
    const toml::array *a = n->as_array();
    if (!a) {
        rd.report(
            n,
            QStringLiteral("%1 must be an array of ids or { id, title, options } tables").arg(cw));
        return;
    }
    for (const toml::node &e : *a) {
        CheckpointDecl c;
        if (e.is_string()) {
            c.id = qs(e.as_string()->get());
            rd.checkId(&e, c.id, cw);
        } else if (const toml::table *ct = e.as_table()) {
            rd.checkKeys(*ct, {"id", "title", "options"}, cw);
            c.id = rd.str(*ct, "id", cw, true);
            if (ct->get("id") && ct->get("id")->is_string())
                rd.checkId(ct->get("id"), c.id, cw + QLatin1String(".id"));
            c.title = rd.str(*ct, "title", cw);
            c.options = rd.strList(*ct, "options", cw);
            if (const toml::array *oa = ct->get_as<toml::array>("options"))
                for (qsizetype i = 0; i < c.options.size(); ++i)
                    rd.checkId(oa->get(size_t(i)), c.options[i], cw + QLatin1String(".options"));
        } else {
            rd.report(&e, QStringLiteral("%1: each checkpoint is an id or a { id, title, options "
                                         "} table")
                              .arg(cw));
            continue;
        }
        for (const CheckpointDecl &other : std::as_const(task.checkpoints))
            if (other.id == c.id && !c.id.isEmpty())
                rd.report(&e, QStringLiteral("%1: \"%2\" is declared twice").arg(cw, c.id));
        task.checkpoints << c;
    }
}

void readResources(Reader &rd, const toml::table &t, const QString &where, TaskSpec &task)
{
    const toml::node *res = t.get("resources");
    if (!res)
        return;
    const toml::table *rt = res->as_table();
    const QString rw = where + QLatin1String(".resources");
    if (!rt) {
        rd.report(res, QStringLiteral("%1 must be a table").arg(rw));
        return;
    }
    rd.checkKeys(
        *rt, {"time", "cpus", "gpus", "memory", "nodes", "partition", "account", "qos", "extra"},
        rw);
    TaskResources &r = task.resources;
    r.time = rd.str(*rt, "time", rw);
    if (!r.time.isEmpty())
        if (auto ok = values::parseTimeLimit(r.time); !ok)
            rd.report(rt->get("time"), QStringLiteral("%1.time: %2").arg(rw, ok.errorString()));
    r.memory = rd.str(*rt, "memory", rw);
    if (rt->get("memory") && rt->get("memory")->is_string())
        if (auto ok = values::validateMemory(r.memory); !ok)
            rd.report(rt->get("memory"), QStringLiteral("%1.memory: %2").arg(rw, ok.errorString()));
    for (auto [key, out] : {std::pair{"partition", &r.partition}, std::pair{"account", &r.account},
                            std::pair{"qos", &r.qos}}) {
        *out = rd.str(*rt, key, rw);
        if (rt->get(key) && rt->get(key)->is_string())
            if (auto ok = values::validateSlurmName(*out); !ok)
                rd.report(
                    rt->get(key),
                    QStringLiteral("%1.%2: %3").arg(rw, QLatin1String(key), ok.errorString()));
    }
    r.cpus = rd.integer(*rt, "cpus", rw, 1, 100000);
    r.gpus = rd.integer(*rt, "gpus", rw, 0, 1024);
    r.nodes = rd.integer(*rt, "nodes", rw, 1, 100000);
    r.extraArgs = rd.strList(*rt, "extra", rw);
    if (const toml::array *a = rt->get_as<toml::array>("extra"))
        for (qsizetype i = 0; i < r.extraArgs.size(); ++i)
            if (auto ok = values::validateExtraArg(r.extraArgs[i]); !ok)
                rd.report(a->get(size_t(i)),
                          QStringLiteral("%1.extra: %2").arg(rw, ok.errorString()));
}

void readEnvironment(Reader &rd, const toml::table &t, const QString &where, TaskSpec &task)
{
    const toml::node *env = t.get("environment");
    if (!env)
        return;
    const toml::table *et = env->as_table();
    if (!et) {
        rd.report(env, QStringLiteral("%1.environment must be a table").arg(where));
        return;
    }
    for (const auto &[k, v] : *et) {
        const QString key = qs(k.str());
        if (!isEnvName(key))
            rd.report(&v, QStringLiteral("%1.environment: \"%2\" is not a valid variable name")
                              .arg(where, key));
        else if (!v.is_string())
            rd.report(&v, QStringLiteral("%1.environment.%2 must be a string").arg(where, key));
        else
            task.environment.insert(key, qs(v.as_string()->get()));
    }
}

// One value of a sweep set as text: strings as they are, numbers and booleans
// as the writer writes them unquoted.
std::optional<QString> scalarText(const toml::node &v)
{
    if (const auto *s = v.as_string())
        return qs(s->get());
    if (const auto *i = v.as_integer())
        return QString::number(i->get());
    if (const auto *f = v.as_floating_point()) {
        if (!std::isfinite(f->get()))
            return std::nullopt;
        return workflowvalues::formatDouble(f->get());
    }
    if (const auto *b = v.as_boolean())
        return b->get() ? QStringLiteral("true") : QStringLiteral("false");
    return std::nullopt;
}

void readSweep(Reader &rd, const toml::table &t, const QString &where, TaskSpec &task)
{
    const toml::node *n = t.get("sweep");
    const QString sw = where + QLatin1String(".sweep");
    if (n) {
        const toml::array *a = n->as_array();
        if (!a || a->empty())
            rd.report(n, QStringLiteral("%1 must be an array of parameter sets such as [ { lr = "
                                        "0.1 }, { lr = 0.01 } ]")
                             .arg(sw));
        for (size_t i = 0; a && i < a->size(); ++i) {
            const toml::table *set = a->get(i)->as_table();
            if (!set) {
                rd.report(a->get(i),
                          QStringLiteral("%1: each set is a table such as { lr = 0.1 }").arg(sw));
                continue;
            }
            QMap<QString, QString> values;
            for (const auto &[k, v] : *set) {
                const QString key = qs(k.str());
                if (!isEnvName(key)) {
                    rd.report(&v, QStringLiteral("%1: \"%2\" is not a valid parameter name (it "
                                                 "becomes VIGIL_PARAM_%3: letters, digits, _)")
                                      .arg(sw, key, key.toUpper()));
                    continue;
                }
                for (auto it = values.cbegin(); it != values.cend(); ++it)
                    if (it.key().toUpper() == key.toUpper())
                        rd.report(&v, QStringLiteral("%1: \"%2\" and \"%3\" both become "
                                                     "VIGIL_PARAM_%4")
                                          .arg(sw, it.key(), key, key.toUpper()));
                const auto text = scalarText(v);
                if (!text)
                    rd.report(&v, QStringLiteral("%1.%2 must be a string, a number or a boolean")
                                      .arg(sw, key));
                else
                    values.insert(key, *text);
            }
            if (!task.sweep.isEmpty() && values.keys() != task.sweep.first().keys())
                rd.report(set, QStringLiteral("%1: set %2 has the keys %3 but set 1 has %4: "
                                              "every set needs the same keys")
                                   .arg(sw)
                                   .arg(i + 1)
                                   .arg(values.keys().join(QStringLiteral(", ")),
                                        task.sweep.first().keys().join(QStringLiteral(", "))));
            task.sweep << values;
        }
    }
    if (const toml::node *p = t.get("sweep_parallel")) {
        task.sweepParallel = rd.integer(t, "sweep_parallel", where, 1, 100000);
        if (!n)
            rd.report(p, QStringLiteral("%1.sweep_parallel needs a sweep").arg(where));
    }
    if (n && t.get("array"))
        rd.report(t.get("array"),
                  QStringLiteral("%1 has both \"sweep\" and \"array\": a sweep is run as a job "
                                 "array of its own; give one")
                      .arg(where));
}

void readArray(Reader &rd, const toml::table &t, const QString &where, TaskSpec &task)
{
    const toml::node *arr = t.get("array");
    if (!arr)
        return;
    if (!arr->is_string()) {
        rd.report(arr, QStringLiteral("%1.array must be a string such as \"0-9\"").arg(where));
        return;
    }
    task.array = qs(arr->as_string()->get());
    if (auto r = slurm::validateArraySpec(task.array); !r)
        rd.report(arr, QStringLiteral("%1.array: %2").arg(where, r.errorString()));
}

void readContainer(Reader &rd, const toml::table &t, const QString &where, TaskSpec &task)
{
    const toml::node *c = t.get("container");
    if (!c)
        return;
    const QString cw = where + QLatin1String(".container");
    const toml::table *ct = c->as_table();
    if (!ct) {
        rd.report(c, QStringLiteral("%1 must be a table such as { image = \"app.sif\" }").arg(cw));
        return;
    }
    rd.checkKeys(*ct, {"image", "runtime", "binds"}, cw);
    ContainerSpec spec;
    spec.image = rd.str(*ct, "image", cw, true);
    if (ct->get("image") && ct->get("image")->is_string())
        if (auto r = container::validateImage(spec.image); !r)
            rd.report(ct->get("image"), QStringLiteral("%1.image: %2").arg(cw, r.errorString()));
    spec.runtime = rd.str(*ct, "runtime", cw);
    if (!spec.runtime.isEmpty())
        if (auto r = container::parseRuntime(spec.runtime); !r)
            rd.report(ct->get("runtime"),
                      QStringLiteral("%1.runtime: %2").arg(cw, r.errorString()));
    spec.binds = rd.strList(*ct, "binds", cw);
    if (const toml::array *bindNodes = ct->get_as<toml::array>("binds"))
        for (qsizetype i = 0; i < spec.binds.size(); ++i)
            if (auto r = container::validateBind(spec.binds.at(i)); !r)
                rd.report(bindNodes->get(size_t(i)),
                          QStringLiteral("%1.binds: %2").arg(cw, r.errorString()));
    task.container = spec;
}

void readPosition(Reader &rd, const toml::table &t, const QString &where, TaskSpec &task)
{
    const toml::node *pos = t.get("position");
    if (!pos)
        return;
    const toml::array *a = pos->as_array();
    if (!a || a->size() != 2 || !(*a)[0].is_number() || !(*a)[1].is_number()) {
        rd.report(pos, QStringLiteral("%1.position must be [x, y]").arg(where));
        return;
    }
    const double x = (*a)[0].value<double>().value_or(0), y = (*a)[1].value<double>().value_or(0);
    if (!std::isfinite(x) || !std::isfinite(y)) {
        rd.report(pos, QStringLiteral("%1.position must be finite numbers").arg(where));
        return;
    }
    task.position = QPointF(x, y);
    task.hasPosition = true;
}

void readJob(Reader &rd, const toml::table &t, const QString &where, TaskSpec &task)
{
    for (auto key : kGateOnlyKeys)
        if (const toml::node *n = t.get(key))
            rd.report(n, QStringLiteral("%1.%2 is a key of gates (kind = \"gate\"), not of jobs")
                             .arg(where, qs(key)));
    task.site = rd.str(t, "site", where, true);
    readCommand(rd, t, where, task);
    task.workDirectory = rd.str(t, "work_dir", where);
    if (t.get("work_dir") && t.get("work_dir")->is_string() && !isWorkDirectory(task.workDirectory))
        rd.report(t.get("work_dir"), QStringLiteral("%1.work_dir: \"%2\" must be an absolute path "
                                                    "or a relative one without \"..\"")
                                         .arg(where, task.workDirectory));
    readInputsOutputs(rd, t, where, task);
    task.retries = rd.integer(t, "retries", where, 0, 10);
    readCheckpoints(rd, t, where, task);
    readResources(rd, t, where, task);
    readEnvironment(rd, t, where, task);
    readArray(rd, t, where, task);
    readSweep(rd, t, where, task);
    readContainer(rd, t, where, task);
}

} // namespace

TaskSpec readTask(Reader &rd, const QString &name, const toml::node &node)
{
    const QString where = QStringLiteral("[tasks.%1]").arg(name);
    TaskSpec task;
    task.name = name;
    const toml::table *t = node.as_table();
    if (!t) {
        rd.report(&node, QStringLiteral("%1 must be a table").arg(where));
        return task;
    }
    const QString kind = rd.str(*t, "kind", where);
    if (kind == QLatin1String("gate")) {
        task.kind = TaskSpec::Kind::Gate;
    } else if (!kind.isEmpty() && kind != QLatin1String("job")) {
        rd.report(t->get("kind"),
                  QStringLiteral("%1.kind is \"%2\"; expected job or gate").arg(where, kind));
    }
    if (task.isGate()) {
        readGate(rd, *t, where, task);
    } else {
        rd.checkKeys(*t,
                     {"kind", "site", "command", "script", "work_dir", "after", "inputs", "outputs",
                      "resources", "environment", "retries", "checkpoints", "position", "array",
                      "container", "sweep", "sweep_parallel", "skip"},
                     where, kGateOnlyKeys);
        readJob(rd, *t, where, task);
    }
    task.after = rd.strList(*t, "after", where);
    task.skip = rd.str(*t, "skip", where);
    if (t->get("skip") && t->get("skip")->is_string() && task.skip.trimmed().isEmpty())
        rd.report(t->get("skip"),
                  QStringLiteral("%1.skip must say why the task is skipped").arg(where));
    readPosition(rd, *t, where, task);
    return task;
}

bool isInsidePath(const QString &path)
{
    if (path.isEmpty() || path.startsWith(QLatin1Char('/')) || path.size() > 1024 ||
        path.split(QLatin1Char('/')).contains(QStringLiteral("..")))
        return false;
    for (QChar c : path)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return false;
    return true;
}

bool isWorkDirectory(const QString &path)
{
    if (path.startsWith(QLatin1Char('/')))
        return isInsidePath(path.mid(1)) || path == QLatin1String("/");
    return isInsidePath(path);
}

} // namespace vigil::workflowtoml
