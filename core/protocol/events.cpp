// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/events.h"

#include "protocol/format.h"
#include "protocol/layout.h"
#include "protocol/text.h"

#include <unistd.h>

namespace vigil::protocol {

nlohmann::json makeEvent(std::string_view type, TimePoint at)
{
    return {{"type", std::string(type)}, {"time", formatUtc(at)}, {"uid", ::geteuid()}};
}

std::string eventLine(const nlohmann::json &event)
{
    nlohmann::json e = event;
    std::string line = dumpLine(e);
    // Shorten the longest string field until the line fits.
    for (int round = 0; line.size() + 1 > kMaxEventLineBytes && round < 32; ++round) {
        std::string *longest = nullptr;
        for (auto &[key, value] : e.items()) {
            if (key == "type" || key == "time" || !value.is_string())
                continue;
            auto &s = value.get_ref<std::string &>();
            if (longest == nullptr || s.size() > longest->size())
                longest = &s;
        }
        if (longest == nullptr || longest->size() < 16)
            break;
        *longest = truncateUtf8(*longest, longest->size() / 2);
        e["truncated"] = true;
        line = dumpLine(e);
    }
    if (line.size() + 1 > kMaxEventLineBytes) {
        nlohmann::json minimal = {{"type", event.value("type", "")},
                                  {"time", event.value("time", "")},
                                  {"truncated", true}};
        line = dumpLine(minimal);
    }
    line += '\n';
    return line;
}

Result<void> appendEvent(const Dir &run, const nlohmann::json &event, mode_t fileMode)
{
    return run.append(RunLayout::eventsFile(), eventLine(event), fileMode);
}

} // namespace vigil::protocol
