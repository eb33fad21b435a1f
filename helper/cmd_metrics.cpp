// SPDX-License-Identifier: GPL-3.0-or-later
// vigil-job log-metrics and vigil-job status.

#include "cli.h"
#include "commands.h"
#include "protocol/format.h"
#include "protocol/metrics.h"
#include "protocol/rundir.h"
#include "protocol/scan.h"
#include "protocol/text.h"

#include <limits>

namespace vigil::job {

using namespace vigil::protocol;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxPositional = std::numeric_limits<std::size_t>::max();

Result<std::int64_t> parseStep(const std::string &text)
{
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string::npos)
        return Error("--step " + quote(text) + ": expected a non-negative integer");
    return static_cast<std::int64_t>(std::stoll(text));
}

// One line per task and checkpoint, for a person at a terminal.
std::string summary(const json &entry)
{
    std::string out = "run " + entry.value("dir", std::string());
    if (entry.contains("error"))
        out += ": " + entry["error"].get<std::string>();
    for (const json &t : entry.value("tasks", json::array())) {
        out += "\ntask " + t.value("name", std::string("?")) + ": ";
        if (t.contains("error"))
            out += "error: " + t["error"].get<std::string>();
        else if (t["state"].is_object())
            out += t["state"].value("state", std::string("?"));
        else
            out += "not started";
    }
    for (const json &c : entry.value("checkpoints", json::array())) {
        out += "\ncheckpoint " + c.value("id", std::string("?")) + ": ";
        if (c.contains("error")) {
            out += "error: " + c["error"].get<std::string>();
            continue;
        }
        const json &d = c["decision"];
        if (d.is_object() && d.value("status", std::string()) == "valid") {
            out += "decided " + d.value("option", std::string()) + " by " +
                   d.value("decided_by", std::string());
            if (c["ack"].is_object() && c["ack"].value("matches_decision", false))
                out += ", applied: " + c["ack"].value("outcome", std::string());
        } else {
            out += "pending";
        }
    }
    return out;
}

} // namespace

int runLogMetrics(const std::vector<std::string> &argv)
{
    constexpr std::string_view cmd = "log-metrics";
    static const std::vector<OptionSpec> specs = {
        {"run-dir", true, false},
        {"step", true, false},
        {"file", true, false},
    };
    auto args = Args::parse(argv, specs, kMaxPositional, false);
    if (!args)
        return usage(cmd, args.error().message);
    const auto runDir = runDirFrom(*args);
    if (!runDir)
        return usage(cmd, "no run directory (--run-dir or VIGIL_RUN_DIR)");
    if (args->positional().empty())
        return usage(cmd, "expected at least one KEY=VALUE");
    const std::string file = args->value("file").value_or(std::string(kDefaultMetricsFile));
    if (auto ok = validateMetricsFile(file); !ok)
        return usage(cmd, "--file: " + ok.error().message);
    std::optional<std::int64_t> step;
    if (auto s = args->value("step")) {
        auto v = parseStep(*s);
        if (!v)
            return usage(cmd, v.error().message);
        step = *v;
    }
    std::vector<std::pair<std::string, std::string>> values;
    for (const std::string &arg : args->positional()) {
        auto kv = parseMetricArg(arg);
        if (!kv)
            return fail(cmd, kv.error());
        values.push_back(std::move(*kv));
    }
    auto run = RunDir::open(*runDir);
    if (!run)
        return fail(cmd, run.error());
    auto row = appendMetricsRow(*run, file, values, step);
    if (!row)
        return fail(cmd, row.error());
    return kExitOk;
}

int runStatus(const std::vector<std::string> &argv)
{
    constexpr std::string_view cmd = "status";
    static const std::vector<OptionSpec> specs = {
        {"run-dir", true, false},
        {"json", false, false},
    };
    auto args = Args::parse(argv, specs, 0, false);
    if (!args)
        return usage(cmd, args.error().message);
    const auto runDir = runDirFrom(*args);
    if (!runDir)
        return usage(cmd, "no run directory (--run-dir or VIGIL_RUN_DIR)");
    auto doc = scanRunDir(*runDir, now());
    if (!doc)
        return fail(cmd, doc.error());
    const json &entry = (*doc)["runs"][0];
    if (!args->has("json"))
        return printLine(summary(entry)) ? kExitOk : kExitError;
    return printLine(dumpLine(entry)) ? kExitOk : kExitError;
}

} // namespace vigil::job
