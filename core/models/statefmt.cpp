// SPDX-License-Identifier: GPL-3.0-or-later
#include "statefmt.h"

#include "sites/jobinfo.h"

#include <QCoreApplication>
#include <QLocale>

namespace vigil {

namespace {

// The translation context of the free functions below.
class Format
{
    Q_DECLARE_TR_FUNCTIONS(vigil::Format)
};

} // namespace

QString emDash()
{
    return QString(QChar(0x2014));
}

StateClass classifyJobState(const QString &rawState, int exitCode)
{
    // sacct may append details: "CANCELLED by 1000".
    const QString state = rawState.section(QLatin1Char(' '), 0, 0).toUpper();
    if (state.isEmpty())
        return StateClass::Unknown;
    static const QStringList pending = {
        QStringLiteral("PENDING"),       QStringLiteral("REQUEUED"),
        QStringLiteral("REQUEUE_HOLD"),  QStringLiteral("REQUEUE_FED"),
        QStringLiteral("RESV_DEL_HOLD"),
    };
    static const QStringList running = {
        QStringLiteral("RUNNING"),  QStringLiteral("COMPLETING"), QStringLiteral("CONFIGURING"),
        QStringLiteral("RESIZING"), QStringLiteral("SIGNALING"),  QStringLiteral("STAGE_OUT"),
    };
    static const QStringList suspended = {QStringLiteral("SUSPENDED"), QStringLiteral("STOPPED")};
    static const QStringList failed = {
        QStringLiteral("FAILED"),    QStringLiteral("TIMEOUT"),
        QStringLiteral("NODE_FAIL"), QStringLiteral("OUT_OF_MEMORY"),
        QStringLiteral("BOOT_FAIL"), QStringLiteral("DEADLINE"),
        QStringLiteral("PREEMPTED"), QStringLiteral("SPECIAL_EXIT"),
        QStringLiteral("REVOKED"),
    };
    if (pending.contains(state))
        return StateClass::Pending;
    if (running.contains(state))
        return StateClass::Running;
    if (suspended.contains(state))
        return StateClass::Suspended;
    if (state == QLatin1String("COMPLETED"))
        return exitCode > 0 ? StateClass::Failed : StateClass::Succeeded;
    if (failed.contains(state))
        return StateClass::Failed;
    if (state == QLatin1String("CANCELLED"))
        return StateClass::Cancelled;
    if (state == QLatin1String("EXITED")) { // a process on a host without a scheduler
        if (exitCode == 0)
            return StateClass::Succeeded;
        return exitCode > 0 ? StateClass::Failed : StateClass::Finished;
    }
    return StateClass::Unknown;
}

StateClass classifyJob(const JobInfo &job)
{
    return classifyJobState(job.state, job.exitCode);
}

StateClass classifyTaskState(const QString &state, int exitCode)
{
    if (state.isEmpty())
        return StateClass::NotStarted;
    if (state == QLatin1String("running"))
        return StateClass::Running;
    if (state == QLatin1String("completed"))
        return exitCode > 0 ? StateClass::Failed : StateClass::Succeeded;
    if (state == QLatin1String("failed"))
        return StateClass::Failed;
    if (state == QLatin1String("cancelled"))
        return StateClass::Cancelled;
    if (state == QLatin1String("pending") || state == QLatin1String("submitted"))
        return StateClass::Pending;
    return StateClass::Unknown;
}

bool isActiveClass(StateClass c)
{
    return c == StateClass::Pending || c == StateClass::Running || c == StateClass::Suspended;
}

bool isFinishedClass(StateClass c)
{
    return c == StateClass::Succeeded || c == StateClass::Failed || c == StateClass::Cancelled ||
           c == StateClass::Finished;
}

QString stateClassName(StateClass c)
{
    switch (c) {
    case StateClass::Unknown:
        return Format::tr("Unknown");
    case StateClass::NotStarted:
        return Format::tr("Not started");
    case StateClass::Pending:
        return Format::tr("Pending");
    case StateClass::Running:
        return Format::tr("Running");
    case StateClass::Suspended:
        return Format::tr("Suspended");
    case StateClass::Succeeded:
        return Format::tr("Succeeded");
    case StateClass::Failed:
        return Format::tr("Failed");
    case StateClass::Cancelled:
        return Format::tr("Cancelled");
    case StateClass::Finished:
        return Format::tr("Finished");
    }
    return {};
}

Clock systemClock()
{
    return [] { return QDateTime::currentDateTimeUtc(); };
}

QString formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return emDash();
    const qint64 days = seconds / 86400;
    const qint64 hours = (seconds / 3600) % 24;
    const qint64 minutes = (seconds / 60) % 60;
    const qint64 secs = seconds % 60;
    const auto two = [](qint64 v) { return QStringLiteral("%1").arg(v, 2, 10, QLatin1Char('0')); };
    if (days > 0)
        return QStringLiteral("%1-%2:%3:%4").arg(days).arg(two(hours), two(minutes), two(secs));
    if (hours > 0)
        return QStringLiteral("%1:%2:%3").arg(hours).arg(two(minutes), two(secs));
    return QStringLiteral("%1:%2").arg(two(minutes), two(secs));
}

namespace {

// "12 min", "3 h 5 min", "2 d": the magnitude of a span, rounded to what matters.
QString span(qint64 s)
{
    if (s < 60)
        return Format::tr("%1 s").arg(s);
    if (s < 90 * 60)
        return Format::tr("%1 min").arg((s + 30) / 60);
    if (s < 10 * 3600) {
        const qint64 m = (s + 30) / 60;
        if (m % 60 == 0)
            return Format::tr("%1 h").arg(m / 60);
        return Format::tr("%1 h %2 min").arg(m / 60).arg(m % 60);
    }
    if (s < 48 * 3600)
        return Format::tr("%1 h").arg((s + 1800) / 3600);
    return Format::tr("%1 d").arg((s + 43200) / 86400);
}

} // namespace

QString formatRelative(const QDateTime &when, const QDateTime &now)
{
    if (!when.isValid() || !now.isValid())
        return emDash();
    const qint64 d = now.secsTo(when);
    if (d > -5 && d < 5)
        return Format::tr("now");
    if (d > 0)
        return Format::tr("in %1").arg(span(d));
    return Format::tr("%1 ago").arg(span(-d));
}

QString formatAge(qint64 seconds)
{
    if (seconds < 0)
        return emDash();
    return span(seconds);
}

QString formatDateTime(const QDateTime &when)
{
    if (!when.isValid())
        return emDash();
    return QLocale().toString(when.toLocalTime(), QLocale::ShortFormat);
}

} // namespace vigil
