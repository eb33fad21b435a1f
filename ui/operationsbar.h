// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A compact status-bar widget for the long operations under way (an
// OperationsModel): hidden when there is none; else the first one's title, a
// progress bar (busy while the total is unknown) and Cancel, which cancels
// that first one. With several, the text says how many more and the tooltip
// lists them all.

#include <QSet>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace vigil {

class OperationsModel;

class OperationsBar : public QWidget
{
    Q_OBJECT
public:
    explicit OperationsBar(OperationsModel *model, QWidget *parent = nullptr);

    QLabel *label() const { return m_label; }
    QProgressBar *progressBar() const { return m_bar; }
    QPushButton *cancelButton() const { return m_cancel; }

private:
    void refresh();
    void cancelFirst();

    OperationsModel *m_model;
    QLabel *m_label;
    QProgressBar *m_bar;
    QPushButton *m_cancel;
    QSet<quint64> m_cancelling; // asked to stop, not ended yet
};

} // namespace vigil
