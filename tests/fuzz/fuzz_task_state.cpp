// SPDX-License-Identifier: GPL-3.0-or-later
// parseTaskState and serializeTaskState: whatever is accepted is written back and read again
// unchanged.

#include "protocol/run.h"
#include "roundtrip.h"

using namespace vigil::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    vigil::fuzz::roundTrip(
        vigil::fuzz::text(data, size), [](std::string_view t) { return parseTaskState(t); },
        [](const TaskState &v) { return serializeTaskState(v); });
    return 0;
}
