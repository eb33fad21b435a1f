// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checkpointdialog.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class QWidget;

namespace vigil {

class CheckpointsModel;
class Supervisor;

// Opens review dialogs for checkpoints of the inbox and connects them to the
// Supervisor: metric files are read through it, decisions sent through it,
// and an open dialog follows the checkpoint's state in the model.
class CheckpointReview : public QObject
{
    Q_OBJECT
public:
    CheckpointReview(Supervisor *supervisor, CheckpointsModel *model, QWidget *window);

    // Opens (or raises) the dialog of the checkpoint with this key.
    CheckpointDialog *open(const QString &key);
    CheckpointDialog *dialog(const QString &key) const { return m_dialogs.value(key); }

Q_SIGNALS:
    // A dialog's "Job Log…": the job that posted the checkpoint (as the
    // scheduler lists it when it does, else its site, id, run and task).
    void logRequested(const vigil::JobInfo &job);

private:
    void modelChanged(int first, int last);
    // The job that posted the checkpoint as the scheduler lists it; else
    // its site, id, run and task (listed: false).
    JobInfo jobOf(const CheckpointInfo &checkpoint, bool *listed) const;
    void jobsChanged(const QString &site);

    QPointer<Supervisor> m_supervisor;
    CheckpointsModel *m_model;
    QWidget *m_window;
    QHash<QString, QPointer<CheckpointDialog>> m_dialogs;
};

} // namespace vigil
