// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/request.h"

#include "protocol/fields.h"
#include "protocol/format.h"
#include "protocol/ids.h"
#include "protocol/text.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace vigil::protocol {

using detail::fail;
using detail::Fields;
using nlohmann::json;

namespace {

void checkId(std::string_view value, const std::string &field, std::string_view what)
{
    if (auto r = validateId(value, what); !r)
        fail(field, r.error().message);
}

// A one-line text: valid UTF-8, no control characters, at most `maxBytes`.
void checkLine(std::string_view value, const std::string &field, std::size_t maxBytes,
               bool allowEmpty)
{
    if (!allowEmpty && value.empty())
        fail(field, "must not be empty");
    if (value.size() > maxBytes)
        fail(field, "is " + std::to_string(value.size()) + " bytes long (at most " +
                        std::to_string(maxBytes) + ")");
    if (!isValidUtf8(value))
        fail(field, "is not valid UTF-8");
    if (!hasNoControlChars(value))
        fail(field, "contains control characters (newlines, tabs, ...)");
}

void checkCount(std::size_t n, std::size_t max, const std::string &field)
{
    if (n > max)
        fail(field, "has " + std::to_string(n) + " entries (at most " + std::to_string(max) + ")");
}

bool isInteger(const json &v)
{
    return v.is_number_integer();
}

bool isNumber(const json &v)
{
    return v.is_number() && (!v.is_number_float() || std::isfinite(v.get<double>()));
}

// Negative, zero or positive like <=>, for two JSON numbers.
int compareNumbers(const json &a, const json &b)
{
    if (isInteger(a) && isInteger(b)) {
        if (a.is_number_unsigned() || b.is_number_unsigned()) {
            // Mixed signedness: fall back to double, exact enough for bounds.
        } else {
            const auto x = a.get<std::int64_t>();
            const auto y = b.get<std::int64_t>();
            return x < y ? -1 : (x > y ? 1 : 0);
        }
    }
    const double x = a.get<double>();
    const double y = b.get<double>();
    return x < y ? -1 : (x > y ? 1 : 0);
}

void checkValue(const Param &p, const json &value, const std::string &field)
{
    switch (p.type) {
    case ParamType::Number:
        if (!isNumber(value))
            fail(field, "expected a number, got " + detail::typeName(value));
        break;
    case ParamType::Integer:
        if (!isInteger(value))
            fail(field, "expected an integer, got " + detail::typeName(value));
        break;
    case ParamType::String:
        if (!value.is_string())
            fail(field, "expected a string, got " + detail::typeName(value));
        if (!isValidUtf8(value.get_ref<const std::string &>()))
            fail(field, "is not valid UTF-8");
        break;
    case ParamType::Boolean:
        if (!value.is_boolean())
            fail(field, "expected true or false, got " + detail::typeName(value));
        break;
    case ParamType::Enum: {
        if (!value.is_string())
            fail(field, "expected a string, got " + detail::typeName(value));
        const auto &s = value.get_ref<const std::string &>();
        if (std::find(p.choices.begin(), p.choices.end(), s) == p.choices.end()) {
            std::string list;
            for (const auto &c : p.choices)
                list += (list.empty() ? "" : ", ") + quote(c);
            fail(field, quote(s) + " is not one of the choices (" + list + ")");
        }
        break;
    }
    }
    if (p.type == ParamType::Number || p.type == ParamType::Integer) {
        if (!p.min.is_null() && compareNumbers(value, p.min) < 0)
            fail(field, dumpLine(value) + " is below the minimum " + dumpLine(p.min));
        if (!p.max.is_null() && compareNumbers(value, p.max) > 0)
            fail(field, dumpLine(value) + " is above the maximum " + dumpLine(p.max));
    }
}

void checkParam(const Param &p, const std::string &at)
{
    checkId(p.name, at + ".name", "parameter name");
    checkLine(p.label, at + ".label", kMaxLabelBytes, true);
    const bool numeric = p.type == ParamType::Number || p.type == ParamType::Integer;
    for (const auto *bound : {&p.min, &p.max}) {
        const std::string f = at + (bound == &p.min ? ".min" : ".max");
        if (bound->is_null())
            continue;
        if (!numeric)
            fail(f, "only number and integer parameters have bounds");
        if (p.type == ParamType::Integer ? !isInteger(*bound) : !isNumber(*bound))
            fail(f, std::string("expected ") +
                        (p.type == ParamType::Integer ? "an integer" : "a number") + ", got " +
                        detail::typeName(*bound));
    }
    if (!p.min.is_null() && !p.max.is_null() && compareNumbers(p.min, p.max) > 0)
        fail(at + ".min",
             "the minimum " + dumpLine(p.min) + " is above the maximum " + dumpLine(p.max));
    if (p.type == ParamType::Enum) {
        if (p.choices.empty())
            fail(at + ".choices", "an enum parameter needs at least one choice");
        checkCount(p.choices.size(), kMaxChoices, at + ".choices");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < p.choices.size(); ++i) {
            const std::string f = at + ".choices[" + std::to_string(i) + "]";
            checkLine(p.choices[i], f, kMaxLabelBytes, false);
            if (!seen.insert(p.choices[i]).second)
                fail(f, quote(p.choices[i]) + " is listed twice");
        }
    } else if (!p.choices.empty()) {
        fail(at + ".choices", "only enum parameters have choices");
    }
    if (p.defaultValue.is_null())
        fail(at + ".default", "is missing (every parameter needs a default)");
    checkValue(p, p.defaultValue, at + ".default");
}

void checkRequest(const Request &r)
{
    checkId(r.id, "id", "checkpoint id");
    if (!isLowerHex(r.nonce, 2 * 16))
        fail("nonce", "expected 32 lower-case hex digits");
    checkLine(r.title, "title", kMaxTitleBytes, false);
    if (!isValidUtf8(r.body))
        fail("body", "is not valid UTF-8");

    if (r.options.empty())
        fail("options", "a checkpoint needs at least one option");
    checkCount(r.options.size(), kMaxOptions, "options");
    std::set<std::string> names;
    int defaults = 0;
    for (std::size_t i = 0; i < r.options.size(); ++i) {
        const std::string at = "options[" + std::to_string(i) + "]";
        checkId(r.options[i].name, at + ".name", "option name");
        checkLine(r.options[i].label, at + ".label", kMaxLabelBytes, true);
        if (!names.insert(r.options[i].name).second)
            fail(at + ".name", "option " + quote(r.options[i].name) + " is listed twice");
        defaults += r.options[i].isDefault ? 1 : 0;
    }
    if (defaults != 1)
        fail("options",
             "exactly one option must be the default (found " + std::to_string(defaults) + ")");

    checkCount(r.params.size(), kMaxParams, "params");
    std::set<std::string> paramNames;
    for (std::size_t i = 0; i < r.params.size(); ++i) {
        const std::string at = "params[" + std::to_string(i) + "]";
        checkParam(r.params[i], at);
        if (!paramNames.insert(r.params[i].name).second)
            fail(at + ".name", "parameter " + quote(r.params[i].name) + " is listed twice");
    }

    checkCount(r.metrics.size(), kMaxMetrics, "metrics");
    for (std::size_t i = 0; i < r.metrics.size(); ++i) {
        const std::string at = "metrics[" + std::to_string(i) + "]";
        const MetricRef &m = r.metrics[i];
        if (auto ok = validateRelativePath(m.file, "metric file"); !ok)
            fail(at + ".file", ok.error().message);
        if (m.x)
            checkLine(*m.x, at + ".x", kMaxLabelBytes, false);
        checkCount(m.columns.size(), kMaxColumns, at + ".columns");
        for (std::size_t c = 0; c < m.columns.size(); ++c)
            checkLine(m.columns[c], at + ".columns[" + std::to_string(c) + "]", kMaxLabelBytes,
                      false);
    }

    checkCount(r.attachments.size(), kMaxAttachments, "attachments");
    for (std::size_t i = 0; i < r.attachments.size(); ++i) {
        if (auto ok = validateRelativePath(r.attachments[i], "attachment"); !ok)
            fail("attachments[" + std::to_string(i) + "]", ok.error().message);
    }

    if (r.defaultOnTimeout && !r.findOption(*r.defaultOnTimeout))
        fail("default_on_timeout", quote(*r.defaultOnTimeout) + " is not one of the options");

    checkCount(r.approvers.size(), kMaxApprovers, "approvers");
    for (std::size_t i = 0; i < r.approvers.size(); ++i) {
        if (auto ok = validateUserName(r.approvers[i]); !ok)
            fail("approvers[" + std::to_string(i) + "]", ok.error().message);
    }
    if (r.approverUids.size() != r.approvers.size())
        fail("approver_uids", "has " + std::to_string(r.approverUids.size()) +
                                  " entries but approvers has " +
                                  std::to_string(r.approvers.size()));

    checkLine(r.job.host, "job.host", kMaxLabelBytes, true);
    if (r.job.slurmJobId)
        checkLine(*r.job.slurmJobId, "job.slurm_job_id", 64, false);
    if (r.job.slurmStepId)
        checkLine(*r.job.slurmStepId, "job.slurm_step_id", 64, false);
    if (r.task)
        checkId(*r.task, "task", "task name");
}

json optionalToJson(const std::optional<std::string> &v)
{
    return v ? json(*v) : json(nullptr);
}

std::vector<std::string> stringList(const Fields &f, std::string_view key)
{
    std::vector<std::string> out;
    const json &a = f.array(key);
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_string())
            fail(f.path(key) + "[" + std::to_string(i) + "]",
                 "expected a string, got " + detail::typeName(a[i]));
        out.push_back(a[i].get<std::string>());
    }
    return out;
}

TimePoint timeField(const Fields &f, std::string_view key)
{
    const std::string text = f.string(key);
    auto t = parseUtc(text);
    if (!t)
        f.fail(key, t.error().message);
    return *t;
}

std::optional<TimePoint> optionalTimeField(const Fields &f, std::string_view key)
{
    if (f.isNull(key))
        return std::nullopt;
    return timeField(f, key);
}

Request readRequest(const Fields &f)
{
    Request r;
    r.id = f.string("id");
    r.nonce = f.string("nonce");
    r.title = f.string("title");
    r.body = f.string("body", "");

    const json &options = f.array("options");
    for (std::size_t i = 0; i < options.size(); ++i) {
        const Fields o(options[i], "options[" + std::to_string(i) + "].");
        r.options.push_back({o.string("name"), o.string("label", ""), o.boolean("default", false)});
    }

    const json &params = f.array("params");
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Fields p(params[i], "params[" + std::to_string(i) + "].");
        Param param;
        param.name = p.string("name");
        param.label = p.string("label", "");
        const std::string type = p.string("type");
        const auto t = paramTypeFromName(type);
        if (!t)
            p.fail("type", quote(type) +
                               " is not a parameter type (number, integer, string, boolean, enum)");
        param.type = *t;
        param.defaultValue = p.isNull("default") ? json(nullptr) : p.required("default");
        param.min = p.isNull("min") ? json(nullptr) : p.required("min");
        param.max = p.isNull("max") ? json(nullptr) : p.required("max");
        param.choices = stringList(p, "choices");
        r.params.push_back(std::move(param));
    }

    const json &metrics = f.array("metrics");
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        const Fields m(metrics[i], "metrics[" + std::to_string(i) + "].");
        r.metrics.push_back({m.string("file"), m.optionalString("x"), stringList(m, "columns")});
    }

    r.attachments = stringList(f, "attachments");
    r.deadline = optionalTimeField(f, "deadline");
    r.defaultOnTimeout = f.optionalString("default_on_timeout");
    r.approvers = stringList(f, "approvers");
    const json &uids = f.array("approver_uids");
    for (std::size_t i = 0; i < uids.size(); ++i)
        r.approverUids.push_back(f.uid(uids[i], "approver_uids[" + std::to_string(i) + "]"));

    const Fields job(f.object("job"), "job.");
    r.job.host = job.string("host", "");
    r.job.slurmJobId = job.optionalString("slurm_job_id");
    r.job.slurmStepId = job.optionalString("slurm_step_id");

    r.task = f.optionalString("task");
    r.createdAt = timeField(f, "created_at");
    r.createdByUid = f.uid(f.required("created_by_uid"), "created_by_uid");
    checkRequest(r);
    return r;
}

} // namespace

std::string_view paramTypeName(ParamType type)
{
    switch (type) {
    case ParamType::Number:
        return "number";
    case ParamType::Integer:
        return "integer";
    case ParamType::String:
        return "string";
    case ParamType::Boolean:
        return "boolean";
    case ParamType::Enum:
        return "enum";
    }
    return "string";
}

std::optional<ParamType> paramTypeFromName(std::string_view name)
{
    for (ParamType t : {ParamType::Number, ParamType::Integer, ParamType::String,
                        ParamType::Boolean, ParamType::Enum}) {
        if (paramTypeName(t) == name)
            return t;
    }
    return std::nullopt;
}

const Option *Request::findOption(std::string_view name) const
{
    for (const Option &o : options) {
        if (o.name == name)
            return &o;
    }
    return nullptr;
}

const Param *Request::findParam(std::string_view name) const
{
    for (const Param &p : params) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

const Option &Request::defaultOption() const
{
    for (const Option &o : options) {
        if (o.isDefault)
            return o;
    }
    static const Option kNone;
    return options.empty() ? kNone : options.front();
}

std::string Request::timeoutOption() const
{
    return defaultOnTimeout ? *defaultOnTimeout : defaultOption().name;
}

std::vector<std::uint32_t> Request::allowedUids() const
{
    if (approverUids.empty())
        return {createdByUid};
    return approverUids;
}

Result<void> validateRequest(const Request &request, std::string_view file)
{
    return detail::checkFields(file, [&] { checkRequest(request); });
}

json toJson(const Request &r)
{
    json options = json::array();
    for (const Option &o : r.options)
        options.push_back({{"name", o.name}, {"label", o.label}, {"default", o.isDefault}});
    json params = json::array();
    for (const Param &p : r.params) {
        params.push_back({{"name", p.name},
                          {"label", p.label},
                          {"type", std::string(paramTypeName(p.type))},
                          {"default", p.defaultValue},
                          {"min", p.min},
                          {"max", p.max},
                          {"choices", p.choices}});
    }
    json metrics = json::array();
    for (const MetricRef &m : r.metrics)
        metrics.push_back({{"file", m.file}, {"x", optionalToJson(m.x)}, {"columns", m.columns}});
    return {
        {"format", formatHeader(kRequestFormat)},
        {"id", r.id},
        {"nonce", r.nonce},
        {"title", r.title},
        {"body", r.body},
        {"options", options},
        {"params", params},
        {"metrics", metrics},
        {"attachments", r.attachments},
        {"deadline", r.deadline ? json(formatUtc(*r.deadline)) : json(nullptr)},
        {"default_on_timeout", optionalToJson(r.defaultOnTimeout)},
        {"approvers", r.approvers},
        {"approver_uids", r.approverUids},
        {"job",
         {{"host", r.job.host},
          {"slurm_job_id", optionalToJson(r.job.slurmJobId)},
          {"slurm_step_id", optionalToJson(r.job.slurmStepId)}}},
        {"task", optionalToJson(r.task)},
        {"created_at", formatUtc(r.createdAt)},
        {"created_by_uid", r.createdByUid},
    };
}

Result<Request> requestFromJson(const json &doc, std::string_view file)
{
    if (auto v = checkFormat(doc, kRequestFormat, file); !v)
        return std::move(v).error();
    return detail::parseFields<Request>(doc, file, [](const Fields &f) { return readRequest(f); });
}

std::string serializeRequest(const Request &request)
{
    return dumpFile(toJson(request));
}

Result<Request> parseRequest(std::string_view text, std::string_view file)
{
    auto doc = parseJson(text, file);
    if (!doc)
        return std::move(doc).error();
    return requestFromJson(*doc, file);
}

bool sameQuestion(const Request &a, const Request &b)
{
    return a.id == b.id && a.title == b.title && a.body == b.body && a.options == b.options &&
           a.params == b.params && a.metrics == b.metrics && a.attachments == b.attachments &&
           a.timeoutOption() == b.timeoutOption() &&
           a.deadline.has_value() == b.deadline.has_value() && a.approvers == b.approvers &&
           a.task == b.task;
}

Result<void> checkParamValue(const Param &param, const json &value, std::string_view field)
{
    try {
        checkValue(param, value, std::string(field));
        return {};
    } catch (const detail::FieldError &e) {
        return Error("field \"" + e.field + "\": " + e.why, Error::Kind::Malformed);
    }
}

} // namespace vigil::protocol
