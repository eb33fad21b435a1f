// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// run.json (RunInfo) and tasks/<task>/state.json (TaskState).

#include "protocol/result.h"
#include "protocol/timeutil.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::protocol {

struct RunInfo
{
    std::string runId; // an id
    std::string workflowName;
    TimePoint createdAt{};
    std::uint32_t createdByUid = 0;
    // Files 0640 and directories 0750 instead of 0600 / 0700.
    bool groupReadable = false;

    bool operator==(const RunInfo &) const = default;
};

nlohmann::json toJson(const RunInfo &run);
Result<RunInfo> runInfoFromJson(const nlohmann::json &doc, std::string_view file = "run.json");
std::string serializeRunInfo(const RunInfo &run);
Result<RunInfo> parseRunInfo(std::string_view text, std::string_view file = "run.json");

enum class TaskStatus { Running, Completed, Failed };
std::string_view taskStatusName(TaskStatus status); // "running", "completed", "failed"

struct TaskState
{
    std::string task; // an id
    TaskStatus state = TaskStatus::Running;
    TimePoint startedAt{};
    std::optional<TimePoint> endedAt;
    std::string host;
    std::int64_t pid = 0; // the command's process id on `host`
    std::optional<std::string> slurmJobId;
    std::optional<int> exitCode; // 128 + signal when killed by a signal
    std::optional<int> signal;

    bool operator==(const TaskState &) const = default;
};

nlohmann::json toJson(const TaskState &state);
Result<TaskState> taskStateFromJson(const nlohmann::json &doc,
                                    std::string_view file = "state.json");
std::string serializeTaskState(const TaskState &state);
Result<TaskState> parseTaskState(std::string_view text, std::string_view file = "state.json");

} // namespace vigil::protocol
