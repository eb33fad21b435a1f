// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/users.h"

#include "protocol/ids.h"
#include "protocol/text.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace vigil::protocol {

namespace {

bool parseUid(std::string_view text, std::uint32_t &out)
{
    if (text.empty() || text.size() > 10)
        return false;
    std::uint64_t v = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (v >= 0xffffffffULL)
        return false;
    out = static_cast<std::uint32_t>(v);
    return true;
}

// Looks `name` up in a passwd(5) file. Missing file or name: false.
bool lookupPasswd(const std::filesystem::path &file, std::string_view name, std::uint32_t &uid)
{
    std::FILE *f = std::fopen(file.c_str(), "re");
    if (f == nullptr)
        return false;
    char buf[4096];
    bool found = false;
    while (!found && std::fgets(buf, sizeof buf, f) != nullptr) {
        std::string_view line(buf);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
            line.remove_suffix(1);
        const std::size_t c1 = line.find(':');
        if (c1 == std::string_view::npos || line.substr(0, c1) != name)
            continue;
        const std::size_t c2 = line.find(':', c1 + 1);
        if (c2 == std::string_view::npos)
            continue;
        const std::size_t c3 = line.find(':', c2 + 1);
        if (c3 == std::string_view::npos)
            continue;
        found = parseUid(line.substr(c2 + 1, c3 - c2 - 1), uid);
    }
    std::fclose(f);
    return found;
}

// Runs `command -u name`; stdout and stderr go to `output`.
Result<int> runId(const std::filesystem::path &command, std::string_view name,
                  std::chrono::seconds timeout, std::string &output)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return Error("pipe: " + errnoText(errno));
    const std::string nameArg(name);
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int err = errno;
        ::close(fds[0]);
        ::close(fds[1]);
        return Error("fork: " + errnoText(err));
    }
    if (pid == 0) {
        ::dup2(fds[1], 1);
        ::dup2(fds[1], 2);
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            ::dup2(devnull, 0);
        char *argv[] = {const_cast<char *>("id"), const_cast<char *>("-u"),
                        const_cast<char *>(nameArg.c_str()), nullptr};
        ::execv(command.c_str(), argv);
        ::_exit(127);
    }
    ::close(fds[1]);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool timedOut = false;
    char buf[512];
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timedOut = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            timedOut = r == 0;
            break;
        }
        const ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (output.size() < 4096)
            output.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    if (timedOut)
        ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut)
        return Error("timed out after " + std::to_string(timeout.count()) + " s");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

Result<std::uint32_t> resolveUid(std::string_view name, const UserLookup &how)
{
    if (auto r = validateUserName(name); !r)
        return std::move(r).error();
    std::uint32_t uid = 0;
    if (lookupPasswd(how.passwdFile, name, uid))
        return uid;

    std::string why = "not in " + how.passwdFile.string();
    for (const auto &command : how.idCommands) {
        if (::access(command.c_str(), X_OK) != 0)
            continue;
        std::string output;
        auto status = runId(command, name, how.timeout, output);
        const std::string shown = "`" + command.string() + " -u " + std::string(name) + "`";
        if (!status) {
            why += ", and " + shown + " failed: " + status.error().message;
            break;
        }
        std::string_view text(output);
        while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
            text.remove_suffix(1);
        if (*status == 0 && parseUid(text, uid))
            return uid;
        why += ", and " + shown + " exited with status " + std::to_string(*status);
        if (!text.empty())
            why += ": " + truncateUtf8(text, 200);
        break;
    }
    if (why.find("`") == std::string::npos)
        why += ", and no `id` command was found";
    return Error("cannot resolve user " + quote(name) + " to a uid: " + why, Error::Kind::NotFound);
}

} // namespace vigil::protocol
