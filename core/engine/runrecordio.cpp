// SPDX-License-Identifier: GPL-3.0-or-later
#include "runrecordio.h"

#include "revision.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace vigil::engine {

namespace {

const char kRecordFormat[] = "vigil.engine-record";
const char kSummaryFormat[] = "vigil.engine-state";
const char kSkipFormat[] = "vigil.task-skipped";
constexpr int kMaxNameChars = 256;
constexpr int kMaxReasonChars = 4096;

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime fromIso(const QJsonValue &v)
{
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
}

QJsonObject header(const char *name)
{
    return QJsonObject{{QStringLiteral("name"), QLatin1String(name)},
                       {QStringLiteral("version"), QStringLiteral("1.0")}};
}

QString reasonName(AttemptRecord::Reason r)
{
    switch (r) {
    case AttemptRecord::Reason::Launch:
        return QStringLiteral("launch");
    case AttemptRecord::Reason::Retry:
        return QStringLiteral("retry");
    case AttemptRecord::Reason::Resubmit:
        return QStringLiteral("resubmit");
    }
    return {};
}

std::optional<AttemptRecord::Reason> reasonFromName(const QString &name)
{
    for (auto r : {AttemptRecord::Reason::Launch, AttemptRecord::Reason::Retry,
                   AttemptRecord::Reason::Resubmit})
        if (reasonName(r) == name)
            return r;
    return std::nullopt;
}

} // namespace

Result<QJsonObject> openJsonFile(const QByteArray &data, const QString &file, const char *name)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &err);
    if (!doc.isObject())
        return Error(QStringLiteral("%1: not a JSON object (%2)").arg(file, err.errorString()),
                     Error::Kind::Malformed);
    const QJsonObject format = doc.object().value(QStringLiteral("format")).toObject();
    if (format.value(QStringLiteral("name")).toString() != QLatin1String(name))
        return Error(QStringLiteral("%1: not a %2 file").arg(file, QLatin1String(name)),
                     Error::Kind::Malformed);
    if (!format.value(QStringLiteral("version")).toString().startsWith(QLatin1String("1.")))
        return Error(QStringLiteral("%1: format version %2 is newer than this program reads (1.x)")
                         .arg(file, format.value(QStringLiteral("version")).toString()),
                     Error::Kind::Malformed);
    return doc.object();
}

QString skipMarkerName(const QString &task)
{
    return task + QStringLiteral(".skipped");
}

std::optional<TaskState> taskStateFromName(const QString &name)
{
    for (auto s :
         {TaskState::Pending, TaskState::Held, TaskState::Running, TaskState::WaitingForHuman,
          TaskState::Done, TaskState::Failed, TaskState::Cancelled, TaskState::Skipped})
        if (taskStateName(s) == name)
            return s;
    return std::nullopt;
}

QByteArray serializeRunRecord(const QString &runId, const RunRecord &record)
{
    QJsonObject tasks;
    for (auto it = record.tasks.cbegin(); it != record.tasks.cend(); ++it) {
        QJsonArray attempts;
        for (const AttemptRecord &a : it->attempts)
            attempts << QJsonObject{{QStringLiteral("attempt"), a.attempt},
                                    {QStringLiteral("site"), a.site},
                                    {QStringLiteral("job_id"), a.jobId},
                                    {QStringLiteral("submitted_at"), iso(a.submittedAt)},
                                    {QStringLiteral("reason"), reasonName(a.reason)}};
        QJsonObject t{
            {QStringLiteral("attempts"), attempts},
            {QStringLiteral("moved_inputs"), QJsonArray::fromStringList(it->movedInputs)}};
        if (!it->skipReason.isEmpty()) {
            t.insert(QStringLiteral("skip_reason"), it->skipReason);
            t.insert(QStringLiteral("skipped_at"), iso(it->skippedAt));
        }
        tasks.insert(it.key(), t);
    }
    const QJsonObject o{{QStringLiteral("format"), header(kRecordFormat)},
                        {QStringLiteral("run_id"), runId},
                        {QStringLiteral("tasks"), tasks},
                        {QStringLiteral("cancel_requested"), record.cancelRequested},
                        {QStringLiteral("finished"), record.finished}};
    QJsonObject doc = o;
    if (record.revision > 1 || !record.refusedRevisions.isEmpty()) {
        doc.insert(QStringLiteral("revision"), record.revision);
        QJsonArray refused;
        for (int n : record.refusedRevisions)
            refused << n;
        doc.insert(QStringLiteral("refused_revisions"), refused);
    }
    return QJsonDocument(doc).toJson(QJsonDocument::Indented);
}

Result<RunRecord> parseRunRecord(const QByteArray &data, const QString &file)
{
    auto doc = openJsonFile(data, file, kRecordFormat);
    if (!doc)
        return doc.error();
    const QJsonObject o = *doc;
    RunRecord r;
    r.cancelRequested = o.value(QStringLiteral("cancel_requested")).toBool();
    r.finished = o.value(QStringLiteral("finished")).toString().left(kMaxNameChars);
    if (!r.finished.isEmpty() && r.finished != QLatin1String("done") &&
        r.finished != QLatin1String("failed") && r.finished != QLatin1String("cancelled"))
        return Error(QStringLiteral("%1: finished is \"%2\", not done, failed or cancelled")
                         .arg(file, r.finished),
                     Error::Kind::Malformed);
    r.revision = o.value(QStringLiteral("revision")).toInt(1);
    for (const QJsonValue &v : o.value(QStringLiteral("refused_revisions")).toArray())
        r.refusedRevisions << v.toInt(0);
    if (r.revision < 1 || r.revision > kMaxRevision ||
        std::any_of(r.refusedRevisions.cbegin(), r.refusedRevisions.cend(),
                    [](int n) { return n < 2 || n > kMaxRevision; }))
        return Error(QStringLiteral("%1: revision %2 or a refused revision is not valid (1-%3)")
                         .arg(file)
                         .arg(r.revision)
                         .arg(kMaxRevision),
                     Error::Kind::Malformed);
    const QJsonObject tasks = o.value(QStringLiteral("tasks")).toObject();
    for (auto it = tasks.constBegin(); it != tasks.constEnd(); ++it) {
        const QJsonObject t = it.value().toObject();
        TaskRecord tr;
        int previous = 0;
        for (const QJsonValue &v : t.value(QStringLiteral("attempts")).toArray()) {
            const QJsonObject a = v.toObject();
            AttemptRecord ar;
            ar.attempt = a.value(QStringLiteral("attempt")).toInt(0);
            ar.site = a.value(QStringLiteral("site")).toString().left(kMaxNameChars);
            ar.jobId = a.value(QStringLiteral("job_id")).toString().left(kMaxNameChars);
            ar.submittedAt = fromIso(a.value(QStringLiteral("submitted_at")));
            const auto reason = reasonFromName(a.value(QStringLiteral("reason")).toString());
            if (ar.attempt <= previous || ar.jobId.isEmpty() || !reason)
                return Error(QStringLiteral("%1: task %2: attempt %3 is not valid (attempts count "
                                            "up from 1, each with a job id and a reason)")
                                 .arg(file, it.key())
                                 .arg(ar.attempt),
                             Error::Kind::Malformed);
            ar.reason = *reason;
            previous = ar.attempt;
            tr.attempts << ar;
        }
        tr.skipReason = t.value(QStringLiteral("skip_reason")).toString().left(kMaxReasonChars);
        tr.skippedAt = fromIso(t.value(QStringLiteral("skipped_at")));
        for (const QJsonValue &v : t.value(QStringLiteral("moved_inputs")).toArray())
            tr.movedInputs << v.toString();
        r.tasks.insert(it.key(), tr);
    }
    return r;
}

QByteArray serializeRunSummary(const RunSummary &s)
{
    QJsonArray tasks;
    for (const TaskStatus &t : s.tasks)
        tasks << QJsonObject{{QStringLiteral("task"), t.task},
                             {QStringLiteral("state"), taskStateName(t.state)},
                             {QStringLiteral("since"), iso(t.since)},
                             {QStringLiteral("attempt"), t.attempt},
                             {QStringLiteral("site"), t.site},
                             {QStringLiteral("job_id"), t.jobId},
                             {QStringLiteral("exit_code"), t.exitCode},
                             {QStringLiteral("reason"), t.reason}};
    const QJsonObject o{{QStringLiteral("format"), header(kSummaryFormat)},
                        {QStringLiteral("run_id"), s.runId},
                        {QStringLiteral("holder"), s.holder},
                        {QStringLiteral("updated_at"), iso(s.updatedAt)},
                        {QStringLiteral("finished"), s.finished},
                        {QStringLiteral("tasks"), tasks}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Result<RunSummary> parseRunSummary(const QByteArray &data, const QString &file)
{
    auto doc = openJsonFile(data, file, kSummaryFormat);
    if (!doc)
        return doc.error();
    RunSummary s;
    s.runId = doc->value(QStringLiteral("run_id")).toString().left(kMaxNameChars);
    s.holder = doc->value(QStringLiteral("holder")).toString().left(kMaxNameChars);
    s.updatedAt = fromIso(doc->value(QStringLiteral("updated_at")));
    s.finished = doc->value(QStringLiteral("finished")).toString().left(kMaxNameChars);
    for (const QJsonValue &v : doc->value(QStringLiteral("tasks")).toArray()) {
        const QJsonObject o = v.toObject();
        TaskStatus t;
        t.task = o.value(QStringLiteral("task")).toString().left(kMaxNameChars);
        const auto state = taskStateFromName(o.value(QStringLiteral("state")).toString());
        if (t.task.isEmpty() || !state)
            return Error(QStringLiteral("%1: a task entry without a name or with an unknown state "
                                        "(\"%2\")")
                             .arg(file, o.value(QStringLiteral("state")).toString().left(64)),
                         Error::Kind::Malformed);
        t.state = *state;
        t.since = fromIso(o.value(QStringLiteral("since")));
        t.attempt = o.value(QStringLiteral("attempt")).toInt(0);
        t.site = o.value(QStringLiteral("site")).toString().left(kMaxNameChars);
        t.jobId = o.value(QStringLiteral("job_id")).toString().left(kMaxNameChars);
        t.exitCode = o.value(QStringLiteral("exit_code")).toInt(-1);
        t.reason = o.value(QStringLiteral("reason")).toString().left(kMaxReasonChars);
        s.tasks << t;
    }
    return s;
}

QByteArray serializeSkipMarker(const QString &task, const QString &reason, const QDateTime &at)
{
    const QJsonObject o{{QStringLiteral("format"), header(kSkipFormat)},
                        {QStringLiteral("task"), task},
                        {QStringLiteral("state"), QStringLiteral("skipped")},
                        {QStringLiteral("reason"), reason},
                        {QStringLiteral("skipped_at"), iso(at)}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

} // namespace vigil::engine
