// SPDX-License-Identifier: GPL-3.0-or-later
// A run-time change made in the editor (a run directory on the local site,
// real vigil-job, a real Supervisor): the editor reads the run's revision in
// effect, a task is added, the preview shows the readable diff, Publish
// writes revisions/0002.* in the run directory, and the edit becomes the new
// base ("no change" from it).
#include "../common/vigiljob.h"
#include "engine/revision.h"
#include "sites/site.h"
#include "supervisor.h"
#include "workflow/writer.h"
#include "workflowdocument.h"
#include "workfloweditor.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

class TestEditorRevise : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void publishARevisionFromTheEditor()
    {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        Workflow wf;
        wf.name = QStringLiteral("revised");
        SiteSpec here;
        here.name = QStringLiteral("here");
        here.kind = SiteSpec::Kind::Local;
        here.runRoot = root.path();
        wf.sites << here;
        for (const QString &name : {QStringLiteral("prep"), QStringLiteral("train")}) {
            TaskSpec t;
            t.name = name;
            t.site = QStringLiteral("here");
            t.command = {QStringLiteral("true")};
            if (name == QLatin1String("train"))
                t.after = {QStringLiteral("prep")};
            wf.tasks << t;
        }
        const QString runDir = root.filePath(QStringLiteral("revised"));
        test::runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), runDir,
                           QStringLiteral("--run-id"), QStringLiteral("revised"),
                           QStringLiteral("--workflow-name"), wf.name});
        {
            QFile f(runDir + QStringLiteral("/workflow.toml"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(workflowToToml(wf));
        }
        SupervisorOptions options;
        options.pollSeconds = 1;
        Supervisor supervisor(options);
        supervisor.addSite(here);
        supervisor.start();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const RunInfo &r : supervisor.runs())
                    if (r.runId == QLatin1String("revised"))
                        return true;
                return false;
            }(),
            20000);

        WorkflowEditor editor;
        QSignalSpy loaded(&editor, &WorkflowEditor::revisionBaseLoaded);
        QSignalSpy failed(&editor, &WorkflowEditor::failed);
        editor.reviseRun(&supervisor, QStringLiteral("revised"));
        QVERIFY2(loaded.wait(20000), qPrintable(failed.value(0).value(0).toString()));
        QCOMPARE(loaded.first().first().toInt(), 1);
        QCOMPARE(editor.revisedRun(), QStringLiteral("revised"));
        WorkflowDocument *doc = editor.document();
        QCOMPARE(doc->workflow().tasks.size(), 2);
        // Nothing edited yet: nothing to publish.
        QVERIFY(editor.revisionPreview().problems.value(0).startsWith(
            QStringLiteral("no change from revision 1")));

        // Add an evaluation after train.
        TaskSpec eval;
        eval.name = QStringLiteral("evaluate");
        eval.site = QStringLiteral("here");
        eval.command = {QStringLiteral("true")};
        const QString name = doc->addTask(eval, QPointF(400, 0));
        QVERIFY(doc->connectTasks(QStringLiteral("train"), name));
        const engine::RevisionPreview preview = editor.revisionPreview();
        QVERIFY2(preview.problems.isEmpty(), qPrintable(preview.problems.join(QLatin1Char('\n'))));
        QCOMPARE(preview.number, 2);
        QVERIFY2(preview.text.startsWith(QStringLiteral("+ task evaluate (after train)\n")),
                 qPrintable(preview.text));

        QSignalSpy published(&editor, &WorkflowEditor::revisionPublished);
        editor.publishRevision(QStringLiteral("evaluate as well"));
        QVERIFY2(published.wait(20000), qPrintable(failed.value(0).value(0).toString()));
        QCOMPARE(published.first().first().toInt(), 2);
        QVERIFY(!doc->isModified());
        QFile toml(runDir + QStringLiteral("/revisions/0002.toml"));
        QVERIFY(toml.open(QIODevice::ReadOnly));
        const WorkflowCheck back = checkWorkflow(toml.readAll(), toml.fileName());
        QVERIFY2(back.ok(), qPrintable(back.problems.value(0).toString()));
        QVERIFY(back.workflow.task(QStringLiteral("evaluate")));
        QCOMPARE(back.workflow.task(QStringLiteral("evaluate"))->after,
                 QStringList{QStringLiteral("train")});
        QFile json(runDir + QStringLiteral("/revisions/0002.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const auto info = engine::parseRevisionInfo(json.readAll(), json.fileName());
        QVERIFY2(info, qPrintable(info.errorString()));
        QCOMPARE(info->comment, QStringLiteral("evaluate as well"));
        QCOMPARE(info->baseRevision, 1);
        // The published revision is the base now.
        QVERIFY(editor.revisionPreview().problems.value(0).startsWith(
            QStringLiteral("no change from revision 2")));
    }
};

QTEST_MAIN(TestEditorRevise)
#include "tst_editor_revise.moc"
