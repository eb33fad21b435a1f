// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Writes a review bundle with libarchive: .tar.zst (pax, zstd) or .zip.
// Synchronous: the exporter (bundleexport.h) calls it on a worker thread,
// one call at a time. Every entry goes under "vigil-bundle-<run>/"; the file
// is written as a temporary file beside `target` and renamed into place by
// finish(); destroying an unfinished writer removes the temporary file.

#include "bundlemanifest.h"

#include <memory>

struct archive;

namespace vigil::bundle {

enum class Format { TarZstd, Zip };

// ".tar.zst" or ".zip"
QString suffix(Format format);

class Writer
{
public:
    static Result<std::unique_ptr<Writer>> create(const QString &target, Format format,
                                                  const QString &runId);
    ~Writer();
    Writer(const Writer &) = delete;
    Writer &operator=(const Writer &) = delete;

    // Adds root/rel with `data`; hashes it for the manifest.
    Result<void> addFile(const QString &rel, const QByteArray &data, qint64 mtime,
                         qint64 truncatedFrom = -1);
    // Writes manifest.json (with the files added) and SHA256SUMS, closes the
    // archive and renames it to the target. Returns the manifest written.
    Result<Manifest> finish(Manifest manifest);

    QString temporaryPath() const { return m_temp; }

private:
    Writer() = default;
    Result<void> addEntry(const QString &rel, const QByteArray &data, qint64 mtime);
    void abandon();

    archive *m_archive = nullptr;
    QString m_target;
    QString m_temp;
    QString m_root;
    QList<BundleFile> m_files;
    bool m_done = false;
};

} // namespace vigil::bundle
