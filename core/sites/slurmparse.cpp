// SPDX-License-Identifier: GPL-3.0-or-later
#include "slurmparse.h"

#include <QHash>
#include <QVarLengthArray>
#include <optional>

namespace vigil::slurm {

namespace {

const QString kSepStr = QString(QChar(kSep));

QList<QStringView> splitLines(const QString &text)
{
    QList<QStringView> lines;
    for (QStringView line : QStringView(text).split(u'\n')) {
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (!line.trimmed().isEmpty())
            lines << line;
    }
    return lines;
}

// Splits at the separator at most `count - 1` times: the last field keeps
// any further separators (a job name may contain one). No allocation for
// the lines of squeue and sacct (at most 16 fields).
using Fields = QVarLengthArray<QStringView, 16>;
Fields splitFields(QStringView line, int count)
{
    Fields f;
    QStringView rest = line;
    for (int i = 0; i < count - 1; ++i) {
        const qsizetype at = rest.indexOf(kSep);
        if (at < 0)
            break;
        f << rest.left(at);
        rest = rest.mid(at + 1);
    }
    f << rest;
    return f;
}

bool allDigits(QStringView s, qsizetype maxLength)
{
    if (s.isEmpty() || s.size() > maxLength)
        return false;
    for (QChar c : s)
        if (c < u'0' || c > u'9')
            return false;
    return true;
}

Error malformed(const QString &what, int lineNo, QStringView line)
{
    return Error(QStringLiteral("%1 output line %2 is malformed: \"%3\"")
                     .arg(what)
                     .arg(lineNo)
                     .arg(line.left(200).toString()),
                 Error::Kind::Malformed);
}

} // namespace

static bool isActiveState(const QString &s)
{
    static const QStringList active = {
        QStringLiteral("PENDING"),      QStringLiteral("RUNNING"),     QStringLiteral("SUSPENDED"),
        QStringLiteral("CONFIGURING"),  QStringLiteral("COMPLETING"),  QStringLiteral("REQUEUED"),
        QStringLiteral("RESIZING"),     QStringLiteral("SIGNALING"),   QStringLiteral("STAGE_OUT"),
        QStringLiteral("REQUEUE_HOLD"), QStringLiteral("REQUEUE_FED"), QStringLiteral("STOPPED"),
    };
    return active.contains(s);
}

QStringList squeueArgs()
{
    // %i id, %T state, %r reason, %M elapsed, %L time left, %P partition,
    // %k comment, %F array job id, %K array task id ("N/A" outside arrays), %j name.
    const QString fmt =
        QStringList{QStringLiteral("%i"), QStringLiteral("%T"), QStringLiteral("%r"),
                    QStringLiteral("%M"), QStringLiteral("%L"), QStringLiteral("%P"),
                    QStringLiteral("%k"), QStringLiteral("%F"), QStringLiteral("%K"),
                    QStringLiteral("%j")}
            .join(kSepStr);
    return {QStringLiteral("squeue"), QStringLiteral("--me"), QStringLiteral("-h"),
            QStringLiteral("-r"),     QStringLiteral("-o"),   fmt};
}

QStringList squeueTaskArgs()
{
    // %i id, %T state, %F array job id, %K array task id, %Z working
    // directory, %k comment (last: it may hold anything).
    const QString fmt =
        QStringList{QStringLiteral("%i"), QStringLiteral("%T"), QStringLiteral("%F"),
                    QStringLiteral("%K"), QStringLiteral("%Z"), QStringLiteral("%k")}
            .join(kSepStr);
    return {QStringLiteral("squeue"),
            QStringLiteral("--me"),
            QStringLiteral("-h"),
            QStringLiteral("-r"),
            QStringLiteral("--states=all"),
            QStringLiteral("-o"),
            fmt};
}

Result<QList<JobInfo>> parseSqueueTasks(const QByteArray &output, QStringList *workDirectories)
{
    const QString text = QString::fromUtf8(output);
    QList<JobInfo> jobs;
    int lineNo = 0;
    for (QStringView line : splitLines(text)) {
        ++lineNo;
        const Fields f = splitFields(line, 6);
        if (f.size() != 6 || f[0].isEmpty() || f[1].isEmpty())
            return malformed(QStringLiteral("squeue"), lineNo, line);
        JobInfo j;
        j.jobId = f[0].toString();
        j.state = f[1].toString();
        if (f[3] != u"N/A" &&
            (!splitArrayJobId(j.jobId, &j.arrayJobId, &j.arrayTaskId) || j.arrayJobId != f[2]))
            return malformed(QStringLiteral("squeue"), lineNo, line);
        QStringView run, task;
        if (splitJobComment(f[5], &run, &task, &j.attempt)) {
            j.runId = run.toString();
            j.task = task.toString();
        }
        jobs << j;
        if (workDirectories)
            *workDirectories << f[4].toString();
    }
    return jobs;
}

// One QString for each distinct value of a column that repeats (states,
// reasons, partitions, runs, tasks): 100,000 jobs share a handful of
// strings instead of allocating their own (bench/jobsbench.cpp). The values
// are few, so they are searched, not hashed (QHash's seeded string hash costs
// more than comparing a few short strings); past kMax distinct values a
// column's new values are simply allocated.
class Interner
{
public:
    QString operator()(QStringView view)
    {
        if (m_last >= 0 && m_values.at(m_last) == view)
            return m_values.at(m_last);
        for (qsizetype i = 0; i < m_values.size(); ++i)
            if (m_values.at(i) == view) {
                m_last = i;
                return m_values.at(i);
            }
        QString value = view.toString();
        if (m_values.size() < kMax) {
            m_last = m_values.size();
            m_values.append(value);
        }
        return value;
    }

private:
    static constexpr qsizetype kMax = 16;
    QVarLengthArray<QString, kMax> m_values;
    qsizetype m_last = -1;
};

Result<QList<JobInfo>> parseSqueue(const QByteArray &output)
{
    const QString text = QString::fromUtf8(output);
    QList<JobInfo> jobs;
    jobs.reserve(output.count('\n') + 1);
    Interner states, reasons, partitions, runs, tasks;
    int lineNo = 0;
    for (QStringView line : splitLines(text)) {
        ++lineNo;
        // The name is last and may itself contain the separator: split at most 9 times.
        const Fields f = splitFields(line, 10);
        if (f.size() != 10 || f[0].isEmpty() || f[1].isEmpty())
            return malformed(QStringLiteral("squeue"), lineNo, line);
        JobInfo j;
        j.jobId = f[0].toString();
        j.state = states(f[1]);
        if (f[2] != u"None")
            j.reason = reasons(f[2]);
        auto elapsed = parseDuration(f[3]);
        auto left = parseDuration(f[4]);
        if (!elapsed || !left)
            return malformed(QStringLiteral("squeue"), lineNo, line);
        j.elapsedSeconds = *elapsed;
        j.timeLeftSeconds = *left;
        j.partition = partitions(f[5]);
        QStringView run, task;
        if (splitJobComment(f[6], &run, &task, &j.attempt)) {
            j.runId = runs(run);
            j.task = tasks(task);
        }
        if (f[8] != u"N/A") {
            // Array element (or pending range): %F and %K must agree with %i.
            if (!splitArrayJobId(j.jobId, &j.arrayJobId, &j.arrayTaskId) || j.arrayJobId != f[7] ||
                j.arrayTaskId != f[8])
                return malformed(QStringLiteral("squeue"), lineNo, line);
        }
        j.name = f[9].toString();
        jobs.append(std::move(j));
    }
    return jobs;
}

namespace {

// sacct of whole jobs (-X), machine-readable (-P, our separator), with these
// fields, for the jobs `selection` picks.
QStringList sacctQuery(const QString &fields, const QStringList &selection)
{
    return QStringList{QStringLiteral("sacct"),
                       QStringLiteral("-n"),
                       QStringLiteral("-X"),
                       QStringLiteral("-P"),
                       QStringLiteral("--delimiter=") + kSepStr,
                       QStringLiteral("-o"),
                       fields} +
           selection;
}

} // namespace

QStringList sacctArgs(const QStringList &jobIds)
{
    return sacctQuery(QStringLiteral("JobID,State,ExitCode,Elapsed,Partition,JobName"),
                      {QStringLiteral("-j"), jobIds.join(QLatin1Char(','))});
}

namespace {

// sacct -P lines: JobID, State, ExitCode, Elapsed, Partition, [WorkDir,] JobName.
Result<QList<JobInfo>> parseSacctLines(const QByteArray &output, QStringList *workDirectories)
{
    const QString text = QString::fromUtf8(output);
    const int count = workDirectories ? 7 : 6;
    QList<JobInfo> jobs;
    int lineNo = 0;
    for (QStringView line : splitLines(text)) {
        ++lineNo;
        const Fields f = splitFields(line, count);
        if (f.size() != count || f[0].isEmpty() || f[1].isEmpty())
            return malformed(QStringLiteral("sacct"), lineNo, line);
        JobInfo j;
        j.jobId = f[0].toString();
        // Array elements are "123_4"; tasks that never started stay one
        // range "123_[5-9%2]".
        splitArrayJobId(j.jobId, &j.arrayJobId, &j.arrayTaskId);
        // "CANCELLED by 1000" -> CANCELLED
        j.state = f[1].split(u' ').first().toString();
        j.exitCode = parseExitCode(f[2].toString());
        auto elapsed = parseDuration(f[3].toString());
        if (!elapsed)
            return malformed(QStringLiteral("sacct"), lineNo, line);
        j.elapsedSeconds = *elapsed;
        j.timeLeftSeconds = -1;
        j.partition = f[4].toString();
        if (workDirectories)
            *workDirectories << f[5].toString();
        j.name = f[count - 1].toString();
        jobs << j;
    }
    return jobs;
}

} // namespace

Result<QList<JobInfo>> parseSacct(const QByteArray &output)
{
    return parseSacctLines(output, nullptr);
}

QStringList sacctByNameArgs(const QString &jobName, const QString &since)
{
    return sacctQuery(QStringLiteral("JobID,State,ExitCode,Elapsed,Partition,WorkDir,JobName"),
                      {QStringLiteral("-S"), since, QStringLiteral("--name=") + jobName});
}

Result<QList<JobInfo>> parseSacctByName(const QByteArray &output, QStringList *workDirectories)
{
    QStringList dirs;
    auto jobs = parseSacctLines(output, &dirs);
    if (jobs && workDirectories)
        *workDirectories = dirs;
    return jobs;
}

Result<QList<JobInfo>> parseScontrolJobs(const QByteArray &output)
{
    const QString text = QString::fromUtf8(output);
    QList<JobInfo> jobs;
    int lineNo = 0;
    for (QStringView line : splitLines(text)) {
        ++lineNo;
        if (line.startsWith(u"No jobs in the system"))
            continue;
        // "Key=Value Key=Value ..." where a value may contain spaces: a token
        // without '=' continues the previous value.
        QHash<QString, QString> kv;
        QString lastKey;
        for (QStringView tok : line.split(u' ', Qt::SkipEmptyParts)) {
            const qsizetype eq = tok.indexOf(u'=');
            if (eq > 0) {
                lastKey = tok.left(eq).toString();
                kv.insert(lastKey, tok.mid(eq + 1).toString());
            } else if (!lastKey.isEmpty()) {
                kv[lastKey] += QLatin1Char(' ') + tok.toString();
            }
        }
        if (kv.value(QStringLiteral("JobId")).isEmpty() ||
            kv.value(QStringLiteral("JobState")).isEmpty())
            return malformed(QStringLiteral("scontrol show job"), lineNo, line);
        JobInfo j;
        j.jobId = kv.value(QStringLiteral("JobId"));
        if (kv.contains(QStringLiteral("ArrayJobId")) &&
            kv.contains(QStringLiteral("ArrayTaskId"))) {
            j.arrayJobId = kv.value(QStringLiteral("ArrayJobId"));
            j.arrayTaskId = kv.value(QStringLiteral("ArrayTaskId"));
            const bool range = j.arrayTaskId.contains(QLatin1Char('-')) ||
                               j.arrayTaskId.contains(QLatin1Char(','));
            j.jobId = j.arrayJobId + QLatin1Char('_') +
                      (range ? QLatin1Char('[') + j.arrayTaskId + QLatin1Char(']') : j.arrayTaskId);
        }
        j.name = kv.value(QStringLiteral("JobName"));
        j.state = kv.value(QStringLiteral("JobState"));
        j.reason = kv.value(QStringLiteral("Reason"));
        if (j.reason == QLatin1String("None"))
            j.reason.clear();
        j.partition = kv.value(QStringLiteral("Partition"));
        j.exitCode = parseExitCode(kv.value(QStringLiteral("ExitCode")));
        if (auto e = parseDuration(kv.value(QStringLiteral("RunTime"))); e)
            j.elapsedSeconds = *e;
        // No "time left" field: the limit minus what ran, while the job is active.
        if (auto limit = parseDuration(kv.value(QStringLiteral("TimeLimit")));
            limit && *limit >= 0 && j.elapsedSeconds >= 0 && isActiveState(j.state))
            j.timeLeftSeconds = qMax<qint64>(0, *limit - j.elapsedSeconds);
        parseJobComment(kv.value(QStringLiteral("Comment")), &j.runId, &j.task, &j.attempt);
        jobs << j;
    }
    return jobs;
}

Result<QString> parseSbatch(const QByteArray &output)
{
    const QString text = QString::fromUtf8(output).trimmed();
    const QString id = text.section(QLatin1Char(';'), 0, 0);
    bool ok = false;
    id.toULongLong(&ok);
    if (!ok || text.contains(QLatin1Char('\n')))
        return Error(
            QStringLiteral("sbatch printed \"%1\" where a job id was expected").arg(text.left(200)),
            Error::Kind::Malformed);
    return id;
}

namespace {

// A run of ASCII digits up to `max`, as SLURM prints them (no sign, no
// blanks). Faster than toLongLong, which goes through the locale: a refresh
// parses 200,000 durations (bench/jobsbench.cpp).
std::optional<qint64> digitsValue(QStringView text, qint64 max)
{
    if (text.isEmpty())
        return std::nullopt;
    qint64 v = 0;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        v = v * 10 + (c.unicode() - u'0');
        if (v > max)
            return std::nullopt;
    }
    return v;
}

// Bounds keep every product below overflow: nobody runs a job for 10^6 days.
constexpr qint64 kMaxDays = 1000000;
constexpr qint64 kMaxField = 1000000000;

// Seconds of D-H[:M[:S]], [H:]M:S or M, as parseDuration reads them.
qint64 durationSeconds(bool hasDays, qint64 days, const qint64 (&v)[3], int parts)
{
    qint64 secs = 0;
    if (hasDays) {
        // D-H, D-H:M, D-H:M:S
        secs = v[0] * 3600 + (parts > 1 ? v[1] * 60 : 0) + (parts > 2 ? v[2] : 0);
    } else if (parts == 1) {
        secs = v[0] * 60; // a bare number is minutes in SLURM
        // squeue prints seconds-only values as "0:SS", never bare; sacct never bare either.
    } else if (parts == 2) {
        secs = v[0] * 60 + v[1];
    } else {
        secs = v[0] * 3600 + v[1] * 60 + v[2];
    }
    return days * 86400 + secs;
}

// The durations squeue and sacct print ("1-02:03:04", "12:34", "00:00:01.234")
// in one pass; none for anything else, which parseDuration then reads the
// long way (keywords, blanks, errors). A refresh parses 200,000 durations
// (bench/jobsbench.cpp).
std::optional<qint64> plainDuration(QStringView text)
{
    qint64 days = 0, cur = 0;
    qint64 v[3] = {0, 0, 0};
    int parts = 0, digits = 0;
    bool hasDays = false, inFraction = false;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        const char16_t c = i < text.size() ? text[i].unicode() : u':'; // the end ends a field
        if (c >= u'0' && c <= u'9') {
            if (!inFraction && ++digits > 10)
                return std::nullopt;
            if (!inFraction)
                cur = cur * 10 + (c - u'0');
        } else if (c == u'.' && !inFraction && digits > 0) {
            inFraction = true; // fractional seconds are dropped
        } else if (c == u'-' && !hasDays && parts == 0 && !inFraction && digits > 0 &&
                   cur <= kMaxDays) {
            hasDays = true;
            days = cur;
            cur = 0;
            digits = 0;
        } else if (c == u':' && digits > 0 && cur <= kMaxField && parts < 3) {
            v[parts++] = cur;
            cur = 0;
            digits = 0;
            inFraction = false;
        } else {
            return std::nullopt;
        }
    }
    return durationSeconds(hasDays, days, v, parts);
}

} // namespace

Result<qint64> parseDuration(QStringView raw)
{
    if (const std::optional<qint64> plain = plainDuration(raw))
        return *plain;
    const QStringView text = raw.trimmed();
    if (text.isEmpty() || text == u"UNLIMITED" || text == u"INVALID" || text == u"NOT_SET" ||
        text == u"N/A" || text == u"Partition_Limit")
        return qint64(-1);
    const auto bad = [text] {
        return Error(QStringLiteral("bad SLURM duration \"%1\"").arg(text), Error::Kind::Malformed);
    };
    qint64 days = 0;
    QStringView clock = text;
    const qsizetype dash = text.indexOf(u'-');
    if (dash >= 0) {
        const std::optional<qint64> d = digitsValue(text.left(dash), kMaxDays);
        if (!d)
            return bad();
        days = *d;
        clock = text.mid(dash + 1);
    }
    qint64 v[3] = {0, 0, 0};
    int parts = 0;
    for (QStringView part : clock.tokenize(u':')) {
        if (parts == 3)
            return bad();
        // Strip fractional seconds ("00:00:01.234" from sacct).
        if (const qsizetype dot = part.indexOf(u'.'); dot >= 0)
            part = part.left(dot);
        const std::optional<qint64> value = digitsValue(part, kMaxField);
        if (!value)
            return bad();
        v[parts] = *value;
        ++parts;
    }
    return durationSeconds(dash >= 0, days, v, parts);
}

int parseExitCode(const QString &text)
{
    const QStringList p = text.split(QLatin1Char(':'));
    bool ok1 = false, ok2 = false;
    const int code = p.value(0).toInt(&ok1);
    const int sig = p.value(1).toInt(&ok2);
    // Exit codes are 0-255 and signals 1-127: anything else is unknown (-1).
    if (!ok1 || code < 0 || code > 255 || (ok2 && (sig < 0 || sig > 127)))
        return -1;
    if (ok2 && sig != 0)
        return 128 + sig;
    return code;
}

bool splitArrayJobId(const QString &jobId, QString *arrayJobId, QString *arrayTaskId)
{
    const qsizetype us = jobId.indexOf(QLatin1Char('_'));
    if (us <= 0 || !allDigits(QStringView(jobId).left(us), 12))
        return false;
    QStringView task = QStringView(jobId).mid(us + 1);
    if (task.startsWith(u'[') && task.endsWith(u']'))
        task = task.mid(1, task.size() - 2);
    if (task.isEmpty())
        return false;
    for (QChar c : task)
        if (!((c >= u'0' && c <= u'9') || c == u'-' || c == u',' || c == u'%' || c == u':'))
            return false;
    *arrayJobId = jobId.left(us);
    *arrayTaskId = task.toString();
    return true;
}

bool isJobId(const QString &jobId)
{
    const qsizetype us = jobId.indexOf(QLatin1Char('_'));
    if (us < 0)
        return allDigits(jobId, 12);
    return allDigits(QStringView(jobId).left(us), 12) &&
           allDigits(QStringView(jobId).mid(us + 1), 9);
}

QStringList controlArgs(const QString &verb, const QString &jobId)
{
    return {QStringLiteral("scontrol"), verb, QStringLiteral("--"), jobId};
}

Result<void> validateArraySpec(const QString &spec)
{
    auto bad = [&spec](const QString &why) {
        return Error(QStringLiteral("invalid array \"%1\": %2 (expected e.g. \"0-199\", "
                                    "\"0-199%20\" or \"1,3,5-9:2\")")
                         .arg(spec.left(100), why),
                     Error::Kind::Malformed);
    };
    if (spec.isEmpty())
        return bad(QStringLiteral("it is empty"));
    if (spec.size() > 1000)
        return bad(QStringLiteral("longer than 1000 characters"));
    QStringView list = spec;
    const qsizetype pct = spec.indexOf(QLatin1Char('%'));
    if (pct >= 0) {
        if (!allDigits(QStringView(spec).mid(pct + 1), 9) ||
            QStringView(spec).mid(pct + 1).toLongLong() < 1)
            return bad(QStringLiteral("the limit after '%' must be a positive number"));
        list = QStringView(spec).left(pct);
    }
    for (QStringView item : list.split(u',')) {
        QStringView range = item;
        const qsizetype colon = item.indexOf(u':');
        if (colon >= 0) {
            const QStringView step = item.mid(colon + 1);
            if (!allDigits(step, 9) || step.toLongLong() < 1)
                return bad(QStringLiteral("the step in \"%1\" must be a positive number")
                               .arg(item.toString()));
            range = item.left(colon);
            if (!range.contains(u'-'))
                return bad(QStringLiteral("a step needs a range (\"%1\")").arg(item.toString()));
        }
        const qsizetype dash = range.indexOf(u'-');
        const QStringView first = dash < 0 ? range : range.left(dash);
        const QStringView last = dash < 0 ? range : range.mid(dash + 1);
        if (!allDigits(first, 9) || !allDigits(last, 9))
            return bad(QStringLiteral("\"%1\" is not an index or a range of indices")
                           .arg(item.toString()));
        if (first.toLongLong() > last.toLongLong())
            return bad(
                QStringLiteral("the range \"%1\" ends before it starts").arg(range.toString()));
    }
    return {};
}

QString jobComment(const QString &runId, const QString &task, int attempt)
{
    if (attempt > 0)
        return QStringLiteral("vigil/%1/%2/%3").arg(runId, task).arg(attempt);
    return QStringLiteral("vigil/%1/%2").arg(runId, task);
}

bool splitJobComment(QStringView comment, QStringView *runId, QStringView *task, int *attempt)
{
    QStringView p[4];
    int n = 0;
    for (QStringView part : comment.tokenize(u'/')) {
        if (n == 4)
            return false;
        p[n++] = part;
    }
    if ((n != 3 && n != 4) || p[0] != u"vigil" || p[1].isEmpty() || p[2].isEmpty())
        return false;
    int a = 0;
    if (n == 4) {
        // Exactly as jobComment() writes it: digits, no leading zero.
        if (!allDigits(p[3], 6) || p[3].startsWith(u'0'))
            return false;
        a = p[3].toInt();
    }
    *runId = p[1];
    *task = p[2];
    *attempt = a;
    return true;
}

bool parseJobComment(const QString &comment, QString *runId, QString *task, int *attempt)
{
    QStringView r, t;
    if (!splitJobComment(comment, &r, &t, attempt))
        return false;
    *runId = r.toString();
    *task = t.toString();
    return true;
}

bool parseJobComment(const QString &comment, QString *runId, QString *task)
{
    int attempt = 0;
    QString r, t;
    if (!parseJobComment(comment, &r, &t, &attempt) || attempt != 0)
        return false;
    *runId = r;
    *task = t;
    return true;
}

} // namespace vigil::slurm

namespace vigil {

bool JobInfo::isActive() const
{
    return slurm::isActiveState(state);
}

bool JobInfo::isFinished() const
{
    return !state.isEmpty() && !isActive();
}

bool JobInfo::isHeld() const
{
    return state == QLatin1String("PENDING") &&
           (reason == QLatin1String("JobHeldUser") || reason == QLatin1String("JobHeldAdmin"));
}

} // namespace vigil
