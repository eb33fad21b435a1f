// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/run.h"

#include "protocol/fields.h"
#include "protocol/format.h"
#include "protocol/ids.h"
#include "protocol/text.h"

namespace vigil::protocol {

using detail::Fields;
using nlohmann::json;

namespace {

TimePoint timeField(const Fields &f, std::string_view key)
{
    const std::string text = f.string(key);
    auto t = parseUtc(text);
    if (!t)
        f.fail(key, t.error().message);
    return *t;
}

json optionalJson(const auto &v)
{
    return v ? json(*v) : json(nullptr);
}

std::optional<int> optionalInt(const Fields &f, std::string_view key)
{
    const auto v = f.optionalInteger(key);
    if (!v)
        return std::nullopt;
    if (*v < -1000000 || *v > 1000000)
        f.fail(key, "out of range");
    return static_cast<int>(*v);
}

void checkId(const Fields &f, std::string_view key, const std::string &value, const char *what)
{
    if (auto r = validateId(value, what); !r)
        f.fail(key, r.error().message);
}

} // namespace

json toJson(const RunInfo &run)
{
    return {
        {"format", formatHeader(kRunFormat)}, {"run_id", run.runId},
        {"workflow_name", run.workflowName},  {"created_at", formatUtc(run.createdAt)},
        {"created_by_uid", run.createdByUid}, {"group_readable", run.groupReadable},
    };
}

Result<RunInfo> runInfoFromJson(const json &doc, std::string_view file)
{
    if (auto v = checkFormat(doc, kRunFormat, file); !v)
        return std::move(v).error();
    return detail::parseFields<RunInfo>(doc, file, [](const Fields &f) {
        RunInfo r;
        r.runId = f.string("run_id");
        checkId(f, "run_id", r.runId, "run id");
        r.workflowName = f.string("workflow_name", "");
        if (r.workflowName.size() > 256 || !isValidUtf8(r.workflowName) ||
            !hasNoControlChars(r.workflowName))
            f.fail("workflow_name", "expected one line of UTF-8 text, at most 256 bytes");
        r.createdAt = timeField(f, "created_at");
        r.createdByUid = f.uid(f.required("created_by_uid"), "created_by_uid");
        r.groupReadable = f.boolean("group_readable", false);
        return r;
    });
}

std::string serializeRunInfo(const RunInfo &run)
{
    return dumpFile(toJson(run));
}

Result<RunInfo> parseRunInfo(std::string_view text, std::string_view file)
{
    auto doc = parseJson(text, file);
    if (!doc)
        return std::move(doc).error();
    return runInfoFromJson(*doc, file);
}

std::string_view taskStatusName(TaskStatus status)
{
    switch (status) {
    case TaskStatus::Running:
        return "running";
    case TaskStatus::Completed:
        return "completed";
    case TaskStatus::Failed:
        return "failed";
    }
    return "running";
}

json toJson(const TaskState &s)
{
    return {
        {"format", formatHeader(kTaskStateFormat)},
        {"task", s.task},
        {"state", std::string(taskStatusName(s.state))},
        {"started_at", formatUtc(s.startedAt)},
        {"ended_at", s.endedAt ? json(formatUtc(*s.endedAt)) : json(nullptr)},
        {"host", s.host},
        {"pid", s.pid},
        {"slurm_job_id", optionalJson(s.slurmJobId)},
        {"exit_code", optionalJson(s.exitCode)},
        {"signal", optionalJson(s.signal)},
    };
}

Result<TaskState> taskStateFromJson(const json &doc, std::string_view file)
{
    if (auto v = checkFormat(doc, kTaskStateFormat, file); !v)
        return std::move(v).error();
    return detail::parseFields<TaskState>(doc, file, [](const Fields &f) {
        TaskState s;
        s.task = f.string("task");
        checkId(f, "task", s.task, "task name");
        const std::string state = f.string("state");
        if (state == "running")
            s.state = TaskStatus::Running;
        else if (state == "completed")
            s.state = TaskStatus::Completed;
        else if (state == "failed")
            s.state = TaskStatus::Failed;
        else
            f.fail("state", quote(state) + " is not a task state (running, completed, failed)");
        s.startedAt = timeField(f, "started_at");
        if (!f.isNull("ended_at"))
            s.endedAt = timeField(f, "ended_at");
        s.host = f.string("host", "");
        s.pid = f.integer("pid");
        s.slurmJobId = f.optionalString("slurm_job_id");
        s.exitCode = optionalInt(f, "exit_code");
        s.signal = optionalInt(f, "signal");
        return s;
    });
}

std::string serializeTaskState(const TaskState &state)
{
    return dumpFile(toJson(state));
}

Result<TaskState> parseTaskState(std::string_view text, std::string_view file)
{
    auto doc = parseJson(text, file);
    if (!doc)
        return std::move(doc).error();
    return taskStateFromJson(*doc, file);
}

} // namespace vigil::protocol
