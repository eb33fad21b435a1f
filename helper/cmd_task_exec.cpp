// SPDX-License-Identifier: GPL-3.0-or-later
// vigil-job task-exec: run one task's command and record its state.

#include "cli.h"
#include "commands.h"
#include "protocol/events.h"
#include "protocol/format.h"
#include "protocol/ids.h"
#include "protocol/rundir.h"
#include "protocol/text.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace vigil::job {

using namespace vigil::protocol;

namespace {

// The signals passed on to the command (SLURM sends SIGTERM before SIGKILL,
// and --signal=USR1 etc. when asked).
constexpr int kForwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

volatile sig_atomic_t g_child = 0;

extern "C" void forwardSignal(int sig)
{
    const pid_t child = g_child;
    if (child > 0)
        ::kill(child, sig);
}

sigset_t forwardedSet()
{
    sigset_t set;
    sigemptyset(&set);
    for (const int sig : kForwarded)
        sigaddset(&set, sig);
    return set;
}

void installForwarding()
{
    struct sigaction sa
    {
    };
    sa.sa_handler = forwardSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (const int sig : kForwarded)
        ::sigaction(sig, &sa, nullptr);
}

[[noreturn]] void execChild(const std::vector<std::string> &command, int goPipe, int errorPipe,
                            const sigset_t &oldMask)
{
    // Wait until the parent has recorded the task as running.
    char c;
    while (::read(goPipe, &c, 1) < 0 && errno == EINTR) {
    }
    struct sigaction sa
    {
    };
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (const int sig : kForwarded)
        ::sigaction(sig, &sa, nullptr);
    ::sigprocmask(SIG_SETMASK, &oldMask, nullptr);
    std::vector<char *> argv;
    for (const std::string &a : command)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    const int err = errno;
    [[maybe_unused]] const ssize_t n = ::write(errorPipe, &err, sizeof err);
    ::_exit(127);
}

// Element N of a SLURM job array: $SLURM_ARRAY_TASK_ID (digits), else empty.
Result<std::string> arrayIndex()
{
    const char *raw = std::getenv("SLURM_ARRAY_TASK_ID");
    if (raw == nullptr || *raw == '\0')
        return std::string();
    const std::string index(raw);
    if (index.size() > 9 || index.find_first_not_of("0123456789") != std::string::npos)
        return Error("SLURM_ARRAY_TASK_ID is " + quote(index) + ", not an array index");
    return index;
}

// Where this run of the task records its state: the task's own files, or
// those of its array element (layout.h).
struct TaskFiles
{
    std::string state;
    std::string done;
    std::string failed;
};

TaskFiles taskFiles(const std::string &task, const std::string &index)
{
    if (index.empty())
        return {RunLayout::taskState(task), RunLayout::taskDoneMarker(task),
                RunLayout::taskFailedMarker(task)};
    return {RunLayout::taskArrayState(task, index), RunLayout::taskArrayDoneMarker(task, index),
            RunLayout::taskArrayFailedMarker(task, index)};
}

void writeState(const RunDir &run, const std::string &file, const TaskState &state)
{
    if (auto w = run.dir().writeAtomic(file, serializeTaskState(state), run.modes().file); !w)
        warn(w.error().message);
}

void logEvent(const RunDir &run, const nlohmann::json &event)
{
    if (auto a = run.appendEvent(event); !a)
        warn(a.error().message);
}

const std::vector<OptionSpec> kSpecs = {
    {"run-dir", true, false},
    {"task", true, false},
};

} // namespace

int runTaskExec(const std::vector<std::string> &argv)
{
    constexpr std::string_view cmd = "task-exec";
    auto args = Args::parse(argv, kSpecs, 0, true);
    if (!args)
        return usage(cmd, args.error().message);
    const auto runDir = runDirFrom(*args);
    if (!runDir)
        return usage(cmd, "no run directory (--run-dir or VIGIL_RUN_DIR)");
    const auto task = taskFrom(*args);
    if (!task)
        return usage(cmd, "no task (--task or VIGIL_TASK)");
    if (args->rest().empty())
        return usage(cmd, "no command after \"--\"");
    if (auto ok = validateId(*task, "task name"); !ok)
        return fail(cmd, ok.error());
    auto run = RunDir::open(*runDir);
    if (!run)
        return fail(cmd, run.error());
    const auto index = arrayIndex();
    if (!index)
        return fail(cmd, index.error());
    const TaskFiles files = taskFiles(*task, *index);

    // Everything that can fail before the command starts.
    const Modes modes = run->modes();
    if (auto d = run->dir().makeSub(RunLayout::tasksDir(), modes.dir); !d)
        return fail(cmd, d.error());
    if (auto d = run->dir().makeSub(RunLayout::taskDir(*task), modes.dir); !d)
        return fail(cmd, d.error());
    for (const std::string &marker : {files.done, files.failed}) {
        if (auto r = run->dir().remove(marker); !r)
            return fail(cmd, r.error());
    }

    TaskState state;
    state.task = *task;
    state.state = TaskStatus::Running;
    state.startedAt = now();
    state.host = hostName();
    if (const char *job = std::getenv("SLURM_JOB_ID"); job != nullptr && *job != '\0')
        state.slurmJobId = job;

    int errorPipe[2];
    int goPipe[2];
    if (::pipe2(errorPipe, O_CLOEXEC) != 0 || ::pipe2(goPipe, O_CLOEXEC) != 0)
        return fail(cmd, "pipe: " + errnoText(errno));
    // Block the forwarded signals until the child's pid is known.
    const sigset_t set = forwardedSet();
    sigset_t oldMask;
    ::sigprocmask(SIG_BLOCK, &set, &oldMask);
    installForwarding();
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int err = errno;
        ::sigprocmask(SIG_SETMASK, &oldMask, nullptr);
        return fail(cmd, "fork: " + errnoText(err));
    }
    if (pid == 0) {
        ::close(goPipe[1]);
        execChild(args->rest(), goPipe[0], errorPipe[1], oldMask);
    }
    g_child = pid;
    ::sigprocmask(SIG_SETMASK, &oldMask, nullptr);
    ::close(errorPipe[1]);
    ::close(goPipe[0]);

    // state.json says "running" before the command starts.
    state.pid = ::getpid(); // this process: signalling it reaches the command
    writeState(*run, files.state, state);
    nlohmann::json started = makeEvent(event::kTaskStarted, state.startedAt);
    started["task"] = state.task;
    if (!index->empty())
        started["array_task_id"] = std::stoll(*index);
    started["pid"] = state.pid;
    started["host"] = state.host;
    started["slurm_job_id"] =
        state.slurmJobId ? nlohmann::json(*state.slurmJobId) : nlohmann::json(nullptr);
    logEvent(*run, started);
    ::close(goPipe[1]);

    int execErrno = 0;
    ssize_t n = 0;
    do {
        n = ::read(errorPipe[0], &execErrno, sizeof execErrno);
    } while (n < 0 && errno == EINTR);
    ::close(errorPipe[0]);
    const bool execFailed = n == static_cast<ssize_t>(sizeof execErrno);

    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            status = -1;
            break;
        }
    }
    g_child = 0;

    int exitCode = 1;
    if (execFailed) {
        fail(cmd, "cannot run " + quote(args->rest().front()) + ": " + errnoText(execErrno));
        exitCode = 127;
    } else if (status != -1 && WIFEXITED(status)) {
        exitCode = WEXITSTATUS(status);
    } else if (status != -1 && WIFSIGNALED(status)) {
        state.signal = WTERMSIG(status);
        exitCode = 128 + WTERMSIG(status);
    }
    state.exitCode = exitCode;
    state.endedAt = now();
    state.state = exitCode == 0 ? TaskStatus::Completed : TaskStatus::Failed;
    writeState(*run, files.state, state);

    const std::string &marker = exitCode == 0 ? files.done : files.failed;
    if (auto w = run->dir().writeAtomic(marker, std::to_string(exitCode) + "\n", modes.file); !w)
        warn(w.error().message);

    nlohmann::json finished = makeEvent(event::kTaskFinished, *state.endedAt);
    finished["task"] = state.task;
    if (!index->empty())
        finished["array_task_id"] = std::stoll(*index);
    finished["state"] = std::string(taskStatusName(state.state));
    finished["exit_code"] = exitCode;
    finished["signal"] = state.signal ? nlohmann::json(*state.signal) : nlohmann::json(nullptr);
    logEvent(*run, finished);
    return exitCode;
}

} // namespace vigil::job
