// SPDX-License-Identifier: GPL-3.0-or-later
#include "ctloutput.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vigil::ctl {

namespace {

bool isControl(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

QString escaped(const QString &text, bool keepLayout)
{
    qsizetype i = 0;
    while (i < text.size() && !isControl(text[i].unicode()))
        ++i;
    if (i == text.size())
        return text; // the usual case: nothing to do
    QString out = text.left(i);
    for (; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (!isControl(c) || (keepLayout && (c == u'\n' || c == u'\t')))
            out += text[i];
        else if (c == u'\n')
            out += QLatin1String("\\n");
        else if (c == u'\t')
            out += QLatin1String("\\t");
        else if (c == u'\r')
            out += QLatin1String("\\r");
        else if (c == 0x1b)
            out += QLatin1String("\\e");
        else
            out += QStringLiteral("\\x%1").arg(unsigned(c), 2, 16, QLatin1Char('0'));
    }
    return out;
}

} // namespace

QString printable(const QString &text)
{
    return escaped(text, false);
}

void out(const QString &line)
{
    std::fputs(escaped(line, true).toLocal8Bit().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void outJson(const QJsonDocument &document)
{
    // Compact JSON escapes C0 itself; DEL and C1 characters stay as they are
    // (JSON strings may hold them): the document must stay exact.
    std::fputs(document.toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void diagnostic(const QString &line)
{
    std::fprintf(stderr, "%s\n", escaped(line, true).toLocal8Bit().constData());
}

void err(const QString &message)
{
    std::fprintf(stderr, "vigilctl: %s\n", escaped(message, true).toLocal8Bit().constData());
}

QString orDash(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("-") : s;
}

QString formatSeconds(qint64 s)
{
    if (s < 0)
        return QStringLiteral("-");
    const qint64 d = s / 86400, h = (s / 3600) % 24, m = (s / 60) % 60, sec = s % 60;
    QString t = QStringLiteral("%1:%2:%3")
                    .arg(h, 2, 10, QLatin1Char('0'))
                    .arg(m, 2, 10, QLatin1Char('0'))
                    .arg(sec, 2, 10, QLatin1Char('0'));
    return d > 0 ? QString::number(d) + QLatin1Char('-') + t : t;
}

QString siteAddress(const SiteSpec &site)
{
    if (site.kind == SiteSpec::Kind::Local)
        return QStringLiteral("local");
    QString a = site.host;
    if (!site.user.isEmpty())
        a = site.user + QLatin1Char('@') + a;
    if (site.port > 0)
        a += QLatin1Char(':') + QString::number(site.port);
    return a;
}

QJsonObject siteJson(const SiteSpec &site, const QString &source)
{
    return QJsonObject{
        {QStringLiteral("name"), site.name},
        {QStringLiteral("kind"), siteKindName(site.kind)},
        {QStringLiteral("host"), site.host},
        {QStringLiteral("user"), site.user},
        {QStringLiteral("port"), site.port},
        {QStringLiteral("identity_file"), site.identityFile},
        {QStringLiteral("known_hosts"), site.knownHostsFile},
        {QStringLiteral("proxy_jump"), site.proxyJump},
        {QStringLiteral("run_root"), site.runRoot},
        {QStringLiteral("partition"), site.partition},
        {QStringLiteral("account"), site.account},
        {QStringLiteral("poll_interval"),
         site.pollSeconds > 0 ? site.pollSeconds : SiteSpec::kDefaultPollSeconds},
        {QStringLiteral("source"), source},
    };
}

namespace {
qsizetype gateCount(const Workflow &wf)
{
    return std::count_if(wf.tasks.cbegin(), wf.tasks.cend(),
                         [](const TaskSpec &t) { return t.isGate(); });
}
} // namespace

QStringList workflowCheckLines(const WorkflowCheck &check)
{
    if (check.ok()) {
        const Workflow &wf = check.workflow;
        return {QStringLiteral("%1: ok: %2 tasks (%3 gates), %4 sites")
                    .arg(wf.sourcePath)
                    .arg(wf.tasks.size())
                    .arg(gateCount(wf))
                    .arg(wf.sites.size())};
    }
    QStringList lines;
    for (const WorkflowProblem &p : check.problems)
        lines << p.toString();
    return lines;
}

QJsonObject workflowCheckJson(const WorkflowCheck &check)
{
    QJsonArray problems;
    for (const WorkflowProblem &p : check.problems)
        problems.append(QJsonObject{{QStringLiteral("line"), p.line},
                                    {QStringLiteral("column"), p.column},
                                    {QStringLiteral("message"), p.message}});
    const Workflow &wf = check.workflow;
    return QJsonObject{{QStringLiteral("file"), wf.sourcePath},
                       {QStringLiteral("ok"), check.ok()},
                       {QStringLiteral("tasks"), int(wf.tasks.size())},
                       {QStringLiteral("gates"), int(gateCount(wf))},
                       {QStringLiteral("sites"), int(wf.sites.size())},
                       {QStringLiteral("problems"), problems}};
}

namespace {
// Tab-separated fields, each escaped (they hold anyone's text).
QString printableLine(QStringList fields)
{
    for (QString &f : fields)
        f = printable(f);
    return fields.join(QLatin1Char('\t'));
}
} // namespace

QJsonObject jobJson(const JobInfo &j)
{
    return QJsonObject{{QStringLiteral("site"), j.site},
                       {QStringLiteral("job"), j.jobId},
                       {QStringLiteral("state"), j.state},
                       {QStringLiteral("reason"), j.reason},
                       {QStringLiteral("run"), j.runId},
                       {QStringLiteral("task"), j.task},
                       {QStringLiteral("name"), j.name},
                       {QStringLiteral("exit_code"), j.exitCode},
                       {QStringLiteral("elapsed"), j.elapsedSeconds},
                       {QStringLiteral("time_left"), j.timeLeftSeconds}};
}

QString jobLine(const JobInfo &j)
{
    // squeue's fields (a job's name, its reason) are anyone's text.
    QStringList fields{j.site,
                       j.jobId,
                       j.state,
                       orDash(j.reason),
                       formatSeconds(j.elapsedSeconds),
                       formatSeconds(j.timeLeftSeconds),
                       j.runId.isEmpty() ? QStringLiteral("-")
                                         : j.runId + QLatin1Char('/') + j.task,
                       j.name};
    return printableLine(std::move(fields));
}

QString isoTime(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

QString isoOrDash(const QDateTime &t)
{
    return orDash(isoTime(t));
}

QJsonObject paramJson(const CheckpointParam &p)
{
    return QJsonObject{{QStringLiteral("name"), p.name},
                       {QStringLiteral("label"), p.label},
                       {QStringLiteral("type"), p.type},
                       {QStringLiteral("default"), p.defaultValue},
                       {QStringLiteral("min"), p.min.isUndefined() ? QJsonValue() : p.min},
                       {QStringLiteral("max"), p.max.isUndefined() ? QJsonValue() : p.max},
                       {QStringLiteral("choices"), QJsonArray::fromStringList(p.choices)}};
}

namespace {
// A JSON value as JSON writes it: 0.001, true, "fast" (a number in its
// shortest form, without an exponent for 0.0001).
QString jsonText(const QJsonValue &v)
{
    if (v.isDouble()) {
        const double d = v.toDouble(), a = std::abs(d);
        const bool plain = a == 0 || (a >= 1e-6 && a < 1e15);
        return QString::number(d, plain ? 'f' : 'g', QLocale::FloatingPointShortest);
    }
    const QByteArray a = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(a.mid(1, a.size() - 2));
}
} // namespace

QString paramsText(const QJsonObject &params)
{
    QStringList parts;
    for (auto it = params.constBegin(); it != params.constEnd(); ++it)
        parts << it.key() + QLatin1Char('=') + jsonText(it.value());
    return parts.isEmpty() ? QStringLiteral("-") : parts.join(QLatin1Char(' '));
}

QString declaredParamsText(const QList<CheckpointParam> &params)
{
    QStringList parts;
    for (const CheckpointParam &p : params) {
        QString s =
            p.name + QLatin1Char(':') + p.type + QLatin1Char('=') + jsonText(p.defaultValue);
        if (!p.choices.isEmpty())
            s += QLatin1Char('{') + p.choices.join(QLatin1Char('|')) + QLatin1Char('}');
        if (!p.min.isNull() || !p.max.isNull())
            s += QStringLiteral("[%1..%2]")
                     .arg(p.min.isNull() ? QString() : jsonText(p.min),
                          p.max.isNull() ? QString() : jsonText(p.max));
        parts << s;
    }
    return parts.isEmpty() ? QStringLiteral("-") : parts.join(QLatin1Char(' '));
}

QJsonObject checkpointJson(const CheckpointInfo &c)
{
    QStringList opts;
    for (const CheckpointOption &o : c.options)
        opts << (o.isDefault ? o.name + QLatin1Char('*') : o.name);
    QJsonArray params;
    for (const CheckpointParam &p : c.params)
        params << paramJson(p);
    return QJsonObject{{QStringLiteral("site"), c.site},
                       {QStringLiteral("run"), c.runId},
                       {QStringLiteral("id"), c.id},
                       {QStringLiteral("task"), c.task},
                       {QStringLiteral("status"), checkpointStatusName(c.status)},
                       {QStringLiteral("title"), c.title},
                       {QStringLiteral("options"), QJsonArray::fromStringList(opts)},
                       {QStringLiteral("params"), params},
                       {QStringLiteral("created_at"), isoTime(c.createdAt)},
                       {QStringLiteral("deadline"), isoTime(c.deadline)},
                       {QStringLiteral("decided_by"), c.decidedBy},
                       {QStringLiteral("option"), c.decidedOption},
                       {QStringLiteral("decided_params"), c.decidedParams},
                       {QStringLiteral("decided_at"), isoTime(c.decidedAt)},
                       {QStringLiteral("outcome"), c.outcome},
                       {QStringLiteral("problem"), c.problem}};
}

QString checkpointLine(const CheckpointInfo &c, bool withSite)
{
    QStringList opts;
    for (const CheckpointOption &o : c.options)
        opts << (o.isDefault ? o.name + QLatin1Char('*') : o.name);
    // Titles, options, params, deciders, the job's outcome (several lines, any
    // text) and problems come from the run directory: every field is escaped.
    QStringList fields{c.runId,
                       c.id,
                       checkpointStatusName(c.status),
                       opts.join(QLatin1Char(',')),
                       declaredParamsText(c.params),
                       c.title};
    if (withSite)
        fields.prepend(c.site);
    if (!c.decidedOption.isEmpty())
        fields << QStringLiteral("[%1 by %2%3]")
                      .arg(c.decidedOption, c.decidedBy,
                           c.decidedParams.isEmpty()
                               ? QString()
                               : QStringLiteral(", ") + paramsText(c.decidedParams));
    if (!c.outcome.isEmpty())
        fields << QStringLiteral("[applied: %1]").arg(c.outcome);
    if (!c.problem.isEmpty())
        fields << QStringLiteral("[%1]").arg(c.problem);
    return printableLine(std::move(fields));
}

QJsonObject taskStatusJson(const QString &site, const TaskRunInfo &t, const JobInfo *job)
{
    return QJsonObject{
        {QStringLiteral("name"), t.name},
        {QStringLiteral("site"), site},
        {QStringLiteral("state"), t.state},
        {QStringLiteral("job"), !t.jobId.isEmpty() ? t.jobId : (job ? job->jobId : QString())},
        {QStringLiteral("host"), t.host},
        {QStringLiteral("exit_code"), t.exitCode >= 0 ? t.exitCode : (job ? job->exitCode : -1)},
        {QStringLiteral("started_at"), isoTime(t.startedAt)},
        {QStringLiteral("ended_at"), isoTime(t.endedAt)},
        {QStringLiteral("scheduler_state"), job ? job->state : QString()},
        {QStringLiteral("reason"), job ? job->reason : QString()},
        {QStringLiteral("elapsed"), job ? job->elapsedSeconds : qint64(-1)},
        {QStringLiteral("time_left"), job ? job->timeLeftSeconds : qint64(-1)}};
}

QString taskStatusLine(const QString &site, const TaskRunInfo &t, const JobInfo *job)
{
    const QJsonObject o = taskStatusJson(site, t, job);
    const int exitCode = o.value(QStringLiteral("exit_code")).toInt();
    QString scheduler = job ? job->state : QString();
    if (job && !job->reason.isEmpty() && job->reason != QLatin1String("None"))
        scheduler += QStringLiteral(" (%1)").arg(job->reason);
    QStringList fields{t.name,
                       site,
                       orDash(t.state),
                       orDash(o.value(QStringLiteral("job")).toString()),
                       orDash(scheduler),
                       exitCode >= 0 ? QString::number(exitCode) : QStringLiteral("-"),
                       isoOrDash(t.startedAt),
                       isoOrDash(t.endedAt)};
    return printableLine(std::move(fields));
}

QJsonObject auditJson(const AuditEntry &e)
{
    return QJsonObject{
        {QStringLiteral("decision_id"), e.decisionId},
        {QStringLiteral("site"), e.site},
        {QStringLiteral("run"), e.runId},
        {QStringLiteral("checkpoint"), e.checkpointId},
        {QStringLiteral("option"), e.option},
        {QStringLiteral("params"), QJsonDocument::fromJson(e.params.toUtf8()).object()},
        {QStringLiteral("comment"), e.comment},
        {QStringLiteral("decided_by"), e.decidedBy},
        {QStringLiteral("client_host"), e.clientHost},
        {QStringLiteral("evidence_sha256"), e.evidenceSha256},
        {QStringLiteral("decided_at"), isoTime(e.decidedAt)},
        {QStringLiteral("confirmed_at"), isoTime(e.confirmedAt)}};
}

QString auditLine(const AuditEntry &e)
{
    // The comment is anyone's text, the rest came through a run directory.
    QStringList fields{isoOrDash(e.decidedAt),
                       e.site,
                       e.checkpointId,
                       e.option,
                       paramsText(QJsonDocument::fromJson(e.params.toUtf8()).object()),
                       e.decidedBy + QLatin1Char('@') + e.clientHost,
                       orDash(e.evidenceSha256),
                       orDash(e.comment)};
    return printableLine(std::move(fields));
}

} // namespace vigil::ctl
