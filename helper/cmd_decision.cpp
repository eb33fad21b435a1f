// SPDX-License-Identifier: GPL-3.0-or-later
// vigil-job decision / ack: read the supervisor's decision, acknowledge it.

#include "cli.h"
#include "commands.h"
#include "protocol/checkpoint.h"
#include "protocol/format.h"
#include "protocol/ids.h"
#include "protocol/rundir.h"
#include "protocol/text.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <set>

namespace vigil::job {

using namespace vigil::protocol;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kFirstPoll{500};
constexpr milliseconds kMaxPoll{5000};

void sleepFor(milliseconds d)
{
    timespec ts{static_cast<time_t>(d.count() / 1000),
                static_cast<long>(d.count() % 1000) * 1000000L};
    while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

int printDecision(const DecisionStatus &status, bool asJson)
{
    const Decision &d = *status.decision;
    if (!asJson)
        return printLine(d.option) ? kExitOk : kExitError;
    json out = toJson(d);
    out.erase("format");
    out["params"] = effectiveParams(status.request, d);
    return printLine(dumpLine(out)) ? kExitOk : kExitError;
}

const std::vector<OptionSpec> kDecisionSpecs = {
    {"run-dir", true, false}, {"id", true, false},    {"wait", false, false},
    {"timeout", true, false}, {"json", false, false},
};

const std::vector<OptionSpec> kAckSpecs = {
    {"run-dir", true, false},
    {"id", true, false},
    {"outcome", true, false},
};

} // namespace

namespace {

const std::vector<OptionSpec> kWaitSpecs = {
    {"run-dir", true, false},
    {"id", true, false},
    {"timeout", true, false},
    {"json", false, false},
};

const std::vector<OptionSpec> kParamSpecs = {
    {"run-dir", true, false},
    {"id", true, false},
    {"json", false, false},
};

// decision [--wait] and wait: poll until decided (when `wait`), committing a
// due timeout default.
int pollCommand(std::string_view cmd, const Args &args, bool wait)
{
    const auto runDir = runDirFrom(args);
    if (!runDir)
        return usage(cmd, "no run directory (--run-dir or VIGIL_RUN_DIR)");
    const auto id = args.value("id");
    if (!id)
        return usage(cmd, "--id is required");
    std::optional<milliseconds> timeout;
    if (auto t = args.value("timeout")) {
        auto d = parseDuration(*t);
        if (!d)
            return usage(cmd, "--timeout: " + d.error().message);
        timeout = std::chrono::duration_cast<milliseconds>(*d);
    }
    if (auto ok = validateId(*id, "checkpoint id"); !ok)
        return fail(cmd, ok.error());
    auto run = RunDir::open(*runDir);
    if (!run)
        return fail(cmd, run.error());

    const auto start = std::chrono::steady_clock::now();
    std::set<std::string> reported;
    std::set<std::string> warned;
    milliseconds interval = kFirstPoll;
    while (true) {
        PollOptions options;
        options.now = now();
        options.host = hostName();
        options.reported = &reported;
        auto status = pollDecision(*run, *id, options);
        if (!status)
            return fail(cmd, status.error());
        for (const std::string &w : status->warnings) {
            if (warned.insert(w).second)
                warn(w);
        }
        if (status->decision)
            return printDecision(*status, args.has("json"));
        if (!wait)
            return kExitPending;

        milliseconds pause = interval;
        if (timeout) {
            const auto elapsed =
                std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
            if (elapsed >= *timeout)
                return kExitPending;
            pause = std::min(pause, *timeout - elapsed);
        }
        if (const auto &deadline = status->request.deadline) {
            // Wake up when the deadline passes, to commit the default.
            const auto untilDeadline = std::chrono::duration_cast<milliseconds>(
                *deadline - std::chrono::system_clock::now());
            pause = std::min(pause, std::max(untilDeadline + milliseconds(50), milliseconds(50)));
        }
        sleepFor(pause);
        interval = std::min(interval * 2, kMaxPoll);
    }
}

std::string paramNames(const Request &request)
{
    std::string names;
    for (const Param &p : request.params)
        names += (names.empty() ? "" : ", ") + p.name;
    return names.empty() ? std::string("none") : names;
}

} // namespace

int runDecision(const std::vector<std::string> &argv)
{
    constexpr std::string_view cmd = "decision";
    auto args = Args::parse(argv, kDecisionSpecs, 0, false);
    if (!args)
        return usage(cmd, args.error().message);
    if (args->has("timeout") && !args->has("wait"))
        return usage(cmd, "--timeout needs --wait");
    return pollCommand(cmd, *args, args->has("wait"));
}

int runWait(const std::vector<std::string> &argv)
{
    constexpr std::string_view cmd = "wait";
    auto args = Args::parse(argv, kWaitSpecs, 0, false);
    if (!args)
        return usage(cmd, args.error().message);
    return pollCommand(cmd, *args, true);
}

int runParam(const std::vector<std::string> &argv)
{
    constexpr std::string_view cmd = "param";
    auto args = Args::parse(argv, kParamSpecs, 1, false);
    if (!args)
        return usage(cmd, args.error().message);
    const auto runDir = runDirFrom(*args);
    if (!runDir)
        return usage(cmd, "no run directory (--run-dir or VIGIL_RUN_DIR)");
    const auto id = args->value("id");
    if (!id)
        return usage(cmd, "--id is required");
    if (args->positional().size() != 1)
        return usage(cmd, "expected one parameter NAME");
    const std::string &name = args->positional().front();
    if (auto ok = validateId(*id, "checkpoint id"); !ok)
        return fail(cmd, ok.error());
    if (auto ok = validateId(name, "parameter name"); !ok)
        return fail(cmd, ok.error());
    auto run = RunDir::open(*runDir);
    if (!run)
        return fail(cmd, run.error());
    PollOptions options;
    options.now = now();
    options.host = hostName();
    auto status = pollDecision(*run, *id, options);
    if (!status)
        return fail(cmd, status.error());
    for (const std::string &w : status->warnings)
        warn(w);
    const Param *param = status->request.findParam(name);
    if (param == nullptr)
        return fail(cmd, "checkpoint " + quote(*id) + " has no parameter " + quote(name) +
                             " (its parameters: " + paramNames(status->request) + ")");
    if (!status->decision)
        return kExitPending;
    const json params = effectiveParams(status->request, *status->decision);
    const auto it = params.find(name);
    if (it == params.end())
        return fail(cmd, "checkpoint " + quote(*id) + ": no value for " + quote(name));
    if (it->is_string() && !args->has("json"))
        return printLine(it->get<std::string>()) ? kExitOk : kExitError;
    return printLine(dumpLine(*it)) ? kExitOk : kExitError;
}

int runAck(const std::vector<std::string> &argv)
{
    constexpr std::string_view cmd = "ack";
    auto args = Args::parse(argv, kAckSpecs, 0, false);
    if (!args)
        return usage(cmd, args.error().message);
    const auto runDir = runDirFrom(*args);
    if (!runDir)
        return usage(cmd, "no run directory (--run-dir or VIGIL_RUN_DIR)");
    const auto id = args->value("id");
    const auto outcome = args->value("outcome");
    if (!id || !outcome)
        return usage(cmd, "--id and --outcome are required");
    if (auto ok = validateId(*id, "checkpoint id"); !ok)
        return fail(cmd, ok.error());
    auto run = RunDir::open(*runDir);
    if (!run)
        return fail(cmd, run.error());
    auto ack = writeAck(*run, *id, *outcome, now());
    if (!ack)
        return fail(cmd, ack.error());
    return kExitOk;
}

} // namespace vigil::job
