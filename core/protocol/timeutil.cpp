// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/timeutil.h"

#include "protocol/text.h"

#include <cstdio>
#include <limits>

namespace vigil::protocol {

namespace {

bool readDigits(std::string_view text, std::size_t &pos, int count, int &out)
{
    if (pos + static_cast<std::size_t>(count) > text.size())
        return false;
    int v = 0;
    for (int i = 0; i < count; ++i) {
        const char c = text[pos + static_cast<std::size_t>(i)];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    pos += static_cast<std::size_t>(count);
    out = v;
    return true;
}

bool expect(std::string_view text, std::size_t &pos, char c)
{
    if (pos >= text.size() || text[pos] != c)
        return false;
    ++pos;
    return true;
}

Error badTime(std::string_view text, const char *why)
{
    return Error("invalid time " + quote(text) + ": " + why +
                     " (expected ISO-8601 UTC such as 2025-03-01T14:05:09Z)",
                 Error::Kind::Malformed);
}

} // namespace

TimePoint now()
{
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string formatUtc(TimePoint t)
{
    using namespace std::chrono;
    const sys_days day = floor<days>(t);
    const year_month_day ymd(day);
    const hh_mm_ss<seconds> hms(t - day);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

Result<TimePoint> parseUtc(std::string_view text)
{
    using namespace std::chrono;
    std::size_t pos = 0;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (!readDigits(text, pos, 4, y) || !expect(text, pos, '-') || !readDigits(text, pos, 2, mo) ||
        !expect(text, pos, '-') || !readDigits(text, pos, 2, d))
        return badTime(text, "bad date");
    if (!(expect(text, pos, 'T') || expect(text, pos, 't')) || !readDigits(text, pos, 2, h) ||
        !expect(text, pos, ':') || !readDigits(text, pos, 2, mi) || !expect(text, pos, ':') ||
        !readDigits(text, pos, 2, s))
        return badTime(text, "bad time of day");
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        const std::size_t first = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
            ++pos;
        if (pos == first)
            return badTime(text, "bad fraction of a second");
    }
    int offsetMinutes = 0;
    if (expect(text, pos, 'Z') || expect(text, pos, 'z')) {
        // UTC
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        int oh = 0, om = 0;
        if (!readDigits(text, pos, 2, oh) || !expect(text, pos, ':') ||
            !readDigits(text, pos, 2, om) || oh > 23 || om > 59)
            return badTime(text, "bad zone offset");
        offsetMinutes = sign * (oh * 60 + om);
    } else {
        return badTime(text, "no time zone (add Z for UTC)");
    }
    if (pos != text.size())
        return badTime(text, "trailing characters");
    const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)),
                             day(static_cast<unsigned>(d))};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 60)
        return badTime(text, "out of range");
    const TimePoint t = sys_days(ymd) + hours(h) + minutes(mi) + seconds(s);
    const TimePoint utc = t - minutes(offsetMinutes);
    // The zone offset may carry a time across year 0000 or 9999; such a time
    // could not be written back in four digits, so it is refused here.
    const int utcYear = int(year_month_day(floor<days>(utc)).year());
    if (utcYear < 0 || utcYear > 9999)
        return badTime(text, "out of range (years 0000-9999 in UTC)");
    return utc;
}

Result<std::chrono::seconds> parseDuration(std::string_view text)
{
    if (text.empty())
        return Error("invalid duration \"\": it is empty", Error::Kind::Malformed);
    long long total = 0;
    std::size_t pos = 0;
    constexpr long long kMax = 100LL * 365 * 86400;
    while (pos < text.size()) {
        long long n = 0;
        const std::size_t first = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            n = n * 10 + (text[pos] - '0');
            if (n > kMax)
                return Error("invalid duration " + quote(text) + ": too long",
                             Error::Kind::Malformed);
            ++pos;
        }
        if (pos == first)
            return Error("invalid duration " + quote(text) +
                             ": expected a number followed by s, m, h or d (e.g. 30s, 10m, 2h, 1d)",
                         Error::Kind::Malformed);
        long long unit = 1;
        if (pos < text.size()) {
            switch (text[pos]) {
            case 's':
                unit = 1;
                break;
            case 'm':
                unit = 60;
                break;
            case 'h':
                unit = 3600;
                break;
            case 'd':
                unit = 86400;
                break;
            default:
                return Error("invalid duration " + quote(text) + ": unknown unit " +
                                 quote(text.substr(pos, 1)) + " (use s, m, h or d)",
                             Error::Kind::Malformed);
            }
            ++pos;
        } else if (first != 0) {
            return Error("invalid duration " + quote(text) + ": the last number has no unit",
                         Error::Kind::Malformed);
        }
        total += n * unit;
        if (total > kMax)
            return Error("invalid duration " + quote(text) + ": too long", Error::Kind::Malformed);
    }
    return std::chrono::seconds(total);
}

Result<TimePoint> parseDeadline(std::string_view text, TimePoint from)
{
    // An absolute time has a date: "YYYY-".
    if (text.size() > 4 && text[4] == '-')
        return parseUtc(text);
    auto d = parseDuration(text);
    if (!d)
        return std::move(d).error();
    return from + *d;
}

} // namespace vigil::protocol
