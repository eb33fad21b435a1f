// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What vigilctl prints: lines and JSON documents on stdout, messages on stderr.

#include "runs/runinfo.h"
#include "sites/jobinfo.h"
#include "store/store.h"
#include "workflow/workflow.h"

#include <QJsonObject>
#include <QString>

class QJsonDocument;

namespace vigil::ctl {

// Text from a remote file, a scheduler or a user, made safe for a terminal:
// control characters (C0, DEL, C1) become \\n, \\t, \\r, \\e or \\xNN, so
// that nothing in it can move the cursor, retitle the window or end a line.
// Backslashes stay as they are. JSON output does not use it: it stays exact.
QString printable(const QString &text);

// One line on stdout (flushed: a script reading a pipe sees it at once).
// Tabs and newlines in `line` are kept (they are the layout); every other
// control character is escaped as printable() does: put the fields through
// printable() to escape theirs too.
void out(const QString &line);
// One JSON document on one line of stdout.
void outJson(const QJsonDocument &document);
// "vigilctl: MESSAGE" on stderr, escaped like out().
// One line on stderr, as it is (escaped), with no "vigilctl:" prefix: a
// FILE:LINE:COLUMN diagnostic.
void diagnostic(const QString &line);
void err(const QString &message);

QString orDash(const QString &s);
// [D-]HH:MM:SS, or "-" for a negative (unknown) duration.
QString formatSeconds(qint64 seconds);

// user@host:port as far as the site says; the ssh_config file fills in the rest.
QString siteAddress(const SiteSpec &site);
// A site for --json output: every key always present ("" / 0 when unset;
// poll_interval is the interval in effect).
QJsonObject siteJson(const SiteSpec &site, const QString &source);

// `vigilctl validate`: "FILE: ok: N tasks (G gates), S sites", or one
// "FILE:LINE:COLUMN: message" line per problem.
QStringList workflowCheckLines(const WorkflowCheck &check);
// {file, ok, tasks, gates, sites, problems: [{line, column, message}]}; the
// counts are those of what could be read.
QJsonObject workflowCheckJson(const WorkflowCheck &check);

// A job for `jobs`: {site, job, state, reason, run, task, name, exit_code,
// elapsed, time_left}, or one tab-separated line, every field escaped.
QJsonObject jobJson(const JobInfo &j);
QString jobLine(const JobInfo &j);

// ISO 8601 (UTC), or "" for an invalid time (JSON); isoOrDash: "-" instead.
QString isoTime(const QDateTime &t);
QString isoOrDash(const QDateTime &t);

// A parameter as `checkpoints --json` shows it: {name, label, type, default,
// min, max, choices} (min, max null when unbounded).
QJsonObject paramJson(const CheckpointParam &param);
// "lr=0.001 epochs=3": the values as JSON writes them (a string quoted);
// "-" when there is none.
QString paramsText(const QJsonObject &params);
// The declared parameters, "lr:number=0.01[0.0001..1] mode:enum=fast{fast|slow}".
QString declaredParamsText(const QList<CheckpointParam> &params);

// A checkpoint for `checkpoints --json` and `status --json`.
QJsonObject checkpointJson(const CheckpointInfo &c);
// One line for the text listings, every field escaped: run, id, status,
// options, title, params, then what became of it. `withSite`: the site first.
QString checkpointLine(const CheckpointInfo &c, bool withSite);

// One task of `status`: what the run directory says and, when the scheduler
// knows its job, what the scheduler says (job may be null).
QJsonObject taskStatusJson(const QString &site, const TaskRunInfo &task, const JobInfo *job);
QString taskStatusLine(const QString &site, const TaskRunInfo &task, const JobInfo *job);

// One decision of `audit`.
QJsonObject auditJson(const AuditEntry &entry);
QString auditLine(const AuditEntry &entry);

} // namespace vigil::ctl
