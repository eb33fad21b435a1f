// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A review bundle: one run exported for the record or an offline reviewer
// (docs/bundles.md). Every entry lives under one root directory,
// "vigil-bundle-<run>/":
//
//   manifest.json        this manifest (format, run, site, every file)
//   SHA256SUMS           the same checksums, as `sha256sum -c` reads them
//   runs/<run>/...       the run directory's files (logs as tails)
//   store/audit.jsonl    the local store's audit log of the run
//   store/decisions.jsonl  the outbox's records of the run's decisions
//   store/jobs.json      the run's jobs and their state history
//
// Building and parsing are pure functions (QtCore only).

#include "result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

namespace vigil::bundle {

// The context of the bundle code's messages for translators: Tr::tr("...").
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(vigil::bundle)
};

inline constexpr int kFormatVersion = 1;
inline constexpr QLatin1String kFormatName{"vigil-bundle"};
inline constexpr QLatin1String kManifestName{"manifest.json"};
inline constexpr QLatin1String kSumsName{"SHA256SUMS"};

// "vigil-bundle-<runId>"
QString rootName(const QString &runId);
// "runs/<runId>": where the run directory's files are inside the root.
QString runPrefix(const QString &runId);

struct BundleFile
{
    QString path; // relative to the root, '/'-separated
    qint64 size = 0;
    QByteArray sha256; // 64 lower-case hex digits
    // A log tail: the file had this many bytes, the bundle holds its last
    // `size`. -1: the whole file.
    qint64 truncatedFrom = -1;
};

// A file of the run that the bundle leaves out, and why ("symbolic link",
// "over the size cap of 16 MiB").
struct OmittedFile
{
    QString path;
    qint64 size = 0;
    QString reason;
};

struct Manifest
{
    QDateTime created;
    QString createdBy; // the local user who exported it
    QString site;
    QString runId;
    QList<BundleFile> files; // every entry but manifest.json and SHA256SUMS
    QList<OmittedFile> omitted;
};

// The manifest as JSON (indented, one key order).
QByteArray manifestJson(const Manifest &manifest);
// Reads a manifest; the error says which field is wrong ("manifest.json:
// files[3].sha256 is not 64 hex digits").
Result<Manifest> parseManifest(const QByteArray &json);

// "HASH  PATH\n" per file, as sha256sum writes them.
QByteArray sha256Sums(const QList<BundleFile> &files);

} // namespace vigil::bundle
