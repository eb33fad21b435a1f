// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSet>
#include <QWidget>

class QAction;
class QSortFilterProxyModel;
class QTableView;

namespace vigil {

class RunsModel;

// The Runs dock: every run on every site, and what this desktop's engine does
// with each. Follow starts the run's engine here (kept across restarts); Stop
// Following releases it.
class RunsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RunsPanel(RunsModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QAction *followAction() const { return m_follow; }
    QAction *unfollowAction() const { return m_unfollow; }
    QAction *muteAction() const { return m_mute; }
    // Whether the notifications of a run are muted (the Notifier says so).
    void setRunMuted(const QString &runId, bool muted);
    // Hides Follow and Stop Following (a window without engines).
    void setFollowingEnabled(bool enabled);
    // Selects the run's row (false: not listed); with `site`, the row of the
    // run as that site has it (a review bundle's own row).
    bool selectRun(const QString &runId, const QString &site = QString());

    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

Q_SIGNALS:
    void followRequested(const QString &runId, const QString &site);
    void unfollowRequested(const QString &runId);
    void showRunRequested(const QString &runId);
    // Change Run: edit the run's workflow and publish it as its next revision.
    void reviseRequested(const QString &runId);
    void muteRunRequested(const QString &runId, bool muted);

private:
    void updateActions();
    void showContextMenu(const QPoint &pos);

    RunsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QAction *m_follow;
    QAction *m_unfollow;
    QAction *m_show;
    QAction *m_revise;
    QAction *m_mute;
    QSet<QString> m_mutedRuns;
    bool m_followingEnabled = true;
};

} // namespace vigil
