// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The engines the desktop runs: one RunFollower per followed run, for as long
// as the window is open. The runs followed are kept in the local store
// (followed_runs), so a window opened again, after a quit or a crash, follows
// them again (restore()) and picks each run up where its run directory and
// the scheduler say it is; the lease keeps it from acting while another
// engine (vigilctl follow, another desktop) holds the run. A run that has
// ended leaves the list. A run that cannot be followed (its site unreachable,
// its workflow unreadable) is tried again later, and the reason is listed as
// an issue. See docs/engine.md, "The desktop's engines". The engines' data
// moves under way are rows of the Supervisor's operations(), each
// cancellable (see docs/desktop.md, "Long operations").

#include "lease.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <chrono>
#include <functional>
#include <optional>

namespace vigil {
class OperationsModel;
class Store;
class Supervisor;
} // namespace vigil

namespace vigil::engine {

class Engine;
class RunFollower;

struct HostedRun
{
    enum class State {
        Starting,  // finding the run, reading its workflow, asking for the lease
        Acting,    // this desktop holds the lease and runs the engine
        Observing, // another engine holds the lease: this one watches
        Failed,    // cannot be followed now (`detail`); tried again at `retryAt`
        Ended,     // the run is over (`detail`: its outcome and why)
        Stopping,  // Stop following: the lease is being released
    };
    QString runId;
    QString site; // where the run was found (or is looked for); may be empty
    State state = State::Starting;
    QString holder; // Observing: who holds the lease
    QString detail;
    QDateTime since;   // when this desktop started following it
    QDateTime retryAt; // Failed
};

QString hostedStateName(HostedRun::State state);

struct EngineHostOptions
{
    LeaseOptions lease;
    // The first wait before a run that could not be followed is tried again;
    // each failure doubles it, up to maxRetryDelay.
    std::chrono::milliseconds retryDelay{std::chrono::seconds(30)};
    std::chrono::milliseconds maxRetryDelay{std::chrono::minutes(10)};
};

class EngineHost : public QObject
{
    Q_OBJECT
public:
    // `store` may be null: then nothing is remembered across restarts.
    EngineHost(Supervisor *supervisor, Store *store, EngineHostOptions options = {},
               QObject *parent = nullptr);
    ~EngineHost() override;

    // Follows every run the store lists (once the store has answered).
    void restore();
    // Starts an engine on the run and remembers it; a run already followed
    // (and not failed) is left as it is. `site` may be empty: every site
    // (but review bundles). A review bundle's run is refused (an issue).
    void follow(const QString &runId, const QString &site = QString());
    // Stops the run's engine (its lease is released) and forgets the run.
    void unfollow(const QString &runId);

    bool isFollowed(const QString &runId) const;
    std::optional<HostedRun> run(const QString &runId) const;
    QList<HostedRun> runs() const;
    // The engine of a run, while it exists.
    Engine *engine(const QString &runId) const;
    // Engines running or releasing their lease.
    int activeCount() const;
    // The engines' data inputs being moved: a row per move, from its start
    // to its end; its cancel calls Engine::cancelInputMove().
    // The Supervisor's (where the data moves are listed).
    OperationsModel *operations() const;

    // Stops every engine (leases released) but keeps the runs followed, for
    // the next start. `done` runs once every engine has stopped, or after
    // `timeout` (a site that does not answer must not keep the window open).
    void shutdown(std::chrono::milliseconds timeout, QObject *context, std::function<void()> done);

Q_SIGNALS:
    void runChanged(const QString &runId);
    // No longer followed (Stop following): the row can go.
    void runRemoved(const QString &runId);

private:
    struct Entry
    {
        HostedRun info;
        QPointer<RunFollower> follower;
        bool wanted = true; // false: Stop following was asked
        std::chrono::milliseconds nextDelay{0};
        QTimer *retry = nullptr;
    };
    void start(Entry &e);
    void onEngineReady(const QString &runId, Engine *engine);
    void onFailed(const QString &runId, const QString &message);
    void onStopped(const QString &runId);
    void setState(const QString &runId, HostedRun::State state, const QString &detail = QString(),
                  const QString &holder = QString());
    void report(const QString &runId, const QString &message, bool error);
    void checkShutdown();
    void trackMoves(const QString &runId, Engine *engine);
    // The rows of one engine's moves (keys starting with movesPrefix(engine)).
    void dropMoves(const QString &prefix);
    static QString movesPrefix(const Engine *engine);

    Supervisor *m_supervisor;
    QPointer<Store> m_store;
    EngineHostOptions m_options;
    QHash<QString, Entry> m_runs;
    QStringList m_order; // run ids, in the order followed
    bool m_shuttingDown = false;
    std::function<void()> m_shutdownDone;
    QPointer<QObject> m_shutdownContext;
    QPointer<OperationsModel> m_operations; // the Supervisor's
    QHash<QString, quint64> m_moves;        // "engine\ntask\npath" -> row id in m_operations
};

} // namespace vigil::engine
