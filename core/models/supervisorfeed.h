// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>

namespace vigil {

class Supervisor;
class SitesModel;
class JobsModel;
class CheckpointsModel;
class IssuesModel;
class WorkflowStatus;
class RunsModel;
struct RunInfo;
namespace engine {
class EngineHost;
}

// Owns the desktop's models and keeps them in step with a Supervisor: every
// view of the window reads these, and none talks to the Supervisor to learn
// state. Models are filled from the Supervisor's current state at once and
// then from its signals.
class SupervisorFeed : public QObject
{
    Q_OBJECT
public:
    explicit SupervisorFeed(Supervisor *supervisor, QObject *parent = nullptr);
    ~SupervisorFeed() override;

    Supervisor *supervisor() const { return m_supervisor; }
    SitesModel *sites() const { return m_sites; }
    JobsModel *jobs() const { return m_jobs; }
    CheckpointsModel *checkpoints() const { return m_checkpoints; }
    IssuesModel *issues() const { return m_issues; }
    WorkflowStatus *workflowStatus() const { return m_workflow; }
    RunsModel *runs() const { return m_runs; }

    // The desktop's engines: the Runs model shows what each does.
    void setEngineHost(engine::EngineHost *host);
    engine::EngineHost *engineHost() const;

private:
    void siteChanged(const QString &site);
    void runsChanged(const QString &site, const QList<RunInfo> &runs);

    QPointer<Supervisor> m_supervisor;
    SitesModel *m_sites;
    JobsModel *m_jobs;
    CheckpointsModel *m_checkpoints;
    IssuesModel *m_issues;
    WorkflowStatus *m_workflow;
    RunsModel *m_runs;
    QPointer<engine::EngineHost> m_host;
};

} // namespace vigil
