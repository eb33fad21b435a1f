// SPDX-License-Identifier: GPL-3.0-or-later
// vigil-job watch: stream the changes of one run directory, or of every run
// under a root, as JSON lines. Polls with stat(2) (inotify does not see
// changes made on other nodes of a cluster file system); only what changed is
// read again.

#include "cli.h"
#include "commands.h"
#include "protocol/format.h"
#include "protocol/ids.h"
#include "protocol/layout.h"
#include "protocol/rundir.h"
#include "protocol/scan.h"
#include "protocol/text.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <map>
#include <memory>
#include <set>
#include <unistd.h>

namespace vigil::job {

using namespace vigil::protocol;
using nlohmann::json;

namespace {

// Bytes of events.jsonl read per run and interval; the rest waits for the next one.
constexpr std::size_t kMaxEventsRead = 1024 * 1024;
// A line longer than this (without its newline) is skipped as garbage.
constexpr std::size_t kMaxEventLine = 64 * 1024;

volatile std::sig_atomic_t g_stop = 0;

void onStopSignal(int)
{
    g_stop = 1;
}

void installSignals()
{
    struct sigaction sa
    {
    };
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: nanosleep returns at once
    for (int sig : {SIGTERM, SIGINT, SIGHUP})
        ::sigaction(sig, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN); // a closed stdout shows up as EPIPE
}

void sleepSeconds(double seconds)
{
    timespec ts{static_cast<time_t>(seconds),
                static_cast<long>((seconds - std::floor(seconds)) * 1e9)};
    while (!g_stop && ::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

// What stat says about `rel`: enough to notice a replaced, grown or touched file.
std::string statSig(const Dir &dir, std::string_view rel)
{
    const auto st = dir.stat(rel);
    if (!st)
        return "-;";
    return std::to_string(st->st_ino) + ":" + std::to_string(st->st_size) + ":" +
           std::to_string(st->st_mtim.tv_sec) + "." + std::to_string(st->st_mtim.tv_nsec) + ":" +
           std::to_string(st->st_mode) + ";";
}

// Sorted valid-id subdirectories (or regular files) of `rel`; errors give an empty list.
std::vector<std::string> listNames(const Dir &dir, std::string_view rel, bool files)
{
    std::vector<std::string> names;
    auto list = dir.list(rel);
    if (!list)
        return names;
    for (const DirEntry &e : *list) {
        if (e.name.rfind('.', 0) == 0 || !isValidId(e.name))
            continue;
        if (e.type == (files ? DirEntry::Type::File : DirEntry::Type::Directory))
            names.push_back(e.name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

struct WatchedRun
{
    WatchedRun(std::string n, Dir d) : name(std::move(n)), dir(std::move(d)) {}

    std::string name;
    Dir dir;
    std::uint64_t offset = 0;                   // events.jsonl: bytes delivered
    std::map<std::string, std::string> dirSigs; // "checkpoints", "tasks", "metrics"
    std::map<std::string, std::vector<std::string>> names;
    std::map<std::string, std::string> sigs; // "checkpoint:<id>", "task:<t>", "metrics:<f>"
};

class Watcher
{
public:
    std::map<std::string, std::unique_ptr<WatchedRun>> runs;
    bool broken = false; // stdout is gone

    std::string cursor() const
    {
        std::string out;
        for (const auto &[name, run] : runs)
            out += (out.empty() ? "" : ",") + name + "=" + std::to_string(run->offset);
        return out;
    }

    void emit(json line)
    {
        if (broken)
            return;
        line["cursor"] = cursor();
        if (!printLine(dumpLine(line)))
            broken = true;
        m_lastEmit = std::chrono::steady_clock::now();
    }

    std::chrono::steady_clock::time_point lastEmit() const { return m_lastEmit; }

    // Computes the signatures of `run`, emitting a line for each change unless `silent`.
    void checkFiles(WatchedRun &run, bool silent)
    {
        checkGroup(run, RunLayout::checkpointsDir(), false, silent, [&](const std::string &id) {
            const std::string d = RunLayout::checkpointDir(id);
            return statSig(run.dir, d) + statSig(run.dir, RunLayout::request(id)) +
                   statSig(run.dir, RunLayout::decision(id)) + statSig(run.dir, RunLayout::ack(id));
        });
        checkGroup(run, RunLayout::tasksDir(), false, silent, [&](const std::string &t) {
            return statSig(run.dir, RunLayout::taskDir(t)) +
                   statSig(run.dir, RunLayout::taskState(t)) +
                   statSig(run.dir, RunLayout::taskSubmission(t)) +
                   statSig(run.dir, RunLayout::taskDoneMarker(t)) +
                   statSig(run.dir, RunLayout::taskFailedMarker(t));
        });
        checkGroup(run, RunLayout::metricsDir(), true, silent, [&](const std::string &f) {
            return statSig(run.dir, RunLayout::metricsDir() + "/" + f);
        });
    }

    // Emits the complete new lines of events.jsonl.
    void readEvents(WatchedRun &run)
    {
        const std::string file = RunLayout::eventsFile();
        const auto st = run.dir.stat(file);
        if (!st || !S_ISREG(st->st_mode))
            return;
        const auto size = static_cast<std::uint64_t>(st->st_size);
        if (size < run.offset) {
            emit({{"type", "events_truncated"}, {"run", run.name}, {"size", size}});
            run.offset = size;
            return;
        }
        if (size == run.offset)
            return;
        Fd fd(::openat(run.dir.fd(), file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
        if (!fd.valid())
            return;
        std::string buf(
            static_cast<std::size_t>(std::min<std::uint64_t>(size - run.offset, kMaxEventsRead)),
            '\0');
        const ssize_t n = ::pread(fd.get(), buf.data(), buf.size(), static_cast<off_t>(run.offset));
        if (n <= 0)
            return;
        buf.resize(static_cast<std::size_t>(n));
        std::size_t pos = 0;
        while (!broken) {
            const std::size_t nl = buf.find('\n', pos);
            if (nl == std::string::npos) {
                if (buf.size() - pos > kMaxEventLine) {
                    emit({{"type", "event_error"},
                          {"run", run.name},
                          {"offset", run.offset},
                          {"error", "events.jsonl: a line longer than 64 KiB: skipped"}});
                    run.offset += buf.size() - pos;
                }
                break;
            }
            const std::string line = buf.substr(pos, nl - pos);
            const std::uint64_t at = run.offset;
            run.offset += nl + 1 - pos;
            pos = nl + 1;
            if (line.empty())
                continue;
            auto doc = parseJson(line, "events.jsonl");
            if (!doc || !doc->is_object()) {
                emit({{"type", "event_error"},
                      {"run", run.name},
                      {"offset", at},
                      {"error", "events.jsonl: the line at offset " + std::to_string(at) +
                                    " is not a JSON object"}});
                continue;
            }
            emit({{"type", "event"}, {"run", run.name}, {"offset", at}, {"event", *doc}});
        }
    }

private:
    template <typename SigFn>
    void checkGroup(WatchedRun &run, const std::string &group, bool files, bool silent, SigFn sigOf)
    {
        const std::string dirSig = statSig(run.dir, group);
        auto &names = run.names[group];
        if (run.dirSigs[group] != dirSig) {
            run.dirSigs[group] = dirSig;
            const std::vector<std::string> now = listNames(run.dir, group, files);
            for (const std::string &old : names) {
                if (!std::binary_search(now.begin(), now.end(), old)) {
                    run.sigs.erase(group + ":" + old);
                    if (!silent)
                        emit({{"type",
                               group == "metrics" ? "metrics_removed" : kindOf(group) + "_removed"},
                              {"run", run.name},
                              {"name", old}});
                }
            }
            names = now;
        }
        for (const std::string &name : names) {
            std::string sig = sigOf(name);
            std::string &stored = run.sigs[group + ":" + name];
            if (stored == sig)
                continue;
            stored = std::move(sig);
            if (silent || broken)
                continue;
            if (group == RunLayout::checkpointsDir()) {
                emit({{"type", "checkpoint"},
                      {"run", run.name},
                      {"checkpoint", scanCheckpoint(run.dir, name)}});
            } else if (group == RunLayout::tasksDir()) {
                emit({{"type", "task"}, {"run", run.name}, {"task", scanTask(run.dir, name)}});
            } else {
                const auto st = run.dir.stat(group + "/" + name);
                emit({{"type", "metrics"},
                      {"run", run.name},
                      {"file", group + "/" + name},
                      {"size", st ? json(static_cast<std::int64_t>(st->st_size)) : json(nullptr)}});
            }
        }
    }

    static std::string kindOf(const std::string &group)
    {
        return group == RunLayout::checkpointsDir() ? "checkpoint" : "task";
    }

    std::chrono::steady_clock::time_point m_lastEmit = std::chrono::steady_clock::now();
};

// "RUN=OFFSET,RUN=OFFSET"
Result<std::map<std::string, std::uint64_t>> parseCursor(const std::string &text)
{
    std::map<std::string, std::uint64_t> out;
    if (text.empty())
        return out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t comma = text.find(',', pos);
        if (comma == std::string::npos)
            comma = text.size();
        const std::string item = text.substr(pos, comma - pos);
        const std::size_t eq = item.find('=');
        if (eq == std::string::npos || !isValidId(item.substr(0, eq)) || eq + 1 == item.size() ||
            item.size() - eq - 1 > 18 ||
            item.find_first_not_of("0123456789", eq + 1) != std::string::npos)
            return Error("invalid cursor " + quote(text) + ": expected RUN=OFFSET[,RUN=OFFSET...]");
        out[item.substr(0, eq)] = std::stoull(item.substr(eq + 1));
        pos = comma + 1;
    }
    return out;
}

// The offset where a resumed run starts: the cursor's when it is a line start.
std::uint64_t resumeOffset(const WatchedRun &run, std::uint64_t wanted)
{
    const auto st = run.dir.stat(RunLayout::eventsFile());
    const std::uint64_t size = st ? static_cast<std::uint64_t>(st->st_size) : 0;
    if (wanted == 0 || wanted > size)
        return wanted > size ? 0 : wanted; // a shorter file was replaced: replay it all
    Fd fd(::openat(run.dir.fd(), RunLayout::eventsFile().c_str(),
                   O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    char c = 0;
    if (fd.valid() && ::pread(fd.get(), &c, 1, static_cast<off_t>(wanted - 1)) == 1 && c == '\n')
        return wanted;
    return 0;
}

std::uint64_t eventsSize(const Dir &dir)
{
    const auto st = dir.stat(RunLayout::eventsFile());
    return st && S_ISREG(st->st_mode) ? static_cast<std::uint64_t>(st->st_size) : 0;
}

} // namespace

int runWatch(const std::vector<std::string> &argv)
{
    constexpr std::string_view cmd = "watch";
    static const std::vector<OptionSpec> specs = {
        {"run-dir", true, false}, {"root", true, false},         {"interval", true, false},
        {"since", true, false},   {"since-cursor", true, false}, {"heartbeat", true, false},
    };
    auto args = Args::parse(argv, specs, 0, false);
    if (!args)
        return usage(cmd, args.error().message);
    double interval = 1.0;
    if (auto v = args->value("interval")) {
        char *end = nullptr;
        interval = std::strtod(v->c_str(), &end);
        if (v->empty() || *end != '\0' || !std::isfinite(interval) || interval < 0.05 ||
            interval > 3600)
            return usage(cmd, "--interval " + quote(*v) + ": expected seconds from 0.05 to 3600");
    }
    double heartbeat = 30.0;
    if (auto v = args->value("heartbeat")) {
        char *end = nullptr;
        heartbeat = std::strtod(v->c_str(), &end);
        if (v->empty() || *end != '\0' || !std::isfinite(heartbeat) || heartbeat < 0 ||
            heartbeat > 86400)
            return usage(cmd, "--heartbeat " + quote(*v) + ": expected seconds (0: none)");
    }
    if (args->has("since") && args->has("since-cursor"))
        return usage(cmd, "--since and --since-cursor are the same option");
    std::optional<std::map<std::string, std::uint64_t>> since;
    if (auto v = args->has("since") ? args->value("since") : args->value("since-cursor")) {
        auto c = parseCursor(*v);
        if (!c)
            return usage(cmd, c.error().message);
        since = std::move(*c);
    }
    const auto root = args->value("root");
    if (root && args->has("run-dir"))
        return usage(cmd, "--root and --run-dir exclude each other");
    const auto runDir = root ? std::nullopt : runDirFrom(*args);
    if (!root && !runDir)
        return usage(cmd, "--root ROOT or a run directory (--run-dir or VIGIL_RUN_DIR) is needed");

    installSignals();
    Watcher w;
    auto startOffset = [&](WatchedRun &run) {
        if (!since)
            return eventsSize(run.dir);
        const auto it = since->find(run.name);
        return it == since->end() ? 0 : resumeOffset(run, it->second);
    };

    std::optional<Dir> rootDir;
    std::string rootSig;
    std::map<std::string, bool> candidates; // root mode: every directory, true when it is a run
    auto addRun = [&](const std::string &name, Dir dir, bool announce) {
        auto run = std::make_unique<WatchedRun>(name, std::move(dir));
        run->dir.setDisplay({});
        w.checkFiles(*run, true);
        run->offset = announce ? 0 : startOffset(*run);
        WatchedRun &ref = *run;
        w.runs[name] = std::move(run);
        if (announce)
            w.emit({{"type", "run"}, {"run", name}, {"entry", scanRun(ref.dir, name)}});
    };
    // Root mode: notices new and removed runs.
    auto checkRoot = [&](bool announce) {
        struct stat st
        {
        };
        const std::string sig = ::fstat(rootDir->fd(), &st) != 0
                                    ? std::string("-")
                                    : std::to_string(st.st_mtim.tv_sec) + "." +
                                          std::to_string(st.st_mtim.tv_nsec) + ":" +
                                          std::to_string(st.st_nlink);
        const bool relist = sig != rootSig;
        rootSig = sig;
        if (relist) {
            std::set<std::string> present;
            if (auto list = rootDir->list()) {
                for (const DirEntry &e : *list) {
                    if (e.type == DirEntry::Type::Directory && e.name.rfind('.', 0) != 0 &&
                        isValidId(e.name))
                        present.insert(e.name);
                }
            }
            for (auto it = candidates.begin(); it != candidates.end();) {
                if (present.count(it->first) != 0) {
                    ++it;
                    continue;
                }
                if (w.runs.erase(it->first) != 0 && announce)
                    w.emit({{"type", "run_removed"}, {"run", it->first}});
                it = candidates.erase(it);
            }
            for (const std::string &name : present)
                candidates.emplace(name, false);
        }
        for (auto &[name, isRun] : candidates) {
            if (isRun || !rootDir->stat(name + "/" + RunLayout::runFile()))
                continue;
            auto dir = rootDir->openSub(name);
            if (!dir)
                continue;
            isRun = true;
            addRun(name, std::move(*dir), announce);
        }
    };

    json snapshot;
    if (root) {
        auto dir = Dir::open(*root, *root);
        if (!dir)
            return fail(cmd, dir.error());
        rootDir = std::move(*dir);
        rootDir->setDisplay({});
        checkRoot(false);
        auto doc = scanRoot(*root, now());
        if (!doc)
            return fail(cmd, doc.error());
        snapshot = std::move(*doc);
    } else {
        auto doc = scanRunDir(*runDir, now());
        if (!doc)
            return fail(cmd, doc.error());
        auto dir = Dir::open(*runDir, "");
        if (!dir)
            return fail(cmd, dir.error());
        addRun(runDirName(*runDir), std::move(*dir), false);
        // Take the snapshot after the signatures: a change in between is reported twice, never
        // lost.
        auto again = scanRunDir(*runDir, now());
        snapshot = again ? std::move(*again) : std::move(*doc);
    }
    w.emit({{"type", "snapshot"}, {"scan", std::move(snapshot)}});

    while (!g_stop && !w.broken) {
        if (rootDir)
            checkRoot(true);
        for (auto &[name, run] : w.runs) {
            if (g_stop || w.broken)
                break;
            w.checkFiles(*run, false);
            w.readEvents(*run);
        }
        if (heartbeat > 0 && std::chrono::steady_clock::now() - w.lastEmit() >=
                                 std::chrono::duration<double>(heartbeat))
            w.emit({{"type", "heartbeat"}, {"time", formatUtc(now())}});
        if (g_stop || w.broken)
            break;
        sleepSeconds(interval);
    }
    return kExitOk;
}

} // namespace vigil::job
