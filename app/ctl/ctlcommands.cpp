// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl: the commands about workflows, runs and jobs. Checkpoints,
// decisions, status and audit are in ctlcheckpoints.cpp; sites in ctlsites.cpp.
#include "ctlcommands.h"

#include "bundle/bundlecheck.h"
#include "bundle/bundleexport.h"
#include "ctloutput.h"
#include "engine/launcher.h"
#include "engine/planner.h"
#include "protocol/ids.h"
#include "sites/site.h"
#include "store/store.h"
#include "workflow/writer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <memory>

namespace vigil::ctl {

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
    else if (m_name == QLatin1String("bundle"))
        runBundleCommand();
    else if (m_name == QLatin1String("export"))
        doExport();
    else
        runWorkflowCommand();
}

void Command::runWorkflowCommand()
{
    static const QStringList known{
        QStringLiteral("validate"), QStringLiteral("launch"),      QStringLiteral("jobs"),
        QStringLiteral("runs"),     QStringLiteral("checkpoints"), QStringLiteral("decide"),
        QStringLiteral("wait"),     QStringLiteral("cancel"),      QStringLiteral("status"),
        QStringLiteral("audit"),    QStringLiteral("follow"),      QStringLiteral("revise")};
    if (!known.contains(m_name)) {
        fail(QStringLiteral("unknown command \"%1\" (see --help)").arg(m_name), Usage);
        return;
    }
    const auto taken = takeArguments();
    if (!taken) {
        fail(taken.errorString(), Usage);
        return;
    }
    const QString path = *taken;
    if (m_name == QLatin1String("audit")) {
        doAudit(); // the local store only: no workflow, no site
        return;
    }
    if (m_name == QLatin1String("revise")) {
        doRevise(path); // FILE is the revision, and its sites are used too
        return;
    }
    const bool needsWorkflow =
        m_name == QLatin1String("validate") || m_name == QLatin1String("launch");
    if (const auto beat = leaseHeartbeatOption(); !beat) {
        fail(beat.errorString(), Usage);
        return;
    }
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
        // A run uses its workflow's sites only (some given by the registry
        // through --site-override).
        if (!m_parser.values(QStringLiteral("site-override")).isEmpty() &&
            (!loadRegistry(true) || !applySiteOverrides()))
            return;
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
        doCheckpoints();
    else if (m_name == QLatin1String("status"))
        doStatus();
    else if (m_name == QLatin1String("decide"))
        doDecide();
    else if (m_name == QLatin1String("wait"))
        doWait();
    else if (m_name == QLatin1String("follow"))
        doFollow();
}

void Command::doLaunch()
{
    auto *launcher = new Launcher(m_supervisor, m_workflow, this);
    if (m_sitesOverridden)
        launcher->setWorkflowText(workflowToToml(m_workflow));
    launcher->setResume(isSet(QStringLiteral("resume")));
    connect(launcher, &Launcher::progress, this,
            [](const QString &m) { std::fprintf(stderr, "%s\n", m.toLocal8Bit().constData()); });
    launcher->start(option(QStringLiteral("run")), [this](Result<LaunchResult> r) {
        if (!r) {
            fail(r.errorString());
            return;
        }
        const bool follow = isSet(QStringLiteral("follow"));
        // Work left to an engine: the desktop of this machine follows the
        // run whenever it is open (docs/engine.md, "The desktop's engines").
        Store *store = Store::applicationStore();
        const bool desktop = !r->engineTasks.isEmpty() && store;
        if (m_parser.isSet(QStringLiteral("json"))) {
            QJsonObject jobs;
            for (auto it = r->jobIds.cbegin(); it != r->jobIds.cend(); ++it)
                jobs.insert(it.key(), it.value());
            outJson(QJsonDocument(QJsonObject{
                {QStringLiteral("run"), r->runId},
                {QStringLiteral("jobs"), jobs},
                {QStringLiteral("engine_tasks"), QJsonArray::fromStringList(r->engineTasks)},
                {QStringLiteral("desktop_follows"), desktop}}));
        } else {
            out(QStringLiteral("run %1").arg(printable(r->runId)));
            for (auto it = r->jobIds.cbegin(); it != r->jobIds.cend(); ++it)
                out(QStringLiteral("task %1 job %2")
                        .arg(printable(it.key()), printable(it.value())));
            if (!r->engineTasks.isEmpty())
                out(QStringLiteral("%1 task(s) wait for the engine (%2): %3")
                        .arg(r->engineTasks.size())
                        .arg(printable(r->engineTasks.join(QStringLiteral(", "))),
                             follow ? QStringLiteral("following the run now")
                                    : QStringLiteral("Vigil on this machine follows the run "
                                                     "while it is open, or run `vigilctl "
                                                     "follow %1`")
                                          .arg(printable(r->runId))));
        }
        auto next = [this, follow, runId = r->runId] {
            if (follow)
                followRun(runId, m_workflow);
            else
                finish(Ok);
        };
        if (!desktop) {
            next();
            return;
        }
        store->followRun(r->runId, engine::homeSiteOf(m_workflow), this,
                         [runId = r->runId, next](Result<void> stored) {
                             if (!stored)
                                 std::fprintf(stderr,
                                              "vigilctl: warning: the desktop will not follow "
                                              "run %s: %s\n",
                                              qPrintable(printable(runId)),
                                              qPrintable(stored.errorString()));
                             next();
                         });
    });
}

void Command::doJobs()
{
    const bool json = m_parser.isSet(QStringLiteral("json"));
    QJsonArray arr;
    if (!json)
        out(QStringLiteral("SITE\tJOB\tSTATE\tREASON\tELAPSED\tLEFT\tRUN/TASK\tNAME"));
    for (const JobInfo &j : m_supervisor->jobs()) {
        if (json)
            arr << jobJson(j);
        else
            out(jobLine(j));
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

void Command::doExport()
{
    if (m_args.size() != 3) {
        fail(QStringLiteral("export needs a site and a run: vigilctl export SITE RUN [-o FILE] "
                            "[--zip]"),
             Usage);
        return;
    }
    const QString siteName = m_args.at(1);
    const QString runId = m_args.at(2);
    if (auto id = protocol::validateId(runId.toStdString(), "run id"); !id) {
        fail(QString::fromStdString(id.error().message), Usage);
        return;
    }
    const QString workflow = option(QStringLiteral("workflow"));
    if (!workflow.isEmpty() && !loadWorkflowFile(workflow))
        return;
    if (!loadRegistry(false))
        return;
    const SiteSpec *spec = findSite(siteName);
    if (!spec) {
        fail(QStringLiteral("no site \"%1\" in %2").arg(siteName, whereSitesAre()));
        return;
    }
    m_sites = {*spec};
    startSupervisor(m_sites);
    refreshAll([this, siteName, runId] {
        bundle::ExportOptions o;
        const QString output = option(QStringLiteral("output"));
        o.format = isSet(QStringLiteral("zip")) || output.endsWith(QLatin1String(".zip"))
                       ? bundle::Format::Zip
                       : bundle::Format::TarZstd;
        o.target = output.isEmpty() ? runId + bundle::suffix(o.format) : output;
        o.store = Store::applicationStore();
        for (const JobInfo &j : m_supervisor->jobs())
            if (j.site == siteName && j.runId == runId)
                o.jobs << j;
        auto *e = new bundle::Export(m_supervisor->site(siteName), runId, o, this);
        const QString target = o.target;
        e->start([this, target](Result<bundle::Manifest> m) {
            if (!m) {
                fail(m.errorString());
                return;
            }
            qint64 bytes = 0;
            int tails = 0;
            for (const bundle::BundleFile &f : std::as_const(m->files)) {
                bytes += f.size;
                tails += f.truncatedFrom >= 0 ? 1 : 0;
            }
            out(QStringLiteral("wrote %1: run %2 of %3, %4 files, %5 bytes, %6 log tails, %7 "
                               "left out")
                    .arg(target, printable(m->runId), printable(m->site))
                    .arg(m->files.size())
                    .arg(bytes)
                    .arg(tails)
                    .arg(m->omitted.size()));
            for (const bundle::OmittedFile &f : std::as_const(m->omitted))
                out(QStringLiteral("  left out %1 (%2)").arg(printable(f.path), f.reason));
            finish(Ok);
        });
    });
}

void Command::runBundleCommand()
{
    if (m_args.value(1) != QLatin1String("verify") || m_args.size() != 3) {
        fail(QStringLiteral("usage: vigilctl bundle verify FILE"), Usage);
        return;
    }
    // A terminal command: the check runs here, on the only thread there is.
    const QString file = m_args.at(2);
    auto checked = bundle::checkBundleFile(file);
    if (!checked) {
        fail(checked.errorString());
        return;
    }
    const bundle::Manifest &m = checked->manifest;
    if (isSet(QStringLiteral("json"))) {
        outJson(QJsonDocument::fromJson(bundle::manifestJson(m)));
    } else {
        out(QStringLiteral("%1: ok, every entry under %2 and every checksum right")
                .arg(file, checked->root));
        out(QStringLiteral("run %1 of site %2, exported %3 by %4")
                .arg(printable(m.runId), printable(m.site), m.created.toUTC().toString(Qt::ISODate),
                     printable(m.createdBy)));
        int tails = 0;
        for (const bundle::BundleFile &f : m.files)
            tails += f.truncatedFrom >= 0 ? 1 : 0;
        out(QStringLiteral("%1 files, %2 bytes, %3 log tails, %4 left out")
                .arg(m.files.size())
                .arg(checked->totalBytes)
                .arg(tails)
                .arg(m.omitted.size()));
    }
    finish(Ok);
}

} // namespace vigil::ctl
