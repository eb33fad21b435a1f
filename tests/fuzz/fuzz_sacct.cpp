// SPDX-License-Identifier: GPL-3.0-or-later
// sacct --parsable2 with the unit separator: vigil::slurm::parseSacct.

#include "fuzzcheck.h"
#include "sites/slurmparse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    if (auto jobs = vigil::slurm::parseSacct(input)) {
        for (const vigil::JobInfo &job : *jobs)
            FUZZ_CHECK(!job.jobId.isEmpty());
    } else {
        FUZZ_CHECK(!jobs.errorString().isEmpty());
    }
    return 0;
}
