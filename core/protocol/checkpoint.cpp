// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/checkpoint.h"

#include "protocol/events.h"
#include "protocol/evidence.h"
#include "protocol/format.h"
#include "protocol/ids.h"
#include "protocol/layout.h"
#include "protocol/random.h"
#include "protocol/text.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::protocol {

namespace {

constexpr int kMaxPollRounds = 4;
constexpr mode_t kSharedCheckpointDirMode = 01770;

std::string compactUtc(TimePoint t)
{
    std::string out;
    for (const char c : formatUtc(t)) {
        if (c != '-' && c != ':')
            out += c;
    }
    return out;
}

std::string fileKey(const struct stat &st)
{
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
           std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

// Moves decision.json of `cp` aside when it is still the file `seen`.
Result<std::string> moveAside(const Dir &cp, const struct stat &seen, TimePoint now)
{
    auto suffix = randomHex(4);
    if (!suffix)
        return std::move(suffix).error();
    const std::string name =
        std::string(RunLayout::kRefusedPrefix) + compactUtc(now) + "-" + *suffix + ".json";
    const std::string from(RunLayout::kDecisionName);
    if (::renameat(cp.fd(), from.c_str(), cp.fd(), name.c_str()) != 0)
        return Error(cp.displayOf(from) + ": cannot move it aside: " + errnoText(errno));
    struct stat moved
    {
    };
    if (::fstatat(cp.fd(), name.c_str(), &moved, AT_SYMLINK_NOFOLLOW) != 0 ||
        moved.st_dev != seen.st_dev || moved.st_ino != seen.st_ino) {
        // Another file took its place between the check and the move: put it back.
        ::linkat(cp.fd(), name.c_str(), cp.fd(), from.c_str(), 0);
        ::unlinkat(cp.fd(), name.c_str(), 0);
        return Error(cp.displayOf(from) + ": changed while it was being checked");
    }
    ::fsync(cp.fd());
    return name;
}

} // namespace

Result<Request> readRequest(const Dir &run, std::string_view id)
{
    if (auto r = validateId(id, "checkpoint id"); !r)
        return std::move(r).error();
    const std::string file = RunLayout::request(id);
    return requestFromFile(id, run.read(file, kMaxFileSize), run.displayOf(file));
}

Result<Request> requestFromFile(std::string_view id, Result<FileData> data,
                                const std::string &shown)
{
    if (!data) {
        if (data.error().kind == Error::Kind::NotFound)
            return Error("no checkpoint " + quote(id) + " (" + data.error().message + ")",
                         Error::Kind::NotFound);
        return std::move(data).error();
    }
    auto request = parseRequest(data->bytes, shown);
    if (!request)
        return request;
    if (request->id != id)
        return Error(shown + ": field \"id\" is " + quote(request->id) + " but the directory is " +
                         quote(id),
                     Error::Kind::Malformed);
    return request;
}

Result<PostedCheckpoint> postCheckpoint(const RunDir &run, const Request &request)
{
    const std::string file = RunLayout::request(request.id);
    if (auto r = validateRequest(request, file); !r)
        return std::move(r).error();
    const Modes modes = run.modes();
    auto checkpoints = run.dir().makeSub(RunLayout::checkpointsDir(), modes.dir);
    if (!checkpoints)
        return std::move(checkpoints).error();
    auto cp = checkpoints->makeSub(request.id, modes.dir);
    if (!cp)
        return std::move(cp).error();

    PostedCheckpoint out{request, false, {}};
    auto created =
        cp->createNoClobber(RunLayout::kRequestName, serializeRequest(request), modes.file);
    if (!created) {
        if (created.error().kind != Error::Kind::AlreadyExists)
            return std::move(created).error();
        auto stored = readRequest(run.dir(), request.id);
        if (!stored)
            return std::move(stored).error();
        if (!sameQuestion(*stored, request))
            return Error("checkpoint " + quote(request.id) +
                             " was already posted with a different request (at " +
                             formatUtc(stored->createdAt) + "): use another id",
                         Error::Kind::Conflict);
        out.request = std::move(*stored);
        out.existing = true;
        return out;
    }

    const uid_t self = ::geteuid();
    for (const std::uint32_t uid : request.allowedUids()) {
        if (uid == self)
            continue;
        if (::fchmod(cp->fd(), kSharedCheckpointDirMode) != 0)
            out.warnings.push_back(cp->displayOf("") + ": chmod 1770: " + errnoText(errno));
        if (!run.info().groupReadable)
            out.warnings.push_back("approver uid " + std::to_string(uid) +
                                   " is not the job owner, but the run is not group-readable: "
                                   "they cannot reach this checkpoint (init the run with "
                                   "--group-readable)");
        break;
    }

    nlohmann::json event = makeEvent(event::kCheckpointPosted, request.createdAt);
    event["checkpoint"] = request.id;
    event["title"] = truncateUtf8(request.title, 256);
    event["deadline"] =
        request.deadline ? nlohmann::json(formatUtc(*request.deadline)) : nlohmann::json(nullptr);
    if (request.task)
        event["task"] = *request.task;
    if (auto a = run.appendEvent(event); !a)
        out.warnings.push_back(a.error().message);
    return out;
}

DecisionVerdict judgeDecision(const Request &request, const FileData &file,
                              std::string_view fileName)
{
    DecisionVerdict v;
    v.ownerUid = file.ownerUid;
    auto parsed = parseDecision(file.bytes, fileName);
    if (!parsed) {
        v.refusal = parsed.error();
        return v;
    }
    v.decision = std::move(*parsed);
    if (auto r = checkDecision(request, *v.decision, fileName); !r)
        v.refusal = r.error();
    else if (auto o = checkDecisionOwner(request, *v.decision, file.ownerUid, fileName); !o)
        v.refusal = o.error();
    return v;
}

Result<DecisionStatus> pollDecision(const RunDir &run, std::string_view id,
                                    const PollOptions &options)
{
    auto request = readRequest(run.dir(), id);
    if (!request)
        return std::move(request).error();
    auto cp = run.dir().openSub(RunLayout::checkpointDir(id));
    if (!cp)
        return std::move(cp).error();
    const std::string file = RunLayout::decision(id);
    DecisionStatus status{std::move(*request), std::nullopt, false, {}};
    const Request &req = status.request;

    for (int round = 0; round < kMaxPollRounds; ++round) {
        const auto seen = cp->stat(RunLayout::kDecisionName);
        if (seen) {
            DecisionVerdict verdict;
            auto data = cp->read(RunLayout::kDecisionName, kMaxFileSize);
            if (data && (data->device != seen->st_dev || data->inode != seen->st_ino))
                continue; // replaced between stat and open: look again
            if (data) {
                verdict = judgeDecision(req, *data, file);
                // The metrics the decider saw: their first bytes must not have changed.
                if (verdict.valid() && options.checkEvidence) {
                    if (auto e = verifyEvidence(run.dir(), req, *verdict.decision, file); !e)
                        verdict.refusal = e.error();
                }
            } else {
                if (data.error().kind == Error::Kind::NotFound)
                    continue;
                verdict.refusal = data.error();
                verdict.ownerUid = seen->st_uid;
            }
            if (verdict.valid()) {
                status.decision = std::move(verdict.decision);
                return status;
            }
            // Refused: never applied. Move it aside so that an approver can still decide.
            const std::string reason = verdict.refusal->message;
            auto moved = moveAside(*cp, *seen, options.now);
            status.warnings.push_back(
                "refused a decision: " + reason +
                (moved ? " (moved to " + *moved + ")" : " (" + moved.error().message + ")"));
            if (!options.reported || options.reported->insert(fileKey(*seen)).second) {
                nlohmann::json event = makeEvent(event::kDecisionRefused, options.now);
                event["checkpoint"] = req.id;
                event["reason"] = truncateUtf8(reason, 1024);
                event["owner_uid"] = verdict.ownerUid;
                event["moved_to"] = moved ? nlohmann::json(*moved) : nlohmann::json(nullptr);
                if (verdict.decision) {
                    event["decision_id"] = verdict.decision->decisionId;
                    event["decided_by"] = truncateUtf8(verdict.decision->decidedBy, 64);
                }
                if (auto a = run.appendEvent(event); !a)
                    status.warnings.push_back(a.error().message);
            }
            if (!moved)
                return status; // stays pending while the refused file is in the way
            continue;
        }

        if (!options.commitTimeout || !req.deadline || options.now < *req.deadline)
            return status;

        auto timeout = makeTimeoutDecision(req, options.host, options.now);
        if (!timeout)
            return std::move(timeout).error();
        auto created = cp->createNoClobber(RunLayout::kDecisionName, serializeDecision(*timeout),
                                           run.modes().file);
        if (!created) {
            if (created.error().kind == Error::Kind::AlreadyExists)
                continue; // somebody decided just now: judge that decision
            return Error(file + ": " + created.error().message, created.error().kind);
        }
        nlohmann::json event = makeEvent(event::kTimeoutDefault, options.now);
        event["checkpoint"] = req.id;
        event["option"] = timeout->option;
        event["decision_id"] = timeout->decisionId;
        if (auto a = run.appendEvent(event); !a)
            status.warnings.push_back(a.error().message);
        status.decision = std::move(*timeout);
        status.committedTimeout = true;
        return status;
    }
    status.warnings.push_back(file + ": kept changing while being read; still pending");
    return status;
}

Result<Ack> writeAck(const RunDir &run, std::string_view id, std::string outcome, TimePoint now)
{
    PollOptions options;
    options.now = now;
    options.commitTimeout = false;
    options.checkEvidence = false; // the job has this decision already
    auto status = pollDecision(run, id, options);
    if (!status)
        return std::move(status).error();
    if (!status->decision)
        return Error("checkpoint " + quote(id) + " has no valid decision to acknowledge yet",
                     Error::Kind::Pending);
    Ack ack{std::string(id), status->decision->decisionId, now, std::move(outcome)};
    const std::string file = RunLayout::ack(id);
    if (auto r = validateAck(ack, file); !r)
        return std::move(r).error();
    if (auto w = run.dir().writeAtomic(file, serializeAck(ack), run.modes().file); !w)
        return std::move(w).error();
    nlohmann::json event = makeEvent(event::kAckWritten, now);
    event["checkpoint"] = ack.checkpoint;
    event["decision_id"] = ack.decisionId;
    event["outcome"] = truncateUtf8(ack.outcome, 1024);
    (void)run.appendEvent(event); // the ack itself is written: a lost event is not fatal
    return ack;
}

} // namespace vigil::protocol
