// SPDX-License-Identifier: GPL-3.0-or-later
// [tasks.NAME] kind = "gate": question, body, options with their branches,
// typed params, approvers, deadline and default.
#include "tomlreader.h"
#include "values.h"

#include <cmath>

namespace vigil::workflowtoml {

namespace {

namespace values = workflowvalues;

constexpr std::string_view kJobOnlyKeys[] = {
    "site",    "command", "script",      "work_dir", "container", "resources",      "inputs",
    "outputs", "retries", "checkpoints", "array",    "sweep",     "sweep_parallel", "environment"};

std::optional<ParamSpec::Type> paramType(const QString &name)
{
    if (name == QLatin1String("number"))
        return ParamSpec::Type::Number;
    if (name == QLatin1String("integer"))
        return ParamSpec::Type::Integer;
    if (name == QLatin1String("string"))
        return ParamSpec::Type::String;
    if (name == QLatin1String("boolean"))
        return ParamSpec::Type::Boolean;
    if (name == QLatin1String("enum"))
        return ParamSpec::Type::Enum;
    return std::nullopt;
}

// A value of a param as its TOML text, if its TOML type fits the param's.
std::optional<QString> paramText(const toml::node &v, ParamSpec::Type type)
{
    switch (type) {
    case ParamSpec::Type::Number:
        if (const auto *i = v.as_integer())
            return QString::number(i->get());
        if (const auto *f = v.as_floating_point(); f && std::isfinite(f->get()))
            return values::formatDouble(f->get());
        return std::nullopt;
    case ParamSpec::Type::Integer:
        if (const auto *i = v.as_integer())
            return QString::number(i->get());
        return std::nullopt;
    case ParamSpec::Type::Boolean:
        if (const auto *b = v.as_boolean())
            return b->get() ? QStringLiteral("true") : QStringLiteral("false");
        return std::nullopt;
    case ParamSpec::Type::String:
    case ParamSpec::Type::Enum:
        if (const auto *s = v.as_string())
            return qs(s->get());
        return std::nullopt;
    }
    return std::nullopt;
}

QString typeWords(ParamSpec::Type type)
{
    switch (type) {
    case ParamSpec::Type::Number:
        return QStringLiteral("a number");
    case ParamSpec::Type::Integer:
        return QStringLiteral("an integer");
    case ParamSpec::Type::Boolean:
        return QStringLiteral("true or false");
    case ParamSpec::Type::String:
    case ParamSpec::Type::Enum:
        return QStringLiteral("a string");
    }
    return {};
}

ParamSpec readParam(Reader &rd, const toml::table &pt, const QString &pw)
{
    ParamSpec p;
    rd.checkKeys(pt, {"name", "label", "type", "default", "min", "max", "choices"}, pw);
    p.name = rd.str(pt, "name", pw, true);
    if (pt.get("name") && pt.get("name")->is_string())
        rd.checkId(pt.get("name"), p.name, pw + QLatin1String(".name"));
    p.label = rd.str(pt, "label", pw);
    const QString typeName = rd.str(pt, "type", pw, true);
    const auto type = paramType(typeName);
    if (!type) {
        if (pt.get("type") && pt.get("type")->is_string())
            rd.report(pt.get("type"), QStringLiteral("%1.type is \"%2\"; expected number, "
                                                     "integer, string, boolean or enum")
                                          .arg(pw, typeName));
        return p;
    }
    p.type = *type;
    const bool numeric = p.type == ParamSpec::Type::Number || p.type == ParamSpec::Type::Integer;
    for (auto [key, out] : {std::pair{"min", &p.min}, std::pair{"max", &p.max}}) {
        const toml::node *n = pt.get(key);
        if (!n)
            continue;
        if (!numeric) {
            rd.report(n, QStringLiteral("%1.%2 applies only to number and integer params")
                             .arg(pw, QLatin1String(key)));
            continue;
        }
        if (auto text = paramText(*n, p.type))
            *out = *text;
        else
            rd.report(
                n,
                QStringLiteral("%1.%2 must be %3").arg(pw, QLatin1String(key), typeWords(p.type)));
    }
    if (!p.min.isEmpty() && !p.max.isEmpty() && p.min.toDouble() > p.max.toDouble())
        rd.report(pt.get("max"),
                  QStringLiteral("%1: max %2 is below min %3").arg(pw, p.max, p.min));
    if (const toml::node *c = pt.get("choices")) {
        if (p.type != ParamSpec::Type::Enum)
            rd.report(c, QStringLiteral("%1.choices applies only to enum params").arg(pw));
        else
            p.choices = rd.strList(pt, "choices", pw);
    }
    if (p.type == ParamSpec::Type::Enum && p.choices.isEmpty())
        rd.report(&pt, QStringLiteral("%1: an enum param needs \"choices\"").arg(pw));
    const toml::node *d = pt.get("default");
    if (!d) {
        rd.report(&pt, QStringLiteral("%1 needs \"default\"").arg(pw));
        return p;
    }
    const auto text = paramText(*d, p.type);
    if (!text) {
        rd.report(d, QStringLiteral("%1.default must be %2 (the param is of type %3)")
                         .arg(pw, typeWords(p.type), typeName));
        return p;
    }
    p.defaultValue = *text;
    const bool boundsOk =
        p.min.isEmpty() || p.max.isEmpty() || p.min.toDouble() <= p.max.toDouble();
    if (numeric && boundsOk) {
        const double v = text->toDouble();
        if ((!p.min.isEmpty() && v < p.min.toDouble()) ||
            (!p.max.isEmpty() && v > p.max.toDouble()))
            rd.report(d, QStringLiteral("%1.default %2 is outside [%3, %4]")
                             .arg(pw, *text, p.min.isEmpty() ? QStringLiteral("-inf") : p.min,
                                  p.max.isEmpty() ? QStringLiteral("inf") : p.max));
    }
    if (p.type == ParamSpec::Type::Enum && !p.choices.isEmpty() && !p.choices.contains(*text))
        rd.report(d, QStringLiteral("%1.default \"%2\" is not one of the choices (%3)")
                         .arg(pw, *text, p.choices.join(QStringLiteral(", "))));
    return p;
}

void readOptions(Reader &rd, const toml::table &t, const QString &where, GateSpec &gate)
{
    const toml::node *n = t.get("options");
    const toml::array *a = n ? n->as_array() : nullptr;
    if (!n || (a && a->empty())) {
        rd.report(n ? n : &t, QStringLiteral("%1: a gate needs options, e.g. options = [ { name = "
                                             "\"accept\" }, { name = \"reject\" } ]")
                                  .arg(where));
        return;
    }
    const QString ow = where + QLatin1String(".options");
    if (!a) {
        rd.report(n, QStringLiteral("%1 must be an array of { name, label, enables, skips } "
                                    "tables")
                         .arg(ow));
        return;
    }
    for (const toml::node &e : *a) {
        const toml::table *ot = e.as_table();
        if (!ot) {
            rd.report(
                &e,
                QStringLiteral("%1: each option is a table such as { name = \"accept\" }").arg(ow));
            continue;
        }
        rd.checkKeys(*ot, {"name", "label", "enables", "skips"}, ow);
        GateOption o;
        o.name = rd.str(*ot, "name", ow, true);
        if (ot->get("name") && ot->get("name")->is_string())
            rd.checkId(ot->get("name"), o.name, ow + QLatin1String(".name"));
        o.label = rd.str(*ot, "label", ow);
        o.enables = rd.strList(*ot, "enables", ow);
        o.skips = rd.strList(*ot, "skips", ow);
        for (const QString &task : std::as_const(o.enables))
            if (o.skips.contains(task))
                rd.report(ot->get("skips"), QStringLiteral("%1: option \"%2\" both enables and "
                                                           "skips task \"%3\"")
                                                .arg(ow, o.name, task));
        for (const GateOption &other : std::as_const(gate.options))
            if (other.name == o.name && !o.name.isEmpty())
                rd.report(&e, QStringLiteral("%1: \"%2\" is there twice").arg(ow, o.name));
        gate.options << o;
    }
}

} // namespace

void readGate(Reader &rd, const toml::table &t, const QString &where, TaskSpec &task)
{
    for (const auto &[k, v] : t) {
        bool jobKey = false;
        for (auto key : kJobOnlyKeys)
            jobKey = jobKey || key == k.str();
        if (jobKey)
            rd.report(&v, QStringLiteral("%1.%2: a gate has no %2 (it runs no job); give it to the "
                                         "tasks that come after the gate")
                              .arg(where, qs(k.str())));
    }
    // Unknown keys apart from the job keys already reported.
    rd.checkKeys(t,
                 {"kind", "after", "position", "question", "body", "options", "params", "approvers",
                  "deadline", "default", "skip"},
                 where, kJobOnlyKeys);
    GateSpec &g = task.gate;
    g.question = rd.str(t, "question", where, true);
    g.body = rd.str(t, "body", where);
    readOptions(rd, t, where, g);
    if (const toml::node *n = t.get("params")) {
        const toml::array *a = n->as_array();
        if (!a)
            rd.report(n, QStringLiteral("%1.params must be an array of { name, type, default } "
                                        "tables")
                             .arg(where));
        for (size_t i = 0; a && i < a->size(); ++i) {
            const toml::table *pt = a->get(i)->as_table();
            if (!pt) {
                rd.report(a->get(i), QStringLiteral("%1.params: each param is a table such as { "
                                                    "name = \"lr\", type = \"number\", default = "
                                                    "0.1 }")
                                         .arg(where));
                continue;
            }
            ParamSpec p = readParam(rd, *pt, where + QLatin1String(".params"));
            for (const ParamSpec &other : std::as_const(g.params))
                if (other.name == p.name && !p.name.isEmpty())
                    rd.report(
                        pt, QStringLiteral("%1.params: \"%2\" is there twice").arg(where, p.name));
            g.params << p;
        }
    }
    g.approvers = rd.strList(t, "approvers", where);
    if (const toml::array *a = t.get_as<toml::array>("approvers"))
        for (qsizetype i = 0; i < g.approvers.size(); ++i)
            if (auto r = protocol::validateUserName(g.approvers[i].toStdString()); !r)
                rd.report(a->get(size_t(i)),
                          QStringLiteral("%1.approvers: %2")
                              .arg(where, QString::fromStdString(r.errorString())));
    g.deadline = rd.str(t, "deadline", where);
    if (t.get("deadline") && t.get("deadline")->is_string()) {
        if (auto s = values::parseDuration(g.deadline))
            g.deadlineSeconds = *s;
        else
            rd.report(t.get("deadline"),
                      QStringLiteral("%1.deadline: %2").arg(where, s.errorString()));
    }
    g.defaultOption = rd.str(t, "default", where);
    if (!g.defaultOption.isEmpty() && !g.options.isEmpty()) {
        bool known = false;
        QStringList names;
        for (const GateOption &o : std::as_const(g.options)) {
            known = known || o.name == g.defaultOption;
            names << o.name;
        }
        if (!known)
            rd.report(t.get("default"),
                      QStringLiteral("%1.default \"%2\" is not one of the "
                                     "gate's options (%3)")
                          .arg(where, g.defaultOption, names.join(QStringLiteral(", "))));
    }
}

} // namespace vigil::workflowtoml
