// SPDX-License-Identifier: GPL-3.0-or-later
#include "slurmparse.h"

#include <QHash>

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
    // %i id, %T state, %r reason, %M elapsed, %L time left, %P partition, %k comment, %j name.
    const QString fmt =
        QStringList{QStringLiteral("%i"), QStringLiteral("%T"), QStringLiteral("%r"),
                    QStringLiteral("%M"), QStringLiteral("%L"), QStringLiteral("%P"),
                    QStringLiteral("%k"), QStringLiteral("%j")}
            .join(kSepStr);
    return {QStringLiteral("squeue"), QStringLiteral("--me"), QStringLiteral("-h"),
            QStringLiteral("-r"),     QStringLiteral("-o"),   fmt};
}

Result<QList<JobInfo>> parseSqueue(const QByteArray &output)
{
    const QString text = QString::fromUtf8(output);
    QList<JobInfo> jobs;
    int lineNo = 0;
    for (QStringView line : splitLines(text)) {
        ++lineNo;
        // The name is last and may itself contain the separator: split at most 7 times.
        QList<QStringView> f;
        QStringView rest = line;
        for (int i = 0; i < 7; ++i) {
            const qsizetype at = rest.indexOf(kSep);
            if (at < 0)
                break;
            f << rest.left(at);
            rest = rest.mid(at + 1);
        }
        f << rest;
        if (f.size() != 8 || f[0].isEmpty() || f[1].isEmpty())
            return malformed(QStringLiteral("squeue"), lineNo, line);
        JobInfo j;
        j.jobId = f[0].toString();
        j.state = f[1].toString();
        j.reason = f[2].toString();
        if (j.reason == QLatin1String("None"))
            j.reason.clear();
        auto elapsed = parseDuration(f[3].toString());
        auto left = parseDuration(f[4].toString());
        if (!elapsed || !left)
            return malformed(QStringLiteral("squeue"), lineNo, line);
        j.elapsedSeconds = *elapsed;
        j.timeLeftSeconds = *left;
        j.partition = f[5].toString();
        parseJobComment(f[6].toString(), &j.runId, &j.task);
        j.name = f[7].toString();
        jobs << j;
    }
    return jobs;
}

QStringList sacctArgs(const QStringList &jobIds)
{
    return {QStringLiteral("sacct"),
            QStringLiteral("-n"),
            QStringLiteral("-X"),
            QStringLiteral("-P"),
            QStringLiteral("--delimiter=") + kSepStr,
            QStringLiteral("-o"),
            QStringLiteral("JobID,State,ExitCode,Elapsed,Partition,JobName"),
            QStringLiteral("-j"),
            jobIds.join(QLatin1Char(','))};
}

Result<QList<JobInfo>> parseSacct(const QByteArray &output)
{
    const QString text = QString::fromUtf8(output);
    QList<JobInfo> jobs;
    int lineNo = 0;
    for (QStringView line : splitLines(text)) {
        ++lineNo;
        QList<QStringView> f;
        QStringView rest = line;
        for (int i = 0; i < 5; ++i) {
            const qsizetype at = rest.indexOf(kSep);
            if (at < 0)
                break;
            f << rest.left(at);
            rest = rest.mid(at + 1);
        }
        f << rest;
        if (f.size() != 6 || f[0].isEmpty() || f[1].isEmpty())
            return malformed(QStringLiteral("sacct"), lineNo, line);
        JobInfo j;
        j.jobId = f[0].toString();
        // "CANCELLED by 1000" -> CANCELLED
        j.state = f[1].split(u' ').first().toString();
        j.exitCode = parseExitCode(f[2].toString());
        auto elapsed = parseDuration(f[3].toString());
        if (!elapsed)
            return malformed(QStringLiteral("sacct"), lineNo, line);
        j.elapsedSeconds = *elapsed;
        j.timeLeftSeconds = -1;
        j.partition = f[4].toString();
        j.name = f[5].toString();
        jobs << j;
    }
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
        if (kv.contains(QStringLiteral("ArrayJobId")) && kv.contains(QStringLiteral("ArrayTaskId")))
            j.jobId = kv.value(QStringLiteral("ArrayJobId")) + QLatin1Char('_') +
                      kv.value(QStringLiteral("ArrayTaskId"));
        j.name = kv.value(QStringLiteral("JobName"));
        j.state = kv.value(QStringLiteral("JobState"));
        j.reason = kv.value(QStringLiteral("Reason"));
        if (j.reason == QLatin1String("None"))
            j.reason.clear();
        j.partition = kv.value(QStringLiteral("Partition"));
        j.exitCode = parseExitCode(kv.value(QStringLiteral("ExitCode")));
        if (auto e = parseDuration(kv.value(QStringLiteral("RunTime"))); e)
            j.elapsedSeconds = *e;
        parseJobComment(kv.value(QStringLiteral("Comment")), &j.runId, &j.task);
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

Result<qint64> parseDuration(const QString &raw)
{
    const QString text = raw.trimmed();
    if (text == QLatin1String("UNLIMITED") || text == QLatin1String("INVALID") ||
        text == QLatin1String("NOT_SET") || text == QLatin1String("N/A") || text.isEmpty() ||
        text == QLatin1String("Partition_Limit"))
        return qint64(-1);
    // Bounds keep every product below overflow: nobody runs a job for 10^6 days.
    constexpr qint64 kMaxDays = 1000000;
    constexpr qint64 kMaxField = 1000000000;
    qint64 days = 0;
    QString clock = text;
    const qsizetype dash = text.indexOf(QLatin1Char('-'));
    bool ok = true;
    if (dash >= 0) {
        days = text.left(dash).toLongLong(&ok);
        if (!ok || days < 0 || days > kMaxDays)
            return Error(QStringLiteral("bad SLURM duration \"%1\"").arg(text),
                         Error::Kind::Malformed);
        clock = text.mid(dash + 1);
    }
    const QStringList parts = clock.split(QLatin1Char(':'));
    if (parts.size() > 3)
        return Error(QStringLiteral("bad SLURM duration \"%1\"").arg(text), Error::Kind::Malformed);
    qint64 v[3] = {0, 0, 0};
    for (qsizetype i = 0; i < parts.size(); ++i) {
        // Strip fractional seconds ("00:00:01.234" from sacct).
        const QString p = parts[i].section(QLatin1Char('.'), 0, 0);
        v[i] = p.toLongLong(&ok);
        if (!ok || v[i] < 0 || v[i] > kMaxField)
            return Error(QStringLiteral("bad SLURM duration \"%1\"").arg(text),
                         Error::Kind::Malformed);
    }
    qint64 secs = 0;
    if (dash >= 0) {
        // D-H, D-H:M, D-H:M:S
        secs = v[0] * 3600 + (parts.size() > 1 ? v[1] * 60 : 0) + (parts.size() > 2 ? v[2] : 0);
    } else if (parts.size() == 1) {
        secs = v[0] * 60; // a bare number is minutes in SLURM
        // squeue prints seconds-only values as "0:SS", never bare; sacct never bare either.
    } else if (parts.size() == 2) {
        secs = v[0] * 60 + v[1];
    } else {
        secs = v[0] * 3600 + v[1] * 60 + v[2];
    }
    return days * 86400 + secs;
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

QString jobComment(const QString &runId, const QString &task)
{
    return QStringLiteral("vigil/%1/%2").arg(runId, task);
}

bool parseJobComment(const QString &comment, QString *runId, QString *task)
{
    const QStringList p = comment.split(QLatin1Char('/'));
    if (p.size() != 3 || p[0] != QLatin1String("vigil") || p[1].isEmpty() || p[2].isEmpty())
        return false;
    *runId = p[1];
    *task = p[2];
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

} // namespace vigil
