// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/decision.h"

#include "protocol/fields.h"
#include "protocol/format.h"
#include "protocol/ids.h"
#include "protocol/random.h"
#include "protocol/text.h"

#include <algorithm>

namespace vigil::protocol {

using detail::fail;
using detail::Fields;
using nlohmann::json;

namespace {

void checkText(std::string_view value, const std::string &field, std::size_t maxBytes, bool oneLine)
{
    if (value.size() > maxBytes)
        fail(field, "is " + std::to_string(value.size()) + " bytes long (at most " +
                        std::to_string(maxBytes) + ")");
    if (!isValidUtf8(value))
        fail(field, "is not valid UTF-8");
    if (oneLine && !hasNoControlChars(value))
        fail(field, "contains control characters");
}

void checkDecisionFields(const Decision &d)
{
    if (auto r = validateId(d.checkpoint, "checkpoint id"); !r)
        fail("checkpoint", r.error().message);
    if (!isLowerHex(d.nonce, 32))
        fail("nonce", "expected 32 lower-case hex digits");
    if (!isLowerHex(d.decisionId, 32))
        fail("decision_id", "expected 32 lower-case hex digits");
    if (auto r = validateId(d.option, "option name"); !r)
        fail("option", r.error().message);
    if (!d.params.is_object())
        fail("params", "expected an object, got " + detail::typeName(d.params));
    checkText(d.comment, "comment", kMaxCommentBytes, false);
    if (d.decidedBy.empty())
        fail("decided_by", "must not be empty");
    checkText(d.decidedBy, "decided_by", kMaxIdLength, true);
    checkText(d.clientHost, "client_host", 256, true);
    if (!d.evidenceSha256.empty() && !isLowerHex(d.evidenceSha256, 64))
        fail("evidence_sha256", "expected 64 lower-case hex digits or an empty string");
    if (d.evidenceBytes) {
        if (d.evidenceSha256.empty())
            fail("evidence_bytes", "given without evidence_sha256 (the hash they describe)");
        if (d.evidenceBytes->size() > kMaxMetrics)
            fail("evidence_bytes", "has " + std::to_string(d.evidenceBytes->size()) +
                                       " counts (at most " + std::to_string(kMaxMetrics) + ")");
        for (std::size_t i = 0; i < d.evidenceBytes->size(); ++i) {
            const std::int64_t n = (*d.evidenceBytes)[i];
            if (n < 0 || n > kMaxEvidenceFileBytes)
                fail("evidence_bytes[" + std::to_string(i) + "]",
                     std::to_string(n) + " is not a byte count (0 to " +
                         std::to_string(kMaxEvidenceFileBytes) + ")");
        }
    }
}

std::optional<std::vector<std::int64_t>> evidenceBytesField(const Fields &f)
{
    if (f.isNull("evidence_bytes"))
        return std::nullopt;
    const json &list = f.array("evidence_bytes");
    if (list.size() > kMaxMetrics)
        f.fail("evidence_bytes", "has " + std::to_string(list.size()) + " counts (at most " +
                                     std::to_string(kMaxMetrics) + ")");
    std::vector<std::int64_t> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const json &v = list[i];
        if (!v.is_number_integer())
            f.fail("evidence_bytes[" + std::to_string(i) + "]",
                   "expected an integer, got " + detail::typeName(v));
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(kMaxEvidenceFileBytes))
            f.fail("evidence_bytes[" + std::to_string(i) + "]",
                   std::to_string(v.get<std::uint64_t>()) + " is not a byte count (0 to " +
                       std::to_string(kMaxEvidenceFileBytes) + ")");
        out.push_back(v.get<std::int64_t>());
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

Decision readDecision(const Fields &f)
{
    Decision d;
    d.checkpoint = f.string("checkpoint");
    d.nonce = f.string("nonce");
    d.decisionId = f.string("decision_id");
    d.option = f.string("option");
    d.params = f.isNull("params") ? json::object() : f.object("params");
    d.comment = f.string("comment", "");
    d.decidedBy = f.string("decided_by");
    d.decidedAt = timeField(f, "decided_at");
    d.clientHost = f.string("client_host", "");
    d.evidenceSha256 = f.string("evidence_sha256", "");
    d.evidenceBytes = evidenceBytesField(f);
    const std::string kind = f.string("kind");
    if (kind == decisionKindName(DecisionKind::Human))
        d.kind = DecisionKind::Human;
    else if (kind == decisionKindName(DecisionKind::TimeoutDefault))
        d.kind = DecisionKind::TimeoutDefault;
    else
        f.fail("kind", quote(kind) + " is not a decision kind (human, timeout-default)");
    checkDecisionFields(d);
    return d;
}

void checkAckFields(const Ack &a)
{
    if (auto r = validateId(a.checkpoint, "checkpoint id"); !r)
        fail("checkpoint", r.error().message);
    if (!isLowerHex(a.decisionId, 32))
        fail("decision_id", "expected 32 lower-case hex digits");
    checkText(a.outcome, "outcome", kMaxOutcomeBytes, false);
}

} // namespace

std::string_view decisionKindName(DecisionKind kind)
{
    return kind == DecisionKind::TimeoutDefault ? "timeout-default" : "human";
}

Result<Decision> makeDecision(const Request &request, std::string option, json params,
                              std::string comment, std::string decidedBy, std::string clientHost,
                              std::string evidenceSha256, TimePoint at)
{
    auto id = randomHex(16);
    if (!id)
        return std::move(id).error();
    Decision d;
    d.checkpoint = request.id;
    d.nonce = request.nonce;
    d.decisionId = std::move(*id);
    d.option = std::move(option);
    d.params = params.is_null() ? json::object() : std::move(params);
    d.comment = std::move(comment);
    d.decidedBy = std::move(decidedBy);
    d.decidedAt = at;
    d.clientHost = std::move(clientHost);
    d.evidenceSha256 = std::move(evidenceSha256);
    d.kind = DecisionKind::Human;
    return d;
}

Result<Decision> makeTimeoutDecision(const Request &request, std::string clientHost, TimePoint at)
{
    json params = json::object();
    for (const Param &p : request.params)
        params[p.name] = p.defaultValue;
    auto d = makeDecision(request, request.timeoutOption(), std::move(params), "", "vigil-job",
                          std::move(clientHost), "", at);
    if (d)
        d->kind = DecisionKind::TimeoutDefault;
    return d;
}

Result<void> validateDecision(const Decision &decision, std::string_view file)
{
    return detail::checkFields(file, [&] { checkDecisionFields(decision); });
}

Result<void> checkDecision(const Request &request, const Decision &d, std::string_view file)
{
    if (auto r = validateDecision(d, file); !r)
        return r;
    const std::string f(file);
    if (d.checkpoint != request.id)
        return Error(f + ": it answers checkpoint " + quote(d.checkpoint) + ", not " +
                         quote(request.id),
                     Error::Kind::Refused);
    if (d.nonce != request.nonce)
        return Error(f + ": its nonce does not match the request's (a stale or forged decision)",
                     Error::Kind::Refused);
    if (!request.findOption(d.option)) {
        std::string list;
        for (const Option &o : request.options)
            list += (list.empty() ? "" : ", ") + o.name;
        return Error(f + ": field \"option\": " + quote(d.option) +
                         " is not an option of checkpoint " + quote(request.id) + " (" + list + ")",
                     Error::Kind::Malformed);
    }
    if (d.kind == DecisionKind::TimeoutDefault && d.option != request.timeoutOption())
        return Error(f + ": a timeout default must choose " + quote(request.timeoutOption()) +
                         ", not " + quote(d.option),
                     Error::Kind::Refused);
    if (d.evidenceBytes && d.evidenceBytes->size() != request.metrics.size())
        return Error(f + ": field \"evidence_bytes\": has " +
                         std::to_string(d.evidenceBytes->size()) + " byte counts, but checkpoint " +
                         quote(request.id) + " has " + std::to_string(request.metrics.size()) +
                         " metric files",
                     Error::Kind::Malformed);
    for (const auto &[name, value] : d.params.items()) {
        const Param *p = request.findParam(name);
        if (!p)
            return Error(f + ": field \"params\": " + quote(name) +
                             " is not a parameter of checkpoint " + quote(request.id),
                         Error::Kind::Malformed);
        if (auto r = checkParamValue(*p, value, "params." + name); !r)
            return Error(f + ": " + r.error().message, Error::Kind::Malformed);
    }
    return {};
}

Result<void> checkDecisionOwner(const Request &request, const Decision &decision,
                                std::uint32_t ownerUid, std::string_view file)
{
    const std::vector<std::uint32_t> allowed = request.allowedUids();
    if (std::find(allowed.begin(), allowed.end(), ownerUid) != allowed.end())
        return {};
    if (decision.kind == DecisionKind::TimeoutDefault && ownerUid == request.createdByUid)
        return {};
    std::string list;
    for (const std::uint32_t uid : allowed)
        list += (list.empty() ? "" : ", ") + std::to_string(uid);
    return Error(std::string(file) + ": the file is owned by uid " + std::to_string(ownerUid) +
                     ", who is not an approver of checkpoint " + quote(request.id) +
                     " (allowed uids: " + list + ")",
                 Error::Kind::Refused);
}

json effectiveParams(const Request &request, const Decision &decision)
{
    json out = json::object();
    for (const Param &p : request.params) {
        const auto it = decision.params.find(p.name);
        out[p.name] = it != decision.params.end() ? *it : p.defaultValue;
    }
    return out;
}

json toJson(const Decision &d)
{
    json out = {
        {"format", formatHeader(kDecisionFormat)},
        {"checkpoint", d.checkpoint},
        {"nonce", d.nonce},
        {"decision_id", d.decisionId},
        {"option", d.option},
        {"params", d.params},
        {"comment", d.comment},
        {"decided_by", d.decidedBy},
        {"decided_at", formatUtc(d.decidedAt)},
        {"client_host", d.clientHost},
        {"evidence_sha256", d.evidenceSha256},
        {"kind", std::string(decisionKindName(d.kind))},
    };
    if (d.evidenceBytes)
        out["evidence_bytes"] = *d.evidenceBytes;
    return out;
}

Result<Decision> decisionFromJson(const json &doc, std::string_view file)
{
    if (auto v = checkFormat(doc, kDecisionFormat, file); !v)
        return std::move(v).error();
    return detail::parseFields<Decision>(doc, file,
                                         [](const Fields &f) { return readDecision(f); });
}

std::string serializeDecision(const Decision &decision)
{
    return dumpFile(toJson(decision));
}

Result<Decision> parseDecision(std::string_view text, std::string_view file)
{
    auto doc = parseJson(text, file);
    if (!doc)
        return std::move(doc).error();
    return decisionFromJson(*doc, file);
}

Result<void> validateAck(const Ack &ack, std::string_view file)
{
    return detail::checkFields(file, [&] { checkAckFields(ack); });
}

json toJson(const Ack &a)
{
    return {
        {"format", formatHeader(kAckFormat)},
        {"checkpoint", a.checkpoint},
        {"decision_id", a.decisionId},
        {"applied_at", formatUtc(a.appliedAt)},
        {"outcome", a.outcome},
    };
}

Result<Ack> ackFromJson(const json &doc, std::string_view file)
{
    if (auto v = checkFormat(doc, kAckFormat, file); !v)
        return std::move(v).error();
    return detail::parseFields<Ack>(doc, file, [](const Fields &f) {
        Ack a;
        a.checkpoint = f.string("checkpoint");
        a.decisionId = f.string("decision_id");
        a.appliedAt = timeField(f, "applied_at");
        a.outcome = f.string("outcome", "");
        checkAckFields(a);
        return a;
    });
}

std::string serializeAck(const Ack &ack)
{
    return dumpFile(toJson(ack));
}

Result<Ack> parseAck(std::string_view text, std::string_view file)
{
    auto doc = parseJson(text, file);
    if (!doc)
        return std::move(doc).error();
    return ackFromJson(*doc, file);
}

} // namespace vigil::protocol
