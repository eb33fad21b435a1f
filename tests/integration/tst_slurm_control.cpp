// SPDX-License-Identifier: GPL-3.0-or-later
// Job control against the real sandbox, through Site objects, no mocks:
// SLURM over SSH (hold, release, a 200-element array seen in one squeue,
// cancelling an array and reading its elements back from sacct) and a
// process site, on the local machine and over SSH (held tasks that start
// only when released, cancelled while held, refused when already running).
#include "../common/sandboxenv.h"
#include "local/localtransport.h"
#include "sites/site.h"
#include "sites/slurmparse.h"
#include "ssh/sshtransport.h"
#include "vigilctlrunner.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <optional>

using namespace vigil;
using namespace vigil::test;

namespace {

// Calls start(context, callback) and spins the event loop until it answered.
template <typename T, typename Start> Result<T> await(Start start, int timeoutMs = 60000)
{
    std::optional<Result<T>> got;
    QObject context;
    start(&context, [&got](Result<T> r) { got.emplace(std::move(r)); });
    if (!QTest::qWaitFor([&] { return got.has_value(); }, timeoutMs))
        return Error(QStringLiteral("no answer within %1 ms").arg(timeoutMs));
    return std::move(*got);
}

Result<QString> submit(Site *site, const Submission &s)
{
    return await<QString>([&](QObject *c, Callback<QString> cb) { site->submit(s, c, cb); });
}

Result<QList<JobInfo>> query(Site *site, const QStringList &tracked)
{
    return await<QList<JobInfo>>(
        [&](QObject *c, Callback<QList<JobInfo>> cb) { site->queryJobs(tracked, c, cb); });
}

Result<void> control(Site *site, void (Site::*fn)(const QString &, QObject *, Callback<void>),
                     const QString &id)
{
    return await<void>([&](QObject *c, Callback<void> cb) { (site->*fn)(id, c, cb); });
}

Result<ExecResult> exec(Site *site, const QStringList &argv)
{
    return await<ExecResult>(
        [&](QObject *c, Callback<ExecResult> cb) { site->transport()->exec(argv, {}, c, cb); });
}

std::optional<JobInfo> findJob(const QList<JobInfo> &jobs, const QString &id)
{
    for (const JobInfo &j : jobs)
        if (j.jobId == id)
            return j;
    return std::nullopt;
}

QString stamp()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-")) +
           QString::number(QRandomGenerator::global()->bounded(0x10000), 16);
}

} // namespace

class TestSlurmControl : public QObject
{
    Q_OBJECT
private:
    SandboxEnv m_env;
    Site *m_slurm = nullptr; // owned by m_owner
    QObject m_owner;
    QString m_dir; // scratch directory on the sandbox, absolute

    Site *makeSite(SiteSpec::Kind kind)
    {
        SiteSpec spec;
        spec.name =
            kind == SiteSpec::Kind::Local ? QStringLiteral("here") : QStringLiteral("sandbox");
        spec.kind = kind;
        spec.host = m_env.hostAlias;
        spec.partition = m_env.value(QStringLiteral("VIGIL_SANDBOX_PARTITION"));
        spec.runRoot = QStringLiteral("vigil-test-runs");
        Transport *t = nullptr;
        if (kind == SiteSpec::Kind::Local) {
            t = new LocalTransport;
        } else {
            SshTarget target;
            target.host = m_env.hostAlias;
            target.configFile = m_env.sshConfig;
            target.hostKeyPolicy = HostKeyPolicy::Strict;
            t = new SshTransport(target);
        }
        Site *site = kind == SiteSpec::Kind::Slurm
                         ? static_cast<Site *>(new SlurmSite(spec, t, &m_owner))
                         : new ProcessSite(spec, t, &m_owner);
        return site;
    }

    // Writes an executable script on the site and returns its absolute path.
    QString writeScript(Site *site, const QString &dir, const QString &name, const QByteArray &body)
    {
        const QString path = dir + QLatin1Char('/') + name;
        auto mk = await<void>([&](QObject *c, Callback<void> cb) {
            site->transport()->makeDirectories(dir, 0700, c, cb);
        });
        if (!mk) {
            qWarning() << mk.errorString();
            return {};
        }
        auto w = await<void>([&](QObject *c, Callback<void> cb) {
            site->transport()->writeFileAtomic(path, body, 0700, c, cb);
        });
        if (!w) {
            qWarning() << w.errorString();
            return {};
        }
        return path;
    }

    Submission submission(const QString &dir, const QString &task, const QString &script)
    {
        Submission s;
        s.runId = QStringLiteral("ctl-test");
        s.task = task;
        s.scriptPath = script;
        s.workDirectory = dir;
        s.logPath = dir + QLatin1Char('/') + task + QStringLiteral(".log");
        s.resources.time = QStringLiteral("00:05:00");
        return s;
    }

    // Polls queryJobs until `done` says yes; returns the last answer.
    QList<JobInfo> pollUntil(Site *site, const QStringList &tracked,
                             const std::function<bool(const QList<JobInfo> &)> &done,
                             int timeoutMs = 90000)
    {
        QList<JobInfo> last;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            auto jobs = query(site, tracked);
            if (jobs) {
                last = *jobs;
                if (done(last))
                    return last;
            } else {
                qWarning() << "query failed:" << jobs.errorString();
            }
            QTest::qWait(300);
        }
        return last;
    }

    bool remoteExists(Site *site, const QString &path)
    {
        auto r = exec(site, {QStringLiteral("test"), QStringLiteral("-e"), path});
        return r && r->exitCode == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_env = SandboxEnv::load();
        QVERIFY2(m_env.ok(), qPrintable(m_env.error));
        m_slurm = makeSite(SiteSpec::Kind::Slurm);
        auto connected =
            await<void>([&](QObject *c, Callback<void> cb) { m_slurm->whenConnected(c, cb); });
        QVERIFY2(connected.ok(), qPrintable(connected.errorString()));
        m_dir = m_slurm->transport()->homeDirectory() + QStringLiteral("/vigil-test-control/") +
                stamp();
    }

    // sbatch --hold: PENDING/JobHeldUser until released. A second job that
    // depends on the first is held with hold(): it stays held after its
    // dependency is met, and runs once released.
    void slurmHoldAndRelease()
    {
        const QString script =
            writeScript(m_slurm, m_dir, QStringLiteral("quick.sh"), "#!/bin/sh\nsleep 1\n");
        QVERIFY(!script.isEmpty());
        Submission a = submission(m_dir, QStringLiteral("first"), script);
        a.hold = true;
        auto idA = submit(m_slurm, a);
        QVERIFY2(idA.ok(), qPrintable(idA.errorString()));
        Submission b = submission(m_dir, QStringLiteral("second"), script);
        b.afterOk = {*idA};
        auto idB = submit(m_slurm, b);
        QVERIFY2(idB.ok(), qPrintable(idB.errorString()));
        const QStringList tracked{*idA, *idB};

        auto jobs = query(m_slurm, tracked);
        QVERIFY2(jobs.ok(), qPrintable(jobs.errorString()));
        auto ja = findJob(*jobs, *idA);
        QVERIFY(ja.has_value());
        QCOMPARE(ja->state, QStringLiteral("PENDING"));
        QCOMPARE(ja->reason, QStringLiteral("JobHeldUser"));
        QVERIFY(ja->isHeld());
        QCOMPARE(ja->task, QStringLiteral("first"));
        QCOMPARE(ja->timeLeftSeconds, 300); // the time limit while pending
        QVERIFY(ja->arrayJobId.isEmpty());
        auto jb = findJob(*jobs, *idB);
        QVERIFY(jb.has_value());
        QCOMPARE(jb->reason, QStringLiteral("Dependency"));

        QVERIFY2(control(m_slurm, &Site::hold, *idB).ok(), "hold of a pending job");
        jobs = query(m_slurm, tracked);
        QVERIFY(jobs.ok());
        QCOMPARE(findJob(*jobs, *idB)->reason, QStringLiteral("JobHeldUser"));

        auto released = control(m_slurm, &Site::release, *idA);
        QVERIFY2(released.ok(), qPrintable(released.errorString()));
        // A runs and completes (read back from sacct once it left squeue).
        auto seen = pollUntil(m_slurm, tracked, [&](const QList<JobInfo> &js) {
            auto j = findJob(js, *idA);
            return j && j->state == QLatin1String("COMPLETED");
        });
        QCOMPARE(findJob(seen, *idA)->exitCode, 0);
        // B's dependency is met, yet it is still held.
        auto held = findJob(seen, *idB);
        QVERIFY(held.has_value());
        QCOMPARE(held->state, QStringLiteral("PENDING"));
        QCOMPARE(held->reason, QStringLiteral("JobHeldUser"));

        QVERIFY(control(m_slurm, &Site::release, *idB).ok());
        seen = pollUntil(m_slurm, tracked, [&](const QList<JobInfo> &js) {
            auto j = findJob(js, *idB);
            return j && j->isFinished();
        });
        QCOMPARE(findJob(seen, *idB)->state, QStringLiteral("COMPLETED"));

        // Ids that are not job ids never reach scontrol.
        auto bad = control(m_slurm, &Site::hold, QStringLiteral("--all"));
        QVERIFY(!bad.ok());
        QVERIFY2(bad.errorString().contains(QStringLiteral("is not a SLURM job id")),
                 qPrintable(bad.errorString()));
        auto gone = control(m_slurm, &Site::release, QStringLiteral("999999"));
        QVERIFY(!gone.ok());
        QVERIFY2(gone.errorString().contains(QStringLiteral("Invalid job id")),
                 qPrintable(gone.errorString()));
    }

    // --array=0-199 (held so that all 200 wait at once): ONE squeue call
    // returns all 200 elements with their indices. Released, some run; then
    // the array is cancelled by its id and sacct reports every element.
    void slurmArrayOf200()
    {
        const QString script =
            writeScript(m_slurm, m_dir, QStringLiteral("tiny.sh"), "#!/bin/sh\nsleep 0.2\n");
        QVERIFY(!script.isEmpty());
        Submission s = submission(m_dir, QStringLiteral("sweep"), script);
        s.array = QStringLiteral("0-199");
        s.hold = true;
        s.logPath = m_dir + QStringLiteral("/sweep_%a.log");
        auto id = submit(m_slurm, s);
        QVERIFY2(id.ok(), qPrintable(id.errorString()));

        const quint64 before = m_slurm->transport()->stats().execs;
        auto jobs = query(m_slurm, {*id});
        const quint64 calls = m_slurm->transport()->stats().execs - before;
        QVERIFY2(jobs.ok(), qPrintable(jobs.errorString()));
        QCOMPARE(calls, quint64(1)); // one squeue, no sacct: the array is queued
        QSet<int> indices;
        for (const JobInfo &j : *jobs) {
            if (j.arrayJobId != *id)
                continue; // other tests share the sandbox account
            QCOMPARE(j.jobId, *id + QLatin1Char('_') + j.arrayTaskId);
            QCOMPARE(j.state, QStringLiteral("PENDING"));
            QCOMPARE(j.reason, QStringLiteral("JobHeldUser"));
            QCOMPARE(j.task, QStringLiteral("sweep"));
            indices.insert(j.arrayTaskId.toInt());
        }
        QCOMPARE(indices.size(), 200);
        QCOMPARE(*std::min_element(indices.cbegin(), indices.cend()), 0);
        QCOMPARE(*std::max_element(indices.cbegin(), indices.cend()), 199);
        qInfo("one squeue call (%llu exec) listed %lld elements of array %s", calls,
              qlonglong(indices.size()), qPrintable(*id));

        QVERIFY(control(m_slurm, &Site::release, *id).ok());
        // Wait until some elements have finished (fewer than 200 left queued).
        pollUntil(m_slurm, {*id}, [&](const QList<JobInfo> &js) {
            int queued = 0;
            for (const JobInfo &j : js)
                queued += j.arrayJobId == *id ? 1 : 0;
            return queued > 0 && queued < 195;
        });
        auto cancelled =
            await<void>([&](QObject *c, Callback<void> cb) { m_slurm->cancel(*id, c, cb); });
        QVERIFY2(cancelled.ok(), qPrintable(cancelled.errorString()));
        // Gone from squeue: the finished elements come from sacct, in the same query.
        // (slurmdbd may record the last completions a moment after the scancel.)
        const auto after = pollUntil(m_slurm, {*id}, [&](const QList<JobInfo> &js) {
            bool completedOne = false;
            for (const JobInfo &j : js)
                if (j.arrayJobId == *id) {
                    if (!j.isFinished())
                        return false;
                    completedOne = completedOne || j.state == QLatin1String("COMPLETED");
                }
            return completedOne;
        });
        QStringList seen;
        for (const JobInfo &j : after)
            if (j.arrayJobId == *id)
                seen << j.jobId + QLatin1Char('=') + j.state;
        qInfo("after scancel: %s", qPrintable(seen.join(QLatin1Char(' '))));
        int completed = 0, cancelledElements = 0;
        for (const JobInfo &j : after) {
            if (j.arrayJobId != *id)
                continue;
            QVERIFY2(j.isFinished(), qPrintable(j.jobId + QLatin1Char(' ') + j.state));
            if (j.state == QLatin1String("COMPLETED")) {
                ++completed;
                QCOMPARE(j.exitCode, 0);
                QVERIFY(!j.arrayTaskId.isEmpty());
            } else if (j.state == QLatin1String("CANCELLED"))
                ++cancelledElements;
        }
        // Elements that ran to the end before the scancel (some were killed while running).
        QVERIFY2(completed >= 1, qPrintable(QString::number(completed)));
        QVERIFY(cancelledElements >= 1); // the range that never started, at least
        qInfo("after scancel %s: %d elements completed, %d cancelled entries", qPrintable(*id),
              completed, cancelledElements);
    }

    // A workflow task with `array = "0-3"`, launched by vigilctl: every
    // element runs under task-exec with its own state file, marker and log.
    void workflowArrayTask()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString wf = tmp.filePath(QStringLiteral("workflow.toml"));
        QFile f(wf);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("[workflow]\nname = \"array-test\"\n"
                               "[sites.cluster]\nkind = \"slurm\"\nhost = \"%1\"\n"
                               "partition = \"%2\"\nrun_root = \"vigil-test-runs\"\n"
                               "[tasks.sweep]\nsite = \"cluster\"\narray = \"0-3\"\n"
                               "command = \"echo element=$SLURM_ARRAY_TASK_ID; "
                               "exit $SLURM_ARRAY_TASK_ID\"\n"
                               "[tasks.sweep.resources]\ntime = \"00:02:00\"\n")
                    .arg(m_env.hostAlias, m_env.value(QStringLiteral("VIGIL_SANDBOX_PARTITION")))
                    .toUtf8());
        f.close();
        const CtlResult launch = runCtl({QStringLiteral("-F"), m_env.sshConfig,
                                         QStringLiteral("launch"), wf, QStringLiteral("--json")});
        QVERIFY2(launch.exitCode == 0, qPrintable(launch.describe()));
        const QString run = launch.launchedRun();
        const QString job = launch.launchedJob(QStringLiteral("sweep"));
        QVERIFY2(slurm::isJobId(job) && !job.contains(QLatin1Char('_')),
                 qPrintable(launch.describe()));
        const QString taskDir = m_slurm->transport()->homeDirectory() +
                                QStringLiteral("/vigil-test-runs/") + run +
                                QStringLiteral("/tasks/sweep/");
        auto read = [&](const QString &name) {
            auto r = exec(m_slurm, {QStringLiteral("cat"), taskDir + name});
            return r && r->exitCode == 0 ? r->out : QByteArray();
        };
        // Element 0 succeeds, elements 1-3 exit with their index.
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return !read(QStringLiteral("sweep_0.done")).isEmpty() &&
                                !read(QStringLiteral("sweep_3.failed")).isEmpty() &&
                                !read(QStringLiteral("sweep_2.failed")).isEmpty() &&
                                !read(QStringLiteral("sweep_1.failed")).isEmpty();
                     },
                     90000),
                 qPrintable(launch.describe()));
        for (int i = 0; i < 4; ++i) {
            const QString n = QString::number(i);
            QCOMPARE(read(QStringLiteral("sweep_%1.%2")
                              .arg(n, i == 0 ? QStringLiteral("done") : QStringLiteral("failed"))),
                     n.toUtf8() + '\n');
            const QJsonObject state =
                QJsonDocument::fromJson(read(QStringLiteral("state_%1.json").arg(n))).object();
            QCOMPARE(state.value(QStringLiteral("exit_code")).toInt(-1), i);
            QCOMPARE(state.value(QStringLiteral("slurm_job_id")).toString().isEmpty(), false);
            QCOMPARE(read(QStringLiteral("output_%1.log").arg(n)),
                     QByteArray("element=") + n.toUtf8() + '\n');
        }
        // No element wrote the task's own files.
        QVERIFY(read(QStringLiteral("state.json")).isEmpty());
        QVERIFY(read(QStringLiteral("sweep.done")).isEmpty());
        QVERIFY(read(QStringLiteral("sweep.failed")).isEmpty());
        // The scheduler's view: the array id tracked, its elements from sacct.
        const auto jobs = pollUntil(m_slurm, {job}, [&](const QList<JobInfo> &js) {
            int finished = 0;
            for (const JobInfo &j : js)
                finished += j.arrayJobId == job && j.isFinished() ? 1 : 0;
            return finished == 4;
        });
        for (const JobInfo &j : jobs)
            if (j.arrayJobId == job)
                QCOMPARE(j.exitCode, j.arrayTaskId.toInt());
        (void)exec(m_slurm, {QStringLiteral("rm"), QStringLiteral("-rf"),
                             m_slurm->transport()->homeDirectory() +
                                 QStringLiteral("/vigil-test-runs/") + run});
    }

    // A process site holds a task by starting it gated: PENDING/JobHeldUser,
    // the script does not run until release; cancelled while held, it never runs.
    void processHoldRelease_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("local") << int(SiteSpec::Kind::Local);
        QTest::newRow("ssh") << int(SiteSpec::Kind::Ssh);
    }
    void processHoldRelease()
    {
        QFETCH(int, kind);
        Site *site = makeSite(SiteSpec::Kind(kind));
        auto connected =
            await<void>([&](QObject *c, Callback<void> cb) { site->whenConnected(c, cb); });
        QVERIFY2(connected.ok(), qPrintable(connected.errorString()));
        QTemporaryDir local;
        const QString dir = kind == int(SiteSpec::Kind::Local)
                                ? local.path()
                                : site->transport()->homeDirectory() +
                                      QStringLiteral("/vigil-test-control/") + stamp();
        const QString started = dir + QStringLiteral("/started");
        const QString script =
            writeScript(site, dir, QStringLiteral("task.sh"), "#!/bin/sh\n: > started\nsleep 2\n");
        QVERIFY(!script.isEmpty());

        Submission s = submission(dir, QStringLiteral("gated"), script);
        s.hold = true;
        auto pid = submit(site, s);
        QVERIFY2(pid.ok(), qPrintable(pid.errorString()));
        auto jobs = query(site, {*pid});
        QVERIFY2(jobs.ok(), qPrintable(jobs.errorString()));
        QCOMPARE(jobs->size(), 1);
        QCOMPARE(jobs->first().state, QStringLiteral("PENDING"));
        QCOMPARE(jobs->first().reason, QStringLiteral("JobHeldUser"));
        QVERIFY(jobs->first().isHeld());
        QTest::qWait(1500);
        QVERIFY2(!remoteExists(site, started), "a held task must not start");
        QVERIFY(control(site, &Site::hold, *pid).ok()); // held already: nothing to do

        QVERIFY(control(site, &Site::release, *pid).ok());
        QVERIFY(QTest::qWaitFor([&] { return remoteExists(site, started); }, 10000));
        jobs = query(site, {*pid});
        QVERIFY(jobs.ok());
        QCOMPARE(jobs->first().state, QStringLiteral("RUNNING"));
        QVERIFY(jobs->first().reason.isEmpty());
        // A started task cannot be taken back.
        auto late = control(site, &Site::hold, *pid);
        QVERIFY(!late.ok());
        QVERIFY2(late.errorString().contains(QStringLiteral("has already started")),
                 qPrintable(late.errorString()));
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto j = query(site, {*pid});
                return j && j->first().state == QLatin1String("EXITED");
            },
            15000));

        // Held, then cancelled: it never runs.
        QVERIFY(exec(site, {QStringLiteral("rm"), QStringLiteral("-f"), started}).ok());
        auto pid2 = submit(site, s);
        QVERIFY2(pid2.ok(), qPrintable(pid2.errorString()));
        QVERIFY(control(site, &Site::cancel, *pid2).ok());
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto j = query(site, {*pid2});
                return j && j->first().state == QLatin1String("EXITED");
            },
            10000));
        QTest::qWait(1500);
        QVERIFY2(!remoteExists(site, started), "a cancelled held task must never start");
        const QString gate =
            site->transport()->homeDirectory() + QStringLiteral("/.cache/vigil/held/") + *pid2;
        QVERIFY2(!remoteExists(site, gate), qPrintable(gate));

        // Not held at all: starts at once, release is a no-op, ids are checked.
        Submission now = submission(dir, QStringLiteral("now"), script);
        auto pid3 = submit(site, now);
        QVERIFY(pid3.ok());
        QVERIFY(QTest::qWaitFor([&] { return remoteExists(site, started); }, 10000));
        QVERIFY(control(site, &Site::release, *pid3).ok());
        QVERIFY(!control(site, &Site::hold, QStringLiteral("-1")).ok());
        QVERIFY(!control(site, &Site::release, QStringLiteral("1; id")).ok());
        if (kind != int(SiteSpec::Kind::Local))
            QVERIFY(exec(site, {QStringLiteral("rm"), QStringLiteral("-rf"), dir}).ok());
    }

    void cleanupTestCase()
    {
        if (m_slurm && !m_dir.isEmpty())
            (void)exec(m_slurm, {QStringLiteral("rm"), QStringLiteral("-rf"), m_dir});
    }
};

QTEST_GUILESS_MAIN(TestSlurmControl)
#include "tst_slurm_control.moc"
