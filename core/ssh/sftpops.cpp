// SPDX-License-Identifier: GPL-3.0-or-later
#include "sftpops.h"

#include "core/logging.h"
#include "protocol/text.h"
#include "sshexec.h"
#include "sshsession.h"

#include <QRandomGenerator>
#include <QScopeGuard>
#include <fcntl.h>

namespace vigil::ssh {

namespace {

constexpr int kChunk = 32 * 1024;

bool isDirectory(const sftp_attributes a)
{
    return a->type == SSH_FILEXFER_TYPE_DIRECTORY;
}
bool isSymlink(const sftp_attributes a)
{
    return a->type == SSH_FILEXFER_TYPE_SYMLINK;
}

SftpAttributesPtr lstat(Session &s, const QString &path)
{
    return SftpAttributesPtr(sftp_lstat(s.sftp.get(), s.remotePath(path).constData()));
}

bool isNotFound(Session &s)
{
    const int code = sftp_get_error(s.sftp.get());
    return code == SSH_FX_NO_SUCH_FILE || code == SSH_FX_NO_SUCH_PATH;
}

// "dir/name" -> {"dir", "name"}; "name" -> {"", "name"}.
std::pair<QString, QString> splitPath(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    if (slash < 0)
        return {QString(), path};
    return {path.left(slash + 1), path.mid(slash + 1)};
}

// ".NAME.tmp-XXXXXXXXXXXX" next to `path`: hidden, in the same directory (so
// that the rename is atomic) and unique (12 random characters; created with
// O_EXCL). NAME is cut at a character boundary when the temporary would be
// longer than a file name may be (255 bytes): 237 bytes of NAME are kept.
QString tempPathFor(const QString &path)
{
    constexpr std::size_t kMaxNameBytes = 255;
    const auto [dir, name] = splitPath(path);
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    QString suffix = QStringLiteral(".tmp-");
    for (int i = 0; i < 12; ++i)
        suffix += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(62)]);
    const QByteArray utf8 = name.toUtf8();
    const std::size_t kept =
        protocol::utf8PrefixLength(std::string_view(utf8.constData(), size_t(utf8.size())),
                                   kMaxNameBytes - 1 - size_t(suffix.size()));
    return dir + QLatin1Char('.') + QString::fromUtf8(utf8.left(qsizetype(kept))) + suffix;
}

Result<void> checkFileName(const QString &path)
{
    const QString name = splitPath(path).second;
    if (name.isEmpty() || name == QLatin1String(".") || name == QLatin1String(".."))
        return Error(QStringLiteral("invalid file name in \"%1\"").arg(path));
    return {};
}

void removeQuietly(Session &s, const QString &path)
{
    if (sftp_unlink(s.sftp.get(), s.remotePath(path).constData()) < 0 && s.connected())
        qCInfo(lcSsh).noquote() << "could not remove temporary file" << path << "on" << s.hostLabel;
}

Error cancelledError(const QString &target)
{
    return Error(QStringLiteral("writing %1 cancelled").arg(target), Error::Kind::Cancelled);
}

// Creates `tmp` (it must not exist), writes data, syncs it and closes it.
// On failure or cancellation (checked between chunks), removes what it created.
Result<void> writeTemp(Session &s, const QString &tmp, const QString &target,
                       const QByteArray &data, quint32 permissions,
                       const WriteControl &control = {})
{
    const QByteArray remote = s.remotePath(tmp);
    SftpFilePtr file(sftp_open(s.sftp.get(), remote.constData(), O_WRONLY | O_CREAT | O_EXCL,
                               static_cast<mode_t>(permissions & 07777)));
    if (!file)
        return sftpError(s, QStringLiteral("create a temporary file for"), target);
    auto cleanup = qScopeGuard([&] {
        file.reset();
        removeQuietly(s, tmp);
    });
    // The server's umask may have taken bits away: set exactly what was asked.
    if (sftp_chmod(s.sftp.get(), remote.constData(), static_cast<mode_t>(permissions & 07777)) < 0)
        return sftpError(s, QStringLiteral("set permissions of the temporary file for"), target);
    qint64 reported = 0;
    for (qsizetype done = 0; done < data.size();) {
        if (control.cancelled())
            return cancelledError(target);
        const size_t n = static_cast<size_t>(std::min<qsizetype>(kChunk, data.size() - done));
        const ssize_t w = sftp_write(file.get(), data.constData() + done, n);
        if (w <= 0)
            return sftpError(s, QStringLiteral("write"), target);
        done += w;
        if (control.progress && (done - reported >= kProgressStep || done == data.size())) {
            reported = done;
            control.progress(done, data.size());
        }
    }
    if (s.fsyncSupported && sftp_fsync(file.get()) < 0)
        return sftpError(s, QStringLiteral("sync"), target);
    if (sftp_close(file.release()) < 0)
        return sftpError(s, QStringLiteral("write"), target);
    cleanup.dismiss();
    return {};
}

// Why writing near `path` fails, when its file system says so (the
// statvfs@openssh.com extension on the directory of `path`): "the file system
// is read-only" or "no space left on the file system"; empty otherwise.
QString fileSystemTrouble(Session &s, const QString &path)
{
    if (!sftp_extension_supported(s.sftp.get(), "statvfs@openssh.com", "2"))
        return {};
    QString dir = splitPath(path).first;
    while (dir.size() > 1 && dir.endsWith(QLatin1Char('/')))
        dir.chop(1);
    sftp_statvfs_t st =
        sftp_statvfs(s.sftp.get(), s.remotePath(dir.isEmpty() ? path : dir).constData());
    if (!st)
        return {};
    const auto release = qScopeGuard([st] { sftp_statvfs_free(st); });
    if (st->f_flag & SSH_FXE_STATVFS_ST_RDONLY)
        return QStringLiteral("the file system of %1 is read-only").arg(dir);
    // Some file systems report no inode counts at all (btrfs, vfat, tmpfs
    // with nr_inodes=0): only a counted zero means full.
    if ((st->f_blocks > 0 && st->f_bavail == 0) || (st->f_files > 0 && st->f_favail == 0))
        return QStringLiteral("no space left on the file system of %1").arg(dir);
    return {};
}

// The actions of sftpError() that write.
bool isWrite(const QString &action)
{
    for (const char *verb : {"create", "write", "sync", "set permissions", "replace"})
        if (action.startsWith(QLatin1String(verb)))
            return true;
    return false;
}

} // namespace

Error sftpError(Session &s, const QString &action, const QString &path)
{
    if (!s.connected())
        return s.sshError(QStringLiteral("cannot %1 %2").arg(action, path));
    const int code = sftp_get_error(s.sftp.get());
    const QString what = QStringLiteral("cannot %1 %2").arg(action, path);
    switch (code) {
    case SSH_FX_NO_SUCH_FILE:
    case SSH_FX_NO_SUCH_PATH:
        return Error(what + QStringLiteral(": no such file or directory"), Error::Kind::NotFound);
    case SSH_FX_PERMISSION_DENIED:
    case SSH_FX_WRITE_PROTECT:
        return Error(what + QStringLiteral(": permission denied"), Error::Kind::Permission);
    case SSH_FX_FILE_ALREADY_EXISTS:
        return Error(what + QStringLiteral(": already exists"), Error::Kind::AlreadyExists);
    case SSH_FX_NO_CONNECTION:
    case SSH_FX_CONNECTION_LOST:
        return Error(what + QStringLiteral(": connection lost"), Error::Kind::Network);
    case SSH_FX_NO_MEDIA:
        return Error(what + QStringLiteral(": no space left or no medium"));
    case SSH_FX_OP_UNSUPPORTED:
        return Error(what + QStringLiteral(": not supported by the server"));
    case SSH_FX_EOF:
        return Error(what + QStringLiteral(": unexpected end of file"));
    case SSH_FX_FAILURE:
        // OpenSSH's server answers a full or read-only file system (ENOSPC,
        // EROFS) with this generic status: for a write, ask the file system.
        if (isWrite(action))
            if (const QString why = fileSystemTrouble(s, path); !why.isEmpty())
                return Error(what + QStringLiteral(": ") + why);
        [[fallthrough]];
    default: {
        const QString reason = QString::fromUtf8(ssh_get_error(s.ssh.get()));
        return Error(
            what + QStringLiteral(": ") +
            (reason.isEmpty() ? QStringLiteral("failure (SFTP status %1)").arg(code) : reason));
    }
    }
}

Result<FileChunk> readFile(Session &s, const QString &path, qint64 offset, qint64 maxBytes)
{
    if (offset < 0 || maxBytes < 0)
        return Error(QStringLiteral("cannot read %1: negative offset or size").arg(path));
    const SftpAttributesPtr link = lstat(s, path);
    if (!link)
        return sftpError(s, QStringLiteral("read"), path);
    if (isSymlink(link.get()))
        return Error(QStringLiteral("refusing to follow symlink %1").arg(path),
                     Error::Kind::Permission);
    if (link->type != SSH_FILEXFER_TYPE_REGULAR)
        return Error(QStringLiteral("cannot read %1: not a regular file").arg(path));

    SftpFilePtr file(sftp_open(s.sftp.get(), s.remotePath(path).constData(), O_RDONLY, 0));
    if (!file)
        return sftpError(s, QStringLiteral("open"), path);
    // The size of what was opened, in case the file changed since the lstat.
    const SftpAttributesPtr opened(sftp_fstat(file.get()));
    if (!opened)
        return sftpError(s, QStringLiteral("stat"), path);
    if (opened->type != SSH_FILEXFER_TYPE_REGULAR)
        return Error(QStringLiteral("refusing to read %1: it changed while being opened").arg(path),
                     Error::Kind::Permission);

    FileChunk chunk;
    chunk.offset = offset;
    chunk.fileSize = static_cast<qint64>(opened->size);
    const qint64 wanted = std::clamp<qint64>(chunk.fileSize - offset, 0, maxBytes);
    if (wanted > kMaxReadBytes)
        return Error(QStringLiteral("cannot read %1: %2 bytes asked, more than the %3 MiB limit "
                                    "of one read")
                         .arg(path)
                         .arg(wanted)
                         .arg(kMaxReadBytes >> 20),
                     Error::Kind::TooLarge);
    if (wanted == 0)
        return chunk;
    if (sftp_seek64(file.get(), static_cast<uint64_t>(offset)) < 0)
        return sftpError(s, QStringLiteral("seek in"), path);
    chunk.data.resize(wanted);
    qint64 got = 0;
    while (got < wanted) {
        const size_t n = static_cast<size_t>(std::min<qint64>(kChunk, wanted - got));
        const ssize_t r = sftp_read(file.get(), chunk.data.data() + got, n);
        if (r < 0)
            return sftpError(s, QStringLiteral("read"), path);
        if (r == 0)
            break; // the file shrank
        got += r;
    }
    chunk.data.truncate(got);
    return chunk;
}

Result<void> writeFileAtomic(Session &s, const QString &path, const QByteArray &data,
                             quint32 permissions, const WriteControl &control)
{
    if (auto ok = checkFileName(path); !ok)
        return ok;
    if (control.cancelled())
        return cancelledError(path);
    if (const SftpAttributesPtr existing = lstat(s, path); existing && isDirectory(existing.get()))
        return Error(QStringLiteral("cannot write %1: it is a directory").arg(path));

    const QString tmp = tempPathFor(path);
    if (auto written = writeTemp(s, tmp, path, data, permissions, control); !written)
        return written;
    if (control.cancelled()) { // after the last chunk, still before the target changes
        removeQuietly(s, tmp);
        return cancelledError(path);
    }
    // libssh 0.10 has no call for the posix-rename@openssh.com extension and
    // a plain SFTP v3 rename never replaces a file, so the shell's mv, which
    // is rename(2), replaces the target atomically.
    const QString absTmp = QString::fromUtf8(s.remotePath(tmp));
    const QString absPath = QString::fromUtf8(s.remotePath(path));
    Result<ExecResult> mv = runExec(
        s, {QStringLiteral("mv"), QStringLiteral("-f"), QStringLiteral("--"), absTmp, absPath}, {},
        1 << 20);
    if (!mv || mv->exitCode != 0) {
        if (s.connected())
            removeQuietly(s, tmp);
        if (!mv)
            return Error(QStringLiteral("cannot replace %1: %2").arg(path, mv.errorString()),
                         mv.error().kind);
        return Error(QStringLiteral("cannot replace %1: %2")
                         .arg(path, QString::fromUtf8(mv->err.trimmed())));
    }
    qCDebug(lcSshTrace).noquote() << "wrote" << path << data.size() << "bytes";
    return {};
}

Result<void> createExclusive(Session &s, const QString &path, const QByteArray &data,
                             quint32 permissions)
{
    if (auto ok = checkFileName(path); !ok)
        return ok;
    const auto alreadyExists = [&] {
        return Error(QStringLiteral("%1 already exists").arg(path), Error::Kind::AlreadyExists);
    };
    if (lstat(s, path))
        return alreadyExists();

    const QString tmp = tempPathFor(path);
    if (auto written = writeTemp(s, tmp, path, data, permissions); !written)
        return written;
    // A plain SFTP v3 rename fails when the target exists (OpenSSH: link() +
    // unlink()), so of several writers exactly one wins.
    if (sftp_rename(s.sftp.get(), s.remotePath(tmp).constData(), s.remotePath(path).constData()) <
        0) {
        Error error = sftpError(s, QStringLiteral("create"), path);
        if (!s.connected())
            return error;
        removeQuietly(s, tmp);
        if (lstat(s, path))
            return alreadyExists();
        return error;
    }
    return {};
}

Result<QList<FileEntry>> listDirectory(Session &s, const QString &path)
{
    SftpDirPtr dir(sftp_opendir(s.sftp.get(), s.remotePath(path).constData()));
    if (!dir)
        return sftpError(s, QStringLiteral("list"), path);
    QList<FileEntry> entries;
    for (;;) {
        // OpenSSH's server fills these attributes with lstat(): links are not followed.
        const SftpAttributesPtr a(sftp_readdir(s.sftp.get(), dir.get()));
        if (!a)
            break;
        const QString name = QString::fromUtf8(a->name);
        if (name == QLatin1String(".") || name == QLatin1String(".."))
            continue;
        FileEntry e;
        e.name = name;
        e.size = static_cast<qint64>(a->size);
        e.mtime = a->mtime64 ? static_cast<qint64>(a->mtime64) : static_cast<qint64>(a->mtime);
        e.uid = a->uid;
        e.permissions = a->permissions & 07777;
        e.isDir = isDirectory(a.get());
        e.isSymlink = isSymlink(a.get());
        entries.append(e);
    }
    if (!sftp_dir_eof(dir.get()))
        return sftpError(s, QStringLiteral("list"), path);
    std::sort(entries.begin(), entries.end(),
              [](const FileEntry &a, const FileEntry &b) { return a.name < b.name; });
    return entries;
}

Result<void> makeDirectories(Session &s, const QString &path, quint32 permissions)
{
    if (path.isEmpty())
        return Error(QStringLiteral("cannot create a directory with an empty name"));
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString prefix = path.startsWith(QLatin1Char('/')) ? QStringLiteral("/") : QString();
    for (const QString &part : parts) {
        prefix += part;
        const QByteArray remote = s.remotePath(prefix);
        // stat, not lstat: like mkdir -p, a link to a directory is fine.
        if (const SftpAttributesPtr a(sftp_stat(s.sftp.get(), remote.constData())); a) {
            if (!isDirectory(a.get()))
                return Error(QStringLiteral("cannot create directory %1: %2 exists and is not a "
                                            "directory")
                                 .arg(path, prefix));
        } else if (!isNotFound(s)) {
            return sftpError(s, QStringLiteral("create directory"), prefix);
        } else if (sftp_mkdir(s.sftp.get(), remote.constData(),
                              static_cast<mode_t>(permissions & 07777)) < 0) {
            Error error = sftpError(s, QStringLiteral("create directory"), prefix);
            // Someone else may have created it meanwhile.
            const SftpAttributesPtr again(sftp_stat(s.sftp.get(), remote.constData()));
            if (!again || !isDirectory(again.get()))
                return error;
        }
        prefix += QLatin1Char('/');
    }
    return {};
}

} // namespace vigil::ssh
