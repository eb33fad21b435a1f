// SPDX-License-Identifier: GPL-3.0-or-later
#include "runinfo.h"

#include "protocol/decision.h"
#include "protocol/ids.h"
#include "protocol/request.h"
#include "protocol/run.h"
#include "protocol/text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>
#include <nlohmann/json.hpp>

namespace vigil {

QString CheckpointInfo::defaultOption() const
{
    for (const CheckpointOption &o : options)
        if (o.isDefault)
            return o.name;
    return options.isEmpty() ? QString() : options.first().name;
}

const CheckpointParam *CheckpointInfo::findParam(const QString &name) const
{
    for (const CheckpointParam &p : params)
        if (p.name == name)
            return &p;
    return nullptr;
}

QString checkpointStatusName(CheckpointInfo::Status status)
{
    switch (status) {
    case CheckpointInfo::Status::Pending:
        return QStringLiteral("pending");
    case CheckpointInfo::Status::Decided:
        return QStringLiteral("decided");
    case CheckpointInfo::Status::Applied:
        return QStringLiteral("applied");
    case CheckpointInfo::Status::Refused:
        return QStringLiteral("refused");
    case CheckpointInfo::Status::Broken:
        return QStringLiteral("broken");
    case CheckpointInfo::Status::Closed:
        return QStringLiteral("closed");
    }
    return {};
}

namespace {

using nlohmann::json;

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QJsonValue toQt(const json &v)
{
    if (v.is_boolean())
        return v.get<bool>();
    if (v.is_number_integer() && !v.is_number_unsigned())
        return QJsonValue(qint64(v.get<std::int64_t>()));
    if (v.is_number())
        return v.get<double>();
    if (v.is_string())
        return qs(v.get<std::string>());
    if (v.is_structured()) // through the text: the values of a decision's params
        return QJsonDocument::fromJson(QByteArray::fromStdString(json::array({v}).dump()))
            .array()
            .first();
    return QJsonValue();
}

// A whole number that a double holds exactly is an integer in JSON, as
// QJsonDocument writes it (integer parameters need one).
json toNlohmann(const QJsonValue &v)
{
    constexpr double kExact = 9007199254740992.0; // 2^53
    switch (v.type()) {
    case QJsonValue::Bool:
        return v.toBool();
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= kExact)
            return std::int64_t(v.toInteger(std::int64_t(d)));
        return d;
    }
    case QJsonValue::String:
        return v.toString().toStdString();
    case QJsonValue::Array:
    case QJsonValue::Object:
        return json::parse(
                   QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact).toStdString(),
                   nullptr, false)
            .at(0);
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return nullptr;
}

QString str(const json &obj, const char *key)
{
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_string())
        return {};
    return qs(it->get<std::string>());
}

QDateTime time(const json &obj, const char *key)
{
    return QDateTime::fromString(str(obj, key), Qt::ISODate);
}

TaskRunInfo readTask(const json &t, QStringList *problems)
{
    TaskRunInfo task;
    task.name = str(t, "name");
    if (t.contains("error"))
        *problems << str(t, "error");
    const auto sub = t.find("submission");
    if (sub != t.end() && sub->is_object()) {
        if (sub->contains("error"))
            *problems << str(*sub, "error");
        task.jobId = str(*sub, "job_id");
        task.state = QStringLiteral("submitted");
    }
    const auto st = t.find("state");
    if (st != t.end() && st->is_object()) {
        task.state = str(*st, "state");
        task.host = str(*st, "host");
        if (task.jobId.isEmpty())
            task.jobId = str(*st, "slurm_job_id");
        if (task.jobId.isEmpty() && st->contains("pid") && (*st)["pid"].is_number_integer())
            task.jobId = QString::number((*st)["pid"].get<qint64>());
        if (st->contains("exit_code") && (*st)["exit_code"].is_number_integer())
            task.exitCode = (*st)["exit_code"].get<int>();
        task.startedAt = time(*st, "started_at");
        task.endedAt = time(*st, "ended_at");
    }
    return task;
}

CheckpointInfo readCheckpoint(const json &c, const QString &site, const QString &runId)
{
    CheckpointInfo cp;
    cp.site = site;
    cp.runId = runId;
    cp.id = str(c, "id");
    if (c.contains("error")) {
        cp.status = CheckpointInfo::Status::Broken;
        cp.problem = str(c, "error");
        return cp;
    }
    auto request = protocol::requestFromJson(c.value("request", json()), "request.json");
    if (!request) {
        cp.status = CheckpointInfo::Status::Broken;
        cp.problem = qs(request.errorString());
        return cp;
    }
    const protocol::Request &r = *request;
    cp.title = qs(r.title);
    cp.body = qs(r.body);
    cp.nonce = qs(r.nonce);
    cp.task = r.task ? qs(*r.task) : QString();
    cp.jobId = r.job.slurmJobId ? qs(*r.job.slurmJobId) : QString();
    for (const protocol::Option &o : r.options)
        cp.options << CheckpointOption{qs(o.name), qs(o.label), o.isDefault};
    for (const protocol::Param &p : r.params) {
        CheckpointParam param{qs(p.name),
                              qs(p.label),
                              qs(std::string(protocol::paramTypeName(p.type))),
                              toQt(p.defaultValue),
                              toQt(p.min),
                              toQt(p.max),
                              {}};
        for (const std::string &choice : p.choices)
            param.choices << qs(choice);
        cp.params << param;
    }
    for (const protocol::MetricRef &m : r.metrics) {
        MetricRef ref{qs(m.file), m.x ? qs(*m.x) : QString(), {}};
        for (const std::string &col : m.columns)
            ref.columns << qs(col);
        cp.metrics << ref;
    }
    for (const std::string &a : r.attachments)
        cp.attachments << qs(a);
    cp.createdAt = QDateTime::fromString(qs(protocol::formatUtc(r.createdAt)), Qt::ISODate);
    if (r.deadline)
        cp.deadline = QDateTime::fromString(qs(protocol::formatUtc(*r.deadline)), Qt::ISODate);
    cp.defaultOnTimeout = qs(r.timeoutOption());

    const json &d = c.value("decision", json());
    if (d.is_object()) {
        if (str(d, "status") == QLatin1String("valid")) {
            cp.status = CheckpointInfo::Status::Decided;
            cp.decidedBy = str(d, "decided_by");
            cp.decidedOption = str(d, "option");
            cp.decisionKind = str(d, "kind");
            cp.decisionId = str(d, "decision_id");
            cp.decidedAt = time(d, "decided_at");
            if (const auto p = d.find("params"); p != d.end() && p->is_object())
                for (const auto &[name, value] : p->items())
                    cp.decidedParams.insert(qs(name), toQt(value));
        } else {
            cp.status = CheckpointInfo::Status::Refused;
            cp.problem = str(d, "reason");
        }
    }
    const json &a = c.value("ack", json());
    if (a.is_object()) {
        if (a.contains("error")) {
            cp.problem = str(a, "error");
        } else if (a.value("matches_decision", false)) {
            cp.status = CheckpointInfo::Status::Applied;
            cp.outcome = str(a, "outcome");
            cp.appliedAt = time(a, "applied_at");
        }
    }
    return cp;
}

} // namespace

Result<void> checkParamValue(const CheckpointParam &param, const QJsonValue &value)
{
    const auto type = protocol::paramTypeFromName(param.type.toStdString());
    if (!type)
        return Error(
            QStringLiteral("parameter %1 has an unknown type \"%2\"").arg(param.name, param.type),
            Error::Kind::Malformed);
    protocol::Param p;
    p.name = param.name.toStdString();
    p.type = *type;
    p.defaultValue = toNlohmann(param.defaultValue);
    p.min = toNlohmann(param.min);
    p.max = toNlohmann(param.max);
    for (const QString &c : param.choices)
        p.choices.push_back(c.toStdString());
    const auto r = protocol::checkParamValue(p, toNlohmann(value), p.name);
    if (r)
        return {};
    // The protocol's message is "field \"NAME\": why": the caller names the parameter.
    QString why = qs(r.errorString());
    const QString prefix = QStringLiteral("field \"%1\": ").arg(param.name);
    if (why.startsWith(prefix))
        why = why.mid(prefix.size());
    return Error(why, Error::Kind::Malformed);
}

Result<QJsonValue> paramValueFromText(const CheckpointParam &param, const QString &text)
{
    QJsonValue value;
    bool ok = true;
    if (param.type == QLatin1String("integer")) {
        const qint64 i = text.trimmed().toLongLong(&ok);
        value = QJsonValue(i);
        ok = ok && std::abs(i) <= (qint64(1) << 53); // exact in a JSON double
        if (!ok)
            return Error(QStringLiteral("expected an integer, got \"%1\"").arg(text),
                         Error::Kind::Malformed);
    } else if (param.type == QLatin1String("number")) {
        const double d = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(d))
            return Error(QStringLiteral("expected a number, got \"%1\"").arg(text),
                         Error::Kind::Malformed);
        value = d;
    } else if (param.type == QLatin1String("boolean")) {
        if (text != QLatin1String("true") && text != QLatin1String("false"))
            return Error(QStringLiteral("expected true or false, got \"%1\"").arg(text),
                         Error::Kind::Malformed);
        value = text == QLatin1String("true");
    } else {
        value = text; // string, enum
    }
    if (auto r = checkParamValue(param, value); !r)
        return r.error();
    return value;
}

Result<QList<RunInfo>> parseScan(const QByteArray &bytes, const QString &site)
{
    json doc = json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return Error(
            QStringLiteral("vigil-job scan on %1 printed something that is not JSON").arg(site),
            Error::Kind::Malformed);
    const json &format = doc.value("format", json());
    if (!format.is_object() || format.value("name", std::string()) != "vigil.scan")
        return Error(QStringLiteral("vigil-job scan on %1: not a vigil.scan document").arg(site),
                     Error::Kind::Malformed);
    const std::string version = format.value("version", std::string());
    if (version.rfind("1.", 0) != 0)
        return Error(QStringLiteral("vigil-job on %1 speaks scan format %2; this Vigil understands "
                                    "1.x: upgrade Vigil")
                         .arg(site, qs(version)),
                     Error::Kind::Malformed);
    QList<RunInfo> runs;
    const json &arr = doc.value("runs", json::array());
    if (!arr.is_array())
        return Error(QStringLiteral("vigil-job scan on %1: \"runs\" is not a list").arg(site),
                     Error::Kind::Malformed);
    for (const json &r : arr) {
        if (!r.is_object())
            continue;
        RunInfo run;
        run.site = site;
        // A directory whose name is no id (the scan says why) may hold
        // anything, terminal escapes included: it is known by its escaped form.
        const auto dirIt = r.find("dir");
        const std::string dir =
            dirIt != r.end() && dirIt->is_string() ? dirIt->get<std::string>() : std::string();
        const bool validDir = protocol::isValidId(dir);
        run.runId = qs(validDir ? dir : protocol::quote(dir));
        if (r.contains("error"))
            run.problems << (validDir ? run.runId + QStringLiteral(": ") + str(r, "error")
                                      : str(r, "error"));
        const json &meta = r.value("run", json());
        if (meta.is_object()) {
            run.workflowName = str(meta, "workflow_name");
            run.createdAt = time(meta, "created_at");
        }
        for (const json &t : r.value("tasks", json::array())) {
            if (!t.is_object())
                continue;
            // An entry of tasks/ that is no task ({"error": ...}): a problem only.
            if (str(t, "name").isEmpty()) {
                run.problems << (t.contains("error")
                                     ? str(t, "error")
                                     : QStringLiteral("tasks: an entry without a name"));
                continue;
            }
            run.tasks << readTask(t, &run.problems);
        }
        for (const json &c : r.value("checkpoints", json::array())) {
            if (!c.is_object())
                continue;
            CheckpointInfo cp = readCheckpoint(c, site, run.runId);
            if (cp.id.isEmpty()) {
                run.problems << cp.problem;
                continue;
            }
            run.checkpoints << cp;
        }
        // A question whose task has ended can no longer be answered.
        for (CheckpointInfo &cp : run.checkpoints) {
            if (cp.status != CheckpointInfo::Status::Pending)
                continue;
            for (const TaskRunInfo &t : std::as_const(run.tasks)) {
                if (t.name == cp.task &&
                    (t.state == QLatin1String("completed") || t.state == QLatin1String("failed"))) {
                    cp.status = CheckpointInfo::Status::Closed;
                    cp.problem =
                        QStringLiteral("task %1 ended (%2) before a decision").arg(t.name, t.state);
                }
            }
        }
        runs << run;
    }
    return runs;
}

} // namespace vigil
