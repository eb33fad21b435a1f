// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Small text helpers shared by the protocol code and vigil-job.

#include <string>
#include <string_view>
#include <vector>

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

// True when `text` has no control characters: C0 (U+0000-U+001F, newline and
// tab included), DEL (U+007F) and C1 (U+0080-U+009F, UTF-8 C2 80 to C2 9F:
// U+009B is the 8-bit CSI that terminals obey like ESC [).
bool hasNoControlChars(std::string_view text);

// The length of the longest prefix of `text` of at most `maxBytes` bytes that
// does not split a UTF-8 sequence.
std::size_t utf8PrefixLength(std::string_view text, std::size_t maxBytes);

// Lower-case hex of `bytes`.
std::string toHex(std::string_view bytes);

// True when `text` is exactly `length` lower-case hex digits.
bool isLowerHex(std::string_view text, std::size_t length);

// A size for a message: "4 MiB", "64 KiB" when exact, else "1000 bytes".
std::string sizeText(std::size_t bytes);

// The non-empty components of the '/'-separated relative path `rel` (views
// into `rel`).
std::vector<std::string_view> splitPath(std::string_view rel);

} // namespace vigil::protocol
