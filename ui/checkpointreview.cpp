// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpointreview.h"

#include "checkpointdialog.h"
#include "models/checkpointsmodel.h"
#include "supervisor.h"

namespace vigil {

namespace {
constexpr qint64 kMaxMetricsBytes = 16 * 1024 * 1024;
} // namespace

CheckpointReview::CheckpointReview(Supervisor *supervisor, CheckpointsModel *model, QWidget *window)
    : QObject(window), m_supervisor(supervisor), m_model(model), m_window(window)
{
    connect(
        model, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &tl, const QModelIndex &br) { modelChanged(tl.row(), br.row()); });
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { modelChanged(first, last); });
}

void CheckpointReview::modelChanged(int first, int last)
{
    if (m_dialogs.isEmpty())
        return;
    for (int r = first; r <= last && r < m_model->rowCount(); ++r) {
        const CheckpointInfo &c = m_model->checkpointAt(r);
        if (CheckpointDialog *d = m_dialogs.value(c.key()))
            d->setCheckpoint(c);
    }
}

CheckpointDialog *CheckpointReview::open(const QString &key)
{
    if (CheckpointDialog *d = m_dialogs.value(key)) {
        d->show();
        d->raise();
        d->activateWindow();
        return d;
    }
    const std::optional<CheckpointInfo> c = m_model->checkpoint(key);
    if (!c)
        return nullptr;

    auto *d = new CheckpointDialog(*c, m_window);
    d->setAttribute(Qt::WA_DeleteOnClose);
    m_dialogs.insert(key, d);
    connect(d, &QObject::destroyed, this, [this, key] { m_dialogs.remove(key); });

    QPointer<Supervisor> sup = m_supervisor;
    const QString site = c->site;
    const QString runId = c->runId;
    d->setRunFileFetcher(
        [sup, site, runId](const QString &path, QObject *context, Callback<QByteArray> done) {
            if (!sup) {
                done(Error(CheckpointReview::tr("Vigil is shutting down")));
                return;
            }
            sup->readRunFile(site, runId, path, kMaxMetricsBytes, context, std::move(done));
        });
    connect(d, &CheckpointDialog::logRequested, this, [this, key] {
        const std::optional<CheckpointInfo> cp = m_model->checkpoint(key);
        if (!cp || !m_supervisor)
            return;
        JobInfo job;
        job.site = cp->site;
        job.jobId = cp->jobId;
        job.runId = cp->runId;
        job.task = cp->task;
        // The scheduler's view of it (an array element's index, its state).
        for (const JobInfo &j : m_supervisor->jobs())
            if (j.site == cp->site && j.runId == cp->runId && j.task == cp->task &&
                (j.jobId == cp->jobId || j.isActive()))
                job = j;
        Q_EMIT logRequested(job);
    });
    connect(d, &CheckpointDialog::decisionRequested, this, [this, d](const DecisionInput &input) {
        if (!m_supervisor) {
            d->showOutcome(Error(tr("Vigil is shutting down")));
            return;
        }
        m_supervisor->decide(input, d,
                             [d](Result<DecisionOutcome> outcome) { d->showOutcome(outcome); });
    });
    d->show();
    return d;
}

} // namespace vigil
