// SPDX-License-Identifier: GPL-3.0-or-later
#include "runfollower.h"

#include "logging.h"
#include "runrecordio.h"
#include "sites/site.h"
#include "supervisor.h"

namespace vigil::engine {

namespace {
constexpr qint64 kMaxWorkflowBytes = 4 * 1024 * 1024;
constexpr qint64 kMaxJsonBytes = 1024 * 1024;
// A run just launched may be missed by a scan that started before it: the
// sites are refreshed up to twice before the run counts as not found.
constexpr int kLookRounds = 2;
} // namespace

RunFollower::RunFollower(Supervisor *supervisor, QString runId, FollowOptions options,
                         QObject *parent)
    : QObject(parent), m_supervisor(supervisor), m_runId(std::move(runId)),
      m_options(std::move(options))
{}

RunFollower::~RunFollower() = default;

void RunFollower::fail(const QString &message)
{
    disconnect(m_refreshConnection);
    qCWarning(lcEngine).noquote() << "follow:" << message;
    Q_EMIT failed(message);
}

void RunFollower::start()
{
    if (m_options.site.isEmpty()) {
        for (Site *s : m_supervisor->sites())
            if (!m_supervisor->isReadOnly(s->name())) // a review bundle is never driven
                m_waiting << s->name();
    } else {
        if (!m_supervisor->site(m_options.site) && m_options.workflow) {
            if (const SiteSpec *spec = m_options.workflow->site(m_options.site))
                m_supervisor->addSite(*spec);
        }
        if (!m_supervisor->site(m_options.site)) {
            fail(tr("cannot follow run %1: site %2 is not known").arg(m_runId, m_options.site));
            return;
        }
        if (m_supervisor->isReadOnly(m_options.site)) {
            fail(tr("cannot follow run %1: %2 is a review bundle, read-only")
                     .arg(m_runId, m_options.site));
            return;
        }
        m_waiting << m_options.site;
    }
    if (m_waiting.isEmpty()) {
        fail(tr("cannot follow run %1: there is no site to look for it on").arg(m_runId));
        return;
    }
    findRun();
}

// The sites in scope that have the run, in the Supervisor's order.
void RunFollower::findRun()
{
    const QStringList scope = m_waiting;
    QStringList found;
    for (const RunInfo &r : m_supervisor->runs())
        if (r.runId == m_runId && scope.contains(r.site) && !found.contains(r.site))
            found << r.site;
    if (found.isEmpty()) {
        lookAgain();
        return;
    }
    m_waiting.clear();
    disconnect(m_refreshConnection);
    m_site = found.contains(m_options.site) ? m_options.site : found.first();
    if (m_options.workflow) {
        startEngine(*m_options.workflow);
        return;
    }
    readWorkflow(m_site, [this, found](Workflow wf) {
        // The home decides where the lease lives: read the workflow there
        // when the run has a directory there too, so that a revision kept
        // on the home site only still gives every follower the same home.
        const QString home = homeSiteOf(wf);
        if (home.isEmpty() || home == m_site || !found.contains(home)) {
            startEngine(std::move(wf));
            return;
        }
        m_site = home;
        readWorkflow(home, [this](Workflow atHome) { startEngine(std::move(atHome)); });
    });
}

void RunFollower::lookAgain()
{
    const QStringList scope = m_waiting;
    auto rounds = std::make_shared<int>(0);
    auto pending = std::make_shared<QSet<QString>>();
    auto refreshScope = [this, scope, pending] {
        *pending = QSet<QString>(scope.cbegin(), scope.cend());
        for (const QString &s : scope)
            m_supervisor->refresh(s);
    };
    disconnect(m_refreshConnection);
    m_refreshConnection =
        connect(m_supervisor, &Supervisor::refreshed, this,
                [this, scope, rounds, pending, refreshScope](const QString &site, bool ok) {
                    if (!pending->remove(site))
                        return;
                    if (ok)
                        m_unreadable.remove(site);
                    else
                        m_unreadable.insert(site, m_supervisor->siteStatus(site).lastError);
                    if (!pending->isEmpty())
                        return;
                    for (const RunInfo &r : m_supervisor->runs()) {
                        if (r.runId == m_runId && scope.contains(r.site)) {
                            findRun();
                            return;
                        }
                    }
                    if (++*rounds < kLookRounds) {
                        refreshScope();
                        return;
                    }
                    QString message =
                        tr("run %1 not found on %2 %3")
                            .arg(m_runId, scope.size() == 1 ? tr("site") : tr("sites"),
                                 scope.join(QStringLiteral(", ")));
                    for (auto it = m_unreadable.cbegin(); it != m_unreadable.cend(); ++it)
                        message += tr(" (site %1 could not be read: %2)").arg(it.key(), it.value());
                    fail(message);
                });
    refreshScope();
}

void RunFollower::readWorkflow(const QString &site, std::function<void(Workflow)> next)
{
    m_supervisor->readRunFile(
        site, m_runId, QStringLiteral("workflow.toml"), kMaxWorkflowBytes, this,
        [this, site, next](Result<QByteArray> bytes) {
            const QString where = tr("workflow.toml of run %1 on site %2").arg(m_runId, site);
            if (!bytes) {
                fail(tr("%1: %2").arg(where, bytes.errorString()));
                return;
            }
            WorkflowCheck check = checkWorkflow(*bytes, QStringLiteral("workflow.toml"));
            if (!check.ok()) {
                const WorkflowProblem &p = check.problems.first();
                QString message =
                    p.line > 0
                        ? tr("%1: %2:%3: %4").arg(where).arg(p.line).arg(p.column).arg(p.message)
                        : tr("%1: %2").arg(where, p.message);
                if (check.problems.size() > 1)
                    message +=
                        tr(" (and %n more problem(s))", nullptr, int(check.problems.size() - 1));
                fail(message);
                return;
            }
            next(std::move(check.workflow));
        });
}

void RunFollower::startEngine(Workflow workflow)
{
    m_home = homeSiteOf(workflow);
    EngineOptions options;
    options.workflow = std::move(workflow);
    // homeSite stays empty: the workflow decides it, the same for everyone.
    options.lease = m_options.lease;
    options.clock = m_options.clock;
    m_engine = new Engine(m_supervisor, m_runId, options, this);
    connect(m_engine, &Engine::started, this, [this] {
        m_started = true;
        m_home = m_engine->homeSite();
        // After every receiver of started() (a caller says "following" first).
        if (!m_engine->record().finished.isEmpty())
            QMetaObject::invokeMethod(
                this,
                [this] {
                    if (m_engine)
                        endWith(m_engine->record().finished, tr("the run had finished already"));
                },
                Qt::QueuedConnection);
    });
    connect(m_engine, &Engine::problem, this, [this](const QString &message) {
        if (!m_started)
            fail(message); // the engine could not start: it says why
    });
    connect(m_engine, &Engine::runFinished, this,
            [this](const QString &outcome, const QString &reason) {
                m_finishing = true;
                m_outcome = outcome;
                m_reason = reason;
            });
    connect(m_engine, &Engine::cycleFinished, this, &RunFollower::onCycle);
    qCInfo(lcEngine).noquote() << "follow: run" << m_runId << "found on" << m_site << "; home"
                               << m_home;
    Q_EMIT engineReady(m_engine);
    m_engine->start();
}

void RunFollower::onCycle()
{
    if (m_ended || m_stopping)
        return;
    // The engine stops itself once the finish is recorded and summarised.
    if (m_finishing) {
        endWith(m_outcome, m_reason);
        return;
    }
    // Another engine acts: its summary says when the run is over.
    if (m_started && !m_engine->isActing())
        readSummary();
}

void RunFollower::readSummary()
{
    if (m_readingSummary || m_home.isEmpty())
        return;
    m_readingSummary = true;
    m_supervisor->readRunFile(
        m_home, m_runId, QLatin1String(kSummaryFile), kMaxJsonBytes, this,
        [this](Result<QByteArray> bytes) {
            m_readingSummary = false;
            if (!bytes || m_ended || m_stopping)
                return; // not written yet, or unreadable now: the next cycle reads it again
            auto summary = parseRunSummary(*bytes, QLatin1String(kSummaryFile));
            if (summary && !summary->finished.isEmpty() && !m_engine->isActing())
                endWith(summary->finished, tr("finished by %1").arg(summary->holder));
        });
}

void RunFollower::endWith(const QString &outcome, const QString &reason)
{
    if (m_ended)
        return;
    m_ended = true;
    m_outcome = outcome;
    m_reason = reason;
    stop();
}

void RunFollower::stop()
{
    disconnect(m_refreshConnection);
    if (m_stopping)
        return;
    m_stopping = true;
    auto finishStop = [this] {
        if (m_ended)
            Q_EMIT runEnded(m_outcome, m_reason);
        Q_EMIT stopped();
    };
    if (!m_engine) {
        finishStop();
        return;
    }
    // The engine says when its lease's release is written. At the end of a
    // run it has stopped itself already: the release may still be under way.
    const bool stopsNow = m_engine->isRunning();
    connect(m_engine, &Engine::stopped, this, finishStop, Qt::SingleShotConnection);
    m_engine->stop();
    if (!stopsNow && !m_engine->isReleasing()) {
        disconnect(m_engine, &Engine::stopped, this, nullptr);
        finishStop();
    }
}

} // namespace vigil::engine
