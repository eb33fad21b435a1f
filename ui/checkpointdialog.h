// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "attachmentsview.h"
#include "metricscompare.h"
#include "models/statefmt.h"
#include "supervisor.h"

#include <QDialog>
#include <QHash>
#include <functional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTextBrowser;
class QTimer;

namespace vigil {

class FileTail;
class LogTailView;
class MetricsChart;
class MetricsFeed;
class ParamForm;
class MetricsPanel;

// Fetches a file of the checkpoint's run (relative to the run directory),
// whatever its size; the dialog never reads files itself.
using RunFileFetcher =
    std::function<void(const QString &relativePath, QObject *context, Callback<QByteArray> done)>;

// Follows a file of the checkpoint's run (relative to the run directory) as
// it grows: a FileTail owned by `parent` (Supervisor::followRunFile).
using RunFileFollower =
    std::function<Result<FileTail *>(const QString &relativePath, QObject *parent)>;

// Reviews one checkpoint: what the job asks (Markdown), the job's state, its
// metrics as charts (each comparable with other runs), the job's log, the
// files it attaches, one button per option and a comment. A click emits
// decisionRequested(); the owner sends it and reports back with showOutcome().
class CheckpointDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CheckpointDialog(const CheckpointInfo &checkpoint, QWidget *parent = nullptr);
    ~CheckpointDialog() override;

    // The largest metrics file read (attachments: AttachmentsView::maxBytes()).
    static constexpr qint64 maxMetricsBytes() { return qint64(16) << 20; }

    const CheckpointInfo &checkpoint() const { return m_checkpoint; }
    // A newer state of the same checkpoint (decided elsewhere, applied ...).
    void setCheckpoint(const CheckpointInfo &checkpoint);
    // Starts loading the metric files (unless they are followed) and the
    // attachments through `read`.
    void setRunFileReader(RunFileReader read);
    // The charts follow their metric files as the job appends to them: each
    // poll reads the new bytes only, and the evidence of a decision is the
    // bytes plotted when it is taken. Replaces what `read` loaded, if anything.
    void setRunFileFollower(RunFileFollower follow);
    // How often followed metric files are polled (default 5 s; tests).
    void setMetricsPollInterval(std::chrono::milliseconds interval);
    // The same, through a fetcher that reads whole files (the dialog then
    // refuses the ones over its limits: metrics and attachments).
    void setRunFileFetcher(RunFileFetcher fetch);
    // The other runs each chart can be compared with, and how to read their files.
    void setComparisonRuns(const QList<ComparedRun> &runs, OtherRunFileReader read);
    // The job that asks, as the scheduler lists it (listed: false when it does not).
    void setJob(const JobInfo &job, bool listed);
    void setClock(Clock clock);

    // Nothing can be decided here (a review bundle): the options are off and
    // the status line says `why`. Empty: decisions as usual.
    void setReadOnly(const QString &why);
    bool isReadOnly() const { return !m_readOnly.isEmpty(); }

    // The result of the decision this dialog asked for.
    void showOutcome(const Result<DecisionOutcome> &outcome);

    QList<QPushButton *> optionButtons() const { return m_optionButtons; }
    QPushButton *optionButton(const QString &option) const;
    QString statusText() const;
    QList<MetricsChart *> charts() const { return m_charts; }
    QList<MetricsPanel *> metricsPanels() const { return m_panels; }
    QTabWidget *tabs() const { return m_tabs; }
    LogTailView *logView() const { return m_logView; }
    AttachmentsView *attachmentsView() const { return m_attachments; } // none: no attachments
    QString jobText() const;
    ParamForm *paramForm() const { return m_params; } // none: no params
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
    QString m_readOnly;  // why nothing can be decided here; empty: it can
    QLabel *m_title = nullptr;
    QLabel *m_where = nullptr;
    QLabel *m_posted = nullptr;
    QLabel *m_deadline = nullptr;
    QLabel *m_job = nullptr;
    QLabel *m_status = nullptr;
    QTextBrowser *m_body = nullptr;
    QTabWidget *m_tabs = nullptr;
    LogTailView *m_logView = nullptr;
    AttachmentsView *m_attachments = nullptr;
    QList<MetricsPanel *> m_panels;
    ParamForm *m_params = nullptr;         // none: the checkpoint has no params
    QHash<QString, QByteArray> m_evidence; // read once (not followed): file -> the bytes shown
    QPlainTextEdit *m_comment = nullptr;
    QList<QPushButton *> m_optionButtons;
    QPushButton *m_log = nullptr;
    QList<MetricsChart *> m_charts;
    QList<MetricsFeed *> m_feeds; // of the charts that follow their file
    std::chrono::milliseconds m_metricsPoll{5000};
    QTimer *m_timer = nullptr;
};

} // namespace vigil
