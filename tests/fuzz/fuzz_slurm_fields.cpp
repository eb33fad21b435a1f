// SPDX-License-Identifier: GPL-3.0-or-later
// The small SLURM parsers: durations, exit codes, sbatch --parsable, job comments.

#include "fuzzcheck.h"
#include "sites/slurmparse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QString text = QString::fromUtf8(input);
    if (auto seconds = vigil::slurm::parseDuration(text))
        FUZZ_CHECK(*seconds >= -1);
    // The sign is not checked: "-3:0" gives -3 (tests/fuzz/findings/slurm_fields/,
    // reported in docs/fuzzing.md). Signed overflow is caught by UBSan.
    (void)vigil::slurm::parseExitCode(text);
    if (auto id = vigil::slurm::parseSbatch(input))
        FUZZ_CHECK(!id->isEmpty());
    QString runId;
    QString task;
    if (vigil::slurm::parseJobComment(text, &runId, &task)) {
        // What is accepted is what jobComment() writes.
        FUZZ_CHECK(vigil::slurm::jobComment(runId, task) == text);
    }
    return 0;
}
