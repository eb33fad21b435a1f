// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Time stamps in the run directory are absolute UTC, ISO-8601 with second
// precision: "2025-03-01T14:05:09Z".

#include "protocol/result.h"

#include <chrono>
#include <string>
#include <string_view>

namespace vigil::protocol {

using TimePoint = std::chrono::sys_seconds;

TimePoint now();
std::string formatUtc(TimePoint t);

// Accepts "YYYY-MM-DDTHH:MM:SS" with optional fractional seconds (dropped) and a
// mandatory zone: "Z" or "+HH:MM" / "-HH:MM".
Result<TimePoint> parseUtc(std::string_view text);

// "30s", "10m", "2h", "1d" and sums of them ("1h30m"); a bare number is seconds.
Result<std::chrono::seconds> parseDuration(std::string_view text);

// A duration from `from`, or an absolute ISO-8601 time.
Result<TimePoint> parseDeadline(std::string_view text, TimePoint from);

} // namespace vigil::protocol
