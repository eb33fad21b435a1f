// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runs/runinfo.h"
#include "sites/jobinfo.h"
#include "ssh/sshtarget.h"
#include "store/store.h"
#include "transport.h"
#include "workflow/workflow.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <memory>

namespace vigil {

class FileTail;
class OperationsModel;
class Site;
class RunWatch;

// A problem the user must see (not a developer log line).
struct Issue
{
    enum class Severity { Info, Warning, Error };
    Severity severity = Severity::Error;
    QString site;    // may be empty
    QString subject; // short: "host key", "checkpoint epoch-3", "submission"
    QString message; // what and where
    QDateTime when;
};

// What the desktop knows about one site right now.
struct SiteStatus
{
    QString name;
    QString kind;    // slurm, ssh, local
    QString address; // host alias / name
    Transport::State connection = Transport::State::Disconnected;
    QString connectionMessage;
    QDateTime lastRefresh;     // the older of the two below: how stale the oldest data shown is
    QDateTime jobsConfirmedAt; // the scheduler's last answer; invalid: never
    QDateTime runsConfirmedAt; // the run directories' (a scan, or the watch's last word)
    bool watching = false;     // a vigil-job watch stream is live
    int pollSeconds = 20;      // scheduler query interval of this site
    QString helperVersion;
    // Non-empty: vigil-job cannot run on the site (why), so the run
    // directories are read over SFTP every cycle and there is no watch.
    QString helperProblem;
    QString lastError;
    int activeJobs = 0;
    int pendingCheckpoints = 0;
};

// The decision a person takes on a checkpoint.
struct DecisionInput
{
    QString site;
    QString runId;
    QString checkpointId;
    QString option;
    QString comment;
    QString evidenceSha256; // of the metric data the decider saw; may be empty
    QJsonObject params;     // name -> value; a parameter left out takes its default
    // 32 lower-case hex digits made beforehand (a revision that comes with
    // this decision names it); empty: a new one.
    QString decisionId;
    // How many bytes of each metric file evidenceSha256 covers, a JSON array
    // in the request's order (evidenceBytes() of core/runs/evidence.h); empty:
    // none recorded. With it the job can check the hash.
    QString evidenceBytes;
};

struct DecisionOutcome
{
    bool won = true;   // false: someone else decided first
    QString decidedBy; // who holds the decision now
    QString option;    // the option that holds
    QDateTime decidedAt;
    QString decisionId; // of the decision that holds
};

struct SupervisorOptions
{
    QString sshConfigFile; // like ssh -F; empty: ~/.ssh/config
    HostKeyPolicy hostKeyPolicy = HostKeyPolicy::Ask;
    int pollSeconds = 20;
    // The local store (inbox, outbox, job history, audit). Null: the
    // process's Store::applicationStore(), which may be null too: then
    // decisions are sent without an outbox and nothing is recorded.
    Store *store = nullptr;
};

// The heart of the desktop and of vigilctl: the sites, one refresh cycle per
// site per interval (one scheduler query + one run-directory scan, shared by
// every view), the decisions, and the issues list. No widgets.
class Supervisor : public QObject
{
    Q_OBJECT
public:
    explicit Supervisor(SupervisorOptions options, QObject *parent = nullptr);
    ~Supervisor() override;

    const SupervisorOptions &options() const { return m_options; }

    // Adds (or returns the existing) site; connects in the background.
    Site *addSite(const SiteSpec &spec);
    Site *site(const QString &name) const;
    QList<Site *> sites() const;
    // Shows a review bundle, opened by bundle::openBundle (docs/bundles.md),
    // as a site of its own, kind "bundle", named "bundle-RUN" (with a number
    // when taken): its runs, checkpoints, decisions, metrics and logs are read
    // from the extracted directory like a live run's, its jobs from the
    // bundle's store/jobs.json. Read-only: decide() and the job actions fail
    // with "SITE is a review bundle: read-only"; nothing is watched, nothing
    // goes into the local store's inbox or history, no checkpoint is announced.
    Site *addBundle(const QString &bundleFile, const QString &bundleRoot, const QString &runId);
    // A review bundle's site.
    bool isReadOnly(const QString &site) const;

    // Polling. start() refreshes at once and then every pollSeconds.
    void start();
    void stop();
    void refresh(const QString &siteName = QString());

    QList<SiteStatus> siteStatuses() const;
    SiteStatus siteStatus(const QString &name) const;
    QList<JobInfo> jobs() const; // every site
    QList<RunInfo> runs() const; // every site
    QList<CheckpointInfo> checkpoints() const;
    std::optional<CheckpointInfo> checkpoint(const QString &site, const QString &runId,
                                             const QString &id) const;
    QList<Issue> issues() const { return m_issues; }
    Store *store() const { return m_store; }
    // Long operations under way (helper uploads, data moves), each with its
    // progress and Cancel: the status bar shows them (docs/desktop.md).
    OperationsModel *operations() const { return m_operations; }

    // Writes decision.json (no-clobber) for a pending checkpoint. The first
    // decider wins; a later one learns who won. With a store, the decision is
    // stored in the outbox first and sent again, after a failure, whenever
    // its site (re)connects, until the site confirms it (docs/store.md).
    void decide(const DecisionInput &input, QObject *context, Callback<DecisionOutcome> done);

    // Cancels a job (scancel on SLURM; SIGTERM to the process group elsewhere),
    // then refreshes that site. A failure is also listed as an issue.
    void cancelJob(const QString &site, const QString &jobId, QObject *context,
                   Callback<void> done);
    // Keeps a pending job from starting (scontrol hold; a process site gates
    // it) / lets a held job start (scontrol release), then refreshes that
    // site. A failure is also listed as an issue.
    void holdJob(const QString &site, const QString &jobId, QObject *context, Callback<void> done);
    void releaseJob(const QString &site, const QString &jobId, QObject *context,
                    Callback<void> done);

    // Reads a file of a run (metrics, logs, attachments). relativePath is
    // checked against the protocol's path rules; symlinks are refused.
    void readRunFile(const QString &site, const QString &runId, const QString &relativePath,
                     qint64 maxBytes, QObject *context, Callback<QByteArray> done);

    // Follows a file of a run as it grows (metrics, logs): each poll of the
    // returned tail (owned by parent) reads only the appended bytes.
    Result<FileTail *> followRunFile(const QString &site, const QString &runId,
                                     const QString &relativePath, QObject *parent);

    // Host-key and authentication prompts are forwarded from the transports.
    void answerHostKey(const QString &site, bool trust);
    // Answer to authPromptsRequested(): one answer per prompt, in order; an
    // empty list cancels that method. Answers are never logged.
    void answerAuthPrompts(const QString &site, const QStringList &answers);
    // Answer to passphraseRequested(); an empty passphrase skips that key.
    // Never logged.
    void answerPassphrase(const QString &site, const QString &passphrase);

    // Lists a problem for the user (issueRaised), once: the same message of
    // the same site is not listed twice.
    void raise(Issue::Severity severity, const QString &site, const QString &subject,
               const QString &message);

Q_SIGNALS:
    void siteChanged(const QString &site); // status, jobs or runs of a site changed
    // One refresh cycle of a site ended (ok: both queries answered).
    void refreshed(const QString &site, bool ok);
    void jobsChanged(const QString &site, const QList<vigil::JobInfo> &jobs);
    void runsChanged(const QString &site, const QList<vigil::RunInfo> &runs);
    void checkpointArrived(const vigil::CheckpointInfo &checkpoint); // first seen pending
    void issueRaised(const vigil::Issue &issue);
    void hostKeyUnknown(const QString &site, const QString &host, const QString &fingerprint);
    // A site's server asks (keyboard-interactive or password prompts, shown
    // as sent), or a key file needs its passphrase. With nobody connected to
    // these signals the prompts are cancelled and the key skipped at once.
    void authPromptsRequested(const QString &site, const QString &name, const QString &instruction,
                              const QList<vigil::AuthPrompt> &prompts);
    void passphraseRequested(const QString &site, const QString &keyFile);

private:
    struct SiteData;
    // Lists a new site (its status, timer, transport signals) and connects it.
    Site *attachSite(Site *s, const SiteSpec &spec, bool readOnly);
    void refreshSite(SiteData &d);
    void queryJobs(SiteData &d);
    // cancelJob, holdJob, releaseJob: one site call on a job, then a refresh.
    using JobCall = void (Site::*)(const QString &, QObject *, Callback<void>);
    void controlJob(JobCall call, const QString &verb, const QString &site, const QString &jobId,
                    QObject *context, Callback<void> done);
    // Checks that each directory of `below` (relative to `base`) is a real
    // directory, not a symbolic link: a run's files are read inside the run.
    void checkNoLinksBelow(Transport *transport, const QString &base, QStringList below,
                           QObject *context, Callback<void> done);
    void readRunFileConnected(const QString &site, const QString &runId,
                              const QString &relativePath, qint64 maxBytes, QObject *context,
                              Callback<QByteArray> done);
    // Sends one outbox entry (tracked: its state is kept in the store).
    void sendDecision(const OutboxEntry &entry, bool tracked, Callback<DecisionOutcome> done);
    void decideConnected(const OutboxEntry &entry, bool tracked, Callback<DecisionOutcome> done);
    void readRequestThenWrite(const OutboxEntry &entry, bool tracked, Transport *transport,
                              const QString &requestPath, const QString &decisionPath,
                              Callback<DecisionOutcome> done);
    void writeDecision(const OutboxEntry &entry, bool tracked, const QString &path,
                       const QByteArray &bytes, quint32 mode, Callback<DecisionOutcome> done);
    // Sends the site's unconfirmed outbox entries again.
    void flushOutbox(const QString &site);
    Result<QString> runFilePath(const QString &site, const QString &runId,
                                const QString &relativePath) const;
    void finishCycle(SiteData &d);
    void setRuns(SiteData &d, QList<RunInfo> runs);
    void announceRuns(SiteData &d);
    void startWatch(SiteData &d);
    SiteStatus statusOf(const SiteData &d) const;
    SupervisorOptions m_options;
    OperationsModel *m_operations; // child
    QTimer m_timer;
    std::vector<std::unique_ptr<SiteData>> m_sites;
    QList<Issue> m_issues;
    QPointer<Store> m_store;
    QSet<QString> m_sending; // decision ids being sent now
};

} // namespace vigil
