// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflowcommands.h"

#include "workflowdocument.h"

#include <QSet>
#include <algorithm>

namespace vigil {

namespace {

void renameIn(QStringList &names, const QString &from, const QString &to)
{
    if (to.isEmpty()) {
        names.removeAll(from);
        return;
    }
    std::replace(names.begin(), names.end(), from, to);
}

} // namespace

TaskSpec renameReferences(const TaskSpec &task, const QString &from, const QString &to)
{
    TaskSpec t = task;
    renameIn(t.after, from, to);
    for (GateOption &o : t.gate.options) {
        renameIn(o.enables, from, to);
        renameIn(o.skips, from, to);
    }
    for (auto it = t.inputs.begin(); it != t.inputs.end();) {
        if (it->fromTask == from) {
            if (to.isEmpty()) {
                it = t.inputs.erase(it);
                continue;
            }
            it->fromTask = to;
        }
        ++it;
    }
    return t;
}

WorkflowCommand::WorkflowCommand(WorkflowDocument *doc, const QString &text) : m_doc(doc)
{
    setText(text);
}

void WorkflowCommand::insertTaskAt(int index, const TaskSpec &task)
{
    m_doc->insertTaskAt(index, task);
}

TaskSpec WorkflowCommand::takeTask(const QString &name, int *index)
{
    return m_doc->takeTask(name, index);
}

void WorkflowCommand::replaceTask(const QString &name, const TaskSpec &task)
{
    m_doc->replaceTask(name, task);
}

void WorkflowCommand::setPosition(const QString &name, QPointF pos)
{
    m_doc->setPosition(name, pos);
}

int WorkflowCommand::indexOf(const QString &name) const
{
    return m_doc->indexOf(name);
}

const Workflow &WorkflowCommand::workflow() const
{
    return m_doc->workflow();
}

AddTasksCommand::AddTasksCommand(WorkflowDocument *doc, const QString &text,
                                 QList<QPair<int, TaskSpec>> tasks)
    : WorkflowCommand(doc, text), m_tasks(std::move(tasks))
{}

void AddTasksCommand::redo()
{
    for (const auto &[index, task] : std::as_const(m_tasks))
        insertTaskAt(index, task);
}

void AddTasksCommand::undo()
{
    for (auto it = m_tasks.crbegin(); it != m_tasks.crend(); ++it)
        takeTask(it->second.name);
}

ReplaceTasksCommand::ReplaceTasksCommand(WorkflowDocument *doc, const QString &text,
                                         QList<TaskChange> changes)
    : WorkflowCommand(doc, text), m_changes(std::move(changes))
{}

void ReplaceTasksCommand::redo()
{
    for (const TaskChange &c : std::as_const(m_changes))
        replaceTask(c.key, c.after);
}

void ReplaceTasksCommand::undo()
{
    for (auto it = m_changes.crbegin(); it != m_changes.crend(); ++it)
        replaceTask(it->after.name, it->before);
}

RemoveTasksCommand::RemoveTasksCommand(WorkflowDocument *doc, const QString &text,
                                       const QStringList &names)
    : WorkflowCommand(doc, text)
{
    for (const QString &name : names)
        if (const int i = indexOf(name); i >= 0)
            m_removed << qMakePair(i, workflow().tasks.at(i));
    std::sort(m_removed.begin(), m_removed.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const TaskSpec &t : workflow().tasks) {
        if (names.contains(t.name))
            continue;
        TaskSpec after = t;
        for (const QString &name : names)
            after = renameReferences(after, name, QString());
        if (!(after == t))
            m_references << TaskChange{t.name, t, after};
    }
}

void RemoveTasksCommand::redo()
{
    for (const TaskChange &c : std::as_const(m_references))
        replaceTask(c.key, c.after);
    for (auto it = m_removed.crbegin(); it != m_removed.crend(); ++it)
        takeTask(it->second.name);
}

void RemoveTasksCommand::undo()
{
    for (const auto &[index, task] : std::as_const(m_removed))
        insertTaskAt(index, task);
    for (const TaskChange &c : std::as_const(m_references))
        replaceTask(c.key, c.before);
}

MoveTasksCommand::MoveTasksCommand(WorkflowDocument *doc, const QString &text,
                                   QHash<QString, Move> moves, int drag)
    : WorkflowCommand(doc, text), m_moves(std::move(moves)), m_drag(drag)
{}

void MoveTasksCommand::redo()
{
    for (auto it = m_moves.cbegin(); it != m_moves.cend(); ++it)
        setPosition(it.key(), it->to);
}

void MoveTasksCommand::undo()
{
    for (auto it = m_moves.cbegin(); it != m_moves.cend(); ++it) {
        if (it->hadPosition) {
            setPosition(it.key(), it->from);
        } else {
            // Back to "never placed": the position is cleared with the flag.
            const int i = indexOf(it.key());
            if (i < 0)
                continue;
            TaskSpec t = workflow().tasks.at(i);
            t.hasPosition = false;
            t.position = QPointF();
            replaceTask(it.key(), t);
        }
    }
}

bool MoveTasksCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const MoveTasksCommand *>(other);
    const QList<QString> mine = m_moves.keys(), theirs = o->m_moves.keys();
    if (m_drag == 0 || o->m_drag != m_drag ||
        QSet<QString>(mine.cbegin(), mine.cend()) != QSet<QString>(theirs.cbegin(), theirs.cend()))
        return false;
    for (auto it = o->m_moves.cbegin(); it != o->m_moves.cend(); ++it)
        m_moves[it.key()].to = it->to;
    return true;
}

} // namespace vigil
