// SPDX-License-Identifier: GPL-3.0-or-later
// The workflow editor with 500 tasks (docs/performance.md, "Workflow
// editor"), each figure next to its baseline in the same run:
//   Vigil: one step of a node drag changes that node's item and reroutes the
//   edges, then the view is drawn;
//   baseline: the same step done by rebuilding the whole scene from the
//   document (what a view without incremental updates does), then drawn.
// Also: opening the 500-task workflow (layout + scene) and drawing it whole.
// Usage: vigil-editor-bench [--markdown FILE]   (offscreen; no cluster needed)

#include "benchutil.h"
#include "workflowcanvas.h"
#include "workflowdocument.h"
#include "workfloweditor.h"

#include <QApplication>
#include <QDateTime>
#include <QSysInfo>
#include <QThread>
#include <cstdio>

using namespace vigil;
using bench::row;
using bench::timeRuns;
using bench::Timing;

namespace {

constexpr int kLayers = 50;
constexpr int kWidth = 10; // tasks per layer: 500 in all

// Layers of 10 jobs, each after two tasks of the layer before; a gate every
// tenth layer.
Workflow bigWorkflow()
{
    Workflow wf;
    wf.name = QStringLiteral("big");
    SiteSpec here;
    here.name = QStringLiteral("here");
    here.kind = SiteSpec::Kind::Local;
    wf.sites << here;
    for (int l = 0; l < kLayers; ++l)
        for (int i = 0; i < kWidth; ++i) {
            TaskSpec t;
            t.name = QStringLiteral("t%1-%2").arg(l).arg(i);
            const bool gate = l % 10 == 9 && i == 0;
            t.kind = gate ? TaskSpec::Kind::Gate : TaskSpec::Kind::Job;
            if (gate) {
                t.gate.question = QStringLiteral("Go on?");
                GateOption go;
                go.name = QStringLiteral("go");
                t.gate.options << go;
            } else {
                t.site = QStringLiteral("here");
                t.command = {QStringLiteral("true")};
            }
            if (l > 0)
                t.after = {QStringLiteral("t%1-%2").arg(l - 1).arg(i),
                           QStringLiteral("t%1-%2").arg(l - 1).arg((i + 1) % kWidth)};
            wf.tasks << t;
        }
    return wf;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", QByteArrayLiteral("offscreen"));
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (!bench::benchArguments(args, "vigil-editor-bench"))
        return 2;
    const Workflow wf = bigWorkflow();
    WorkflowEditor editor;
    editor.resize(1400, 900);
    editor.show();
    QApplication::processEvents();
    WorkflowCanvas *canvas = editor.canvas();
    WorkflowDocument *doc = editor.document();

    const Timing open = timeRuns(5, [&] {
        editor.setWorkflow(wf);
        QApplication::processEvents();
    });
    const int nodes = canvas->nodeCount(), edges = canvas->edgeCount();
    canvas->resetTransform(); // life size: a part of the graph is in view
    canvas->centerOn(doc->task(QStringLiteral("t25-5"))->position);
    const Timing drawAll = timeRuns(10, [&] { canvas->viewport()->grab(); });

    // One drag of one node in the middle: 30 steps, each drawn.
    const QString moved = QStringLiteral("t25-5");
    const QPointF from = doc->task(moved)->position;
    int step = 0;
    const Timing dragStep = timeRuns(30, [&] {
        ++step;
        doc->moveTasks({{moved, from + QPointF(step, step)}}, 1);
        canvas->viewport()->grab();
    });
    // A property edited: the whole file is written and checked again.
    int edit = 0;
    const Timing editStep = timeRuns(10, [&] {
        TaskSpec t = *doc->task(moved);
        t.command = {QStringLiteral("true"), QString::number(++edit)};
        doc->editTask(moved, t);
        canvas->viewport()->grab();
    });
    // Baseline: the same step as a rebuild of the scene from the document.
    const Timing rebuildStep = timeRuns(10, [&] {
        ++step;
        Workflow w = doc->workflow();
        for (TaskSpec &t : w.tasks)
            if (t.name == moved)
                t.position = from + QPointF(step, step);
        doc->reset(w);
        canvas->viewport()->grab();
    });

    const QString text =
        QStringLiteral("Measured on %1 (%2 cores), %3: a workflow of %4 tasks and %5 "
                       "connections, offscreen, the canvas %6x%7 pixels.\n\n"
                       "| what | median ms | min ms | max ms | runs |\n"
                       "| --- | --- | --- | --- | --- |\n")
            .arg(QSysInfo::prettyProductName())
            .arg(QThread::idealThreadCount())
            .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate))
            .arg(nodes)
            .arg(edges)
            .arg(canvas->viewport()->width())
            .arg(canvas->viewport()->height()) +
        row(QStringLiteral("open: layout and scene"), open) + QLatin1Char('\n') +
        row(QStringLiteral("draw the view"), drawAll) + QLatin1Char('\n') +
        row(QStringLiteral("one drag step, drawn (Vigil: the node and its edges)"), dragStep) +
        QLatin1Char('\n') +
        row(QStringLiteral("one drag step, drawn (baseline: the scene rebuilt)"), rebuildStep) +
        QLatin1Char('\n') +
        row(QStringLiteral("a property edited: the file checked again, drawn"), editStep) +
        QLatin1Char('\n');
    std::fputs(qPrintable(text), stdout);
    if (args.size() == 3)
        bench::writeBlock(args.at(2), QStringLiteral("editor"), text);
    return 0;
}
