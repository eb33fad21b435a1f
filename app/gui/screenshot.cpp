// SPDX-License-Identifier: GPL-3.0-or-later
#include "screenshot.h"

#include "models/checkpointsmodel.h"
#include "models/jobsmodel.h"
#include "models/runsmodel.h"
#include "models/supervisorfeed.h"
#include "models/workflowstatus.h"
#include "sites/site.h"
#include "supervisor.h"
#include "ui/checkpointdialog.h"
#include "ui/checkpointreview.h"
#include "ui/mainwindow.h"
#include "ui/metricschart.h"
#include "ui/workflowcanvas.h"
#include "ui/workfloweditor.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QImageWriter>
#include <QPixmap>
#include <QWidget>
#include <algorithm>
#include <cstdio>

namespace vigil {

namespace {
// Time for the views to take in the last data before the grab.
constexpr int kSettleMs = 400;
// The review dialog is grabbed once each chart has its series (its metric
// files read and drawn), looked at this often, this many times at most.
constexpr int kReviewPollMs = 100;
constexpr int kReviewTries = 100;
} // namespace

ScreenshotTaker::ScreenshotTaker(Supervisor *supervisor, MainWindow *window, QString path,
                                 int maxDelayMs, QString checkpoint, int settleMs, QObject *parent)
    : QObject(parent), m_supervisor(supervisor), m_window(window), m_path(std::move(path)),
      m_checkpoint(std::move(checkpoint)), m_settleMs(settleMs)
{
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(std::max(0, maxDelayMs));
    connect(&m_deadline, &QTimer::timeout, this, &ScreenshotTaker::take);
    m_deadline.start();
    connect(supervisor, &Supervisor::refreshed, this, &ScreenshotTaker::siteRefreshed);
    // A watched site reports a checkpoint before its next refresh; the inbox
    // takes it in on the same signal, so it is looked for a moment later.
    connect(supervisor, &Supervisor::checkpointArrived, this, [this] {
        QTimer::singleShot(kSettleMs, this, [this] {
            if (ready())
                settle();
        });
    });
    if (supervisor->sites().isEmpty())
        settle();
}

void ScreenshotTaker::siteRefreshed(const QString &site)
{
    m_refreshed.insert(site);
    if (ready())
        settle();
}

bool ScreenshotTaker::ready() const
{
    for (const Site *s : m_supervisor->sites())
        if (!m_refreshed.contains(s->name()))
            return false;
    return m_checkpoint.isEmpty() || !reviewKey().isEmpty();
}

QString ScreenshotTaker::reviewKey() const
{
    // Pending checkpoints come first in the model.
    const CheckpointsModel *model = m_window->feed()->checkpoints();
    for (int row = 0; row < model->rowCount(); ++row) {
        const CheckpointInfo &cp = model->checkpointAt(row);
        if (cp.status != CheckpointInfo::Status::Pending)
            break;
        if (m_checkpoint.isEmpty() || cp.id == m_checkpoint)
            return cp.key();
    }
    return QString();
}

void ScreenshotTaker::settle()
{
    QTimer::singleShot(m_settleMs, this, &ScreenshotTaker::take);
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
    const QString key = reviewKey();
    if (key.isEmpty()) {
        takeEditor();
        return;
    }
    m_window->openCheckpoint(key);
    waitForCharts(key, kReviewTries);
}

void ScreenshotTaker::waitForCharts(const QString &key, int triesLeft)
{
    CheckpointDialog *dialog = m_window->review()->dialog(key);
    if (!dialog) {
        takeEditor();
        return;
    }
    const QList<MetricsChart *> charts = dialog->charts();
    const bool drawn = std::all_of(charts.begin(), charts.end(),
                                   [](const MetricsChart *c) { return c->seriesCount() > 0; });
    if (!drawn && triesLeft > 0) {
        QTimer::singleShot(kReviewPollMs, this,
                           [this, key, triesLeft] { waitForCharts(key, triesLeft - 1); });
        return;
    }
    if (!drawn)
        std::fprintf(stderr, "vigil: the review dialog's charts were not drawn in time\n");
    // The charts lay out their series on the next paint.
    QTimer::singleShot(kSettleMs, this, [this, key] {
        CheckpointDialog *shown = m_window->review()->dialog(key);
        if (shown && !save(shown, sibling(QStringLiteral("-review.png"))))
            return;
        if (shown)
            shown->close();
        takeEditor();
    });
}

void ScreenshotTaker::takeEditor()
{
    const Workflow &workflow = m_window->feed()->workflowStatus()->workflow();
    m_window->openEditor(workflow);
    // A gate selected, so the picture shows its form (else the first task's).
    QString shown = workflow.tasks.isEmpty() ? QString() : workflow.tasks.first().name;
    for (const TaskSpec &t : workflow.tasks)
        if (t.isGate()) {
            shown = t.name;
            break;
        }
    for (QWidget *w : QApplication::topLevelWidgets())
        if (auto *editor = qobject_cast<WorkflowEditor *>(w); editor && !shown.isEmpty())
            editor->canvas()->selectTasks({shown});
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

namespace {

// "VmHWM" or "VmRSS" of /proc/self/status, in kB (-1 when not there).
qint64 statusKb(const QByteArray &status, const QByteArray &key)
{
    const QByteArray prefix = key + ':';
    for (const QByteArray &line : status.split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace

StartupProbe::StartupProbe(MainWindow *window, const QElapsedTimer &sinceMain, int runs,
                           QObject *parent)
    : QObject(parent), m_window(window), m_sinceMain(sinceMain), m_runs(runs)
{
    window->installEventFilter(this);
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(60000);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        report("timeout");
        QCoreApplication::exit(1);
    });
    m_deadline.start();
    RunsModel *model = window->feed()->runs();
    connect(model, &QAbstractItemModel::rowsInserted, this, &StartupProbe::checkRuns);
    connect(model, &QAbstractItemModel::modelReset, this, &StartupProbe::checkRuns);
}

bool StartupProbe::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::Paint && !m_painted) {
        m_painted = true;
        // The window paints itself first and then its children, in one pass:
        // report once that pass (and its flush) is over.
        QTimer::singleShot(0, this, [this] {
            report("first-paint");
            if (m_runs <= 0) {
                m_done = true;
                QCoreApplication::exit(0);
            } else {
                checkRuns();
            }
        });
    }
    return QObject::eventFilter(watched, event);
}

void StartupProbe::checkRuns()
{
    if (m_done || !m_painted || m_runs <= 0 || m_window->feed()->runs()->rowCount() < m_runs)
        return;
    m_done = true;
    report("runs-shown");
    QCoreApplication::exit(0);
}

void StartupProbe::report(const char *what)
{
    const double ms = double(m_sinceMain.nsecsElapsed()) / 1e6;
    QFile f(QStringLiteral("/proc/self/status"));
    const QByteArray status = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    std::printf("vigil-startup %s main-ms=%.1f vmhwm-kb=%lld vmrss-kb=%lld runs=%d jobs=%d\n", what,
                ms, statusKb(status, "VmHWM"), statusKb(status, "VmRSS"),
                m_window->feed()->runs()->rowCount(), m_window->feed()->jobs()->rowCount());
    std::fflush(stdout);
}

} // namespace vigil
