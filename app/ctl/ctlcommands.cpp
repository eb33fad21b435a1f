// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl: the commands about workflows, runs, jobs and checkpoints. The
// site commands are in ctlsites.cpp.
#include "ctlcommands.h"

#include "ctloutput.h"
#include "engine/launcher.h"
#include "protocol/ids.h"
#include "sites/site.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <memory>

namespace vigil::ctl {

namespace {

constexpr qint64 kMaxEvidenceBytes = 64 * 1024 * 1024;

// Why `value` (an option's value) breaks the id rule, naming it escaped; ""
// when it is a valid id.
QString idProblem(const QString &value, std::string_view what)
{
    const auto r = protocol::validateId(value.toStdString(), what);
    return r ? QString() : QString::fromStdString(r.errorString());
}

} // namespace

Command::Command(const QCommandLineParser &parser, QStringList args, QObject *parent)
    : QObject(parent), m_parser(parser), m_args(std::move(args)), m_name(m_args.value(0))
{
    m_deadline.setSingleShot(true);
}

QString Command::option(const QString &name) const
{
    return m_parser.value(name);
}

bool Command::isSet(const QString &name) const
{
    return m_parser.isSet(name);
}

HostKeyPolicy Command::hostKeyPolicy() const
{
    return isSet(QStringLiteral("accept-new-host-key")) ? HostKeyPolicy::AcceptNew
                                                        : HostKeyPolicy::Strict;
}

void Command::finish(int code)
{
    Q_EMIT finished(code);
}

void Command::fail(const QString &message, int code)
{
    err(message);
    finish(code);
}

void Command::run()
{
    if (m_name == QLatin1String("site"))
        runSiteCommand();
    else if (m_name == QLatin1String("helper"))
        runHelperCommand();
    else
        runWorkflowCommand();
}

bool Command::loadWorkflowFile(const QString &path)
{
    auto wf = loadWorkflow(path);
    if (!wf) {
        fail(wf.errorString());
        return false;
    }
    m_workflowPath = path;
    m_workflow = *wf;
    return true;
}

// The registry, once. A broken registry stops the commands that need it; with
// a workflow at hand the others go on with its sites and say why.
bool Command::loadRegistry(bool required)
{
    if (m_registryLoaded)
        return true;
    if (auto r = m_registry.load(); !r) {
        if (required || m_workflowPath.isEmpty()) {
            fail(r.errorString());
            return false;
        }
        err(QStringLiteral("warning: %1 (the registry's sites are left out)").arg(r.errorString()));
        return true;
    }
    m_registryLoaded = true;
    return true;
}

QString Command::whereSitesAre() const
{
    return m_workflowPath.isEmpty() ? QStringLiteral("the site registry %1").arg(m_registry.path())
                                    : QStringLiteral("workflow %1 or the site registry %2")
                                          .arg(m_workflowPath, m_registry.path());
}

// The sites in scope: the workflow's, then the registry's, limited by --site.
bool Command::resolveSites()
{
    if (!loadRegistry(false))
        return false;
    m_sites =
        mergeSites(m_workflow.sites, m_registryLoaded ? m_registry.sites() : QList<SiteSpec>());
    const QString only = option(QStringLiteral("site"));
    if (!only.isEmpty()) {
        QList<SiteSpec> one;
        for (const SiteSpec &s : std::as_const(m_sites))
            if (s.name == only)
                one << s;
        if (one.isEmpty()) {
            fail(QStringLiteral("no site \"%1\" in %2").arg(only, whereSitesAre()));
            return false;
        }
        m_sites = one;
    }
    if (m_sites.isEmpty()) {
        fail(QStringLiteral("no sites: add one with `vigilctl site add NAME --kind ...` (the "
                            "registry is %1) or name a workflow")
                 .arg(m_registry.path()));
        return false;
    }
    return true;
}

void Command::startSupervisor(const QList<SiteSpec> &sites)
{
    SupervisorOptions opts;
    opts.sshConfigFile = option(QStringLiteral("ssh-config"));
    opts.hostKeyPolicy = hostKeyPolicy();
    opts.pollSeconds = std::max(1, option(QStringLiteral("poll")).toInt());
    const bool pollGiven = isSet(QStringLiteral("poll"));
    m_supervisor = new Supervisor(opts, this);
    for (SiteSpec s : sites) {
        if (pollGiven)
            s.pollSeconds = 0; // --poll wins over the sites' own interval
        m_supervisor->addSite(s);
    }
}

void Command::runWorkflowCommand()
{
    static const QStringList known{QStringLiteral("validate"),    QStringLiteral("launch"),
                                   QStringLiteral("jobs"),        QStringLiteral("runs"),
                                   QStringLiteral("checkpoints"), QStringLiteral("decide"),
                                   QStringLiteral("wait"),        QStringLiteral("cancel")};
    if (!known.contains(m_name)) {
        fail(QStringLiteral("unknown command \"%1\" (see --help)").arg(m_name), Usage);
        return;
    }
    // The workflow: the original `COMMAND WORKFLOW` form, or --workflow FILE.
    if (m_args.size() > 2) {
        fail(QStringLiteral("%1: unexpected argument \"%2\" (see --help)").arg(m_name, m_args[2]),
             Usage);
        return;
    }
    QString path = option(QStringLiteral("workflow"));
    if (m_args.size() == 2) {
        if (!path.isEmpty()) {
            fail(QStringLiteral("%1: give the workflow once, as WORKFLOW or with --workflow")
                     .arg(m_name),
                 Usage);
            return;
        }
        path = m_args[1];
    }
    const bool needsWorkflow =
        m_name == QLatin1String("validate") || m_name == QLatin1String("launch");
    if (needsWorkflow && path.isEmpty()) {
        fail(QStringLiteral("%1 needs a workflow file: vigilctl %1 WORKFLOW").arg(m_name), Usage);
        return;
    }
    if (m_name == QLatin1String("validate")) {
        // Every problem of the file; no site is read or connected.
        const WorkflowCheck check = checkWorkflowFile(path);
        if (isSet(QStringLiteral("json")))
            outJson(QJsonDocument(workflowCheckJson(check)));
        else
            // Problems go to stderr, as a compiler's do; the "ok" line to stdout.
            for (const QString &line : workflowCheckLines(check))
                check.ok() ? out(line) : diagnostic(line);
        finish(check.ok() ? Ok : Failed);
        return;
    }
    if (!path.isEmpty() && !loadWorkflowFile(path))
        return;
    if (m_name == QLatin1String("launch")) {
        // A run uses its workflow's sites only.
        m_sites = m_workflow.sites;
        startSupervisor(m_sites);
        doLaunch();
        return;
    }
    if (!resolveSites())
        return;
    if (m_name == QLatin1String("cancel")) {
        doCancel();
        return;
    }
    startSupervisor(m_sites);
    if (m_name == QLatin1String("jobs"))
        refreshAll([this] { doJobs(); });
    else if (m_name == QLatin1String("runs"))
        refreshAll([this] { doRuns(); });
    else if (m_name == QLatin1String("checkpoints"))
        refreshAll([this] { doCheckpoints(); });
    else if (m_name == QLatin1String("decide"))
        doDecide();
    else if (m_name == QLatin1String("wait"))
        doWait();
}

// One refresh of every site; fails on the first site that cannot be read.
void Command::refreshAll(std::function<void()> then)
{
    auto remaining = std::make_shared<QSet<QString>>();
    for (const SiteSpec &s : std::as_const(m_sites))
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
            outJson(QJsonDocument(
                QJsonObject{{QStringLiteral("run"), r->runId}, {QStringLiteral("jobs"), jobs}}));
        } else {
            out(QStringLiteral("run %1").arg(printable(r->runId)));
            for (auto it = r->jobIds.cbegin(); it != r->jobIds.cend(); ++it)
                out(QStringLiteral("task %1 job %2")
                        .arg(printable(it.key()), printable(it.value())));
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
                               {QStringLiteral("elapsed"), j.elapsedSeconds},
                               {QStringLiteral("time_left"), j.timeLeftSeconds}};
            continue;
        }
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
        for (QString &f : fields)
            f = printable(f);
        out(fields.join(QLatin1Char('\t')));
    }
    if (json)
        outJson(QJsonDocument(arr));
    finish(Ok);
}

void Command::doRuns()
{
    // Everything here comes from the run directories: every field is escaped.
    for (const RunInfo &r : m_supervisor->runs()) {
        out(QStringLiteral("%1\t%2\t%3")
                .arg(printable(r.site), printable(r.runId), printable(r.workflowName)));
        for (const TaskRunInfo &t : r.tasks)
            out(QStringLiteral("  task %1\t%2\tjob %3\texit %4")
                    .arg(printable(t.name), printable(orDash(t.state)), printable(orDash(t.jobId)),
                         t.exitCode >= 0 ? QString::number(t.exitCode) : QStringLiteral("-")));
        for (const QString &p : r.problems)
            out(QStringLiteral("  problem: %1").arg(printable(p)));
    }
    finish(Ok);
}

void Command::doCheckpoints()
{
    const bool all = m_parser.isSet(QStringLiteral("all"));
    const QString runFilter = option(QStringLiteral("run"));
    const bool json = m_parser.isSet(QStringLiteral("json"));
    if (!runFilter.isEmpty()) {
        if (const QString why = idProblem(runFilter, "run id"); !why.isEmpty()) {
            fail(why);
            return;
        }
    }
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
        // Titles, options, deciders, the job's outcome (several lines, any
        // text) and problems come from the run directory: every field is escaped.
        QStringList fields{c.site, c.runId, c.id, status, opts.join(QLatin1Char(',')), c.title};
        if (!c.decidedOption.isEmpty())
            fields << QStringLiteral("[%1 by %2]").arg(c.decidedOption, c.decidedBy);
        if (!c.outcome.isEmpty())
            fields << QStringLiteral("[applied: %1]").arg(c.outcome);
        if (!c.problem.isEmpty())
            fields << QStringLiteral("[%1]").arg(c.problem);
        for (QString &f : fields)
            f = printable(f);
        out(fields.join(QLatin1Char('\t')));
    }
    if (json)
        outJson(QJsonDocument(arr));
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
    // The id rule first: a value that breaks it names no checkpoint, and the
    // rule's message shows it escaped.
    for (const auto &[value, what] : {std::pair{run, "run id"}, std::pair{cp, "checkpoint id"},
                                      std::pair{opt, "option name"}}) {
        if (const QString why = idProblem(value, what); !why.isEmpty()) {
            fail(why);
            return;
        }
    }
    refreshAll([this, run, cp, opt] {
        // Find the checkpoint on whichever site holds the run.
        std::optional<CheckpointInfo> found;
        for (const CheckpointInfo &c : m_supervisor->checkpoints())
            if (c.runId == run && c.id == cp)
                found = c;
        if (!found) {
            fail(QStringLiteral("no checkpoint \"%1\" in run \"%2\" on the sites of %3")
                     .arg(cp, run, whereSitesAre()));
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
                             QString::fromLatin1(hash->result().toHex()),
                             QJsonObject()};
            m_supervisor->decide(in, this, [this, c](Result<DecisionOutcome> r) {
                if (!r) {
                    fail(r.errorString());
                    return;
                }
                if (!r->won) {
                    out(QStringLiteral("checkpoint %1 was already decided by %2 at %3: option %4")
                            .arg(c.id, printable(r->decidedBy), r->decidedAt.toString(Qt::ISODate),
                                 printable(r->option)));
                    finish(Lost);
                    return;
                }
                out(QStringLiteral("decision \"%1\" written for %2/%3/%4")
                        .arg(printable(r->option), c.site, c.runId, c.id));
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
                                                       .arg(printable(f), data.errorString()));
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
    for (const auto &[value, what] : {std::pair{run, "run id"}, std::pair{task, "task name"}}) {
        if (const QString why = idProblem(value, what); !why.isEmpty()) {
            fail(why);
            return;
        }
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
                    out(QStringLiteral("task %1 %2 (exit %3)")
                            .arg(task, printable(t.state))
                            .arg(t.exitCode));
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
                    out(QStringLiteral("task %1 job %2 ended %3")
                            .arg(task, printable(j.jobId), printable(j.state)));
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
    // Without --site: the workflow's only site, else the only site there is.
    if (site.isEmpty() && m_workflow.sites.size() == 1)
        site = m_workflow.sites.first().name;
    else if (site.isEmpty() && m_workflow.sites.isEmpty() && m_sites.size() == 1)
        site = m_sites.first().name;
    if (job.isEmpty() || site.isEmpty()) {
        fail(QStringLiteral("cancel needs --job (and --site when there are several sites)"), Usage);
        return;
    }
    QList<SiteSpec> one;
    for (const SiteSpec &s : std::as_const(m_sites))
        if (s.name == site)
            one << s;
    startSupervisor(one);
    m_supervisor->cancelJob(site, job, this, [this, site, job](Result<void> r) {
        if (!r) {
            fail(r.errorString());
            return;
        }
        out(QStringLiteral("cancelled job %1 on %2").arg(printable(job), printable(site)));
        finish(Ok);
    });
}

} // namespace vigil::ctl
