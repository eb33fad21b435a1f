// SPDX-License-Identifier: GPL-3.0-or-later
#include "workfloweditor.h"

#include "editoritems.h"
#include "inbackground.h"
#include "revisiondialog.h"
#include "statecolors.h"
#include "taskproperties.h"
#include "workflow/writer.h"
#include "workflowcanvas.h"
#include "workflowdocument.h"
#include "workflowlayout.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QStatusBar>
#include <QThreadPool>
#include <QToolBar>
#include <QUndoStack>

namespace vigil {

namespace {

constexpr auto kClipboardMime = "application/x-vigil-tasks";
constexpr qint64 kMaxWorkflowBytes = 4 * 1024 * 1024;

// The palette: each entry drags its key to the canvas.
class NodePalette : public QListWidget
{
public:
    using QListWidget::QListWidget;

protected:
    QStringList mimeTypes() const override { return {QLatin1String(WorkflowCanvas::kNodeMime)}; }
    QMimeData *mimeData(const QList<QListWidgetItem *> &items) const override
    {
        auto *mime = new QMimeData;
        if (!items.isEmpty())
            mime->setData(QLatin1String(WorkflowCanvas::kNodeMime),
                          items.first()->data(Qt::UserRole).toString().toUtf8());
        return mime;
    }
};

struct ReadOutcome
{
    WorkflowCheck check;
    QString error; // the file could not be read
};

} // namespace

WorkflowEditor::WorkflowEditor(QWidget *parent)
    : QMainWindow(parent), m_doc(new WorkflowDocument(this)),
      m_canvas(new WorkflowCanvas(m_doc, this)), m_properties(new TaskProperties(m_doc, this)),
      m_palette(new NodePalette(this)), m_problemList(new QListWidget(this))
{
    setObjectName(QStringLiteral("workflowEditor"));
    setCentralWidget(m_canvas);

    m_palette->setObjectName(QStringLiteral("nodePalette"));
    m_palette->setDragEnabled(true);
    m_palette->setDragDropMode(QAbstractItemView::DragOnly);
    for (const auto &[key, text, tip] :
         {std::tuple{"slurm", tr("SLURM job"), tr("A batch job on a SLURM site")},
          std::tuple{"ssh", tr("SSH job"), tr("A process on an SSH host")},
          std::tuple{"local", tr("Local job"), tr("A process on this computer")},
          std::tuple{"container", tr("Container job"), tr("A job that runs in a container image")},
          std::tuple{"gate", tr("Human gate"),
                     tr("A question for a person; its options choose the branches")}}) {
        auto *item = new QListWidgetItem(
            dotIcon(EditorNodeItem::kindColor(QLatin1String(key) == QLatin1String("gate"),
                                              QLatin1String(key))),
            text, m_palette);
        item->setData(Qt::UserRole, QLatin1String(key));
        item->setToolTip(tip + QStringLiteral("\n") +
                         tr("Drag it onto the canvas, or "
                            "double-click to add it"));
    }
    connect(m_palette, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        addNode(item->data(Qt::UserRole).toString(), m_canvas->visibleCenter());
    });
    auto dock = [this](const QString &name, const QString &title, QWidget *w,
                       Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(w);
        addDockWidget(area, d);
        return d;
    };
    QDockWidget *nodes =
        dock(QStringLiteral("paletteDock"), tr("Nodes"), m_palette, Qt::LeftDockWidgetArea);
    QDockWidget *props = dock(QStringLiteral("propertiesDock"), tr("Properties"), m_properties,
                              Qt::RightDockWidgetArea);
    QDockWidget *problems = dock(QStringLiteral("problemsDock"), tr("Problems"), m_problemList,
                                 Qt::BottomDockWidgetArea);
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    resizeDocks({nodes, props}, {12 * em, 26 * em}, Qt::Horizontal);
    resizeDocks({problems}, {7 * fontMetrics().lineSpacing()}, Qt::Vertical);
    m_problemList->setObjectName(QStringLiteral("problemList"));
    connect(m_problemList, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const QString task = item->data(Qt::UserRole).toString();
        if (!task.isEmpty())
            m_canvas->selectTasks({task});
    });

    connect(m_canvas, &WorkflowCanvas::nodeDropped, this,
            [this](const QString &key, QPointF at) { addNode(key, at); });
    connect(m_canvas, &WorkflowCanvas::currentTaskChanged, m_properties, &TaskProperties::setTask);
    connect(m_canvas, &WorkflowCanvas::refused, this,
            [this](const QString &why) { statusBar()->showMessage(why, 8000); });
    connect(m_doc, &WorkflowDocument::problemsChanged, this, &WorkflowEditor::updateProblems);
    connect(m_doc->undoStack(), &QUndoStack::cleanChanged, this, &WorkflowEditor::updateTitle);
    connect(m_doc, &WorkflowDocument::pathChanged, this, &WorkflowEditor::updateTitle);
    connect(m_doc, &WorkflowDocument::workflowReset, this, &WorkflowEditor::updateTitle);
    createActions();
    updateTitle();
    updateProblems();
    resize(1200, 760);
}

WorkflowEditor::~WorkflowEditor() = default;

void WorkflowEditor::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open…"), this, &WorkflowEditor::open);
    open->setShortcut(QKeySequence::Open);
    QAction *save = file->addAction(tr("&Save"), this, &WorkflowEditor::save);
    save->setShortcut(QKeySequence::Save);
    save->setObjectName(QStringLiteral("saveAction"));
    QAction *saveAs = file->addAction(tr("Save &As…"), this, &WorkflowEditor::saveAs);
    saveAs->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    QAction *close = file->addAction(tr("&Close"), this, &QWidget::close);
    close->setShortcut(QKeySequence::Close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_doc->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_doc->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence::Redo, QKeySequence(Qt::CTRL | Qt::Key_Y)});
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    edit->addAction(tr("Cu&t"), QKeySequence::Cut, this, &WorkflowEditor::cut);
    edit->addAction(tr("&Copy"), QKeySequence::Copy, this, &WorkflowEditor::copySelection);
    edit->addAction(tr("&Paste"), QKeySequence::Paste, this, &WorkflowEditor::paste);
    QAction *del = edit->addAction(tr("&Delete"), QKeySequence::Delete, this,
                                   &WorkflowEditor::deleteSelection);
    del->setObjectName(QStringLiteral("deleteAction"));
    edit->addAction(tr("Select &All"), QKeySequence::SelectAll, this, [this] {
        QStringList all;
        for (const TaskSpec &t : m_doc->workflow().tasks)
            all << t.name;
        m_canvas->selectTasks(all);
    });
    // The canvas has the focus while editing: its shortcuts must not reach
    // the property fields' own (Ctrl+C in a line edit copies its text).
    for (QAction *a : edit->actions())
        a->setShortcutContext(Qt::WindowShortcut);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, this, [this] { m_canvas->zoomBy(1.25); });
    view->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, this,
                    [this] { m_canvas->zoomBy(1 / 1.25); });
    view->addAction(tr("&Fit"), QKeySequence(Qt::CTRL | Qt::Key_0), this,
                    [this] { m_canvas->fitAll(); });
    QAction *layout = view->addAction(tr("Auto &Layout"), QKeySequence(Qt::CTRL | Qt::Key_L), this,
                                      &WorkflowEditor::autoLayout);
    layout->setObjectName(QStringLiteral("autoLayoutAction"));

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    m_publishRevision =
        run->addAction(tr("&Publish Revision…"), this, &WorkflowEditor::confirmRevision);
    m_publishRevision->setObjectName(QStringLiteral("publishRevisionAction"));
    m_publishRevision->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    m_publishRevision->setToolTip(tr("Show the change against the run's revision in effect, "
                                     "then publish it as the run's next revision"));
    m_publishRevision->setEnabled(false);

    QToolBar *bar = addToolBar(tr("Editor"));
    bar->setObjectName(QStringLiteral("editorToolBar"));
    bar->setMovable(false);
    for (QAction *a : {open, save, undo, redo, del, layout, m_publishRevision})
        bar->addAction(a);
}

void WorkflowEditor::updateTitle()
{
    const QString name =
        m_doc->workflow().name.isEmpty() ? tr("Untitled workflow") : m_doc->workflow().name;
    if (m_base)
        setWindowTitle(tr("Run %1, revision %2[*] — Vigil Workflow Editor")
                           .arg(m_runId)
                           .arg(m_base->revision));
    else
        setWindowTitle(tr("%1[*] — Vigil Workflow Editor").arg(name));
    setWindowModified(m_doc->isModified());
}

void WorkflowEditor::updateProblems()
{
    m_problemList->clear();
    const auto problems = m_doc->problems();
    QStringList owners = problems.keys();
    owners.sort();
    for (const QString &task : std::as_const(owners))
        for (const QString &p : problems.value(task)) {
            auto *item =
                new QListWidgetItem(task.isEmpty() ? p : tr("%1: %2").arg(task, p), m_problemList);
            item->setData(Qt::UserRole, task);
        }
    if (auto *d = findChild<QDockWidget *>(QStringLiteral("problemsDock")))
        d->setWindowTitle(m_problemList->count() ? tr("Problems (%1)").arg(m_problemList->count())
                                                 : tr("Problems"));
}

void WorkflowEditor::setWorkflow(const Workflow &workflow)
{
    Workflow wf = workflow;
    bool missing = false;
    for (const TaskSpec &t : wf.tasks)
        missing = missing || !t.hasPosition;
    if (missing) {
        // The layered layout for every task: a file that placed only some of
        // them would otherwise overlap.
        const auto at = layoutWorkflow(wf, EditorNodeItem::kSize, QSizeF(70, 36));
        for (TaskSpec &t : wf.tasks) {
            if (t.hasPosition)
                continue;
            t.position = at.value(t.name);
            t.hasPosition = true;
        }
    }
    m_doc->reset(wf);
    if (missing)
        statusBar()->showMessage(tr("Tasks without a position were laid out; saving keeps the "
                                    "positions"),
                                 8000);
}

QString WorkflowEditor::addNode(const QString &key, QPointF scenePos)
{
    if (key == QLatin1String("gate"))
        return m_doc->addTask(TaskSpec::Kind::Gate, scenePos);
    TaskSpec t;
    // The site: the first one of the kind the palette entry names, else the first.
    const SiteSpec::Kind wanted = key == QLatin1String("slurm") ? SiteSpec::Kind::Slurm
                                  : key == QLatin1String("ssh") ? SiteSpec::Kind::Ssh
                                                                : SiteSpec::Kind::Local;
    for (const SiteSpec &s : m_doc->workflow().sites)
        if (t.site.isEmpty() && (s.kind == wanted || key == QLatin1String("container")))
            t.site = s.name;
    if (t.site.isEmpty() && !m_doc->workflow().sites.isEmpty())
        t.site = m_doc->workflow().sites.first().name;
    if (key == QLatin1String("container"))
        t.container.image = QStringLiteral("docker.io/library/python:3.11-slim");
    const QString name = m_doc->addTask(t, scenePos);
    m_canvas->selectTasks({name});
    return name;
}

void WorkflowEditor::autoLayout()
{
    const auto at = layoutWorkflow(
        [this] {
            Workflow wf = m_doc->workflow();
            for (TaskSpec &t : wf.tasks)
                t.hasPosition = false; // lay out everything again
            return wf;
        }(),
        EditorNodeItem::kSize, QSizeF(70, 36));
    m_doc->layoutAll(at);
    m_canvas->fitAll();
}

void WorkflowEditor::copySelection()
{
    const QStringList names = m_canvas->selectedTasks();
    if (names.isEmpty())
        return;
    auto *mime = new QMimeData;
    const QByteArray text = m_doc->copy(names);
    mime->setData(QLatin1String(kClipboardMime), text);
    mime->setText(QString::fromUtf8(text)); // readable anywhere: it is a workflow file
    QApplication::clipboard()->setMimeData(mime);
    m_pasteCount = 0;
}

void WorkflowEditor::cut()
{
    copySelection();
    deleteSelection();
}

void WorkflowEditor::paste()
{
    const QMimeData *mime = QApplication::clipboard()->mimeData();
    if (!mime)
        return;
    const QByteArray text = mime->hasFormat(QLatin1String(kClipboardMime))
                                ? mime->data(QLatin1String(kClipboardMime))
                                : mime->text().toUtf8();
    QString why;
    ++m_pasteCount;
    const QStringList added = m_doc->paste(text, QPointF(30, 30) * m_pasteCount, &why);
    if (added.isEmpty()) {
        statusBar()->showMessage(tr("Nothing to paste: %1").arg(why), 8000);
        return;
    }
    m_canvas->selectTasks(added);
}

void WorkflowEditor::deleteSelection()
{
    const QStringList tasks = m_canvas->selectedTasks();
    if (!tasks.isEmpty()) {
        m_doc->removeTasks(tasks);
        return;
    }
    const auto edges = m_canvas->selectedEdges();
    if (edges.isEmpty())
        return;
    m_doc->undoStack()->beginMacro(tr("Delete %n connection(s)", nullptr, int(edges.size())));
    for (const auto &[from, to] : edges)
        m_doc->disconnectTasks(from, to);
    m_doc->undoStack()->endMacro();
}

void WorkflowEditor::open()
{
    auto *dialog = new QFileDialog(this, tr("Open Workflow"), QString(),
                                   tr("Workflow files (*.toml);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, &WorkflowEditor::openFile);
    dialog->open();
}

void WorkflowEditor::openFile(const QString &path)
{
    inBackground<ReadOutcome>(
        this,
        [path] {
            ReadOutcome out;
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly)) {
                out.error = tr("cannot open %1: %2").arg(path, f.errorString());
                return out;
            }
            const QByteArray bytes = f.read(kMaxWorkflowBytes + 1);
            if (bytes.size() > kMaxWorkflowBytes) {
                out.error = tr("%1 is larger than %2 bytes").arg(path).arg(kMaxWorkflowBytes);
                return out;
            }
            out.check = checkWorkflow(bytes, path);
            return out;
        },
        [this, path](ReadOutcome out) {
            if (out.error.isEmpty() && out.check.workflow.tasks.isEmpty() &&
                out.check.workflow.sites.isEmpty() && !out.check.problems.isEmpty())
                out.error = out.check.problems.first().toString(); // not readable as TOML
            if (!out.error.isEmpty()) {
                statusBar()->showMessage(out.error, 10000);
                Q_EMIT failed(out.error);
                return;
            }
            out.check.workflow.sourcePath = path;
            setWorkflow(out.check.workflow);
            Q_EMIT opened(path);
        });
}

void WorkflowEditor::save()
{
    if (m_doc->path().isEmpty())
        saveAs();
    else
        saveTo(m_doc->path());
}

void WorkflowEditor::saveAs()
{
    auto *dialog =
        new QFileDialog(this, tr("Save Workflow"), m_doc->path(), tr("Workflow files (*.toml)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("toml"));
    connect(dialog, &QFileDialog::fileSelected, this, &WorkflowEditor::saveTo);
    dialog->open();
}

void WorkflowEditor::saveTo(const QString &path)
{
    const Workflow workflow = m_doc->workflow();
    const int savedAt = m_doc->undoStack()->index();
    inBackground<QString>(
        this,
        [path, workflow] {
            const Result<void> saved = saveWorkflow(workflow, path);
            return saved ? QString() : saved.errorString();
        },
        [this, path, savedAt](const QString &error) {
            if (!error.isEmpty()) {
                statusBar()->showMessage(error, 10000);
                Q_EMIT failed(error);
                return;
            }
            // Clean at the step that was written (edits made meanwhile stay unsaved).
            if (m_doc->undoStack()->index() == savedAt)
                m_doc->markSaved();
            m_doc->setPath(path);
            statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
            Q_EMIT saved(path);
            if (m_closing)
                close();
        });
}

void WorkflowEditor::reviseRun(Supervisor *supervisor, const QString &runId)
{
    m_supervisor = supervisor;
    m_runId = runId;
    statusBar()->showMessage(tr("Reading the revision in effect of run %1…").arg(runId));
    engine::readRevisionBase(supervisor, runId, this, [this](Result<engine::RevisionBase> base) {
        if (!base) {
            statusBar()->showMessage(base.errorString(), 10000);
            Q_EMIT failed(base.errorString());
            return;
        }
        m_base = *base;
        setWorkflow(base->workflow);
        m_publishRevision->setEnabled(true);
        updateTitle();
        statusBar()->showMessage(
            tr("Editing run %1 from its revision %2: Run > Publish Revision shows the change")
                .arg(m_runId)
                .arg(base->revision),
            10000);
        Q_EMIT revisionBaseLoaded(base->revision);
    });
}

QString WorkflowEditor::revisedRun() const
{
    return m_base ? m_runId : QString();
}

engine::RevisionPreview WorkflowEditor::revisionPreview() const
{
    return m_base ? engine::previewRevision(*m_base, m_doc->workflow()) : engine::RevisionPreview();
}

void WorkflowEditor::confirmRevision()
{
    if (!m_base)
        return;
    auto *dialog = new RevisionDialog(m_runId, revisionPreview(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { publishRevision(dialog->comment()); });
    dialog->open();
}

void WorkflowEditor::publishRevision(const QString &comment)
{
    if (!m_base || !m_supervisor)
        return;
    const engine::RevisionProposal proposal =
        engine::proposalFrom(*m_base, m_doc->workflow(), comment);
    engine::publishRevision(m_supervisor, *m_base, proposal, this, [this](Result<int> published) {
        if (!published) {
            const QString why = published.error().kind == Error::Kind::AlreadyExists
                                    ? tr("%1 (open the run again to edit its latest revision)")
                                          .arg(published.errorString())
                                    : published.errorString();
            statusBar()->showMessage(why, 10000);
            Q_EMIT failed(why);
            return;
        }
        // The published revision is the new base: what is shown is saved.
        m_base->revision = *published;
        m_base->workflow = m_doc->workflow();
        m_doc->markSaved();
        updateTitle();
        statusBar()->showMessage(tr("Revision %1 of run %2 published").arg(*published).arg(m_runId),
                                 10000);
        Q_EMIT revisionPublished(*published);
    });
}

void WorkflowEditor::closeEvent(QCloseEvent *event)
{
    if (!m_doc->isModified() || m_closing) {
        event->accept();
        return;
    }
    event->ignore();
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Unsaved changes"),
        tr("Save the changes to %1?")
            .arg(m_doc->workflow().name.isEmpty() ? tr("this workflow") : m_doc->workflow().name),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this](int result) {
        if (result == QMessageBox::Discard) {
            m_closing = true;
            close();
        } else if (result == QMessageBox::Save) {
            m_closing = !m_doc->path().isEmpty();
            save();
        }
    });
    box->open();
}

} // namespace vigil
