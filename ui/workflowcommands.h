// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The undo commands of a WorkflowDocument. Each changes the document by task
// name through its primitive changes, and holds the task data it needs to
// undo itself (never a scene item).

#include "workflow/workflow.h"

#include <QHash>
#include <QPointF>
#include <QUndoCommand>

namespace vigil {

class WorkflowDocument;

class WorkflowCommand : public QUndoCommand
{
public:
    WorkflowCommand(WorkflowDocument *doc, const QString &text);

protected:
    void insertTaskAt(int index, const TaskSpec &task);
    TaskSpec takeTask(const QString &name, int *index = nullptr);
    void replaceTask(const QString &name, const TaskSpec &task);
    void setPosition(const QString &name, QPointF pos);
    int indexOf(const QString &name) const;
    const Workflow &workflow() const;

    WorkflowDocument *m_doc;
};

// Tasks added at their indexes (a new task, a paste).
class AddTasksCommand : public WorkflowCommand
{
public:
    AddTasksCommand(WorkflowDocument *doc, const QString &text, QList<QPair<int, TaskSpec>> tasks);
    void redo() override;
    void undo() override;

private:
    QList<QPair<int, TaskSpec>> m_tasks; // ascending indexes
};

// One or more tasks changed, possibly renamed: `key` is the name before.
struct TaskChange
{
    QString key;
    TaskSpec before;
    TaskSpec after;
};

class ReplaceTasksCommand : public WorkflowCommand
{
public:
    ReplaceTasksCommand(WorkflowDocument *doc, const QString &text, QList<TaskChange> changes);
    void redo() override;
    void undo() override;

private:
    QList<TaskChange> m_changes;
};

// Tasks removed, and the references to them in the tasks that stay.
class RemoveTasksCommand : public WorkflowCommand
{
public:
    RemoveTasksCommand(WorkflowDocument *doc, const QString &text, const QStringList &names);
    void redo() override;
    void undo() override;

private:
    QList<QPair<int, TaskSpec>> m_removed; // ascending indexes, as they were
    QList<TaskChange> m_references;
};

// Tasks moved; a drag's moves of the same tasks merge into one step.
class MoveTasksCommand : public WorkflowCommand
{
public:
    struct Move
    {
        QPointF from;
        bool hadPosition = false;
        QPointF to;
    };
    // Commands of the same non-zero `drag` merge.
    MoveTasksCommand(WorkflowDocument *doc, const QString &text, QHash<QString, Move> moves,
                     int drag);
    void redo() override;
    void undo() override;
    int id() const override { return 1; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    QHash<QString, Move> m_moves;
    int m_drag;
};

// A copy of `task` with every reference to `from` (after, enables, skips,
// inputs' from_task) renamed to `to`; `to` empty removes them.
TaskSpec renameReferences(const TaskSpec &task, const QString &from, const QString &to);

} // namespace vigil
