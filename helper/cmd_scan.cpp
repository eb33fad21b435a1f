// SPDX-License-Identifier: GPL-3.0-or-later
// vigil-job scan ROOT and vigil-job init-run.

#include "cli.h"
#include "commands.h"
#include "protocol/format.h"
#include "protocol/ids.h"
#include "protocol/rundir.h"
#include "protocol/scan.h"

#include <filesystem>
#include <unistd.h>

namespace vigil::job {

using namespace vigil::protocol;

int runScan(const std::vector<std::string> &argv)
{
    constexpr std::string_view cmd = "scan";
    auto args = Args::parse(argv, {}, 1, false);
    if (!args)
        return usage(cmd, args.error().message);
    if (args->positional().size() != 1)
        return usage(cmd, "expected one ROOT directory");
    auto doc = scanRoot(args->positional().front(), now());
    if (!doc)
        return fail(cmd, doc.error());
    return printLine(dumpLine(*doc)) ? kExitOk : kExitError;
}

int runInitRun(const std::vector<std::string> &argv)
{
    constexpr std::string_view cmd = "init-run";
    static const std::vector<OptionSpec> specs = {
        {"run-dir", true, false},
        {"run-id", true, false},
        {"workflow-name", true, false},
        {"group-readable", false, false},
    };
    auto args = Args::parse(argv, specs, 0, false);
    if (!args)
        return usage(cmd, args.error().message);
    const auto runDir = runDirFrom(*args);
    const auto runId = args->value("run-id");
    if (!runDir || !runId)
        return usage(cmd, "--run-dir and --run-id are required");
    RunInfo info;
    info.runId = *runId;
    info.workflowName = args->value("workflow-name").value_or("");
    info.createdAt = now();
    info.createdByUid = ::geteuid();
    info.groupReadable = args->has("group-readable");
    auto result = initRun(*runDir, info);
    if (!result)
        return fail(cmd, result.error());
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(*runDir, ec);
    const nlohmann::json out = {{"run_dir", ec ? *runDir : absolute.lexically_normal().string()},
                                {"run_id", result->info.runId},
                                {"created", result->created}};
    return printLine(dumpLine(out)) ? kExitOk : kExitError;
}

} // namespace vigil::job
