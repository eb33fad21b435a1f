// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundleactions.h"

#include "bundle/bundleexport.h"
#include "bundle/bundlereader.h"
#include "inbackground.h"
#include "models/operationsmodel.h"
#include "sites/site.h"
#include "supervisor.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QTimer>
#include <QWidget>
#include <mutex>

namespace vigil {

// A bundle being opened, shared by the worker and this object: the worker
// writes its progress, and hands the extracted directory over under `mutex`
// unless cancelled (then it removes the directory itself).
struct BundleActions::Opening
{
    std::atomic_bool cancel{false};
    std::atomic<qint64> done{0};
    std::atomic<qint64> total{-1};
    std::mutex mutex;
    QString directory; // extracted, not delivered yet
};

BundleActions::BundleActions(Supervisor *supervisor, QWidget *window)
    : QObject(window), m_supervisor(supervisor), m_window(window)
{}

BundleActions::~BundleActions()
{
    // A worker still extracting stops and removes its directory; one that
    // finished leaves a directory nobody will be handed now: removed here.
    for (const std::shared_ptr<Opening> &o : std::as_const(m_opening)) {
        std::lock_guard lock(o->mutex);
        o->cancel = true;
        if (!o->directory.isEmpty())
            QDir(o->directory).removeRecursively();
    }
    for (const QString &dir : std::as_const(m_extracted))
        QDir(dir).removeRecursively();
}

void BundleActions::report(const QString &subject, const QString &message)
{
    m_supervisor->raise(Issue::Severity::Error, QString(), subject, message);
    Q_EMIT failed(message);
}

void BundleActions::exportRun(const QString &site, const QString &runId)
{
    const QString suggested =
        QDir::home().filePath(runId + bundle::suffix(bundle::Format::TarZstd));
    const QString file =
        QFileDialog::getSaveFileName(m_window, tr("Export Run %1").arg(runId), suggested,
                                     tr("Review bundle (*.tar.zst);;Review bundle as zip (*.zip)"));
    if (!file.isEmpty())
        exportRunTo(site, runId, file);
}

void BundleActions::exportRunTo(const QString &site, const QString &runId, const QString &file)
{
    bundle::ExportOptions o;
    o.target = file;
    o.format = file.endsWith(QLatin1String(".zip")) ? bundle::Format::Zip : bundle::Format::TarZstd;
    o.store = m_supervisor->store();
    o.operations = m_supervisor->operations();
    for (const JobInfo &j : m_supervisor->jobs())
        if (j.site == site && j.runId == runId)
            o.jobs << j;
    auto *e = new bundle::Export(m_supervisor->site(site), runId, o, this);
    e->start([this, e, file, runId](Result<bundle::Manifest> m) {
        e->deleteLater();
        if (!m) {
            if (m.error().kind != Error::Kind::Cancelled)
                report(tr("export of %1").arg(runId), m.errorString());
            return;
        }
        Q_EMIT exported(file);
    });
}

void BundleActions::openBundle()
{
    const QString file = QFileDialog::getOpenFileName(
        m_window, tr("Open Review Bundle"), QDir::homePath(),
        tr("Review bundles (*.tar.zst *.tar.gz *.tgz *.tar *.zip);;All files (*)"));
    if (!file.isEmpty())
        openBundleFile(file);
}

void BundleActions::openBundleFile(const QString &file)
{
    // The worker writes its progress here; a timer on this thread shows it.
    auto shared = std::make_shared<Opening>();
    m_opening << shared;
    OperationsModel *ops = m_supervisor->operations();
    Operation op;
    op.title = tr("Opening %1").arg(QFileInfo(file).fileName());
    op.cancel = [shared] { shared->cancel = true; };
    const quint64 row = ops->add(std::move(op));
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this,
            [ops, row, shared] { ops->setProgress(row, shared->done, shared->total); });
    timer->start(200);
    inBackground<Result<bundle::Opened>>(
        this,
        [file, shared]() -> Result<bundle::Opened> {
            auto opened = bundle::openBundle(
                file, QString(), {},
                [shared](qint64 done, qint64 total) {
                    shared->done = done;
                    shared->total = total;
                },
                &shared->cancel);
            if (!opened)
                return opened;
            std::lock_guard lock(shared->mutex);
            if (shared->cancel) { // after it succeeded: nobody will remove it
                QDir(opened->directory).removeRecursively();
                return Error(tr("cancelled"), Error::Kind::Cancelled);
            }
            shared->directory = opened->directory;
            return opened;
        },
        [this, file, ops, row, timer, shared](Result<bundle::Opened> opened) {
            timer->deleteLater();
            ops->remove(row);
            m_opening.removeOne(shared);
            if (opened && shared->cancel) { // the status bar's Cancel, too late for the worker
                QDir(opened->directory).removeRecursively();
                return;
            }
            if (!opened) {
                if (opened.error().kind != Error::Kind::Cancelled)
                    report(tr("review bundle"), opened.errorString());
                return;
            }
            m_extracted << opened->directory;
            const QString runId = opened->manifest.runId;
            Site *site = m_supervisor->addBundle(file, opened->root, runId);
            m_supervisor->refresh(site->name());
            Q_EMIT this->opened(file, site->name(), runId);
        });
}

} // namespace vigil
