// SPDX-License-Identifier: GPL-3.0-or-later
// Run-time changes: the diff of two workflows and what may change while a
// run goes on. Pure; storage and publishing are in revisionstore.cpp.
#include "revision.h"

#include "shellquote.h"
#include "workflow/writer.h"

#include <QSet>
#include <algorithm>
#include <utility>

namespace vigil::engine {

namespace {

using Fields = QList<std::pair<QString, QString>>;

QString bracketed(const QStringList &items)
{
    return items.isEmpty() ? QString()
                           : QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QString mapText(const QMap<QString, QString> &m)
{
    QStringList items;
    for (auto it = m.cbegin(); it != m.cend(); ++it)
        items << it.key() + QLatin1Char('=') + it.value();
    return items.join(QLatin1Char(' '));
}

QString siteKindText(SiteSpec::Kind kind)
{
    return siteKindName(kind);
}

// A site's fields in the writer's order, as text (unset: empty).
Fields siteFields(const SiteSpec &s)
{
    return {{QStringLiteral("kind"), siteKindText(s.kind)},
            {QStringLiteral("host"), s.host},
            {QStringLiteral("user"), s.user},
            {QStringLiteral("port"), s.port ? QString::number(s.port) : QString()},
            {QStringLiteral("identity_file"), s.identityFile},
            {QStringLiteral("known_hosts"), s.knownHostsFile},
            {QStringLiteral("proxy_jump"), s.proxyJump},
            {QStringLiteral("run_root"), s.runRoot},
            {QStringLiteral("partition"), s.partition},
            {QStringLiteral("account"), s.account},
            {QStringLiteral("qos"), s.qos},
            {QStringLiteral("work_dir"), s.workDirectory},
            {QStringLiteral("container_runtime"), s.containerRuntime},
            {QStringLiteral("poll_interval"),
             s.pollSeconds ? QString::number(s.pollSeconds) : QString()}};
}

QString optionText(const GateOption &o)
{
    QString s = o.name;
    if (!o.label.isEmpty())
        s += QStringLiteral(" \"%1\"").arg(o.label);
    if (!o.enables.isEmpty())
        s += QStringLiteral(" enables ") + o.enables.join(QLatin1Char(','));
    if (!o.skips.isEmpty())
        s += QStringLiteral(" skips ") + o.skips.join(QLatin1Char(','));
    return s;
}

QString paramText(const ParamSpec &p)
{
    QString s = QStringLiteral("%1 (default %2").arg(p.name, p.defaultValue);
    if (!p.min.isEmpty() || !p.max.isEmpty())
        s += QStringLiteral(", %1..%2").arg(p.min, p.max);
    if (!p.choices.isEmpty())
        s += QStringLiteral(", one of ") + p.choices.join(QLatin1Char('|'));
    return s + QLatin1Char(')');
}

// A task's fields in the writer's order, as text (unset: empty); `skip` and
// `position` are not among them.
Fields taskFields(const TaskSpec &t)
{
    Fields f{{QStringLiteral("kind"), t.isGate() ? QStringLiteral("gate") : QStringLiteral("job")},
             {QStringLiteral("site"), t.site},
             {QStringLiteral("after"), bracketed(t.after)}};
    if (t.isGate()) {
        const GateSpec &g = t.gate;
        QStringList options, params;
        for (const GateOption &o : g.options)
            options << optionText(o);
        for (const ParamSpec &p : g.params)
            params << paramText(p);
        f << std::pair{QStringLiteral("question"), g.question}
          << std::pair{QStringLiteral("body"), g.body}
          << std::pair{QStringLiteral("options"), options.join(QStringLiteral("; "))}
          << std::pair{QStringLiteral("params"), params.join(QStringLiteral("; "))}
          << std::pair{QStringLiteral("approvers"), bracketed(g.approvers)}
          << std::pair{QStringLiteral("deadline"), g.deadline}
          << std::pair{QStringLiteral("default"), g.defaultOption};
        return f;
    }
    QStringList inputs, checkpoints, sweep;
    for (const DataInput &in : t.inputs)
        inputs << (in.fromTask.isEmpty() ? in.path : in.fromTask + QLatin1Char(':') + in.path);
    for (const CheckpointDecl &c : t.checkpoints)
        checkpoints << c.id;
    for (const auto &set : t.sweep)
        sweep << QLatin1Char('{') + mapText(set) + QLatin1Char('}');
    const ContainerSpec &c = t.container;
    f << std::pair{QStringLiteral("command"),
                   t.command.isEmpty() ? QString() : shellJoin(t.command)}
      << std::pair{QStringLiteral("script"), t.script}
      << std::pair{QStringLiteral("work_dir"), t.workDirectory}
      << std::pair{QStringLiteral("container"),
                   c.isEmpty() ? QString()
                               : QStringLiteral("%1 %2 %3")
                                     .arg(c.image, c.runtime, bracketed(c.binds))
                                     .trimmed()}
      << std::pair{QStringLiteral("inputs"), bracketed(inputs)}
      << std::pair{QStringLiteral("outputs"), bracketed(t.outputs)}
      << std::pair{QStringLiteral("retries"), t.retries ? QString::number(t.retries) : QString()}
      << std::pair{QStringLiteral("checkpoints"), bracketed(checkpoints)}
      << std::pair{QStringLiteral("array"), t.array}
      << std::pair{QStringLiteral("sweep"), bracketed(sweep)}
      << std::pair{QStringLiteral("sweep_parallel"),
                   t.sweepParallel ? QString::number(t.sweepParallel) : QString()};
    const TaskResources &r = t.resources;
    auto num = [](int n) { return n ? QString::number(n) : QString(); };
    f << std::pair{QStringLiteral("resources.time"), r.time}
      << std::pair{QStringLiteral("resources.cpus"), num(r.cpus)}
      << std::pair{QStringLiteral("resources.gpus"), num(r.gpus)}
      << std::pair{QStringLiteral("resources.memory"), r.memory}
      << std::pair{QStringLiteral("resources.nodes"), num(r.nodes)}
      << std::pair{QStringLiteral("resources.partition"), r.partition}
      << std::pair{QStringLiteral("resources.account"), r.account}
      << std::pair{QStringLiteral("resources.qos"), r.qos}
      << std::pair{QStringLiteral("resources.extra"), bracketed(r.extraArgs)};
    return f;
}

// The fields that differ, with the environment key by key (union of keys).
void diffFields(WorkflowChange::Kind kind, const QString &name, const Fields &before,
                const Fields &after, QList<WorkflowChange> *out)
{
    for (qsizetype i = 0; i < before.size() && i < after.size(); ++i)
        if (before[i].second != after[i].second && before[i].first == after[i].first)
            *out << WorkflowChange{kind, name, before[i].first, before[i].second, after[i].second};
}

void diffTask(const TaskSpec &b, const TaskSpec &a, QList<WorkflowChange> *out)
{
    using K = WorkflowChange::Kind;
    if (b.isGate() != a.isGate()) {
        *out << WorkflowChange{K::TaskChanged, a.name, QStringLiteral("kind"),
                               b.isGate() ? QStringLiteral("gate") : QStringLiteral("job"),
                               a.isGate() ? QStringLiteral("gate") : QStringLiteral("job")};
    } else {
        diffFields(K::TaskChanged, a.name, taskFields(b), taskFields(a), out);
    }
    QStringList keys = b.environment.keys() + a.environment.keys();
    keys.removeDuplicates();
    std::sort(keys.begin(), keys.end());
    for (const QString &k : std::as_const(keys))
        if (b.environment.value(k) != a.environment.value(k) ||
            b.environment.contains(k) != a.environment.contains(k))
            *out << WorkflowChange{K::TaskChanged, a.name, QStringLiteral("environment.") + k,
                                   b.environment.value(k), a.environment.value(k)};
    if (b.skip != a.skip) {
        if (b.skip.isEmpty())
            *out << WorkflowChange{K::TaskSkipped, a.name, QStringLiteral("skip"), {}, a.skip};
        else
            *out << WorkflowChange{K::TaskChanged, a.name, QStringLiteral("skip"), b.skip, a.skip};
    }
}

QString orUnset(const QString &v)
{
    return v.isEmpty() ? QStringLiteral("(unset)") : v;
}

} // namespace

QList<WorkflowChange> diffWorkflows(const Workflow &before, const Workflow &after)
{
    using K = WorkflowChange::Kind;
    QList<WorkflowChange> out;
    diffFields(K::WorkflowField, QStringLiteral("workflow"),
               {{QStringLiteral("name"), before.name},
                {QStringLiteral("description"), before.description},
                {QStringLiteral("approvers"), bracketed(before.approvers)}},
               {{QStringLiteral("name"), after.name},
                {QStringLiteral("description"), after.description},
                {QStringLiteral("approvers"), bracketed(after.approvers)}},
               &out);
    for (const SiteSpec &s : after.sites) {
        if (const SiteSpec *old = before.site(s.name))
            diffFields(K::SiteChanged, s.name, siteFields(*old), siteFields(s), &out);
        else
            out << WorkflowChange{K::SiteAdded, s.name, {}, {}, siteKindText(s.kind)};
    }
    for (const SiteSpec &s : before.sites)
        if (!after.site(s.name))
            out << WorkflowChange{K::SiteRemoved, s.name, {}, siteKindText(s.kind), {}};
    for (const TaskSpec &t : after.tasks) {
        if (const TaskSpec *old = before.task(t.name)) {
            diffTask(*old, t, &out);
            continue;
        }
        out << WorkflowChange{K::TaskAdded,
                              t.name,
                              t.after.join(QStringLiteral(", ")),
                              {},
                              t.isGate() ? QStringLiteral("gate") : QStringLiteral("task")};
        if (!t.skip.isEmpty())
            out << WorkflowChange{K::TaskSkipped, t.name, QStringLiteral("skip"), {}, t.skip};
    }
    for (const TaskSpec &t : before.tasks)
        if (!after.task(t.name))
            out << WorkflowChange{K::TaskRemoved,
                                  t.name,
                                  {},
                                  t.isGate() ? QStringLiteral("gate") : QStringLiteral("task"),
                                  {}};
    return out;
}

QString describeChange(const WorkflowChange &c)
{
    using K = WorkflowChange::Kind;
    switch (c.kind) {
    case K::WorkflowField:
        return QStringLiteral("~ workflow.%1: %2 -> %3")
            .arg(c.field, orUnset(c.oldValue), orUnset(c.newValue));
    case K::SiteAdded:
        return QStringLiteral("+ site %1 (%2)").arg(c.name, c.newValue);
    case K::SiteRemoved:
        return QStringLiteral("- site %1").arg(c.name);
    case K::SiteChanged:
        return QStringLiteral("~ site %1.%2: %3 -> %4")
            .arg(c.name, c.field, orUnset(c.oldValue), orUnset(c.newValue));
    case K::TaskAdded:
        return c.field.isEmpty()
                   ? QStringLiteral("+ %1 %2").arg(c.newValue, c.name)
                   : QStringLiteral("+ %1 %2 (after %3)").arg(c.newValue, c.name, c.field);
    case K::TaskRemoved:
        return QStringLiteral("- %1 %2").arg(c.oldValue, c.name);
    case K::TaskChanged:
        return QStringLiteral("~ %1.%2: %3 -> %4")
            .arg(c.name, c.field, orUnset(c.oldValue), orUnset(c.newValue));
    case K::TaskSkipped:
        return QStringLiteral("- skip %1: %2").arg(c.name, c.newValue);
    }
    return {};
}

QString lineDiff(const QByteArray &before, const QByteArray &after, const QString &beforeName,
                 const QString &afterName)
{
    if (before == after)
        return {};
    auto lines = [](const QByteArray &text) {
        QList<QByteArray> l = text.split('\n');
        if (text.endsWith('\n'))
            l.removeLast();
        return l;
    };
    const QList<QByteArray> a = lines(before), b = lines(after);
    // Common head and tail first: the middle is small for a revision.
    qsizetype head = 0;
    while (head < a.size() && head < b.size() && a[head] == b[head])
        ++head;
    qsizetype tail = 0;
    while (tail < a.size() - head && tail < b.size() - head &&
           a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
        ++tail;
    const qsizetype n = a.size() - head - tail, m = b.size() - head - tail;
    // ops: ' ' same, '-' only in a, '+' only in b, over the middle.
    QList<char> ops;
    if (n * m <= 4'000'000) {
        // Longest common subsequence of the middle lines.
        QList<int> lcs((n + 1) * (m + 1), 0);
        auto at = [&](qsizetype i, qsizetype j) -> int & { return lcs[i * (m + 1) + j]; };
        for (qsizetype i = n - 1; i >= 0; --i)
            for (qsizetype j = m - 1; j >= 0; --j)
                at(i, j) = a[head + i] == b[head + j] ? at(i + 1, j + 1) + 1
                                                      : std::max(at(i + 1, j), at(i, j + 1));
        qsizetype i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[head + i] == b[head + j]) {
                ops << ' ';
                ++i;
                ++j;
            } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
                ops << '-'; // removals first, as diff(1) shows them
                ++i;
            } else {
                ops << '+';
                ++j;
            }
        }
    } else {
        ops.fill('-', n);
        ops.append(QList<char>(m, '+'));
    }
    QList<char> all(head, ' ');
    all += ops;
    all += QList<char>(tail, ' ');
    // Each entry's line numbers before it, in a and in b.
    QList<std::pair<qsizetype, qsizetype>> pos;
    qsizetype pa = 0, pb = 0;
    for (char op : std::as_const(all)) {
        pos << std::pair{pa, pb};
        pa += op != '+';
        pb += op != '-';
    }
    // Hunks: each change with 3 lines of context, merged when they touch.
    constexpr qsizetype kContext = 3;
    QString out = QStringLiteral("--- %1\n+++ %2\n").arg(beforeName, afterName);
    for (qsizetype k = 0; k < all.size();) {
        if (all[k] == ' ') {
            ++k;
            continue;
        }
        const qsizetype start = std::max<qsizetype>(0, k - kContext);
        qsizetype last = k; // the last change of the hunk
        for (qsizetype x = k + 1; x < all.size() && x <= last + 2 * kContext + 1; ++x)
            if (all[x] != ' ')
                last = x;
        const qsizetype end = std::min<qsizetype>(all.size(), last + kContext + 1);
        QString body;
        qsizetype ca = 0, cb = 0;
        for (qsizetype x = start; x < end; ++x) {
            const char op = all[x];
            const QByteArray &line = op == '+' ? b[pos[x].second] : a[pos[x].first];
            body += QLatin1Char(op) + QString::fromUtf8(line) + QLatin1Char('\n');
            ca += op != '+';
            cb += op != '-';
        }
        out += QStringLiteral("@@ -%1,%2 +%3,%4 @@\n")
                   .arg(pos[start].first + 1)
                   .arg(ca)
                   .arg(pos[start].second + 1)
                   .arg(cb) +
               body;
        k = end;
    }
    return out;
}

QString revisionText(const Workflow &before, const Workflow &after, int beforeRevision,
                     int afterRevision)
{
    QStringList summary;
    for (const WorkflowChange &c : diffWorkflows(before, after))
        summary << describeChange(c);
    if (summary.isEmpty())
        summary << QStringLiteral("no change");
    auto name = [](int r) {
        return r <= 1 ? QStringLiteral("workflow.toml") : revisionPath(r, QStringLiteral("toml"));
    };
    return summary.join(QLatin1Char('\n')) + QStringLiteral("\n\n") +
           lineDiff(workflowToToml(before), workflowToToml(after), name(beforeRevision),
                    name(afterRevision));
}

namespace {

// Why a task can no longer be changed, or empty when it can.
QString settledWhy(const TaskSpec &t, const TaskStatus &s)
{
    const QString state = taskStateName(s.state);
    if (t.isGate()) {
        if (s.state == TaskState::Pending)
            return {};
        return s.state == TaskState::WaitingForHuman
                   ? QStringLiteral("posted as a checkpoint (waiting-for-human)")
                   : QStringLiteral("%1 (%2)").arg(state, s.reason);
    }
    if (s.attempt > 0)
        return QStringLiteral("submitted as job %1 (%2)").arg(s.jobId, state);
    if (s.state != TaskState::Pending)
        return s.reason.isEmpty() ? state : QStringLiteral("%1 (%2)").arg(state, s.reason);
    return {};
}

} // namespace

Result<void> checkRevision(const Workflow &before, const Workflow &after,
                           const QMap<QString, TaskStatus> &states)
{
    QStringList problems;
    // Valid as a file is: the revision as it will be stored.
    const WorkflowCheck check = checkWorkflow(workflowToToml(after), QStringLiteral("revision"));
    for (const WorkflowProblem &p : check.problems)
        problems << p.toString();
    QSet<QString> usedSites;
    for (const TaskSpec &t : before.tasks)
        if (!t.isGate())
            usedSites.insert(t.site);
    QSet<QString> said; // one problem per task
    const QString cannot = QStringLiteral("a run-time change cannot alter it");
    for (const WorkflowChange &c : diffWorkflows(before, after)) {
        using K = WorkflowChange::Kind;
        const TaskSpec *old = before.task(c.name);
        const TaskStatus s = states.value(c.name);
        switch (c.kind) {
        case K::WorkflowField:
        case K::SiteAdded:
        case K::TaskAdded:
            break;
        case K::SiteRemoved:
        case K::SiteChanged:
            if (usedSites.contains(c.name) && !said.contains(QStringLiteral("site/") + c.name)) {
                said.insert(QStringLiteral("site/") + c.name);
                problems << QStringLiteral("site %1: in use by the run; a run-time change cannot "
                                           "%2 it")
                                .arg(c.name, c.kind == K::SiteRemoved ? QStringLiteral("remove")
                                                                      : QStringLiteral("alter"));
            }
            break;
        case K::TaskRemoved:
            problems << QStringLiteral("%1: a run-time change cannot remove a task; skip it "
                                       "instead (skip = \"why\")")
                            .arg(c.name);
            break;
        case K::TaskChanged:
            if (c.field == QLatin1String("skip")) {
                if (s.state == TaskState::Skipped)
                    problems << QStringLiteral("%1: skipped already (%2); a skip the engine "
                                               "applied cannot be undone")
                                    .arg(c.name, s.reason);
                break;
            }
            if (const QString why = settledWhy(*old, s); !why.isEmpty() && !said.contains(c.name)) {
                said.insert(c.name);
                problems << QStringLiteral("%1: %2; %3 (%4)").arg(c.name, why, cannot, c.field);
            }
            break;
        case K::TaskSkipped: {
            if (!old)
                break; // a new task, skipped from the start
            QString why;
            if (s.state == TaskState::Running ||
                (s.state == TaskState::WaitingForHuman && !old->isGate()))
                why = QStringLiteral("running as job %1; a run-time change does not stop a "
                                     "running job (cancel it instead)")
                          .arg(s.jobId);
            else if (isTerminal(s.state))
                why = QStringLiteral("%1 already; only a task that has not finished can be "
                                     "skipped")
                          .arg(taskStateName(s.state));
            if (!why.isEmpty())
                problems << QStringLiteral("%1: %2").arg(c.name, why);
            break;
        }
        }
    }
    if (problems.isEmpty())
        return {};
    return Error(problems.join(QLatin1Char('\n')));
}

} // namespace vigil::engine
