// SPDX-License-Identifier: GPL-3.0-or-later
#include "supervisor.h"

#include "local/localtransport.h"
#include "logging.h"
#include "models/operationsmodel.h"
#include "sites/bundlesite.h"
#include "sites/runwatch.h"
#include "sites/site.h"
#include "ssh/sshtransport.h"
#include "store/store.h"

#include <QMetaMethod>
#include <QSet>
#include <QSysInfo>

namespace vigil {

struct Supervisor::SiteData
{
    Site *site = nullptr;
    RunWatch *watch = nullptr; // child of the supervisor, once the helper is on the site
    QTimer *timer = nullptr;   // the site's own poll interval (SiteSpec::pollSeconds), if any
    SiteStatus status;
    QList<JobInfo> jobs;
    QList<RunInfo> runs;
    QSet<QString> seenPending; // checkpoint keys already announced
    int outstanding = 0;       // replies still expected in this cycle
    bool jobsAnswered = false; // the scheduler answered in this cycle
    bool cycleFailed = false;
    bool readOnly = false; // a review bundle
    QString cycleError;
    QString lastRaisedError;
};

Supervisor::Supervisor(SupervisorOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_operations(new OperationsModel(this)),
      m_store(m_options.store ? m_options.store : Store::applicationStore())
{
    if (m_store)
        m_store->whenOpen(this, [this](Result<void> r) {
            if (!r)
                raise(Issue::Severity::Error, QString(), tr("local store"), r.errorString());
        });
    m_timer.setTimerType(Qt::VeryCoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        for (const auto &d : m_sites)
            if (!d->timer)
                refreshSite(*d);
    });
}

Supervisor::~Supervisor()
{
    // The watches end their streams while the sites' transports still exist
    // (children are deleted in creation order: the sites come first).
    for (const auto &d : m_sites)
        delete std::exchange(d->watch, nullptr);
}

Site *Supervisor::addSite(const SiteSpec &spec)
{
    if (Site *existing = site(spec.name))
        return existing;
    Transport *transport = nullptr;
    if (spec.kind == SiteSpec::Kind::Local) {
        transport = new LocalTransport;
    } else {
        SshTarget target;
        target.host = spec.host;
        target.user = spec.user;
        target.port = spec.port;
        target.identityFile = spec.identityFile;
        target.knownHostsFile = spec.knownHostsFile;
        target.proxyJump = spec.proxyJump;
        target.configFile = m_options.sshConfigFile;
        target.hostKeyPolicy = m_options.hostKeyPolicy;
        auto *ssh = new SshTransport(target);
        const QString name = spec.name;
        connect(ssh, &SshTransport::hostKeyUnknown, this,
                [this, name](const QString &host, const QString &fingerprint) {
                    Q_EMIT hostKeyUnknown(name, host, fingerprint);
                });
        connect(
            ssh, &SshTransport::authPromptsRequested, this,
            [this, ssh, name](const QString &title, const QString &instruction,
                              const QList<AuthPrompt> &prompts) {
                if (isSignalConnected(QMetaMethod::fromSignal(&Supervisor::authPromptsRequested)))
                    Q_EMIT authPromptsRequested(name, title, instruction, prompts);
                else
                    ssh->answerAuthPrompts({}); // nobody to ask: cancelled
            });
        connect(
            ssh, &SshTransport::passphraseRequested, this,
            [this, ssh, name](const QString &keyFile) {
                if (isSignalConnected(QMetaMethod::fromSignal(&Supervisor::passphraseRequested)))
                    Q_EMIT passphraseRequested(name, keyFile);
                else
                    ssh->answerPassphrase(QString()); // nobody to ask: the key is skipped
            });
        transport = ssh;
    }
    Site *s = nullptr;
    if (spec.kind == SiteSpec::Kind::Slurm)
        s = new SlurmSite(spec, transport, this);
    else
        s = new ProcessSite(spec, transport, this);
    return attachSite(s, spec, false);
}

Site *Supervisor::addBundle(const QString &bundleFile, const QString &bundleRoot,
                            const QString &runId)
{
    SiteSpec spec;
    spec.kind = SiteSpec::Kind::Local;
    spec.name = QStringLiteral("bundle-") + runId;
    for (int n = 2; site(spec.name); ++n)
        spec.name = QStringLiteral("bundle-%1-%2").arg(runId).arg(n);
    spec.runRoot = bundleRoot + QStringLiteral("/runs");
    auto *s = new BundleSite(spec, new LocalTransport, bundleFile,
                             bundleRoot + QStringLiteral("/store/jobs.json"), this);
    return attachSite(s, spec, true);
}

bool Supervisor::isReadOnly(const QString &name) const
{
    for (const auto &d : m_sites)
        if (d->status.name == name)
            return d->readOnly;
    return false;
}

Site *Supervisor::attachSite(Site *s, const SiteSpec &spec, bool readOnly)
{
    Transport *transport = s->transport();
    s->setOperations(m_operations);

    auto d = std::make_unique<SiteData>();
    d->site = s;
    d->readOnly = readOnly;
    d->status.name = spec.name;
    d->status.kind = readOnly ? QStringLiteral("bundle") : siteKindName(spec.kind);
    d->status.pollSeconds = spec.pollSeconds > 0 ? spec.pollSeconds : m_options.pollSeconds;
    d->status.address = readOnly ? static_cast<BundleSite *>(s)->bundleFile()
                        : spec.kind == SiteSpec::Kind::Local ? QSysInfo::machineHostName()
                                                             : spec.host;
    SiteData *raw = d.get();
    m_sites.push_back(std::move(d));
    if (spec.pollSeconds > 0) {
        raw->timer = new QTimer(this);
        raw->timer->setTimerType(Qt::VeryCoarseTimer);
        raw->timer->setInterval(spec.pollSeconds * 1000);
        connect(raw->timer, &QTimer::timeout, this, [this, raw] { refreshSite(*raw); });
        if (m_timer.isActive())
            raw->timer->start();
    }

    connect(transport, &Transport::stateChanged, this,
            [this, raw](Transport::State state, const QString &message) {
                raw->status.connection = state;
                raw->status.connectionMessage = message;
                if (state == Transport::State::Connected)
                    flushOutbox(raw->status.name); // on start and after each reconnection
                if (state == Transport::State::Failed && !message.isEmpty() &&
                    message != raw->lastRaisedError) {
                    raw->lastRaisedError = message;
                    raise(Issue::Severity::Error, raw->status.name, tr("connection"), message);
                }
                Q_EMIT siteChanged(raw->status.name);
            });
    connect(s, &Site::helperChanged, this, [this, raw] {
        raw->status.helperVersion = raw->site->helperVersion();
        raw->status.helperProblem = raw->site->helperProblem();
        Q_EMIT siteChanged(raw->status.name);
    });
    // The run directories are still read (over SFTP): a warning, said once.
    connect(s, &Site::helperUnavailable, this, [this, raw](const QString &message) {
        raise(Issue::Severity::Warning, raw->status.name, tr("vigil-job"), message);
    });
    if (m_store && !readOnly)
        m_store->recordSite(spec.name, raw->status.kind, raw->status.address);
    transport->open();
    return s;
}

Site *Supervisor::site(const QString &name) const
{
    for (const auto &d : m_sites)
        if (d->status.name == name)
            return d->site;
    return nullptr;
}

QList<Site *> Supervisor::sites() const
{
    QList<Site *> out;
    for (const auto &d : m_sites)
        out << d->site;
    return out;
}

void Supervisor::start()
{
    m_timer.start(std::max(1, m_options.pollSeconds) * 1000);
    for (const auto &d : m_sites)
        if (d->timer)
            d->timer->start();
    refresh();
}

void Supervisor::stop()
{
    m_timer.stop();
    for (const auto &d : m_sites)
        if (d->timer)
            d->timer->stop();
}

void Supervisor::refresh(const QString &siteName)
{
    for (const auto &d : m_sites)
        if (siteName.isEmpty() || d->status.name == siteName)
            refreshSite(*d);
}

void Supervisor::refreshSite(SiteData &d)
{
    if (d.outstanding > 0)
        return; // the previous cycle is still running: never pile queries up
    d.outstanding = 1;
    d.jobsAnswered = false;
    d.cycleFailed = false;
    d.cycleError.clear();
    SiteData *dp = &d;
    if (d.watch && d.watch->isLive()) {
        // The watch streams the run directories: only the scheduler is asked.
        queryJobs(d);
        return;
    }

    // First the run directories (one `vigil-job scan`), then the scheduler
    // (one squeue, plus one sacct for the jobs of those runs that have left
    // the queue), so that a job that ended between two cycles is still seen.
    d.site->scanRuns(this, [this, dp](Result<QByteArray> r) {
        if (r) {
            auto runs = parseScan(*r, dp->status.name);
            if (runs) {
                setRuns(*dp, std::move(*runs));
            } else {
                dp->cycleFailed = true;
                dp->cycleError = runs.errorString();
            }
        } else {
            dp->cycleFailed = true;
            dp->cycleError = r.errorString();
        }
        queryJobs(*dp);
    });
}

void Supervisor::queryJobs(SiteData &d)
{
    SiteData *dp = &d;
    const QDateTime recent = QDateTime::currentDateTimeUtc().addDays(-1);
    QStringList tracked;
    for (const RunInfo &r : std::as_const(d.runs))
        for (const TaskRunInfo &t : r.tasks)
            if (!t.jobId.isEmpty() && !tracked.contains(t.jobId) &&
                (!t.endedAt.isValid() || t.endedAt > recent))
                tracked << t.jobId;
    for (const JobInfo &j : std::as_const(d.jobs))
        if (j.isActive() && !tracked.contains(j.jobId))
            tracked << j.jobId;

    d.site->queryJobs(tracked, this, [this, dp](Result<QList<JobInfo>> r) {
        if (r) {
            dp->jobs = *r;
            dp->jobsAnswered = true;
            dp->status.jobsConfirmedAt = QDateTime::currentDateTimeUtc();
        } else if (!dp->cycleFailed) {
            dp->cycleFailed = true;
            dp->cycleError = r.errorString();
        }
        if (--dp->outstanding == 0)
            finishCycle(*dp);
    });
}

void Supervisor::finishCycle(SiteData &d)
{
    // Attach run/task names to jobs from the run directories (a job started by
    // Vigil on a process site has no scheduler comment).
    QHash<QString, QPair<QString, QString>> byJob;
    QHash<QString, TaskRunInfo> taskByJob;
    for (const RunInfo &r : std::as_const(d.runs))
        for (const TaskRunInfo &t : r.tasks)
            if (!t.jobId.isEmpty()) {
                byJob.insert(t.jobId, {r.runId, t.name});
                taskByJob.insert(t.jobId, t);
            }
    for (JobInfo &j : d.jobs) {
        // A process that has exited: its outcome is in the run directory.
        if (j.state == QLatin1String("EXITED") && taskByJob.contains(j.jobId)) {
            const TaskRunInfo &t = taskByJob[j.jobId];
            if (t.state == QLatin1String("completed"))
                j.state = QStringLiteral("COMPLETED");
            else if (t.state == QLatin1String("failed"))
                j.state = QStringLiteral("FAILED");
            j.exitCode = t.exitCode;
            if (t.startedAt.isValid() && t.endedAt.isValid())
                j.elapsedSeconds = t.startedAt.secsTo(t.endedAt);
        }
        if (j.runId.isEmpty() && byJob.contains(j.jobId)) {
            j.runId = byJob.value(j.jobId).first;
            j.task = byJob.value(j.jobId).second;
        }
        if (j.name.isEmpty())
            j.name = j.task;
    }

    if (d.cycleFailed) {
        d.status.lastError = d.cycleError;
        if (d.cycleError != d.lastRaisedError) {
            d.lastRaisedError = d.cycleError;
            raise(Issue::Severity::Error, d.status.name, tr("refresh"), d.cycleError);
        }
    } else {
        d.status.lastError.clear();
        d.lastRaisedError.clear();
    }
    d.status.helperVersion = d.site->helperVersion();
    d.status.helperProblem = d.site->helperProblem();
    d.status.activeJobs = 0;
    for (const JobInfo &j : std::as_const(d.jobs))
        d.status.activeJobs += j.isActive() ? 1 : 0;
    if (m_store && d.jobsAnswered && !d.readOnly)
        m_store->recordJobStates(d.status.name, d.jobs, d.status.jobsConfirmedAt);
    Q_EMIT jobsChanged(d.status.name, d.jobs);
    announceRuns(d);
    Q_EMIT refreshed(d.status.name, !d.cycleFailed);
    // A decision the site refused while the link stayed up (its file system
    // full or read-only, a directory not writable) is tried again each cycle,
    // not only after a reconnection.
    if (!d.cycleFailed && !d.readOnly)
        flushOutbox(d.status.name);
    if (!d.cycleFailed && !d.watch && !d.readOnly && !d.site->helperPath().isEmpty())
        startWatch(d);
}

void Supervisor::setRuns(SiteData &d, QList<RunInfo> runs)
{
    d.runs = std::move(runs);
    d.status.runsConfirmedAt = QDateTime::currentDateTimeUtc();
    for (RunInfo &run : d.runs) {
        run.confirmedAt = d.status.runsConfirmedAt;
        for (CheckpointInfo &c : run.checkpoints)
            c.confirmedAt = run.confirmedAt;
    }
}

void Supervisor::announceRuns(SiteData &d)
{
    d.status.pendingCheckpoints = 0;
    QList<CheckpointInfo> arrived;
    QList<CheckpointInfo> all;
    for (const RunInfo &r : std::as_const(d.runs)) {
        all << r.checkpoints;
        for (const CheckpointInfo &c : r.checkpoints) {
            if (c.status != CheckpointInfo::Status::Pending)
                continue;
            ++d.status.pendingCheckpoints;
            if (!d.seenPending.contains(c.key())) {
                d.seenPending.insert(c.key());
                arrived << c;
            }
        }
        for (const QString &p : r.problems)
            raise(Issue::Severity::Warning, d.status.name, tr("run %1").arg(r.runId), p);
    }
    if (d.readOnly)
        arrived.clear(); // a bundle is a record: nothing new arrives
    else if (m_store) {
        // The inbox gets only what changed (new checkpoints, new statuses).
        m_store->recordRuns(d.status.name, d.runs);
        m_store->updateInbox(all);
    }
    Q_EMIT runsChanged(d.status.name, d.runs);
    Q_EMIT siteChanged(d.status.name);
    for (const CheckpointInfo &c : std::as_const(arrived))
        Q_EMIT checkpointArrived(c);
}

void Supervisor::startWatch(SiteData &d)
{
    SiteData *dp = &d;
    d.watch = new RunWatch(d.site, this);
    connect(d.watch, &RunWatch::scanChanged, this, [this, dp](const QByteArray &doc) {
        auto runs = parseScan(doc, dp->status.name);
        if (!runs) {
            raise(Issue::Severity::Warning, dp->status.name, tr("watch"), runs.errorString());
            return;
        }
        setRuns(*dp, std::move(*runs));
        announceRuns(*dp);
    });
    connect(d.watch, &RunWatch::liveChanged, this, [this, dp](bool live) {
        dp->status.watching = live;
        Q_EMIT siteChanged(dp->status.name);
    });
    connect(d.watch, &RunWatch::problem, this, [this, dp](const QString &message) {
        raise(Issue::Severity::Warning, dp->status.name, tr("watch"), message);
    });
    d.watch->start();
}

SiteStatus Supervisor::statusOf(const SiteData &d) const
{
    SiteStatus s = d.status;
    // While the watch is live, the run directories are confirmed by its every line.
    if (d.watch && d.watch->isLive() && d.watch->lastHeard() > s.runsConfirmedAt)
        s.runsConfirmedAt = d.watch->lastHeard();
    if (s.jobsConfirmedAt.isValid() && s.runsConfirmedAt.isValid())
        s.lastRefresh = std::min(s.jobsConfirmedAt, s.runsConfirmedAt);
    else
        s.lastRefresh = QDateTime();
    return s;
}

QList<SiteStatus> Supervisor::siteStatuses() const
{
    QList<SiteStatus> out;
    for (const auto &d : m_sites)
        out << statusOf(*d);
    return out;
}

SiteStatus Supervisor::siteStatus(const QString &name) const
{
    for (const auto &d : m_sites)
        if (d->status.name == name)
            return statusOf(*d);
    return {};
}

QList<JobInfo> Supervisor::jobs() const
{
    QList<JobInfo> out;
    for (const auto &d : m_sites)
        out << d->jobs;
    return out;
}

QList<RunInfo> Supervisor::runs() const
{
    QList<RunInfo> out;
    for (const auto &d : m_sites)
        out << d->runs;
    return out;
}

QList<CheckpointInfo> Supervisor::checkpoints() const
{
    QList<CheckpointInfo> out;
    for (const auto &d : m_sites)
        for (const RunInfo &r : d->runs)
            out << r.checkpoints;
    return out;
}

std::optional<CheckpointInfo> Supervisor::checkpoint(const QString &siteName, const QString &runId,
                                                     const QString &id) const
{
    for (const auto &d : m_sites) {
        if (d->status.name != siteName)
            continue;
        for (const RunInfo &r : d->runs)
            if (r.runId == runId)
                for (const CheckpointInfo &c : r.checkpoints)
                    if (c.id == id)
                        return c;
    }
    return std::nullopt;
}

void Supervisor::answerAuthPrompts(const QString &siteName, const QStringList &answers)
{
    if (Site *s = site(siteName))
        if (auto *ssh = qobject_cast<SshTransport *>(s->transport()))
            ssh->answerAuthPrompts(answers);
}

void Supervisor::answerPassphrase(const QString &siteName, const QString &passphrase)
{
    if (Site *s = site(siteName))
        if (auto *ssh = qobject_cast<SshTransport *>(s->transport()))
            ssh->answerPassphrase(passphrase);
}

void Supervisor::raise(Issue::Severity severity, const QString &site, const QString &subject,
                       const QString &message)
{
    for (const Issue &i : std::as_const(m_issues))
        if (i.site == site && i.message == message)
            return; // already listed
    Issue issue{severity, site, subject, message, QDateTime::currentDateTimeUtc()};
    m_issues << issue;
    qCWarning(lcEngine).noquote() << site << subject << message;
    Q_EMIT issueRaised(issue);
}

} // namespace vigil
