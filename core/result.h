// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <functional>
#include <optional>
#include <utility>
#include <variant>

namespace vigil {

// A problem a person can read: what went wrong and where.
struct Error
{
    enum class Kind {
        Generic,
        NotFound,       // file, job or host does not exist
        AlreadyExists,  // no-clobber create lost the race
        Permission,     // refused by the remote side
        HostKeyUnknown, // the server's key is not in known_hosts
        HostKeyChanged, // the server's key differs from known_hosts: refused
        Auth,           // authentication failed
        Network,        // unreachable, timed out, connection dropped
        Malformed,      // a file or command output could not be parsed
        TooLarge,       // over a size limit
        Cancelled,
    };

    QString message;
    Kind kind = Kind::Generic;

    Error() = default;
    explicit Error(QString msg, Kind k = Kind::Generic) : message(std::move(msg)), kind(k) {}
};

// Value-or-error for fallible functions. Cheap to copy when T is.
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

    const Error &error() const { return std::get<1>(m_v); }
    QString errorString() const { return ok() ? QString() : error().message; }

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
    const Error &error() const { return *m_error; }
    QString errorString() const { return ok() ? QString() : m_error->message; }

private:
    std::optional<Error> m_error;
};

template <typename T> using Callback = std::function<void(Result<T>)>;

} // namespace vigil
