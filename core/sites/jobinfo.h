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
    int attempt = 0; // the engine's attempt number from the job's comment; 0: not said
    // Array jobs: "123" and "4" for element 123_4; "123" and "5-199%20" for a
    // pending range 123_[5-199%20] (squeue without -r, sacct of tasks that never
    // started). Both empty for a job that is not part of an array.
    QString arrayJobId;
    QString arrayTaskId;
    qint64 elapsedSeconds = -1;
    qint64 timeLeftSeconds = -1;
    int exitCode = -1;

    bool isActive() const;   // pending, running, suspended, configuring, completing
    bool isFinished() const; // any terminal state
    bool isHeld() const;     // pending because a user (or an admin) held it
    // The id Vigil tracks for this job: the array's id for an array element.
    QString submittedId() const { return arrayJobId.isEmpty() ? jobId : arrayJobId; }
    bool operator==(const JobInfo &) const = default;
};

} // namespace vigil
