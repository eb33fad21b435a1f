// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
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

// A parameter the job asks for with its question (request.json's params).
struct CheckpointParam
{
    QString name;
    QString label;
    QString type; // number, integer, string, boolean or enum
    QJsonValue defaultValue;
    QJsonValue min; // number and integer only; Null: unbounded. Inclusive.
    QJsonValue max;
    QStringList choices; // enum only

    bool operator==(const CheckpointParam &) const = default;
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
    QList<CheckpointParam> params;
    QList<MetricRef> metrics;
    QStringList attachments; // files (images, reports) relative to the run directory
    QDateTime createdAt;
    QDateTime deadline; // invalid: none
    QString defaultOnTimeout;
    Status status = Status::Pending;
    QString decidedBy;
    QString decidedOption;
    QString decisionKind; // "human" or "timeout-default"
    QString decisionId;
    QDateTime decidedAt;
    QJsonObject decidedParams; // as the decision gives them; one left out takes its default
    QString outcome;           // from ack.json
    QDateTime appliedAt;
    QString problem;       // why Broken or Refused
    QDateTime confirmedAt; // when the run directory last said so (a scan or a watch line)

    QString key() const { return site + QLatin1Char('/') + runId + QLatin1Char('/') + id; }
    QString defaultOption() const;
    const CheckpointParam *findParam(const QString &name) const;
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

// Checks `value` against the declaration with the protocol's rules (type,
// choices, bounds), as vigil-job will when it reads the decision. The error
// says what is wrong with the value, without naming the parameter.
Result<void> checkParamValue(const CheckpointParam &param, const QJsonValue &value);

// The value that `text` (typed on a command line or in a text field) gives
// `param`: a number, an integer, true or false, a string, one of the choices;
// then checked as above. The error says what was expected or which rule the
// value breaks, without naming the parameter.
Result<QJsonValue> paramValueFromText(const CheckpointParam &param, const QString &text);

// Parses the JSON printed by `vigil-job scan ROOT` on site `site`.
Result<QList<RunInfo>> parseScan(const QByteArray &json, const QString &site);

} // namespace vigil
