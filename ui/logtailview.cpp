// SPDX-License-Identifier: GPL-3.0-or-later
#include "logtailview.h"

#include "engine/launcher.h"
#include "filetail.h"
#include "sites/jobinfo.h"
#include "supervisor.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QVBoxLayout>

namespace vigil {

LogTailView::LogTailView(QWidget *parent)
    : QWidget(parent), m_text(new QPlainTextEdit(this)), m_status(new QLabel(this))
{
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setObjectName(QStringLiteral("logText"));
    m_status->setObjectName(QStringLiteral("logStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_status);
    m_timer.setInterval(2000);
    connect(&m_timer, &QTimer::timeout, this, &LogTailView::poll);
}

QString LogTailView::logFile(const JobInfo &job)
{
    if (job.runId.isEmpty() || job.task.isEmpty())
        return {};
    TaskSpec task;
    task.name = job.task;
    task.array = job.arrayJobId; // non-empty: an array, whose elements log apart
    QString path = Launcher::logPath(task, QStringLiteral("tasks/") + job.task);
    if (!job.arrayJobId.isEmpty()) {
        bool number = false;
        job.arrayTaskId.toUInt(&number);
        if (!number)
            return {};
        path.replace(QStringLiteral("%a"), job.arrayTaskId);
    }
    return path;
}

void LogTailView::follow(Supervisor *supervisor, const JobInfo &job)
{
    const QString path = logFile(job);
    if (m_tail && path == m_path)
        return; // already following it (a newer state of the same job)
    m_timer.stop();
    delete m_tail;
    m_path = path;
    m_shown.clear();
    m_text->clear();
    if (m_path.isEmpty()) {
        m_status->setText(
            tr("Job %1 is not a task of a run: it has no log Vigil knows of.").arg(job.jobId));
        return;
    }
    if (!supervisor) {
        m_status->setText(tr("Vigil is shutting down"));
        return;
    }
    auto tail = supervisor->followRunFile(job.site, job.runId, m_path, this);
    if (!tail) {
        m_status->setText(tail.errorString());
        return;
    }
    m_tail = *tail;
    m_status->setText(tr("Reading %1…").arg(m_tail->path()));
    m_timer.start();
    QTimer::singleShot(0, this, &LogTailView::poll);
}

QString LogTailView::text() const
{
    return m_text->toPlainText();
}

QString LogTailView::statusText() const
{
    return m_status->text();
}

void LogTailView::setStatusText(const QString &text)
{
    m_status->setText(text);
}

void LogTailView::setPollInterval(int msec)
{
    if (msec <= 0) {
        m_timer.stop();
        return;
    }
    m_timer.setInterval(msec);
    if (m_tail)
        m_timer.start();
}

void LogTailView::poll()
{
    if (!m_tail || m_tail->busy())
        return;
    FileTail *tail = m_tail;
    tail->poll(tail, [this, tail](Result<FileTail::Update> r) {
        if (tail != m_tail)
            return; // an update of a log no longer followed
        if (!r) {
            m_status->setText(r.error().kind == Error::Kind::NotFound
                                  ? tr("Waiting for %1 to be written…").arg(tail->path())
                                  : r.errorString());
            return;
        }
        append(r->lines, r->restarted);
        m_status->setText(tr("%1: %2 bytes").arg(tail->path()).arg(r->fileSize));
        if (tail->hasMore())
            QTimer::singleShot(0, this, &LogTailView::poll); // a large log: the rest now
    });
}

void LogTailView::append(const QByteArray &lines, bool restarted)
{
    if (restarted) {
        m_shown.clear();
        m_text->clear();
    }
    if (lines.isEmpty())
        return;
    QScrollBar *bar = m_text->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    if (m_shown.size() + lines.size() <= maxBytes()) {
        m_shown += lines;
        QTextCursor end(m_text->document());
        end.movePosition(QTextCursor::End);
        end.insertText(QString::fromUtf8(lines));
    } else {
        // Over the bound: keep the last three quarters of it, from a line's
        // start, so that trimming is rare.
        m_shown += lines;
        qsizetype cut = m_shown.size() - maxBytes() * 3 / 4;
        const qsizetype newline = m_shown.indexOf('\n', cut);
        cut = newline < 0 ? cut : newline + 1;
        m_shown.remove(0, cut);
        m_text->setPlainText(QString::fromUtf8(m_shown));
    }
    if (atEnd)
        bar->setValue(bar->maximum());
}

} // namespace vigil
