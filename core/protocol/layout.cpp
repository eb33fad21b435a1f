// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/layout.h"

namespace vigil::protocol {

namespace {

std::string join(std::string_view a, std::string_view b)
{
    std::string out(a);
    out += '/';
    out += b;
    return out;
}

} // namespace

std::string RunLayout::taskDir(std::string_view task)
{
    return join(tasksDir(), task);
}

std::string RunLayout::taskSubmission(std::string_view task)
{
    return join(taskDir(task), "submission.json");
}

std::string RunLayout::taskState(std::string_view task)
{
    return join(taskDir(task), "state.json");
}

std::string RunLayout::taskStdout(std::string_view task)
{
    return join(taskDir(task), "stdout.log");
}

std::string RunLayout::taskStderr(std::string_view task)
{
    return join(taskDir(task), "stderr.log");
}

std::string RunLayout::taskDoneMarker(std::string_view task)
{
    return join(taskDir(task), std::string(task) + ".done");
}

std::string RunLayout::taskFailedMarker(std::string_view task)
{
    return join(taskDir(task), std::string(task) + ".failed");
}

std::string RunLayout::taskArrayState(std::string_view task, std::string_view index)
{
    return join(taskDir(task), "state_" + std::string(index) + ".json");
}

std::string RunLayout::taskArrayDoneMarker(std::string_view task, std::string_view index)
{
    return join(taskDir(task), std::string(task) + "_" + std::string(index) + ".done");
}

std::string RunLayout::taskArrayFailedMarker(std::string_view task, std::string_view index)
{
    return join(taskDir(task), std::string(task) + "_" + std::string(index) + ".failed");
}

std::string RunLayout::checkpointDir(std::string_view id)
{
    return join(checkpointsDir(), id);
}

std::string RunLayout::request(std::string_view id)
{
    return join(checkpointDir(id), kRequestName);
}

std::string RunLayout::decision(std::string_view id)
{
    return join(checkpointDir(id), kDecisionName);
}

std::string RunLayout::ack(std::string_view id)
{
    return join(checkpointDir(id), kAckName);
}

} // namespace vigil::protocol
