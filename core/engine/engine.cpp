// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine.h"

#include "launcher.h"
#include "logging.h"
#include "runrecordio.h"
#include "sites/site.h"
#include "supervisor.h"

#include <memory>

namespace vigil::engine {

namespace {
constexpr qint64 kMaxWorkflowBytes = 4 * 1024 * 1024;
} // namespace

Engine::Engine(Supervisor *supervisor, QString runId, EngineOptions options, QObject *parent)
    : QObject(parent), m_supervisor(supervisor), m_runId(std::move(runId)),
      m_options(std::move(options))
{
    // Twice per interval: mayAct() holds for one interval from the start of
    // the last confirmed heartbeat, and a heartbeat takes a few round trips.
    m_leaseTimer.setInterval(std::max<qint64>(1, m_options.lease.heartbeat.count() / 2));
    connect(&m_leaseTimer, &QTimer::timeout, this, &Engine::leaseTick);
}

Engine::~Engine() = default;

bool Engine::isActing() const
{
    return m_running && m_recordChecked && m_lease && m_lease->isHeld() && m_lease->mayAct();
}

Site *Engine::siteOf(const QString &name) const
{
    return m_supervisor->site(name);
}

QString Engine::runDir(const Site *site) const
{
    return site->runDirectory(m_runId);
}

QString Engine::taskSite(const TaskSpec &task) const
{
    return task.isGate() ? gateSite(m_workflow, task) : task.site;
}

QString Engine::workDirectory(const TaskSpec &task, const Site *site) const
{
    const QString dir =
        task.workDirectory.isEmpty() ? site->spec().workDirectory : task.workDirectory;
    if (dir.isEmpty())
        return runDir(site);
    if (dir.startsWith(QLatin1Char('/')))
        return dir;
    return runDir(site) + QLatin1Char('/') + dir;
}

void Engine::raiseProblem(const QString &message)
{
    qCWarning(lcEngine).noquote() << "run" << m_runId << ":" << message;
    if (message == m_lastProblem)
        return;
    m_lastProblem = message;
    Q_EMIT problem(message);
}

void Engine::start()
{
    if (m_running)
        return;
    if (m_options.workflow) {
        m_workflow = *m_options.workflow;
    } else if (m_options.homeSite.isEmpty()) {
        raiseProblem(tr("run %1: the engine needs the workflow or the site whose run directory "
                        "holds it")
                         .arg(m_runId));
        return;
    }
    m_running = true;
    loadWorkflow([this] { loadRecord([this] { loadRevision([this] { begin(); }); }); });
}

void Engine::cannotStart(const QString &why)
{
    m_running = false;
    raiseProblem(tr("run %1: %2").arg(m_runId, why));
}

void Engine::readSiteFile(Site *site, const QString &path, qint64 maxBytes,
                          Callback<QByteArray> done)
{
    site->whenConnected(this, [=, this](Result<void> up) {
        if (!up) {
            done(Error(tr("site %1 cannot be reached: %2").arg(site->name(), up.errorString()),
                       up.error().kind));
            return;
        }
        site->transport()->readFile(path, 0, maxBytes + 1, this, [=](Result<FileChunk> r) {
            if (!r)
                done(r.error());
            else if (r->data.size() > maxBytes)
                done(Error(tr("%1 is larger than %2 bytes").arg(path).arg(maxBytes),
                           Error::Kind::TooLarge));
            else
                done(r->data);
        });
    });
}

void Engine::loadWorkflow(Next next)
{
    if (m_options.workflow) {
        next();
        return;
    }
    Site *home = siteOf(m_options.homeSite);
    if (!home) {
        cannotStart(tr("site %1 is not known").arg(m_options.homeSite));
        return;
    }
    const QString path = runDir(home) + QStringLiteral("/workflow.toml");
    readSiteFile(home, path, kMaxWorkflowBytes, [this, path, next](Result<QByteArray> r) {
        auto wf = r ? parseWorkflow(*r, path) : Result<Workflow>(r.error());
        if (!wf) {
            cannotStart(tr("cannot read its workflow: %1").arg(wf.errorString()));
            return;
        }
        m_workflow = *wf;
        next();
    });
}

Result<void> Engine::followSites()
{
    for (const TaskSpec *t : topologicalOrder(m_workflow))
        if (!t->isGate() && !m_sites.contains(t->site))
            m_sites << t->site;
    for (const QString &name : std::as_const(m_sites)) {
        if (siteOf(name))
            continue;
        const SiteSpec *spec = m_workflow.site(name);
        if (!spec)
            return Error(tr("its workflow names site %1, which it does not describe").arg(name));
        m_supervisor->addSite(*spec);
    }
    return {};
}

void Engine::begin()
{
    m_lease = new Lease(siteOf(m_home)->transport(), runDir(siteOf(m_home)), m_options.lease,
                        m_options.clock, this);
    connect(m_lease, &Lease::lost, this, [this](const QString &why) {
        qCWarning(lcEngine).noquote() << "run" << m_runId << "lease lost:" << why;
        m_leaseState = LeaseState::Unknown;
        Q_EMIT leaseLost(why);
    });
    connect(m_supervisor, &Supervisor::refreshed, this, &Engine::onRefreshed);
    m_leaseTimer.start();
    Q_EMIT started();
    leaseTick();
    scheduleCycle();
}

void Engine::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_leaseTimer.stop();
    disconnect(m_supervisor, &Supervisor::refreshed, this, &Engine::onRefreshed);
    if (!m_lease || !m_lease->isHeld()) {
        QMetaObject::invokeMethod(this, &Engine::stopped, Qt::QueuedConnection);
        return;
    }
    m_releasing = true;
    m_lease->release(this, [this](Result<void> r) {
        if (!r)
            qCWarning(lcEngine).noquote()
                << "run" << m_runId << "lease not released:" << r.errorString();
        m_releasing = false;
        Q_EMIT stopped();
    });
}

void Engine::cancelRun()
{
    m_record.cancelRequested = true;
    m_recordDirty = true;
    scheduleCycle();
}

void Engine::leaseTick()
{
    if (!m_running || !m_lease)
        return;
    if (m_lease->isHeld()) {
        if (!m_recordChecked)
            rereadRecord(); // a read that failed is tried again
        m_lease->heartbeat(this, [this](Result<void> r) {
            if (!r)
                onLeaseResult(false);
        });
        return;
    }
    m_lease->acquire(this, [this](Result<bool> held) { onLeaseResult(std::move(held)); });
}

void Engine::onLeaseResult(Result<bool> held)
{
    if (!held) {
        raiseProblem(tr("run %1: the lease cannot be taken: %2").arg(m_runId, held.errorString()));
        return;
    }
    if (*held) {
        if (m_leaseState != LeaseState::Held) {
            m_leaseState = LeaseState::Held;
            m_recordChecked = false;
            qCInfo(lcEngine).noquote()
                << "run" << m_runId << "lease held by" << m_lease->holderId();
            Q_EMIT leaseAcquired();
            rereadRecord();
        }
        return;
    }
    const QString holder = m_lease->lastSeenHolder().holder;
    if (m_leaseState != LeaseState::Elsewhere || m_lastHolder != holder) {
        m_leaseState = LeaseState::Elsewhere;
        m_lastHolder = holder;
        qCInfo(lcEngine).noquote()
            << "run" << m_runId << "is followed by" << holder << ": observing only";
        Q_EMIT leaseHeldElsewhere(holder);
    }
}

void Engine::onRefreshed(const QString &site, bool ok)
{
    if (!m_sites.contains(site))
        return;
    if (ok)
        ++m_refreshes[site];
    scheduleCycle();
}

void Engine::scheduleCycle()
{
    if (!m_running)
        return;
    if (m_busy) {
        m_again = true;
        return;
    }
    m_busy = true;
    QTimer::singleShot(0, this, &Engine::runCycle);
}

void Engine::actedOn(const QString &site)
{
    m_actedAt[site] = m_refreshes.value(site);
}

Observation Engine::observe()
{
    Observation obs;
    for (const RunInfo &run : m_supervisor->runs()) {
        if (run.runId != m_runId || !m_sites.contains(run.site))
            continue;
        if (run.site == m_home && run.createdAt.isValid())
            m_createdAt = run.createdAt;
        Observation part;
        observeRun(run, m_workflow, &part);
        // Each task's evidence comes from its own site's run directory.
        for (const TaskSpec &t : m_workflow.tasks) {
            if (taskSite(t) != run.site)
                continue;
            if (part.markers.contains(t.name))
                obs.markers.insert(t.name, part.markers.value(t.name));
            if (part.gates.contains(t.name))
                obs.gates.insert(t.name, part.gates.value(t.name));
            if (part.waitingCheckpoints.contains(t.name))
                obs.waitingCheckpoints.insert(t.name, part.waitingCheckpoints.value(t.name));
        }
        for (const TaskRunInfo &t : run.tasks)
            if (const TaskSpec *spec = m_workflow.task(t.name);
                spec && spec->site == run.site && !t.jobId.isEmpty())
                m_scanJobIds.insert(t.name, t.jobId.section(QLatin1Char('_'), 0, 0));
    }
    // A site's jobs count when it was refreshed twice since the engine last
    // acted there (the first refresh may have started before), and the
    // supervisor asked about every unfinished job of ours there (a job it did
    // not track would look gone).
    const QList<JobInfo> all = m_supervisor->jobs();
    for (const QString &site : std::as_const(m_sites)) {
        if (m_refreshes.value(site) < m_actedAt.value(site) + 2)
            continue;
        QList<JobInfo> jobs;
        QSet<QString> ids;
        for (const JobInfo &j : all)
            if (j.site == site) {
                jobs << j;
                ids.insert(j.submittedId());
            }
        bool complete = true;
        for (auto it = m_record.tasks.cbegin(); it != m_record.tasks.cend() && complete; ++it) {
            const AttemptRecord *cur = it->current();
            const TaskStatus prev = m_states.value(it.key());
            if (cur && cur->site == site && !ids.contains(cur->jobId) &&
                !(isTerminal(prev.state) && prev.attempt == cur->attempt))
                complete = false;
        }
        if (complete)
            obs.jobsBySite.insert(site, jobs);
    }
    for (auto it = obs.gates.begin(); it != obs.gates.end(); ++it)
        if (it->decided)
            it->params = m_gateParams.value(it.key());
    for (auto it = m_logTails.cbegin(); it != m_logTails.cend(); ++it)
        obs.logTails.insert(it.key(), it->second);
    return obs;
}

void Engine::runCycle()
{
    if (!m_running) {
        m_busy = false;
        return;
    }
    fetchRevision([this] { fetchDetails(observe()); });
}

// Decided gates' params (from decision.json) and failed tasks' log tails
// are fetched once, before the states are derived.
void Engine::fetchDetails(const Observation &obs)
{
    QStringList gates;
    for (auto it = obs.gates.cbegin(); it != obs.gates.cend(); ++it)
        if (it->decided && !m_gateParams.contains(it.key()))
            gates << it.key();
    QList<TaskStatus> tails;
    const auto pre = deriveTaskStates(m_workflow, obs, m_record, m_states, m_options.clock->now());
    for (const TaskStatus &s : pre)
        if (s.state == TaskState::Failed && s.attempt > 0 &&
            m_logTails.value(s.task).first != s.attempt)
            tails << s;
    auto pending = std::make_shared<int>(int(gates.size() + tails.size()) + 1);
    auto one = [this, pending, obs, gates]() {
        if (--*pending > 0)
            return;
        Observation full = obs;
        for (auto it = full.gates.begin(); it != full.gates.end(); ++it)
            if (it->decided)
                it->params = m_gateParams.value(it.key());
        for (auto it = m_logTails.cbegin(); it != m_logTails.cend(); ++it)
            full.logTails.insert(it.key(), it->second);
        // A revision that comes with a gate's decision is published before
        // the decision: listed again now that the decision was read, it is
        // taken before the decision acts, even if the first listing of this
        // cycle came before it.
        if (gates.isEmpty()) {
            finishCycle(full);
            return;
        }
        // Another revision first in line: the decisions wait a cycle, so
        // that the one that came with them is taken before they act.
        auto proceed = [this, full, gates] {
            m_revisionsFirst =
                m_fetchedRevision &&
                !(m_fetchedRevision->info && gates.contains(m_fetchedRevision->info->checkpoint));
            finishCycle(full);
        };
        if (m_fetchedRevision)
            proceed();
        else
            fetchRevision(proceed);
    };
    for (const QString &g : std::as_const(gates))
        fetchGateParams(g, one);
    for (const TaskStatus &s : std::as_const(tails))
        fetchLogTail(s, one);
    one();
}

void Engine::fetchGateParams(const QString &gate, Next next)
{
    Site *site = siteOf(gateSite(m_workflow, *m_workflow.task(gate)));
    const QString dir = runDir(site) + QStringLiteral("/checkpoints/") + gateCheckpointId(gate);
    Transport *t = site->transport();
    m_paramsMissing.insert(gate);
    auto fail = [this, gate, next](const QString &why) {
        raiseProblem(tr("run %1, gate %2: cannot read the params of its decision: %3")
                         .arg(m_runId, gate, why));
        next();
    };
    readRequestFile(t, dir + QStringLiteral("/request.json"), this,
                    [=, this](Result<protocol::Request> request) {
                        if (!request) {
                            fail(request.errorString());
                            return;
                        }
                        readDecisionFile(t, dir + QStringLiteral("/decision.json"), this,
                                         [=, this](Result<protocol::Decision> decision) {
                                             if (!decision) {
                                                 fail(decision.errorString());
                                                 return;
                                             }
                                             m_gateParams.insert(
                                                 gate, decisionParams(*request, *decision));
                                             m_paramsMissing.remove(gate);
                                             next();
                                         });
                    });
}

void Engine::fetchLogTail(const TaskStatus &status, Next next)
{
    const TaskSpec *task = m_workflow.task(status.task);
    Site *site = siteOf(status.site);
    if (!task || !site) {
        next();
        return;
    }
    const QString taskDir = runDir(site) + QStringLiteral("/tasks/") + task->name;
    QString log = Launcher::logPath(*task, taskDir);
    log.replace(QStringLiteral("%a"), status.failedElements.value(0, QStringLiteral("0")));
    const QString name = log.section(QLatin1Char('/'), -1);
    const int attempt = status.attempt;
    const QString taskName = status.task;
    const qint64 want = m_options.logTailBytes;
    Transport *t = site->transport();
    t->listDirectory(
        taskDir, this,
        [this, t, log, name, attempt, taskName, want, next](Result<QList<FileEntry>> list) {
            qint64 size = -1;
            if (list)
                for (const FileEntry &e : *list)
                    if (e.name == name && !e.isDir && !e.isSymlink)
                        size = e.size;
            if (size < 0) {
                m_logTails.insert(taskName, {attempt, QString()});
                next();
                return;
            }
            t->readFile(log, std::max<qint64>(0, size - want), want, this,
                        [this, attempt, taskName, next](Result<FileChunk> r) {
                            m_logTails.insert(
                                taskName, {attempt, r ? QString::fromUtf8(r->data) : QString()});
                            next();
                        });
        });
}

void Engine::finishCycle(const Observation &obs)
{
    const QDateTime now = m_options.clock->now();
    auto states = deriveTaskStates(m_workflow, obs, m_record, m_states, now);
    // A run-time change is checked against the states of this moment and
    // taken before anything is planned: its new tasks are pending from now.
    if (takeRevision(states))
        states = deriveTaskStates(m_workflow, obs, m_record, m_states, now);
    for (const TaskStatus &s : states) {
        const auto prev = m_states.constFind(s.task);
        if (prev == m_states.cend() || prev->state != s.state || prev->attempt != s.attempt) {
            qCInfo(lcEngine).noquote() << "run" << m_runId << "task" << s.task << "is"
                                       << taskStateName(s.state) << s.reason;
            Q_EMIT taskStateChanged(s.task, s.state, s.since, s.reason);
        }
    }
    m_states = states;
    qCDebug(lcEngine).noquote() << "run" << m_runId << "cycle: acting" << isActing()
                                << "params missing" << m_paramsMissing.size();
    if (!isActing()) {
        endCycle();
        return;
    }
    if (std::exchange(m_revisionsFirst, false)) {
        m_again = true;
        endCycle();
        return;
    }
    if (!m_paramsMissing.isEmpty()) {
        // Without a decision's params, a task after the gate would start
        // with the defaults: wait for them.
        endCycle();
        return;
    }
    PlanInput in;
    in.workflow = &m_workflow;
    in.states = m_states;
    in.record = m_record;
    in.gates = obs.gates;
    in.now = now;
    const QList<Action> actions = plan(in);
    execute(actions, [this] {
        auto afterRecord = [this] { writeSummary([this] { endCycle(); }); };
        if (!m_recordDirty) {
            afterRecord();
            return;
        }
        writeRecord([this, afterRecord](Result<void> w) {
            if (!w)
                raiseProblem(tr("run %1: the engine's record cannot be written: %2")
                                 .arg(m_runId, w.errorString()));
            afterRecord();
        });
    });
}

void Engine::endCycle()
{
    m_busy = false;
    // A finished run, recorded and summarised: nothing more to do, and the
    // lease is released for whoever looks next.
    if (m_finishedSaid && !m_recordDirty && m_running)
        stop();
    Q_EMIT cycleFinished();
    if (m_again) {
        m_again = false;
        scheduleCycle();
    }
}

void Engine::writeSummary(Next next)
{
    if (!isActing()) {
        next();
        return;
    }
    RunSummary s;
    s.runId = m_runId;
    s.holder = m_lease->holderId();
    s.finished = m_record.finished;
    for (const TaskSpec *t : topologicalOrder(m_workflow))
        s.tasks << m_states.value(t->name);
    const QByteArray content = serializeRunSummary(s);
    if (content == m_lastSummary) {
        next();
        return;
    }
    s.updatedAt = m_options.clock->now();
    Site *home = siteOf(m_home);
    writeFile(home, runDir(home) + QLatin1Char('/') + QLatin1String(kSummaryFile),
              serializeRunSummary(s), 0600, [=, this](Result<void> w) {
                  if (w)
                      m_lastSummary = content;
                  else
                      raiseProblem(tr("run %1: cannot write the run's state summary: %2")
                                       .arg(m_runId, w.errorString()));
                  next();
              });
}

} // namespace vigil::engine
