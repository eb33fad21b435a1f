// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the executor keeps in the run directory (the home site's, beside
// engine.lease):
//
//   engine/record.json   the engine's RunRecord: attempts, skips, moved inputs,
//                        cancel and finish (replaced atomically after each
//                        confirmed submission; read back by a restarted engine)
//   engine/state.json    a summary for other desktops and vigilctl: per task
//                        its state, since when, attempt, site, job, exit code
//                        and reason
//
// Pure: bytes in, values out.

#include "result.h"
#include "taskstate.h"

#include <QJsonObject>
#include <optional>

namespace vigil::engine {

inline constexpr char kRecordFile[] = "engine/record.json";
inline constexpr char kSummaryFile[] = "engine/state.json";
// A skipped task's marker in its directory: tasks/<task>/<task>.skipped.
QString skipMarkerName(const QString &task);

// The document's object when it is JSON whose "format" names `name`, major
// version 1 ({"format": {"name": NAME, "version": "1.x"}}); `file` names
// the file in messages.
Result<QJsonObject> openJsonFile(const QByteArray &data, const QString &file, const char *name);

QByteArray serializeRunRecord(const QString &runId, const RunRecord &record);
// `file` names the file in messages.
Result<RunRecord> parseRunRecord(const QByteArray &data, const QString &file);

struct RunSummary
{
    QString runId;
    QString holder; // the engine that wrote it (the lease holder)
    QDateTime updatedAt;
    QString finished;        // "done", "failed", "cancelled"; empty: still going
    QList<TaskStatus> tasks; // task, state, since, attempt, site, jobId, exitCode, reason
};

QByteArray serializeRunSummary(const RunSummary &summary);
Result<RunSummary> parseRunSummary(const QByteArray &data, const QString &file);
// "skipped" -> TaskState::Skipped; unknown names are refused.
std::optional<TaskState> taskStateFromName(const QString &name);

// tasks/<task>/<task>.skipped: why and when, as JSON.
QByteArray serializeSkipMarker(const QString &task, const QString &reason, const QDateTime &at);

} // namespace vigil::engine
