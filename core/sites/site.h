// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jobinfo.h"
#include "transport.h"
#include "workflow/workflow.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <chrono>
#include <optional>

namespace vigil {

class OperationsModel;

// What a site needs to start one task. The script is already in the run
// directory; the site only schedules it.
struct Submission
{
    QString runId;
    QString task;
    QString scriptPath;    // absolute path on the site
    QString workDirectory; // absolute path on the site (the run directory)
    QString logPath;       // absolute path for stdout+stderr
    QStringList afterOk;   // job ids on the same site that must succeed first
    // Held: written and queued but not started until release() (every kind of
    // site; the scheduler, or Vigil on a plain host, reports PENDING/JobHeldUser).
    bool hold = false;
    // SLURM job array, e.g. "0-199%20" (SLURM sites only; validated on load).
    QString array;
    TaskResources resources;
    // The engine's attempt number (retries and resubmissions count up); 0:
    // not said. SLURM: in the job's comment (slurm::jobComment).
    int attempt = 0;
    // Process sites: a directory where the start writes attempt-<N>.pid
    // (created no-clobber before the process starts, so that the same attempt
    // never starts twice); empty: no record.
    QString recordDirectory;
};

// Which jobs findTaskJobs() looks for: every job of one task of one run,
// queued or finished.
struct JobLookup
{
    QString runId;
    QString task;
    QString runDirectory;    // absolute: the jobs' working directory (SLURM)
    QString recordDirectory; // process sites: Submission::recordDirectory
    QDateTime since;         // the run's creation (finished jobs are searched from then)
};

// One execution site: a SLURM cluster, a plain SSH host or the local machine.
// Owns its transport. Every operation is asynchronous.
class Site : public QObject
{
    Q_OBJECT
public:
    Site(SiteSpec spec, Transport *transport, QObject *parent = nullptr);
    ~Site() override;

    const SiteSpec &spec() const { return m_spec; }
    QString name() const { return m_spec.name; }
    Transport *transport() const { return m_transport; }

    // Runs `then` once the transport is connected (at once if it is), or with
    // the connection error. Paths below need the connection (home directory).
    void whenConnected(QObject *context, Callback<void> then);

    // Absolute paths on the site; valid once the transport is connected.
    QString runRoot() const;
    QString runDirectory(const QString &runId) const;

    // The vigil-job binary on the site, uploaded on first use when missing
    // (named by version and content hash, so an old one is never reused).
    // ensureHelper also puts this build's vigil_job.py (the Python twin,
    // embedded in the program) into pythonDirectory(): uploaded when missing
    // or when its SHA-256 differs, written atomically with mode 0644, never
    // through a symbolic link. Both are checked in one round trip.
    QString helperPath() const { return m_helperPath; }
    QString helperVersion() const { return m_helperVersion; }
    void ensureHelper(QObject *context, Callback<QString> done);
    // Where the uploads of ensureHelper() are listed ("Uploading vigil-job to
    // SITE") with their progress and Cancel: the Supervisor's model. A
    // cancelled upload fails the deployment like any failed upload ("the
    // upload of vigil-job was cancelled"). Null: uploads are not listed.
    void setOperations(OperationsModel *operations);
    // The directory that holds vigil_job.py on the site (what job scripts put
    // first on PYTHONPATH): ~/.local/share/vigil/python/VERSION-HASH, where
    // HASH is the first 12 hex digits of the file's SHA-256. Valid once
    // ensureHelper() succeeded.
    QString pythonDirectory() const { return m_pythonDirectory; }

    virtual void submit(const Submission &submission, QObject *context, Callback<QString> done) = 0;
    virtual void cancel(const QString &jobId, QObject *context, Callback<void> done) = 0;
    // Keeps a pending job from starting / lets a held job start. A job that is
    // already running is not affected by hold (SLURM ignores it; a process site
    // refuses it, since it cannot take a started process back).
    virtual void hold(const QString &jobId, QObject *context, Callback<void> done) = 0;
    virtual void release(const QString &jobId, QObject *context, Callback<void> done) = 0;
    // One batched query of every job of this account on the site. `tracked`
    // are ids Vigil started that may have left the queue: their final state
    // is looked up in the same cycle.
    virtual void queryJobs(const QStringList &tracked, QObject *context,
                           Callback<QList<JobInfo>> done) = 0;
    // Every job of one task of one run the site knows, queued or finished,
    // with its attempt when the site recorded it: what the engine looks for
    // before submitting, so that a crash between a submission and the
    // engine's record never yields a second job. SLURM: squeue by comment,
    // then sacct by job name and working directory (scontrol by comment
    // without accounting). Process sites: the attempt-<N>.pid records.
    virtual void findTaskJobs(const JobLookup &lookup, QObject *context,
                              Callback<QList<JobInfo>> done) = 0;

    // `vigil-job scan RUNROOT`: every run under the run root in one round trip.
    // When vigil-job cannot run on the site (ensureHelper fails for another
    // reason than the connection: home mounted noexec, another CPU, upload
    // refused), the same document is built over SFTP (scanOverSftp), said
    // once through helperUnavailable(), and the helper is tried again after
    // helperRetryInterval() rather than every cycle.
    void scanRuns(QObject *context, Callback<QByteArray> done);

    // Why vigil-job cannot run here; non-empty while the run directories are
    // read over SFTP.
    QString helperProblem() const { return m_helperProblem; }
    std::chrono::milliseconds helperRetryInterval() const { return m_helperRetryInterval; }
    void setHelperRetryInterval(std::chrono::milliseconds interval)
    {
        m_helperRetryInterval = interval;
    }

    // Local path of the vigil-job binary to deploy (build tree or installed).
    static QString localHelperBinary();
    // The vigil_job.py to deploy: the Qt resource holding this build's
    // python/vigil_job.py, or the file VIGIL_JOB_PYTHON names.
    static QString localPythonTwin();

Q_SIGNALS:
    void helperChanged();
    // vigil-job cannot run on this site: "vigil-job cannot run on SITE
    // (REASON): reading run directories over SFTP instead". Said when it
    // starts, and again only if the reason changes.
    void helperUnavailable(const QString &message);

protected:
    // Runs argv and turns a non-zero exit into an Error carrying stderr.
    void run(const QStringList &argv, QObject *context, Callback<QByteArray> done);

private:
    struct ToolsOnSite;
    void deployHelper();
    void checkTools(const QString &helper, const QString &python, Callback<ToolsOnSite> done);
    void probeHelper(const QString &remote, Callback<void> done);
    void uploadHelper(const QString &remote, const QByteArray &data);
    void uploadPython(const QString &file, const QByteArray &data, bool unlinkFirst,
                      Callback<void> done);
    void finishHelper(Result<QString> result);
    // Lists the upload of `file` (a row of the operations model) and returns
    // the write's control. One upload at a time.
    WriteControl beginUpload(const QString &file, qint64 size);
    // Takes the row away. When the user cancelled the write: "the upload of
    // FILE was cancelled", an error of the helper (not Error::Kind::Cancelled,
    // which means the connection went), so the site falls back to SFTP scans.
    std::optional<Error> endUpload(const QString &file, const Result<void> &written);
    void helperFailed(const QString &reason);
    void withRunRoot(const Callback<QByteArray> &reply, std::function<void()> then);
    void scanRunsOverSftp(const Callback<QByteArray> &reply);

    SiteSpec m_spec;
    Transport *m_transport; // child
    QString m_helperPath;
    QString m_helperVersion;
    QString m_pythonDirectory;
    QPointer<OperationsModel> m_operations;
    quint64 m_uploadRow = 0; // in m_operations, while an upload is listed
    std::shared_ptr<std::atomic_bool> m_uploadCancel;
    QList<Callback<QString>> m_helperWaiters;
    QList<Callback<void>> m_connectWaiters;
    bool m_helperBusy = false;
    bool m_runRootReady = false;
    QString m_helperProblem;        // see helperProblem()
    QElapsedTimer m_helperFailedAt; // the last time vigil-job could not run
    std::chrono::milliseconds m_helperRetryInterval{std::chrono::minutes(10)};
    std::optional<quint32> m_runRootOwner; // "uid" of the SFTP scan document
};

// SLURM over SSH: sbatch, squeue, sacct (or scontrol when there is no accounting).
class SlurmSite final : public Site
{
    Q_OBJECT
public:
    using Site::Site;
    void submit(const Submission &submission, QObject *context, Callback<QString> done) override;
    void cancel(const QString &jobId, QObject *context, Callback<void> done) override;
    void hold(const QString &jobId, QObject *context, Callback<void> done) override;
    void release(const QString &jobId, QObject *context, Callback<void> done) override;
    void queryJobs(const QStringList &tracked, QObject *context,
                   Callback<QList<JobInfo>> done) override;
    void findTaskJobs(const JobLookup &lookup, QObject *context,
                      Callback<QList<JobInfo>> done) override;

    static QStringList sbatchArgs(const Submission &s, const QString &defaultPartition,
                                  const QString &account);

private:
    void queryFinished(QList<JobInfo> active, const QStringList &missing, QObject *context,
                       Callback<QList<JobInfo>> done);
    void control(const QString &verb, const QString &jobId, QObject *context, Callback<void> done);
    bool m_noAccounting = false;
};

// A host without a scheduler (cloud VM, edge device) or the local machine:
// tasks run as detached processes under `vigil-job task-exec`, which records
// pid, exit code and CIF markers in the run directory. A held task is a
// process that waits for its gate file (~/.cache/vigil/held/PID) to go away
// before it runs the job script: release removes the gate.
class ProcessSite final : public Site
{
    Q_OBJECT
public:
    using Site::Site;
    void submit(const Submission &submission, QObject *context, Callback<QString> done) override;
    void cancel(const QString &jobId, QObject *context, Callback<void> done) override;
    void hold(const QString &jobId, QObject *context, Callback<void> done) override;
    void release(const QString &jobId, QObject *context, Callback<void> done) override;
    void queryJobs(const QStringList &tracked, QObject *context,
                   Callback<QList<JobInfo>> done) override;
    void findTaskJobs(const JobLookup &lookup, QObject *context,
                      Callback<QList<JobInfo>> done) override;
};

} // namespace vigil
