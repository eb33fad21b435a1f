// SPDX-License-Identifier: GPL-3.0-or-later
#include "ctlcommands.h"

#include "engine/launcher.h"
#include "sites/site.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <memory>

namespace vigil::ctl {

namespace {

void out(const QString &line)
{
    std::fputs(line.toLocal8Bit().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
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

constexpr qint64 kMaxEvidenceBytes = 64 * 1024 * 1024;

} // namespace

void addOptions(QCommandLineParser &p)
{
    p.addOptions({
        {{QStringLiteral("F"), QStringLiteral("ssh-config")},
         QStringLiteral("ssh_config file to read instead of ~/.ssh/config."),
         QStringLiteral("file")},
        {QStringLiteral("accept-new-host-key"),
         QStringLiteral("Trust and record the host key of a server not yet in known_hosts "
                        "(a changed key is always refused).")},
        {QStringLiteral("run"), QStringLiteral("Run id."), QStringLiteral("id")},
        {QStringLiteral("checkpoint"), QStringLiteral("Checkpoint id."), QStringLiteral("id")},
        {QStringLiteral("option"), QStringLiteral("Option to choose."), QStringLiteral("name")},
        {QStringLiteral("comment"), QStringLiteral("Comment stored with the decision."),
         QStringLiteral("text")},
        {QStringLiteral("task"), QStringLiteral("Task name."), QStringLiteral("name")},
        {QStringLiteral("timeout"), QStringLiteral("Give up after this many seconds (wait)."),
         QStringLiteral("seconds"), QStringLiteral("600")},
        {QStringLiteral("poll"), QStringLiteral("Seconds between refreshes (wait)."),
         QStringLiteral("seconds"), QStringLiteral("2")},
        {QStringLiteral("all"), QStringLiteral("checkpoints: list decided ones too.")},
        {QStringLiteral("job"), QStringLiteral("Job id (cancel)."), QStringLiteral("id")},
        {QStringLiteral("site"), QStringLiteral("Site name (cancel; default: the only site)."),
         QStringLiteral("name")},
        {QStringLiteral("json"), QStringLiteral("Machine-readable output.")},
        // No short form: -v is --version (QCommandLineParser::addVersionOption).
        {QStringLiteral("verbose"),
         QStringLiteral("Print the developer log (connections, submissions) on stderr.")},
    });
}

Command::Command(const QCommandLineParser &parser, QString name, QString workflowPath,
                 QObject *parent)
    : QObject(parent), m_parser(parser), m_name(std::move(name)),
      m_workflowPath(std::move(workflowPath))
{
    m_deadline.setSingleShot(true);
}

QString Command::option(const QString &name) const
{
    return m_parser.value(name);
}

void Command::finish(int code)
{
    Q_EMIT finished(code);
}

void Command::fail(const QString &message, int code)
{
    std::fprintf(stderr, "vigilctl: %s\n", message.toLocal8Bit().constData());
    finish(code);
}

void Command::run()
{
    static const QStringList known{QStringLiteral("validate"),    QStringLiteral("launch"),
                                   QStringLiteral("jobs"),        QStringLiteral("runs"),
                                   QStringLiteral("checkpoints"), QStringLiteral("decide"),
                                   QStringLiteral("wait"),        QStringLiteral("cancel")};
    if (!known.contains(m_name)) {
        fail(QStringLiteral("unknown command \"%1\" (see --help)").arg(m_name), Usage);
        return;
    }
    auto wf = loadWorkflow(m_workflowPath);
    if (!wf) {
        fail(wf.errorString());
        return;
    }
    m_workflow = *wf;
    if (m_name == QLatin1String("validate")) {
        out(QStringLiteral("%1: valid workflow \"%2\" with %3 task(s) on %4 site(s)")
                .arg(m_workflowPath, m_workflow.name)
                .arg(m_workflow.tasks.size())
                .arg(m_workflow.sites.size()));
        finish(Ok);
        return;
    }
    SupervisorOptions opts;
    opts.sshConfigFile = option(QStringLiteral("ssh-config"));
    opts.hostKeyPolicy = m_parser.isSet(QStringLiteral("accept-new-host-key"))
                             ? HostKeyPolicy::AcceptNew
                             : HostKeyPolicy::Strict;
    opts.pollSeconds = std::max(1, option(QStringLiteral("poll")).toInt());
    m_supervisor = new Supervisor(opts, this);
    for (const SiteSpec &s : std::as_const(m_workflow.sites))
        m_supervisor->addSite(s);

    if (m_name == QLatin1String("launch"))
        doLaunch();
    else if (m_name == QLatin1String("jobs"))
        refreshAll([this] { doJobs(); });
    else if (m_name == QLatin1String("runs"))
        refreshAll([this] { doRuns(); });
    else if (m_name == QLatin1String("checkpoints"))
        refreshAll([this] { doCheckpoints(); });
    else if (m_name == QLatin1String("decide"))
        doDecide();
    else if (m_name == QLatin1String("wait"))
        doWait();
    else if (m_name == QLatin1String("cancel"))
        doCancel();
}

// One refresh of every site; fails on the first site that cannot be read.
void Command::refreshAll(std::function<void()> then)
{
    auto remaining = std::make_shared<QSet<QString>>();
    for (const SiteSpec &s : std::as_const(m_workflow.sites))
        remaining->insert(s.name);
    if (remaining->isEmpty()) {
        then();
        return;
    }
    auto conn = std::make_shared<QMetaObject::Connection>();
    *conn = connect(m_supervisor, &Supervisor::refreshed, this,
                    [this, remaining, conn, then](const QString &site, bool ok) {
                        if (!remaining->remove(site))
                            return;
                        if (!ok) {
                            disconnect(*conn);
                            fail(QStringLiteral("site %1: %2")
                                     .arg(site, m_supervisor->siteStatus(site).lastError));
                            return;
                        }
                        if (remaining->isEmpty()) {
                            disconnect(*conn);
                            then();
                        }
                    });
    m_supervisor->refresh();
}

void Command::doLaunch()
{
    auto *launcher = new Launcher(m_supervisor, m_workflow, this);
    connect(launcher, &Launcher::progress, this,
            [](const QString &m) { std::fprintf(stderr, "%s\n", m.toLocal8Bit().constData()); });
    launcher->start(option(QStringLiteral("run")), [this](Result<LaunchResult> r) {
        if (!r) {
            fail(r.errorString());
            return;
        }
        if (m_parser.isSet(QStringLiteral("json"))) {
            QJsonObject jobs;
            for (auto it = r->jobIds.cbegin(); it != r->jobIds.cend(); ++it)
                jobs.insert(it.key(), it.value());
            out(QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("run"), r->runId},
                                                            {QStringLiteral("jobs"), jobs}})
                                      .toJson(QJsonDocument::Compact)));
        } else {
            out(QStringLiteral("run %1").arg(r->runId));
            for (auto it = r->jobIds.cbegin(); it != r->jobIds.cend(); ++it)
                out(QStringLiteral("task %1 job %2").arg(it.key(), it.value()));
        }
        finish(Ok);
    });
}

void Command::doJobs()
{
    const bool json = m_parser.isSet(QStringLiteral("json"));
    QJsonArray arr;
    if (!json)
        out(QStringLiteral("SITE\tJOB\tSTATE\tREASON\tELAPSED\tLEFT\tRUN/TASK\tNAME"));
    for (const JobInfo &j : m_supervisor->jobs()) {
        if (json) {
            arr << QJsonObject{{QStringLiteral("site"), j.site},
                               {QStringLiteral("job"), j.jobId},
                               {QStringLiteral("state"), j.state},
                               {QStringLiteral("reason"), j.reason},
                               {QStringLiteral("run"), j.runId},
                               {QStringLiteral("task"), j.task},
                               {QStringLiteral("name"), j.name},
                               {QStringLiteral("exit_code"), j.exitCode},
                               {QStringLiteral("elapsed"), j.elapsedSeconds}};
            continue;
        }
        out(QStringList{
            j.site, j.jobId, j.state, orDash(j.reason), formatSeconds(j.elapsedSeconds),
            formatSeconds(j.timeLeftSeconds),
            j.runId.isEmpty() ? QStringLiteral("-") : j.runId + QLatin1Char('/') + j.task, j.name}
                .join(QLatin1Char('\t')));
    }
    if (json)
        out(QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Compact)));
    finish(Ok);
}

void Command::doRuns()
{
    for (const RunInfo &r : m_supervisor->runs()) {
        out(QStringLiteral("%1\t%2\t%3").arg(r.site, r.runId, r.workflowName));
        for (const TaskRunInfo &t : r.tasks)
            out(QStringLiteral("  task %1\t%2\tjob %3\texit %4")
                    .arg(t.name, orDash(t.state), orDash(t.jobId),
                         t.exitCode >= 0 ? QString::number(t.exitCode) : QStringLiteral("-")));
        for (const QString &p : r.problems)
            out(QStringLiteral("  problem: %1").arg(p));
    }
    finish(Ok);
}

void Command::doCheckpoints()
{
    const bool all = m_parser.isSet(QStringLiteral("all"));
    const QString runFilter = option(QStringLiteral("run"));
    const bool json = m_parser.isSet(QStringLiteral("json"));
    QJsonArray arr;
    if (!json)
        out(QStringLiteral("SITE\tRUN\tCHECKPOINT\tSTATUS\tOPTIONS\tTITLE"));
    for (const CheckpointInfo &c : m_supervisor->checkpoints()) {
        if (!all && c.status != CheckpointInfo::Status::Pending &&
            c.status != CheckpointInfo::Status::Broken)
            continue;
        if (!runFilter.isEmpty() && c.runId != runFilter)
            continue;
        QStringList opts;
        for (const CheckpointOption &o : c.options)
            opts << (o.isDefault ? o.name + QLatin1Char('*') : o.name);
        const QString status = checkpointStatusName(c.status);
        if (json) {
            arr << QJsonObject{{QStringLiteral("site"), c.site},
                               {QStringLiteral("run"), c.runId},
                               {QStringLiteral("id"), c.id},
                               {QStringLiteral("status"), status},
                               {QStringLiteral("title"), c.title},
                               {QStringLiteral("options"), QJsonArray::fromStringList(opts)},
                               {QStringLiteral("decided_by"), c.decidedBy},
                               {QStringLiteral("option"), c.decidedOption},
                               {QStringLiteral("outcome"), c.outcome},
                               {QStringLiteral("problem"), c.problem}};
            continue;
        }
        QString line =
            QStringList{c.site, c.runId, c.id, status, opts.join(QLatin1Char(',')), c.title}.join(
                QLatin1Char('\t'));
        if (!c.decidedOption.isEmpty())
            line += QStringLiteral("\t[%1 by %2]").arg(c.decidedOption, c.decidedBy);
        if (!c.outcome.isEmpty())
            line += QStringLiteral("\t[applied: %1]").arg(c.outcome);
        if (!c.problem.isEmpty())
            line += QStringLiteral("\t[%1]").arg(c.problem);
        out(line);
    }
    if (json)
        out(QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Compact)));
    finish(Ok);
}

void Command::doDecide()
{
    const QString run = option(QStringLiteral("run"));
    const QString cp = option(QStringLiteral("checkpoint"));
    const QString opt = option(QStringLiteral("option"));
    if (run.isEmpty() || cp.isEmpty() || opt.isEmpty()) {
        fail(QStringLiteral("decide needs --run, --checkpoint and --option"), Usage);
        return;
    }
    refreshAll([this, run, cp, opt] {
        // Find the checkpoint on whichever site holds the run.
        std::optional<CheckpointInfo> found;
        for (const CheckpointInfo &c : m_supervisor->checkpoints())
            if (c.runId == run && c.id == cp)
                found = c;
        if (!found) {
            fail(QStringLiteral("no checkpoint \"%1\" in run \"%2\" on the workflow's sites")
                     .arg(cp, run));
            return;
        }
        const CheckpointInfo c = *found;
        // The evidence: the metric files as the decider's tool read them now.
        auto hash = std::make_shared<QCryptographicHash>(QCryptographicHash::Sha256);
        auto files = std::make_shared<QStringList>();
        for (const MetricRef &m : c.metrics)
            *files << m.file;
        auto sendDecision = [this, c, opt, hash] {
            DecisionInput in{c.site,
                             c.runId,
                             c.id,
                             opt,
                             option(QStringLiteral("comment")),
                             QString::fromLatin1(hash->result().toHex())};
            m_supervisor->decide(in, this, [this, c](Result<DecisionOutcome> r) {
                if (!r) {
                    fail(r.errorString());
                    return;
                }
                if (!r->won) {
                    out(QStringLiteral("checkpoint %1 was already decided by %2 at %3: option %4")
                            .arg(c.id, r->decidedBy, r->decidedAt.toString(Qt::ISODate),
                                 r->option));
                    finish(Lost);
                    return;
                }
                out(QStringLiteral("decision \"%1\" written for %2/%3/%4")
                        .arg(r->option, c.site, c.runId, c.id));
                finish(Ok);
            });
        };
        auto next = std::make_shared<std::function<void()>>();
        *next = [this, c, files, hash, next, sendDecision] {
            if (files->isEmpty()) {
                *next = nullptr; // break the cycle
                sendDecision();
                return;
            }
            const QString f = files->takeFirst();
            m_supervisor->readRunFile(c.site, c.runId, f, kMaxEvidenceBytes, this,
                                      [this, f, hash, next](Result<QByteArray> data) {
                                          if (!data) {
                                              fail(QStringLiteral("cannot read the evidence %1: %2")
                                                       .arg(f, data.errorString()));
                                              return;
                                          }
                                          hash->addData(f.toUtf8());
                                          hash->addData(QByteArrayView("\0", 1));
                                          hash->addData(*data);
                                          (*next)();
                                      });
        };
        (*next)();
    });
}

void Command::doWait()
{
    const QString run = option(QStringLiteral("run"));
    const QString task = option(QStringLiteral("task"));
    if (run.isEmpty() || task.isEmpty()) {
        fail(QStringLiteral("wait needs --run and --task"), Usage);
        return;
    }
    m_deadline.setInterval(std::max(1, option(QStringLiteral("timeout")).toInt()) * 1000);
    connect(&m_deadline, &QTimer::timeout, this, [this, run, task] {
        fail(QStringLiteral("task %1 of run %2 has not ended in time").arg(task, run), TimedOut);
    });
    m_deadline.start();
    connect(m_supervisor, &Supervisor::refreshed, this, [this, run, task](const QString &, bool) {
        for (const RunInfo &r : m_supervisor->runs()) {
            if (r.runId != run)
                continue;
            for (const TaskRunInfo &t : r.tasks) {
                if (t.name != task)
                    continue;
                if (t.state == QLatin1String("completed") || t.state == QLatin1String("failed")) {
                    m_deadline.stop();
                    out(QStringLiteral("task %1 %2 (exit %3)").arg(task, t.state).arg(t.exitCode));
                    finish(t.state == QLatin1String("completed") ? Ok : Failed);
                    return;
                }
            }
        }
        // A job that ended without its task ever reporting (cancelled while
        // pending, killed by the scheduler before the helper ran).
        for (const JobInfo &j : m_supervisor->jobs()) {
            // EXITED (a process site) is final only once the run directory
            // says how it ended: the next cycle tells.
            if (j.runId == run && j.task == task && j.isFinished() &&
                j.state != QLatin1String("COMPLETED") && j.state != QLatin1String("EXITED")) {
                bool reported = false;
                for (const RunInfo &r : m_supervisor->runs())
                    for (const TaskRunInfo &t : r.tasks)
                        reported = reported || (r.runId == run && t.name == task &&
                                                (t.state == QLatin1String("completed") ||
                                                 t.state == QLatin1String("failed")));
                if (!reported) {
                    m_deadline.stop();
                    out(QStringLiteral("task %1 job %2 ended %3").arg(task, j.jobId, j.state));
                    finish(Failed);
                    return;
                }
            }
        }
    });
    m_supervisor->start();
}

void Command::doCancel()
{
    const QString job = option(QStringLiteral("job"));
    QString site = option(QStringLiteral("site"));
    if (site.isEmpty() && m_workflow.sites.size() == 1)
        site = m_workflow.sites.first().name;
    if (job.isEmpty() || site.isEmpty()) {
        fail(QStringLiteral("cancel needs --job (and --site when the workflow has several sites)"),
             Usage);
        return;
    }
    m_supervisor->cancelJob(site, job, this, [this, site, job](Result<void> r) {
        if (!r) {
            fail(r.errorString());
            return;
        }
        out(QStringLiteral("cancelled job %1 on %2").arg(job, site));
        finish(Ok);
    });
}

} // namespace vigil::ctl
