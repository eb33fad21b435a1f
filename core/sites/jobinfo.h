// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace vigil {

// One scheduler job (or one process started by Vigil on a plain host) as a
// site reports it. Times are in seconds; -1 means unknown.
struct JobInfo
{
    QString site;
    QString jobId;
    QString name;
    QString state; // SLURM state names: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, ...
    QString reason;
    QString partition;
    QString runId; // empty for jobs Vigil did not start
    QString task;
    qint64 elapsedSeconds = -1;
    qint64 timeLeftSeconds = -1;
    int exitCode = -1;

    bool isActive() const;   // pending, running, suspended, configuring, completing
    bool isFinished() const; // any terminal state
    bool operator==(const JobInfo &) const = default;
};

} // namespace vigil
