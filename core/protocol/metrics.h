// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// metrics/<name>.csv rows appended by `vigil-job log-metrics` (and
// vigil_job.log_metrics, byte for byte). The first row creates the file with
// its header (no-clobber, so the header and the first row appear together);
// later rows are appended with one write(2) of a whole line on an O_APPEND
// descriptor, so a reader tailing the file never sees half a row. The header
// never changes: a key that is not a column is refused (a reader that has
// parsed the header keeps a valid view of every later row).

#include "protocol/result.h"
#include "protocol/rundir.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::protocol {

inline constexpr std::size_t kMaxMetricLineBytes = 4000;
inline constexpr std::size_t kMaxMetricColumns = 64;
inline constexpr std::string_view kDefaultMetricsFile = "metrics/metrics.csv";
inline constexpr std::string_view kStepColumn = "step";

// -?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)? and finite as a double.
bool isMetricNumber(std::string_view text);

// "metrics/<id>.csv" (the id without ".csv" is checked; the name must end in ".csv").
Result<void> validateMetricsFile(std::string_view rel);

// KEY=VALUE: KEY an id, VALUE a metric number.
Result<std::pair<std::string, std::string>> parseMetricArg(std::string_view arg);

struct MetricsRow
{
    std::vector<std::string> header; // the file's columns
    std::string line;                // what was appended, with its '\n'
    bool created = false;            // this call created the file (header + row)
};

// Appends one row of `values` (and `step` in the "step" column) to `rel`.
// A new file gets the header: "step" (when given) then the keys in order.
// An existing file keeps its header: its columns missing from `values` are
// left empty; a key (or --step) that is not a column is refused, naming it.
Result<MetricsRow> appendMetricsRow(const RunDir &run, std::string_view rel,
                                    const std::vector<std::pair<std::string, std::string>> &values,
                                    std::optional<std::int64_t> step);

} // namespace vigil::protocol
