// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <utility>

namespace vigil {

// The evidence a decider saw: SHA-256 over each metric file of the
// checkpoint, in the request's order, as its path, a NUL byte and its bytes.
// Recorded with the decision (decision.json's evidence_sha256), so anyone can
// check later what the decision was based on. Lower-case hex (no files: the
// hash of nothing).
QString evidenceSha256(const QList<std::pair<QString, QByteArray>> &files);

// How many bytes of each file the hash covers, in the same order, as a JSON
// array ("[120,40]"): decision.json's evidence_bytes, with which the job
// checks the hash against its files (which keep growing after the decision).
QString evidenceBytes(const QList<std::pair<QString, QByteArray>> &files);

// The most of one metric file read for a decision's evidence.
inline constexpr qint64 kMaxEvidenceBytes = qint64(64) * 1024 * 1024;

} // namespace vigil
