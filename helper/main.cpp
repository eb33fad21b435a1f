// SPDX-License-Identifier: GPL-3.0-or-later
// vigil-job: the job-side helper of the Vigil run-directory protocol.

#include "cli.h"
#include "commands.h"
#include "protocol/text.h"
#include "protocol/version.h"

#include <cstdio>
#include <exception>
#include <string_view>

namespace {

constexpr const char *kHelp =
    R"(usage: vigil-job COMMAND [OPTIONS]

Commands (the run directory is --run-dir DIR or $VIGIL_RUN_DIR):
  init-run --run-dir DIR --run-id ID [--workflow-name NAME] [--group-readable]
  checkpoint --id ID --title TEXT [--body TEXT | --body-file FILE]
             --option NAME[=LABEL]... [--default NAME] [--param SPEC]...
             [--metrics FILE[,x=COL][,columns=A:B]]... [--attach PATH]...
             [--deadline DURATION|ISO-8601] [--timeout-default NAME]
             [--approver USER]... [--task NAME]
      SPEC is NAME:TYPE[=DEFAULT][,min=X][,max=Y][,choices=A|B][,label=TEXT]
      with TYPE number, integer, string, boolean or enum ("\," is a comma).
      (--param NAME:TYPE[:DEFAULT] is accepted too; --timeout is --deadline)
  decision --id ID [--wait [--timeout DURATION]] [--json]
  wait --id ID [--timeout DURATION] [--json]
  param --id ID NAME [--json]
  ack --id ID --outcome TEXT
  log-metrics KEY=VALUE... [--step N] [--file metrics/NAME.csv]
  status [--json]
  watch [--root ROOT | --run-dir DIR] [--interval SECONDS] [--since CURSOR]
        [--heartbeat SECONDS]
  task-exec --task NAME -- COMMAND [ARGS...]
  scan ROOT
  --version, --help

Exit codes: 0 ok, 1 error, 2 usage, 3 pending (or wait timed out),
4 refused (conflicting checkpoint, run or metrics columns). See docs/protocol.md.
)";

int run(int argc, char **argv)
{
    using namespace vigil::job;
    if (argc < 2)
        return usage("vigil-job", "no command given");
    const std::string_view command = argv[1];
    const std::vector<std::string> args(argv + 2, argv + argc);
    if (command == "--version") {
        const bool ok = printLine(std::string("vigil-job ") + vigil::protocol::helperVersion() +
                                  " (protocol " + std::to_string(vigil::protocol::kFormatMajor) +
                                  "." + std::to_string(vigil::protocol::kFormatMinor) + ")");
        return ok ? kExitOk : kExitError;
    }
    if (command == "--help" || command == "help") {
        std::fputs(kHelp, stdout);
        return kExitOk;
    }
    if (command == "checkpoint")
        return runCheckpoint(args);
    if (command == "decision")
        return runDecision(args);
    if (command == "ack")
        return runAck(args);
    if (command == "task-exec")
        return runTaskExec(args);
    if (command == "scan")
        return runScan(args);
    if (command == "init-run")
        return runInitRun(args);
    if (command == "wait")
        return runWait(args);
    if (command == "param")
        return runParam(args);
    if (command == "log-metrics")
        return runLogMetrics(args);
    if (command == "status")
        return runStatus(args);
    if (command == "watch")
        return runWatch(args);
    return usage("vigil-job", "unknown command " + vigil::protocol::quote(command));
}

} // namespace

int main(int argc, char **argv)
{
    try {
        return run(argc, argv);
    } catch (const std::exception &e) {
        // Not expected: every parser reports errors as values. Never a crash.
        return vigil::job::fail("internal error", e.what());
    }
}
