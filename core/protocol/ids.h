// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Name rules. Every name that becomes part of a path or of a command line
// (run ids, checkpoint ids, task names, option and parameter names) is an id:
// 1-64 characters from [A-Za-z0-9._-], not starting with '-' or '.' (so never
// "." or "..": names starting with '.' are reserved for temporary files).

#include "protocol/result.h"

#include <string_view>

namespace vigil::protocol {

inline constexpr std::size_t kMaxIdLength = 64;
inline constexpr std::size_t kMaxRelativePathLength = 1024;

// `what` names the value in the error ("checkpoint id", "task name", ...).
Result<void> validateId(std::string_view value, std::string_view what = "id");
bool isValidId(std::string_view value);

// A path relative to the run directory (metric files, attachments): one or
// more ids joined by '/', at most 1024 bytes; never absolute, never "..".
Result<void> validateRelativePath(std::string_view value, std::string_view what = "path");

// A user name as given to --approver: 1-64 characters from [A-Za-z0-9._@-],
// not starting with '-'.
Result<void> validateUserName(std::string_view value);

} // namespace vigil::protocol
