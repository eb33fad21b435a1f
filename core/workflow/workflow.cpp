// SPDX-License-Identifier: GPL-3.0-or-later
// Reading a workflow file: the top level, [workflow] and [sites]; tasks are
// read in tasks.cpp and gates.cpp, the graph is checked in graph.cpp.
#include "workflow.h"

#include "protocol/ids.h"
#include "tomlreader.h"

#include <QFile>
#include <algorithm>
#include <climits>
#include <string_view>
#include <toml++/toml.h>
#include <tuple>
#include <vector>

namespace vigil {

using workflowtoml::qs;
using workflowtoml::Reader;

namespace {

constexpr qint64 kMaxWorkflowBytes = 4 * 1024 * 1024;

int editDistance(const QString &a, const QString &b)
{
    QList<int> prev(b.size() + 1), cur(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        prev[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j)
            cur[j] = std::min(
                {prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// The entries of a table in the order of the file (toml++ keeps them sorted by
// key), so that sites and tasks keep the order their author gave them.
std::vector<std::pair<QString, const toml::node *>> inFileOrder(const toml::table &t)
{
    std::vector<std::tuple<int, int, QString, const toml::node *>> entries;
    for (const auto &[k, v] : t)
        entries.emplace_back(int(k.source().begin.line), int(k.source().begin.column), qs(k.str()),
                             &v);
    std::stable_sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) {
        return std::pair{std::get<0>(a), std::get<1>(a)} <
               std::pair{std::get<0>(b), std::get<1>(b)};
    });
    std::vector<std::pair<QString, const toml::node *>> out;
    for (const auto &[line, column, key, node] : entries)
        out.emplace_back(key, node);
    return out;
}

void readMeta(Reader &rd, const toml::table &root, Workflow &wf)
{
    const toml::table *meta = root["workflow"].as_table();
    const QString where = QStringLiteral("[workflow]");
    if (!meta) {
        rd.report(root.get("workflow"), QStringLiteral("missing [workflow] table"));
        return;
    }
    rd.checkKeys(*meta, {"name", "description", "approvers"}, where);
    wf.name = rd.str(*meta, "name", where, true);
    if (meta->get("name") && meta->get("name")->is_string())
        rd.checkId(meta->get("name"), wf.name, QStringLiteral("[workflow].name"));
    wf.description = rd.str(*meta, "description", where);
    wf.approvers = rd.strList(*meta, "approvers", where);
    if (const toml::array *a = meta->get_as<toml::array>("approvers"))
        for (qsizetype i = 0; i < wf.approvers.size(); ++i)
            if (auto r = protocol::validateUserName(wf.approvers[i].toStdString()); !r)
                rd.report(a->get(size_t(i)), QStringLiteral("[workflow].approvers: %1")
                                                 .arg(QString::fromStdString(r.errorString())));
}

} // namespace

QString workflowtoml::nearestKey(const QString &key,
                                 std::initializer_list<std::string_view> allowed)
{
    QString best;
    int bestDistance = 3;
    for (auto a : allowed) {
        int d = editDistance(key, qs(a));
        // "retry" for "retries", "env" for "environment".
        if (std::min(key.size(), qsizetype(a.size())) >= 3 &&
            (qs(a).startsWith(key) || key.startsWith(qs(a))))
            d = std::min(d, 2);
        if (d < bestDistance) {
            bestDistance = d;
            best = qs(a);
        }
    }
    return best;
}

std::optional<WorkflowProblem> workflowtoml::Reader::unknownKey(
    const toml::table &t, std::initializer_list<std::string_view> allowed, const QString &where,
    bool all, std::span<const std::string_view> silent)
{
    std::optional<WorkflowProblem> first;
    for (const auto &[k, v] : t) {
        bool known = false;
        for (auto a : allowed)
            known = known || a == k.str();
        for (auto a : silent)
            known = known || a == k.str();
        if (known)
            continue;
        const QString key = qs(k.str());
        QString msg = QStringLiteral("unknown key \"%1\" in %2").arg(key, where);
        if (const QString near = nearestKey(key, allowed); !near.isEmpty()) {
            msg += QStringLiteral(": did you mean \"%1\"?").arg(near);
        } else {
            QStringList names;
            for (auto a : allowed)
                names << qs(a);
            msg += QStringLiteral(" (allowed: %1)").arg(names.join(QStringLiteral(", ")));
        }
        const WorkflowProblem p = k.source().begin ? problem(k.source(), msg) : problem(&v, msg);
        if (!first)
            first = p;
        if (!all)
            return first;
        report(p);
    }
    return first;
}

std::optional<toml::table> workflowtoml::parseToml(Reader &rd, const QByteArray &text)
{
    try {
        return toml::parse(std::string_view(text.constData(), size_t(text.size())),
                           rd.source().toStdString());
    } catch (const toml::parse_error &e) {
        rd.report(rd.problem(e.source(), qs(e.description())));
        return std::nullopt;
    }
}

QString WorkflowProblem::toString() const
{
    if (line <= 0)
        return QStringLiteral("%1: %2").arg(source, message);
    return QStringLiteral("%1:%2:%3: %4").arg(source).arg(line).arg(column).arg(message);
}

const SiteSpec *Workflow::site(const QString &n) const
{
    for (const SiteSpec &s : sites)
        if (s.name == n)
            return &s;
    return nullptr;
}

const TaskSpec *Workflow::task(const QString &n) const
{
    for (const TaskSpec &t : tasks)
        if (t.name == n)
            return &t;
    return nullptr;
}

bool Workflow::operator==(const Workflow &o) const
{
    return name == o.name && description == o.description && approvers == o.approvers &&
           sites == o.sites && tasks == o.tasks;
}

WorkflowCheck checkWorkflow(const QByteArray &text, const QString &sourceName)
{
    Reader rd(sourceName);
    WorkflowCheck out;
    out.workflow.sourcePath = sourceName;
    Workflow &wf = out.workflow;
    const auto root = workflowtoml::parseToml(rd, text);
    if (!root) {
        out.problems = rd.takeProblems();
        return out;
    }
    rd.checkKeys(*root, {"workflow", "sites", "tasks"}, QStringLiteral("the file"));
    readMeta(rd, *root, wf);
    if (const toml::node *sites = root->get("sites")) {
        if (!sites->is_table())
            rd.report(sites, QStringLiteral("[sites] must be a table"));
        const toml::table none;
        for (const auto &[k, v] : inFileOrder(sites->is_table() ? *sites->as_table() : none)) {
            if (!rd.checkId(v, k, QStringLiteral("site name")))
                continue;
            if (auto s = workflowtoml::readSite(rd, k, *v))
                wf.sites << *s;
            else
                rd.report(s.error());
        }
    }
    const toml::node *tasks = root->get("tasks");
    if (!tasks || !tasks->is_table() || tasks->as_table()->empty()) {
        rd.report(tasks, QStringLiteral("the workflow has no [tasks.NAME] table"));
    } else {
        for (const auto &[k, v] : inFileOrder(*tasks->as_table())) {
            if (!rd.checkId(v, k, QStringLiteral("task name")))
                continue;
            wf.tasks << workflowtoml::readTask(rd, k, *v);
        }
    }
    workflowtoml::checkGraph(rd, wf, *root);
    out.problems = rd.takeProblems();
    // In the order of the file; problems of the file as a whole last.
    std::stable_sort(out.problems.begin(), out.problems.end(),
                     [](const WorkflowProblem &a, const WorkflowProblem &b) {
                         const auto key = [](const WorkflowProblem &p) {
                             return std::pair{p.line <= 0 ? INT_MAX : p.line, p.column};
                         };
                         return key(a) < key(b);
                     });
    return out;
}

WorkflowCheck checkWorkflowFile(const QString &path)
{
    QFile f(path);
    WorkflowCheck out;
    out.workflow.sourcePath = path;
    if (!f.open(QIODevice::ReadOnly)) {
        out.problems << WorkflowProblem{
            path, 0, 0, QStringLiteral("cannot open the workflow: %1").arg(f.errorString())};
        return out;
    }
    if (f.size() > kMaxWorkflowBytes) {
        out.problems << WorkflowProblem{path, 0, 0,
                                        QStringLiteral("the workflow is larger than 4 MiB")};
        return out;
    }
    return checkWorkflow(f.readAll(), path);
}

Result<Workflow> parseWorkflow(const QByteArray &text, const QString &sourceName)
{
    WorkflowCheck c = checkWorkflow(text, sourceName);
    if (!c.ok())
        return Error(c.problems.first().toString(), Error::Kind::Malformed);
    return std::move(c.workflow);
}

Result<Workflow> loadWorkflow(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("cannot open workflow %1: %2").arg(path, f.errorString()),
                     Error::Kind::NotFound);
    if (f.size() > kMaxWorkflowBytes)
        return Error(QStringLiteral("workflow %1 is larger than 4 MiB").arg(path),
                     Error::Kind::TooLarge);
    return parseWorkflow(f.readAll(), path);
}

} // namespace vigil
