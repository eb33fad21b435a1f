// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// `vigil-job scan ROOT`: the state of every run directly under ROOT in one
// JSON document, so that the desktop needs one SSH round trip per site.
// Read-only: a scan never writes, moves or logs anything. Broken files do not
// stop it: they appear as {"error": "<file>: <why>"} entries.
//
// The document is built from a ScanSource: the helper reads a local
// directory (DirScanSource); a desktop on a site where vigil-job cannot run
// reads the same files over SFTP (core/runs/sftpscan). Both go through the
// same code below, so they judge every file alike.

#include "protocol/fileio.h"
#include "protocol/result.h"
#include "protocol/timeutil.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

namespace vigil::protocol {

// At most this many moved-aside refused decisions are listed per checkpoint.
inline constexpr std::size_t kMaxRefusedListed = 16;

// What a scan reads, with the semantics of Dir: relative '/'-separated paths,
// no component may be a symbolic link, only regular files are read, the
// size limit is checked before reading, messages name files as displayOf(rel).
class ScanSource
{
public:
    virtual ~ScanSource() = default;

    virtual std::string displayOf(std::string_view rel) const = 0;
    virtual Result<FileData> read(std::string_view rel, std::size_t limit) const = 0;
    // lstat of `rel`; nullopt when it does not exist or cannot be reached.
    virtual std::optional<struct stat> stat(std::string_view rel) const = 0;
    // The entries of the directory `rel` ("" for this one), without "." and "..".
    virtual Result<std::vector<DirEntry>> list(std::string_view rel = {}) const = 0;
    // The subdirectory `name` as a source of its own, whose messages name
    // files relative to it (a run directory under the root).
    virtual Result<std::unique_ptr<ScanSource>> openRun(std::string_view name) const = 0;
};

// A ScanSource over an open local directory (the helper's).
class DirScanSource final : public ScanSource
{
public:
    explicit DirScanSource(const Dir &dir) : m_dir(&dir) {}
    explicit DirScanSource(Dir &&dir) : m_owned(std::move(dir)), m_dir(&*m_owned) {}
    DirScanSource(const DirScanSource &) = delete;
    DirScanSource &operator=(const DirScanSource &) = delete;

    std::string displayOf(std::string_view rel) const override { return m_dir->displayOf(rel); }
    Result<FileData> read(std::string_view rel, std::size_t limit) const override;
    std::optional<struct stat> stat(std::string_view rel) const override;
    Result<std::vector<DirEntry>> list(std::string_view rel = {}) const override;
    Result<std::unique_ptr<ScanSource>> openRun(std::string_view name) const override;

private:
    std::optional<Dir> m_owned;
    const Dir *m_dir;
};

// The document described in docs/protocol.md ("format": vigil.scan 1.0).
// Fails only when ROOT itself cannot be read.
Result<nlohmann::json> scanRoot(const std::filesystem::path &root, TimePoint now);

// The "runs" array of the document: every run directly under `root`, sorted
// by name. Fails only when `root` cannot be listed.
Result<nlohmann::json> scanRuns(const ScanSource &root);

// A whole document around `runs`. `root` is shown as rootName() gives it;
// `helperVersion` is the helper's version, or null when no helper made it.
nlohmann::json scanDocument(const std::string &root, const std::string &host, std::uint32_t uid,
                            TimePoint now, nlohmann::json helperVersion, nlohmann::json runs);

// How a scan names its root: absolute and lexically normal.
std::string rootName(const std::filesystem::path &root);

// One run's entry (the "runs" array holds these); `name` is its directory name.
nlohmann::json scanRun(const Dir &run, std::string_view name);
nlohmann::json scanRun(const ScanSource &run, std::string_view name);

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
