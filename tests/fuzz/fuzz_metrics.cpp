// SPDX-License-Identifier: GPL-3.0-or-later
// The text metric readers: CSV/TSV (PyTorch Lightning's metrics.csv, vigil-job
// and vigil_job.py's metrics/NAME.csv) and JSON lines, through parseMetrics and
// MetricsAccumulator. fuzz_tfevents covers the TensorBoard branch.
//
// Input: 4 bytes of settings, then the file.
//   byte 0: bits 0-2 the file name (decides CSV or JSON lines, or leaves it to
//           the content), bits 3-4 the x column, bits 5-7 the columns asked for;
//   bytes 1-2: where the file is cut in two (little endian, modulo its size + 1);
//   byte 3: the size of the pieces the second part is fed in (0: one piece).
// Oracle: the file parsed whole equals the same bytes fed in pieces (same
// series, points, times, or the same error); an error names the file; a table
// has the columns asked for, finite x, and times only with a time column.

#include "fuzzcheck.h"
#include "models/metricsaccumulator.h"
#include "models/metricstable.h"

#include <cmath>

namespace {

using vigil::MetricTable;

bool same(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool sameTable(const MetricTable &a, const MetricTable &b)
{
    if (a.file != b.file || a.xName != b.xName || a.timeName != b.timeName ||
        a.series.size() != b.series.size())
        return false;
    for (qsizetype i = 0; i < a.series.size(); ++i) {
        const vigil::MetricSeries &s = a.series[i];
        const vigil::MetricSeries &t = b.series[i];
        if (s.name != t.name || s.points.size() != t.points.size() ||
            s.times.size() != t.times.size())
            return false;
        for (qsizetype j = 0; j < s.points.size(); ++j)
            if (!same(s.points[j].x(), t.points[j].x()) || !same(s.points[j].y(), t.points[j].y()))
                return false;
        for (qsizetype j = 0; j < s.times.size(); ++j)
            if (!same(s.times[j], t.times[j]))
                return false;
    }
    return true;
}

vigil::MetricRef refFrom(std::uint8_t settings)
{
    static const char *const kFiles[] = {
        "metrics/metrics.csv",
        "metrics.tsv",
        "logs/train.jsonl",
        "out.ndjson",
        "metrics.log",
        "TRAIN.JSONL",
        "lightning_logs/version_0/metrics.csv",
        "metrics/loss",
    };
    static const char *const kX[] = {"", "step", "epoch", "time"};
    static const QStringList kColumns[] = {
        {},
        {QStringLiteral("loss")},
        {QStringLiteral("val_loss"), QStringLiteral("train_loss")},
        {QStringLiteral("acc")},
        {QStringLiteral("step")},
        {QStringLiteral("time")},
        {QStringLiteral("loss"), QStringLiteral("loss")},
        {QStringLiteral("val_acc"), QStringLiteral("lr")},
    };
    vigil::MetricRef ref;
    ref.file = QString::fromLatin1(kFiles[settings & 7]);
    ref.x = QString::fromLatin1(kX[(settings >> 3) & 3]);
    ref.columns = kColumns[settings >> 5];
    return ref;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 4)
        return 0;
    const vigil::MetricRef ref = refFrom(data[0]);
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data + 4),
                                                     static_cast<qsizetype>(size - 4));
    const qsizetype cut = (data[1] | (data[2] << 8)) % (input.size() + 1);
    // Pieces of at least 1/256 of the rest: at most about 256 calls.
    const qsizetype step =
        data[3] == 0 ? input.size() : std::max<qsizetype>(data[3], input.size() / 256 + 1);

    const auto whole = vigil::parseMetrics(input, ref);

    vigil::MetricsAccumulator acc(ref);
    const QByteArrayView view(input);
    auto r = acc.append(view.first(cut));
    for (qsizetype at = cut; r && at < input.size(); at += step)
        r = acc.append(view.sliced(at, std::min(step, input.size() - at)));
    if (r)
        r = acc.finish();
    const auto pieces = acc.table();

    if (!whole.ok() || !pieces.ok()) {
        if (whole.ok() != pieces.ok())
            std::fprintf(stderr, "whole: %s\npieces: %s\n",
                         qPrintable(whole.ok() ? QStringLiteral("ok") : whole.errorString()),
                         qPrintable(pieces.ok() ? QStringLiteral("ok") : pieces.errorString()));
        FUZZ_CHECK(whole.ok() == pieces.ok());
        FUZZ_CHECK(whole.errorString() == pieces.errorString());
        // The error says where: the file's name comes first.
        FUZZ_CHECK(whole.errorString().startsWith(ref.file));
        return 0;
    }
    FUZZ_CHECK(r.ok());
    FUZZ_CHECK(sameTable(*whole, *pieces));

    const MetricTable &table = *whole;
    if (acc.format() != vigil::MetricsAccumulator::Format::TfEvents) {
        // Text formats read every byte once the file is whole.
        FUZZ_CHECK(acc.consumed() == input.size());
        FUZZ_CHECK(table.xName == ref.x);
        FUZZ_CHECK(table.timeName.isEmpty() || table.timeName != ref.x);
        for (const vigil::MetricSeries &s : table.series) {
            FUZZ_CHECK(s.times.size() == (table.timeName.isEmpty() ? 0 : s.points.size()));
            for (qsizetype j = 0; j < s.points.size(); ++j) {
                FUZZ_CHECK(std::isfinite(s.points[j].x()));
                // Without an x column, x is the row number: it never goes back.
                if (ref.x.isEmpty() && j > 0)
                    FUZZ_CHECK(s.points[j].x() > s.points[j - 1].x());
            }
        }
    }
    if (!ref.columns.isEmpty()) {
        FUZZ_CHECK(table.series.size() == ref.columns.size());
        for (qsizetype i = 0; i < ref.columns.size(); ++i)
            FUZZ_CHECK(table.series[i].name == ref.columns[i]);
    }
    return 0;
}
