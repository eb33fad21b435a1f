// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/evidence.h"

#include "protocol/text.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::protocol {

namespace {

constexpr std::array<std::uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

constexpr std::uint32_t rotr(std::uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

constexpr std::size_t kChunk = 64 * 1024;

// Hashes the path, a NUL and the first `count` bytes of the metric file
// `rel` of `run`. An error says what is wrong with the file (not why it
// matters).
Result<void> hashPrefix(const Dir &run, const std::string &rel, std::int64_t count, Sha256 &hash)
{
    std::string leaf = rel;
    std::optional<Dir> sub;
    const Dir *parent = &run;
    if (const auto slash = rel.rfind('/'); slash != std::string::npos) {
        auto opened = run.openSub(rel.substr(0, slash));
        if (!opened)
            return std::move(opened).error();
        sub.emplace(std::move(*opened));
        parent = &*sub;
        leaf = rel.substr(slash + 1);
    }
    Fd fd(::openat(parent->fd(), leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (!fd.valid()) {
        if (errno == ELOOP)
            return Error(run.displayOf(rel) + ": is a symbolic link: refused");
        if (errno == ENOENT)
            return Error(run.displayOf(rel) + ": no such file", Error::Kind::NotFound);
        return Error(run.displayOf(rel) + ": " + errnoText(errno));
    }
    struct stat st
    {
    };
    if (::fstat(fd.get(), &st) != 0)
        return Error(run.displayOf(rel) + ": " + errnoText(errno));
    if (!S_ISREG(st.st_mode))
        return Error(run.displayOf(rel) + ": not a regular file: refused");
    hash.add(rel);
    hash.add(std::string_view("\0", 1));
    std::string buf(kChunk, '\0');
    std::int64_t left = count;
    while (left > 0) {
        const auto want = static_cast<std::size_t>(std::min<std::int64_t>(left, kChunk));
        const ssize_t got = ::read(fd.get(), buf.data(), want);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return Error(run.displayOf(rel) + ": " + errnoText(errno));
        }
        if (got == 0)
            return Error(run.displayOf(rel) + ": is now " + std::to_string(count - left) +
                         " bytes long, shorter than the " + std::to_string(count) +
                         " bytes the decider saw");
        hash.add(std::string_view(buf.data(), static_cast<std::size_t>(got)));
        left -= got;
    }
    return {};
}

} // namespace

Sha256::Sha256()
    : m_h{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}
{}

void Sha256::block(const unsigned char *p)
{
    std::array<std::uint32_t, 64> w{};
    for (int i = 0; i < 16; ++i)
        w[i] = std::uint32_t(p[4 * i]) << 24 | std::uint32_t(p[4 * i + 1]) << 16 |
               std::uint32_t(p[4 * i + 2]) << 8 | std::uint32_t(p[4 * i + 3]);
    for (int i = 16; i < 64; ++i) {
        const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = m_h[0], b = m_h[1], c = m_h[2], d = m_h[3];
    std::uint32_t e = m_h[4], f = m_h[5], g = m_h[6], h = m_h[7];
    for (int i = 0; i < 64; ++i) {
        const std::uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        const std::uint32_t ch = (e & f) ^ (~e & g);
        const std::uint32_t t1 = h + s1 + ch + kRound[i] + w[i];
        const std::uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        const std::uint32_t t2 = s0 + maj;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    m_h[0] += a;
    m_h[1] += b;
    m_h[2] += c;
    m_h[3] += d;
    m_h[4] += e;
    m_h[5] += f;
    m_h[6] += g;
    m_h[7] += h;
}

void Sha256::add(std::string_view data)
{
    m_length += data.size();
    const auto *p = reinterpret_cast<const unsigned char *>(data.data());
    std::size_t n = data.size();
    while (n > 0) {
        const std::size_t take = std::min(n, m_buf.size() - m_used);
        std::copy(p, p + take, m_buf.begin() + static_cast<std::ptrdiff_t>(m_used));
        m_used += take;
        p += take;
        n -= take;
        if (m_used == m_buf.size()) {
            block(m_buf.data());
            m_used = 0;
        }
    }
}

std::string Sha256::hexDigest()
{
    const std::uint64_t bits = m_length * 8;
    const unsigned char one = 0x80;
    add(std::string_view(reinterpret_cast<const char *>(&one), 1));
    const unsigned char zero = 0;
    while (m_used != 56)
        add(std::string_view(reinterpret_cast<const char *>(&zero), 1));
    for (int i = 7; i >= 0; --i) {
        const auto byte = static_cast<unsigned char>(bits >> (8 * i));
        add(std::string_view(reinterpret_cast<const char *>(&byte), 1));
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const std::uint32_t word : m_h) {
        for (int shift = 28; shift >= 0; shift -= 4)
            out += kHex[(word >> shift) & 0xf];
    }
    return out;
}

Result<void> verifyEvidence(const Dir &run, const Request &request, const Decision &decision,
                            std::string_view file)
{
    if (!decision.evidenceBytes || decision.evidenceSha256.empty())
        return {};
    const std::vector<std::int64_t> &counts = *decision.evidenceBytes;
    const std::string f(file);
    const std::string cp = "checkpoint " + quote(request.id);
    if (counts.size() != request.metrics.size())
        return Error(f + ": field \"evidence_bytes\": has " + std::to_string(counts.size()) +
                         " byte counts, but " + cp + " has " +
                         std::to_string(request.metrics.size()) + " metric files",
                     Error::Kind::Refused);
    Sha256 hash;
    std::string files;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const std::string &rel = request.metrics[i].file;
        if (auto r = hashPrefix(run, rel, counts[i], hash); !r)
            return Error(f + ": tampered evidence: the metrics the decider saw for " + cp +
                             " cannot be checked: " + r.error().message,
                         Error::Kind::Refused);
        files +=
            (files.empty() ? "" : ", ") + rel + " (first " + std::to_string(counts[i]) + " bytes)";
    }
    if (hash.hexDigest() != decision.evidenceSha256)
        return Error(f + ": tampered evidence: evidence_sha256 does not match the metrics of " +
                         cp + " as they are now: " +
                         (counts.size() == 1 ? "the bytes of " : "the bytes of one of ") +
                         (files.empty() ? std::string("(no metric files)") : files) +
                         " differ from what the decider saw",
                     Error::Kind::Refused);
    return {};
}

} // namespace vigil::protocol
