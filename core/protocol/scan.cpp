// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/scan.h"

#include "protocol/checkpoint.h"
#include "protocol/format.h"
#include "protocol/ids.h"
#include "protocol/layout.h"
#include "protocol/rundir.h"
#include "protocol/text.h"
#include "protocol/version.h"

#include <algorithm>
#include <unistd.h>

namespace vigil::protocol {

using nlohmann::json;

namespace {

json sizeOf(const ScanSource &dir, std::string_view rel)
{
    const auto st = dir.stat(rel);
    if (!st || !S_ISREG(st->st_mode))
        return nullptr;
    return static_cast<std::int64_t>(st->st_size);
}

bool isFile(const ScanSource &dir, std::string_view rel)
{
    const auto st = dir.stat(rel);
    return st && S_ISREG(st->st_mode);
}

// Sorted names of the subdirectories of `rel`; bad entries go to `entries`
// as {"error": ...}. A name is shown only escaped (quote()): it may hold
// anything a file name can, terminal escapes included. Names starting with
// '.' are temporaries (no id starts with '.'): skipped.
std::vector<std::string> subdirectories(const ScanSource &run, const std::string &rel,
                                        json &entries)
{
    std::vector<std::string> names;
    auto list = run.list(rel);
    if (!list) {
        if (list.error().kind != Error::Kind::NotFound)
            entries.push_back({{"error", list.error().message}});
        return names;
    }
    std::sort(list->begin(), list->end(),
              [](const DirEntry &a, const DirEntry &b) { return a.name < b.name; });
    for (const DirEntry &e : *list) {
        if (e.name.rfind('.', 0) == 0)
            continue; // temporary files and hidden entries
        auto ok = validateId(e.name, "name");
        if (e.type == DirEntry::Type::Symlink) {
            const std::string shown = rel + "/" + (ok ? e.name : quote(e.name));
            entries.push_back({{"error", shown + ": is a symbolic link: refused"}});
        } else if (e.type != DirEntry::Type::Directory) {
            continue;
        } else if (!ok) {
            entries.push_back({{"error", rel + ": " + ok.error().message}});
        } else {
            names.push_back(e.name);
        }
    }
    return names;
}

// tasks/<name>/submission.json: the scheduler's job id, known from the
// moment the task is submitted (before state.json exists). Null when absent;
// {"error": ...} when unreadable.
json scanSubmission(const ScanSource &run, const std::string &name)
{
    const std::string file = RunLayout::taskSubmission(name);
    auto data = run.read(file, kMaxFileSize);
    if (!data)
        return data.error().kind == Error::Kind::NotFound ? json(nullptr)
                                                          : json{{"error", data.error().message}};
    auto doc = parseJson(data->bytes, file);
    if (!doc)
        return {{"error", doc.error().message}};
    if (auto v = checkFormat(*doc, kSubmissionFormat, file); !v)
        return {{"error", v.error().message}};
    const auto id = doc->find("job_id");
    if (id == doc->end() || !id->is_string() || id->get<std::string>().empty() ||
        id->get<std::string>().size() > 64 ||
        id->get<std::string>().find_first_not_of("0123456789_") != std::string::npos)
        return {{"error", file + ": \"job_id\" must be a job id (digits, '_')"}};
    json out = {{"job_id", *id}};
    for (const char *key : {"site", "submitted_at"}) {
        const auto it = doc->find(key);
        if (it != doc->end() && it->is_string() && it->get<std::string>().size() <= 256)
            out[key] = *it;
    }
    return out;
}

json scanTaskImpl(const ScanSource &run, const std::string &name)
{
    json entry = {{"name", name}};
    const std::string file = RunLayout::taskState(name);
    auto data = run.read(file, kMaxFileSize);
    if (data) {
        auto state = parseTaskState(data->bytes, file);
        if (!state)
            entry["error"] = state.error().message;
        else if (state->task != name)
            entry["error"] = file + ": field \"task\" is " + quote(state->task) +
                             " but the directory is " + quote(name);
        else
            entry["state"] = toJson(*state);
    } else if (data.error().kind == Error::Kind::NotFound) {
        entry["state"] = nullptr;
    } else {
        entry["error"] = data.error().message;
    }
    entry["submission"] = scanSubmission(run, name);
    entry["done"] = isFile(run, RunLayout::taskDoneMarker(name));
    entry["failed"] = isFile(run, RunLayout::taskFailedMarker(name));
    entry["stdout_size"] = sizeOf(run, RunLayout::taskStdout(name));
    entry["stderr_size"] = sizeOf(run, RunLayout::taskStderr(name));
    return entry;
}

json decisionEntry(const DecisionVerdict &verdict)
{
    json entry = json::object();
    if (verdict.decision) {
        entry = toJson(*verdict.decision);
        entry.erase("format");
    }
    entry["status"] = verdict.valid() ? "valid" : "refused";
    entry["owner_uid"] = verdict.ownerUid;
    if (verdict.refusal)
        entry["reason"] = verdict.refusal->message;
    return entry;
}

json judgeFile(const ScanSource &run, const Request &request, const std::string &file,
               std::optional<Decision> *valid)
{
    auto data = run.read(file, kMaxFileSize);
    if (!data) {
        if (data.error().kind == Error::Kind::NotFound)
            return nullptr;
        const auto st = run.stat(file);
        return {{"status", "refused"},
                {"owner_uid", st ? st->st_uid : 0},
                {"reason", data.error().message}};
    }
    DecisionVerdict verdict = judgeDecision(request, *data, file);
    if (valid != nullptr && verdict.valid())
        *valid = verdict.decision;
    return decisionEntry(verdict);
}

// readRequest() through a ScanSource.
Result<Request> readRequestFrom(const ScanSource &run, const std::string &id)
{
    if (auto r = validateId(id, "checkpoint id"); !r)
        return std::move(r).error();
    const std::string file = RunLayout::request(id);
    return requestFromFile(id, run.read(file, kMaxFileSize), run.displayOf(file));
}

json scanCheckpointImpl(const ScanSource &run, const std::string &id)
{
    auto request = readRequestFrom(run, id);
    if (!request)
        return {{"id", id}, {"error", request.error().message}};
    json entry = {{"id", id}, {"request", toJson(*request)}};

    std::optional<Decision> decision;
    entry["decision"] = judgeFile(run, *request, RunLayout::decision(id), &decision);

    const std::string ackFile = RunLayout::ack(id);
    auto ackData = run.read(ackFile, kMaxFileSize);
    if (!ackData) {
        entry["ack"] = ackData.error().kind == Error::Kind::NotFound
                           ? json(nullptr)
                           : json{{"error", ackData.error().message}};
    } else if (auto ack = parseAck(ackData->bytes, ackFile); !ack) {
        entry["ack"] = {{"error", ack.error().message}};
    } else {
        json a = toJson(*ack);
        a.erase("format");
        a["matches_decision"] = decision && decision->decisionId == ack->decisionId;
        entry["ack"] = std::move(a);
    }

    json refused = json::array();
    std::size_t refusedCount = 0;
    if (auto list = run.list(RunLayout::checkpointDir(id))) {
        std::vector<std::string> names;
        for (const DirEntry &e : *list) {
            if (e.name.rfind(RunLayout::kRefusedPrefix, 0) == 0)
                names.push_back(e.name);
        }
        std::sort(names.begin(), names.end());
        refusedCount = names.size();
        // The most recent ones (names sort by time).
        const std::size_t first =
            names.size() > kMaxRefusedListed ? names.size() - kMaxRefusedListed : 0;
        for (std::size_t i = first; i < names.size(); ++i) {
            json r =
                judgeFile(run, *request, RunLayout::checkpointDir(id) + "/" + names[i], nullptr);
            if (r.is_null())
                continue;
            r["file"] = names[i];
            refused.push_back(std::move(r));
        }
    }
    entry["refused"] = std::move(refused);
    entry["refused_count"] = refusedCount;
    return entry;
}

} // namespace

Result<FileData> DirScanSource::read(std::string_view rel, std::size_t limit) const
{
    return m_dir->read(rel, limit);
}

std::optional<struct stat> DirScanSource::stat(std::string_view rel) const
{
    return m_dir->stat(rel);
}

Result<std::vector<DirEntry>> DirScanSource::list(std::string_view rel) const
{
    return m_dir->list(rel);
}

Result<std::unique_ptr<ScanSource>> DirScanSource::openRun(std::string_view name) const
{
    auto sub = m_dir->openSub(name);
    if (!sub)
        return std::move(sub).error();
    sub->setDisplay({}); // messages name files relative to the run directory
    return std::unique_ptr<ScanSource>(std::make_unique<DirScanSource>(std::move(*sub)));
}

std::string rootName(const std::filesystem::path &root)
{
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(root, ec);
    return ec ? root.string() : absolute.lexically_normal().string();
}

json scanDocument(const std::string &root, const std::string &host, std::uint32_t uid,
                  TimePoint now, json helperVersion, json runs)
{
    return json{
        {"format", formatHeader(kScanFormat)},
        {"root", root},
        {"host", host},
        {"uid", uid},
        {"scanned_at", formatUtc(now)},
        {"helper_version", std::move(helperVersion)},
        {"runs", std::move(runs)},
    };
}

json scanTask(const Dir &run, const std::string &name)
{
    return scanTaskImpl(DirScanSource(run), name);
}

json scanCheckpoint(const Dir &run, const std::string &id)
{
    return scanCheckpointImpl(DirScanSource(run), id);
}

std::string runDirName(const std::filesystem::path &path)
{
    std::error_code ec;
    std::filesystem::path p = std::filesystem::absolute(path, ec);
    if (ec)
        p = path;
    p = p.lexically_normal();
    if (p.filename().empty())
        p = p.parent_path();
    return p.filename().string();
}

Result<json> scanRunDir(const std::filesystem::path &path, TimePoint now)
{
    auto dir = Dir::open(path, "");
    if (!dir)
        return std::move(dir).error();
    if (!dir->stat(RunLayout::runFile()))
        return Error(path.string() + ": not a run directory (no run.json)", Error::Kind::NotFound);
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    if (ec)
        absolute = path;
    absolute = absolute.lexically_normal();
    if (absolute.filename().empty())
        absolute = absolute.parent_path();
    return scanDocument(rootName(absolute.parent_path()), hostName(), ::geteuid(), now,
                        helperVersion(), json::array({scanRun(*dir, runDirName(path))}));
}

json scanRun(const Dir &run, std::string_view name)
{
    return scanRun(DirScanSource(run), name);
}

json scanRun(const ScanSource &run, std::string_view name)
{
    json entry = {{"dir", std::string(name)}};
    auto data = run.read(RunLayout::runFile(), kMaxFileSize);
    if (!data) {
        entry["run"] = nullptr;
        entry["error"] = data.error().message;
    } else if (auto info = parseRunInfo(data->bytes, RunLayout::runFile()); !info) {
        entry["run"] = nullptr;
        entry["error"] = info.error().message;
    } else {
        entry["run"] = toJson(*info);
    }
    entry["has_workflow"] = isFile(run, RunLayout::workflowFile());
    entry["events_size"] = sizeOf(run, RunLayout::eventsFile());

    json tasks = json::array();
    for (const std::string &task : subdirectories(run, RunLayout::tasksDir(), tasks))
        tasks.push_back(scanTaskImpl(run, task));
    entry["tasks"] = std::move(tasks);

    json checkpoints = json::array();
    for (const std::string &id : subdirectories(run, RunLayout::checkpointsDir(), checkpoints))
        checkpoints.push_back(scanCheckpointImpl(run, id));
    entry["checkpoints"] = std::move(checkpoints);
    return entry;
}

Result<json> scanRuns(const ScanSource &root)
{
    auto list = root.list();
    if (!list)
        return std::move(list).error();
    std::sort(list->begin(), list->end(),
              [](const DirEntry &a, const DirEntry &b) { return a.name < b.name; });

    json runs = json::array();
    for (const DirEntry &e : *list) {
        if (e.type != DirEntry::Type::Directory || e.name.rfind('.', 0) == 0)
            continue;
        if (!root.stat(e.name + "/" + RunLayout::runFile()))
            continue; // not a run directory
        if (auto ok = validateId(e.name, "run directory name"); !ok) {
            runs.push_back({{"dir", e.name}, {"error", ok.error().message}});
            continue;
        }
        auto run = root.openRun(e.name);
        if (!run) {
            runs.push_back({{"dir", e.name}, {"error", run.error().message}});
            continue;
        }
        runs.push_back(scanRun(**run, e.name));
    }
    return runs;
}

Result<json> scanRoot(const std::filesystem::path &root, TimePoint now)
{
    auto dir = Dir::open(root, root.string());
    if (!dir)
        return std::move(dir).error();
    auto runs = scanRuns(DirScanSource(std::move(*dir)));
    if (!runs)
        return std::move(runs).error();
    return scanDocument(rootName(root), hostName(), ::geteuid(), now, helperVersion(),
                        std::move(*runs));
}

} // namespace vigil::protocol
