// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What a run-time change of a run is made against, read through a
// Supervisor, for `vigilctl revise` and the editor alike: the run's home
// site (where its revisions live), the engine's record there (the revision
// in effect, the refused ones), the run's latest revision, and the task
// states known now. See docs/engine.md, "Run-time changes".

#include "revision.h"
#include "runrecordio.h"

#include <QMap>
#include <QObject>

namespace vigil {
class Supervisor;
struct JobInfo;
struct RunInfo;
} // namespace vigil

namespace vigil::engine {

struct RevisionBase
{
    QString runId;
    QString home;      // the site whose run directory holds revisions/
    RunRecord record;  // empty when no engine has followed the run yet
    int revision = 1;  // the latest revision (1: workflow.toml)
    Workflow workflow; // that revision
    // The engine's summary (engine/state.json), completed by the submitted
    // tasks the run directories and the schedulers show.
    QMap<QString, TaskStatus> states;
};

// The task states a proposal is checked against (the engine checks again
// when it takes it): the summary's, then what the scans and the scheduler
// show of submitted tasks the summary does not know yet.
QMap<QString, TaskStatus> knownTaskStates(const std::optional<RunSummary> &summary,
                                          const QList<RunInfo> &parts, const QList<JobInfo> &jobs,
                                          const QString &runId);

// Reads the base of a change of `runId`, which the Supervisor's scans must
// list (refresh its sites first). The error names the run, the site and the
// file.
void readRevisionBase(Supervisor *supervisor, const QString &runId, QObject *context,
                      Callback<RevisionBase> done);

// A proposal of `proposed` against `base` (author, host and time filled in).
RevisionProposal proposalFrom(const RevisionBase &base, const Workflow &proposed,
                              const QString &comment);

// What publishing `proposed` would do: the revision's number, its readable
// text (revisionText()), and why it would be refused (empty: acceptable now;
// the engine checks again when it takes it).
struct RevisionPreview
{
    int number = 0;
    QString text;
    QStringList problems;
};
RevisionPreview previewRevision(const RevisionBase &base, const Workflow &proposed);

// Publishes the proposal in the run directory of base.home (proposeRevision()).
void publishRevision(Supervisor *supervisor, const RevisionBase &base,
                     const RevisionProposal &proposal, QObject *context, Callback<int> done);

} // namespace vigil::engine
