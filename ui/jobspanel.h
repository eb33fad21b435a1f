// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QAction;
class QComboBox;
class QLineEdit;
class QTableView;

namespace vigil {

class JobsModel;
class JobsFilterProxy;

// The Jobs dock: the scheduler's jobs of every site with filters by state
// class, site, run and text.
class JobsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit JobsPanel(JobsModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    JobsFilterProxy *proxy() const { return m_proxy; }
    QAction *cancelAction() const { return m_cancel; }

    void setFilterText(const QString &text);
    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

Q_SIGNALS:
    // The user wants to see this run in the workflow view.
    void showRunRequested(const QString &runId);
    // The user asked to cancel this job (the window confirms and cancels).
    void cancelRequested(const QString &site, const QString &jobId);

private:
    void updateChoices();
    void updateActions();
    void showContextMenu(const QPoint &pos);

    JobsModel *m_model;
    JobsFilterProxy *m_proxy;
    QTableView *m_view;
    QComboBox *m_state;
    QComboBox *m_site;
    QComboBox *m_run;
    QLineEdit *m_text;
    QAction *m_cancel;
    QAction *m_copyId;
    QAction *m_showRun;
};

} // namespace vigil
