// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// POSIX file access for the run directory.
//
// - Reads never follow a symlink (O_NOFOLLOW on every component below the
//   directory the caller opened), accept only regular files and refuse files
//   over a size limit before reading them.
// - writeAtomic: a temporary file in the same directory (O_CREAT|O_EXCL),
//   written, fsync'ed, renamed over the target, then the directory fsync'ed.
//   A reader sees the old file or the new one, never a part.
// - createNoClobber: a temporary file hard-linked to the target, which fails
//   with EEXIST when the target exists (reliable on NFS, unlike O_EXCL), then
//   the temporary unlinked. The first writer wins; the loser gets
//   Error::Kind::AlreadyExists and can read the winner's file.
// - append: one write(2) on an O_APPEND descriptor: lines under 4 KiB from
//   several processes never interleave.

#include "protocol/result.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <sys/types.h>
#include <vector>

namespace vigil::protocol {

// Permission bits of what vigil-job creates: private by default, readable by
// the group when run.json says "group_readable": true.
struct Modes
{
    mode_t file = 0600;
    mode_t dir = 0700;
};
Modes modesFor(bool groupReadable);

// What a read returns: the bytes and what fstat said about the opened file.
struct FileData
{
    std::string bytes;
    std::uint32_t ownerUid = 0;
    std::uint32_t groupGid = 0;
    mode_t mode = 0;
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t mtime = 0;
};

struct DirEntry
{
    std::string name;
    enum class Type { File, Directory, Symlink, Other } type = Type::Other;
};

// An owned file descriptor.
class Fd
{
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd &&other) noexcept : m_fd(other.release()) {}
    Fd &operator=(Fd &&other) noexcept;
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    ~Fd();

    int get() const { return m_fd; }
    int release();
    bool valid() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

// An open directory. Relative paths given to its functions may have several
// '/'-separated components; none of them may be a symlink. Messages name
// files as `display`/rel (just rel when display is empty).
class Dir
{
public:
    // Opens `path` (symlinks in `path` itself are followed: the caller chose it).
    static Result<Dir> open(const std::filesystem::path &path, std::string display);

    int fd() const { return m_fd.get(); }
    const std::string &display() const { return m_display; }
    std::string displayOf(std::string_view rel) const;
    void setDisplay(std::string display) { m_display = std::move(display); }

    Result<Dir> openSub(std::string_view rel) const;
    // Creates the directory `rel` (its parent must exist) with `mode` when
    // missing, then opens it. An existing directory keeps its mode.
    Result<Dir> makeSub(std::string_view rel, mode_t mode) const;

    Result<FileData> read(std::string_view rel, std::size_t limit) const;
    Result<void> writeAtomic(std::string_view rel, std::string_view data, mode_t mode) const;
    Result<void> createNoClobber(std::string_view rel, std::string_view data, mode_t mode) const;
    Result<void> append(std::string_view rel, std::string_view data, mode_t mode) const;
    // Removes a file; a missing file is not an error.
    Result<void> remove(std::string_view rel) const;

    // lstat of `rel`; nullopt when it does not exist.
    std::optional<struct stat> stat(std::string_view rel) const;
    // The entries of the directory `rel` ("" for this one), without "." and "..".
    Result<std::vector<DirEntry>> list(std::string_view rel = {}) const;

private:
    Dir(Fd fd, std::string display) : m_fd(std::move(fd)), m_display(std::move(display)) {}
    // Opens the parent directory of `rel` and returns the last component.
    Result<Fd> openParent(std::string_view rel, std::string &leaf) const;

    Fd m_fd;
    std::string m_display;
};

// Path-based conveniences: the parent directory is opened as given, the last
// component is never followed.
Result<FileData> readFile(const std::filesystem::path &path, std::size_t limit);
Result<void> writeFileAtomic(const std::filesystem::path &path, std::string_view data, mode_t mode);
Result<void> createFileNoClobber(const std::filesystem::path &path, std::string_view data,
                                 mode_t mode);

} // namespace vigil::protocol
