// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The reader's validation of a review bundle, before anything is extracted:
// every entry of the archive is read (its bytes hashed, never written), and
// the bundle is refused with an error that names the entry and why unless
//   - every path is relative, '/'-separated, under the one root directory
//     "vigil-bundle-<run>/", with no "..", "." or empty component, no
//     backslash and no control character;
//   - every entry is a regular file or a directory (no symbolic or hard
//     link, device, fifo or socket);
//   - no path comes twice, and no file is also a directory;
//   - the entry count, each file's size and the total stay within limits
//     (counted on the bytes read, not on what the headers claim);
//   - manifest.json is there and valid, names this root's run, and lists
//     every other file (SHA256SUMS aside) with its size and SHA-256;
//   - SHA256SUMS says the same as the manifest.
// checkBundleBytes() is a pure function of the bytes (libFuzzer target
// tests/fuzz/fuzz_bundle.cpp). QtCore and libarchive only.

#include "bundlemanifest.h"

#include <atomic>
#include <functional>

struct archive;

namespace vigil::bundle {

struct Limits
{
    int maxEntries = 100000;
    qint64 maxFileBytes = qint64(4) << 30;   // 4 GiB
    qint64 maxTotalBytes = qint64(16) << 30; // 16 GiB
};

// Progress of a long read: bytes of entry data read so far.
using Progress = std::function<void(qint64 bytesRead)>;

struct Checked
{
    QString root; // "vigil-bundle-<run>"
    Manifest manifest;
    qint64 totalBytes = 0; // of every file
    // manifest.json and SHA256SUMS as they were read: their size and SHA-256.
    BundleFile manifestFile;
    BundleFile sumsFile;
};

// A path of the archive as it is: "" when it is acceptable, else why not
// ("escapes the bundle root"...). `isDirectory`: a trailing '/' is allowed.
QString pathProblem(const QString &path, bool isDirectory);

// Reads the archive `a` (opened for reading) to its end. `cancel` set: ends
// with Error::Kind::Cancelled.
Result<Checked> checkArchive(archive *a, const Limits &limits, const Progress &progress = {},
                             const std::atomic_bool *cancel = nullptr);
// The same on an archive in memory (tar, tar.gz, tar.zst, zip).
Result<Checked> checkBundleBytes(const QByteArray &bytes, const Limits &limits = {});
// The same on a file.
Result<Checked> checkBundleFile(const QString &path, const Limits &limits = {},
                                const Progress &progress = {},
                                const std::atomic_bool *cancel = nullptr);

// Reads the data of the entry `a` is on, block by block, into `block`
// (whose error ends the read); `cancel` is looked at before each block. A
// read error: "cannot be read: WHY" (Error::Kind::Malformed).
Result<void> readEntryData(archive *a, const std::atomic_bool *cancel,
                           const std::function<Result<void>(QByteArrayView)> &block);

// A new libarchive reader for tar (plain, gzip, zstd, xz, bzip2) and zip,
// and its deleter.
archive *newBundleReader();
struct ArchiveReadFree
{
    void operator()(archive *a) const;
};

} // namespace vigil::bundle
