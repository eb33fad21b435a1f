// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The job's side of a checkpoint: post the request, poll for the decision
// (committing the timeout default when the deadline has passed), acknowledge.

#include "protocol/decision.h"
#include "protocol/fileio.h"
#include "protocol/request.h"
#include "protocol/result.h"
#include "protocol/rundir.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace vigil::protocol {

struct PostedCheckpoint
{
    Request request;       // as stored: an existing request keeps its nonce and deadline
    bool existing = false; // the same question was already posted
    std::vector<std::string> warnings;
};

// Writes checkpoints/<id>/request.json no-clobber and appends
// "checkpoint_posted". Re-posting the same question (sameQuestion()) returns
// the stored request with existing = true; a different question under the
// same id is Error::Kind::Conflict. When an approver is not the job owner, the
// checkpoint directory becomes group-writable and sticky (01770) so that the
// approver can create decision.json there.
Result<PostedCheckpoint> postCheckpoint(const RunDir &run, const Request &request);

// Reads and checks checkpoints/<id>/request.json.
Result<Request> readRequest(const Dir &run, std::string_view id);
// What readRequest() makes of what reading that file gave (`data`); `shown`
// names the file in messages. Shared with scans that read through other means.
Result<Request> requestFromFile(std::string_view id, Result<FileData> data,
                                const std::string &shown);

// What one decision file says, judged against its request.
struct DecisionVerdict
{
    std::optional<Decision> decision; // parsed, even when refused
    std::optional<Error> refusal;     // why it must not be applied
    std::uint32_t ownerUid = 0;

    bool valid() const { return decision && !refusal; }
};

// Parses `file` and applies checkDecision() and checkDecisionOwner().
DecisionVerdict judgeDecision(const Request &request, const FileData &file,
                              std::string_view fileName);

struct PollOptions
{
    TimePoint now{};
    bool commitTimeout = true; // commit the default when the deadline has passed
    // Recompute the evidence hash (verifyEvidence()). ack does not: it
    // acknowledges a decision the job already received, and applying it may
    // have rewritten the metric files.
    bool checkEvidence = true;
    std::string host; // client_host of a timeout default
    // Refusals already logged by this process ("dev:inode" of the file), so
    // that a --wait loop logs each refused file once.
    std::set<std::string> *reported = nullptr;
};

struct DecisionStatus
{
    Request request;
    std::optional<Decision> decision; // none: pending
    bool committedTimeout = false;    // this call committed the timeout default
    std::vector<std::string> warnings;
};

// The decision for checkpoint `id`, if a valid one exists. A refused decision
// (bad owner, wrong nonce, malformed, symlink, too large, evidence that no
// longer matches the metric files: verifyEvidence()) is never returned:
// it is moved aside to decision.refused-<time>-<hex>.json, logged as
// "decision_refused" and reported in `warnings`; the checkpoint stays pending
// so that a rightful approver can still decide.
Result<DecisionStatus> pollDecision(const RunDir &run, std::string_view id,
                                    const PollOptions &options);

// Writes checkpoints/<id>/ack.json (atomic) for the checkpoint's valid
// decision and appends "ack_written". Without a valid decision: Pending.
Result<Ack> writeAck(const RunDir &run, std::string_view id, std::string outcome, TimePoint now);

} // namespace vigil::protocol
