// SPDX-License-Identifier: GPL-3.0-or-later
// The review bundle reader's checks (core/bundle/bundlecheck.h) on any bytes:
// tar (plain, gzip, zstd...) or zip as libarchive reads them. Whatever is
// accepted keeps the promises the extraction relies on: one root named after
// the manifest's run, every listed path relative and clean, the totals within
// the limits; and its manifest is written back and read again unchanged.

#include "bundle/bundlecheck.h"
#include "fuzzcheck.h"

using namespace vigil::bundle;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    Limits limits;
    limits.maxEntries = 1000;
    limits.maxFileBytes = qint64(1) << 20;
    limits.maxTotalBytes = qint64(4) << 20;
    const auto checked = checkBundleBytes(
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)), limits);
    if (!checked) {
        FUZZ_CHECK(!checked.errorString().isEmpty());
        return 0;
    }
    FUZZ_CHECK(checked->root == rootName(checked->manifest.runId));
    FUZZ_CHECK(checked->totalBytes <= limits.maxTotalBytes);
    for (const BundleFile &f : checked->manifest.files) {
        FUZZ_CHECK(pathProblem(f.path, false).isEmpty());
        FUZZ_CHECK(f.size <= limits.maxFileBytes);
    }
    const auto again = parseManifest(manifestJson(checked->manifest));
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->files.size() == checked->manifest.files.size());
    FUZZ_CHECK(sha256Sums(again->files) == sha256Sums(checked->manifest.files));
    return 0;
}
