// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "addsitedialog.h"
#include "authprompt.h"
#include "bundleactions.h"
#include "checkpointreview.h"
#include "engine/enginehost.h"
#include "hostkeyprompt.h"
#include "inboxpanel.h"
#include "issuespanel.h"
#include "jobspanel.h"
#include "language.h"
#include "logtaildialog.h"
#include "models/checkpointsmodel.h"
#include "models/issuesmodel.h"
#include "models/jobsmodel.h"
#include "models/runsmodel.h"
#include "models/sitesmodel.h"
#include "models/supervisorfeed.h"
#include "models/workflowstatus.h"
#include "notifier.h"
#include "operationsbar.h"
#include "runspanel.h"
#include "settings.h"
#include "sitespanel.h"
#include "supervisor.h"
#include "webhooksdialog.h"
#include "workfloweditor.h"
#include "workflowview.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>

namespace vigil {

MainWindow::MainWindow(Supervisor *supervisor, engine::EngineHost *engines, QWidget *parent)
    : QMainWindow(parent), m_supervisor(supervisor), m_feed(new SupervisorFeed(supervisor, this)),
      m_workflowView(new WorkflowView(m_feed->workflowStatus(), this)),
      m_jobs(new JobsPanel(m_feed->jobs(), this)), m_runs(new RunsPanel(m_feed->runs(), this)),
      m_engines(engines), m_inbox(new InboxPanel(m_feed->checkpoints(), this)),
      m_review(new CheckpointReview(supervisor, m_feed->checkpoints(), this)),
      m_hostKeys(new HostKeyPrompt(supervisor, this)),
      m_authPrompts(new AuthPrompter(supervisor, this)),
      m_notifier(new Notifier(QApplication::windowIcon(), this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Vigil"));
    setCentralWidget(m_workflowView);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

    auto *sites = new SitesPanel(m_feed->sites(), this);
    m_sitesDock = addPanel(QStringLiteral("sitesDock"), tr("Sites"), sites, Qt::TopDockWidgetArea);
    m_inboxDock =
        addPanel(QStringLiteral("inboxDock"), tr("Inbox"), m_inbox, Qt::RightDockWidgetArea);
    m_jobsDock = addPanel(QStringLiteral("jobsDock"), tr("Jobs"), m_jobs, Qt::BottomDockWidgetArea);
    m_runsDock = addPanel(QStringLiteral("runsDock"), tr("Runs"), m_runs, Qt::BottomDockWidgetArea);
    m_issuesDock = addPanel(QStringLiteral("issuesDock"), tr("Issues"),
                            new IssuesPanel(m_feed->issues(), this), Qt::BottomDockWidgetArea);
    tabifyDockWidget(m_jobsDock, m_runsDock);
    tabifyDockWidget(m_runsDock, m_issuesDock);
    m_jobsDock->raise();

    m_feed->setEngineHost(engines);
    m_runs->setFollowingEnabled(engines != nullptr);
    if (engines) {
        connect(m_runs, &RunsPanel::followRequested, this,
                [this](const QString &runId, const QString &site) {
                    if (m_supervisor->isReadOnly(site)) {
                        statusBar()->showMessage(
                            tr("Run %1 is in a review bundle, read-only: it cannot be followed")
                                .arg(runId),
                            6000);
                        return;
                    }
                    m_engines->follow(runId, site);
                    statusBar()->showMessage(
                        tr("Following run %1: its engine runs in this window").arg(runId), 6000);
                });
        connect(m_runs, &RunsPanel::unfollowRequested, this, [this](const QString &runId) {
            m_engines->unfollow(runId);
            statusBar()->showMessage(tr("Run %1 is no longer followed here").arg(runId), 6000);
        });
    }

    createActions();
    sites->addSiteAction(m_addSite);

    // The engines' data moves under way, each cancellable (hidden when none).
    if (m_engines)
        statusBar()->addPermanentWidget(new OperationsBar(m_engines->operations(), this));
    m_pendingLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_pendingLabel);

    connect(m_inbox, &InboxPanel::openRequested, this, &MainWindow::openCheckpoint);
    connect(m_review, &CheckpointReview::logRequested, this, &MainWindow::openLogTail);
    connect(m_workflowView, &WorkflowView::taskActivated, this, &MainWindow::openTaskCheckpoint);
    connect(m_jobs, &JobsPanel::showRunRequested, this,
            [this](const QString &runId) { m_feed->workflowStatus()->setCurrentRun(runId); });
    connect(m_runs, &RunsPanel::showRunRequested, this,
            [this](const QString &runId) { m_feed->workflowStatus()->setCurrentRun(runId); });
    connect(m_runs, &RunsPanel::reviseRequested, this, [this](const QString &runId) {
        WorkflowEditor *editor = newEditor();
        editor->reviseRun(m_supervisor, runId);
        editor->show();
    });
    connect(m_jobs, &JobsPanel::cancelRequested, this, &MainWindow::cancelJob);
    connect(m_jobs, &JobsPanel::holdRequested, this, &MainWindow::holdJob);
    connect(m_jobs, &JobsPanel::releaseRequested, this, &MainWindow::releaseJob);
    connect(m_jobs, &JobsPanel::logTailRequested, this, &MainWindow::openLogTail);
    connect(m_jobs, &JobsPanel::muteRunRequested, m_notifier, &Notifier::setRunMuted);
    connect(m_notifier, &Notifier::runMutedChanged, m_jobs, &JobsPanel::setRunMuted);
    connect(m_runs, &RunsPanel::muteRunRequested, m_notifier, &Notifier::setRunMuted);
    connect(m_notifier, &Notifier::runMutedChanged, m_runs, &RunsPanel::setRunMuted);
    for (const QString &run : m_notifier->mutedRuns()) {
        m_jobs->setRunMuted(run, true);
        m_runs->setRunMuted(run, true);
    }
    connect(m_notifier, &Notifier::activated, this, [this] {
        showNormal();
        raise();
        activateWindow();
        m_inboxDock->show();
        m_inboxDock->raise();
    });
    connect(m_notifier, &Notifier::openRequested, this, [this](const QString &key) {
        showNormal();
        raise();
        activateWindow();
        openCheckpoint(key);
    });
    connect(m_notifier, &Notifier::approveRequested, this, &MainWindow::approveCheckpoint);
    // No reminder for a review bundle's checkpoints: they cannot be decided.
    m_notifier->followDeadlines(m_feed->checkpoints(), [this](const QString &site) {
        return m_supervisor->isReadOnly(site);
    });
    connect(supervisor, &Supervisor::checkpointArrived, this, &MainWindow::checkpointArrived);
    CheckpointsModel *checkpoints = m_feed->checkpoints();
    connect(checkpoints, &CheckpointsModel::pendingCountChanged, this, &MainWindow::updateCounts);
    connect(m_feed->issues(), &QAbstractItemModel::rowsInserted, this, &MainWindow::updateCounts);
    connect(m_feed->issues(), &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateCounts);
    connect(m_feed->jobs(), &QAbstractItemModel::rowsInserted, this, &MainWindow::updateCounts);
    connect(m_feed->jobs(), &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateCounts);
    connect(m_feed->runs(), &QAbstractItemModel::rowsInserted, this, &MainWindow::updateCounts);
    connect(m_feed->runs(), &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateCounts);
    WorkflowStatus *ws = m_feed->workflowStatus();
    connect(ws, &WorkflowStatus::runsListChanged, this, &MainWindow::updateRunChoices);
    connect(ws, &WorkflowStatus::currentRunChanged, this, &MainWindow::updateRunChoices);

    updateRunChoices();
    updateCounts();
    restoreSettings();
}

MainWindow::~MainWindow() = default;

QDockWidget *MainWindow::addPanel(const QString &objectName, const QString &title, QWidget *panel,
                                  Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(panel);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                      QDockWidget::DockWidgetFloatable);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newWorkflow =
        file->addAction(tr("&New Workflow…"), this, [this] { openEditor(Workflow()); });
    newWorkflow->setShortcut(QKeySequence::New);
    QAction *editWorkflow = file->addAction(
        tr("&Edit Workflow…"), this, [this] { openEditor(m_feed->workflowStatus()->workflow()); });
    editWorkflow->setObjectName(QStringLiteral("editWorkflowAction"));
    editWorkflow->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    editWorkflow->setToolTip(tr("Open the workflow shown in the editor (%1)")
                                 .arg(editWorkflow->shortcut().toString(QKeySequence::NativeText)));
    file->addSeparator();
    // Review bundles (docs/bundles.md): the run selected in the Runs dock.
    m_bundles = new BundleActions(m_supervisor, this);
    QAction *exportRun = file->addAction(tr("E&xport Run…"), this, [this] {
        const QModelIndex idx = m_runs->view()->currentIndex();
        if (idx.isValid())
            m_bundles->exportRun(idx.data(RunsModel::SiteRole).toString(),
                                 idx.data(RunsModel::RunIdRole).toString());
    });
    exportRun->setObjectName(QStringLiteral("exportRunAction"));
    exportRun->setToolTip(tr("Write the run selected in the Runs dock as a review bundle"));
    exportRun->setEnabled(false); // until a run is selected
    connect(m_runs->view()->selectionModel(), &QItemSelectionModel::currentChanged, exportRun,
            [exportRun](const QModelIndex &current) { exportRun->setEnabled(current.isValid()); });
    QAction *openBundle =
        file->addAction(tr("&Open Review Bundle…"), m_bundles, [this] { m_bundles->openBundle(); });
    openBundle->setObjectName(QStringLiteral("openBundleAction"));
    connect(m_bundles, &BundleActions::opened, this,
            [this](const QString &bundleFile, const QString &site, const QString &runId) {
                setWindowTitle(tr("bundle %1 (read-only) — Vigil").arg(bundleFile));
                m_runsDock->raise();
                // Selected once the bundle's site has been read (other sites'
                // runs may come first): the connection then ends itself.
                auto selection = std::make_shared<QMetaObject::Connection>();
                *selection = connect(m_supervisor, &Supervisor::runsChanged, this,
                                     [this, site, runId, selection](const QString &changed) {
                                         if (changed != site)
                                             return;
                                         m_runs->selectRun(runId, site);
                                         disconnect(*selection);
                                     });
            });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_refresh = view->addAction(tr("&Refresh"), this, [this] { m_supervisor->refresh(); });
    m_refresh->setObjectName(QStringLiteral("refreshAction"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setIcon(QIcon::fromTheme(QStringLiteral("view-refresh"),
                                        style()->standardIcon(QStyle::SP_BrowserReload)));
    m_refresh->setToolTip(tr("Ask every site for fresh data now (%1)")
                              .arg(m_refresh->shortcut().toString(QKeySequence::NativeText)));
    m_openCheckpoint =
        view->addAction(tr("&Review Next Checkpoint"), this, &MainWindow::openNextCheckpoint);
    m_openCheckpoint->setObjectName(QStringLiteral("reviewAction"));
    m_openCheckpoint->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_openCheckpoint->setIcon(QIcon(QStringLiteral(":/vigil/icons/review.svg")));
    m_openCheckpoint->setToolTip(
        tr("Review the selected or newest pending checkpoint (%1)")
            .arg(m_openCheckpoint->shortcut().toString(QKeySequence::NativeText)));
    view->addSeparator();
    view->addMenu(languageMenu(this));
    view->addSeparator();
    for (QDockWidget *dock : {m_sitesDock, m_inboxDock, m_jobsDock, m_issuesDock, m_runsDock})
        view->addAction(dock->toggleViewAction());
    m_sitesDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_1));
    m_inboxDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_2));
    m_jobsDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_3));
    m_issuesDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_4));
    m_runsDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_5));

    QMenu *sitesMenu = menuBar()->addMenu(tr("&Sites"));
    m_addSite = sitesMenu->addAction(tr("&Add Site…"), this, &MainWindow::openAddSite);
    m_addSite->setObjectName(QStringLiteral("addSiteAction"));
    m_addSite->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_addSite->setIcon(QIcon::fromTheme(QStringLiteral("list-add")));
    m_addSite->setToolTip(tr("Add a SLURM cluster, an SSH host or this computer (%1)")
                              .arg(m_addSite->shortcut().toString(QKeySequence::NativeText)));
    m_webhooksAction =
        sitesMenu->addAction(tr("&Phone Notifications…"), this, &MainWindow::openWebhooks);
    m_webhooksAction->setObjectName(QStringLiteral("webhooksAction"));
    m_webhooksAction->setToolTip(
        tr("Post checkpoints to ntfy, Slack or Mattermost when they arrive, near their "
           "deadline or are decided"));
    m_webhooksAction->setEnabled(false); // until setWebhooks()

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Vigil"), this, [this] {
        QMessageBox::about(
            this, tr("About Vigil"),
            tr("<h3>Vigil %1</h3><p>Supervise AI workflows on HPC clusters, SSH hosts and this "
               "computer: follow jobs, and answer the questions they ask.</p>")
                .arg(QApplication::applicationVersion()));
    });
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_refresh);
    bar->addAction(m_openCheckpoint);
    bar->addSeparator();
    auto *runLabel = new QLabel(tr("Run:"), bar);
    runLabel->setContentsMargins(6, 0, 4, 0);
    bar->addWidget(runLabel);
    m_runChoice = new QComboBox(bar);
    m_runChoice->setObjectName(QStringLiteral("runChoice"));
    m_runChoice->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_runChoice->setToolTip(tr("The run the workflow view shows"));
    runLabel->setBuddy(m_runChoice);
    bar->addWidget(m_runChoice);
    connect(m_runChoice, &QComboBox::activated, this, [this](int index) {
        m_feed->workflowStatus()->setCurrentRun(m_runChoice->itemData(index).toString());
    });
}

void MainWindow::openAddSite()
{
    auto *dialog = new AddSiteDialog(m_supervisor, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AddSiteDialog::siteAdded, this, [this](const QString &name) {
        statusBar()->showMessage(tr("Added site %1: connecting…").arg(name), 8000);
        // Its jobs and runs now, not at the next cycle of every site.
        m_supervisor->refresh(name);
    });
    dialog->show();
}

void MainWindow::setWebhooks(SecretStore *secrets, WebhookDispatcher *dispatcher)
{
    m_secrets = secrets;
    m_webhooks = dispatcher;
    m_webhooksAction->setEnabled(secrets && dispatcher);
}

void MainWindow::openWebhooks()
{
    if (!m_secrets || !m_webhooks)
        return;
    auto *dialog = new WebhooksDialog(m_secrets, m_webhooks, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

WorkflowEditor *MainWindow::newEditor()
{
    // A window of its own, for as long as the user keeps it open.
    auto *editor = new WorkflowEditor;
    editor->setAttribute(Qt::WA_DeleteOnClose);
    return editor;
}

void MainWindow::openEditor(const Workflow &workflow)
{
    WorkflowEditor *editor = newEditor();
    editor->setWorkflow(workflow);
    editor->show();
}

void MainWindow::setWorkflow(const Workflow &workflow)
{
    m_feed->workflowStatus()->setWorkflow(workflow);
    setWindowTitle(workflow.name.isEmpty() ? tr("Vigil") : tr("%1 — Vigil").arg(workflow.name));
}

void MainWindow::reportIssue(const Issue &issue)
{
    m_feed->issues()->append(issue);
    if (issue.severity == Issue::Severity::Error) {
        m_issuesDock->show();
        m_issuesDock->raise();
    }
}

void MainWindow::openCheckpoint(const QString &key)
{
    if (!key.isEmpty())
        m_review->open(key);
}

void MainWindow::openNextCheckpoint()
{
    const QString key = m_inbox->currentKey();
    if (key.isEmpty()) {
        statusBar()->showMessage(tr("No checkpoint is waiting."), 4000);
        return;
    }
    openCheckpoint(key);
}

void MainWindow::openTaskCheckpoint(const QString &task)
{
    const QString key =
        m_feed->checkpoints()->firstPendingKey(m_feed->workflowStatus()->currentRun(), task);
    if (!key.isEmpty()) {
        openCheckpoint(key);
        return;
    }
    // Nothing to decide: show the task's jobs instead.
    m_jobsDock->show();
    m_jobsDock->raise();
    m_jobs->setFilterText(task);
}

void MainWindow::checkpointArrived(const CheckpointInfo &c)
{
    m_notifier->notifyCheckpoint(c);
}

void MainWindow::updateCounts()
{
    const int pending = m_feed->checkpoints()->pendingCount();
    m_inboxDock->setWindowTitle(pending > 0 ? tr("Inbox (%1)").arg(pending) : tr("Inbox"));
    const int issues = m_feed->issues()->rowCount();
    m_issuesDock->setWindowTitle(issues > 0 ? tr("Issues (%1)").arg(issues) : tr("Issues"));
    const int jobs = m_feed->jobs()->rowCount();
    m_jobsDock->setWindowTitle(jobs > 0 ? tr("Jobs (%1)").arg(jobs) : tr("Jobs"));
    const int runs = m_feed->runs()->rowCount();
    m_runsDock->setWindowTitle(runs > 0 ? tr("Runs (%1)").arg(runs) : tr("Runs"));
    const QString status =
        pending > 0 ? tr("Checkpoints waiting: %1").arg(pending) : tr("No checkpoint waiting");
    m_pendingLabel->setText(status);
    m_openCheckpoint->setEnabled(pending > 0);
    m_notifier->setStatus(tr("Vigil: %1").arg(status));
}

void MainWindow::updateRunChoices()
{
    const WorkflowStatus *ws = m_feed->workflowStatus();
    const QSignalBlocker block(m_runChoice);
    m_runChoice->clear();
    const QStringList runs = ws->runIds();
    if (runs.isEmpty()) {
        m_runChoice->addItem(tr("(no run)"), QString());
        m_runChoice->setEnabled(false);
        return;
    }
    m_runChoice->setEnabled(true);
    m_runChoice->addItem(tr("Newest (%1)").arg(runs.first()), QString());
    for (const QString &id : runs)
        m_runChoice->addItem(id, id);
    // The "newest" entry stands for following new runs as they appear.
    const int chosen = m_runChoice->findData(ws->currentRun());
    m_runChoice->setCurrentIndex(ws->currentRun() == runs.first() || chosen < 0 ? 0 : chosen);
}

void MainWindow::restoreSettings()
{
    const QByteArray geometry = settings::windowGeometry.value();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        resize(std::min(1240, avail.width() - 40), std::min(780, avail.height() - 40));
    }
    m_defaultLayout = !restoreState(settings::windowState.value());
    m_jobs->restoreState(settings::jobsHeader.value());
    m_runs->restoreState(settings::runsHeader.value());
    m_inbox->setShowAll(settings::inboxShowAll.value());
}

void MainWindow::saveSettings() const
{
    settings::windowGeometry.set(saveGeometry());
    settings::windowState.set(saveState());
    settings::jobsHeader.set(m_jobs->saveState());
    settings::runsHeader.set(m_runs->saveState());
    settings::inboxShowAll.set(m_inbox->showAll());
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (!m_defaultLayout)
        return;
    m_defaultLayout = false;
    resizeDocks({m_inboxDock}, {std::clamp(width() * 27 / 100, 300, 400)}, Qt::Horizontal);
    resizeDocks({m_sitesDock, m_jobsDock}, {90, std::max(200, height() * 3 / 10)}, Qt::Vertical);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    // The engines release their leases first, so that the next engine on
    // these runs (this window reopened, vigilctl follow) acts at once rather
    // than after the lease has gone stale. A site that does not answer
    // holds the window for 5 s at most.
    if (m_engines && !m_enginesStopped && m_engines->activeCount() > 0) {
        event->ignore();
        statusBar()->showMessage(
            tr("Stopping the engines of %n followed run(s)…", nullptr, m_engines->activeCount()));
        setEnabled(false);
        m_engines->shutdown(std::chrono::seconds(5), this, [this] {
            m_enginesStopped = true;
            close();
        });
        return;
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::cancelJob(const QString &site, const QString &jobId)
{
    // Window-modal, not a nested event loop: the answer arrives as a signal.
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Cancel job"),
        tr("Cancel job %1 on %2? Its work since the last checkpoint is lost.").arg(jobId, site),
        QMessageBox::Yes | QMessageBox::No, this);
    box->setDefaultButton(QMessageBox::No);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, site, jobId](int result) {
        if (result != QMessageBox::Yes)
            return;
        m_supervisor->cancelJob(site, jobId, this, [this, site, jobId](Result<void> r) {
            statusBar()->showMessage(
                r ? tr("Cancelled job %1 on %2").arg(jobId, site)
                  : tr("Could not cancel job %1: %2").arg(jobId, r.errorString()),
                8000);
        });
    });
    box->open();
}

void MainWindow::holdJob(const QString &site, const QString &jobId)
{
    m_supervisor->holdJob(site, jobId, this, [this, site, jobId](Result<void> r) {
        statusBar()->showMessage(r ? tr("Held job %1 on %2").arg(jobId, site)
                                   : tr("Could not hold job %1: %2").arg(jobId, r.errorString()),
                                 8000);
    });
}

void MainWindow::releaseJob(const QString &site, const QString &jobId)
{
    m_supervisor->releaseJob(site, jobId, this, [this, site, jobId](Result<void> r) {
        statusBar()->showMessage(r ? tr("Released job %1 on %2").arg(jobId, site)
                                   : tr("Could not release job %1: %2").arg(jobId, r.errorString()),
                                 8000);
    });
}

void MainWindow::openLogTail(const JobInfo &job)
{
    auto *dialog = new LogTailDialog(m_supervisor, job, this);
    dialog->show();
}

void MainWindow::approveCheckpoint(const QString &key, const QString &option)
{
    const auto c = m_feed->checkpoints()->checkpoint(key);
    if (!c || c->status != CheckpointInfo::Status::Pending) {
        statusBar()->showMessage(tr("Checkpoint %1 no longer waits for a decision").arg(key), 8000);
        return;
    }
    DecisionInput in;
    in.site = c->site;
    in.runId = c->runId;
    in.checkpointId = c->id;
    in.option = option;
    in.comment = tr("approved from a desktop notification");
    m_supervisor->decide(in, this, [this, key, option](Result<DecisionOutcome> r) {
        if (!r)
            statusBar()->showMessage(tr("Could not decide %1: %2").arg(key, r.errorString()), 8000);
        else if (!r->won)
            statusBar()->showMessage(
                tr("%1 decided %2 first (option %3)").arg(r->decidedBy, key, r->option), 8000);
        else
            statusBar()->showMessage(tr("Decided %1 on %2").arg(option, key), 8000);
    });
}

} // namespace vigil
