// SPDX-License-Identifier: GPL-3.0-or-later
// The workflow editor with 500 tasks (docs/performance.md, "Workflow
// editor"), each figure next to its baseline in the same run:
//   Vigil: one step of a node drag changes that node's item and reroutes the
//   edges, then the view is drawn;
//   baseline: the same step done by rebuilding the whole scene from the
//   document (what a view without incremental updates does), then drawn.
// Also: opening the 500-task workflow (layout + scene) and drawing it whole.
//
// Then the same workflow in the main window's graph (WorkflowView following a
// WorkflowStatus, "Workflow graph" block): opened end to end from its TOML
// file (read + parse + check, layout + scene, first paint), and a refresh
// where the run directory reports every task in a new state:
//   Vigil: WorkflowStatus sends taskChanged() per changed task and the view
//   updates those nodes, then repaints;
//   baseline: the same refresh with the view rebuilt from the workflow and the
//   states (layout, scene, items), then repainted.
// Every step checks its result: the tasks read back from the file equal those
// written, a node per task in its layer's column, an edge per dependency, each
// node's state, and the stripe colour drawn for each node in sight.
// Usage: vigil-editor-bench [--markdown FILE]   (offscreen; no cluster needed)

#include "benchutil.h"
#include "models/workflowstatus.h"
#include "statecolors.h"
#include "workflow/writer.h"
#include "workflowcanvas.h"
#include "workflowdocument.h"
#include "workfloweditor.h"
#include "workflowitems.h"
#include "workflowlayout.h"
#include "workflowview.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QImage>
#include <QSet>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>
#include <cstdio>
#include <cstdlib>

using namespace vigil;
using bench::row;
using bench::timeRuns;
using bench::Timing;

namespace {

constexpr int kLayers = 50;
constexpr int kWidth = 10; // tasks per layer: 500 in all
// The main window's graph: its size, and how many times each step is timed.
constexpr int kViewWidth = 1200;
constexpr int kViewHeight = 800;
constexpr int kOpenRuns = 5;
constexpr int kRefreshRuns = 15;

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

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "wrong result: %s\n", what);
        std::exit(1);
    }
}

Timing timingOf(QList<double> ms)
{
    std::sort(ms.begin(), ms.end());
    return {ms.at(ms.size() / 2), ms.first(), ms.last(), int(ms.size())};
}

double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

// Counts the paint events of a widget (the view's viewport).
class PaintCounter : public QObject
{
public:
    int paints = 0;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++paints;
        return QObject::eventFilter(watched, event);
    }
};

// The main window's graph: a WorkflowView following a WorkflowStatus, as
// MainWindow has them (its feed's status, the view in the window).
struct GraphWindow
{
    GraphWindow()
    {
        view.resize(kViewWidth, kViewHeight);
        view.viewport()->installEventFilter(&painted);
        view.show();
        QApplication::processEvents();
    }
    // Delivers the scene's changes; true when the viewport was painted.
    bool drawn()
    {
        const int before = painted.paints;
        for (int i = 0; i < 5 && painted.paints == before; ++i)
            QApplication::processEvents();
        return painted.paints > before;
    }

    WorkflowStatus status;
    WorkflowView view{&status};
    PaintCounter painted;
};

// What the run directory says of task `index` in refresh `cycle`: every
// task's state moves on at each cycle (pending, running, done, failed; a
// gate: waiting, decided, closed, refused).
struct Shown
{
    QString state;
    StateClass stateClass;
    int exitCode;
};

Shown jobState(int index, int cycle)
{
    switch ((index + cycle) % 4) {
    case 0:
        return {QStringLiteral("pending"), StateClass::Pending, -1};
    case 1:
        return {QStringLiteral("running"), StateClass::Running, -1};
    case 2:
        return {QStringLiteral("completed"), StateClass::Succeeded, 0};
    default:
        return {QStringLiteral("failed"), StateClass::Failed, 1};
    }
}

CheckpointInfo::Status gateState(int index, int cycle)
{
    const CheckpointInfo::Status s[] = {
        CheckpointInfo::Status::Pending, CheckpointInfo::Status::Decided,
        CheckpointInfo::Status::Closed, CheckpointInfo::Status::Refused};
    return s[(index + cycle) % 4];
}

StateClass gateClass(CheckpointInfo::Status s)
{
    switch (s) {
    case CheckpointInfo::Status::Pending:
        return StateClass::Pending;
    case CheckpointInfo::Status::Decided:
        return StateClass::Succeeded;
    case CheckpointInfo::Status::Closed:
        return StateClass::Cancelled;
    default:
        return StateClass::Failed;
    }
}

const QString kRunId = QStringLiteral("20261127T120000-big");

// The run directory of the workflow's run as a refresh reports it.
QList<RunInfo> runReport(const Workflow &wf, int cycle)
{
    RunInfo run;
    run.site = QStringLiteral("here");
    run.runId = kRunId;
    run.workflowName = wf.name;
    run.createdAt = QDateTime(QDate(2026, 11, 27), QTime(12, 0), Qt::UTC);
    for (int i = 0; i < wf.tasks.size(); ++i) {
        const TaskSpec &t = wf.tasks.at(i);
        if (t.isGate()) {
            CheckpointInfo c;
            c.site = run.site;
            c.runId = run.runId;
            c.id = c.task = t.name;
            c.status = gateState(i, cycle);
            c.decidedOption = QStringLiteral("go");
            c.decidedBy = QStringLiteral("alice");
            c.problem = QStringLiteral("not an approver");
            run.checkpoints << c;
            continue;
        }
        const Shown s = jobState(i, cycle);
        TaskRunInfo r;
        r.name = t.name;
        r.state = s.state;
        r.exitCode = s.exitCode;
        r.jobId = QString::number(1000 + i);
        r.host = QStringLiteral("node%1").arg(i % 7);
        run.tasks << r;
    }
    return {run};
}

StateClass expectedClass(const Workflow &wf, int index, int cycle)
{
    if (cycle < 0)
        return StateClass::NotStarted;
    return wf.tasks.at(index).isGate() ? gateClass(gateState(index, cycle))
                                       : jobState(index, cycle).stateClass;
}

// Every node shows its task's state of `cycle` (-1: no run yet).
void checkStates(const WorkflowView &view, const Workflow &wf, int cycle)
{
    for (int i = 0; i < wf.tasks.size(); ++i) {
        const TaskSpec &t = wf.tasks.at(i);
        const TaskNodeItem *n = view.node(t.name);
        check(n && n->status().stateClass == expectedClass(wf, i, cycle), "node state");
        if (cycle >= 0 && !t.isGate()) {
            check(n->status().stateText == jobState(i, cycle).state, "node state text");
            check(n->status().jobId == QString::number(1000 + i), "node job id");
        }
        if (cycle >= 0 && t.isGate())
            check(n->status().pendingCheckpoints ==
                      (gateState(i, cycle) == CheckpointInfo::Status::Pending ? 1 : 0),
                  "gate badge");
    }
}

// The pixels drawn: each node wholly in sight has its state stripe in the
// colour of its state. Returns how many nodes were looked at.
int checkPixels(WorkflowView &view, const Workflow &wf, int cycle)
{
    const QImage shot = view.viewport()->grab().toImage();
    const QRectF seen = view.mapToScene(view.viewport()->rect()).boundingRect();
    int looked = 0;
    for (int i = 0; i < wf.tasks.size(); ++i) {
        const TaskNodeItem *n = view.node(wf.tasks.at(i).name);
        if (!seen.contains(n->nodeRect()))
            continue;
        QColor want = stateColor(expectedClass(wf, i, cycle));
        if (!want.isValid())
            want = view.palette().color(QPalette::Mid);
        const QPoint at =
            view.mapFromScene(n->pos() + QPointF(4, TaskNodeItem::kSize.height() / 2));
        const QColor got = shot.pixelColor(at);
        check(std::abs(got.red() - want.red()) <= 8 && std::abs(got.green() - want.green()) <= 8 &&
                  std::abs(got.blue() - want.blue()) <= 8,
              "state colour drawn");
        ++looked;
    }
    check(looked > 0, "nodes in sight");
    return looked;
}

// The scene after an open: a node per task in the column of its layer, no
// two in one place, an edge per dependency, and the title.
void checkScene(const WorkflowView &view, const Workflow &wf)
{
    check(view.nodeCount() == wf.tasks.size(), "node count");
    QSet<QPair<qreal, qreal>> places;
    QSet<QString> deps;
    for (const TaskSpec &t : wf.tasks) {
        const TaskNodeItem *n = view.node(t.name);
        check(n != nullptr, "a node per task");
        const int layer = t.name.section(QLatin1Char('-'), 0, 0).mid(1).toInt();
        check(qFuzzyCompare(1 + n->pos().x(), 1 + layer * (TaskNodeItem::kSize.width() + 40)),
              "node in its layer's column");
        places.insert({n->pos().x(), n->pos().y()});
        for (const QString &d : t.after)
            deps.insert(d + QLatin1Char('>') + t.name);
    }
    check(places.size() == wf.tasks.size(), "nodes apart");
    check(view.edgeCount() == deps.size(), "edge count");
    for (const DependencyEdgeItem *e : view.edges())
        check(deps.contains(e->from() + QLatin1Char('>') + e->to()), "edge of a dependency");
    check(view.scene()->items().size() == wf.tasks.size() + deps.size() + 2, "scene items");
}

struct GraphFigures
{
    Timing load, scene, layout, paint, open;
    Timing refreshStatus, refreshPaint, refresh;
    Timing sameAgain;
    Timing rebuild;
    int edges = 0;
    int inSight = 0;
};

GraphFigures measureGraph(const Workflow &wf)
{
    GraphFigures f;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.toml"));
    check(dir.isValid() && bool(saveWorkflow(wf, path)), "workflow file written");

    // Open: read and check the file, lay out and make the scene, first paint;
    // a new window each time (the first one warms caches and is not counted).
    QList<double> load, scene, paint, open;
    for (int run = 0; run <= kOpenRuns; ++run) {
        GraphWindow w;
        QElapsedTimer t;
        t.start();
        const Result<Workflow> loaded = loadWorkflow(path);
        const double t1 = msSince(t);
        check(bool(loaded), "workflow loaded");
        w.status.setWorkflow(*loaded);
        const double t2 = msSince(t);
        check(w.drawn(), "view painted");
        const double t3 = msSince(t);
        // Every task as written (the site gains its default run_root).
        check(loaded->name == wf.name && loaded->tasks == wf.tasks && loaded->sites.size() == 1 &&
                  loaded->sites.at(0).name == wf.sites.at(0).name,
              "workflow read as written");
        checkScene(w.view, wf);
        checkStates(w.view, wf, -1);
        f.inSight = checkPixels(w.view, wf, -1);
        if (run == 0)
            continue;
        load << t1;
        scene << t2 - t1;
        paint << t3 - t2;
        open << t3;
    }
    f.load = timingOf(load);
    f.scene = timingOf(scene);
    f.paint = timingOf(paint);
    f.open = timingOf(open);
    f.edges = 0;
    for (const TaskSpec &t : wf.tasks)
        f.edges += int(t.after.size());

    // The layout alone, part of the scene's time: the places the view used.
    {
        GraphWindow w;
        w.status.setWorkflow(wf);
        QHash<QString, QPointF> pos;
        f.layout = timeRuns(kRefreshRuns,
                            [&] { pos = layoutWorkflow(wf, TaskNodeItem::kSize, QSizeF(40, 28)); });
        check(pos.size() == wf.tasks.size(), "a place per task");
        for (const TaskSpec &t : wf.tasks)
            check(pos.value(t.name) == w.view.node(t.name)->pos(), "the view's places");
    }

    // Refresh: the run directory reports every task in a new state. Vigil's
    // view and the baseline's (the view rebuilt from the workflow and the
    // states, as a view without incremental updates does) take turns, so
    // that a busy machine slows both alike. Cycle 0, not counted: the run
    // appears (the views' titles name it).
    GraphWindow w, b;
    QList<QList<RunInfo>> reports;
    for (int cycle = 0; cycle <= kRefreshRuns; ++cycle)
        reports << runReport(wf, cycle);
    for (GraphWindow *g : {&w, &b}) {
        g->status.setWorkflow(wf);
        g->status.setRuns(QStringLiteral("here"), reports.at(0));
        check(g->drawn(), "view painted");
        checkStates(g->view, wf, 0);
    }
    QObject::disconnect(&b.status, &WorkflowStatus::taskChanged, &b.view, nullptr);
    int changed = 0;
    QObject counter;
    QObject::connect(&w.status, &WorkflowStatus::taskChanged, &counter,
                     [&](const QString &) { ++changed; });
    QList<double> status, repaint, refresh, rebuild;
    for (int cycle = 1; cycle <= kRefreshRuns; ++cycle) {
        changed = 0;
        QElapsedTimer t;
        t.start();
        w.status.setRuns(QStringLiteral("here"), reports.at(cycle));
        const double t1 = msSince(t);
        check(w.drawn(), "view repainted");
        const double t2 = msSince(t);
        check(changed == wf.tasks.size(), "a taskChanged per task");
        check(w.status.currentRun() == kRunId, "current run");
        checkStates(w.view, wf, cycle);
        checkPixels(w.view, wf, cycle);
        status << t1;
        repaint << t2 - t1;
        refresh << t2;

        t.restart();
        b.status.setRuns(QStringLiteral("here"), reports.at(cycle));
        Q_EMIT b.status.workflowChanged();
        check(b.drawn(), "view repainted");
        rebuild << msSince(t);
        checkScene(b.view, wf);
        checkStates(b.view, wf, cycle);
        checkPixels(b.view, wf, cycle);
    }
    f.refreshStatus = timingOf(status);
    f.refreshPaint = timingOf(repaint);
    f.refresh = timingOf(refresh);
    f.rebuild = timingOf(rebuild);

    // The same report again: nothing changes, nothing is drawn.
    f.sameAgain = timeRuns(kRefreshRuns, [&] {
        changed = 0;
        const int paints = w.painted.paints;
        w.status.setRuns(QStringLiteral("here"), reports.last());
        QApplication::processEvents();
        check(changed == 0 && w.painted.paints == paints, "no change, no paint");
    });
    checkStates(w.view, wf, kRefreshRuns);
    return f;
}

QString graphText(const Workflow &wf, const GraphFigures &f)
{
    auto line = [](const QString &what, const Timing &t) -> QString {
        return row(what, t) + QLatin1Char('\n');
    };
    return QStringLiteral(
               "Measured on %1 (%2 cores), %3: the same workflow of %4 tasks and %5 "
               "dependencies, written as TOML and opened in the main window's graph "
               "(`WorkflowView` following a `WorkflowStatus`), offscreen, the view %6x%7 "
               "pixels (%8 nodes wholly in sight). Open: a new view each run, after one "
               "run not counted. Refresh: the run directory reports every task in a new "
               "state (%9 tasks changed), the view repainted.\n\n"
               "| what | median ms | min ms | max ms | runs |\n"
               "| --- | ---: | ---: | ---: | ---: |\n")
               .arg(QSysInfo::prettyProductName())
               .arg(QThread::idealThreadCount())
               .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate))
               .arg(wf.tasks.size())
               .arg(f.edges)
               .arg(kViewWidth)
               .arg(kViewHeight)
               .arg(f.inSight)
               .arg(wf.tasks.size()) +
           line(QStringLiteral("open, end to end: read + parse + check, layout + scene, first "
                               "paint"),
                f.open) +
           line(QStringLiteral("… read, parse and check the TOML file (`loadWorkflow`)"), f.load) +
           line(QStringLiteral("… layout and scene (`setWorkflow`)"), f.scene) +
           line(QStringLiteral("… of which the layout (`layoutWorkflow`)"), f.layout) +
           line(QStringLiteral("… first paint"), f.paint) +
           line(QStringLiteral("Vigil: refresh, every task's state changed, repainted"),
                f.refresh) +
           line(QStringLiteral("… states merged (`setRuns`) and the nodes updated"),
                f.refreshStatus) +
           line(QStringLiteral("… repaint"), f.refreshPaint) +
           line(QStringLiteral("baseline: the same refresh, the view rebuilt, repainted"),
                f.rebuild) +
           line(QStringLiteral("Vigil: the same report again (no change, no paint)"), f.sameAgain);
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
    editor.hide();

    const QString graph = graphText(wf, measureGraph(wf));
    std::fputs(qPrintable(QLatin1Char('\n') + graph), stdout);
    if (args.size() == 3) {
        bench::writeBlock(args.at(2), QStringLiteral("editor"), text);
        bench::writeBlock(args.at(2), QStringLiteral("graph"), graph);
    }
    return 0;
}
