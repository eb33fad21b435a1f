// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// checkpoints/<id>/request.json: what a job asks a human.

#include "protocol/result.h"
#include "protocol/timeutil.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::protocol {

// Limits of a request, checked by the writer and by every reader.
inline constexpr std::size_t kMaxTitleBytes = 256;
inline constexpr std::size_t kMaxLabelBytes = 256;
inline constexpr std::size_t kMaxOptions = 32;
inline constexpr std::size_t kMaxParams = 64;
inline constexpr std::size_t kMaxChoices = 64;
inline constexpr std::size_t kMaxMetrics = 32;
inline constexpr std::size_t kMaxColumns = 64;
inline constexpr std::size_t kMaxAttachments = 64;
inline constexpr std::size_t kMaxApprovers = 64;

struct Option
{
    std::string name;  // an id
    std::string label; // shown on the button; may be empty (the name is shown)
    bool isDefault = false;

    bool operator==(const Option &) const = default;
};

enum class ParamType { Number, Integer, String, Boolean, Enum };

std::string_view paramTypeName(ParamType type);
std::optional<ParamType> paramTypeFromName(std::string_view name);

struct Param
{
    std::string name; // an id
    std::string label;
    ParamType type = ParamType::String;
    // Required; its JSON type matches `type` (number: integer or float).
    nlohmann::json defaultValue;
    // number and integer only; null when unbounded. Inclusive.
    nlohmann::json min;
    nlohmann::json max;
    std::vector<std::string> choices; // enum only, non-empty

    bool operator==(const Param &) const = default;
};

struct MetricRef
{
    std::string file;                 // relative to the run directory
    std::optional<std::string> x;     // the x column; none: the row number
    std::vector<std::string> columns; // empty: every column but x

    bool operator==(const MetricRef &) const = default;
};

struct JobInfo
{
    std::string host;
    std::optional<std::string> slurmJobId;
    std::optional<std::string> slurmStepId;

    bool operator==(const JobInfo &) const = default;
};

struct Request
{
    std::string id;
    std::string nonce; // 32 lower-case hex digits
    std::string title;
    std::string body; // Markdown
    std::vector<Option> options;
    std::vector<Param> params;
    std::vector<MetricRef> metrics;
    std::vector<std::string> attachments; // relative to the run directory
    std::optional<TimePoint> deadline;
    std::optional<std::string> defaultOnTimeout; // an option name; none: the default option
    std::vector<std::string> approvers;          // user names
    std::vector<std::uint32_t> approverUids;     // approverUids[i] is approvers[i]'s uid
    JobInfo job;
    std::optional<std::string> task;
    TimePoint createdAt{};
    std::uint32_t createdByUid = 0; // the job owner

    bool operator==(const Request &) const = default;

    const Option *findOption(std::string_view name) const;
    const Param *findParam(std::string_view name) const;
    // Valid requests have exactly one (an empty Option when there is no option at all).
    const Option &defaultOption() const;
    // default_on_timeout, or the default option.
    std::string timeoutOption() const;
    // The uids whose decisions are accepted: approver_uids, or the job owner.
    std::vector<std::uint32_t> allowedUids() const;
};

// Every rule of the format (ids, nonce, exactly one default option, parameter
// types and bounds, limits). `file` names the file in messages.
Result<void> validateRequest(const Request &request, std::string_view file = "request.json");

nlohmann::json toJson(const Request &request);
Result<Request> requestFromJson(const nlohmann::json &doc, std::string_view file = "request.json");

// The bytes of request.json, and back (format check + validation).
std::string serializeRequest(const Request &request);
Result<Request> parseRequest(std::string_view text, std::string_view file = "request.json");

// True when two requests ask the same question: every field but the nonce,
// the deadline, the job and the creation time/uid. Re-posting a checkpoint
// with the same question is idempotent.
bool sameQuestion(const Request &a, const Request &b);

// Checks one parameter value against its declaration; throws nothing, the
// error names `field`.
Result<void> checkParamValue(const Param &param, const nlohmann::json &value,
                             std::string_view field);

} // namespace vigil::protocol
