// SPDX-License-Identifier: GPL-3.0-or-later
// The small parsers of the protocol: ISO-8601 times, durations and deadlines
// (vigil-job --deadline), ids, relative paths and user names.

#include "fuzzcheck.h"
#include "protocol/ids.h"
#include "protocol/timeutil.h"

using namespace vigil::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto input = vigil::fuzz::text(data, size);

    if (auto t = parseUtc(input)) {
        // What is accepted is written back in the canonical form, which reads the same.
        const std::string canonical = formatUtc(*t);
        auto again = parseUtc(canonical);
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(*again == *t);
    }
    if (auto d = parseDuration(input))
        FUZZ_CHECK(d->count() >= 0);

    const TimePoint from{std::chrono::seconds{1'764'000'000}};
    if (auto deadline = parseDeadline(input, from))
        (void)formatUtc(*deadline);

    if (validateId(input).ok()) {
        FUZZ_CHECK(!input.empty() && input.size() <= 64);
        FUZZ_CHECK(input != "." && input != "..");
        FUZZ_CHECK(input.find('/') == std::string_view::npos);
    }
    if (validateRelativePath(input).ok()) {
        FUZZ_CHECK(!input.empty() && input.front() != '/');
        FUZZ_CHECK(input.find('\0') == std::string_view::npos);
    }
    (void)validateUserName(input);
    return 0;
}
