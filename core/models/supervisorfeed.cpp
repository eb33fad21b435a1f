// SPDX-License-Identifier: GPL-3.0-or-later
#include "supervisorfeed.h"

#include "checkpointsmodel.h"
#include "engine/enginehost.h"
#include "issuesmodel.h"
#include "jobsmodel.h"
#include "runsmodel.h"
#include "sitesmodel.h"
#include "supervisor.h"
#include "workflowstatus.h"

namespace vigil {

SupervisorFeed::SupervisorFeed(Supervisor *supervisor, QObject *parent)
    : QObject(parent), m_supervisor(supervisor), m_sites(new SitesModel(this)),
      m_jobs(new JobsModel(this)), m_checkpoints(new CheckpointsModel(this)),
      m_issues(new IssuesModel(this)), m_workflow(new WorkflowStatus(this)),
      m_runs(new RunsModel(this))
{
    Q_ASSERT(supervisor);
    // Data older than three polling intervals is shown as stale.
    m_sites->setStaleAfter(3 * std::max(1, supervisor->options().pollSeconds));

    // What the Supervisor knows already.
    m_sites->setSites(supervisor->siteStatuses());
    QHash<QString, QList<JobInfo>> jobsBySite;
    for (const JobInfo &j : supervisor->jobs())
        jobsBySite[j.site] << j;
    QHash<QString, QList<RunInfo>> runsBySite;
    for (const RunInfo &r : supervisor->runs())
        runsBySite[r.site] << r;
    for (auto it = jobsBySite.cbegin(); it != jobsBySite.cend(); ++it) {
        m_jobs->setJobs(it.key(), it.value());
        m_workflow->setJobs(it.key(), it.value());
    }
    for (auto it = runsBySite.cbegin(); it != runsBySite.cend(); ++it)
        runsChanged(it.key(), it.value());
    for (const Issue &i : supervisor->issues())
        m_issues->append(i);

    // And what it learns from now on.
    connect(supervisor, &Supervisor::siteChanged, this, &SupervisorFeed::siteChanged);
    connect(supervisor, &Supervisor::jobsChanged, this,
            [this](const QString &site, const QList<JobInfo> &jobs) {
                m_jobs->setJobs(site, jobs);
                m_workflow->setJobs(site, jobs);
            });
    connect(supervisor, &Supervisor::runsChanged, this, &SupervisorFeed::runsChanged);
    connect(supervisor, &Supervisor::issueRaised, m_issues, &IssuesModel::append);
}

SupervisorFeed::~SupervisorFeed() = default;

void SupervisorFeed::setEngineHost(engine::EngineHost *host)
{
    if (m_host)
        disconnect(m_host, nullptr, this, nullptr);
    m_host = host;
    if (!host)
        return;
    for (const engine::HostedRun &r : host->runs())
        m_runs->setHosted(r);
    connect(host, &engine::EngineHost::runChanged, this, [this](const QString &runId) {
        if (m_host)
            if (const auto r = m_host->run(runId))
                m_runs->setHosted(*r);
    });
    connect(host, &engine::EngineHost::runRemoved, m_runs, &RunsModel::removeHosted);
}

engine::EngineHost *SupervisorFeed::engineHost() const
{
    return m_host;
}

void SupervisorFeed::siteChanged(const QString &site)
{
    if (!m_supervisor)
        return;
    m_sites->updateSite(m_supervisor->siteStatus(site));
}

void SupervisorFeed::runsChanged(const QString &site, const QList<RunInfo> &runs)
{
    QList<CheckpointInfo> checkpoints;
    for (const RunInfo &r : runs)
        checkpoints << r.checkpoints;
    // A review bundle's checkpoints wait for nobody, and its runs are rows of
    // their own, apart from live runs of the same id.
    const bool readOnly = m_supervisor && m_supervisor->isReadOnly(site);
    m_checkpoints->setCheckpoints(site, checkpoints, readOnly);
    m_workflow->setRuns(site, runs);
    m_runs->setRuns(site, runs, readOnly);
}

} // namespace vigil
