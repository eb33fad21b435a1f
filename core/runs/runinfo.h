// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace vigil {

struct CheckpointOption
{
    QString name;
    QString label;
    bool isDefault = false;
};

struct MetricRef
{
    QString file; // relative to the run directory
    QString x;    // x column (e.g. "epoch" or "step")
    QStringList columns;
};

// A checkpoint as the desktop sees it: the request plus what became of it.
struct CheckpointInfo
{
    enum class Status {
        Pending, // no decision yet
        Decided, // decision.json exists, not yet acknowledged by the job
        Applied, // ack.json exists: the job acted on it
        Refused, // a decision exists but the job's rules refuse it (owner, nonce)
        Broken,  // request.json is malformed: see problem
        Closed,  // the task ended before any decision: nothing will read one now
    };

    QString site;
    QString runId;
    QString id;
    QString task;
    QString jobId;
    QString title;
    QString body;
    QString nonce;
    QList<CheckpointOption> options;
    QList<MetricRef> metrics;
    QDateTime createdAt;
    QDateTime deadline; // invalid: none
    QString defaultOnTimeout;
    Status status = Status::Pending;
    QString decidedBy;
    QString decidedOption;
    QString decisionKind; // "human" or "timeout-default"
    QString decisionId;
    QDateTime decidedAt;
    QString outcome; // from ack.json
    QDateTime appliedAt;
    QString problem;       // why Broken or Refused
    QDateTime confirmedAt; // when the run directory last said so (a scan or a watch line)

    QString key() const { return site + QLatin1Char('/') + runId + QLatin1Char('/') + id; }
    QString defaultOption() const;
};

struct TaskRunInfo
{
    QString name;
    QString state; // "running", "completed", "failed" (from state.json), or "" when not started
    QString jobId;
    QString host;
    int exitCode = -1;
    QDateTime startedAt;
    QDateTime endedAt;
};

struct RunInfo
{
    QString site;
    QString runId;
    QString workflowName;
    QDateTime createdAt;
    QList<TaskRunInfo> tasks;
    QList<CheckpointInfo> checkpoints;
    QStringList problems;  // malformed files, each "path: why"
    QDateTime confirmedAt; // when the run directory last said so (a scan or a watch line)
};

QString checkpointStatusName(CheckpointInfo::Status status);

// Parses the JSON printed by `vigil-job scan ROOT` on site `site`.
Result<QList<RunInfo>> parseScan(const QByteArray &json, const QString &site);

} // namespace vigil
