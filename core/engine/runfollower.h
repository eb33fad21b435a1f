// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Follows a run by its id: finds it on the Supervisor's sites, reads its
// workflow (the run directory's workflow.toml, unless one is given), and runs
// an engine::Engine on it. For `vigilctl follow` and the desktop: it prints
// nothing; everything it knows comes out as signals.
//
// The engine's home site (the lease, the record, the summary) is left to the
// workflow (EngineOptions::homeSite empty: the site of its first job), so
// every machine that follows the run picks the same one. Stopping releases
// the lease, and stopped() comes once the release is seen in the run
// directory (or could not be confirmed): a process may exit then.

#include "engine.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <optional>

namespace vigil {
class Supervisor;
}

namespace vigil::engine {

struct FollowOptions
{
    // Look for the run on this site only; empty: on every site of the
    // Supervisor. (The engine still reaches every site the workflow uses.)
    QString site;
    // The run's workflow; empty: read from the run directory.
    std::optional<Workflow> workflow;
    LeaseOptions lease;
    const Clock *clock = Clock::system();
};

class RunFollower : public QObject
{
    Q_OBJECT
public:
    RunFollower(Supervisor *supervisor, QString runId, FollowOptions options = {},
                QObject *parent = nullptr);
    ~RunFollower() override;

    // Finds the run (from the Supervisor's scans; the sites not scanned yet
    // are refreshed once), reads its workflow and starts the engine:
    // engineReady() then the engine's own signals, or failed().
    void start();
    // Stops the engine (it releases the lease when it holds it); stopped()
    // follows. Before the engine exists: stopped() at once.
    void stop();

    QString runId() const { return m_runId; }
    // Where the run was found (and its workflow read); empty until then.
    QString site() const { return m_site; }
    Engine *engine() const { return m_engine; }
    // The engine has started (its problems from now on are not fatal).
    bool isFollowing() const { return m_started; }

Q_SIGNALS:
    // The engine is made and about to start: connect to its signals now.
    void engineReady(vigil::engine::Engine *engine);
    // The run cannot be followed: not found, its workflow unreadable, or the
    // engine could not start (it says why). Nothing was changed on any site.
    void failed(const QString &message);
    // The run has ended: this engine finished it, or (while another engine
    // holds the lease) the holder's summary says so, or it had ended before.
    // The lease is released by then.
    void runEnded(const QString &outcome, const QString &reason);
    // After stop() (or the end of the run): the lease is released.
    void stopped();

private:
    void findRun();
    void lookAgain();
    void readWorkflow(const QString &site, std::function<void(Workflow)> next);
    void startEngine(Workflow workflow);
    void onCycle();
    void readSummary();
    void endWith(const QString &outcome, const QString &reason);
    void fail(const QString &message);

    Supervisor *m_supervisor;
    QString m_runId;
    FollowOptions m_options;
    QString m_site;
    QString m_home;
    QPointer<Engine> m_engine;
    QStringList m_waiting;               // sites whose refresh is awaited before looking
    QMap<QString, QString> m_unreadable; // site -> why its refresh failed
    QMetaObject::Connection m_refreshConnection;
    bool m_started = false;   // the engine said started()
    bool m_finishing = false; // the engine said runFinished(): stop at the cycle's end
    bool m_ended = false;     // runEnded() was emitted
    bool m_stopping = false;
    bool m_readingSummary = false;
    QString m_outcome, m_reason;
};

} // namespace vigil::engine
