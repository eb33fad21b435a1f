// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sites/jobinfo.h"

#include <QSet>
#include <QWidget>
#include <optional>

class QAction;
class QComboBox;
class QLineEdit;
class QTableView;

namespace vigil {

class JobsModel;

// The Jobs dock: the scheduler's jobs of every site with filters by state
// class, site, run and text.
class JobsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit JobsPanel(JobsModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QAction *cancelAction() const { return m_cancel; }
    QAction *holdAction() const { return m_hold; }
    QAction *releaseAction() const { return m_release; }
    QAction *logTailAction() const { return m_logTail; }
    QAction *muteRunAction() const { return m_muteRun; }
    // The job of the current row, if any.
    std::optional<JobInfo> currentJob() const;

    void setFilterText(const QString &text);
    // Whether the notifications of a run are muted (the Notifier says so).
    void setRunMuted(const QString &runId, bool muted);
    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

Q_SIGNALS:
    // The user wants to see this run in the workflow view.
    void showRunRequested(const QString &runId);
    // The user asked to cancel this job (the window confirms and cancels).
    void cancelRequested(const QString &site, const QString &jobId);
    // Hold: a pending job that is not held yet. Release: a held job.
    void holdRequested(const QString &site, const QString &jobId);
    void releaseRequested(const QString &site, const QString &jobId);
    // Follow the log of a job of a run task.
    void logTailRequested(const vigil::JobInfo &job);
    // Mute (or unmute) the notifications of the current job's run.
    void muteRunRequested(const QString &runId, bool muted);

private:
    void updateChoices();
    void updateActions();
    void showContextMenu(const QPoint &pos);

    JobsModel *m_model;
    QTableView *m_view;
    QComboBox *m_state;
    QComboBox *m_site;
    QComboBox *m_run;
    QLineEdit *m_text;
    QAction *m_cancel;
    QAction *m_hold;
    QAction *m_release;
    QAction *m_logTail;
    QAction *m_muteRun;
    QAction *m_copyId;
    QAction *m_showRun;
    QSet<QString> m_mutedRuns;
};

} // namespace vigil
