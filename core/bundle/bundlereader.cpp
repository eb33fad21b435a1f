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
            m_expected.insert(f.path, f);
        m_expected.insert(kManifestName, checked.manifestFile);
        m_expected.insert(kSumsName, checked.sumsFile);
    }

    Result<void> run(archive *a);

private:
    Result<void> writeFile(archive *a, const BundleFile &expected);

    const Checked &m_checked;
    QString m_dir;
    const TwoPassProgress &m_progress;
    const std::atomic_bool *m_cancel;
    QHash<QString, BundleFile> m_expected; // taken out as written
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
        // Taken out once written: a second entry of the same path is refused.
        const auto expected = m_expected.constFind(rel);
        if (!path.startsWith(prefix) || !pathProblem(rel, false).isEmpty() ||
            archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e) ||
            expected == m_expected.cend())
            return changed(Tr::tr("entry %1 was not there").arg(path));
        const BundleFile file = *expected;
        m_expected.erase(expected);
        if (auto ok = writeFile(a, file); !ok)
            return ok;
    }
    if (!m_expected.isEmpty()) {
        QStringList missing = m_expected.keys();
        missing.sort();
        return changed(Tr::tr("%1 is no longer there").arg(missing.first()));
    }
    return {};
}

Result<void> Extractor::writeFile(archive *a, const BundleFile &expected)
{
    const QString &rel = expected.path;
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
    qint64 size = 0;
    auto read = readEntryData(a, m_cancel, [&](QByteArrayView block) -> Result<void> {
        size += block.size();
        if (size > expected.size) // refused before a byte more is written
            return Error(QString(), Error::Kind::TooLarge);
        hash.addData(block);
        if (out.write(block.data(), block.size()) != block.size())
            return Error(Tr::tr("cannot write %1: %2").arg(target, out.errorString()));
        m_done += block.size();
        if (m_progress)
            m_progress(m_checked.totalBytes + m_done, 2 * m_checked.totalBytes);
        return {};
    });
    if (size > expected.size)
        return changed(Tr::tr("%1 has more than the %2 bytes it had").arg(rel).arg(expected.size));
    if (!read)
        return read.error().kind == Error::Kind::Malformed ? changed(read.errorString())
                                                           : read.error();
    if (!out.flush())
        return Error(Tr::tr("cannot write %1: %2").arg(target, out.errorString()));
    if (size != expected.size || hash.result().toHex() != expected.sha256)
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
    // On an error `temp` is removed with everything written in it.
    if (auto ok = extractArchive(a.get(), *checked, temp.path(), progress, cancel); !ok)
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

Result<void> extractArchive(archive *a, const Checked &checked, const QString &directory,
                            const TwoPassProgress &progress, const std::atomic_bool *cancel)
{
    Extractor extractor(checked, directory, progress, cancel);
    return extractor.run(a);
}

} // namespace vigil::bundle
