// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace vigil {

class FileTail;
class Supervisor;
struct JobInfo;

// Follows the log of a job of a run task as it grows
// (Supervisor::followRunFile: each poll reads only the appended bytes), with
// a status line under the text. The text keeps the last maxBytes() of the
// log. Used by the log window (LogTailDialog) and the review dialog's Log tab.
class LogTailView : public QWidget
{
    Q_OBJECT
public:
    explicit LogTailView(QWidget *parent = nullptr);

    // The job's log relative to its run directory (where the launcher has
    // SLURM or vigil-job write it: Launcher::logPath); empty for a job that
    // is not a run task's, or an array range that has not started.
    static QString logFile(const JobInfo &job);
    static constexpr qint64 maxBytes() { return qint64(2) << 20; }

    // Starts following the log of `job` (stops following any other one).
    void follow(Supervisor *supervisor, const JobInfo &job);

    QString text() const;
    QString statusText() const;
    // Says why there is no log to follow (yet).
    void setStatusText(const QString &text);
    QString path() const { return m_path; }
    // How often the log is read again (ms); 0 stops following.
    void setPollInterval(int msec);

private:
    void poll();
    void append(const QByteArray &lines, bool restarted);

    QString m_path;
    QPointer<FileTail> m_tail;
    QPlainTextEdit *m_text;
    QLabel *m_status;
    QTimer m_timer;
    QByteArray m_shown; // the text, as bytes: bounded by maxBytes()
};

} // namespace vigil
