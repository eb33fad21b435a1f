// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QAction;
class QTableView;

namespace vigil {

class SitesModel;

// Shared look of the dock tables: rows, no grid, no vertical header.
void configureTable(QTableView *view);

// The Sites dock: one row per site with its connection and how fresh its data is.
class SitesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SitesPanel(SitesModel *model, QWidget *parent = nullptr);
    QTableView *view() const { return m_view; }
    // Offers `action` (Add Site…) in the table's context menu.
    void addSiteAction(QAction *action);

private:
    QTableView *m_view;
};

} // namespace vigil
