// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metricstable.h"
#include "result.h"
#include "runs/runinfo.h"

#include <QByteArrayView>
#include <memory>

namespace vigil {

// Reads a metrics file as it grows: feed it the bytes appended since the last
// call (FileTail, Supervisor::followRunFile) and ask for the table at any time.
// CSV/TSV and JSON lines: complete lines only, a partial last line is kept for
// the next call. TensorBoard event files: complete records only. The format is
// decided from the name and the first bytes (see parseMetrics).
//
// After an error (a broken record, a malformed JSON line) every call returns
// that error: the file is not read past it.
class MetricsAccumulator
{
public:
    enum class Format { Unknown, Delimited, JsonLines, TfEvents };

    explicit MetricsAccumulator(MetricRef ref);
    ~MetricsAccumulator();
    MetricsAccumulator(MetricsAccumulator &&) noexcept;
    MetricsAccumulator &operator=(MetricsAccumulator &&) noexcept;

    // Parses what `newBytes` completes.
    Result<void> append(QByteArrayView newBytes);
    // The file is whole: a last line without a newline is read too (a JSON
    // line that does not parse is taken as cut short and skipped). A partial
    // event record at the end is left out, not an error.
    Result<void> finish();
    // The series so far, as parseMetrics gives them.
    [[nodiscard]] Result<MetricTable> table() const;

    Format format() const;
    // Bytes read so far (the rest waits for more).
    qint64 consumed() const;

private:
    struct State;
    std::unique_ptr<State> d;
};

} // namespace vigil
