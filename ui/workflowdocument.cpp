// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflowdocument.h"

#include "workflow/writer.h"
#include "workflowcommands.h"

#include <QRegularExpression>
#include <QSet>

namespace vigil {

namespace {

// The task whose table a line of the writer's output belongs to ("" before
// the first [tasks.*] table): the `[tasks.NAME]` or `[tasks.NAME.*]` header
// at or above it.
QStringList taskOfEachLine(const QByteArray &toml)
{
    static const QRegularExpression header(
        QStringLiteral(R"(^\[\[?tasks\.("(?:[^"\\]|\\.)*"|[A-Za-z0-9_-]+))"));
    static const QRegularExpression otherTable(QStringLiteral(R"(^\[\[?(?!tasks\.))"));
    QStringList out;
    QString current;
    for (const QByteArray &raw : toml.split('\n')) {
        const QString line = QString::fromUtf8(raw);
        if (const auto m = header.match(line); m.hasMatch()) {
            QString name = m.captured(1);
            if (name.startsWith(QLatin1Char('"')))
                name = name.mid(1, name.size() - 2)
                           .replace(QStringLiteral("\\\""), QStringLiteral("\""));
            current = name;
        } else if (otherTable.match(line).hasMatch()) {
            current.clear();
        }
        out << current;
    }
    return out;
}

} // namespace

WorkflowDocument::WorkflowDocument(QObject *parent) : QObject(parent)
{
    revalidate();
}

void WorkflowDocument::reset(const Workflow &workflow)
{
    m_undo.clear();
    m_workflow = workflow;
    revalidate();
    Q_EMIT workflowReset();
    Q_EMIT pathChanged(m_workflow.sourcePath);
}

void WorkflowDocument::setPath(const QString &path)
{
    if (m_workflow.sourcePath == path)
        return;
    m_workflow.sourcePath = path;
    Q_EMIT pathChanged(path);
}

int WorkflowDocument::indexOf(const QString &name) const
{
    for (int i = 0; i < m_workflow.tasks.size(); ++i)
        if (m_workflow.tasks.at(i).name == name)
            return i;
    return -1;
}

QString WorkflowDocument::freeName(const QString &base) const
{
    if (indexOf(base) < 0)
        return base;
    for (int n = 2;; ++n) {
        const QString name = QStringLiteral("%1-%2").arg(base).arg(n);
        if (indexOf(name) < 0)
            return name;
    }
}

// ---- Primitive changes ------------------------------------------------------

void WorkflowDocument::insertTaskAt(int index, const TaskSpec &task)
{
    m_workflow.tasks.insert(std::clamp<qsizetype>(index, 0, m_workflow.tasks.size()), task);
    revalidate();
    Q_EMIT taskAdded(task.name);
    if (!task.after.isEmpty())
        Q_EMIT edgesChanged();
}

TaskSpec WorkflowDocument::takeTask(const QString &name, int *index)
{
    const int i = indexOf(name);
    if (index)
        *index = i;
    if (i < 0)
        return {};
    TaskSpec t = m_workflow.tasks.takeAt(i);
    revalidate();
    Q_EMIT taskRemoved(name);
    if (!t.after.isEmpty())
        Q_EMIT edgesChanged();
    return t;
}

void WorkflowDocument::replaceTask(const QString &name, const TaskSpec &task)
{
    const int i = indexOf(name);
    if (i < 0)
        return;
    const TaskSpec old = std::exchange(m_workflow.tasks[i], task);
    revalidate();
    if (old.name != task.name)
        Q_EMIT taskRenamed(old.name, task.name);
    Q_EMIT taskChanged(task.name);
    if (old.position != task.position || old.hasPosition != task.hasPosition)
        Q_EMIT taskMoved(task.name);
    if (old.after != task.after)
        Q_EMIT edgesChanged();
}

void WorkflowDocument::setPosition(const QString &name, QPointF pos)
{
    const int i = indexOf(name);
    if (i < 0)
        return;
    TaskSpec &t = m_workflow.tasks[i];
    t.position = pos;
    t.hasPosition = true;
    // A position is not a problem of the file: no revalidation.
    Q_EMIT taskMoved(name);
}

void WorkflowDocument::revalidate()
{
    QHash<QString, QStringList> problems;
    if (!m_workflow.tasks.isEmpty() || !m_workflow.sites.isEmpty()) {
        const QByteArray text = workflowToToml(m_workflow);
        const WorkflowCheck check = checkWorkflow(text, QStringLiteral("workflow"));
        const QStringList owners = taskOfEachLine(text);
        for (const WorkflowProblem &p : check.problems) {
            const QString owner = p.line > 0 ? owners.value(p.line - 1) : QString();
            problems[owner] << p.message;
        }
    }
    if (problems == m_problems)
        return;
    m_problems = problems;
    Q_EMIT problemsChanged();
}

// ---- Edits --------------------------------------------------------------------

QString WorkflowDocument::addTask(TaskSpec::Kind kind, QPointF pos)
{
    TaskSpec t;
    t.kind = kind;
    if (kind == TaskSpec::Kind::Gate) {
        t.name = QStringLiteral("review");
        t.gate.question = tr("Go on?");
        GateOption go, stop;
        go.name = QStringLiteral("go");
        stop.name = QStringLiteral("stop");
        t.gate.options = {go, stop};
    } else if (!m_workflow.sites.isEmpty()) {
        t.site = m_workflow.sites.first().name;
    }
    return addTask(t, pos);
}

QString WorkflowDocument::addTask(TaskSpec t, QPointF pos)
{
    t.name = freeName(t.name.isEmpty() ? QStringLiteral("task") : t.name);
    t.position = pos;
    t.hasPosition = true;
    m_undo.push(new AddTasksCommand(this, tr("Add %1").arg(t.name),
                                    {qMakePair(int(m_workflow.tasks.size()), t)}));
    return t.name;
}

void WorkflowDocument::removeTasks(const QStringList &names)
{
    QStringList present;
    for (const QString &n : names)
        if (indexOf(n) >= 0)
            present << n;
    if (present.isEmpty())
        return;
    m_undo.push(new RemoveTasksCommand(this,
                                       present.size() == 1
                                           ? tr("Delete %1").arg(present.first())
                                           : tr("Delete %n task(s)", nullptr, int(present.size())),
                                       present));
}

bool WorkflowDocument::editTask(const QString &name, const TaskSpec &task, QString *why)
{
    const TaskSpec *old = m_workflow.task(name);
    if (!old) {
        if (why)
            *why = tr("there is no task %1").arg(name);
        return false;
    }
    if (task.name != name) {
        if (why)
            *why = tr("a task is renamed with renameTask");
        return false;
    }
    if (task == *old)
        return true;
    m_undo.push(new ReplaceTasksCommand(this, tr("Edit %1").arg(name), {{name, *old, task}}));
    return true;
}

bool WorkflowDocument::renameTask(const QString &from, const QString &to, QString *why)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9_.-]*$"));
    const TaskSpec *old = m_workflow.task(from);
    QString problem;
    if (!old)
        problem = tr("there is no task %1").arg(from);
    else if (to == from)
        return true;
    else if (!valid.match(to).hasMatch() || to.size() > 64)
        problem = tr("\"%1\" is not a task name: use letters, digits, '_', '-' and '.' (64 at "
                     "most), not starting with '-' or '.'")
                      .arg(to);
    else if (indexOf(to) >= 0)
        problem = tr("a task named %1 exists already").arg(to);
    if (!problem.isEmpty()) {
        if (why)
            *why = problem;
        return false;
    }
    QList<TaskChange> changes;
    TaskSpec renamed = renameReferences(*old, from, to);
    renamed.name = to;
    changes << TaskChange{from, *old, renamed};
    for (const TaskSpec &t : std::as_const(m_workflow.tasks)) {
        if (t.name == from)
            continue;
        const TaskSpec after = renameReferences(t, from, to);
        if (!(after == t))
            changes << TaskChange{t.name, t, after};
    }
    m_undo.push(new ReplaceTasksCommand(this, tr("Rename %1 to %2").arg(from, to), changes));
    return true;
}

void WorkflowDocument::moveTasks(const QHash<QString, QPointF> &positions, int drag)
{
    QHash<QString, MoveTasksCommand::Move> moves;
    for (auto it = positions.cbegin(); it != positions.cend(); ++it)
        if (const TaskSpec *t = m_workflow.task(it.key());
            t && (!t->hasPosition || t->position != it.value()))
            moves.insert(it.key(), {t->position, t->hasPosition, it.value()});
    if (moves.isEmpty())
        return;
    m_undo.push(new MoveTasksCommand(this,
                                     moves.size() == 1
                                         ? tr("Move %1").arg(moves.cbegin().key())
                                         : tr("Move %n task(s)", nullptr, int(moves.size())),
                                     moves, drag));
}

void WorkflowDocument::layoutAll(const QHash<QString, QPointF> &positions)
{
    moveTasks(positions, 0);
}

bool WorkflowDocument::connectTasks(const QString &from, const QString &to, QString *why)
{
    const TaskSpec *target = m_workflow.task(to);
    QString problem;
    if (!target || !m_workflow.task(from))
        problem = tr("both ends must be tasks");
    else if (from == to)
        problem = tr("a task cannot run after itself");
    else if (target->after.contains(from))
        return true;
    else {
        // A cycle: `to` is already among the tasks `from` waits for.
        QStringList stack{from};
        QSet<QString> seen;
        while (!stack.isEmpty() && problem.isEmpty()) {
            const QString n = stack.takeLast();
            if (n == to)
                problem = tr("%1 already runs before %2: this would make a cycle").arg(to, from);
            else if (const TaskSpec *t = m_workflow.task(n); t && !seen.contains(n)) {
                seen.insert(n);
                stack << t->after;
            }
        }
    }
    if (!problem.isEmpty()) {
        if (why)
            *why = problem;
        return false;
    }
    TaskSpec after = *target;
    after.after << from;
    m_undo.push(
        new ReplaceTasksCommand(this, tr("Connect %1 → %2").arg(from, to), {{to, *target, after}}));
    return true;
}

void WorkflowDocument::disconnectTasks(const QString &from, const QString &to)
{
    const TaskSpec *target = m_workflow.task(to);
    if (!target || !target->after.contains(from))
        return;
    TaskSpec after = *target;
    after.after.removeAll(from);
    m_undo.push(new ReplaceTasksCommand(this, tr("Disconnect %1 → %2").arg(from, to),
                                        {{to, *target, after}}));
}

// ---- Clipboard ------------------------------------------------------------------

QByteArray WorkflowDocument::copy(const QStringList &names) const
{
    Workflow w;
    w.name = m_workflow.name.isEmpty() ? QStringLiteral("copied") : m_workflow.name;
    QSet<QString> sites;
    for (const TaskSpec &t : m_workflow.tasks) {
        if (!names.contains(t.name))
            continue;
        TaskSpec c = t;
        for (const TaskSpec &other : m_workflow.tasks)
            if (!names.contains(other.name))
                c = renameReferences(c, other.name, QString());
        w.tasks << c;
        if (!t.site.isEmpty())
            sites.insert(t.site);
    }
    for (const SiteSpec &s : m_workflow.sites)
        if (sites.contains(s.name))
            w.sites << s;
    return workflowToToml(w);
}

QStringList WorkflowDocument::paste(const QByteArray &text, QPointF offset, QString *why)
{
    const WorkflowCheck check = checkWorkflow(text, QStringLiteral("clipboard"));
    if (check.workflow.tasks.isEmpty()) {
        if (why)
            *why = check.problems.isEmpty() ? tr("the clipboard holds no task")
                                            : check.problems.first().toString();
        return {};
    }
    // New names where the document has the name already; references among
    // the pasted tasks follow.
    QList<TaskSpec> tasks = check.workflow.tasks;
    QSet<QString> taken;
    for (const TaskSpec &t : std::as_const(m_workflow.tasks))
        taken.insert(t.name);
    QHash<QString, QString> renamed;
    for (const TaskSpec &t : std::as_const(tasks)) {
        QString name = t.name;
        for (int n = 2; taken.contains(name); ++n)
            name = QStringLiteral("%1-%2").arg(t.name).arg(n);
        taken.insert(name);
        renamed.insert(t.name, name);
    }
    QList<QPair<int, TaskSpec>> added;
    int index = int(m_workflow.tasks.size());
    QStringList names;
    for (TaskSpec t : std::as_const(tasks)) {
        for (auto it = renamed.cbegin(); it != renamed.cend(); ++it)
            if (it.key() != it.value())
                t = renameReferences(t, it.key(), QStringLiteral("\x01") + it.value());
        // (a two-step rename, so that a->b, b->c does not turn a into c)
        for (const QString &n : renamed)
            t = renameReferences(t, QStringLiteral("\x01") + n, n);
        t.name = renamed.value(t.name);
        if (t.hasPosition)
            t.position += offset;
        names << t.name;
        added << qMakePair(index++, t);
    }
    m_undo.push(
        new AddTasksCommand(this, tr("Paste %n task(s)", nullptr, int(added.size())), added));
    return names;
}

} // namespace vigil
