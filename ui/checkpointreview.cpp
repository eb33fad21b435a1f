// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpointreview.h"

#include "checkpointdialog.h"
#include "logtailview.h"
#include "models/checkpointsmodel.h"
#include "supervisor.h"

namespace vigil {

CheckpointReview::CheckpointReview(Supervisor *supervisor, CheckpointsModel *model, QWidget *window)
    : QObject(window), m_supervisor(supervisor), m_model(model), m_window(window)
{
    connect(
        model, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &tl, const QModelIndex &br) { modelChanged(tl.row(), br.row()); });
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { modelChanged(first, last); });
    if (supervisor)
        connect(supervisor, &Supervisor::jobsChanged, this,
                [this](const QString &site) { jobsChanged(site); });
}

JobInfo CheckpointReview::jobOf(const CheckpointInfo &cp, bool *listed) const
{
    JobInfo job;
    job.site = cp.site;
    job.jobId = cp.jobId;
    job.runId = cp.runId;
    job.task = cp.task;
    *listed = false;
    if (!m_supervisor || cp.task.isEmpty())
        return job;
    // The scheduler's view of it (an array element's index, its state).
    for (const JobInfo &j : m_supervisor->jobs())
        if (j.site == cp.site && j.runId == cp.runId && j.task == cp.task &&
            (j.jobId == cp.jobId || j.isActive())) {
            job = j;
            *listed = true;
        }
    return job;
}

void CheckpointReview::jobsChanged(const QString &site)
{
    for (const QPointer<CheckpointDialog> &d : std::as_const(m_dialogs)) {
        if (!d || d->checkpoint().site != site)
            continue;
        bool listed = false;
        const JobInfo job = jobOf(d->checkpoint(), &listed);
        d->setJob(job, listed);
        if (listed) // an array element's log is known once it is listed
            d->logView()->follow(m_supervisor, job);
    }
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
    const OtherRunFileReader read = [sup](const QString &otherSite, const QString &otherRun,
                                          const QString &path, QObject *context,
                                          Callback<QByteArray> done) {
        if (!sup) {
            done(Error(CheckpointReview::tr("Vigil is shutting down")));
            return;
        }
        sup->readRunFile(otherSite, otherRun, path, CheckpointDialog::maxMetricsBytes(), context,
                         std::move(done));
    };
    d->setRunFileFollower(
        [sup, site, runId](const QString &path, QObject *parent) -> Result<FileTail *> {
            if (!sup)
                return Error(CheckpointReview::tr("Vigil is shutting down"));
            return sup->followRunFile(site, runId, path, parent);
        });
    d->setRunFileReader([sup, site, runId](const QString &path, qint64 maxBytes, QObject *context,
                                           Callback<QByteArray> done) {
        if (!sup) {
            done(Error(CheckpointReview::tr("Vigil is shutting down")));
            return;
        }
        sup->readRunFile(site, runId, path, maxBytes, context, std::move(done));
    });
    if (m_supervisor && m_supervisor->isReadOnly(site))
        d->setReadOnly(tr("This checkpoint is in the review bundle %1: read-only, nothing can be "
                          "decided here.")
                           .arg(site));
    if (m_supervisor) {
        d->setComparisonRuns(comparableRuns(m_supervisor->runs(), site, runId), read);
        bool listed = false;
        const JobInfo job = jobOf(*c, &listed);
        d->setJob(job, listed);
        if (!c->task.isEmpty())
            d->logView()->follow(m_supervisor, job);
    }
    connect(d, &CheckpointDialog::logRequested, this, [this, key] {
        const std::optional<CheckpointInfo> cp = m_model->checkpoint(key);
        if (!cp || !m_supervisor)
            return;
        bool listed = false;
        Q_EMIT logRequested(jobOf(*cp, &listed));
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
