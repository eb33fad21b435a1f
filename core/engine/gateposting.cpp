// SPDX-License-Identifier: GPL-3.0-or-later
#include "gateposting.h"

#include "planner.h"
#include "protocol/format.h"
#include "protocol/random.h"
#include "transport.h"

#include <QSet>
#include <chrono>

namespace vigil::engine {

namespace {

using nlohmann::json;

std::string str(const QString &s)
{
    return s.toStdString();
}

protocol::ParamType paramType(ParamSpec::Type type)
{
    switch (type) {
    case ParamSpec::Type::Number:
        return protocol::ParamType::Number;
    case ParamSpec::Type::Integer:
        return protocol::ParamType::Integer;
    case ParamSpec::Type::Boolean:
        return protocol::ParamType::Boolean;
    case ParamSpec::Type::Enum:
        return protocol::ParamType::Enum;
    case ParamSpec::Type::String:
        break;
    }
    return protocol::ParamType::String;
}

// A value kept as its TOML text, as the JSON value of its type; null when
// the text is empty (an unbounded min or max).
json paramValue(ParamSpec::Type type, const QString &text)
{
    if (text.isEmpty() && type != ParamSpec::Type::String && type != ParamSpec::Type::Enum)
        return nullptr;
    switch (type) {
    case ParamSpec::Type::Number:
        return text.toDouble();
    case ParamSpec::Type::Integer:
        return static_cast<std::int64_t>(text.toLongLong());
    case ParamSpec::Type::Boolean:
        return text == QLatin1String("true");
    case ParamSpec::Type::String:
    case ParamSpec::Type::Enum:
        break;
    }
    return str(text);
}

} // namespace

protocol::TimePoint protocolTime(const QDateTime &time)
{
    return protocol::TimePoint(std::chrono::seconds(time.toSecsSinceEpoch()));
}

QStringList gateApprovers(const Workflow &workflow, const TaskSpec &gate)
{
    return gate.gate.approvers.isEmpty() ? workflow.approvers : gate.gate.approvers;
}

QString gateSite(const Workflow &workflow, const TaskSpec &gate)
{
    QStringList todo = gate.after;
    QSet<QString> seen;
    while (!todo.isEmpty()) {
        const TaskSpec *t = workflow.task(todo.takeFirst());
        if (!t || seen.contains(t->name))
            continue;
        seen.insert(t->name);
        if (!t->isGate())
            return t->site;
        todo << t->after;
    }
    for (const TaskSpec *t : topologicalOrder(workflow))
        if (!t->isGate())
            return t->site;
    return {};
}

Result<protocol::Request> gateRequest(const TaskSpec &gate, const GateAccount &account,
                                      const QDateTime &now)
{
    const GateSpec &g = gate.gate;
    protocol::Request r;
    r.id = str(gate.name);
    auto nonce = protocol::makeNonce();
    if (!nonce)
        return Error(QStringLiteral("gate %1: %2")
                         .arg(gate.name, QString::fromStdString(nonce.errorString())));
    r.nonce = *nonce;
    r.title = str(g.question.isEmpty() ? gate.name : g.question);
    r.body = str(g.body);
    const QString defaultName = g.defaultOption.isEmpty() && !g.options.isEmpty()
                                    ? g.options.first().name
                                    : g.defaultOption;
    for (const GateOption &o : g.options)
        r.options.push_back({str(o.name), str(o.label), o.name == defaultName});
    for (const ParamSpec &p : g.params) {
        protocol::Param param;
        param.name = str(p.name);
        param.label = str(p.label);
        param.type = paramType(p.type);
        param.defaultValue = paramValue(p.type, p.defaultValue);
        if (p.type == ParamSpec::Type::Number || p.type == ParamSpec::Type::Integer) {
            param.min = paramValue(p.type, p.min);
            param.max = paramValue(p.type, p.max);
        }
        for (const QString &c : p.choices)
            param.choices.push_back(str(c));
        r.params.push_back(std::move(param));
    }
    r.createdAt = protocolTime(now);
    if (g.deadlineSeconds > 0) {
        r.deadline = r.createdAt + std::chrono::seconds(g.deadlineSeconds);
        r.defaultOnTimeout = str(defaultName);
    }
    if (account.approvers.size() != account.approverUids.size())
        return Error(QStringLiteral("gate %1: %2 approvers but %3 uids")
                         .arg(gate.name)
                         .arg(account.approvers.size())
                         .arg(account.approverUids.size()));
    for (qsizetype i = 0; i < account.approvers.size(); ++i) {
        r.approvers.push_back(str(account.approvers[i]));
        r.approverUids.push_back(account.approverUids[i]);
    }
    r.job.host = str(account.host);
    r.task = str(gate.name);
    r.createdByUid = account.ownerUid;
    if (auto ok = protocol::validateRequest(r, "gate " + str(gate.name)); !ok)
        return Error(QString::fromStdString(ok.errorString()), Error::Kind::Malformed);
    return r;
}

QMap<QString, QString> decisionParams(const protocol::Request &request,
                                      const protocol::Decision &decision)
{
    QMap<QString, QString> out;
    const json params = protocol::effectiveParams(request, decision);
    for (auto it = params.begin(); it != params.end(); ++it) {
        const json &v = it.value();
        out.insert(QString::fromStdString(it.key()),
                   QString::fromStdString(v.is_string() ? v.get<std::string>() : v.dump()));
    }
    return out;
}

namespace {

template <typename T, typename Parse>
void readParsed(Transport *transport, const QString &path, QObject *context, Parse parse,
                Callback<T> done)
{
    transport->readFile(
        path, 0, protocol::kMaxFileSize + 1, context, [path, parse, done](Result<FileChunk> r) {
            if (!r) {
                done(r.error());
                return;
            }
            if (r->data.size() > qsizetype(protocol::kMaxFileSize)) {
                done(Error(QStringLiteral("%1 is larger than 1 MiB").arg(path),
                           Error::Kind::TooLarge));
                return;
            }
            auto value = parse(r->data.toStdString(), path.toStdString());
            if (!value)
                done(Error(QString::fromStdString(value.errorString()), Error::Kind::Malformed));
            else
                done(std::move(*value));
        });
}

} // namespace

void readRequestFile(Transport *transport, const QString &path, QObject *context,
                     Callback<protocol::Request> done)
{
    readParsed<protocol::Request>(
        transport, path, context,
        [](const std::string &text, const std::string &file) {
            return protocol::parseRequest(text, file);
        },
        std::move(done));
}

void readDecisionFile(Transport *transport, const QString &path, QObject *context,
                      Callback<protocol::Decision> done)
{
    readParsed<protocol::Decision>(
        transport, path, context,
        [](const std::string &text, const std::string &file) {
            return protocol::parseDecision(text, file);
        },
        std::move(done));
}

} // namespace vigil::engine
