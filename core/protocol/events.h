// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// events.jsonl: the run's append-only log. One JSON object per line, keys
// sorted, no spaces, each line (with its newline) at most kMaxEventLineBytes,
// written with one O_APPEND write so that concurrent writers never interleave.
// Every record has "type", "time" (UTC ISO-8601) and "uid" (the writer).

#include "protocol/fileio.h"
#include "protocol/result.h"
#include "protocol/timeutil.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace vigil::protocol {

inline constexpr std::size_t kMaxEventLineBytes = 4000;

namespace event {
inline constexpr std::string_view kRunCreated = "run_created"; // run_id
inline constexpr std::string_view kCheckpointPosted =
    "checkpoint_posted"; // checkpoint, title, deadline
inline constexpr std::string_view kDecisionRefused =
    "decision_refused"; // checkpoint, reason, owner_uid, moved_to
inline constexpr std::string_view kTimeoutDefault =
    "timeout_default";                                           // checkpoint, option, decision_id
inline constexpr std::string_view kAckWritten = "ack_written";   // checkpoint, decision_id, outcome
inline constexpr std::string_view kTaskStarted = "task_started"; // task, pid, host, slurm_job_id
inline constexpr std::string_view kTaskFinished = "task_finished"; // task, state, exit_code, signal
} // namespace event

// {"type": type, "time": at, "uid": geteuid()}; add the record's own fields.
nlohmann::json makeEvent(std::string_view type, TimePoint at);

// The line to append (with its '\n'): long string fields are shortened until
// the line fits in kMaxEventLineBytes.
std::string eventLine(const nlohmann::json &event);

Result<void> appendEvent(const Dir &run, const nlohmann::json &event, mode_t fileMode);

} // namespace vigil::protocol
