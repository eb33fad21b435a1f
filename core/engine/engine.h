// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The executor: follows one run and acts on it.
//
// Each cycle is driven by the Supervisor's refresh of a site the run uses
// (no scheduler query of its own): it observes the run (the run directories'
// scans, the scheduler's jobs of the sites that were queried after the
// engine's last action there, the gates' decisions, the log tails of failed
// tasks), derives the task states, and, while it holds the run's lease and
// may act, plans and executes the actions one after the other, each
// asynchronously. Its record (engine/record.json) is replaced after each
// confirmed submission and read back when an engine starts, so a restarted
// engine resumes where the last one was; submission goes through submitOnce,
// so a crash between a submission and the record never submits twice. The
// holder also writes engine/state.json, a summary other desktops read. An
// engine that does not hold the lease keeps observing and says who holds it.
// See docs/engine.md, "Executor".

#include "clock.h"
#include "gateposting.h"
#include "lease.h"
#include "planner.h"
#include "revision.h"
#include "taskstate.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <functional>
#include <optional>

namespace vigil {
class DataMover;
class Site;
class Supervisor;
struct RunInfo;
} // namespace vigil

namespace vigil::engine {

struct EngineOptions
{
    // The site whose run directory holds the lease, the record and the
    // summary (and workflow.toml, when `workflow` is not given). Empty: the
    // site of the workflow's first job.
    QString homeSite;
    // The run's workflow. Empty: read from <run directory>/workflow.toml on
    // the home site (which must then be given).
    std::optional<Workflow> workflow;
    LeaseOptions lease;
    const Clock *clock = Clock::system();
    qint64 logTailBytes = 4096;                       // of a failed task's log
    qint64 maxInputBytes = qint64(256) * 1024 * 1024; // one moved data input
};

class Engine : public QObject
{
    Q_OBJECT
public:
    Engine(Supervisor *supervisor, QString runId, EngineOptions options = {},
           QObject *parent = nullptr);
    ~Engine() override;

    // Reads the workflow (when not given) and the record, takes the lease
    // (or learns who holds it) and follows the Supervisor's refreshes.
    // started() or problem() tells how it went.
    void start();
    // Stops acting and following; releases the lease when held.
    void stop();
    // The supervisor cancels the run: every queued job is cancelled, nothing
    // more is submitted, the run finishes "cancelled".
    void cancelRun();
    // The supervisor cancels the move of a task's data input under way (a
    // path of its `inputs`): the move stops (DataMover::cancel()), fails as
    // "cancelled", and is not started again by this engine: the task waits
    // until the run is followed anew. False: no such move under way.
    bool cancelInputMove(const QString &task, const QString &path);

    QString runId() const { return m_runId; }
    QString homeSite() const { return m_home; }
    const Workflow &workflow() const { return m_workflow; }
    const RunRecord &record() const { return m_record; }
    // The workflow revision in effect (1: the launched workflow.toml).
    int revision() const { return m_record.revision; }
    QMap<QString, TaskStatus> states() const { return m_states; }
    // Holds the lease and may act now.
    bool isActing() const;
    // Following (between start() and stop(), or the run's end).
    bool isRunning() const { return m_running; }
    // stop() is releasing the lease: stopped() follows.
    bool isReleasing() const { return m_releasing; }
    Lease *lease() const { return m_lease; }

Q_SIGNALS:
    void started();
    // After stop() (also the stop at the run's end): once the lease's release
    // is written when it was held, else at once (queued).
    void stopped();
    // Something keeps the engine from following or acting (the workflow or
    // record cannot be read, a gate's decision cannot be read...).
    void problem(const QString &message);
    void leaseAcquired();
    // Another engine holds the lease: this one only observes.
    void leaseHeldElsewhere(const QString &holder);
    void leaseLost(const QString &why);
    void taskStateChanged(const QString &task, vigil::engine::TaskState state,
                          const QDateTime &since, const QString &reason);
    void actionDone(const QString &action, const QString &what);
    // `error` names the run, the task and the site.
    void actionFailed(const QString &action, const QString &error);
    // A data input being moved between sites.
    void inputProgress(const QString &task, const QString &path, qint64 bytesDone,
                       qint64 bytesTotal);
    // A data input's move begins (then inputProgress), and ends, moved or not.
    void inputMoveStarted(const QString &task, const QString &path, const QString &fromSite,
                          const QString &toSite);
    void inputMoveEnded(const QString &task, const QString &path);
    void runFinished(const QString &outcome, const QString &reason);
    // A run-time change (revisions/NNNN.toml) was checked against the task
    // states and is now the workflow; `summary` has one describeChange()
    // line per change ("+ task evaluate (after train)").
    void revisionApplied(int revision, const QString &summary);
    // A revision was refused whole (nothing of it applies, now or later);
    // `why` names each task and why. problem() says it too.
    void revisionRefused(int revision, const QString &why);
    // One cycle ended (observed, and acted when it could).
    void cycleFinished();

private:
    using Next = std::function<void()>;

    // engine.cpp: lifecycle, lease, observation, the cycle.
    void cannotStart(const QString &why);
    void readSiteFile(Site *site, const QString &path, qint64 maxBytes, Callback<QByteArray> done);
    void loadWorkflow(Next next);
    void loadRecord(Next next);
    void begin();
    // Sites of the workflow's jobs the engine does not follow yet: followed
    // (and added to the Supervisor). An error names a site not described.
    Result<void> followSites();

    // enginerevisions.cpp: run-time changes.
    // Reads the workflow revision the record names; `failed` (default: the
    // engine cannot start) gets why it cannot.
    void loadRevision(Next next, std::function<void(const QString &)> failed = {});
    void fetchRevision(Next next);
    struct FetchedRevision;
    void readDescription(Site *home, int number, FetchedRevision fetched, Next next);
    // Checks the revision fetched this cycle against `states` and switches
    // to it, or refuses it. True when the workflow changed.
    bool takeRevision(const QMap<QString, TaskStatus> &states);
    // A revision that came with a decision: empty when that decision holds
    // its checkpoint; else why the revision is refused; nullopt while the
    // checkpoint waits for it (the revision is kept for the next cycle).
    std::optional<QString> decisionProblem(const RevisionInfo &info) const;
    void leaseTick();
    void onLeaseResult(Result<bool> held);
    // On taking the lease: the record (and the revision it names) read again,
    // since another engine may have acted since this one read it.
    void rereadRecord();
    void onRefreshed(const QString &site, bool ok);
    void scheduleCycle();
    void runCycle();
    Observation observe();
    void fetchDetails(const Observation &obs);
    void fetchGateParams(const QString &gate, Next next);
    void fetchLogTail(const TaskStatus &status, Next next);
    void finishCycle(const Observation &obs);
    void endCycle();
    void writeSummary(Next next);
    void raiseProblem(const QString &message);

    // engineactions.cpp and enginegates.cpp: executing the plan.
    void execute(QList<Action> actions, Next done);
    void submit(const Action &action, Next next);
    void submitted(const Action &action, Site *site, const QString &taskDir, const QString &jobId,
                   bool adopted, Next next);
    void control(const Action &action, Next next); // release or cancel
    void skip(const Action &action, Next next);
    void postGate(const Action &action, Next next);
    void postGateAs(const Action &action, Site *site, const GateAccount &account, Next next);
    void takeDefault(const Action &action, Next next);
    void moveInput(const Action &action, Next next);
    void finish(const Action &action, Next next);
    void siteAccount(Site *site, const QStringList &approvers,
                     std::function<void(Result<GateAccount>)> done);
    void writeRecord(Callback<void> done);
    // Makes the file's directory, then replaces the file atomically.
    void writeFile(Site *site, const QString &path, const QByteArray &bytes, quint32 mode,
                   Callback<void> done);
    void done(const Action &action, const QString &what, Next next);
    // Writes the record, then says the action is done (or failed to be recorded).
    void recordThen(const Action &action, const QString &site, const QString &what, Next next);
    void failed(const Action &action, const QString &site, const QString &error, Next next);
    void actedOn(const QString &site);

    Site *siteOf(const QString &name) const;
    QString runDir(const Site *site) const;
    QString workDirectory(const TaskSpec &task, const Site *site) const;
    QString taskSite(const TaskSpec &task) const;

    Supervisor *m_supervisor;
    QString m_runId;
    EngineOptions m_options;
    Workflow m_workflow;
    QString m_home;
    QStringList m_sites; // every site the run uses
    RunRecord m_record;
    QMap<QString, TaskStatus> m_states;
    QPointer<Lease> m_lease;
    QTimer m_leaseTimer;
    bool m_running = false;
    bool m_releasing = false; // stop() is writing the lease's release
    bool m_busy = false;      // a cycle is under way
    bool m_again = false;     // another cycle was asked for meanwhile
    enum class LeaseState { Unknown, Held, Elsewhere };
    LeaseState m_leaseState = LeaseState::Unknown;
    QString m_lastHolder; // while Elsewhere
    QString m_lastProblem;
    QDateTime m_createdAt;               // the run's creation, from the scan
    QHash<QString, int> m_refreshes;     // site -> successful refreshes seen
    QHash<QString, int> m_actedAt;       // site -> m_refreshes when the engine last acted there
    QMap<QString, QString> m_scanJobIds; // task -> job id in its run directory
    QMap<QString, QMap<QString, QString>> m_gateParams; // decided gate -> params
    QSet<QString> m_paramsMissing;                      // decided gates whose params are unknown
    QMap<QString, QPair<int, QString>> m_logTails;      // task -> (attempt, tail)
    QHash<QString, quint32> m_uids; // "site/user" -> uid there ("site/": the engine's account)
    QByteArray m_lastSummary;
    struct FetchedRevision
    {
        int number = 0;
        std::optional<Workflow> workflow;
        std::optional<RevisionInfo> info; // revisions/NNNN.json; none: not written
        QString error;                    // why it cannot be read
    };
    std::optional<FetchedRevision> m_fetchedRevision;
    bool m_recordDirty = false;
    bool m_revisionsFirst = false; // new decisions wait for the revisions in line
    bool m_recordChecked = false;  // read again since the lease was taken
    bool m_rereading = false;
    bool m_finishedSaid = false;
    QHash<QString, QPointer<DataMover>> m_movers; // "task/path" -> its move under way
    QSet<QString> m_cancelledMoves;               // "task/path": not moved again
};

} // namespace vigil::engine
