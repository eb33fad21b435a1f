// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's files in a run directory, which any account that can write
// there could change: engine/record.json (engine::parseRunRecord),
// engine/state.json (parseRunSummary) and revisions/NNNN.json
// (parseRevisionInfo). The same bytes go to all three.
//
// Oracle: an error names the file; what is accepted is written back
// (serializeRunRecord, serializeRunSummary, serializeRevisionInfo) as bytes
// that parse again to the same value (every field) and are written
// identically again.
// (engine.lease's parseLease lives beside the Lease QObject and is not built
// here; tasks/T/submission.json is read by the scan: fuzz_scan.)

#include "engine/revision.h"
#include "engine/runrecordio.h"
#include "fuzzcheck.h"

namespace {

namespace engine = vigil::engine;

void checkError(const QString &message, const QString &file)
{
    FUZZ_CHECK(message.startsWith(file));
    FUZZ_CHECK(message.size() > file.size());
}

// RunRecord has no operator==: every field, compared here.
bool sameRecord(const engine::RunRecord &a, const engine::RunRecord &b)
{
    if (a.cancelRequested != b.cancelRequested || a.finished != b.finished ||
        a.revision != b.revision || a.refusedRevisions != b.refusedRevisions ||
        a.tasks.keys() != b.tasks.keys())
        return false;
    for (auto it = a.tasks.cbegin(); it != a.tasks.cend(); ++it) {
        const engine::TaskRecord &s = it.value();
        const engine::TaskRecord &t = b.tasks.value(it.key());
        // skipped_at means something only with a skip_reason: alone, it is not written back.
        if (s.skipReason != t.skipReason ||
            (!s.skipReason.isEmpty() && s.skippedAt != t.skippedAt) ||
            s.movedInputs != t.movedInputs || s.attempts.size() != t.attempts.size())
            return false;
        for (qsizetype i = 0; i < s.attempts.size(); ++i) {
            const engine::AttemptRecord &x = s.attempts[i];
            const engine::AttemptRecord &y = t.attempts[i];
            if (x.attempt != y.attempt || x.site != y.site || x.jobId != y.jobId ||
                x.submittedAt != y.submittedAt || x.reason != y.reason)
                return false;
        }
    }
    return true;
}

void checkRecord(const QByteArray &input)
{
    const QString file = QStringLiteral("engine/record.json");
    const auto record = engine::parseRunRecord(input, file);
    if (!record) {
        checkError(record.errorString(), file);
        return;
    }
    for (const engine::TaskRecord &t : record->tasks)
        for (qsizetype i = 1; i < t.attempts.size(); ++i)
            FUZZ_CHECK(t.attempts[i].attempt > t.attempts[i - 1].attempt);
    const QString runId = QStringLiteral("run-fuzz");
    const QByteArray written = engine::serializeRunRecord(runId, *record);
    const auto again = engine::parseRunRecord(written, file);
    if (!again)
        std::fprintf(stderr, "re-reading the record failed: %s\n%s\n",
                     qPrintable(again.errorString()), written.constData());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(sameRecord(*again, *record));
    FUZZ_CHECK(engine::serializeRunRecord(runId, *again) == written);
}

void checkSummary(const QByteArray &input)
{
    const QString file = QStringLiteral("engine/state.json");
    const auto summary = engine::parseRunSummary(input, file);
    if (!summary) {
        checkError(summary.errorString(), file);
        return;
    }
    const QByteArray written = engine::serializeRunSummary(*summary);
    const auto again = engine::parseRunSummary(written, file);
    if (!again)
        std::fprintf(stderr, "re-reading the summary failed: %s\n%s\n",
                     qPrintable(again.errorString()), written.constData());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->runId == summary->runId && again->holder == summary->holder &&
               again->updatedAt == summary->updatedAt && again->finished == summary->finished);
    FUZZ_CHECK(again->tasks == summary->tasks);
    FUZZ_CHECK(engine::serializeRunSummary(*again) == written);
}

void checkRevision(const QByteArray &input)
{
    const QString file = QStringLiteral("revisions/0002.json");
    const auto info = engine::parseRevisionInfo(input, file);
    if (!info) {
        checkError(info.errorString(), file);
        return;
    }
    const QByteArray written = engine::serializeRevisionInfo(*info);
    const auto again = engine::parseRevisionInfo(written, file);
    if (!again)
        std::fprintf(stderr, "re-reading the revision failed: %s\n%s\n",
                     qPrintable(again.errorString()), written.constData());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(*again == *info);
    FUZZ_CHECK(engine::serializeRevisionInfo(*again) == written);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    checkRecord(input);
    checkSummary(input);
    checkRevision(input);
    return 0;
}
