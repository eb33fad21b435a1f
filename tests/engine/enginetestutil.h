// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for the engine tests: small workflows built in code, compact
// descriptions of records, jobs and markers for data rows; await() (from
// sshtesthelpers.h) for the asynchronous site and transport calls.

#include "../ssh/sshtesthelpers.h"
#include "engine/taskstate.h"

#include <QDateTime>

namespace vigil::enginetest {

inline const QDateTime kT0 = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);

using vigil::test::await;

inline SiteSpec site(const QString &name, SiteSpec::Kind kind)
{
    SiteSpec s;
    s.name = name;
    s.kind = kind;
    return s;
}

inline TaskSpec job(const QString &name, const QString &site, const QStringList &after = {})
{
    TaskSpec t;
    t.name = name;
    t.site = site;
    t.after = after;
    t.command = {QStringLiteral("true")};
    return t;
}

// A gate with options "NAME:enabled1+enabled2/skipped1+skipped2".
inline TaskSpec gate(const QString &name, const QStringList &after, const QStringList &options)
{
    TaskSpec t;
    t.name = name;
    t.kind = TaskSpec::Kind::Gate;
    t.after = after;
    t.gate.question = QStringLiteral("Go on?");
    for (const QString &o : options) {
        GateOption opt;
        opt.name = o.section(QLatin1Char(':'), 0, 0);
        const QString rest = o.section(QLatin1Char(':'), 1);
        opt.enables =
            rest.section(QLatin1Char('/'), 0, 0).split(QLatin1Char('+'), Qt::SkipEmptyParts);
        opt.skips = rest.section(QLatin1Char('/'), 1).split(QLatin1Char('+'), Qt::SkipEmptyParts);
        t.gate.options << opt;
    }
    return t;
}

// "ATTEMPT:JOBID[:retry|resubmit]" comma-separated; submitted at kT0 + 100 s * attempt.
inline engine::TaskRecord attempts(const QString &spec, const QString &siteName)
{
    engine::TaskRecord r;
    for (const QString &a : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList f = a.split(QLatin1Char(':'));
        engine::AttemptRecord rec;
        rec.attempt = f.value(0).toInt();
        rec.jobId = f.value(1);
        rec.site = siteName;
        rec.submittedAt = kT0.addSecs(100 * rec.attempt);
        if (f.value(2) == QLatin1String("retry"))
            rec.reason = engine::AttemptRecord::Reason::Retry;
        else if (f.value(2) == QLatin1String("resubmit"))
            rec.reason = engine::AttemptRecord::Reason::Resubmit;
        r.attempts << rec;
    }
    return r;
}

// "ID=STATE[/REASON[/EXIT]]" semicolon-separated; "123_4" is element 4 of array 123.
inline QList<JobInfo> jobs(const QString &spec, const QString &siteName)
{
    QList<JobInfo> out;
    for (const QString &j : spec.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        JobInfo info;
        info.site = siteName;
        info.jobId = j.section(QLatin1Char('='), 0, 0);
        const QStringList f = j.section(QLatin1Char('='), 1).split(QLatin1Char('/'));
        info.state = f.value(0);
        info.reason = f.value(1);
        info.exitCode = f.size() > 2 ? f.value(2).toInt() : -1;
        if (info.jobId.contains(QLatin1Char('_'))) {
            info.arrayJobId = info.jobId.section(QLatin1Char('_'), 0, 0);
            info.arrayTaskId = info.jobId.section(QLatin1Char('_'), 1);
        }
        out << info;
    }
    return out;
}

// "JOBID|STATE|EXIT|START" comma-separated (START: seconds after kT0; JOBID may be empty).
inline QList<engine::TaskMarker> markers(const QString &spec)
{
    QList<engine::TaskMarker> out;
    for (const QString &m : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList f = m.split(QLatin1Char('|'));
        engine::TaskMarker marker;
        marker.jobId = f.value(0);
        marker.state = f.value(1);
        marker.exitCode = f.value(2).isEmpty() ? -1 : f.value(2).toInt();
        marker.startedAt = kT0.addSecs(f.value(3).toInt());
        if (marker.state != QLatin1String("running"))
            marker.endedAt = marker.startedAt.addSecs(10);
        out << marker;
    }
    return out;
}

} // namespace vigil::enginetest
