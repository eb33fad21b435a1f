// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/fields.h"

#include <limits>

namespace vigil::protocol::detail {

void fail(std::string field, std::string why)
{
    throw FieldError{std::move(field), std::move(why)};
}

std::string typeName(const nlohmann::json &value)
{
    switch (value.type()) {
    case nlohmann::json::value_t::null:
        return "null";
    case nlohmann::json::value_t::object:
        return "an object";
    case nlohmann::json::value_t::array:
        return "an array";
    case nlohmann::json::value_t::string:
        return "a string";
    case nlohmann::json::value_t::boolean:
        return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
        return "an integer";
    case nlohmann::json::value_t::number_float:
        return "a number";
    default:
        return "an unsupported value";
    }
}

Fields::Fields(const nlohmann::json &object, std::string prefix)
    : m_object(object), m_prefix(std::move(prefix))
{
    if (!m_object.is_object()) {
        std::string where = m_prefix;
        if (!where.empty() && where.back() == '.')
            where.pop_back();
        detail::fail(where.empty() ? std::string("(top level)") : where,
                     "expected an object, got " + typeName(m_object));
    }
}

void Fields::fail(std::string_view key, std::string why) const
{
    detail::fail(path(key), std::move(why));
}

const nlohmann::json *Fields::find(std::string_view key) const
{
    const auto it = m_object.find(key);
    return it == m_object.end() ? nullptr : &*it;
}

bool Fields::isNull(std::string_view key) const
{
    const nlohmann::json *v = find(key);
    return v == nullptr || v->is_null();
}

const nlohmann::json &Fields::required(std::string_view key) const
{
    const nlohmann::json *v = find(key);
    if (v == nullptr)
        fail(key, "is missing");
    return *v;
}

std::string Fields::string(std::string_view key) const
{
    const nlohmann::json &v = required(key);
    if (!v.is_string())
        fail(key, "expected a string, got " + typeName(v));
    return v.get<std::string>();
}

std::string Fields::string(std::string_view key, std::string_view fallback) const
{
    if (isNull(key))
        return std::string(fallback);
    return string(key);
}

std::optional<std::string> Fields::optionalString(std::string_view key) const
{
    if (isNull(key))
        return std::nullopt;
    return string(key);
}

bool Fields::boolean(std::string_view key, bool fallback) const
{
    const nlohmann::json *v = find(key);
    if (v == nullptr || v->is_null())
        return fallback;
    if (!v->is_boolean())
        fail(key, "expected true or false, got " + typeName(*v));
    return v->get<bool>();
}

std::int64_t Fields::integer(std::string_view key) const
{
    const nlohmann::json &v = required(key);
    if (v.is_number_unsigned()) {
        if (v.get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            fail(key, "integer out of range");
        return static_cast<std::int64_t>(v.get<std::uint64_t>());
    }
    if (!v.is_number_integer())
        fail(key, "expected an integer, got " + typeName(v));
    return v.get<std::int64_t>();
}

std::optional<std::int64_t> Fields::optionalInteger(std::string_view key) const
{
    if (isNull(key))
        return std::nullopt;
    return integer(key);
}

std::uint32_t Fields::uid(const nlohmann::json &value, std::string field) const
{
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
        value.get<std::int64_t>() > std::numeric_limits<std::uint32_t>::max() - 1LL)
        detail::fail(std::move(field), "expected a numeric uid, got " + typeName(value));
    return static_cast<std::uint32_t>(value.get<std::int64_t>());
}

const nlohmann::json &Fields::array(std::string_view key) const
{
    static const nlohmann::json kEmpty = nlohmann::json::array();
    const nlohmann::json *v = find(key);
    if (v == nullptr || v->is_null())
        return kEmpty;
    if (!v->is_array())
        fail(key, "expected an array, got " + typeName(*v));
    return *v;
}

const nlohmann::json &Fields::object(std::string_view key) const
{
    const nlohmann::json &v = required(key);
    if (!v.is_object())
        fail(key, "expected an object, got " + typeName(v));
    return v;
}

} // namespace vigil::protocol::detail
