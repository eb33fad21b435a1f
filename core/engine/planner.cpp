// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner.h"

#include <QSet>
#include <algorithm>

namespace vigil::engine {

QString actionKindName(Action::Kind kind)
{
    switch (kind) {
    case Action::Kind::Submit:
        return QStringLiteral("submit");
    case Action::Kind::Release:
        return QStringLiteral("release");
    case Action::Kind::Cancel:
        return QStringLiteral("cancel");
    case Action::Kind::Skip:
        return QStringLiteral("skip");
    case Action::Kind::PostGate:
        return QStringLiteral("post-gate");
    case Action::Kind::TakeGateDefault:
        return QStringLiteral("take-default");
    case Action::Kind::Retry:
        return QStringLiteral("retry");
    case Action::Kind::MoveInput:
        return QStringLiteral("move-input");
    case Action::Kind::FinishRun:
        return QStringLiteral("finish");
    }
    return {};
}

QString describe(const Action &a)
{
    QString s = actionKindName(a.kind);
    if (a.kind == Action::Kind::FinishRun)
        return s + QLatin1Char(' ') + taskStateName(a.outcome) +
               (a.reason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(a.reason));
    s += QLatin1Char(' ') + a.task;
    if (a.kind == Action::Kind::Submit || a.kind == Action::Kind::Retry)
        s += QLatin1Char('#') + QString::number(a.attempt);
    if (!a.afterOk.isEmpty())
        s += QStringLiteral(" after=") + a.afterOk.join(QLatin1Char(','));
    if (!a.environment.isEmpty()) {
        QStringList env;
        for (auto it = a.environment.cbegin(); it != a.environment.cend(); ++it)
            env << it.key() + QLatin1Char('=') + it.value();
        s += QStringLiteral(" env=") + env.join(QLatin1Char(','));
    }
    if (!a.option.isEmpty())
        s += QStringLiteral(" option=") + a.option;
    if (a.kind == Action::Kind::MoveInput)
        s += QStringLiteral(" %1/%2 %3->%4")
                 .arg(a.input.fromTask, a.input.path, a.fromSite, a.toSite);
    if (!a.reason.isEmpty() && (a.kind == Action::Kind::Skip || a.kind == Action::Kind::Cancel))
        s += QStringLiteral(" (%1)").arg(a.reason);
    return s;
}

QString homeSiteOf(const Workflow &workflow)
{
    for (const TaskSpec *t : topologicalOrder(workflow))
        if (!t->isGate())
            return t->site;
    return {};
}

QList<const TaskSpec *> topologicalOrder(const Workflow &wf)
{
    QList<const TaskSpec *> order;
    QSet<QString> placed;
    for (bool progressed = true; progressed && order.size() < wf.tasks.size();) {
        progressed = false;
        for (const TaskSpec &t : wf.tasks) {
            if (placed.contains(t.name) ||
                !std::all_of(t.after.cbegin(), t.after.cend(),
                             [&](const QString &d) { return placed.contains(d); }))
                continue;
            order << &t;
            placed.insert(t.name);
            progressed = true;
        }
    }
    return order;
}

QString paramVariable(const QString &name)
{
    return QStringLiteral("VIGIL_PARAM_") + name.toUpper();
}

namespace {

class Planner
{
public:
    explicit Planner(const PlanInput &in) : m_in(in), m_wf(*in.workflow) {}

    QList<Action> run()
    {
        if (!m_in.record.finished.isEmpty())
            return {};
        order();
        if (m_in.record.cancelRequested)
            return cancelRun();
        for (const TaskSpec *t : std::as_const(m_order))
            settleSkipAndDeath(*t);
        for (const TaskSpec *t : std::as_const(m_order)) {
            if (m_skip.contains(t->name) || m_dead.contains(t->name))
                continue;
            if (t->kind == TaskSpec::Kind::Gate)
                planGate(*t);
            else
                planJob(*t);
        }
        if (m_actions.isEmpty())
            finishIfSettled();
        return m_actions;
    }

private:
    TaskStatus status(const QString &task) const
    {
        TaskStatus s = m_in.states.value(task);
        s.task = task;
        return s;
    }
    TaskState state(const QString &task) const { return m_in.states.value(task).state; }
    TaskRecord record(const QString &task) const { return m_in.record.tasks.value(task); }

    // Topological order, and for each task the gates whose options name it.
    void order()
    {
        m_order = topologicalOrder(m_wf);
        for (const TaskSpec &g : m_wf.tasks) {
            if (g.kind != TaskSpec::Kind::Gate)
                continue;
            for (const GateOption &o : g.gate.options)
                for (const QString &t : o.enables + o.skips)
                    if (!m_controllers[t].contains(g.name))
                        m_controllers[t] << g.name;
        }
    }

    // What a task waits for: its `after` tasks and the gates that control it.
    QStringList dependencies(const TaskSpec &t) const
    {
        QStringList deps = t.after;
        for (const QString &g : m_controllers.value(t.name))
            if (!deps.contains(g))
                deps << g;
        return deps;
    }

    // Cancelled by SLURM because an upstream job on the same site failed
    // (kill_invalid_depend; sacct does not say why, so: an upstream task on
    // the same SLURM site failed, or was submitted again after this one).
    bool dependencyCancel(const QString &task) const
    {
        const TaskStatus s = status(task);
        const TaskSpec *t = m_wf.task(task);
        if (s.state != TaskState::Cancelled || !t)
            return false;
        if (s.reason == QLatin1String(kDependencyNeverSatisfied))
            return true;
        const SiteSpec *site = m_wf.site(t->site);
        if (!site || site->kind != SiteSpec::Kind::Slurm)
            return false;
        const AttemptRecord *mine = record(task).current();
        for (const QString &d : t->after) {
            const TaskSpec *dt = m_wf.task(d);
            if (!dt || dt->site != t->site)
                continue;
            if (state(d) == TaskState::Failed || dependencyCancel(d))
                return true;
            const TaskRecord theirs = record(d);
            if (mine && theirs.current() && mine->submittedAt.isValid() &&
                theirs.current()->submittedAt > mine->submittedAt)
                return true;
        }
        return false;
    }

    bool finalFailure(const QString &task) const
    {
        const TaskSpec *t = m_wf.task(task);
        return state(task) == TaskState::Failed &&
               (!t || t->kind == TaskSpec::Kind::Gate || record(task).retriesUsed() >= t->retries);
    }

    QString gateSkipReason(const TaskSpec &t) const
    {
        for (const QString &g : m_controllers.value(t.name)) {
            const GateObservation obs = m_in.gates.value(g);
            if (state(g) != TaskState::Done || !obs.decided)
                continue;
            const TaskSpec *gate = m_wf.task(g);
            const GateOption *chosen = nullptr;
            bool enabledElsewhere = false;
            for (const GateOption &o : gate->gate.options) {
                if (o.name == obs.option)
                    chosen = &o;
                else if (o.enables.contains(t.name))
                    enabledElsewhere = true;
            }
            if (!chosen)
                continue; // a decision naming no option: refused when it was checked
            if (chosen->skips.contains(t.name) ||
                (enabledElsewhere && !chosen->enables.contains(t.name)))
                return QStringLiteral("skipped by gate %1 option %2").arg(g, chosen->name);
        }
        return {};
    }

    void settleSkipAndDeath(const TaskSpec &t)
    {
        const TaskStatus s = status(t.name);
        if (s.state == TaskState::Skipped) {
            m_skip.insert(t.name, s.reason);
            if (s.jobActive)
                add(Action::Kind::Cancel, t.name, s.reason);
            return;
        }
        QString reason = t.skip.isEmpty()
                             ? gateSkipReason(t)
                             : QStringLiteral("skipped by a run-time change: %1").arg(t.skip);
        for (const QString &d : dependencies(t)) {
            if (reason.isEmpty() && m_skip.contains(d))
                reason = QStringLiteral("an upstream task was skipped (%1)").arg(d);
        }
        if (!reason.isEmpty() && s.state != TaskState::Done && s.state != TaskState::Failed) {
            m_skip.insert(t.name, reason);
            if (s.jobActive)
                add(Action::Kind::Cancel, t.name, reason);
            add(Action::Kind::Skip, t.name, reason);
            return;
        }
        for (const QString &d : dependencies(t)) {
            QString why;
            if (m_dead.contains(d))
                why = QStringLiteral("upstream task %1 can never run").arg(d);
            else if (finalFailure(d))
                why = QStringLiteral("upstream task %1 failed").arg(d);
            else if (state(d) == TaskState::Cancelled && !dependencyCancel(d))
                why = QStringLiteral("upstream task %1 was cancelled").arg(d);
            if (!why.isEmpty()) {
                m_dead.insert(t.name, why);
                if (s.jobActive)
                    add(Action::Kind::Cancel, t.name, why);
                return;
            }
        }
    }

    void add(Action::Kind kind, const QString &task, const QString &reason = {})
    {
        Action a;
        a.kind = kind;
        a.task = task;
        a.reason = reason;
        m_actions << a;
    }

    // A task's unfinished upstream job that SLURM itself can wait for: on the
    // same SLURM site, queued or running (not held: a held job waits for the
    // engine, which may still skip it).
    bool chainable(const QString &dep, const TaskSpec &t) const
    {
        const TaskSpec *d = m_wf.task(dep);
        const SiteSpec *site = m_wf.site(t.site);
        const TaskStatus s = status(dep);
        return d && d->kind == TaskSpec::Kind::Job && d->site == t.site && site &&
               site->kind == SiteSpec::Kind::Slurm && s.attempt > 0 && s.jobActive &&
               (s.state == TaskState::Pending || s.state == TaskState::Running ||
                s.state == TaskState::WaitingForHuman);
    }

    // Whether `t` may start now; its afterok tasks and the inputs still to move.
    bool ready(const TaskSpec &t, QStringList *afterOk, QList<DataInput> *moves) const
    {
        for (const QString &d : dependencies(t)) {
            if (state(d) == TaskState::Done)
                continue;
            if (t.after.contains(d) && chainable(d, t)) {
                *afterOk << d;
                continue;
            }
            return false;
        }
        const TaskRecord rec = record(t.name);
        for (const DataInput &in : t.inputs) {
            if (in.fromTask.isEmpty())
                continue;
            const TaskSpec *from = m_wf.task(in.fromTask);
            if (!from)
                continue;
            if (from->site == t.site) {
                // Same run directory: nothing to move, but it must exist.
                if (state(in.fromTask) != TaskState::Done && !afterOk->contains(in.fromTask))
                    return false;
                continue;
            }
            if (state(in.fromTask) != TaskState::Done)
                return false;
            if (!rec.movedInputs.contains(in.path))
                *moves << in;
        }
        return true;
    }

    // Parameters of every decided gate upstream of `t`; the nearest wins.
    QMap<QString, QString> environment(const TaskSpec &t) const
    {
        QSet<QString> upstream;
        QStringList todo = dependencies(t);
        while (!todo.isEmpty()) {
            const QString d = todo.takeLast();
            if (upstream.contains(d))
                continue;
            upstream.insert(d);
            if (const TaskSpec *dt = m_wf.task(d))
                todo << dependencies(*dt);
        }
        QMap<QString, QString> env;
        for (const TaskSpec *g : m_order) {
            if (g->kind != TaskSpec::Kind::Gate || !upstream.contains(g->name))
                continue;
            const GateObservation obs = m_in.gates.value(g->name);
            if (!obs.decided)
                continue;
            for (const ParamSpec &p : g->gate.params)
                env.insert(paramVariable(p.name), obs.params.value(p.name, p.defaultValue));
        }
        return env;
    }

    // Submit (or retry) `t` when it is ready, moving its inputs first.
    void start(const TaskSpec &t, Action::Kind kind, int attempt)
    {
        QStringList afterOk;
        QList<DataInput> moves;
        if (!ready(t, &afterOk, &moves))
            return;
        if (!moves.isEmpty()) {
            for (const DataInput &in : std::as_const(moves)) {
                Action a;
                a.kind = Action::Kind::MoveInput;
                a.task = t.name;
                a.input = in;
                a.fromSite = m_wf.task(in.fromTask)->site;
                a.toSite = t.site;
                m_actions << a;
            }
            return;
        }
        if (kind == Action::Kind::Release) {
            add(kind, t.name);
            return;
        }
        Action a;
        a.kind = kind;
        a.task = t.name;
        a.attempt = attempt;
        a.afterOk = afterOk;
        a.environment = environment(t);
        m_actions << a;
    }

    void planJob(const TaskSpec &t)
    {
        const TaskStatus s = status(t.name);
        switch (s.state) {
        case TaskState::Pending:
            if (s.attempt == 0)
                start(t, Action::Kind::Submit, 1);
            break;
        case TaskState::Held:
            start(t, Action::Kind::Release, s.attempt);
            break;
        case TaskState::Failed:
            if (!finalFailure(t.name))
                start(t, Action::Kind::Retry, s.attempt + 1);
            break;
        case TaskState::Cancelled:
            // SLURM gave up on it because an upstream job failed; that one
            // is being retried: this one follows the new attempt.
            if (dependencyCancel(t.name)) {
                if (s.jobActive)
                    add(Action::Kind::Cancel, t.name, s.reason);
                else
                    start(t, Action::Kind::Submit, s.attempt + 1);
            }
            break;
        default:
            break;
        }
    }

    void planGate(const TaskSpec &g)
    {
        const TaskStatus s = status(g.name);
        if (s.state == TaskState::Pending) {
            for (const QString &d : dependencies(g))
                if (state(d) != TaskState::Done)
                    return;
            add(Action::Kind::PostGate, g.name);
        } else if (s.state == TaskState::WaitingForHuman && g.gate.deadlineSeconds > 0 &&
                   s.since.isValid() && s.since.addSecs(g.gate.deadlineSeconds) <= m_in.now) {
            Action a;
            a.kind = Action::Kind::TakeGateDefault;
            a.task = g.name;
            a.option = g.gate.defaultOption;
            if (a.option.isEmpty() && !g.gate.options.isEmpty())
                a.option = g.gate.options.first().name;
            a.reason = QStringLiteral("deadline %1 passed").arg(g.gate.deadline);
            m_actions << a;
        }
    }

    QList<Action> cancelRun()
    {
        bool active = false;
        for (const TaskSpec *t : std::as_const(m_order)) {
            if (status(t->name).jobActive) {
                add(Action::Kind::Cancel, t->name, QStringLiteral("the run was cancelled"));
                active = true;
            }
        }
        if (!active) {
            Action a;
            a.kind = Action::Kind::FinishRun;
            a.outcome = TaskState::Cancelled;
            a.reason = QStringLiteral("the run was cancelled");
            m_actions << a;
        }
        return m_actions;
    }

    void finishIfSettled()
    {
        bool failed = false, cancelled = false;
        QStringList why;
        for (const TaskSpec *t : std::as_const(m_order)) {
            const TaskStatus s = status(t->name);
            if (m_skip.contains(t->name))
                continue;
            if (m_dead.contains(t->name)) {
                if (s.jobActive)
                    return;
                if (!isTerminal(s.state))
                    cancelled = true;
            }
            if (finalFailure(t->name)) {
                failed = true;
                why << QStringLiteral("%1 failed").arg(t->name);
            } else if (s.state == TaskState::Cancelled) {
                if (!m_dead.contains(t->name) && dependencyCancel(t->name))
                    return; // will be submitted again
                cancelled = true;
            } else if (s.state != TaskState::Done && !m_dead.contains(t->name)) {
                return;
            }
        }
        Action a;
        a.kind = Action::Kind::FinishRun;
        a.outcome = failed ? TaskState::Failed : cancelled ? TaskState::Cancelled : TaskState::Done;
        a.reason = why.join(QStringLiteral(", "));
        m_actions << a;
    }

    const PlanInput &m_in;
    const Workflow &m_wf;
    QList<const TaskSpec *> m_order;
    QMap<QString, QStringList> m_controllers; // task -> gates whose options name it
    QMap<QString, QString> m_skip;            // skipped (or being skipped), with why
    QMap<QString, QString> m_dead;            // can never run, with why
    QList<Action> m_actions;
};

} // namespace

QList<Action> plan(const PlanInput &input)
{
    if (!input.workflow)
        return {};
    return Planner(input).run();
}

} // namespace vigil::engine
