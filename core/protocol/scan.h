// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// `vigil-job scan ROOT`: the state of every run directly under ROOT in one
// JSON document, so that the desktop needs one SSH round trip per site.
// Read-only: a scan never writes, moves or logs anything. Broken files do not
// stop it: they appear as {"error": "<file>: <why>"} entries.

#include "protocol/fileio.h"
#include "protocol/result.h"
#include "protocol/timeutil.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>

namespace vigil::protocol {

// At most this many moved-aside refused decisions are listed per checkpoint.
inline constexpr std::size_t kMaxRefusedListed = 16;

// The document described in docs/protocol.md ("format": vigil.scan 1.0).
// Fails only when ROOT itself cannot be read.
Result<nlohmann::json> scanRoot(const std::filesystem::path &root, TimePoint now);

// One run's entry (the "runs" array holds these); `name` is its directory name.
nlohmann::json scanRun(const Dir &run, std::string_view name);

// The "tasks" and "checkpoints" entries of one run (`vigil-job watch`).
nlohmann::json scanTask(const Dir &run, const std::string &name);
nlohmann::json scanCheckpoint(const Dir &run, const std::string &id);

// The name a run directory has in a scan: the last component of its absolute path.
std::string runDirName(const std::filesystem::path &path);

// The scan document of one run directory (`vigil-job watch --run-dir`):
// "root" is its parent and "runs" holds its one entry. Fails when `path`
// cannot be opened or holds no run.json.
Result<nlohmann::json> scanRunDir(const std::filesystem::path &path, TimePoint now);

} // namespace vigil::protocol
