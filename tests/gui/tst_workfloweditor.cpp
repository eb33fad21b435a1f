// SPDX-License-Identifier: GPL-3.0-or-later
// The workflow editor as a user drives it (offscreen): a file without
// positions is laid out; a node dragged from the palette lands on the canvas;
// a drag from an output port to a node connects them; a dragged node is one
// undo step; the property panel edits the task; Delete removes it; what is
// saved opens again identical.
#include "editoritems.h"
#include "editorsample.h"
#include "taskproperties.h"
#include "workflow/writer.h"
#include "workflowcanvas.h"
#include "workflowdocument.h"
#include "workfloweditor.h"

#include <QDropEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

namespace {

Workflow sample()
{
    return test::editorSample();
}

QPoint viewPoint(const WorkflowCanvas *canvas, QPointF scene)
{
    return canvas->mapFromScene(scene);
}

QPointF centreOf(const EditorNodeItem *n)
{
    return n->pos() +
           QPointF(EditorNodeItem::kSize.width() / 2, EditorNodeItem::kSize.height() / 2);
}

} // namespace

class TestWorkflowEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void editByHand()
    {
        WorkflowEditor editor;
        editor.resize(1200, 800);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        WorkflowDocument *doc = editor.document();
        WorkflowCanvas *canvas = editor.canvas();
        editor.setWorkflow(sample());
        // Laid out: every task placed, layers left to right.
        QCOMPARE(canvas->nodeCount(), 4);
        QCOMPARE(canvas->edgeCount(), 3);
        for (const TaskSpec &t : doc->workflow().tasks)
            QVERIFY(t.hasPosition);
        QVERIFY(doc->task(QStringLiteral("train"))->position.x() >
                doc->task(QStringLiteral("prep"))->position.x());
        QVERIFY(!doc->isModified());

        // A SLURM job dropped from the palette: the payload is the palette's
        // own (what its drag carries; the offscreen platform cannot run a
        // QDrag to its end, so the drop is delivered to the canvas here).
        QListWidget *palette = editor.palette();
        QVERIFY(palette->dragEnabled());
        QModelIndex slurmEntry;
        for (int row = 0; row < palette->count(); ++row)
            if (palette->item(row)->data(Qt::UserRole).toString() == QLatin1String("slurm"))
                slurmEntry = palette->model()->index(row, 0);
        QVERIFY(slurmEntry.isValid());
        QVERIFY(palette->model()->flags(slurmEntry) & Qt::ItemIsDragEnabled);
        QMimeData *mime = palette->model()->mimeData({slurmEntry});
        QVERIFY(mime);
        QCOMPARE(mime->data(QLatin1String(WorkflowCanvas::kNodeMime)), QByteArray("slurm"));
        const QPointF dropAt = doc->task(QStringLiteral("report"))->position + QPointF(0, 200);
        const QPoint p = viewPoint(canvas, dropAt + QPointF(88, 31));
        QDragEnterEvent enter(p, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(canvas->viewport(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(p, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(canvas->viewport(), &drop);
        delete mime;
        QCOMPARE(canvas->nodeCount(), 5);
        const TaskSpec *added = doc->task(QStringLiteral("task"));
        QVERIFY(added);
        QCOMPARE(added->site, QStringLiteral("cluster")); // the SLURM site
        QVERIFY((added->position - dropAt).manhattanLength() < 4);
        // It has no command yet: a problem, on its node and in the panel.
        QVERIFY(!canvas->node(QStringLiteral("task"))->problems().isEmpty());
        QCOMPARE(editor.properties()->task(), QStringLiteral("task")); // selected
        auto *command = editor.properties()->findChild<QLineEdit *>(QStringLiteral("taskCommand"));
        QVERIFY(command);
        command->setText(QStringLiteral("python3 eval.py --split 'test set'"));
        Q_EMIT command->editingFinished();
        QCOMPARE(doc->task(QStringLiteral("task"))->command,
                 (QStringList{QStringLiteral("python3"), QStringLiteral("eval.py"),
                              QStringLiteral("--split"), QStringLiteral("test set")}));
        QVERIFY(canvas->node(QStringLiteral("task"))->problems().isEmpty());

        // Connect report -> task with the mouse, from report's output port.
        const EditorNodeItem *report = canvas->node(QStringLiteral("report"));
        const EditorNodeItem *task = canvas->node(QStringLiteral("task"));
        QTest::mousePress(canvas->viewport(), Qt::LeftButton, {},
                          viewPoint(canvas, report->outPort()));
        QMouseEvent move(QEvent::MouseMove, viewPoint(canvas, centreOf(task)),
                         canvas->viewport()->mapToGlobal(viewPoint(canvas, centreOf(task))),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(canvas->viewport(), &move);
        QTest::mouseRelease(canvas->viewport(), Qt::LeftButton, {},
                            viewPoint(canvas, centreOf(task)));
        QCOMPARE(doc->task(QStringLiteral("task"))->after, QStringList{QStringLiteral("report")});
        QCOMPARE(canvas->edgeCount(), 4);

        // Drag train by 3 steps: one undo step.
        const int steps = doc->undoStack()->count();
        const QPointF trainAt = doc->task(QStringLiteral("train"))->position;
        const QPoint from = viewPoint(canvas, centreOf(canvas->node(QStringLiteral("train"))));
        QTest::mousePress(canvas->viewport(), Qt::LeftButton, {}, from);
        for (int i = 1; i <= 3; ++i) {
            const QPoint to = from + QPoint(20 * i, 10 * i);
            QMouseEvent m(QEvent::MouseMove, to, canvas->viewport()->mapToGlobal(to), Qt::NoButton,
                          Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(canvas->viewport(), &m);
        }
        QTest::mouseRelease(canvas->viewport(), Qt::LeftButton, {}, from + QPoint(60, 30));
        QCOMPARE(doc->undoStack()->count(), steps + 1);
        QVERIFY(doc->task(QStringLiteral("train"))->position != trainAt);
        doc->undoStack()->undo();
        QCOMPARE(doc->task(QStringLiteral("train"))->position, trainAt);
        QCOMPARE(canvas->node(QStringLiteral("train"))->pos(), trainAt);

        // Delete the selected node; its edges go with it.
        canvas->selectTasks({QStringLiteral("task")});
        editor.findChild<QAction *>(QStringLiteral("deleteAction"))->trigger();
        QCOMPARE(canvas->nodeCount(), 4);
        QCOMPARE(canvas->edgeCount(), 3);
        doc->undoStack()->undo();
        QCOMPARE(canvas->edgeCount(), 4);

        // Save, open again: identical.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("edited.toml"));
        QSignalSpy saved(&editor, &WorkflowEditor::saved);
        editor.saveTo(path);
        QVERIFY(saved.wait(10000));
        QVERIFY(!doc->isModified());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), workflowToToml(doc->workflow()));
        WorkflowEditor again;
        QSignalSpy opened(&again, &WorkflowEditor::opened);
        again.openFile(path);
        QVERIFY(opened.wait(10000));
        QCOMPARE(again.document()->workflow(), doc->workflow());
        QVERIFY(!again.document()->isModified());
    }

    void propertiesLineFormats()
    {
        auto options = TaskProperties::parseOptions(QStringLiteral("go: +train +eval -report\nno"));
        QVERIFY2(options, qPrintable(options.errorString()));
        QCOMPARE(options->size(), 2);
        QCOMPARE(options->at(0).enables,
                 (QStringList{QStringLiteral("train"), QStringLiteral("eval")}));
        QCOMPARE(options->at(0).skips, QStringList{QStringLiteral("report")});
        QCOMPARE(TaskProperties::formatOptions(*options),
                 QStringLiteral("go: +train +eval -report\nno:"));
        QVERIFY(!TaskProperties::parseOptions(QStringLiteral("go: train")));
        auto params = TaskProperties::parseParams(
            QStringLiteral("lr number 0.01 0 1\nmode enum fast fast|slow\nnote string hello"));
        QVERIFY2(params, qPrintable(params.errorString()));
        QCOMPARE(params->size(), 3);
        QCOMPARE(params->at(0).max, QStringLiteral("1"));
        QCOMPARE(params->at(1).choices,
                 (QStringList{QStringLiteral("fast"), QStringLiteral("slow")}));
        QCOMPARE(TaskProperties::formatParams(*params),
                 QStringLiteral("lr number 0.01 0 1\nmode enum fast fast|slow\nnote string hello"));
        const auto bad = TaskProperties::parseParams(QStringLiteral("lr float 1"));
        QVERIFY(!bad);
        QVERIFY2(bad.errorString().startsWith(QStringLiteral("params, line 1: type \"float\"")),
                 qPrintable(bad.errorString()));
        QVERIFY(!TaskProperties::parseEnvironment(QStringLiteral("A=1\nnovalue")));
    }
};

QTEST_MAIN(TestWorkflowEditor)
#include "tst_workfloweditor.moc"
