// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"

#include <cstdio>
#include <cstdlib>

namespace vigil::job {

using protocol::Error;
using protocol::Result;

Result<Args> Args::parse(const std::vector<std::string> &argv, const std::vector<OptionSpec> &specs,
                         std::size_t maxPositional, bool keepRest)
{
    Args out;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string &arg = argv[i];
        if (arg == "--") {
            if (!keepRest)
                return Error("unexpected \"--\"");
            out.m_rest.assign(argv.begin() + static_cast<std::ptrdiff_t>(i) + 1, argv.end());
            break;
        }
        if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
            std::string name = arg.substr(2);
            std::optional<std::string> inlineValue;
            if (const std::size_t eq = name.find('='); eq != std::string::npos) {
                inlineValue = name.substr(eq + 1);
                name.resize(eq);
            }
            const OptionSpec *spec = nullptr;
            for (const OptionSpec &s : specs) {
                if (s.name == name)
                    spec = &s;
            }
            if (spec == nullptr)
                return Error("unknown option --" + name);
            auto &slot = out.m_values[name];
            if (!slot.empty() && !spec->repeatable)
                return Error("--" + name + " is given twice");
            if (!spec->takesValue) {
                if (inlineValue)
                    return Error("--" + name + " takes no value");
                slot.emplace_back();
                continue;
            }
            if (inlineValue) {
                slot.push_back(*inlineValue);
            } else {
                if (i + 1 >= argv.size())
                    return Error("--" + name + " needs a value");
                slot.push_back(argv[++i]);
            }
            continue;
        }
        if (arg.size() > 1 && arg[0] == '-')
            return Error("unknown option " + arg);
        if (out.m_positional.size() >= maxPositional)
            return Error("unexpected argument \"" + arg + "\"");
        out.m_positional.push_back(arg);
    }
    return out;
}

std::optional<std::string> Args::value(std::string_view name) const
{
    const auto it = m_values.find(std::string(name));
    if (it == m_values.end() || it->second.empty())
        return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Args::values(std::string_view name) const
{
    const auto it = m_values.find(std::string(name));
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

int fail(std::string_view what, std::string_view why, int code)
{
    std::fprintf(stderr, "vigil-job: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
                 static_cast<int>(why.size()), why.data());
    return code;
}

int fail(std::string_view what, const Error &error)
{
    switch (error.kind) {
    case Error::Kind::Conflict:
    case Error::Kind::Refused:
        return fail(what, error.message, kExitRefused);
    case Error::Kind::Pending:
        return fail(what, error.message, kExitPending);
    default:
        return fail(what, error.message, kExitError);
    }
}

int usage(std::string_view what, std::string_view why)
{
    fail(what, std::string(why) + " (see vigil-job --help)", kExitUsage);
    return kExitUsage;
}

void warn(std::string_view message)
{
    std::fprintf(stderr, "vigil-job: warning: %.*s\n", static_cast<int>(message.size()),
                 message.data());
}

std::optional<std::string> runDirFrom(const Args &args)
{
    if (auto v = args.value("run-dir"))
        return v;
    if (const char *env = std::getenv("VIGIL_RUN_DIR"); env != nullptr && *env != '\0')
        return std::string(env);
    return std::nullopt;
}

std::optional<std::string> taskFrom(const Args &args)
{
    if (auto v = args.value("task"))
        return v;
    if (const char *env = std::getenv("VIGIL_TASK"); env != nullptr && *env != '\0')
        return std::string(env);
    return std::nullopt;
}

bool printLine(std::string_view text)
{
    const bool ok = std::fwrite(text.data(), 1, text.size(), stdout) == text.size() &&
                    std::fputc('\n', stdout) != EOF;
    return std::fflush(stdout) == 0 && ok;
}

} // namespace vigil::job
