// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/revisionbase.h"

#include <QMainWindow>
#include <optional>

class QListWidget;

namespace vigil {

class WorkflowDocument;
class WorkflowCanvas;
class TaskProperties;
class Supervisor;

// The workflow editor: a palette of node kinds to drag onto the canvas, the
// canvas, the selected task's properties and the list of problems. Files are
// read and written off the GUI thread; saving writes the stable layout of
// `vigilctl validate`'s reader, atomically.
class WorkflowEditor : public QMainWindow
{
    Q_OBJECT
public:
    explicit WorkflowEditor(QWidget *parent = nullptr);
    ~WorkflowEditor() override;

    WorkflowDocument *document() const { return m_doc; }
    WorkflowCanvas *canvas() const { return m_canvas; }
    TaskProperties *properties() const { return m_properties; }
    QListWidget *palette() const { return m_palette; }

    // Edits this workflow; tasks without a position get the layered layout.
    void setWorkflow(const Workflow &workflow);
    // Reads the file in the background; opened() or failed() follows.
    void openFile(const QString &path);
    // Writes the document to `path` in the background; saved() or failed().
    void saveTo(const QString &path);
    // Adds a node from the palette (its key: slurm, ssh, local, container, gate).
    QString addNode(const QString &key, QPointF scenePos);

    // Edits a running run: its latest revision is read (through the
    // Supervisor, off the GUI thread) and edited; Run > Publish Revision
    // shows the diff against it and publishes the edit as the next revision.
    // revisionBaseLoaded() or failed() follows.
    void reviseRun(Supervisor *supervisor, const QString &runId);
    // The run being revised; "" when editing a file.
    QString revisedRun() const;
    // What publishing the document now would do.
    engine::RevisionPreview revisionPreview() const;
    // Publishes the document as the run's next revision: revisionPublished()
    // or failed().
    void publishRevision(const QString &comment);

Q_SIGNALS:
    void opened(const QString &path);
    void saved(const QString &path);
    void failed(const QString &message);
    void revisionBaseLoaded(int revision);
    void revisionPublished(int revision);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void updateTitle();
    void updateProblems();
    void save();
    void saveAs();
    void open();
    void copySelection();
    void cut();
    void paste();
    void deleteSelection();
    void autoLayout();
    void confirmRevision();

    WorkflowDocument *m_doc;
    WorkflowCanvas *m_canvas;
    TaskProperties *m_properties;
    QListWidget *m_palette;
    QListWidget *m_problemList;
    QAction *m_publishRevision = nullptr;
    Supervisor *m_supervisor = nullptr;
    std::optional<engine::RevisionBase> m_base; // while revising a run
    QString m_runId;
    int m_pasteCount = 0;
    bool m_closing = false;
};

} // namespace vigil
