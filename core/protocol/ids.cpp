// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/ids.h"

#include "protocol/text.h"

#include <cstdio>

namespace vigil::protocol {

namespace {

bool isIdChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

std::string describeChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    char buf[32];
    if (u > 0x20 && u < 0x7f)
        std::snprintf(buf, sizeof buf, "'%c' (0x%02x)", c, u);
    else
        std::snprintf(buf, sizeof buf, "byte 0x%02x", u);
    return buf;
}

Error invalid(std::string_view what, std::string_view value, const std::string &why)
{
    return Error("invalid " + std::string(what) + " " + quote(value) + ": " + why,
                 Error::Kind::Malformed);
}

} // namespace

Result<void> validateId(std::string_view value, std::string_view what)
{
    if (value.empty())
        return invalid(what, value, "it is empty");
    if (value.size() > kMaxIdLength)
        return invalid(what, value,
                       "it is " + std::to_string(value.size()) + " characters long (at most " +
                           std::to_string(kMaxIdLength) + ")");
    if (value.front() == '-')
        return invalid(what, value, "it must not start with '-'");
    // Dot-names are the temporaries' (".NAME.tmp-..."), and scans skip them.
    if (value.front() == '.')
        return invalid(what, value, "it must not start with '.'");
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (!isIdChar(value[i]))
            return invalid(what, value,
                           describeChar(value[i]) + " at position " + std::to_string(i) +
                               " is not allowed (use A-Z a-z 0-9 . _ -)");
    }
    return {};
}

bool isValidId(std::string_view value)
{
    return validateId(value).ok();
}

Result<void> validateRelativePath(std::string_view value, std::string_view what)
{
    if (value.empty())
        return invalid(what, value, "it is empty");
    if (value.size() > kMaxRelativePathLength)
        return invalid(what, value,
                       "it is longer than " + std::to_string(kMaxRelativePathLength) + " bytes");
    if (value.front() == '/')
        return invalid(what, value, "it must be relative to the run directory");
    std::size_t start = 0;
    while (start <= value.size()) {
        const std::size_t slash = value.find('/', start);
        const std::size_t end = slash == std::string_view::npos ? value.size() : slash;
        const std::string_view component = value.substr(start, end - start);
        if (component.empty())
            return invalid(what, value, "it contains an empty path component");
        if (component == "..")
            return invalid(what, value, "\"..\" is not allowed");
        if (auto r = validateId(component, "path component"); !r)
            return invalid(what, value, r.error().message);
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
    return {};
}

Result<void> validateUserName(std::string_view value)
{
    if (value.empty())
        return invalid("user name", value, "it is empty");
    if (value.size() > kMaxIdLength)
        return invalid("user name", value,
                       "it is longer than " + std::to_string(kMaxIdLength) + " characters");
    if (value.front() == '-')
        return invalid("user name", value, "it must not start with '-'");
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (!isIdChar(value[i]) && value[i] != '@')
            return invalid("user name", value,
                           describeChar(value[i]) + " at position " + std::to_string(i) +
                               " is not allowed (use A-Z a-z 0-9 . _ - @)");
    }
    return {};
}

} // namespace vigil::protocol
