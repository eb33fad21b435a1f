// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Command-line plumbing shared by the vigil-job subcommands.

#include "protocol/result.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::job {

// Exit codes (docs/protocol.md).
enum Exit : int {
    kExitOk = 0,
    kExitError = 1,   // bad input, I/O error
    kExitUsage = 2,   // wrong command line
    kExitPending = 3, // no decision yet, or --wait timed out
    kExitRefused = 4, // refused: the id is taken by a different request, a run id conflict
};

struct OptionSpec
{
    std::string_view name; // without "--"
    bool takesValue = false;
    bool repeatable = false;
};

// Parsed "--name VALUE" / "--name=VALUE" options, positional arguments, and
// everything after "--" (for task-exec).
class Args
{
public:
    // Fails with a usage message.
    static protocol::Result<Args> parse(const std::vector<std::string> &argv,
                                        const std::vector<OptionSpec> &specs,
                                        std::size_t maxPositional, bool keepRest);

    bool has(std::string_view name) const { return m_values.count(std::string(name)) != 0; }
    std::optional<std::string> value(std::string_view name) const;
    std::vector<std::string> values(std::string_view name) const;

    const std::vector<std::string> &positional() const { return m_positional; }
    const std::vector<std::string> &rest() const { return m_rest; }

private:
    std::map<std::string, std::vector<std::string>> m_values;
    std::vector<std::string> m_positional;
    std::vector<std::string> m_rest;
};

// "vigil-job: <what>: <why>" on stderr; returns `code`.
int fail(std::string_view what, std::string_view why, int code = kExitError);
// The exit code for a protocol error (Conflict, Refused: 4; Pending: 3; otherwise 1).
int fail(std::string_view what, const protocol::Error &error);
int usage(std::string_view what, std::string_view why);
void warn(std::string_view message);

// --run-dir, else $VIGIL_RUN_DIR.
std::optional<std::string> runDirFrom(const Args &args);
// --task, else $VIGIL_TASK (nullopt when neither is set).
std::optional<std::string> taskFrom(const Args &args);

// Writes `text` and a newline to stdout and flushes; false on a write error.
bool printLine(std::string_view text);

} // namespace vigil::job
