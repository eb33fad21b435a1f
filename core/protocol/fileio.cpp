// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/fileio.h"

#include "protocol/random.h"
#include "protocol/text.h"

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace vigil::protocol {

namespace {

Error::Kind kindOf(int err)
{
    switch (err) {
    case ENOENT:
        return Error::Kind::NotFound;
    case EEXIST:
        return Error::Kind::AlreadyExists;
    case EACCES:
    case EPERM:
        return Error::Kind::Permission;
    default:
        return Error::Kind::Generic;
    }
}

Error sysError(const std::string &what, int err)
{
    return Error(what + ": " + errnoText(err), kindOf(err));
}

// Explains why opening `name` under `dirfd` failed, looking at what is there.
Error openError(int dirfd, const std::string &name, const std::string &shown, int err)
{
    if (err == ELOOP || err == ENOTDIR || err == EMLINK) {
        struct stat st
        {
        };
        if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
            return Error(shown + ": is a symbolic link: refused", Error::Kind::Unsupported);
    }
    return sysError(shown, err);
}

Result<void> writeAll(int fd, std::string_view data, const std::string &shown)
{
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return sysError(shown, errno);
        done += static_cast<std::size_t>(n);
    }
    return {};
}

// Writes `data` to a new temporary file in `dirfd`; returns its name.
Result<std::string> writeTemp(int dirfd, const std::string &leaf, std::string_view data,
                              mode_t mode, const std::string &shown)
{
    auto suffix = randomHex(6);
    if (!suffix)
        return std::move(suffix).error();
    const std::string tmp = "." + leaf + ".tmp-" + std::to_string(::getpid()) + "-" + *suffix;
    Fd fd(::openat(dirfd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!fd.valid())
        return sysError(shown + ": cannot create a temporary file", errno);
    auto fail = [&](Error e) -> Result<std::string> {
        ::unlinkat(dirfd, tmp.c_str(), 0);
        return e;
    };
    if (::fchmod(fd.get(), mode) != 0)
        return fail(sysError(shown + ": chmod", errno));
    if (auto w = writeAll(fd.get(), data, shown); !w)
        return fail(std::move(w).error());
    if (::fsync(fd.get()) != 0)
        return fail(sysError(shown + ": fsync", errno));
    if (::close(fd.release()) != 0)
        return fail(sysError(shown + ": close", errno));
    return tmp;
}

} // namespace

Modes modesFor(bool groupReadable)
{
    return groupReadable ? Modes{0640, 0750} : Modes{0600, 0700};
}

Fd &Fd::operator=(Fd &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = other.release();
    }
    return *this;
}

Fd::~Fd()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

int Fd::release()
{
    const int fd = m_fd;
    m_fd = -1;
    return fd;
}

Result<Dir> Dir::open(const std::filesystem::path &path, std::string display)
{
    Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid())
        return sysError(display.empty() ? path.string() : display, errno);
    return Dir(std::move(fd), std::move(display));
}

std::string Dir::displayOf(std::string_view rel) const
{
    if (m_display.empty())
        return std::string(rel);
    if (rel.empty())
        return m_display;
    return m_display + "/" + std::string(rel);
}

Result<Fd> Dir::openParent(std::string_view rel, std::string &leaf) const
{
    const std::vector<std::string_view> parts = splitPath(rel);
    if (parts.empty())
        return Error(displayOf(rel) + ": empty path");
    Fd current(::fcntl(m_fd.get(), F_DUPFD_CLOEXEC, 0));
    if (!current.valid())
        return sysError(displayOf(rel), errno);
    std::string walked;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        const std::string name(parts[i]);
        if (name == "..")
            return Error(displayOf(rel) + ": \"..\" is not allowed", Error::Kind::Unsupported);
        walked += (walked.empty() ? "" : "/") + name;
        Fd next(
            ::openat(current.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next.valid())
            return openError(current.get(), name, displayOf(walked), errno);
        current = std::move(next);
    }
    leaf = std::string(parts.back());
    if (leaf == "..")
        return Error(displayOf(rel) + ": \"..\" is not allowed", Error::Kind::Unsupported);
    return current;
}

Result<Dir> Dir::openSub(std::string_view rel) const
{
    std::string leaf;
    auto parent = openParent(rel, leaf);
    if (!parent)
        return std::move(parent).error();
    Fd fd(::openat(parent->get(), leaf.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid())
        return openError(parent->get(), leaf, displayOf(rel), errno);
    return Dir(std::move(fd), displayOf(rel));
}

Result<Dir> Dir::makeSub(std::string_view rel, mode_t mode) const
{
    std::string leaf;
    auto parent = openParent(rel, leaf);
    if (!parent)
        return std::move(parent).error();
    const bool created = ::mkdirat(parent->get(), leaf.c_str(), mode) == 0;
    if (!created && errno != EEXIST)
        return sysError(displayOf(rel), errno);
    Fd fd(::openat(parent->get(), leaf.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid())
        return openError(parent->get(), leaf, displayOf(rel), errno);
    if (created && ::fchmod(fd.get(), mode) != 0) // mkdir is subject to the umask
        return sysError(displayOf(rel) + ": chmod", errno);
    return Dir(std::move(fd), displayOf(rel));
}

Result<FileData> Dir::read(std::string_view rel, std::size_t limit) const
{
    const std::string shown = displayOf(rel);
    std::string leaf;
    auto parent = openParent(rel, leaf);
    if (!parent)
        return std::move(parent).error();
    // O_NONBLOCK: opening a FIFO must not hang; it is refused below.
    Fd fd(::openat(parent->get(), leaf.c_str(),
                   O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    if (!fd.valid())
        return openError(parent->get(), leaf, shown, errno);
    struct stat st
    {
    };
    if (::fstat(fd.get(), &st) != 0)
        return sysError(shown, errno);
    if (!S_ISREG(st.st_mode))
        return Error(shown + ": not a regular file: refused", Error::Kind::Unsupported);
    if (static_cast<std::uint64_t>(st.st_size) > limit)
        return Error(shown + ": the file is " + std::to_string(st.st_size) +
                         " bytes, over the limit of " + sizeText(limit) + ": refused",
                     Error::Kind::TooLarge);
    FileData out;
    out.ownerUid = st.st_uid;
    out.groupGid = st.st_gid;
    out.mode = st.st_mode & 07777;
    out.device = st.st_dev;
    out.inode = st.st_ino;
    out.mtime = st.st_mtim.tv_sec;
    out.bytes.resize(static_cast<std::size_t>(st.st_size) + 1);
    std::size_t done = 0;
    while (true) {
        if (done == out.bytes.size()) {
            if (out.bytes.size() > limit)
                return Error(shown + ": the file grew over the limit of " + sizeText(limit) +
                                 " while being read: refused",
                             Error::Kind::TooLarge);
            out.bytes.resize(std::min(out.bytes.size() * 2, limit + 1));
        }
        const ssize_t n = ::read(fd.get(), out.bytes.data() + done, out.bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return sysError(shown, errno);
        if (n == 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    if (done > limit)
        return Error(shown + ": the file grew over the limit of " + sizeText(limit) +
                         " while being read: refused",
                     Error::Kind::TooLarge);
    out.bytes.resize(done);
    return out;
}

Result<void> Dir::writeAtomic(std::string_view rel, std::string_view data, mode_t mode) const
{
    const std::string shown = displayOf(rel);
    std::string leaf;
    auto parent = openParent(rel, leaf);
    if (!parent)
        return std::move(parent).error();
    auto tmp = writeTemp(parent->get(), leaf, data, mode, shown);
    if (!tmp)
        return std::move(tmp).error();
    if (::renameat(parent->get(), tmp->c_str(), parent->get(), leaf.c_str()) != 0) {
        const int err = errno;
        ::unlinkat(parent->get(), tmp->c_str(), 0);
        return sysError(shown + ": rename", err);
    }
    if (::fsync(parent->get()) != 0 && errno != EINVAL)
        return sysError(shown + ": fsync of the directory", errno);
    return {};
}

Result<void> Dir::createNoClobber(std::string_view rel, std::string_view data, mode_t mode) const
{
    const std::string shown = displayOf(rel);
    std::string leaf;
    auto parent = openParent(rel, leaf);
    if (!parent)
        return std::move(parent).error();
    auto tmp = writeTemp(parent->get(), leaf, data, mode, shown);
    if (!tmp)
        return std::move(tmp).error();
    const int dirfd = parent->get();
    int err = 0;
    if (::linkat(dirfd, tmp->c_str(), dirfd, leaf.c_str(), 0) != 0) {
        err = errno;
        // Over NFS a retransmitted LINK may report an error although it
        // succeeded: the link count of the temporary tells the truth.
        struct stat st
        {
        };
        if (err != EEXIST && ::fstatat(dirfd, tmp->c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            st.st_nlink == 2)
            err = 0;
    }
    ::unlinkat(dirfd, tmp->c_str(), 0);
    if (err == EEXIST)
        return Error(shown + ": already exists", Error::Kind::AlreadyExists);
    if (err == EPERM || err == ENOSYS || err == EOPNOTSUPP)
        return Error(shown + ": this file system does not support hard links (" + errnoText(err) +
                         "), which no-clobber creation needs",
                     Error::Kind::Generic);
    if (err != 0)
        return sysError(shown, err);
    if (::fsync(dirfd) != 0 && errno != EINVAL)
        return sysError(shown + ": fsync of the directory", errno);
    return {};
}

Result<void> Dir::append(std::string_view rel, std::string_view data, mode_t mode) const
{
    const std::string shown = displayOf(rel);
    std::string leaf;
    auto parent = openParent(rel, leaf);
    if (!parent)
        return std::move(parent).error();
    const int flags = O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;
    Fd fd(::openat(parent->get(), leaf.c_str(), flags | O_CREAT | O_EXCL, mode));
    if (fd.valid()) {
        if (::fchmod(fd.get(), mode) != 0)
            return sysError(shown + ": chmod", errno);
    } else if (errno == EEXIST) {
        fd = Fd(::openat(parent->get(), leaf.c_str(), flags));
    }
    if (!fd.valid())
        return openError(parent->get(), leaf, shown, errno);
    struct stat st
    {
    };
    if (::fstat(fd.get(), &st) != 0)
        return sysError(shown, errno);
    if (!S_ISREG(st.st_mode))
        return Error(shown + ": not a regular file: refused", Error::Kind::Unsupported);
    // One write: O_APPEND makes it atomic with respect to other appenders.
    ssize_t n = -1;
    do {
        n = ::write(fd.get(), data.data(), data.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return sysError(shown, errno);
    if (static_cast<std::size_t>(n) != data.size())
        return Error(shown + ": short write (" + std::to_string(n) + " of " +
                     std::to_string(data.size()) + " bytes)");
    return {};
}

Result<void> Dir::remove(std::string_view rel) const
{
    std::string leaf;
    auto parent = openParent(rel, leaf);
    if (!parent)
        return std::move(parent).error();
    if (::unlinkat(parent->get(), leaf.c_str(), 0) != 0 && errno != ENOENT)
        return sysError(displayOf(rel), errno);
    return {};
}

std::optional<struct stat> Dir::stat(std::string_view rel) const
{
    std::string leaf;
    auto parent = openParent(rel, leaf);
    if (!parent)
        return std::nullopt;
    struct stat st
    {
    };
    if (::fstatat(parent->get(), leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return std::nullopt;
    return st;
}

Result<std::vector<DirEntry>> Dir::list(std::string_view rel) const
{
    int fd = -1;
    if (rel.empty()) {
        fd = ::fcntl(m_fd.get(), F_DUPFD_CLOEXEC, 0);
        if (fd < 0)
            return sysError(displayOf(rel), errno);
    } else {
        auto s = openSub(rel);
        if (!s)
            return std::move(s).error();
        fd = ::fcntl(s->fd(), F_DUPFD_CLOEXEC, 0);
        if (fd < 0)
            return sysError(displayOf(rel), errno);
    }
    DIR *d = ::fdopendir(fd);
    if (d == nullptr) {
        const int err = errno;
        ::close(fd);
        return sysError(displayOf(rel), err);
    }
    // A duplicated descriptor shares its position with the original: after
    // one listing it is at the end. Every listing starts from the start.
    ::rewinddir(d);
    std::vector<DirEntry> out;
    while (const dirent *e = ::readdir(d)) {
        const std::string_view name(e->d_name);
        if (name == "." || name == "..")
            continue;
        DirEntry entry;
        entry.name = std::string(name);
        unsigned char type = e->d_type;
        if (type == DT_UNKNOWN) { // some file systems do not fill d_type
            struct stat st
            {
            };
            if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                type = S_ISDIR(st.st_mode) ? DT_DIR
                                           : (S_ISLNK(st.st_mode)   ? DT_LNK
                                              : S_ISREG(st.st_mode) ? DT_REG
                                                                    : DT_UNKNOWN);
        }
        entry.type = type == DT_DIR   ? DirEntry::Type::Directory
                     : type == DT_REG ? DirEntry::Type::File
                     : type == DT_LNK ? DirEntry::Type::Symlink
                                      : DirEntry::Type::Other;
        out.push_back(std::move(entry));
    }
    ::closedir(d);
    return out;
}

namespace {

Result<Dir> openParentOf(const std::filesystem::path &path)
{
    const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : ".";
    return Dir::open(parent, parent.string());
}

} // namespace

Result<FileData> readFile(const std::filesystem::path &path, std::size_t limit)
{
    auto dir = openParentOf(path);
    if (!dir)
        return std::move(dir).error();
    return dir->read(path.filename().string(), limit);
}

Result<void> writeFileAtomic(const std::filesystem::path &path, std::string_view data, mode_t mode)
{
    auto dir = openParentOf(path);
    if (!dir)
        return std::move(dir).error();
    return dir->writeAtomic(path.filename().string(), data, mode);
}

Result<void> createFileNoClobber(const std::filesystem::path &path, std::string_view data,
                                 mode_t mode)
{
    auto dir = openParentOf(path);
    if (!dir)
        return std::move(dir).error();
    return dir->createNoClobber(path.filename().string(), data, mode);
}

} // namespace vigil::protocol
