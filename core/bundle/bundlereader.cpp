// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundlereader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QTemporaryDir>
#include <archive.h>
#include <archive_entry.h>
#include <memory>

namespace vigil::bundle {

namespace {

// The second pass: writes the files the first pass checked.
class Extractor
{
public:
    Extractor(const Checked &checked, const QString &directory, const TwoPassProgress &progress,
              const std::atomic_bool *cancel)
        : m_checked(checked), m_dir(directory), m_progress(progress), m_cancel(cancel)
    {
        for (const BundleFile &f : checked.manifest.files)
            m_expected.insert(f.path, f.sha256);
    }

    Result<void> run(archive *a);

private:
    Result<void> writeFile(archive *a, const QString &rel);

    const Checked &m_checked;
    QString m_dir;
    const TwoPassProgress &m_progress;
    const std::atomic_bool *m_cancel;
    QHash<QString, QByteArray> m_expected;
    qint64 m_done = 0;
};

Error changed(const QString &what)
{
    return Error(Tr::tr("the bundle changed while it was opened: %1").arg(what),
                 Error::Kind::Malformed);
}

Result<void> Extractor::run(archive *a)
{
    for (;;) {
        archive_entry *e = nullptr;
        const int r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN)
            return changed(QString::fromUtf8(archive_error_string(a)));
        QString path = QString::fromUtf8(archive_entry_pathname_utf8(e));
        if (archive_entry_filetype(e) == AE_IFDIR)
            continue; // made as the files need them
        const QString prefix = m_checked.root + QLatin1Char('/');
        const QString rel = path.mid(prefix.size());
        if (!path.startsWith(prefix) || !pathProblem(rel, false).isEmpty() ||
            archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e) ||
            (!m_expected.contains(rel) && rel != kManifestName && rel != kSumsName))
            return changed(Tr::tr("entry %1 was not there").arg(path));
        if (auto ok = writeFile(a, rel); !ok)
            return ok;
    }
    return {};
}

Result<void> Extractor::writeFile(archive *a, const QString &rel)
{
    const QString target = m_dir + QLatin1Char('/') + m_checked.root + QLatin1Char('/') + rel;
    const QString parent = target.left(target.lastIndexOf(QLatin1Char('/')));
    if (!QDir().mkpath(parent))
        return Error(Tr::tr("cannot make %1").arg(parent), Error::Kind::Permission);
    QFile out(target);
    // NewOnly: never through a file or link that is already there.
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return Error(Tr::tr("cannot write %1: %2").arg(target, out.errorString()),
                     Error::Kind::Permission);
    out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    auto read = readEntryData(a, m_cancel, [&](QByteArrayView block) -> Result<void> {
        hash.addData(block);
        if (out.write(block.data(), block.size()) != block.size())
            return Error(Tr::tr("cannot write %1: %2").arg(target, out.errorString()));
        m_done += block.size();
        if (m_progress)
            m_progress(m_checked.totalBytes + m_done, 2 * m_checked.totalBytes);
        return {};
    });
    if (!read)
        return read.error().kind == Error::Kind::Malformed ? changed(read.errorString())
                                                           : read.error();
    if (!out.flush())
        return Error(Tr::tr("cannot write %1: %2").arg(target, out.errorString()));
    if (m_expected.contains(rel) && hash.result().toHex() != m_expected.value(rel))
        return changed(Tr::tr("%1 no longer matches its SHA-256").arg(rel));
    return {};
}

} // namespace

Result<Opened> openBundle(const QString &file, const QString &parent, const Limits &limits,
                          const TwoPassProgress &progress, const std::atomic_bool *cancel)
{
    auto checked = checkBundleFile(
        file, limits, [&](qint64 done) { progress ? progress(done, -1) : void(); }, cancel);
    if (!checked)
        return checked.error();
    QTemporaryDir temp((parent.isEmpty() ? QDir::tempPath() : parent) +
                       QStringLiteral("/vigil-bundle-XXXXXX")); // mode 0700
    if (!temp.isValid())
        return Error(Tr::tr("cannot make a temporary directory: %1").arg(temp.errorString()),
                     Error::Kind::Permission);
    std::unique_ptr<archive, ArchiveReadFree> a(newBundleReader());
    if (archive_read_open_filename(a.get(), QFile::encodeName(file).constData(), 64 * 1024) !=
        ARCHIVE_OK)
        return Error(Tr::tr("%1: %2").arg(file, QString::fromUtf8(archive_error_string(a.get()))));
    Extractor extractor(*checked, temp.path(), progress, cancel);
    if (auto ok = extractor.run(a.get()); !ok)
        return Error(Tr::tr("%1: %2").arg(file, ok.errorString()), ok.error().kind);
    temp.setAutoRemove(false);
    Opened o;
    o.file = file;
    o.directory = temp.path();
    o.root = temp.path() + QLatin1Char('/') + checked->root;
    o.runRoot = o.root + QStringLiteral("/runs");
    o.manifest = checked->manifest;
    o.totalBytes = checked->totalBytes;
    if (progress)
        progress(2 * o.totalBytes, 2 * o.totalBytes);
    return o;
}

} // namespace vigil::bundle
