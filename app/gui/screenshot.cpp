// SPDX-License-Identifier: GPL-3.0-or-later
#include "screenshot.h"

#include "models/checkpointsmodel.h"
#include "models/supervisorfeed.h"
#include "models/workflowstatus.h"
#include "sites/site.h"
#include "supervisor.h"
#include "ui/checkpointdialog.h"
#include "ui/checkpointreview.h"
#include "ui/mainwindow.h"
#include "ui/workfloweditor.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QPixmap>
#include <QWidget>
#include <cstdio>

namespace vigil {

namespace {
// Time for the views to take in the last data before the grab.
constexpr int kSettleMs = 400;
// Time for the review dialog to read and draw its metric files.
constexpr int kReviewMs = 3000;
} // namespace

ScreenshotTaker::ScreenshotTaker(Supervisor *supervisor, MainWindow *window, QString path,
                                 int maxDelayMs, QObject *parent)
    : QObject(parent), m_supervisor(supervisor), m_window(window), m_path(std::move(path))
{
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(std::max(0, maxDelayMs));
    connect(&m_deadline, &QTimer::timeout, this, &ScreenshotTaker::take);
    m_deadline.start();
    connect(supervisor, &Supervisor::refreshed, this, &ScreenshotTaker::siteRefreshed);
    if (supervisor->sites().isEmpty())
        settle();
}

void ScreenshotTaker::siteRefreshed(const QString &site)
{
    m_refreshed.insert(site);
    for (const Site *s : m_supervisor->sites())
        if (!m_refreshed.contains(s->name()))
            return;
    settle();
}

void ScreenshotTaker::settle()
{
    QTimer::singleShot(kSettleMs, this, &ScreenshotTaker::take);
}

bool ScreenshotTaker::save(QWidget *widget, const QString &path)
{
    QImageWriter writer(path);
    if (!writer.write(widget->grab().toImage())) {
        std::fprintf(stderr, "vigil: cannot save the screenshot to %s: %s\n", qPrintable(path),
                     qPrintable(writer.errorString()));
        QCoreApplication::exit(1);
        return false;
    }
    return true;
}

QString ScreenshotTaker::sibling(const QString &suffix) const
{
    const QFileInfo info(m_path);
    return info.dir().filePath(info.completeBaseName() + suffix);
}

void ScreenshotTaker::take()
{
    if (m_taken)
        return;
    m_taken = true;
    if (!save(m_window, m_path))
        return;
    takeReview();
}

void ScreenshotTaker::takeReview()
{
    // Pending checkpoints come first in the model.
    const CheckpointsModel *model = m_window->feed()->checkpoints();
    const QString key =
        model->rowCount() > 0 && model->checkpointAt(0).status == CheckpointInfo::Status::Pending
            ? model->checkpointAt(0).key()
            : QString();
    if (key.isEmpty()) {
        takeEditor();
        return;
    }
    m_window->openCheckpoint(key);
    QTimer::singleShot(kReviewMs, this, [this, key] {
        CheckpointDialog *dialog = m_window->review()->dialog(key);
        if (dialog && !save(dialog, sibling(QStringLiteral("-review.png"))))
            return;
        if (dialog)
            dialog->close();
        takeEditor();
    });
}

void ScreenshotTaker::takeEditor()
{
    m_window->openEditor(m_window->feed()->workflowStatus()->workflow());
    QTimer::singleShot(kSettleMs * 2, this, [this] {
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *editor = qobject_cast<WorkflowEditor *>(w)) {
                if (!save(editor, sibling(QStringLiteral("-editor.png"))))
                    return;
                editor->close();
            }
        QCoreApplication::exit(0);
    });
}

} // namespace vigil
