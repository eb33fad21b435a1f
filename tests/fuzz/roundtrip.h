// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The oracle of the protocol targets: whatever a parser accepts, its writer
// writes back in a form the parser accepts again, with the same value. An error
// always says what was wrong.

#include "fuzzcheck.h"

#include <string_view>

namespace vigil::fuzz {

template <typename Parse, typename Serialize>
void roundTrip(std::string_view input, Parse parse, Serialize serialize)
{
    auto first = parse(input);
    if (!first) {
        FUZZ_CHECK(!first.error().message.empty());
        return;
    }
    const auto written = serialize(*first);
    auto second = parse(written);
    if (!second)
        std::fprintf(stderr, "re-reading what was written failed: %s\n%s\n",
                     second.error().message.c_str(), written.c_str());
    FUZZ_CHECK(second.ok());
    FUZZ_CHECK(*second == *first);
    FUZZ_CHECK(serialize(*second) == written);
}

} // namespace vigil::fuzz
