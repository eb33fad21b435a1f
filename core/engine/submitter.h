// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Idempotent submission: before submitting attempt N of a task, the site is
// asked for the task's jobs (Site::findTaskJobs); a job of this attempt that
// exists already is adopted instead of submitting a second one. A crash
// between the submission and the engine's record therefore never yields a
// duplicate job.

#include "sites/site.h"

#include <optional>

namespace vigil::engine {

struct SubmitOutcome
{
    QString jobId;        // the site's id (an array's own id)
    bool adopted = false; // true: it existed already, nothing was submitted
};

// The job of attempt `attempt` among a task's jobs: one whose comment names
// that attempt, or (the site does not say the attempt: an old comment,
// accounting without comments) one that belongs to none of the engine's
// other recorded attempts (`otherAttemptJobIds`). Several candidates: the
// newest (highest id). Array elements count as their array.
std::optional<QString> findAttemptJob(const QList<JobInfo> &jobs, int attempt,
                                      const QStringList &otherAttemptJobIds);

// Looks the attempt up on the site, adopts it when it exists, else submits
// `submission` (whose attempt is `submission.attempt`).
void submitOnce(Site *site, const Submission &submission, const JobLookup &lookup,
                const QStringList &otherAttemptJobIds, QObject *context,
                Callback<SubmitOutcome> done);

} // namespace vigil::engine
