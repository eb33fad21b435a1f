// SPDX-License-Identifier: GPL-3.0-or-later
#include "writer.h"

#include "values.h"

#include <QRegularExpression>
#include <QSaveFile>

namespace vigil {

namespace {

using workflowvalues::formatDouble;
using workflowvalues::isPlainScalar;

// A TOML basic string; with `allowMultiLine`, a text with line breaks is a
// multi-line one, so that a Markdown body stays readable (not inside inline
// tables, which are one line).
QString quoted(const QString &s, bool allowMultiLine = false)
{
    const bool multiLine = allowMultiLine && s.contains(QLatin1Char('\n'));
    QString out = multiLine ? QStringLiteral("\"\"\"\n") : QStringLiteral("\"");
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (u == '\\')
            out += QLatin1String("\\\\");
        else if (u == '"')
            out += QLatin1String("\\\"");
        else if (u == '\n')
            out += multiLine ? QStringLiteral("\n") : QStringLiteral("\\n");
        else if (u == '\t')
            out += QLatin1String("\\t");
        else if (u == '\r')
            out += QLatin1String("\\r");
        else if (u < 0x20 || u == 0x7f)
            out += QStringLiteral("\\u%1").arg(int(u), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    out += multiLine ? QStringLiteral("\"\"\"") : QStringLiteral("\"");
    return out;
}

QString key(const QString &k)
{
    static const QRegularExpression bare(QStringLiteral("^[A-Za-z0-9_-]+$"));
    return bare.match(k).hasMatch() ? k : quoted(k);
}

QString list(const QStringList &items)
{
    QStringList q;
    for (const QString &s : items)
        q << quoted(s);
    return QLatin1Char('[') + q.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QString scalar(const QString &text)
{
    return isPlainScalar(text) ? text : quoted(text);
}

// "{ a = 1, b = "x" }" from (key, TOML value) pairs; empty values left out.
QString inlineTable(const QList<std::pair<QString, QString>> &fields)
{
    QStringList parts;
    for (const auto &[k, v] : fields)
        if (!v.isEmpty())
            parts << key(k) + QStringLiteral(" = ") + v;
    return QStringLiteral("{ ") + parts.join(QStringLiteral(", ")) + QStringLiteral(" }");
}

// An array of inline tables, one a line.
QString tableArray(const QStringList &rows)
{
    QString out = QStringLiteral("[\n");
    for (const QString &r : rows)
        out += QStringLiteral("    ") + r + QStringLiteral(",\n");
    return out + QLatin1Char(']');
}

class Writer
{
public:
    QString text;

    void header(const QString &h)
    {
        if (!text.isEmpty())
            text += QLatin1Char('\n');
        text += QLatin1Char('[') + h + QStringLiteral("]\n");
    }
    void raw(const char *k, const QString &value)
    {
        text += QLatin1String(k) + QStringLiteral(" = ") + value + QLatin1Char('\n');
    }
    // A key of its own line: a text with line breaks is a multi-line string.
    void str(const char *k, const QString &v)
    {
        if (!v.isEmpty())
            raw(k, quoted(v, true));
    }
    void strs(const char *k, const QStringList &v)
    {
        if (!v.isEmpty())
            raw(k, list(v));
    }
    void integer(const char *k, qint64 v)
    {
        if (v != 0)
            raw(k, QString::number(v));
    }
};

void writeSite(Writer &w, const SiteSpec &s)
{
    w.header(QStringLiteral("sites.") + key(s.name));
    w.str("kind", siteKindName(s.kind));
    w.str("host", s.host);
    w.str("user", s.user);
    w.integer("port", s.port);
    w.str("identity_file", s.identityFile);
    w.str("known_hosts", s.knownHostsFile);
    w.str("proxy_jump", s.proxyJump);
    if (s.runRoot != QLatin1String("vigil-runs"))
        w.str("run_root", s.runRoot);
    w.str("partition", s.partition);
    w.str("account", s.account);
    w.str("qos", s.qos);
    w.str("work_dir", s.workDirectory);
    w.str("container_runtime", s.containerRuntime);
    w.integer("poll_interval", s.pollSeconds);
}

void writeGate(Writer &w, const GateSpec &g)
{
    w.str("question", g.question);
    w.str("body", g.body);
    QStringList rows;
    for (const GateOption &o : g.options)
        rows << inlineTable(
            {{QStringLiteral("name"), quoted(o.name)},
             {QStringLiteral("label"), o.label.isEmpty() ? QString() : quoted(o.label)},
             {QStringLiteral("enables"), o.enables.isEmpty() ? QString() : list(o.enables)},
             {QStringLiteral("skips"), o.skips.isEmpty() ? QString() : list(o.skips)}});
    if (!rows.isEmpty())
        w.raw("options", tableArray(rows));
    rows.clear();
    for (const ParamSpec &p : g.params) {
        const bool text = p.type == ParamSpec::Type::String || p.type == ParamSpec::Type::Enum;
        rows << inlineTable(
            {{QStringLiteral("name"), quoted(p.name)},
             {QStringLiteral("label"), p.label.isEmpty() ? QString() : quoted(p.label)},
             {QStringLiteral("type"), quoted(paramTypeName(p.type))},
             {QStringLiteral("default"), text ? quoted(p.defaultValue) : scalar(p.defaultValue)},
             {QStringLiteral("min"), p.min.isEmpty() ? QString() : scalar(p.min)},
             {QStringLiteral("max"), p.max.isEmpty() ? QString() : scalar(p.max)},
             {QStringLiteral("choices"), p.choices.isEmpty() ? QString() : list(p.choices)}});
    }
    if (!rows.isEmpty())
        w.raw("params", tableArray(rows));
    w.strs("approvers", g.approvers);
    w.str("deadline", g.deadline);
    w.str("default", g.defaultOption);
}

void writeJob(Writer &w, const TaskSpec &t)
{
    const QStringList &c = t.command;
    if (c.size() == 3 && c[0] == QLatin1String("/bin/sh") && c[1] == QLatin1String("-c"))
        w.raw("command", quoted(c[2], true)); // written as a string: run by /bin/sh -c
    else
        w.strs("command", c);
    w.str("script", t.script);
    w.str("work_dir", t.workDirectory);
    if (!t.container.isEmpty())
        w.raw(
            "container",
            inlineTable({{QStringLiteral("image"), quoted(t.container.image)},
                         {QStringLiteral("runtime"),
                          t.container.runtime.isEmpty() ? QString() : quoted(t.container.runtime)},
                         {QStringLiteral("binds"),
                          t.container.binds.isEmpty() ? QString() : list(t.container.binds)}}));
    QStringList items;
    for (const DataInput &in : t.inputs)
        items << (in.fromTask.isEmpty()
                      ? quoted(in.path)
                      : inlineTable({{QStringLiteral("from"), quoted(in.fromTask)},
                                     {QStringLiteral("path"), quoted(in.path)}}));
    if (!items.isEmpty())
        w.raw("inputs", QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']'));
    w.strs("outputs", t.outputs);
    w.integer("retries", t.retries);
    items.clear();
    for (const CheckpointDecl &cp : t.checkpoints)
        items << (cp.title.isEmpty() && cp.options.isEmpty()
                      ? quoted(cp.id)
                      : inlineTable({{QStringLiteral("id"), quoted(cp.id)},
                                     {QStringLiteral("title"),
                                      cp.title.isEmpty() ? QString() : quoted(cp.title)},
                                     {QStringLiteral("options"),
                                      cp.options.isEmpty() ? QString() : list(cp.options)}}));
    if (!items.isEmpty())
        w.raw("checkpoints",
              QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']'));
    w.str("array", t.array);
    QStringList rows;
    for (const auto &set : t.sweep) {
        QList<std::pair<QString, QString>> fields;
        for (auto it = set.cbegin(); it != set.cend(); ++it)
            fields << std::pair{it.key(), scalar(it.value())};
        rows << inlineTable(fields);
    }
    if (!rows.isEmpty())
        w.raw("sweep", tableArray(rows));
    w.integer("sweep_parallel", t.sweepParallel);
}

void writeTask(Writer &w, const TaskSpec &t)
{
    const QString name = QStringLiteral("tasks.") + key(t.name);
    w.header(name);
    if (t.isGate())
        w.str("kind", QStringLiteral("gate"));
    w.str("site", t.site);
    w.strs("after", t.after);
    w.str("skip", t.skip);
    if (t.isGate())
        writeGate(w, t.gate);
    else
        writeJob(w, t);
    if (t.hasPosition)
        w.raw("position", QStringLiteral("[%1, %2]")
                              .arg(formatDouble(t.position.x()), formatDouble(t.position.y())));
    const TaskResources &r = t.resources;
    if (r != TaskResources{}) {
        w.header(name + QStringLiteral(".resources"));
        w.str("time", r.time);
        w.integer("cpus", r.cpus);
        w.integer("gpus", r.gpus);
        w.str("memory", r.memory);
        w.integer("nodes", r.nodes);
        w.str("partition", r.partition);
        w.str("account", r.account);
        w.str("qos", r.qos);
        w.strs("extra", r.extraArgs);
    }
    if (!t.environment.isEmpty()) {
        w.header(name + QStringLiteral(".environment"));
        for (auto it = t.environment.cbegin(); it != t.environment.cend(); ++it)
            w.text +=
                key(it.key()) + QStringLiteral(" = ") + quoted(it.value()) + QLatin1Char('\n');
    }
}

} // namespace

QString paramTypeName(ParamSpec::Type t)
{
    switch (t) {
    case ParamSpec::Type::Number:
        return QStringLiteral("number");
    case ParamSpec::Type::Integer:
        return QStringLiteral("integer");
    case ParamSpec::Type::String:
        return QStringLiteral("string");
    case ParamSpec::Type::Boolean:
        return QStringLiteral("boolean");
    case ParamSpec::Type::Enum:
        return QStringLiteral("enum");
    }
    return {};
}

QString siteToToml(const SiteSpec &site)
{
    Writer w;
    writeSite(w, site);
    return w.text;
}

QByteArray workflowToToml(const Workflow &wf)
{
    Writer w;
    w.header(QStringLiteral("workflow"));
    w.str("name", wf.name);
    w.str("description", wf.description);
    w.strs("approvers", wf.approvers);
    for (const SiteSpec &s : wf.sites)
        writeSite(w, s);
    for (const TaskSpec &t : wf.tasks)
        writeTask(w, t);
    return w.text.toUtf8();
}

Result<void> saveWorkflow(const Workflow &wf, const QString &path)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return Error(QStringLiteral("cannot write workflow %1: %2").arg(path, f.errorString()));
    const QByteArray data = workflowToToml(wf);
    if (f.write(data) != data.size() || !f.commit())
        return Error(QStringLiteral("cannot write workflow %1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace vigil
