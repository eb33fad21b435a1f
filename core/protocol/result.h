// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Value-or-error for the Qt-free protocol library. The desktop's own
// vigil::Result (core/result.h) carries a QString; this one a std::string.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace vigil::protocol {

// A problem a person can read: what went wrong and where.
struct Error
{
    enum class Kind {
        Generic,
        NotFound,      // the file or directory does not exist
        AlreadyExists, // a no-clobber create lost the race
        Permission,    // the file system refused access
        Malformed,     // a file could not be parsed or failed validation
        TooLarge,      // over a size limit
        Unsupported,   // a newer major format version, a symlink, not a regular file
        Refused,       // a decision that fails the trust rule (owner uid, nonce)
        Conflict,      // an existing file differs from what we would write
        Pending,       // no decision yet
    };

    std::string message;
    Kind kind = Kind::Generic;

    Error() = default;
    explicit Error(std::string msg, Kind k = Kind::Generic) : message(std::move(msg)), kind(k) {}
};

template <typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<0>(m_v); }
    T &value() & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }

    const Error &error() const & { return std::get<1>(m_v); }
    Error &&error() && { return std::get<1>(std::move(m_v)); }
    std::string errorString() const { return ok() ? std::string() : error().message; }

private:
    std::variant<T, Error> m_v;
};

template <> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const & { return *m_error; }
    Error &&error() && { return std::move(*m_error); }
    std::string errorString() const { return ok() ? std::string() : m_error->message; }

private:
    std::optional<Error> m_error;
};

} // namespace vigil::protocol
