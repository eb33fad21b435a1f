// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QAction;
class QComboBox;
class QDockWidget;
class QLabel;

namespace vigil {

class AuthPrompter;
class BundleActions;
class CheckpointReview;
class HostKeyPrompt;
class InboxPanel;
class JobsPanel;
class RunsPanel;
class SecretStore;
class Notifier;
class Supervisor;
class SupervisorFeed;
class WebhookDispatcher;
class WorkflowEditor;
class WorkflowView;
struct Issue;
struct Workflow;
struct CheckpointInfo;
struct JobInfo;
namespace engine {
class EngineHost;
}

// Composes the docks (Sites, Runs, Jobs, Inbox, Issues), the workflow view
// and the actions. Everything it shows comes from the SupervisorFeed's
// models; everything it does goes through the Supervisor, and the engines of
// followed runs through the EngineHost (none: the Runs dock cannot follow).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(Supervisor *supervisor, engine::EngineHost *engines = nullptr,
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    void setWorkflow(const Workflow &workflow);
    // Opens a workflow editor window on a copy of `workflow`.
    void openEditor(const Workflow &workflow);
    // A problem found outside the Supervisor (loading the workflow file).
    void reportIssue(const Issue &issue);

    SupervisorFeed *feed() const { return m_feed; }
    WorkflowView *workflowView() const { return m_workflowView; }
    CheckpointReview *review() const { return m_review; }
    RunsPanel *runsPanel() const { return m_runs; }
    Notifier *notifier() const { return m_notifier; }
    BundleActions *bundles() const { return m_bundles; }

    // Opens the review dialog of a checkpoint (by CheckpointInfo::key()).
    void openCheckpoint(const QString &key);
    // The phone notifications that Sites > Phone Notifications… edits.
    void setWebhooks(SecretStore *secrets, WebhookDispatcher *dispatcher);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    QDockWidget *addPanel(const QString &objectName, const QString &title, QWidget *panel,
                          Qt::DockWidgetArea area);
    void createActions();
    void openAddSite();
    void openWebhooks();
    WorkflowEditor *newEditor();
    void openNextCheckpoint();
    void openTaskCheckpoint(const QString &task);
    void cancelJob(const QString &site, const QString &jobId);
    void holdJob(const QString &site, const QString &jobId);
    void releaseJob(const QString &site, const QString &jobId);
    void openLogTail(const JobInfo &job);
    // "Approve" in a checkpoint's notification: decides its one-click option.
    void approveCheckpoint(const QString &key, const QString &option);
    void checkpointArrived(const CheckpointInfo &checkpoint);
    void updateCounts();
    void updateRunChoices();
    void restoreSettings();
    void saveSettings() const;

    Supervisor *m_supervisor;
    SupervisorFeed *m_feed;
    WorkflowView *m_workflowView;
    JobsPanel *m_jobs;
    RunsPanel *m_runs;
    engine::EngineHost *m_engines;
    InboxPanel *m_inbox;
    CheckpointReview *m_review;
    HostKeyPrompt *m_hostKeys;
    AuthPrompter *m_authPrompts;
    Notifier *m_notifier;
    QDockWidget *m_sitesDock = nullptr;
    QDockWidget *m_jobsDock = nullptr;
    QDockWidget *m_runsDock = nullptr;
    QDockWidget *m_inboxDock = nullptr;
    QDockWidget *m_issuesDock = nullptr;
    QComboBox *m_runChoice = nullptr;
    QLabel *m_pendingLabel = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_openCheckpoint = nullptr;
    QAction *m_addSite = nullptr;
    QAction *m_webhooksAction = nullptr;
    SecretStore *m_secrets = nullptr;        // outlives the window (main.cpp)
    WebhookDispatcher *m_webhooks = nullptr; // the same
    BundleActions *m_bundles = nullptr;      // File > Export Run…, Open Review Bundle…
    bool m_defaultLayout = false;            // no saved state: size the docks when first shown
    bool m_enginesStopped = false;           // closing: the engines have released their leases
};

} // namespace vigil
