// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The workflow being edited: a Workflow keyed by task name, its undo stack
// and its file. Every edit is an undo command that changes the document by
// task name (workflowcommands.h), never through a scene item; views follow
// the signals. Moves of the same tasks merge into one step while a drag
// lasts. Problems are those of the file the writer would save (the same
// checks as `vigilctl validate`), each attached to its task.

#include "workflow/workflow.h"

#include <QHash>
#include <QObject>
#include <QPointF>
#include <QUndoStack>

namespace vigil {

class WorkflowDocument : public QObject
{
    Q_OBJECT
public:
    explicit WorkflowDocument(QObject *parent = nullptr);

    const Workflow &workflow() const { return m_workflow; }
    const TaskSpec *task(const QString &name) const { return m_workflow.task(name); }
    QUndoStack *undoStack() { return &m_undo; }
    // Replaces the whole document (a file opened): the undo history is cleared.
    void reset(const Workflow &workflow);
    // Where it is saved; empty: never saved.
    QString path() const { return m_workflow.sourcePath; }
    void setPath(const QString &path);
    bool isModified() const { return !m_undo.isClean(); }
    void markSaved() { m_undo.setClean(); }

    // ---- Edits (each one undo step; false: refused, with why in *why) ----
    // A new job or gate at `pos`, with a free name; returns the name.
    QString addTask(TaskSpec::Kind kind, QPointF pos);
    // `prototype` at `pos`, named after its name ("task" when empty) made free.
    QString addTask(TaskSpec prototype, QPointF pos);
    // The tasks and every `after`, enables and skips that names them.
    void removeTasks(const QStringList &names);
    // Replaces a task's fields (not its name; see renameTask).
    bool editTask(const QString &name, const TaskSpec &task, QString *why = nullptr);
    // A new name, and every reference to the old one follows.
    bool renameTask(const QString &from, const QString &to, QString *why = nullptr);
    // Moves with the same non-zero `drag` (one drag of the mouse) of the
    // same tasks are one undo step; 0: a step of its own.
    void moveTasks(const QHash<QString, QPointF> &positions, int drag = 0);
    // `to` runs after `from`: refused when it would make a cycle.
    bool connectTasks(const QString &from, const QString &to, QString *why = nullptr);
    void disconnectTasks(const QString &from, const QString &to);
    // Positions for every task, from the layered layout (a file opened
    // without positions).
    void layoutAll(const QHash<QString, QPointF> &positions);

    // ---- Clipboard ----
    // The tasks as a workflow file of their own (with the sites they use);
    // `after` names outside the selection are dropped.
    QByteArray copy(const QStringList &names) const;
    // Adds the tasks of a copied file, renamed where names are taken, moved by
    // `offset`; one undo step. Returns the new names; an empty list and *why
    // when the text is not a copied workflow.
    QStringList paste(const QByteArray &text, QPointF offset, QString *why = nullptr);

    // ---- Validation ----
    // The problems of the file the writer would save; by task name ("" for
    // the workflow as a whole), as "what" without the location.
    QHash<QString, QStringList> problems() const { return m_problems; }
    QStringList problemsOf(const QString &task) const { return m_problems.value(task); }

    // A name not used by any task: `base`, else base-2, base-3...
    QString freeName(const QString &base) const;

Q_SIGNALS:
    // The whole document changed (reset, or an edit of many tasks).
    void workflowReset();
    void taskAdded(const QString &name);
    void taskRemoved(const QString &name);
    void taskChanged(const QString &name);
    void taskMoved(const QString &name);
    void taskRenamed(const QString &from, const QString &to);
    // Some `after` lists changed.
    void edgesChanged();
    void problemsChanged();
    void pathChanged(const QString &path);

private:
    friend class WorkflowCommand;
    // The primitive changes, for the commands only; each emits its signal.
    void insertTaskAt(int index, const TaskSpec &task);
    TaskSpec takeTask(const QString &name, int *index);
    void replaceTask(const QString &name, const TaskSpec &task);
    void setPosition(const QString &name, QPointF pos);
    void revalidate();
    int indexOf(const QString &name) const;

    Workflow m_workflow;
    QUndoStack m_undo;
    QHash<QString, QStringList> m_problems;
};

} // namespace vigil
