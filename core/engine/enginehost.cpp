// SPDX-License-Identifier: GPL-3.0-or-later
#include "enginehost.h"

#include "engine.h"
#include "logging.h"
#include "models/operationsmodel.h"
#include "runfollower.h"
#include "store/store.h"
#include "supervisor.h"

#include <algorithm>

namespace vigil::engine {

QString hostedStateName(HostedRun::State state)
{
    switch (state) {
    case HostedRun::State::Starting:
        return QStringLiteral("starting");
    case HostedRun::State::Acting:
        return QStringLiteral("acting");
    case HostedRun::State::Observing:
        return QStringLiteral("observing");
    case HostedRun::State::Failed:
        return QStringLiteral("failed");
    case HostedRun::State::Ended:
        return QStringLiteral("ended");
    case HostedRun::State::Stopping:
        return QStringLiteral("stopping");
    }
    return QString();
}

EngineHost::EngineHost(Supervisor *supervisor, Store *store, EngineHostOptions options,
                       QObject *parent)
    : QObject(parent), m_supervisor(supervisor), m_store(store), m_options(std::move(options)),
      m_operations(supervisor->operations())
{
    Q_ASSERT(supervisor);
}

EngineHost::~EngineHost()
{
    // Engines still running are stopped without waiting: their leases
    // expire, and the next engine takes them over after the stale interval.
    for (Entry &e : m_runs) {
        if (e.follower)
            disconnect(e.follower, nullptr, this, nullptr);
    }
    // The rows of the moves go with the engines (the model is the Supervisor's).
    if (m_operations)
        for (const quint64 row : std::as_const(m_moves))
            m_operations->remove(row);
}

OperationsModel *EngineHost::operations() const
{
    return m_operations;
}

void EngineHost::restore()
{
    if (!m_store)
        return;
    m_store->followedRuns(this, [this](Result<QList<FollowedRun>> runs) {
        if (!runs) {
            m_supervisor->raise(Issue::Severity::Error, QString(), tr("followed runs"),
                                tr("the runs this desktop follows cannot be read from the local "
                                   "store: %1")
                                    .arg(runs.errorString()));
            return;
        }
        for (const FollowedRun &r : std::as_const(*runs)) {
            if (m_runs.contains(r.runId))
                continue;
            Entry &e = m_runs[r.runId];
            e.info.runId = r.runId;
            e.info.site = r.site;
            e.info.since = r.since.isValid() ? r.since : QDateTime::currentDateTimeUtc();
            m_order << r.runId;
            qCInfo(lcEngine).noquote() << "desktop: following run" << r.runId << "again";
            start(e);
        }
    });
}

void EngineHost::follow(const QString &runId, const QString &site)
{
    if (!site.isEmpty() && m_supervisor->isReadOnly(site)) {
        // A review bundle: nothing to drive, and nothing to remember.
        m_supervisor->raise(Issue::Severity::Warning, site, tr("follow"),
                            tr("Run %1 of %2 is a review bundle, read-only: it cannot be "
                               "followed")
                                .arg(runId, site));
        return;
    }
    auto it = m_runs.find(runId);
    if (it != m_runs.end()) {
        Entry &e = *it;
        e.wanted = true;
        if (!site.isEmpty())
            e.info.site = site;
        if (m_store)
            m_store->followRun(runId, site);
        // A run that failed (or ended) is tried now; one under way is left alone.
        if (!e.follower &&
            (e.info.state == HostedRun::State::Failed || e.info.state == HostedRun::State::Ended)) {
            e.nextDelay = std::chrono::milliseconds(0);
            start(e);
        }
        return;
    }
    Entry &e = m_runs[runId];
    e.info.runId = runId;
    e.info.site = site;
    e.info.since = QDateTime::currentDateTimeUtc();
    m_order << runId;
    if (m_store)
        m_store->followRun(runId, site);
    start(e);
}

void EngineHost::unfollow(const QString &runId)
{
    auto it = m_runs.find(runId);
    if (it == m_runs.end())
        return;
    if (m_store)
        m_store->unfollowRun(runId);
    Entry &e = *it;
    e.wanted = false;
    if (e.retry)
        e.retry->stop();
    if (e.follower) {
        setState(runId, HostedRun::State::Stopping);
        e.follower->stop(); // onStopped() removes the entry
        return;
    }
    m_runs.erase(it);
    m_order.removeAll(runId);
    Q_EMIT runRemoved(runId);
}

void EngineHost::start(Entry &e)
{
    const QString runId = e.info.runId;
    if (m_shuttingDown)
        return;
    if (!e.info.site.isEmpty() && !m_supervisor->site(e.info.site)) {
        onFailed(runId, tr("site %1 of run %2 is not one of this window's sites: open the "
                           "workflow that describes it, or add it with `vigilctl site add`")
                            .arg(e.info.site, runId));
        return;
    }
    FollowOptions options;
    options.site = e.info.site;
    options.lease = m_options.lease;
    auto *follower = new RunFollower(m_supervisor, runId, options, this);
    e.follower = follower;
    e.info.retryAt = QDateTime();
    setState(runId, HostedRun::State::Starting);
    connect(follower, &RunFollower::engineReady, this,
            [this, runId](Engine *engine) { onEngineReady(runId, engine); });
    connect(follower, &RunFollower::failed, this,
            [this, runId](const QString &message) { onFailed(runId, message); });
    connect(follower, &RunFollower::runEnded, this,
            [this, runId](const QString &outcome, const QString &reason) {
                if (m_store)
                    m_store->unfollowRun(runId);
                setState(runId, HostedRun::State::Ended,
                         reason.isEmpty() ? outcome : tr("%1: %2").arg(outcome, reason));
            });
    connect(follower, &RunFollower::stopped, this, [this, runId] { onStopped(runId); });
    follower->start();
}

void EngineHost::onEngineReady(const QString &runId, Engine *engine)
{
    auto it = m_runs.find(runId);
    if (it == m_runs.end())
        return;
    if (RunFollower *f = it->follower; f && !f->site().isEmpty())
        it->info.site = f->site();
    connect(engine, &Engine::leaseAcquired, this,
            [this, runId] { setState(runId, HostedRun::State::Acting); });
    connect(engine, &Engine::leaseHeldElsewhere, this, [this, runId](const QString &holder) {
        setState(runId, HostedRun::State::Observing, QString(), holder);
    });
    connect(engine, &Engine::leaseLost, this, [this, runId](const QString &why) {
        setState(runId, HostedRun::State::Observing, why);
    });
    connect(engine, &Engine::actionDone, this, [this, runId](const QString &, const QString &what) {
        const auto at = m_runs.constFind(runId);
        if (at != m_runs.cend() && at->info.state == HostedRun::State::Acting)
            setState(runId, HostedRun::State::Acting, what);
    });
    connect(engine, &Engine::actionFailed, this,
            [this, runId](const QString &, const QString &error) { report(runId, error, true); });
    connect(engine, &Engine::revisionRefused, this,
            [this, runId](int revision, const QString &why) {
                report(runId, tr("revision %1 refused: %2").arg(revision).arg(why), true);
            });
    connect(engine, &Engine::problem, this, [this, runId, engine](const QString &message) {
        if (engine->isRunning())
            report(runId, message, false);
    });
    trackMoves(runId, engine);
}

void EngineHost::trackMoves(const QString &runId, Engine *engine)
{
    // Keyed by the engine too: an engine of the same run made after this one
    // (followed again) keeps its rows when this one goes.
    const QString owner = movesPrefix(engine);
    // "-> QString": with QT_USE_QSTRINGBUILDER the deduced type would be a
    // builder holding a reference to the temporary QLatin1Char.
    auto key = [owner](const QString &task, const QString &path) -> QString {
        return owner + task + QLatin1Char('\n') + path;
    };
    connect(engine, &Engine::inputMoveStarted, this,
            [=, this, weak = QPointer<Engine>(engine)](const QString &task, const QString &path,
                                                       const QString &from, const QString &to) {
                Operation op;
                op.site = to;
                op.run = runId;
                op.title = tr("Moving %1 %2 -> %3").arg(path, from, to);
                op.cancel = [weak, task, path] {
                    if (weak)
                        weak->cancelInputMove(task, path);
                };
                m_operations->remove(m_moves.take(key(task, path)));
                m_moves.insert(key(task, path), m_operations->add(std::move(op)));
            });
    connect(engine, &Engine::inputProgress, this,
            [=, this](const QString &task, const QString &path, qint64 done, qint64 total) {
                m_operations->setProgress(m_moves.value(key(task, path)), done, total);
            });
    connect(engine, &Engine::inputMoveEnded, this,
            [=, this](const QString &task, const QString &path) {
                m_operations->remove(m_moves.take(key(task, path)));
            });
    // An engine that goes away mid-move takes its mover with it.
    connect(engine, &QObject::destroyed, this, [this, owner] { dropMoves(owner); });
}

QString EngineHost::movesPrefix(const Engine *engine)
{
    return QString::number(quintptr(engine), 16) + QLatin1Char('\n');
}

void EngineHost::dropMoves(const QString &prefix)
{
    for (auto it = m_moves.begin(); it != m_moves.end();) {
        if (it.key().startsWith(prefix)) {
            m_operations->remove(it.value());
            it = m_moves.erase(it);
        } else {
            ++it;
        }
    }
}

void EngineHost::onFailed(const QString &runId, const QString &message)
{
    auto it = m_runs.find(runId);
    if (it == m_runs.end())
        return;
    Entry &e = *it;
    if (RunFollower *f = e.follower) {
        // This follower is done with; a new one is made for the next try.
        disconnect(f, nullptr, this, nullptr);
        connect(f, &RunFollower::stopped, f, &QObject::deleteLater);
        e.follower = nullptr;
        f->stop();
    }
    using std::chrono::milliseconds;
    e.nextDelay = e.nextDelay.count() == 0
                      ? m_options.retryDelay
                      : std::min<milliseconds>(e.nextDelay * 2, m_options.maxRetryDelay);
    e.info.retryAt = QDateTime::currentDateTimeUtc().addMSecs(qint64(e.nextDelay.count()));
    report(runId, message, true);
    setState(runId, HostedRun::State::Failed, message);
    if (!e.retry) {
        e.retry = new QTimer(this);
        e.retry->setSingleShot(true);
        connect(e.retry, &QTimer::timeout, this, [this, runId] {
            const auto at = m_runs.find(runId);
            if (at != m_runs.end() && at->wanted && !at->follower)
                start(*at);
        });
    }
    e.retry->start(e.nextDelay);
    checkShutdown();
}

void EngineHost::onStopped(const QString &runId)
{
    auto it = m_runs.find(runId);
    if (it == m_runs.end())
        return;
    if (RunFollower *f = it->follower) {
        disconnect(f, nullptr, this, nullptr);
        f->deleteLater();
    }
    it->follower = nullptr;
    if (!it->wanted) {
        if (it->retry)
            it->retry->deleteLater();
        m_runs.erase(it);
        m_order.removeAll(runId);
        Q_EMIT runRemoved(runId);
    }
    checkShutdown();
}

void EngineHost::setState(const QString &runId, HostedRun::State state, const QString &detail,
                          const QString &holder)
{
    auto it = m_runs.find(runId);
    if (it == m_runs.end())
        return;
    HostedRun &info = it->info;
    if (info.state == state && info.detail == detail && info.holder == holder)
        return;
    info.state = state;
    info.detail = detail;
    info.holder = holder;
    qCInfo(lcEngine).noquote() << "desktop: run" << runId << hostedStateName(state) << detail
                               << holder;
    Q_EMIT runChanged(runId);
}

void EngineHost::report(const QString &runId, const QString &message, bool error)
{
    const auto it = m_runs.constFind(runId);
    m_supervisor->raise(error ? Issue::Severity::Error : Issue::Severity::Warning,
                        it != m_runs.cend() ? it->info.site : QString(), tr("run %1").arg(runId),
                        message);
}

bool EngineHost::isFollowed(const QString &runId) const
{
    const auto it = m_runs.constFind(runId);
    return it != m_runs.cend() && it->wanted;
}

std::optional<HostedRun> EngineHost::run(const QString &runId) const
{
    const auto it = m_runs.constFind(runId);
    if (it == m_runs.cend())
        return std::nullopt;
    return it->info;
}

QList<HostedRun> EngineHost::runs() const
{
    QList<HostedRun> out;
    for (const QString &id : m_order)
        out << m_runs.value(id).info;
    return out;
}

Engine *EngineHost::engine(const QString &runId) const
{
    const auto it = m_runs.constFind(runId);
    return it != m_runs.cend() && it->follower ? it->follower->engine() : nullptr;
}

int EngineHost::activeCount() const
{
    return int(std::count_if(m_runs.cbegin(), m_runs.cend(),
                             [](const Entry &e) { return !e.follower.isNull(); }));
}

void EngineHost::shutdown(std::chrono::milliseconds timeout, QObject *context,
                          std::function<void()> done)
{
    m_shuttingDown = true;
    m_shutdownDone = std::move(done);
    m_shutdownContext = context;
    for (Entry &e : m_runs) {
        if (e.retry)
            e.retry->stop();
    }
    QTimer::singleShot(timeout, this, [this] {
        if (m_shutdownDone)
            qCWarning(lcEngine) << "desktop:" << activeCount()
                                << "engine(s) did not confirm their stop in time";
        auto finish = std::exchange(m_shutdownDone, {});
        if (finish && m_shutdownContext)
            finish();
    });
    const QStringList ids = m_order;
    for (const QString &id : ids) {
        auto it = m_runs.find(id);
        if (it != m_runs.end() && it->follower)
            it->follower->stop();
    }
    checkShutdown();
}

void EngineHost::checkShutdown()
{
    if (!m_shuttingDown || !m_shutdownDone || activeCount() > 0)
        return;
    auto done = std::exchange(m_shutdownDone, {});
    // Queued: the caller of shutdown() (or of a follower's stop()) returns first.
    QMetaObject::invokeMethod(
        this,
        [this, done] {
            if (m_shutdownContext)
                done();
        },
        Qt::QueuedConnection);
}

} // namespace vigil::engine
