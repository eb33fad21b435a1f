// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Reading Vigil's TOML files (workflows, the site registry) with errors that
// say FILE:LINE:COL. Internal to core/workflow.
//
// Two styles live side by side: functions that return a Result (the first
// problem; the site registry, readSite) and the workflow's readers, which
// report() every problem into the Reader and go on, so that a user fixing a
// file sees them all at once.

#include "protocol/ids.h"
#include "result.h"
#include "workflow.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <span>
#include <string_view>
#include <toml++/toml.h>

namespace vigil {

namespace workflowtoml {

inline QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// The allowed key closest to `key` (at most two edits away), or "".
QString nearestKey(const QString &key, std::initializer_list<std::string_view> allowed);

class Reader
{
public:
    explicit Reader(QString source) : m_source(std::move(source)) {}

    const QString &source() const { return m_source; }

    WorkflowProblem problem(const toml::source_region &where, const QString &what) const
    {
        if (where.begin)
            return WorkflowProblem{m_source, int(where.begin.line), int(where.begin.column), what};
        return WorkflowProblem{m_source, 0, 0, what};
    }
    WorkflowProblem problem(const toml::node *node, const QString &what) const
    {
        return node ? problem(node->source(), what) : WorkflowProblem{m_source, 0, 0, what};
    }

    // An Error for the Result style; its problem is remembered so that
    // report(Error) can keep the position.
    Error error(const toml::node *node, const QString &what) const
    {
        m_last = problem(node, what);
        return Error(m_last.toString(), Error::Kind::Malformed);
    }
    Error error(const WorkflowProblem &p) const
    {
        m_last = p;
        return Error(p.toString(), Error::Kind::Malformed);
    }

    // The reporting style.
    void report(const toml::node *node, const QString &what) { m_problems << problem(node, what); }
    void report(const WorkflowProblem &p) { m_problems << p; }
    // An Error made by error() (its position), or any other (no position).
    void report(const Error &e)
    {
        if (m_last.toString() == e.message)
            m_problems << m_last;
        else
            m_problems << WorkflowProblem{m_source, 0, 0, e.message};
    }
    const QList<WorkflowProblem> &problems() const { return m_problems; }
    QList<WorkflowProblem> takeProblems() { return std::exchange(m_problems, {}); }

    // Rejects keys the format does not know: a typo must not be silently
    // ignored. The message names the nearest allowed key, or all of them.
    // `silent`: keys reported elsewhere, neither refused nor listed. With
    // `all`, every unknown key is reported; else only the first is returned.
    std::optional<WorkflowProblem> unknownKey(const toml::table &t,
                                              std::initializer_list<std::string_view> allowed,
                                              const QString &where, bool all = false,
                                              std::span<const std::string_view> silent = {});

    Result<void> onlyKeys(const toml::table &t, std::initializer_list<std::string_view> allowed,
                          const QString &where) const
    {
        Reader probe(m_source);
        if (auto p = probe.unknownKey(t, allowed, where))
            return error(*p);
        return {};
    }
    // Reports every unknown key; true when there was none.
    bool checkKeys(const toml::table &t, std::initializer_list<std::string_view> allowed,
                   const QString &where, std::span<const std::string_view> silent = {})
    {
        return !unknownKey(t, allowed, where, true, silent);
    }

    Result<QString> string(const toml::table &t, std::string_view key, const QString &where,
                           bool required = false) const
    {
        const toml::node *n = t.get(key);
        if (!n) {
            if (required)
                return error(&t, QStringLiteral("%1 needs \"%2\"").arg(where, qs(key)));
            return QString();
        }
        if (!n->is_string())
            return error(n, QStringLiteral("%1.%2 must be a string").arg(where, qs(key)));
        return qs(n->as_string()->get());
    }

    Result<QStringList> stringList(const toml::table &t, std::string_view key,
                                   const QString &where) const
    {
        const toml::node *n = t.get(key);
        QStringList out;
        if (!n)
            return out;
        const toml::array *a = n->as_array();
        if (!a)
            return error(n,
                         QStringLiteral("%1.%2 must be an array of strings").arg(where, qs(key)));
        for (const toml::node &e : *a) {
            if (!e.is_string())
                return error(&e,
                             QStringLiteral("%1.%2 must contain only strings").arg(where, qs(key)));
            out << qs(e.as_string()->get());
        }
        return out;
    }

    // Reporting versions: the value, or a default after reporting the problem.
    QString str(const toml::table &t, std::string_view key, const QString &where,
                bool required = false)
    {
        auto v = string(t, key, where, required);
        if (!v) {
            report(v.error());
            return {};
        }
        return *v;
    }
    QStringList strList(const toml::table &t, std::string_view key, const QString &where)
    {
        auto v = stringList(t, key, where);
        if (!v) {
            report(v.error());
            return {};
        }
        return *v;
    }
    // An integer key from lo to hi; `fallback` when missing or wrong.
    int integer(const toml::table &t, std::string_view key, const QString &where, int lo, int hi,
                int fallback = 0)
    {
        const toml::node *n = t.get(key);
        if (!n)
            return fallback;
        if (!n->is_integer() || n->as_integer()->get() < lo || n->as_integer()->get() > hi) {
            report(n, QStringLiteral("%1.%2 must be an integer from %3 to %4")
                          .arg(where, qs(key))
                          .arg(lo)
                          .arg(hi));
            return fallback;
        }
        return int(n->as_integer()->get());
    }

    Result<void> validId(const toml::node *n, const QString &id, const QString &what) const
    {
        if (auto r = protocol::validateId(id.toStdString(), what.toStdString()); !r)
            return error(n, QString::fromStdString(r.errorString()));
        return {};
    }
    bool checkId(const toml::node *n, const QString &id, const QString &what)
    {
        if (auto r = validId(n, id, what); !r) {
            report(r.error());
            return false;
        }
        return true;
    }

private:
    QString m_source;
    QList<WorkflowProblem> m_problems;
    mutable WorkflowProblem m_last;
};

// The TOML document, or nothing after reporting the syntax error (toml++
// stops at the first one).
std::optional<toml::table> parseToml(Reader &rd, const QByteArray &text);

// A [sites.NAME] table: kind, host, run_root, partition, account, qos,
// work_dir, container_runtime and the connection fields, validated.
Result<SiteSpec> readSite(const Reader &rd, const QString &name, const toml::node &node);

// A [tasks.NAME] table (a job or a gate), its problems reported into `rd`.
// The graph (sites, after, enables, inputs.from) is checked later.
TaskSpec readTask(Reader &rd, const QString &name, const toml::node &node);
// The gate keys of a kind = "gate" table (tasks.cpp calls it).
void readGate(Reader &rd, const toml::table &t, const QString &where, TaskSpec &task);

// The checks across tables: unknown sites and tasks, cycles, branches of
// gates, inputs from other tasks, what needs a SLURM site.
void checkGraph(Reader &rd, const Workflow &wf, const toml::table &root);

// A relative path inside the workflow's (or the task's) directory: not
// empty, not absolute, no "..", no control characters.
bool isInsidePath(const QString &path);
// A work_dir: an absolute path, or a relative one as isInsidePath().
bool isWorkDirectory(const QString &path);

} // namespace workflowtoml
} // namespace vigil
