// SPDX-License-Identifier: GPL-3.0-or-later
// scontrol show job -o (the fallback without accounting): vigil::slurm::parseScontrolJobs.

#include "fuzzcheck.h"
#include "sites/slurmparse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    if (auto jobs = vigil::slurm::parseScontrolJobs(input)) {
        // Not checked: a row "JobId= JobState=..." yields an empty job id
        // (tests/fuzz/findings/scontrol/, reported in docs/fuzzing.md).
        for (const vigil::JobInfo &job : *jobs)
            (void)job.isActive();
    } else {
        FUZZ_CHECK(!jobs.errorString().isEmpty());
    }
    return 0;
}
