// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QStackedLayout;
class QListView;

namespace vigil {

class CheckpointsModel;
class PendingCheckpointsProxy;

// The Inbox dock: checkpoints waiting for a decision, newest first.
// Enter or a double click asks to open one.
class InboxPanel : public QWidget
{
    Q_OBJECT
public:
    explicit InboxPanel(CheckpointsModel *model, QWidget *parent = nullptr);

    QListView *view() const { return m_view; }
    // The key of the selected checkpoint, else of the first one shown.
    QString currentKey() const;
    bool showAll() const;
    void setShowAll(bool all);

Q_SIGNALS:
    void openRequested(const QString &key);

private:
    void updatePlaceholder();

    CheckpointsModel *m_model;
    PendingCheckpointsProxy *m_proxy;
    QListView *m_view;
    QLabel *m_empty;
    QStackedLayout *m_stack;
    QCheckBox *m_showAll;
};

} // namespace vigil
