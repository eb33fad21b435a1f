// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/metrics.h"

#include "protocol/ids.h"
#include "protocol/text.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fcntl.h>
#include <set>
#include <unistd.h>

namespace vigil::protocol {

namespace {

constexpr std::size_t kMaxHeaderRead = 64 * 1024;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

std::string join(const std::vector<std::string> &cells)
{
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0)
            out += ',';
        out += cells[i];
    }
    return out;
}

// The first line of `rel` (without '\n'); NotFound when the file is missing.
Result<std::string> readHeader(const Dir &metrics, const std::string &leaf,
                               const std::string &shown)
{
    Fd fd(::openat(metrics.fd(), leaf.c_str(),
                   O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    if (!fd.valid()) {
        const int err = errno;
        if (err == ENOENT)
            return Error(shown + ": " + errnoText(err), Error::Kind::NotFound);
        if (err == ELOOP)
            return Error(shown + ": is a symbolic link: refused", Error::Kind::Unsupported);
        return Error(shown + ": " + errnoText(err));
    }
    struct stat st
    {
    };
    if (::fstat(fd.get(), &st) != 0)
        return Error(shown + ": " + errnoText(errno));
    if (!S_ISREG(st.st_mode))
        return Error(shown + ": not a regular file: refused", Error::Kind::Unsupported);
    std::string buf(kMaxHeaderRead, '\0');
    std::size_t got = 0;
    while (got < buf.size()) {
        const ssize_t n =
            ::pread(fd.get(), buf.data() + got, buf.size() - got, static_cast<off_t>(got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error(shown + ": " + errnoText(errno));
        if (n == 0)
            break;
        got += static_cast<std::size_t>(n);
        if (buf.find('\n') < got)
            break;
    }
    const std::size_t nl = buf.find('\n');
    if (nl >= got)
        return Error(shown + ": has no complete header line: refused", Error::Kind::Malformed);
    std::string header = buf.substr(0, nl);
    if (!header.empty() && header.back() == '\r')
        header.pop_back();
    return header;
}

std::vector<std::string> splitComma(const std::string &line)
{
    std::vector<std::string> out(1);
    for (char c : line) {
        if (c == ',')
            out.emplace_back();
        else
            out.back() += c;
    }
    return out;
}

} // namespace

bool isMetricNumber(std::string_view t)
{
    std::size_t i = 0;
    if (i < t.size() && t[i] == '-')
        ++i;
    std::size_t intDigits = 0, fracDigits = 0;
    while (i < t.size() && isDigit(t[i])) {
        ++i;
        ++intDigits;
    }
    if (i < t.size() && t[i] == '.') {
        ++i;
        while (i < t.size() && isDigit(t[i])) {
            ++i;
            ++fracDigits;
        }
    }
    if (intDigits == 0 && fracDigits == 0)
        return false;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '+' || t[i] == '-'))
            ++i;
        std::size_t expDigits = 0;
        while (i < t.size() && isDigit(t[i])) {
            ++i;
            ++expDigits;
        }
        if (expDigits == 0)
            return false;
    }
    if (i != t.size() || t.size() > 64)
        return false;
    const std::string s(t);
    return std::isfinite(std::strtod(s.c_str(), nullptr));
}

Result<void> validateMetricsFile(std::string_view rel)
{
    const std::string shown = "metrics file " + quote(rel);
    constexpr std::string_view prefix = "metrics/";
    constexpr std::string_view suffix = ".csv";
    if (rel.size() <= prefix.size() + suffix.size() || rel.substr(0, prefix.size()) != prefix ||
        rel.substr(rel.size() - suffix.size()) != suffix)
        return Error(shown + ": expected metrics/NAME.csv", Error::Kind::Malformed);
    const std::string_view leaf = rel.substr(prefix.size());
    if (auto ok = validateId(leaf, "metrics file name"); !ok)
        return Error(shown + ": " + ok.error().message, Error::Kind::Malformed);
    return {};
}

Result<std::pair<std::string, std::string>> parseMetricArg(std::string_view arg)
{
    const std::size_t eq = arg.find('=');
    if (eq == std::string_view::npos)
        return Error("expected KEY=VALUE, got " + quote(arg), Error::Kind::Malformed);
    std::string key(arg.substr(0, eq));
    std::string value(arg.substr(eq + 1));
    if (auto ok = validateId(key, "metric key"); !ok)
        return ok.error();
    if (!isMetricNumber(value))
        return Error("metric " + quote(key) + ": " + quote(value) +
                         " is not a finite number (e.g. 0.25, -3, 1e-4)",
                     Error::Kind::Malformed);
    return std::pair{std::move(key), std::move(value)};
}

Result<MetricsRow> appendMetricsRow(const RunDir &run, std::string_view rel,
                                    const std::vector<std::pair<std::string, std::string>> &values,
                                    std::optional<std::int64_t> step)
{
    if (auto ok = validateMetricsFile(rel); !ok)
        return ok.error();
    if (values.empty())
        return Error("no KEY=VALUE given", Error::Kind::Malformed);
    std::vector<std::string> keys;
    std::set<std::string> seen;
    if (step) {
        keys.emplace_back(kStepColumn);
        seen.insert(std::string(kStepColumn));
    }
    for (const auto &[key, value] : values) {
        if (auto ok = validateId(key, "metric key"); !ok)
            return ok.error();
        if (!isMetricNumber(value))
            return Error("metric " + quote(key) + ": " + quote(value) + " is not a finite number",
                         Error::Kind::Malformed);
        if (!seen.insert(key).second)
            return Error("metric " + quote(key) + " is given twice" +
                             (key == kStepColumn && step ? " (--step fills it)" : ""),
                         Error::Kind::Malformed);
        keys.push_back(key);
    }
    if (keys.size() > kMaxMetricColumns)
        return Error("too many metrics in one row (at most " + std::to_string(kMaxMetricColumns) +
                         ")",
                     Error::Kind::Malformed);
    auto valueOf = [&](const std::string &column) -> std::string {
        if (step && column == kStepColumn)
            return std::to_string(*step);
        for (const auto &[key, value] : values) {
            if (key == column)
                return value;
        }
        return {};
    };

    const std::string file(rel);
    const std::string leaf = file.substr(file.find('/') + 1);
    auto metrics = run.dir().makeSub(RunLayout::metricsDir(), run.modes().dir);
    if (!metrics)
        return std::move(metrics).error();

    MetricsRow out;
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto header = readHeader(*metrics, leaf, file);
        if (!header && header.error().kind != Error::Kind::NotFound)
            return std::move(header).error();
        if (!header) {
            // A new file: header and first row appear together.
            std::vector<std::string> cells;
            for (const std::string &k : keys)
                cells.push_back(valueOf(k));
            out.header = keys;
            out.line = join(cells) + "\n";
            const std::string bytes = join(keys) + "\n" + out.line;
            if (bytes.size() > 2 * kMaxMetricLineBytes)
                return Error("the row is too long", Error::Kind::TooLarge);
            auto created = metrics->createNoClobber(leaf, bytes, run.modes().file);
            if (created) {
                out.created = true;
                return out;
            }
            if (created.error().kind != Error::Kind::AlreadyExists)
                return std::move(created).error();
            continue; // another writer created it first: append to theirs
        }
        out.header = splitComma(*header);
        const std::set<std::string> columns(out.header.begin(), out.header.end());
        for (const std::string &k : keys) {
            if (columns.count(k) == 0)
                return Error(file + ": " + quote(k) + " is not a column (the header is " +
                                 quote(*header) +
                                 "; a file's columns never change: use another --file)",
                             Error::Kind::Conflict);
        }
        std::vector<std::string> cells;
        for (const std::string &c : out.header)
            cells.push_back(valueOf(c));
        out.line = join(cells) + "\n";
        if (out.line.size() > kMaxMetricLineBytes)
            return Error("the row is " + std::to_string(out.line.size()) + " bytes long (at most " +
                             std::to_string(kMaxMetricLineBytes) + ")",
                         Error::Kind::TooLarge);
        auto appended = metrics->append(leaf, out.line, run.modes().file);
        if (!appended)
            return std::move(appended).error();
        return out;
    }
    return Error(file + ": cannot create or append", Error::Kind::Generic);
}

} // namespace vigil::protocol
