// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/rundir.h"

#include "protocol/events.h"
#include "protocol/format.h"
#include "protocol/ids.h"
#include "protocol/text.h"

#include <cerrno>
#include <climits>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::protocol {

std::string hostName()
{
    char buf[HOST_NAME_MAX + 1] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0)
        return {};
    return buf;
}

Result<RunDir> RunDir::open(const std::filesystem::path &path)
{
    auto dir = Dir::open(path, "");
    if (!dir)
        return Error(path.string() + ": " + dir.error().message, dir.error().kind);
    auto data = dir->read(RunLayout::runFile(), kMaxFileSize);
    if (!data) {
        if (data.error().kind == Error::Kind::NotFound)
            return Error(path.string() + ": not a run directory (no run.json): create it with "
                                         "`vigil-job init-run`",
                         Error::Kind::NotFound);
        return Error(path.string() + "/" + data.error().message, data.error().kind);
    }
    auto info = parseRunInfo(data->bytes, RunLayout::runFile());
    if (!info)
        return Error(path.string() + "/" + info.error().message, info.error().kind);
    return RunDir(path, std::move(*dir), std::move(*info));
}

Result<void> RunDir::appendEvent(const nlohmann::json &event) const
{
    return protocol::appendEvent(m_dir, event, modes().file);
}

Result<InitRunResult> initRun(const std::filesystem::path &path, RunInfo info)
{
    if (auto r = validateId(info.runId, "run id"); !r)
        return std::move(r).error();
    const Modes modes = modesFor(info.groupReadable);
    const std::string shown = path.string();

    bool madeRoot = ::mkdir(path.c_str(), modes.dir) == 0;
    if (!madeRoot && errno != EEXIST) {
        const int err = errno;
        if (err == ENOENT)
            return Error(shown + ": the parent directory does not exist", Error::Kind::NotFound);
        return Error(shown + ": " + errnoText(err),
                     err == EACCES ? Error::Kind::Permission : Error::Kind::Generic);
    }
    auto dir = Dir::open(path, "");
    if (!dir)
        return Error(shown + ": " + dir.error().message, dir.error().kind);
    if (madeRoot && ::fchmod(dir->fd(), modes.dir) != 0)
        return Error(shown + ": chmod: " + errnoText(errno));

    // An existing run: the same id is fine, another id is a conflict.
    auto existing = dir->read(RunLayout::runFile(), kMaxFileSize);
    if (existing) {
        auto old = parseRunInfo(existing->bytes, RunLayout::runFile());
        if (!old)
            return Error(shown + "/" + old.error().message, old.error().kind);
        if (old->runId != info.runId)
            return Error(shown + ": already holds run " + quote(old->runId) + ", not " +
                             quote(info.runId),
                         Error::Kind::Conflict);
        return InitRunResult{std::move(*old), false};
    }
    if (existing.error().kind != Error::Kind::NotFound)
        return Error(shown + "/" + existing.error().message, existing.error().kind);

    if (!madeRoot) {
        auto entries = dir->list();
        if (!entries)
            return Error(shown + ": " + entries.error().message, entries.error().kind);
        for (const DirEntry &e : *entries) {
            const bool ours =
                e.name == RunLayout::metricsDir() || e.name == RunLayout::tasksDir() ||
                e.name == RunLayout::checkpointsDir() || e.name == RunLayout::eventsFile() ||
                e.name.rfind(".run.json.", 0) == 0;
            if (!ours)
                return Error(shown + ": exists and is not a run directory (it contains " +
                                 quote(e.name) + ")",
                             Error::Kind::Conflict);
        }
    }
    for (const std::string &sub :
         {RunLayout::metricsDir(), RunLayout::tasksDir(), RunLayout::checkpointsDir()}) {
        if (auto d = dir->makeSub(sub, modes.dir); !d)
            return Error(shown + "/" + d.error().message, d.error().kind);
    }
    if (auto a = dir->append(RunLayout::eventsFile(), "", modes.file); !a)
        return Error(shown + "/" + a.error().message, a.error().kind);

    auto created = dir->createNoClobber(RunLayout::runFile(), serializeRunInfo(info), modes.file);
    if (!created) {
        if (created.error().kind == Error::Kind::AlreadyExists) // a concurrent init-run won
            return initRun(path, std::move(info));
        return Error(shown + "/" + created.error().message, created.error().kind);
    }
    nlohmann::json event = makeEvent(event::kRunCreated, info.createdAt);
    event["run_id"] = info.runId;
    if (auto a = appendEvent(*dir, event, modes.file); !a)
        return Error(shown + "/" + a.error().message, a.error().kind);
    return InitRunResult{std::move(info), true};
}

} // namespace vigil::protocol
