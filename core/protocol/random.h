// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/result.h"

#include <string>

namespace vigil::protocol {

// `bytes` random bytes from /dev/urandom as lower-case hex (2 * bytes digits).
Result<std::string> randomHex(std::size_t bytes);

// 128-bit random values: checkpoint nonces and decision ids.
inline constexpr std::size_t kNonceBytes = 16;
inline Result<std::string> makeNonce()
{
    return randomHex(kNonceBytes);
}

} // namespace vigil::protocol
