// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Opens a review bundle: checks every entry first (bundlecheck.h), then
// extracts it into a private temporary directory (mode 0700), checking each
// file's size and SHA-256 (manifest.json and SHA256SUMS too) against the
// first pass as it is written. Nothing is left behind on an error or a cancel. Synchronous: callers
// run it on a worker thread.

#include "bundlecheck.h"

namespace vigil::bundle {

struct Opened
{
    QString file;      // the bundle
    QString directory; // the private directory (remove it when done)
    QString root;      // directory/vigil-bundle-<run>
    QString runRoot;   // root/runs: the run directory is runRoot/<run>
    Manifest manifest;
    qint64 totalBytes = 0;
};

// progress(done, total): bytes checked then written, over twice the total
// (-1 while the first pass has not ended).
using TwoPassProgress = std::function<void(qint64 done, qint64 total)>;

// `parent`: where the private directory is made (QDir::tempPath() when empty).
// On any error the directory and all that was written in it are removed.
Result<Opened> openBundle(const QString &file, const QString &parent = QString(),
                          const Limits &limits = {}, const TwoPassProgress &progress = {},
                          const std::atomic_bool *cancel = nullptr);

// The second pass of openBundle(): writes the entries of `a` (opened for
// reading) under `directory`/`checked.root`, refusing ("the bundle changed
// while it was opened: ...") any entry that the first pass (`checked`) did
// not see, that comes twice, that grows past its size or whose SHA-256
// differs (manifest.json and SHA256SUMS included), and a listed file that is
// not there at the end. Leaves what it wrote on an error: the caller removes it.
Result<void> extractArchive(archive *a, const Checked &checked, const QString &directory,
                            const TwoPassProgress &progress = {},
                            const std::atomic_bool *cancel = nullptr);

} // namespace vigil::bundle
