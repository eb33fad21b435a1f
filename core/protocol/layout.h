// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The run directory:
//
//   <run>/run.json                         RunInfo (run.h)
//   <run>/workflow.toml                    the workflow (written by the desktop)
//   <run>/events.jsonl                     append-only event log (events.h)
//   <run>/metrics/                         metric files written by the job
//   <run>/tasks/<task>/state.json          TaskState (task.h)
//   <run>/tasks/<task>/stdout.log          the task's output, when redirected there
//   <run>/tasks/<task>/stderr.log
//   <run>/tasks/<task>/<task>.done         CIF-style markers: exactly one exists
//   <run>/tasks/<task>/<task>.failed       once the task has ended
//   <run>/tasks/<task>/state_<N>.json      the same for element N of a SLURM array
//   <run>/tasks/<task>/<task>_<N>.done|.failed
//   <run>/checkpoints/<id>/request.json    Request (request.h)
//   <run>/checkpoints/<id>/decision.json   Decision (decision.h), created no-clobber
//   <run>/checkpoints/<id>/ack.json        Ack (decision.h)
//
// The relative paths are '/'-separated strings so that the desktop can join
// them to a remote path; <task> and <id> must be valid ids (ids.h).

#include <filesystem>
#include <string>
#include <string_view>

namespace vigil::protocol {

class RunLayout
{
public:
    explicit RunLayout(std::filesystem::path root) : m_root(std::move(root)) {}

    const std::filesystem::path &root() const { return m_root; }
    // root / rel
    std::filesystem::path path(std::string_view rel) const { return m_root / rel; }

    static std::string runFile() { return "run.json"; }
    static std::string workflowFile() { return "workflow.toml"; }
    static std::string eventsFile() { return "events.jsonl"; }
    static std::string metricsDir() { return "metrics"; }
    static std::string tasksDir() { return "tasks"; }
    static std::string checkpointsDir() { return "checkpoints"; }

    static std::string taskDir(std::string_view task);
    static std::string taskState(std::string_view task);
    // Written by the desktop when it submits the task: {"job_id", "site", ...}.
    static std::string taskSubmission(std::string_view task);
    static std::string taskStdout(std::string_view task);
    static std::string taskStderr(std::string_view task);
    static std::string taskDoneMarker(std::string_view task);
    static std::string taskFailedMarker(std::string_view task);
    // Element N of a SLURM job array (N: $SLURM_ARRAY_TASK_ID, digits) has its
    // own state and markers beside the task's: state_N.json, <task>_N.done,
    // <task>_N.failed, so that concurrent elements never overwrite each other.
    static std::string taskArrayState(std::string_view task, std::string_view index);
    static std::string taskArrayDoneMarker(std::string_view task, std::string_view index);
    static std::string taskArrayFailedMarker(std::string_view task, std::string_view index);

    static std::string checkpointDir(std::string_view id);
    static std::string request(std::string_view id);
    static std::string decision(std::string_view id);
    static std::string ack(std::string_view id);

    // File names inside a checkpoint directory.
    static constexpr std::string_view kRequestName = "request.json";
    static constexpr std::string_view kDecisionName = "decision.json";
    static constexpr std::string_view kAckName = "ack.json";
    // A refused decision is moved aside to "decision.refused-<time>-<hex>.json".
    static constexpr std::string_view kRefusedPrefix = "decision.refused-";

private:
    std::filesystem::path m_root;
};

} // namespace vigil::protocol
