// SPDX-License-Identifier: GPL-3.0-or-later
#include "ctloutput.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
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

} // namespace vigil::ctl
