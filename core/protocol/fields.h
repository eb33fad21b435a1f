// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Strict field access for the parsers (internal to the protocol library).
// Accessors throw FieldError; each public parse function catches it and
// turns it into an Error that names the file and the field.

#include "protocol/result.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::protocol::detail {

struct FieldError
{
    std::string field; // "options[1].name"
    std::string why;   // "expected a string, got a number"
};

[[noreturn]] void fail(std::string field, std::string why);

// "a number", "null", ...
std::string typeName(const nlohmann::json &value);

// One JSON object whose fields are read by name; `prefix` is its place in the
// document ("" for the top level, "job." for a nested object).
class Fields
{
public:
    Fields(const nlohmann::json &object, std::string prefix);

    std::string path(std::string_view key) const { return m_prefix + std::string(key); }
    [[noreturn]] void fail(std::string_view key, std::string why) const;

    // nullptr when absent; null values are returned as they are.
    const nlohmann::json *find(std::string_view key) const;
    // Absent or null.
    bool isNull(std::string_view key) const;

    const nlohmann::json &required(std::string_view key) const;
    std::string string(std::string_view key) const;
    std::string string(std::string_view key, std::string_view fallback) const;
    std::optional<std::string> optionalString(std::string_view key) const;
    bool boolean(std::string_view key, bool fallback) const;
    std::int64_t integer(std::string_view key) const;
    std::optional<std::int64_t> optionalInteger(std::string_view key) const;
    std::uint32_t uid(const nlohmann::json &value, std::string field) const;
    // Absent or null gives an empty array.
    const nlohmann::json &array(std::string_view key) const;
    const nlohmann::json &object(std::string_view key) const;

private:
    const nlohmann::json &m_object;
    std::string m_prefix;
};

// Reads `file`'s top-level object: `body` gets the Fields; FieldError becomes
// Error(file + ": field ...").
template <typename T, typename F>
Result<T> parseFields(const nlohmann::json &doc, std::string_view file, F &&body)
{
    try {
        Fields fields(doc, "");
        return body(fields);
    } catch (const FieldError &e) {
        return Error(std::string(file) + ": field \"" + e.field + "\": " + e.why,
                     Error::Kind::Malformed);
    } catch (const nlohmann::json::exception &e) {
        return Error(std::string(file) + ": " + e.what(), Error::Kind::Malformed);
    }
}

// Checks an already-parsed value (validation of structs built in code).
template <typename F> Result<void> checkFields(std::string_view file, F &&body)
{
    try {
        body();
        return {};
    } catch (const FieldError &e) {
        return Error(std::string(file) + ": field \"" + e.field + "\": " + e.why,
                     Error::Kind::Malformed);
    }
}

} // namespace vigil::protocol::detail
