// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// User name -> uid, in a statically linked helper. glibc's getpwnam in a
// static binary would have to load the node's NSS modules (LDAP, SSSD) built
// for another glibc, so vigil-job does not call it: it reads the passwd file
// (the "files" source) and otherwise asks the system's own `id -u NAME`,
// which does use the node's NSS configuration. The command runs from argv
// (fork/exec, no shell) after the name has been validated.

#include "protocol/result.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::protocol {

struct UserLookup
{
    std::filesystem::path passwdFile = "/etc/passwd";
    // The first of these that exists is run as `<id> -u NAME`.
    std::vector<std::filesystem::path> idCommands = {"/usr/bin/id", "/bin/id"};
    std::chrono::seconds timeout{20};
};

Result<std::uint32_t> resolveUid(std::string_view name, const UserLookup &how = {});

} // namespace vigil::protocol
