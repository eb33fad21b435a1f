// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/statefmt.h"
#include "supervisor.h"

#include <QDialog>
#include <functional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTextBrowser;
class QTimer;

namespace vigil {

class MetricsChart;

// Fetches a file of the checkpoint's run (relative to the run directory); the
// dialog never reads files itself.
using RunFileFetcher =
    std::function<void(const QString &relativePath, QObject *context, Callback<QByteArray> done)>;

// Reviews one checkpoint: what the job asks (Markdown), its metrics as charts,
// one button per option and a comment. A click emits decisionRequested(); the
// owner sends it and reports back with showOutcome().
class CheckpointDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CheckpointDialog(const CheckpointInfo &checkpoint, QWidget *parent = nullptr);
    ~CheckpointDialog() override;

    const CheckpointInfo &checkpoint() const { return m_checkpoint; }
    // A newer state of the same checkpoint (decided elsewhere, applied ...).
    void setCheckpoint(const CheckpointInfo &checkpoint);
    // Starts loading the metric files through `fetch`.
    void setRunFileFetcher(RunFileFetcher fetch);
    void setClock(Clock clock);

    // The result of the decision this dialog asked for.
    void showOutcome(const Result<DecisionOutcome> &outcome);

    QList<QPushButton *> optionButtons() const { return m_optionButtons; }
    QPushButton *optionButton(const QString &option) const;
    QString statusText() const;
    QList<MetricsChart *> charts() const { return m_charts; }
    void setComment(const QString &comment);

    QPushButton *logButton() const { return m_log; }

Q_SIGNALS:
    void decisionRequested(const vigil::DecisionInput &input);
    // "Job Log…": the user wants the log of the job that asks.
    void logRequested();

private:
    void build();
    void updateTimes();
    void updateState();
    void choose(const QString &option);
    void setStatus(const QString &text, const QColor &color = QColor());

    CheckpointInfo m_checkpoint;
    Clock m_clock = systemClock();
    bool m_sending = false;
    bool m_sent = false; // a decision of ours reached the site
    bool m_won = false;  // ... and it is the one that holds
    QLabel *m_title = nullptr;
    QLabel *m_where = nullptr;
    QLabel *m_posted = nullptr;
    QLabel *m_deadline = nullptr;
    QLabel *m_status = nullptr;
    QTextBrowser *m_body = nullptr;
    QTabWidget *m_metrics = nullptr;
    QPlainTextEdit *m_comment = nullptr;
    QList<QPushButton *> m_optionButtons;
    QPushButton *m_log = nullptr;
    QList<MetricsChart *> m_charts;
    QTimer *m_timer = nullptr;
};

} // namespace vigil
