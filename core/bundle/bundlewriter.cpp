// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundlewriter.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>
#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace vigil::bundle {

namespace {

QString archiveError(archive *a)
{
    const char *s = archive_error_string(a);
    return s ? QString::fromUtf8(s) : Tr::tr("write error");
}

struct EntryFree
{
    void operator()(archive_entry *e) const { archive_entry_free(e); }
};

} // namespace

QString suffix(Format format)
{
    return format == Format::Zip ? QStringLiteral(".zip") : QStringLiteral(".tar.zst");
}

Result<std::unique_ptr<Writer>> Writer::create(const QString &target, Format format,
                                               const QString &runId)
{
    std::unique_ptr<Writer> w(new Writer);
    w->m_target = target;
    w->m_root = rootName(runId);
    {
        // Made here (unique name, mode 0600), then rewritten by libarchive.
        QTemporaryFile temp(QFileInfo(target).absolutePath() + QStringLiteral("/.") +
                            QFileInfo(target).fileName() + QStringLiteral(".XXXXXX.partial"));
        temp.setAutoRemove(false);
        if (!temp.open())
            return Error(Tr::tr("cannot write in %1: %2")
                             .arg(QFileInfo(target).absolutePath(), temp.errorString()),
                         Error::Kind::Permission);
        w->m_temp = temp.fileName();
    }
    w->m_archive = archive_write_new();
    archive *a = w->m_archive;
    int r = ARCHIVE_OK;
    if (format == Format::Zip) {
        r = archive_write_set_format_zip(a);
    } else {
        r = archive_write_set_format_pax_restricted(a);
        if (r == ARCHIVE_OK)
            r = archive_write_add_filter_zstd(a);
    }
    const QByteArray path = QFile::encodeName(w->m_temp);
    if (r == ARCHIVE_OK)
        r = archive_write_open_filename(a, path.constData());
    if (r != ARCHIVE_OK)
        return Error(Tr::tr("cannot write %1: %2").arg(w->m_temp, archiveError(a)));
    return w;
}

Writer::~Writer()
{
    if (!m_done)
        abandon();
}

void Writer::abandon()
{
    if (m_archive) {
        archive_write_free(m_archive); // closes what it can
        m_archive = nullptr;
    }
    if (!m_temp.isEmpty())
        QFile::remove(m_temp);
    m_done = true;
}

Result<void> Writer::addEntry(const QString &rel, const QByteArray &data, qint64 mtime)
{
    std::unique_ptr<archive_entry, EntryFree> e(archive_entry_new());
    const QByteArray name = (m_root + QLatin1Char('/') + rel).toUtf8();
    archive_entry_set_pathname_utf8(e.get(), name.constData());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    archive_entry_set_size(e.get(), data.size());
    archive_entry_set_mtime(e.get(), mtime, 0);
    if (archive_write_header(m_archive, e.get()) != ARCHIVE_OK)
        return Error(Tr::tr("cannot add %1 to %2: %3").arg(rel, m_temp, archiveError(m_archive)));
    qint64 done = 0;
    while (done < data.size()) {
        const la_ssize_t n =
            archive_write_data(m_archive, data.constData() + done, size_t(data.size() - done));
        if (n <= 0)
            return Error(
                Tr::tr("cannot write %1 to %2: %3").arg(rel, m_temp, archiveError(m_archive)));
        done += n;
    }
    if (archive_write_finish_entry(m_archive) != ARCHIVE_OK)
        return Error(Tr::tr("cannot write %1 to %2: %3").arg(rel, m_temp, archiveError(m_archive)));
    return {};
}

Result<void> Writer::addFile(const QString &rel, const QByteArray &data, qint64 mtime,
                             qint64 truncatedFrom)
{
    if (auto ok = addEntry(rel, data, mtime); !ok)
        return ok;
    m_files.append({rel, data.size(),
                    QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex(),
                    truncatedFrom});
    return {};
}

Result<Manifest> Writer::finish(Manifest manifest)
{
    manifest.files = m_files;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (auto ok = addEntry(kManifestName, manifestJson(manifest), now); !ok)
        return ok.error();
    if (auto ok = addEntry(kSumsName, sha256Sums(m_files), now); !ok)
        return ok.error();
    const int closed = archive_write_close(m_archive);
    if (closed != ARCHIVE_OK)
        return Error(Tr::tr("cannot write %1: %2").arg(m_temp, archiveError(m_archive)));
    archive_write_free(m_archive);
    m_archive = nullptr;
    // rename(2): replaces an existing target in one step.
    if (std::rename(QFile::encodeName(m_temp).constData(),
                    QFile::encodeName(m_target).constData()) != 0)
        return Error(Tr::tr("cannot rename %1 to %2: %3")
                         .arg(m_temp, m_target, QString::fromLocal8Bit(std::strerror(errno))));
    m_done = true;
    return manifest;
}

} // namespace vigil::bundle
