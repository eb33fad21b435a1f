// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// checkpoints/<id>/decision.json (the supervisor's answer, created no-clobber)
// and checkpoints/<id>/ack.json (the job's acknowledgement).

#include "protocol/request.h"
#include "protocol/result.h"
#include "protocol/timeutil.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::protocol {

inline constexpr std::size_t kMaxCommentBytes = 64 * 1024;
inline constexpr std::size_t kMaxOutcomeBytes = 64 * 1024;
// The largest byte count evidence_bytes may give for one metric file (1 TiB).
inline constexpr std::int64_t kMaxEvidenceFileBytes = std::int64_t(1) << 40;

enum class DecisionKind { Human, TimeoutDefault };

std::string_view decisionKindName(DecisionKind kind); // "human", "timeout-default"

struct Decision
{
    std::string checkpoint; // the checkpoint id
    std::string nonce;      // copied from the request
    std::string decisionId; // 32 lower-case hex digits, random
    std::string option;
    nlohmann::json params = nlohmann::json::object(); // name -> value; omitted: the default
    std::string comment;
    std::string decidedBy; // a user name ("vigil-job" for a timeout default)
    TimePoint decidedAt{};
    std::string clientHost;
    std::string evidenceSha256; // 64 lower-case hex digits, or empty
    // How many bytes of each metric file of the request (in its order) the
    // hash covers. None: not recorded (decisions of older desktops, timeout
    // defaults): the hash cannot be checked and the decision is taken as it is.
    std::optional<std::vector<std::int64_t>> evidenceBytes;
    DecisionKind kind = DecisionKind::Human;

    bool operator==(const Decision &) const = default;
};

// A human decision for `request`, with a fresh decision id. Does not validate:
// call checkDecision() before writing it.
Result<Decision> makeDecision(const Request &request, std::string option, nlohmann::json params,
                              std::string comment, std::string decidedBy, std::string clientHost,
                              std::string evidenceSha256, TimePoint at);

// The decision vigil-job commits when the deadline passes: the timeout option,
// every parameter at its default, decided_by "vigil-job".
Result<Decision> makeTimeoutDecision(const Request &request, std::string clientHost, TimePoint at);

// Field rules of decision.json alone (types, ids, hex, limits).
Result<void> validateDecision(const Decision &decision, std::string_view file = "decision.json");

// The decision answers this request: same checkpoint id and nonce, a known
// option, known parameters within their bounds, one evidence byte count per
// metric file (when it has any); a timeout default chose the timeout option.
Result<void> checkDecision(const Request &request, const Decision &decision,
                           std::string_view file = "decision.json");

// The trust rule: the decision file's owner (`ownerUid`, from fstat of the
// opened file) is one of request.allowedUids(); a timeout default may also be
// owned by the job owner. Error kind Refused.
Result<void> checkDecisionOwner(const Request &request, const Decision &decision,
                                std::uint32_t ownerUid, std::string_view file = "decision.json");

// decision.params completed with the request's defaults: every parameter.
nlohmann::json effectiveParams(const Request &request, const Decision &decision);

nlohmann::json toJson(const Decision &decision);
Result<Decision> decisionFromJson(const nlohmann::json &doc,
                                  std::string_view file = "decision.json");
std::string serializeDecision(const Decision &decision);
Result<Decision> parseDecision(std::string_view text, std::string_view file = "decision.json");

struct Ack
{
    std::string checkpoint;
    std::string decisionId;
    TimePoint appliedAt{};
    std::string outcome; // free text from the job

    bool operator==(const Ack &) const = default;
};

Result<void> validateAck(const Ack &ack, std::string_view file = "ack.json");
nlohmann::json toJson(const Ack &ack);
Result<Ack> ackFromJson(const nlohmann::json &doc, std::string_view file = "ack.json");
std::string serializeAck(const Ack &ack);
Result<Ack> parseAck(std::string_view text, std::string_view file = "ack.json");

} // namespace vigil::protocol
