// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The local store: an SQLite database (Qt Sql) with the sites and runs seen,
// the job-state history, the inbox, the decision outbox and the audit log.
// It is a cache and a journal: the run directories stay the source of truth.
// See docs/store.md.

#include "core/workerthread.h"
#include "result.h"
#include "runs/runinfo.h"
#include "sites/jobinfo.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>
#include <memory>

namespace vigil {

class StoreDb;
class StoreWorker;

// A decision kept in the outbox until the run directory holds it.
struct OutboxEntry
{
    // queued: stored, not yet written to the site; sent: a write was tried (it
    // may have reached the site); confirmed: the site holds this decision id;
    // lost: another decision was there first; failed: it can never be written
    // (the checkpoint closed, the option is no longer offered). The last
    // three are final.
    enum class State { Queued, Sent, Confirmed, Lost, Failed };

    QString decisionId; // 32 lower-case hex digits, the key
    QString site;
    QString runId;
    QString checkpointId;
    QString nonce; // of the request the decider saw; empty: unknown
    QString option;
    QString params = QStringLiteral("{}"); // a JSON object
    QString comment;
    QString decidedBy;
    QString clientHost;
    QString evidenceSha256;
    // How many bytes of each metric file the hash covers, as a JSON array in
    // the request's order ("[120,40]"): decision.json's evidence_bytes. Empty:
    // none recorded (rows of older versions, decisions without evidence).
    QString evidenceBytes;
    QDateTime decidedAt;
    State state = State::Queued;
    int attempts = 0; // writes tried
    QString lastError;
    QDateTime updatedAt;
    // Set when lost: the decision that holds.
    QString winnerBy;
    QString winnerOption;
    QString winnerDecisionId;
    QDateTime winnerDecidedAt;
};

QString outboxStateName(OutboxEntry::State state);

// A checkpoint as the inbox keeps it.
struct InboxEntry
{
    QString site;
    QString runId;
    QString checkpointId;
    QString task;
    QString title;
    // pending, decided, defaulted (the job took its timeout default), applied,
    // or refused, broken, closed (checkpointStatusName).
    QString status;
    bool read = false;
    QString decidedBy;
    QString option;
    QString decisionId;
    QDateTime createdAt;
    QDateTime decidedAt;
    QDateTime appliedAt;
    QDateTime updatedAt; // when the status last changed
};

// One observed change of a job's state.
struct JobStateChange
{
    QString site;
    QString jobId;
    QString runId;
    QString task;
    QString state;
    QString reason;
    int exitCode = -1;
    QDateTime observedAt;
};

struct StoredRun
{
    QString site;
    QString runId;
    QString workflow;
    QDateTime createdAt;
    QDateTime firstSeen;
    QDateTime lastSeen;
};

// A run whose engine the desktop of this machine runs while it is open
// (followed from the Runs view, or launched by vigilctl here).
struct FollowedRun
{
    QString runId;
    QString site; // where it was found; empty: look on every site
    QDateTime since;
};

// Who decided what, when, from which machine, with which evidence: written
// once per decision id, when the site confirmed the decision.
struct AuditEntry
{
    QString decisionId;
    QString site;
    QString runId;
    QString checkpointId;
    QString option;
    QString params;
    QString comment;
    QString decidedBy;
    QString clientHost;
    QString evidenceSha256;
    QString evidenceBytes; // as OutboxEntry::evidenceBytes
    QDateTime decidedAt;
    QDateTime confirmedAt;
};

// The database lives on its own thread: every call returns at once and its
// callback runs later on the caller's thread, unless `context` has died (a
// null context: nobody is told; errors are logged). Calls run in the order
// they were made. The destructor finishes every call already made.
class Store : public QObject
{
    Q_OBJECT
public:
    // The schema version this program writes (PRAGMA user_version).
    static constexpr int kSchemaVersion = 4;

    // Opens (creates, upgrades) the database at `path` in the background.
    explicit Store(QString path = defaultPath(), QObject *parent = nullptr);
    ~Store() override;

    // $VIGIL_STORE_PATH, or store.sqlite in the application-data directory of
    // Vigil (~/.local/share/Vigil/vigil), shared by vigil and vigilctl.
    static QString defaultPath();
    QString path() const { return m_path; }

    // The store of this process, for code that makes supervisors without
    // being handed one (vigilctl's commands). May be null.
    static Store *applicationStore();
    static void setApplicationStore(Store *store);

    // The outcome of opening: ok, or why the database cannot be used.
    void whenOpen(QObject *context, Callback<void> done);

    void recordSite(const QString &name, const QString &kind, const QString &address);
    void recordRuns(const QString &site, const QList<RunInfo> &runs);
    void runs(QObject *context, Callback<QList<StoredRun>> done);

    // The runs the desktop follows. followRun of a run already followed
    // keeps its `since` and takes the new site when one is given.
    void followRun(const QString &runId, const QString &site, QObject *context = nullptr,
                   Callback<void> done = {});
    void unfollowRun(const QString &runId, QObject *context = nullptr, Callback<void> done = {});
    void followedRuns(QObject *context, Callback<QList<FollowedRun>> done);

    // Adds a history row for each job whose state differs from its last row;
    // `done` gets the number of rows added.
    void recordJobStates(const QString &site, const QList<JobInfo> &jobs,
                         const QDateTime &observedAt, QObject *context = nullptr,
                         Callback<int> done = {});
    void jobHistory(const QString &site, const QString &jobId, QObject *context,
                    Callback<QList<JobStateChange>> done);

    // Adds new checkpoints (unread) and moves known ones to their new status;
    // `done` gets the number of rows added or changed.
    void updateInbox(const QList<CheckpointInfo> &checkpoints, QObject *context = nullptr,
                     Callback<int> done = {});
    void setRead(const QString &site, const QString &runId, const QString &checkpointId, bool read,
                 QObject *context = nullptr, Callback<void> done = {});
    void inbox(QObject *context, Callback<QList<InboxEntry>> done);

    // The outbox. queueDecision stores a new decision (state queued); the
    // same decision id twice is refused (AlreadyExists). The marks move it
    // along queued -> sent -> confirmed | lost, or to failed; a mark that the
    // current state does not allow is refused with an error that says so.
    void queueDecision(const OutboxEntry &entry, QObject *context, Callback<void> done);
    void markSent(const QString &decisionId, QObject *context = nullptr, Callback<void> done = {});
    // Confirmed, and the audit row written, in one transaction.
    void markConfirmed(const QString &decisionId, const QDateTime &at, QObject *context = nullptr,
                       Callback<void> done = {});
    void markLost(const QString &decisionId, const OutboxEntry &winner, QObject *context = nullptr,
                  Callback<void> done = {});
    void markFailed(const QString &decisionId, const QString &why, QObject *context = nullptr,
                    Callback<void> done = {});
    // A try that did not get an answer: the entry stays as it is, with why.
    void noteSendError(const QString &decisionId, const QString &why);
    // Queued and sent entries of a site (every site when empty), oldest first.
    void unconfirmed(const QString &site, QObject *context, Callback<QList<OutboxEntry>> done);
    void outbox(QObject *context, Callback<QList<OutboxEntry>> done);

    // The audit log of a run (every run when empty), oldest first.
    void auditLog(const QString &runId, QObject *context, Callback<QList<AuditEntry>> done);

Q_SIGNALS:
    // A try to send the decision has ended and the store holds its outcome:
    // markConfirmed, markLost, markFailed or noteSendError has run (whether
    // the write succeeded or not). Emitted after the caller's own callback.
    void sendAttemptEnded(const QString &decisionId);

private:
    template <typename T>
    void call(QObject *context, Callback<T> done, std::function<Result<T>(StoreDb &)> work);
    // call(), then sendAttemptEnded(decisionId).
    void endAttempt(const QString &decisionId, QObject *context, Callback<void> done,
                    std::function<Result<void>(StoreDb &)> work);

    QString m_path;
    StoreWorker *m_worker = nullptr; // lives on m_thread; deleted there last
    // Joined only: the last call ~Store queues ends its event loop, after
    // every call queued before it.
    std::unique_ptr<QThread, ThreadJoiner> m_thread;
};

} // namespace vigil
