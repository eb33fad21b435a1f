// SPDX-License-Identifier: GPL-3.0-or-later
// checkpoints/<id>/request.json: parseRequest, its writer, and the accessors
// the helper and the desktop call on a parsed request.

#include "protocol/request.h"
#include "roundtrip.h"

using namespace vigil::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto input = vigil::fuzz::text(data, size);
    vigil::fuzz::roundTrip(
        input, [](std::string_view t) { return parseRequest(t); },
        [](const Request &r) { return serializeRequest(r); });

    auto request = parseRequest(input);
    if (!request)
        return 0;
    const Request &r = *request;
    // A valid request has exactly one default option, and its timeout option exists.
    FUZZ_CHECK(r.options.empty() || r.findOption(r.defaultOption().name) != nullptr);
    FUZZ_CHECK(r.options.empty() || r.findOption(r.timeoutOption()) != nullptr);
    FUZZ_CHECK(!r.allowedUids().empty());
    FUZZ_CHECK(sameQuestion(r, r));
    for (const Param &p : r.params) {
        FUZZ_CHECK(r.findParam(p.name) != nullptr);
        // Every declared default passes its own declaration.
        FUZZ_CHECK(checkParamValue(p, p.defaultValue, p.name).ok());
    }
    return 0;
}
