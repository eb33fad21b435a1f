// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// An open run directory: its descriptor, its run.json and the modes of what is
// created in it. Every path below it is opened without following symlinks.

#include "protocol/fileio.h"
#include "protocol/layout.h"
#include "protocol/result.h"
#include "protocol/run.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace vigil::protocol {

// The machine's host name ("" when unknown).
std::string hostName();

class RunDir
{
public:
    // Opens `path` and reads its run.json (required: "not a run directory").
    static Result<RunDir> open(const std::filesystem::path &path);

    const std::filesystem::path &path() const { return m_path; }
    const Dir &dir() const { return m_dir; }
    const RunInfo &info() const { return m_info; }
    Modes modes() const { return modesFor(m_info.groupReadable); }
    RunLayout layout() const { return RunLayout(m_path); }

    Result<void> appendEvent(const nlohmann::json &event) const;

private:
    RunDir(std::filesystem::path path, Dir dir, RunInfo info)
        : m_path(std::move(path)), m_dir(std::move(dir)), m_info(std::move(info))
    {}

    std::filesystem::path m_path;
    Dir m_dir;
    RunInfo m_info;
};

struct InitRunResult
{
    RunInfo info;
    bool created = false; // false: the run existed with the same run id
};

// Creates the run directory `path` (its parent must exist) with metrics/,
// tasks/, checkpoints/ and events.jsonl, then run.json, created no-clobber
// last: a directory is a run once run.json exists. Idempotent when `path`
// already holds a run with the same run id (Error::Kind::Conflict when the id
// differs). An existing directory is accepted only when it is empty or holds
// what an interrupted init-run left.
Result<InitRunResult> initRun(const std::filesystem::path &path, RunInfo info);

} // namespace vigil::protocol
