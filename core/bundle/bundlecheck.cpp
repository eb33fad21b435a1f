// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundlecheck.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHash>
#include <QSet>
#include <archive.h>
#include <archive_entry.h>
#include <memory>

namespace vigil::bundle {

namespace {

constexpr qint64 kMaxManifestBytes = qint64(64) << 20;
constexpr qint64 kProgressStep = qint64(1) << 20;

Error refused(const QString &entry, const QString &why)
{
    return Error(Tr::tr("entry %1 %2").arg(entry, why), Error::Kind::Malformed);
}

Error malformed(const QString &why)
{
    return Error(why, Error::Kind::Malformed);
}

QString archiveError(archive *a)
{
    const char *s = archive_error_string(a);
    return s ? QString::fromUtf8(s) : Tr::tr("unreadable archive");
}

QString typeProblem(archive_entry *e)
{
    if (archive_entry_hardlink(e))
        return Tr::tr("is a hard link");
    switch (archive_entry_filetype(e)) {
    case AE_IFREG:
    case AE_IFDIR:
        return {};
    case AE_IFLNK:
        return Tr::tr("is a symbolic link");
    case AE_IFCHR:
    case AE_IFBLK:
        return Tr::tr("is a device");
    case AE_IFIFO:
        return Tr::tr("is a fifo");
    case AE_IFSOCK:
        return Tr::tr("is a socket");
    default:
        return Tr::tr("is not a regular file or a directory");
    }
}

struct FileSeen
{
    qint64 size = 0;
    QByteArray sha256;
};

// The state of one pass over the entries.
class Checker
{
public:
    Checker(const Limits &limits, const Progress &progress, const std::atomic_bool *cancel)
        : m_limits(limits), m_progress(progress), m_cancel(cancel)
    {}

    Result<Checked> run(archive *a);

private:
    Result<void> entry(archive *a, archive_entry *e);
    Result<void> placePath(const QString &raw, const QString &rel, bool isDir);
    Result<void> readData(archive *a, const QString &raw, const QString &rel);
    Result<Checked> finish();

    const Limits &m_limits;
    const Progress &m_progress;
    const std::atomic_bool *m_cancel;
    int m_entries = 0;
    qint64 m_total = 0;
    qint64 m_reported = 0;
    QString m_root;
    QSet<QString> m_dirs; // explicit and implied by a file's path
    QSet<QString> m_explicitDirs;
    QHash<QString, FileSeen> m_files;
    QList<QString> m_order; // files as they came
    QByteArray m_manifest;
    QByteArray m_sums;
};

Result<Checked> Checker::run(archive *a)
{
    for (;;) {
        if (m_cancel && m_cancel->load())
            return Error(Tr::tr("cancelled"), Error::Kind::Cancelled);
        archive_entry *e = nullptr;
        const int r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN)
            return malformed(Tr::tr("not a readable bundle: %1").arg(archiveError(a)));
        if (auto ok = entry(a, e); !ok)
            return ok.error();
    }
    return finish();
}

Result<void> Checker::entry(archive *a, archive_entry *e)
{
    if (++m_entries > m_limits.maxEntries)
        return malformed(Tr::tr("the bundle has more than %1 entries").arg(m_limits.maxEntries));
    const char *utf8 = archive_entry_pathname_utf8(e);
    const char *name = utf8 ? utf8 : archive_entry_pathname(e);
    if (!name)
        return malformed(Tr::tr("entry %1 has no path").arg(m_entries));
    const QString raw = QString::fromUtf8(name);
    const bool isDir = archive_entry_filetype(e) == AE_IFDIR && !archive_entry_hardlink(e);
    if (const QString why = pathProblem(raw, isDir); !why.isEmpty())
        return refused(raw, why);
    if (const QString why = typeProblem(e); !why.isEmpty())
        return refused(raw, why);
    QString path = raw;
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    const qsizetype slash = path.indexOf(QLatin1Char('/'));
    const QString root = slash < 0 ? path : path.left(slash);
    const QString rel = slash < 0 ? QString() : path.mid(slash + 1);
    if (m_root.isEmpty()) {
        if (!root.startsWith(QLatin1String("vigil-bundle-")))
            return refused(raw, Tr::tr("is not under a vigil-bundle-RUN root directory"));
        m_root = root;
    } else if (root != m_root) {
        return refused(raw, Tr::tr("escapes the bundle root %1").arg(m_root));
    }
    if (rel.isEmpty()) {
        if (!isDir)
            return refused(raw, Tr::tr("is a file in place of the bundle root"));
        return {};
    }
    if (auto ok = placePath(raw, rel, isDir); !ok)
        return ok;
    if (isDir)
        return {};
    const la_int64_t declared = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0;
    if (declared > m_limits.maxFileBytes)
        return refused(raw,
                       Tr::tr("is larger than the limit of %1 bytes").arg(m_limits.maxFileBytes));
    return readData(a, raw, rel);
}

Result<void> Checker::placePath(const QString &raw, const QString &rel, bool isDir)
{
    if (m_files.contains(rel) || m_explicitDirs.contains(rel))
        return refused(raw, Tr::tr("comes twice"));
    if (!isDir && m_dirs.contains(rel))
        return refused(raw, Tr::tr("is both a file and a directory"));
    for (qsizetype i = rel.indexOf(QLatin1Char('/')); i >= 0;
         i = rel.indexOf(QLatin1Char('/'), i + 1)) {
        const QString parent = rel.left(i);
        if (m_files.contains(parent))
            return refused(raw, Tr::tr("lies under %1, which is a file").arg(parent));
        m_dirs.insert(parent);
    }
    if (isDir) {
        m_dirs.insert(rel);
        m_explicitDirs.insert(rel);
    }
    return {};
}

Result<void> Checker::readData(archive *a, const QString &raw, const QString &rel)
{
    const bool keep = rel == kManifestName || rel == kSumsName;
    QByteArray kept;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 size = 0;
    auto read = readEntryData(a, m_cancel, [&](QByteArrayView block) -> Result<void> {
        size += block.size();
        m_total += block.size();
        if (size > m_limits.maxFileBytes)
            return refused(
                raw, Tr::tr("is larger than the limit of %1 bytes").arg(m_limits.maxFileBytes));
        if (m_total > m_limits.maxTotalBytes)
            return malformed(
                Tr::tr("the bundle holds more than %1 bytes").arg(m_limits.maxTotalBytes));
        if (keep && size > kMaxManifestBytes)
            return refused(raw, Tr::tr("is larger than %1 bytes").arg(kMaxManifestBytes));
        hash.addData(block);
        if (keep)
            kept.append(block);
        if (m_progress && m_total - m_reported >= kProgressStep) {
            m_reported = m_total;
            m_progress(m_total);
        }
        return {};
    });
    if (!read)
        return read.error().kind == Error::Kind::Malformed ? refused(raw, read.errorString())
                                                           : read.error();
    if (rel == kManifestName)
        m_manifest = kept;
    else if (rel == kSumsName)
        m_sums = kept;
    m_files.insert(rel, {size, hash.result().toHex()});
    m_order.append(rel);
    return {};
}

Result<Checked> Checker::finish()
{
    if (m_root.isEmpty())
        return malformed(Tr::tr("the archive is empty"));
    if (!m_files.contains(kManifestName))
        return malformed(Tr::tr("the bundle has no %1/%2").arg(m_root, kManifestName));
    auto manifest = parseManifest(m_manifest);
    if (!manifest)
        return manifest.error();
    if (rootName(manifest->runId) != m_root)
        return malformed(Tr::tr("the bundle root %1 does not match the manifest's run %2")
                             .arg(m_root, manifest->runId));
    QSet<QString> listed;
    qint64 total = 0;
    for (const BundleFile &f : std::as_const(manifest->files)) {
        const QString full = m_root + QLatin1Char('/') + f.path;
        if (const QString why = pathProblem(f.path, false); !why.isEmpty())
            return malformed(Tr::tr("manifest.json: path %1 %2").arg(f.path, why));
        if (f.path == kManifestName || f.path == kSumsName || listed.contains(f.path))
            return malformed(Tr::tr("manifest.json lists %1 twice").arg(f.path));
        listed.insert(f.path);
        const auto it = m_files.constFind(f.path);
        if (it == m_files.cend())
            return malformed(
                Tr::tr("manifest.json lists %1, which the bundle does not hold").arg(full));
        if (it->size != f.size)
            return refused(full,
                           Tr::tr("has %1 bytes, the manifest says %2").arg(it->size).arg(f.size));
        if (it->sha256 != f.sha256)
            return refused(full, Tr::tr("does not match its SHA-256 in the manifest"));
        total += f.size;
    }
    for (const QString &rel : std::as_const(m_order))
        if (rel != kManifestName && rel != kSumsName && !listed.contains(rel))
            return refused(m_root + QLatin1Char('/') + rel,
                           Tr::tr("is not listed in the manifest"));
    if (!m_files.contains(kSumsName))
        return malformed(Tr::tr("the bundle has no %1/%2").arg(m_root, kSumsName));
    if (m_sums != sha256Sums(manifest->files))
        return malformed(Tr::tr("%1/%2 does not match the manifest").arg(m_root, kSumsName));
    const FileSeen m = m_files.value(kManifestName);
    const FileSeen sums = m_files.value(kSumsName);
    return Checked{m_root,
                   *std::move(manifest),
                   total,
                   {kManifestName, m.size, m.sha256},
                   {kSumsName, sums.size, sums.sha256}};
}

} // namespace

QString pathProblem(const QString &path, bool isDirectory)
{
    if (path.isEmpty())
        return Tr::tr("has an empty path");
    for (QChar c : path)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return Tr::tr("has a control character in its path");
    if (path.contains(QLatin1Char('\\')))
        return Tr::tr("has a backslash in its path");
    if (path.startsWith(QLatin1Char('/')))
        return Tr::tr("is an absolute path: it escapes the bundle root");
    QString p = path;
    if (isDirectory && p.endsWith(QLatin1Char('/')))
        p.chop(1);
    const QStringList parts = p.split(QLatin1Char('/'));
    for (const QString &part : parts)
        if (part == QLatin1String(".."))
            return Tr::tr("escapes the bundle root");
    for (const QString &part : parts)
        if (part.isEmpty() || part == QLatin1String("."))
            return Tr::tr("has an empty or \".\" component in its path");
    return {};
}

Result<void> readEntryData(archive *a, const std::atomic_bool *cancel,
                           const std::function<Result<void>(QByteArrayView)> &block)
{
    char buffer[64 * 1024];
    for (;;) {
        if (cancel && cancel->load())
            return Error(Tr::tr("cancelled"), Error::Kind::Cancelled);
        const la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
        if (n == 0)
            return {};
        if (n < 0)
            return Error(Tr::tr("cannot be read: %1").arg(archiveError(a)), Error::Kind::Malformed);
        if (auto ok = block(QByteArrayView(buffer, n)); !ok)
            return ok;
    }
}

void ArchiveReadFree::operator()(archive *a) const
{
    archive_read_free(a);
}

archive *newBundleReader()
{
    archive *a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_zip(a);
    return a;
}

Result<Checked> checkArchive(archive *a, const Limits &limits, const Progress &progress,
                             const std::atomic_bool *cancel)
{
    Checker checker(limits, progress, cancel);
    return checker.run(a);
}

Result<Checked> checkBundleBytes(const QByteArray &bytes, const Limits &limits)
{
    std::unique_ptr<archive, ArchiveReadFree> a(newBundleReader());
    if (archive_read_open_memory(a.get(), bytes.constData(), size_t(bytes.size())) != ARCHIVE_OK)
        return malformed(Tr::tr("not a readable bundle: %1").arg(archiveError(a.get())));
    return checkArchive(a.get(), limits);
}

Result<Checked> checkBundleFile(const QString &path, const Limits &limits, const Progress &progress,
                                const std::atomic_bool *cancel)
{
    std::unique_ptr<archive, ArchiveReadFree> a(newBundleReader());
    const QByteArray local = path.toLocal8Bit();
    if (archive_read_open_filename(a.get(), local.constData(), 64 * 1024) != ARCHIVE_OK)
        return Error(Tr::tr("%1: not a readable bundle: %2").arg(path, archiveError(a.get())),
                     QFile::exists(path) ? Error::Kind::Malformed : Error::Kind::NotFound);
    auto r = checkArchive(a.get(), limits, progress, cancel);
    if (!r)
        return Error(Tr::tr("%1: %2").arg(path, r.errorString()), r.error().kind);
    return r;
}

} // namespace vigil::bundle
