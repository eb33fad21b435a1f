// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Run-time changes as workflow revisions (docs/engine.md, "Run-time
// changes"). A revision is the whole workflow, published in the run
// directory of the run's home site:
//
//   revisions/NNNN.toml   the workflow as the stable writer saves it, created
//                         no-clobber (the first to publish N wins)
//   revisions/NNNN.diff   the readable diff against the revision it was based on
//   revisions/NNNN.json   who, when, from which machine, base revision, comment
//
// Revision 1 is the launched workflow.toml; revisions/ starts at 0002. The
// engine that holds the run's lease checks each new revision against the
// task states of the moment and switches to it, or refuses it whole
// (checkRevision()); it records which revision is in effect and which were
// refused (engine/record.json). The diff and the check are pure functions.

#include "result.h"
#include "taskstate.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>

namespace vigil {
class Transport;
struct FileEntry;
} // namespace vigil

namespace vigil::engine {

// One difference between two workflows.
struct WorkflowChange
{
    enum class Kind {
        WorkflowField, // [workflow] name, description, approvers: field
        SiteAdded,     // name
        SiteRemoved,   // name
        SiteChanged,   // name, field ("host", "partition", ...)
        TaskAdded,     // name; newValue: "task" or "gate", field: its `after`
        TaskRemoved,   // name
        TaskChanged,   // name, field ("command", "environment.LR", "resources.time", "options"...)
        TaskSkipped,   // name; newValue: the reason
    };
    Kind kind = Kind::TaskChanged;
    QString name;
    QString field;
    QString oldValue; // as text; empty: unset
    QString newValue;

    bool operator==(const WorkflowChange &) const = default;
};

// Every difference, in a stable order: [workflow] fields, sites (in the new
// workflow's order, then removed ones), tasks (likewise); a task's fields in
// the writer's order. `position` (the editor's place) is not a change.
QList<WorkflowChange> diffWorkflows(const Workflow &before, const Workflow &after);

// One line: "+ task evaluate (after train)", "+ gate review (after prep)",
// "- task report", "~ train.environment.LR: 0.1 -> 0.05",
// "~ train.resources.time: (unset) -> 01:00:00", "- skip report: not needed",
// "+ site cloud (ssh)", "~ site cluster.host: a -> b", "~ workflow.description: ...".
QString describeChange(const WorkflowChange &change);

// A unified line diff (3 lines of context, "@@ -a,b +c,d @@" hunks) of two
// texts, headed "--- NAME" / "+++ NAME"; empty when they are equal.
QString lineDiff(const QByteArray &before, const QByteArray &after, const QString &beforeName,
                 const QString &afterName);

// The readable text of a revision: the summary (describeChange() of each
// change, one a line; "no change" when there is none), a blank line, then
// lineDiff() of the two workflows as workflowToToml() writes them.
QString revisionText(const Workflow &before, const Workflow &after, int beforeRevision,
                     int afterRevision);

// Whether `after` may replace `before` while the run goes on, given the task
// states of the moment (deriveTaskStates(); a task missing from `states` has
// not been submitted). Allowed:
//  - adding tasks (jobs or gates), after existing or new tasks;
//  - changing anything of a task not yet submitted (a job never submitted, a
//    gate not yet posted): command, environment, resources, after, inputs...;
//  - skipping a task that has not finished (`skip = "reason"`): a job not
//    yet submitted or still queued (its queued job is cancelled), a gate not
//    yet decided;
//  - adding sites, changing or removing sites no task of `before` uses;
//    changing the [workflow] name, description and approvers.
// Refused, each problem naming the task and why, all of them in one error
// (one a line), kind Generic: changing or removing a task already submitted
// ("train: submitted as job 123 (running); a run-time change cannot alter
// it"); removing any task ("skip it instead"); skipping a running or finished
// task; undoing a skip the engine applied; changing or removing a site in
// use. `after` must also be valid as a file is (no cycle, known names...):
// those problems are given as "revision: LINE:COLUMN: what" of its TOML.
Result<void> checkRevision(const Workflow &before, const Workflow &after,
                           const QMap<QString, TaskStatus> &states);

// ---- Storage -------------------------------------------------------------

inline constexpr char kRevisionsDir[] = "revisions";
inline constexpr int kMaxRevision = 9999;

// "revisions/0002.toml" for (2, "toml"); relative to the run directory.
QString revisionPath(int revision, const QString &extension);
// The revision numbers (>= 2) that have a .toml in a listing of revisions/,
// ascending; other names are ignored.
QList<int> publishedRevisions(const QList<FileEntry> &listing);

// revisions/NNNN.json.
struct RevisionInfo
{
    int revision = 0;
    int baseRevision = 0; // the revision it was made from
    QString author;       // user name
    QString host;         // the machine it was proposed from
    QDateTime createdAt;
    QString comment;
    QStringList summary; // describeChange() of each change
    // Set when the revision came with a decision (`vigilctl decide --revise`):
    // it applies only if that decision is the one the checkpoint holds.
    QString checkpoint;
    QString decisionId;

    bool operator==(const RevisionInfo &) const = default;
};
QByteArray serializeRevisionInfo(const RevisionInfo &info);
// `file` names the file in messages.
Result<RevisionInfo> parseRevisionInfo(const QByteArray &data, const QString &file);

// ---- Proposing a revision --------------------------------------------------

// The number a proposal made against `baseRevision` gets: one above both it
// and every refused revision.
int nextRevisionNumber(int baseRevision, const QList<int> &refused);

struct RevisionProposal
{
    // The run's workflow in effect and its revision number (1: workflow.toml).
    Workflow base;
    int baseRevision = 1;
    Workflow proposed;
    // The task states the proposer knows (an engine's states(), or
    // engine/state.json's). The engine checks again when it applies it.
    QMap<QString, TaskStatus> states;
    // Revisions the engine refused (its record's refused_revisions): they
    // keep their numbers, but a proposal is made against the one in effect.
    QList<int> refused;
    QString author;
    QString host;
    QString comment;
    QDateTime at;
    // A revision that comes with a decision: the checkpoint and the id of
    // the decision about to be written there (both or neither).
    QString checkpoint;
    QString decisionId;
};

// Publishes a revision in `runDirectory` (the home site's) through
// `transport`:
//  1. checkRevision(base, proposed, states): refused -> that error, nothing
//     written;
//  2. lists revisions/: if the highest published revision that is not in
//     `refused` is not baseRevision, refused (Error::Kind::AlreadyExists,
//     "revision N was published meanwhile...": look at it and propose
//     against it);
//  3. creates revisions/NNNN.json (RevisionInfo; N = the highest published
//     revision, refused or not, + 1; see nextRevisionNumber()) no-clobber:
//     another proposer that claimed N first wins (AlreadyExists, nothing
//     written); then revisions/NNNN.toml no-clobber, which publishes it: the
//     engine always finds the description (and a decision it depends on)
//     before the revision;
//  4. writes revisions/NNNN.diff (revisionText()) atomically.
// `done` gets N. A failure at step 4 leaves the revision published (the
// engine needs only the .toml and .json): the error says so. A proposal identical to
// its base is refused ("no change"). `context` ends the call when destroyed.
void proposeRevision(Transport *transport, const QString &runDirectory,
                     const RevisionProposal &proposal, QObject *context, Callback<int> done);

// The run's latest revision: the highest revisions/NNNN.toml not in
// `refused` (the engine's record lists them), else workflow.toml (1).
struct RunRevision
{
    int revision = 1;
    Workflow workflow;
};
void readLatestRevision(Transport *transport, const QString &runDirectory,
                        const QList<int> &refused, QObject *context, Callback<RunRevision> done);

} // namespace vigil::engine
