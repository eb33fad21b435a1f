// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobspanel.h"

#include "decoratingdelegate.h"
#include "logtaildialog.h"
#include "models/jobsmodel.h"
#include "sitespanel.h"
#include "statecolors.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace vigil {

namespace {

// Keeps the current choice of a filter combo box while its items change.
void setChoices(QComboBox *box, const QString &allText, const QStringList &values)
{
    const QString current = box->currentData().toString();
    const QSignalBlocker block(box);
    box->clear();
    box->addItem(allText, QString());
    for (const QString &v : values)
        box->addItem(v, v);
    const int at = box->findData(current);
    box->setCurrentIndex(at < 0 ? 0 : at);
}

} // namespace

JobsPanel::JobsPanel(JobsModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_view(new QTableView(this)), m_state(new QComboBox(this)),
      m_site(new QComboBox(this)), m_run(new QComboBox(this)), m_text(new QLineEdit(this)),
      m_cancel(new QAction(tr("&Cancel Job"), this)), m_hold(new QAction(tr("&Hold Job"), this)),
      m_release(new QAction(tr("Re&lease Job"), this)),
      m_logTail(new QAction(tr("Open &Log Tail"), this)),
      m_muteRun(new QAction(tr("&Mute Notifications of This Run"), this)),
      m_copyId(new QAction(tr("Copy Job &ID"), this)),
      m_showRun(new QAction(tr("Show &Run in Workflow"), this))
{
    // Running jobs' elapsed time and time left follow the clock between two
    // refreshes (JobsModel::elapsedAt): the visible rows are redrawn every
    // second, without a model signal.
    auto *tick = new QTimer(this);
    tick->setInterval(1000);
    connect(tick, &QTimer::timeout, this, [this] {
        if (isVisible() && m_model->hasTickingRows())
            m_view->viewport()->update();
    });
    tick->start();

    m_state->addItem(tr("All jobs"), int(JobsModel::StateFilter::All));
    m_state->addItem(tr("Active"), int(JobsModel::StateFilter::Active));
    m_state->addItem(tr("Finished"), int(JobsModel::StateFilter::Finished));
    m_state->setToolTip(tr("Show jobs by state"));
    m_site->setToolTip(tr("Show the jobs of one site"));
    m_run->setToolTip(tr("Show the jobs of one run"));
    m_site->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_run->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_text->setPlaceholderText(tr("Filter…"));
    m_text->setClearButtonEnabled(true);
    m_text->setObjectName(QStringLiteral("jobsFilter"));
    updateChoices();

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 0);
    bar->addWidget(m_state);
    bar->addWidget(m_site);
    bar->addWidget(m_run);
    bar->addWidget(m_text, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(m_view);

    configureTable(m_view);
    m_view->setObjectName(QStringLiteral("jobsView"));
    m_view->setModel(m_model); // it sorts and filters itself
    m_view->setSortingEnabled(true);
    m_view->setTextElideMode(Qt::ElideMiddle); // run ids differ at their end
    m_view->sortByColumn(JobsModel::JobId, Qt::DescendingOrder);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setItemDelegate(new DecoratingDelegate(
        [](QStyleOptionViewItem *option, const QModelIndex &index) {
            if (index.column() == JobsModel::State)
                DecoratingDelegate::setIcon(
                    option,
                    dotIcon(stateColor(StateClass(index.data(JobsModel::StateClassRole).toInt()))));
        },
        m_view));
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(false); // keep "Time left" next to its values
    const QFontMetrics fm(font());
    const int em = fm.horizontalAdvance(QLatin1Char('M'));
    for (auto [col, width] : {std::pair{JobsModel::Site, 7}, std::pair{JobsModel::JobId, 6},
                              std::pair{JobsModel::Name, 10}, std::pair{JobsModel::Run, 20},
                              std::pair{JobsModel::Task, 7}, std::pair{JobsModel::State, 11},
                              std::pair{JobsModel::Reason, 9}, std::pair{JobsModel::Elapsed, 6},
                              std::pair{JobsModel::TimeLeft, 6}})
        header->resizeSection(col, std::max(width * em, header->sectionSizeHint(col)));

    m_cancel->setObjectName(QStringLiteral("cancelJobAction"));
    m_hold->setObjectName(QStringLiteral("holdJobAction"));
    m_hold->setToolTip(tr("Keep this pending job from starting until it is released"));
    m_release->setObjectName(QStringLiteral("releaseJobAction"));
    m_release->setToolTip(tr("Let this held job start"));
    m_logTail->setObjectName(QStringLiteral("logTailAction"));
    m_logTail->setToolTip(tr("Follow the job's log as it grows"));
    for (auto [action, signal] : {std::pair{m_cancel, &JobsPanel::cancelRequested},
                                  std::pair{m_hold, &JobsPanel::holdRequested},
                                  std::pair{m_release, &JobsPanel::releaseRequested}})
        connect(action, &QAction::triggered, this, [this, signal] {
            if (const auto job = currentJob())
                Q_EMIT(this->*signal)(job->site, job->jobId);
        });
    connect(m_logTail, &QAction::triggered, this, [this] {
        if (const auto job = currentJob())
            Q_EMIT logTailRequested(*job);
    });
    m_muteRun->setObjectName(QStringLiteral("muteRunAction"));
    m_muteRun->setCheckable(true);
    connect(m_muteRun, &QAction::triggered, this, [this](bool checked) {
        if (const auto job = currentJob(); job && !job->runId.isEmpty())
            Q_EMIT muteRunRequested(job->runId, checked);
    });
    m_copyId->setShortcut(QKeySequence::Copy);
    m_copyId->setShortcutContext(Qt::WidgetShortcut);
    m_view->addAction(m_copyId);

    connect(m_copyId, &QAction::triggered, this, [this] {
        const QModelIndex idx = m_view->currentIndex();
        if (idx.isValid())
            QApplication::clipboard()->setText(idx.data(JobsModel::JobIdRole).toString());
    });
    connect(m_showRun, &QAction::triggered, this, [this] {
        const QModelIndex idx = m_view->currentIndex();
        if (idx.isValid() && !idx.data(JobsModel::RunRole).toString().isEmpty())
            Q_EMIT showRunRequested(idx.data(JobsModel::RunRole).toString());
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &JobsPanel::showContextMenu);
    connect(m_state, &QComboBox::currentIndexChanged, this, [this] {
        m_model->setStateFilter(JobsModel::StateFilter(m_state->currentData().toInt()));
    });
    connect(m_site, &QComboBox::currentIndexChanged, this,
            [this] { m_model->setSiteFilter(m_site->currentData().toString()); });
    connect(m_run, &QComboBox::currentIndexChanged, this,
            [this] { m_model->setRunFilter(m_run->currentData().toString()); });
    connect(m_text, &QLineEdit::textChanged, m_model, &JobsModel::setFilterText);
    connect(model, &JobsModel::namesChanged, this, &JobsPanel::updateChoices);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &JobsPanel::updateActions);
    // A refresh may hold, release or end the current job.
    connect(m_model, &QAbstractItemModel::dataChanged, this, &JobsPanel::updateActions);
    connect(m_model, &QAbstractItemModel::layoutChanged, this, &JobsPanel::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &JobsPanel::updateActions);
    updateActions();
}

void JobsPanel::updateChoices()
{
    setChoices(m_site, tr("All sites"), m_model->siteNames());
    setChoices(m_run, tr("All runs"), m_model->runIds());
    m_model->setSiteFilter(m_site->currentData().toString());
    m_model->setRunFilter(m_run->currentData().toString());
}

std::optional<JobInfo> JobsPanel::currentJob() const
{
    const QModelIndex idx = m_view->currentIndex();
    if (!idx.isValid())
        return std::nullopt;
    return m_model->job(idx.row());
}

void JobsPanel::updateActions()
{
    const auto job = currentJob();
    m_copyId->setEnabled(job.has_value());
    const StateClass cls = job ? classifyJob(*job) : StateClass::Unknown;
    m_cancel->setEnabled(cls == StateClass::Pending || cls == StateClass::Running ||
                         cls == StateClass::Suspended);
    m_hold->setEnabled(cls == StateClass::Pending && !job->isHeld());
    m_release->setEnabled(job && job->isHeld());
    m_logTail->setEnabled(job && !LogTailDialog::logFile(*job).isEmpty());
    m_showRun->setEnabled(job && !job->runId.isEmpty());
    m_muteRun->setEnabled(job && !job->runId.isEmpty());
    m_muteRun->setChecked(job && m_mutedRuns.contains(job->runId));
}

void JobsPanel::setRunMuted(const QString &runId, bool muted)
{
    if (muted)
        m_mutedRuns.insert(runId);
    else
        m_mutedRuns.remove(runId);
    updateActions();
}

void JobsPanel::showContextMenu(const QPoint &pos)
{
    if (!m_view->indexAt(pos).isValid())
        return;
    updateActions();
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(m_copyId);
    menu->addAction(m_showRun);
    menu->addAction(m_logTail);
    menu->addAction(m_muteRun);
    menu->addSeparator();
    menu->addAction(m_hold);
    menu->addAction(m_release);
    menu->addAction(m_cancel);
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

void JobsPanel::setFilterText(const QString &text)
{
    m_text->setText(text);
}

QByteArray JobsPanel::saveState() const
{
    return m_view->horizontalHeader()->saveState();
}

void JobsPanel::restoreState(const QByteArray &state)
{
    if (!state.isEmpty())
        m_view->horizontalHeader()->restoreState(state);
}

} // namespace vigil
