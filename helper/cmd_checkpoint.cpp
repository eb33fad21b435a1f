// SPDX-License-Identifier: GPL-3.0-or-later
// vigil-job checkpoint: post a request and return at once.

#include "cli.h"
#include "commands.h"
#include "protocol/checkpoint.h"
#include "protocol/fileio.h"
#include "protocol/format.h"
#include "protocol/ids.h"
#include "protocol/random.h"
#include "protocol/rundir.h"
#include "protocol/text.h"
#include "protocol/users.h"

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <unistd.h>

namespace vigil::job {

using namespace vigil::protocol;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxBodyBytes = 512 * 1024;

// Splits at unescaped `sep`; "\," gives ',' and "\\" gives '\'.
std::vector<std::string> splitEscaped(std::string_view text, char sep)
{
    std::vector<std::string> parts(1);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == sep || text[i + 1] == '\\')) {
            parts.back() += text[++i];
        } else if (text[i] == sep) {
            parts.emplace_back();
        } else {
            parts.back() += text[i];
        }
    }
    return parts;
}

Result<json> parseValue(ParamType type, const std::string &text, std::string_view what)
{
    const std::string shown = std::string(what) + " " + quote(text);
    switch (type) {
    case ParamType::Number: {
        char *end = nullptr;
        errno = 0;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
            return Error(shown + ": expected a number");
        return json(v);
    }
    case ParamType::Integer: {
        char *end = nullptr;
        errno = 0;
        const long long v = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0' || errno == ERANGE)
            return Error(shown + ": expected an integer");
        return json(static_cast<std::int64_t>(v));
    }
    case ParamType::Boolean:
        if (text == "true" || text == "1" || text == "yes")
            return json(true);
        if (text == "false" || text == "0" || text == "no")
            return json(false);
        return Error(shown + ": expected true or false");
    case ParamType::String:
    case ParamType::Enum:
        return json(text);
    }
    return Error(shown + ": unknown type");
}

// NAME:TYPE[=DEFAULT][,min=X][,max=Y][,choices=A|B][,label=TEXT]
Result<Param> parseParam(const std::string &spec)
{
    const std::string shown = "--param " + quote(spec);
    const std::vector<std::string> parts = splitEscaped(spec, ',');
    const std::string &head = parts.front();
    const std::size_t colon = head.find(':');
    if (colon == std::string::npos)
        return Error(shown +
                     ": expected NAME:TYPE[=DEFAULT] or NAME:TYPE[:DEFAULT], then [,min=X][,max=Y]"
                     "[,choices=A|B]");
    Param p;
    p.name = head.substr(0, colon);
    std::string typeName = head.substr(colon + 1);
    std::optional<std::string> defaultText;
    const std::size_t colon2 = typeName.find(':');
    if (colon2 != std::string::npos && colon2 < typeName.find('=')) {
        // NAME:TYPE:DEFAULT (the spelling)
        defaultText = typeName.substr(colon2 + 1);
        typeName.resize(colon2);
    } else if (const std::size_t eq = typeName.find('='); eq != std::string::npos) {
        defaultText = typeName.substr(eq + 1);
        typeName.resize(eq);
    }
    const auto type = paramTypeFromName(typeName);
    if (!type)
        return Error(shown + ": unknown type " + quote(typeName) +
                     " (number, integer, string, boolean, enum)");
    p.type = *type;
    std::optional<std::string> minText, maxText;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::size_t eq = parts[i].find('=');
        const std::string key = parts[i].substr(0, eq);
        const std::string value = eq == std::string::npos ? std::string() : parts[i].substr(eq + 1);
        if (eq == std::string::npos)
            return Error(shown + ": expected KEY=VALUE, got " + quote(parts[i]));
        if (key == "min")
            minText = value;
        else if (key == "max")
            maxText = value;
        else if (key == "label")
            p.label = value;
        else if (key == "default")
            defaultText = value;
        else if (key == "choices")
            p.choices = splitEscaped(value, '|');
        else
            return Error(shown + ": unknown key " + quote(key) +
                         " (min, max, choices, label, default)");
    }
    const ParamType boundType =
        p.type == ParamType::Integer ? ParamType::Integer : ParamType::Number;
    if (minText) {
        auto v = parseValue(boundType, *minText, "min");
        if (!v)
            return Error(shown + ": " + v.error().message);
        p.min = *v;
    }
    if (maxText) {
        auto v = parseValue(boundType, *maxText, "max");
        if (!v)
            return Error(shown + ": " + v.error().message);
        p.max = *v;
    }
    if (defaultText) {
        auto v = parseValue(p.type, *defaultText, "default");
        if (!v)
            return Error(shown + ": " + v.error().message);
        p.defaultValue = *v;
    } else if (p.type == ParamType::Boolean) {
        p.defaultValue = false;
    } else if (p.type == ParamType::String) {
        p.defaultValue = "";
    } else if (p.type == ParamType::Enum && !p.choices.empty()) {
        p.defaultValue = p.choices.front();
    } else {
        return Error(shown + ": a " + std::string(paramTypeName(p.type)) +
                     " parameter needs a default (NAME:" + std::string(paramTypeName(p.type)) +
                     "=VALUE)");
    }
    return p;
}

// FILE[,x=COL][,columns=A:B]
Result<MetricRef> parseMetrics(const std::string &spec)
{
    const std::vector<std::string> parts = splitEscaped(spec, ',');
    MetricRef m;
    m.file = parts.front();
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::size_t eq = parts[i].find('=');
        const std::string key = parts[i].substr(0, eq);
        const std::string value = eq == std::string::npos ? std::string() : parts[i].substr(eq + 1);
        if (eq != std::string::npos && key == "x")
            m.x = value;
        else if (eq != std::string::npos && key == "columns")
            m.columns = splitEscaped(value, ':');
        else
            return Error("--metrics " + quote(spec) + ": expected FILE[,x=COL][,columns=A:B]");
    }
    return m;
}

Result<std::string> readBody(const std::string &path)
{
    // The body file is the job's own input: a symlink to it is fine.
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved) == nullptr)
        return Error("--body-file " + quote(path) + ": " + errnoText(errno));
    auto data = readFile(resolved, kMaxBodyBytes);
    if (!data)
        return Error("--body-file: " + data.error().message);
    return std::move(data->bytes);
}

const std::vector<OptionSpec> kSpecs = {
    {"run-dir", true, false}, {"task", true, false},
    {"id", true, false},      {"title", true, false},
    {"body", true, false},    {"body-file", true, false},
    {"option", true, true},   {"default", true, false},
    {"param", true, true},    {"metrics", true, true},
    {"attach", true, true},   {"deadline", true, false},
    {"timeout", true, false}, {"timeout-default", true, false},
    {"approver", true, true},
};

} // namespace

int runCheckpoint(const std::vector<std::string> &argv)
{
    constexpr std::string_view cmd = "checkpoint";
    auto args = Args::parse(argv, kSpecs, 0, false);
    if (!args)
        return usage(cmd, args.error().message);
    const auto runDir = runDirFrom(*args);
    if (!runDir)
        return usage(cmd, "no run directory (--run-dir or VIGIL_RUN_DIR)");
    const auto id = args->value("id");
    const auto title = args->value("title");
    if (!id || !title)
        return usage(cmd, "--id and --title are required");
    if (args->values("option").empty())
        return usage(cmd, "at least one --option NAME[=LABEL] is required");
    if (args->has("body") && args->has("body-file"))
        return usage(cmd, "--body and --body-file exclude each other");
    if (args->has("timeout") && args->has("deadline"))
        return usage(cmd, "--timeout is another name of --deadline: give one of them");
    const std::optional<std::string> deadlineText =
        args->has("timeout") ? args->value("timeout") : args->value("deadline");
    if (args->has("timeout-default") && !deadlineText)
        return usage(cmd, "--timeout-default needs --deadline (or --timeout)");

    Request r;
    r.id = *id;
    if (auto ok = validateId(r.id, "checkpoint id"); !ok)
        return fail(cmd, ok.error());
    r.title = *title;
    if (auto body = args->value("body")) {
        r.body = *body;
    } else if (auto bodyFile = args->value("body-file")) {
        auto text = readBody(*bodyFile);
        if (!text)
            return fail(cmd, text.error());
        r.body = std::move(*text);
    }
    for (const std::string &spec : args->values("option")) {
        const std::size_t eq = spec.find('=');
        Option o{spec.substr(0, eq), eq == std::string::npos ? "" : spec.substr(eq + 1), false};
        r.options.push_back(std::move(o));
    }
    const std::string defaultName = args->value("default").value_or(r.options.front().name);
    bool found = false;
    for (Option &o : r.options) {
        if (o.name == defaultName) {
            o.isDefault = !found;
            found = true;
        }
    }
    if (!found)
        return usage(cmd, "--default " + quote(defaultName) + " is not one of the --option names");
    for (const std::string &spec : args->values("param")) {
        auto p = parseParam(spec);
        if (!p)
            return usage(cmd, p.error().message);
        r.params.push_back(std::move(*p));
    }
    for (const std::string &spec : args->values("metrics")) {
        auto m = parseMetrics(spec);
        if (!m)
            return usage(cmd, m.error().message);
        r.metrics.push_back(std::move(*m));
    }
    r.attachments = args->values("attach");

    r.createdAt = now();
    if (const auto &d = deadlineText) {
        auto deadline = parseDeadline(*d, r.createdAt);
        if (!deadline)
            return usage(cmd, std::string(args->has("timeout") ? "--timeout: " : "--deadline: ") +
                                  deadline.error().message);
        r.deadline = *deadline;
        r.defaultOnTimeout = args->value("timeout-default").value_or(defaultName);
    }
    for (const std::string &user : args->values("approver")) {
        auto uid = resolveUid(user);
        if (!uid)
            return fail(cmd, uid.error());
        r.approvers.push_back(user);
        r.approverUids.push_back(*uid);
    }
    r.job.host = hostName();
    if (const char *job = std::getenv("SLURM_JOB_ID"); job != nullptr && *job != '\0')
        r.job.slurmJobId = job;
    if (const char *step = std::getenv("SLURM_STEP_ID"); step != nullptr && *step != '\0')
        r.job.slurmStepId = step;
    r.task = taskFrom(*args);
    r.createdByUid = ::geteuid();
    auto nonce = makeNonce();
    if (!nonce)
        return fail(cmd, nonce.error());
    r.nonce = *nonce;
    if (auto ok = validateRequest(r, "the checkpoint"); !ok)
        return fail(cmd, ok.error());

    auto run = RunDir::open(*runDir);
    if (!run)
        return fail(cmd, run.error());
    auto posted = postCheckpoint(*run, r);
    if (!posted)
        return fail(cmd, posted.error());
    for (const std::string &w : posted->warnings)
        warn(w);
    const json out = {{"id", posted->request.id},
                      {"nonce", posted->request.nonce},
                      {"existing", posted->existing}};
    return printLine(dumpLine(out)) ? kExitOk : kExitError;
}

} // namespace vigil::job
