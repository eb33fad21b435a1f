// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logtailview.h"

#include <QDialog>

namespace vigil {

class Supervisor;
struct JobInfo;

// A non-modal window that follows the log of a job of a run task as it
// grows (a LogTailView).
class LogTailDialog : public QDialog
{
    Q_OBJECT
public:
    LogTailDialog(Supervisor *supervisor, const JobInfo &job, QWidget *parent = nullptr);

    static QString logFile(const JobInfo &job) { return LogTailView::logFile(job); }
    static constexpr qint64 maxBytes() { return LogTailView::maxBytes(); }

    LogTailView *view() const { return m_view; }
    QString text() const { return m_view->text(); }
    QString statusText() const { return m_view->statusText(); }
    QString path() const { return m_view->path(); }
    // How often the log is read again (ms); 0 stops following.
    void setPollInterval(int msec) { m_view->setPollInterval(msec); }

private:
    LogTailView *m_view;
};

} // namespace vigil
