// SPDX-License-Identifier: GPL-3.0-or-later
// TensorBoard event files: vigil::tfevents::readRecords and parseEvent, and the
// same bytes through parseMetrics and MetricsAccumulator (in two pieces).

#include "fuzzcheck.h"
#include "models/metricsaccumulator.h"
#include "models/metricstable.h"
#include "models/tfevents.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    namespace tf = vigil::tfevents;

    if (auto records = tf::readRecords(input)) {
        FUZZ_CHECK(records->end >= 0 && records->end <= input.size());
        FUZZ_CHECK(records->incomplete == (records->end < input.size()));
        qsizetype framed = 0;
        for (const QByteArray &record : std::as_const(records->records)) {
            framed += tf::kHeaderSize + record.size() + tf::kFooterSize;
            if (auto event = tf::parseEvent(record)) {
                for (const tf::Scalar &s : std::as_const(event->scalars))
                    FUZZ_CHECK(!s.tag.isEmpty());
            } else {
                FUZZ_CHECK(!event.errorString().isEmpty());
            }
        }
        FUZZ_CHECK(framed == records->end);
    } else {
        FUZZ_CHECK(records.errorString().startsWith(QLatin1String("record at byte ")));
    }
    // The input as a bare event too (the fuzzer reaches the protobuf faster).
    if (auto event = tf::parseEvent(input); !event)
        FUZZ_CHECK(!event.errorString().isEmpty());

    vigil::MetricRef ref;
    ref.file = QStringLiteral("events.out.tfevents.1.fuzz");
    const auto whole = vigil::parseMetrics(input, ref);
    vigil::MetricsAccumulator acc(ref);
    const qsizetype half = input.size() / 2;
    auto r = acc.append(QByteArrayView(input).first(half));
    if (r)
        r = acc.append(QByteArrayView(input).sliced(half));
    if (r)
        r = acc.finish();
    const auto pieces = acc.table();
    FUZZ_CHECK(whole.ok() == pieces.ok());
    if (whole) {
        FUZZ_CHECK(whole->series.size() == pieces->series.size());
        for (qsizetype i = 0; i < whole->series.size(); ++i) {
            FUZZ_CHECK(whole->series[i].points.size() == pieces->series[i].points.size());
            FUZZ_CHECK(whole->series[i].points.size() == whole->series[i].times.size());
        }
    } else {
        FUZZ_CHECK(whole.errorString() == pieces.errorString());
    }
    return 0;
}
