// SPDX-License-Identifier: GPL-3.0-or-later
#include "localtransport.h"
#include "protocol/text.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::localfs {

namespace {

Error errnoError(const QString &what, const QString &path, int err)
{
    Error::Kind kind = Error::Kind::Generic;
    if (err == ENOENT)
        kind = Error::Kind::NotFound;
    else if (err == EACCES || err == EPERM || err == EROFS)
        kind = Error::Kind::Permission;
    else if (err == EEXIST)
        kind = Error::Kind::AlreadyExists;
    else if (err == ELOOP)
        kind = Error::Kind::Permission;
    return Error(
        QStringLiteral("%1 %2: %3").arg(what, path, QString::fromLocal8Bit(std::strerror(err))),
        kind);
}

QByteArray encoded(const QString &path)
{
    return QFile::encodeName(path);
}

Result<void> writeAll(int fd, const QByteArray &data, const QString &path)
{
    qint64 done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errnoError(QStringLiteral("cannot write"), path, errno);
        }
        done += n;
    }
    if (::fsync(fd) != 0)
        return errnoError(QStringLiteral("cannot sync"), path, errno);
    return {};
}

// Writes data to a fresh temp file next to `path`; returns the temp path:
// ".NAME.tmp-HEX", NAME cut at a character boundary so that the temporary's
// name stays within 255 bytes however long NAME is.
Result<QString> writeTemp(const QString &path, const QByteArray &data, quint32 permissions)
{
    constexpr std::size_t kMaxNameBytes = 255;
    const QFileInfo fi(path);
    const QString suffix =
        QLatin1String(".tmp-") + QStringLiteral("%1").arg(QRandomGenerator::global()->generate64(),
                                                          16, 16, QLatin1Char('0'));
    const QByteArray name = encoded(fi.fileName());
    const std::size_t kept =
        protocol::utf8PrefixLength(std::string_view(name.constData(), size_t(name.size())),
                                   kMaxNameBytes - 1 - size_t(suffix.size()));
    const QString tmp = fi.absolutePath() + QLatin1String("/.") +
                        QFile::decodeName(name.left(qsizetype(kept))) + suffix;
    const int fd =
        ::open(encoded(tmp).constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
               mode_t(permissions));
    if (fd < 0)
        return errnoError(QStringLiteral("cannot create"), tmp, errno);
    auto closeFd = qScopeGuard([fd] { ::close(fd); });
    ::fchmod(fd, mode_t(permissions)); // umask must not widen or narrow what was asked
    if (auto r = writeAll(fd, data, tmp); !r) {
        ::unlink(encoded(tmp).constData());
        return r.error();
    }
    return tmp;
}

void syncDirectoryOf(const QString &path)
{
    const int dfd = ::open(encoded(QFileInfo(path).absolutePath()).constData(),
                           O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

} // namespace

QString resolve(const QString &path)
{
    if (path.startsWith(QLatin1Char('/')))
        return path;
    return QDir::homePath() + QLatin1Char('/') + path;
}

Result<FileChunk> readFile(const QString &rawPath, qint64 offset, qint64 maxBytes)
{
    const QString path = resolve(rawPath);
    const int fd = ::open(encoded(path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ELOOP)
            return Error(QStringLiteral("refusing to follow symlink %1").arg(path),
                         Error::Kind::Permission);
        return errnoError(QStringLiteral("cannot open"), path, errno);
    }
    auto closeFd = qScopeGuard([fd] { ::close(fd); });
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0)
        return errnoError(QStringLiteral("cannot stat"), path, errno);
    if (!S_ISREG(st.st_mode))
        return Error(QStringLiteral("%1 is not a regular file").arg(path));
    FileChunk chunk;
    chunk.offset = offset;
    chunk.fileSize = st.st_size;
    if (offset >= st.st_size)
        return chunk;
    const qint64 want = std::min<qint64>(maxBytes, st.st_size - offset);
    chunk.data.resize(want);
    qint64 got = 0;
    while (got < want) {
        const ssize_t n =
            ::pread(fd, chunk.data.data() + got, size_t(want - got), off_t(offset + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errnoError(QStringLiteral("cannot read"), path, errno);
        if (n == 0)
            break;
        got += n;
    }
    chunk.data.truncate(got);
    return chunk;
}

Result<void> writeFileAtomic(const QString &rawPath, const QByteArray &data, quint32 permissions)
{
    const QString path = resolve(rawPath);
    auto tmp = writeTemp(path, data, permissions);
    if (!tmp)
        return tmp.error();
    if (::rename(encoded(*tmp).constData(), encoded(path).constData()) != 0) {
        const int err = errno;
        ::unlink(encoded(*tmp).constData());
        return errnoError(QStringLiteral("cannot replace"), path, err);
    }
    syncDirectoryOf(path);
    return {};
}

Result<void> createExclusive(const QString &rawPath, const QByteArray &data, quint32 permissions)
{
    const QString path = resolve(rawPath);
    auto tmp = writeTemp(path, data, permissions);
    if (!tmp)
        return tmp.error();
    // link() never replaces an existing target: the first writer wins.
    const int rc = ::link(encoded(*tmp).constData(), encoded(path).constData());
    const int err = errno;
    ::unlink(encoded(*tmp).constData());
    if (rc != 0) {
        if (err == EEXIST)
            return Error(QStringLiteral("%1 already exists").arg(path), Error::Kind::AlreadyExists);
        return errnoError(QStringLiteral("cannot create"), path, err);
    }
    syncDirectoryOf(path);
    return {};
}

Result<QList<FileEntry>> listDirectory(const QString &rawPath)
{
    const QString path = resolve(rawPath);
    DIR *dir = ::opendir(encoded(path).constData());
    if (!dir)
        return errnoError(QStringLiteral("cannot list"), path, errno);
    auto closeDir = qScopeGuard([dir] { ::closedir(dir); });
    QList<FileEntry> entries;
    while (struct dirent *de = ::readdir(dir)) {
        const QString name = QFile::decodeName(de->d_name);
        if (name == QLatin1String(".") || name == QLatin1String(".."))
            continue;
        struct stat st
        {
        };
        if (::fstatat(::dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue; // vanished meanwhile
        FileEntry e;
        e.name = name;
        e.size = st.st_size;
        e.mtime = st.st_mtim.tv_sec;
        e.uid = st.st_uid;
        e.permissions = st.st_mode & 07777;
        e.isDir = S_ISDIR(st.st_mode);
        e.isSymlink = S_ISLNK(st.st_mode);
        entries << e;
    }
    return entries;
}

Result<void> makeDirectories(const QString &rawPath, quint32 permissions)
{
    const QString path = QDir::cleanPath(resolve(rawPath));
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString current;
    for (const QString &part : parts) {
        current += QLatin1Char('/') + part;
        struct stat st
        {
        };
        // Existing components may be symlinks (/home -> /gpfs/home): follow them.
        if (::stat(encoded(current).constData(), &st) == 0) {
            if (!S_ISDIR(st.st_mode))
                return Error(QStringLiteral("%1 exists and is not a directory").arg(current));
            continue;
        }
        if (::mkdir(encoded(current).constData(), mode_t(permissions)) != 0 && errno != EEXIST)
            return errnoError(QStringLiteral("cannot create directory"), current, errno);
        ::chmod(encoded(current).constData(), mode_t(permissions));
    }
    return {};
}

} // namespace vigil::localfs
