// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON of `vigil-job scan ROOT`, read by the desktop: vigil::parseScan.

#include "fuzzcheck.h"
#include "runs/runinfo.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    if (auto runs = vigil::parseScan(input, QStringLiteral("fuzz"))) {
        for (const vigil::RunInfo &run : *runs) {
            for (const vigil::CheckpointInfo &c : run.checkpoints) {
                (void)c.defaultOption();
                (void)vigil::checkpointStatusName(c.status);
            }
        }
    } else {
        FUZZ_CHECK(!runs.errorString().isEmpty());
    }
    return 0;
}
