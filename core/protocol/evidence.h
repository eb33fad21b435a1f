// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The evidence of a decision, checked on the job's side: decision.json's
// evidence_sha256 is SHA-256 over each metric file of the request, in its
// order, as the file's path, a NUL byte and its first evidence_bytes[i]
// bytes (core/runs/evidence.h makes it on the desktop). The files keep
// growing after the decision; their first bytes must not change.

#include "protocol/decision.h"
#include "protocol/fileio.h"
#include "protocol/request.h"
#include "protocol/result.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::protocol {

// SHA-256 (FIPS 180-4), for the helper that links no crypto library.
class Sha256
{
public:
    Sha256();
    void add(std::string_view data);
    // The digest as 64 lower-case hex digits. Call once.
    std::string hexDigest();

private:
    void block(const unsigned char *p);

    std::array<std::uint32_t, 8> m_h{};
    std::array<unsigned char, 64> m_buf{};
    std::size_t m_used = 0;
    std::uint64_t m_length = 0; // bytes
};

// Recomputes decision.evidenceSha256 over the first evidenceBytes[i] bytes of
// each metric file of `request` in `run` (paths relative to it; no link is
// followed, only regular files are read). Nothing to check (no byte counts,
// or no hash): success. A file missing, shorter than its count, unreadable,
// or bytes that hash otherwise: Error::Kind::Refused naming `file`, the
// checkpoint and the metric files.
Result<void> verifyEvidence(const Dir &run, const Request &request, const Decision &decision,
                            std::string_view file = "decision.json");

} // namespace vigil::protocol
