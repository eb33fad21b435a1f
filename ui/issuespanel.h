// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QTableView;

namespace vigil {

class IssuesModel;

// The Issues dock: problems the user must know about, newest first.
class IssuesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit IssuesPanel(IssuesModel *model, QWidget *parent = nullptr);
    QTableView *view() const { return m_view; }

private:
    QTableView *m_view;
};

} // namespace vigil
