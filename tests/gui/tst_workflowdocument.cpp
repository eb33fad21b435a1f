// SPDX-License-Identifier: GPL-3.0-or-later
// The workflow editor's document: every edit undoes and redoes by task name,
// a drag is one step, renames and deletions carry their references, copy and
// paste, validation per task, and what it saves reads back identical.
#include "editorsample.h"
#include "workflow/writer.h"
#include "workflowdocument.h"

#include <QSignalSpy>
#include <QTest>

using namespace vigil;

namespace {

Workflow sample()
{
    return test::editorSample();
}

QStringList names(const WorkflowDocument &doc)
{
    QStringList out;
    for (const TaskSpec &t : doc.workflow().tasks)
        out << t.name;
    return out;
}

} // namespace

class TestWorkflowDocument : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void addUndoRedo()
    {
        WorkflowDocument doc;
        doc.reset(sample());
        QSignalSpy added(&doc, &WorkflowDocument::taskAdded);
        const QString job = doc.addTask(TaskSpec::Kind::Job, QPointF(10, 20));
        const QString gate = doc.addTask(TaskSpec::Kind::Gate, QPointF(30, 40));
        QCOMPARE(job, QStringLiteral("task"));
        QCOMPARE(gate, QStringLiteral("review-2")); // "review" is taken
        QCOMPARE(added.size(), 2);
        QCOMPARE(doc.task(job)->site, QStringLiteral("here"));
        QCOMPARE(doc.task(gate)->gate.options.size(), 2);
        QVERIFY(doc.isModified());
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        QCOMPARE(names(doc), (QStringList{QStringLiteral("prep"), QStringLiteral("train"),
                                          QStringLiteral("review"), QStringLiteral("report")}));
        QVERIFY(!doc.isModified());
        doc.undoStack()->redo();
        QCOMPARE(doc.task(job)->position, QPointF(10, 20));
    }

    void renameCarriesReferences()
    {
        WorkflowDocument doc;
        doc.reset(sample());
        QString why;
        QVERIFY(!doc.renameTask(QStringLiteral("train"), QStringLiteral("prep"), &why));
        QVERIFY2(why.contains(QStringLiteral("exists already")), qPrintable(why));
        QVERIFY(!doc.renameTask(QStringLiteral("train"), QStringLiteral("-x"), &why));
        QVERIFY(doc.renameTask(QStringLiteral("report"), QStringLiteral("summary"), &why));
        QCOMPARE(doc.task(QStringLiteral("review"))->gate.options.at(0).enables,
                 QStringList{QStringLiteral("summary")});
        QCOMPARE(doc.task(QStringLiteral("review"))->gate.options.at(1).skips,
                 QStringList{QStringLiteral("summary")});
        QVERIFY(doc.renameTask(QStringLiteral("train"), QStringLiteral("fit"), &why));
        QCOMPARE(doc.task(QStringLiteral("review"))->after, QStringList{QStringLiteral("fit")});
        QVERIFY2(doc.problems().isEmpty(),
                 qPrintable(doc.problems().value(QString()).join(QLatin1Char(';'))));
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        QCOMPARE(doc.workflow(), sample());
    }

    void removeCarriesReferences()
    {
        WorkflowDocument doc;
        doc.reset(sample());
        doc.removeTasks({QStringLiteral("train")});
        QCOMPARE(names(doc), (QStringList{QStringLiteral("prep"), QStringLiteral("review"),
                                          QStringLiteral("report")}));
        QVERIFY(doc.task(QStringLiteral("review"))->after.isEmpty());
        doc.removeTasks({QStringLiteral("report"), QStringLiteral("prep")});
        QVERIFY(doc.task(QStringLiteral("review"))->gate.options.at(0).enables.isEmpty());
        QCOMPARE(doc.undoStack()->count(), 2);
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        // Back in place, with every reference.
        QCOMPARE(doc.workflow(), sample());
    }

    void aDragIsOneStep()
    {
        WorkflowDocument doc;
        doc.reset(sample());
        QSignalSpy moved(&doc, &WorkflowDocument::taskMoved);
        const QString a = QStringLiteral("prep"), b = QStringLiteral("train");
        for (int i = 1; i <= 5; ++i)
            doc.moveTasks({{a, QPointF(i, i)}, {b, QPointF(100 + i, i)}}, 1);
        QCOMPARE(moved.size(), 10);
        QCOMPARE(doc.undoStack()->count(), 1);
        QCOMPARE(doc.task(b)->position, QPointF(105, 5));
        // Another drag of the same tasks is another step ...
        doc.moveTasks({{a, QPointF(7, 7)}, {b, QPointF(8, 8)}}, 2);
        QCOMPARE(doc.undoStack()->count(), 2);
        // ... and a layout, never merged.
        doc.layoutAll({{a, QPointF(0, 0)}});
        QCOMPARE(doc.undoStack()->count(), 3);
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        // Never placed before: no position again (the file stays without one).
        QVERIFY(!doc.task(a)->hasPosition);
        QCOMPARE(doc.workflow(), sample());
    }

    void connectRefusesACycle()
    {
        WorkflowDocument doc;
        doc.reset(sample());
        QString why;
        QVERIFY(!doc.connectTasks(QStringLiteral("report"), QStringLiteral("prep"), &why));
        QVERIFY2(why.contains(QStringLiteral("cycle")), qPrintable(why));
        QVERIFY(!doc.connectTasks(QStringLiteral("prep"), QStringLiteral("prep"), &why));
        QCOMPARE(doc.undoStack()->count(), 0);
        QSignalSpy edges(&doc, &WorkflowDocument::edgesChanged);
        QVERIFY(doc.connectTasks(QStringLiteral("prep"), QStringLiteral("report"), &why));
        QCOMPARE(edges.size(), 1);
        QCOMPARE(doc.task(QStringLiteral("report"))->after,
                 (QStringList{QStringLiteral("review"), QStringLiteral("prep")}));
        doc.disconnectTasks(QStringLiteral("review"), QStringLiteral("report"));
        QCOMPARE(doc.task(QStringLiteral("report"))->after, QStringList{QStringLiteral("prep")});
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        QCOMPARE(doc.workflow(), sample());
    }

    void copyAndPaste()
    {
        WorkflowDocument doc;
        doc.reset(sample());
        doc.moveTasks({{QStringLiteral("train"), QPointF(200, 0)}});
        const QByteArray clip = doc.copy({QStringLiteral("train"), QStringLiteral("review")});
        // The copy is a workflow file of its own: `after prep` is left out.
        QVERIFY2(checkWorkflow(clip, QStringLiteral("clip")).ok(), clip.constData());
        QString why;
        const QStringList pasted = doc.paste(clip, QPointF(20, 30), &why);
        QCOMPARE(pasted, (QStringList{QStringLiteral("train-2"), QStringLiteral("review-2")}));
        QVERIFY(doc.task(QStringLiteral("train-2"))->after.isEmpty());
        QCOMPARE(doc.task(QStringLiteral("review-2"))->after,
                 QStringList{QStringLiteral("train-2")});
        QCOMPARE(doc.task(QStringLiteral("train-2"))->position, QPointF(220, 30));
        QCOMPARE(doc.task(QStringLiteral("train-2"))->command,
                 doc.task(QStringLiteral("train"))->command);
        QCOMPARE(doc.undoStack()->count(), 2); // the move, the paste
        doc.undoStack()->undo();
        QCOMPARE(doc.workflow().tasks.size(), sample().tasks.size());
        QVERIFY(doc.paste("not = [toml", QPointF(), &why).isEmpty());
        QVERIFY2(why.startsWith(QStringLiteral("clipboard:1:")), qPrintable(why));
    }

    void problemsBelongToTheirTask()
    {
        WorkflowDocument doc;
        doc.reset(sample());
        QVERIFY(doc.problems().isEmpty());
        QSignalSpy changed(&doc, &WorkflowDocument::problemsChanged);
        const QString job = doc.addTask(TaskSpec::Kind::Job, QPointF());
        QCOMPARE(changed.size(), 1);
        const QStringList problems = doc.problemsOf(job);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().contains(QStringLiteral("needs \"command\" or \"script\"")),
                 qPrintable(problems.first()));
        TaskSpec t = *doc.task(job);
        t.command = {QStringLiteral("true")};
        QVERIFY(doc.editTask(job, t));
        QVERIFY(doc.problems().isEmpty());
        QCOMPARE(changed.size(), 2);
        // A gate whose option enables an unknown task: on the gate.
        TaskSpec gate = *doc.task(QStringLiteral("review"));
        gate.gate.options[0].enables << QStringLiteral("nowhere");
        QVERIFY(doc.editTask(QStringLiteral("review"), gate));
        QVERIFY(!doc.problemsOf(QStringLiteral("review")).isEmpty());
        QVERIFY(doc.problemsOf(job).isEmpty());
    }

    void whatItSavesReadsBackIdentical()
    {
        WorkflowDocument doc;
        doc.reset(sample());
        doc.addTask(TaskSpec::Kind::Gate, QPointF(12.5, -40));
        doc.moveTasks({{QStringLiteral("prep"), QPointF(-100, 33)}});
        QVERIFY(doc.renameTask(QStringLiteral("report"), QStringLiteral("summary")));
        const QByteArray saved = workflowToToml(doc.workflow());
        const WorkflowCheck back = checkWorkflow(saved, QStringLiteral("saved"));
        QVERIFY2(back.ok(), qPrintable(back.problems.value(0).toString()));
        QCOMPARE(back.workflow, doc.workflow());
        QCOMPARE(workflowToToml(back.workflow), saved);
    }
};

QTEST_MAIN(TestWorkflowDocument)
#include "tst_workflowdocument.moc"
