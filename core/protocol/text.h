// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Small text helpers shared by the protocol code and vigil-job.

#include <string>
#include <string_view>

namespace vigil::protocol {

// `value` in double quotes, with quotes, backslashes, control characters and
// bytes >= 0x80 escaped, so that any value can be shown in a one-line message.
std::string quote(std::string_view value);

// The C library's text for errno `err` (thread-safe).
std::string errnoText(int err);

// `text` cut to at most `maxBytes` bytes without splitting a UTF-8 sequence;
// "..." is appended when something was cut.
std::string truncateUtf8(std::string_view text, std::size_t maxBytes);

// True when `text` is well-formed UTF-8.
bool isValidUtf8(std::string_view text);

// True when `text` has no ASCII control characters (0x00-0x1f, 0x7f).
bool hasNoControlChars(std::string_view text);

// Lower-case hex of `bytes`.
std::string toHex(std::string_view bytes);

// True when `text` is exactly `length` lower-case hex digits.
bool isLowerHex(std::string_view text, std::size_t length);

} // namespace vigil::protocol
