// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The vigil-job subcommands. Each takes the arguments after its name and
// returns the process exit code (cli.h).

#include <string>
#include <vector>

namespace vigil::job {

int runCheckpoint(const std::vector<std::string> &args);
int runDecision(const std::vector<std::string> &args);
int runAck(const std::vector<std::string> &args);
int runTaskExec(const std::vector<std::string> &args);
int runScan(const std::vector<std::string> &args);
int runInitRun(const std::vector<std::string> &args);
int runWait(const std::vector<std::string> &args);
int runParam(const std::vector<std::string> &args);
int runLogMetrics(const std::vector<std::string> &args);
int runStatus(const std::vector<std::string> &args);
int runWatch(const std::vector<std::string> &args);

} // namespace vigil::job
