// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QPointer>
#include <QTimer>

class QLabel;
class QPlainTextEdit;

namespace vigil {

class FileTail;
class Supervisor;
struct JobInfo;

// A non-modal window that follows the log of a job of a run task as it
// grows (Supervisor::followRunFile: each poll reads only the appended
// bytes). The text keeps the last maxBytes() of the log.
class LogTailDialog : public QDialog
{
    Q_OBJECT
public:
    LogTailDialog(Supervisor *supervisor, const JobInfo &job, QWidget *parent = nullptr);

    // The job's log relative to its run directory (where the launcher has
    // SLURM or vigil-job write it: Launcher::logPath); empty for a job that
    // is not a run task's, or an array range that has not started.
    static QString logFile(const JobInfo &job);
    static constexpr qint64 maxBytes() { return qint64(2) << 20; }

    QString text() const;
    QString statusText() const;
    QString path() const { return m_path; }
    // How often the log is read again (ms); 0 stops following.
    void setPollInterval(int msec);

private:
    void poll();
    void append(const QByteArray &lines, bool restarted);

    QPointer<Supervisor> m_supervisor;
    QString m_site;
    QString m_runId;
    QString m_path;
    FileTail *m_tail = nullptr;
    QPlainTextEdit *m_text;
    QLabel *m_status;
    QTimer m_timer;
    QByteArray m_shown; // the text, as bytes: bounded by maxBytes()
};

} // namespace vigil
