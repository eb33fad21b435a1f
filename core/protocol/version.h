// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace vigil::protocol {

// Major version of the run-directory formats. A reader rejects a newer major.
inline constexpr int kFormatMajor = 1;
inline constexpr int kFormatMinor = 0;

const char *helperVersion();

} // namespace vigil::protocol
