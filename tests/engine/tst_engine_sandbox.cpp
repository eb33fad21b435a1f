// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's lease and idempotent submission against the sandbox cluster
// (real sshd, SLURM with slurmdbd), no mocks:
// - two engines, each with its own SSH connection, on one run's lease: one
//   holds it; the holder dies without releasing (its object and connection
//   destroyed); the other takes over only after the expiry;
// - attempt 1 of a task submitted with sbatch, the engine's record dropped (as
//   a crash would), the submit step run again: the job is found by its comment
//   and adopted, squeue shows exactly one job for that comment; once the job
//   has left the queue, sacct (by job name and working directory) still
//   finds it.
#include "engine/lease.h"
#include "engine/submitter.h"
#include "enginetestutil.h"
#include "sites/slurmparse.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

using namespace vigil;
using namespace vigil::engine;
using namespace vigil::enginetest;
using namespace vigil::test;
using namespace std::chrono_literals;

namespace {

QString stamp()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-")) +
           QString::number(QRandomGenerator::global()->bounded(0x10000), 16);
}

} // namespace

class TestEngineSandbox : public QObject
{
    Q_OBJECT
private:
    SandboxEnv m_env;
    QObject m_owner;
    Site *m_slurm = nullptr;
    QString m_root; // scratch directory on the sandbox, absolute

    Transport *sshTransport() { return new SshTransport(sandboxTarget(m_env)); }

    Result<ExecResult> exec(const QStringList &argv)
    {
        return await<ExecResult>([&](QObject *c, Callback<ExecResult> cb) {
            m_slurm->transport()->exec(argv, {}, c, cb);
        });
    }

    Result<bool> acquire(Lease &l)
    {
        return await<bool>([&](QObject *c, Callback<bool> cb) { l.acquire(c, cb); });
    }

    // Job ids squeue lists with this exact comment.
    QStringList squeueWithComment(const QString &comment)
    {
        auto r = exec({QStringLiteral("squeue"), QStringLiteral("--me"), QStringLiteral("-h"),
                       QStringLiteral("-o"), QStringLiteral("%i|%k")});
        if (!r || r->exitCode != 0)
            return {QStringLiteral("squeue failed")};
        QStringList ids;
        for (const QString &line : QString::fromUtf8(r->out).split(QLatin1Char('\n')))
            if (line.section(QLatin1Char('|'), 1) == comment)
                ids << line.section(QLatin1Char('|'), 0, 0);
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_env = SandboxEnv::load();
        QVERIFY2(m_env.ok(), qPrintable(m_env.error));
        SiteSpec spec = site(QStringLiteral("sandbox"), SiteSpec::Kind::Slurm);
        spec.host = m_env.hostAlias;
        spec.partition = m_env.value(QStringLiteral("VIGIL_SANDBOX_PARTITION"));
        spec.runRoot = QStringLiteral("vigil-test-runs");
        m_slurm = new SlurmSite(spec, sshTransport(), &m_owner);
        auto connected =
            await<void>([&](QObject *c, Callback<void> cb) { m_slurm->whenConnected(c, cb); });
        QVERIFY2(connected, qPrintable(connected.errorString()));
        m_root =
            m_slurm->transport()->homeDirectory() + QStringLiteral("/vigil-test-engine/") + stamp();
        auto mk = await<void>([&](QObject *c, Callback<void> cb) {
            m_slurm->transport()->makeDirectories(m_root, 0700, c, cb);
        });
        QVERIFY2(mk, qPrintable(mk.errorString()));
    }

    void twoEnginesOneLease()
    {
        const QString runDir = m_root + QStringLiteral("/lease-run");
        auto mk = await<void>([&](QObject *c, Callback<void> cb) {
            m_slurm->transport()->makeDirectories(runDir, 0700, c, cb);
        });
        QVERIFY(mk);
        // Engine A: its own connection, owned by its lease object.
        QObject engineA;
        Transport *ta = sshTransport();
        ta->setParent(&engineA);
        ta->open();
        // Heartbeat 500 ms, stale after 3 missed: 1.5 s unchanged.
        auto *a = new Lease(ta, runDir, LeaseOptions{QStringLiteral("engine-a"), 500ms, 3},
                            Clock::system(), &engineA);
        QObject engineB;
        Transport *tb = sshTransport();
        tb->setParent(&engineB);
        tb->open();
        Lease b(tb, runDir, LeaseOptions{QStringLiteral("engine-b"), 500ms, 3});

        auto got = acquire(*a);
        QVERIFY2(got, qPrintable(got.errorString()));
        QVERIFY(*got);
        // While A heartbeats, B never gets it (4 s: more than the expiry).
        QElapsedTimer timer;
        timer.start();
        int heartbeats = 0;
        QElapsedTimer sinceLastBeat; // restarted before each write of A's lease
        while (timer.elapsed() < 4000) {
            sinceLastBeat.start();
            auto hb = await<void>([&](QObject *c, Callback<void> cb) { a->heartbeat(c, cb); });
            QVERIFY2(hb, qPrintable(hb.errorString()));
            ++heartbeats;
            auto bGot = acquire(b);
            QVERIFY2(bGot, qPrintable(bGot.errorString()));
            QVERIFY2(!*bGot, "B acquired the lease while A was heartbeating");
            QTest::qWait(250);
        }
        QCOMPARE(b.lastSeenHolder().holder, QStringLiteral("engine-a"));
        QVERIFY(a->mayAct());

        // A dies without releasing: its lease and connection are destroyed.
        QElapsedTimer sinceDeath;
        sinceDeath.start();
        delete a;
        delete ta;
        bool taken = false;
        while (!taken && sinceDeath.elapsed() < 20000) {
            auto bGot = acquire(b);
            QVERIFY2(bGot, qPrintable(bGot.errorString()));
            taken = *bGot;
            if (!taken)
                QTest::qWait(200);
        }
        QVERIFY(taken);
        const qint64 tookMs = sinceDeath.elapsed();
        const qint64 sinceBeatMs = sinceLastBeat.elapsed();
        qInfo("A heartbeat %d times; B took the lease over %lld ms after A died, %lld ms after "
              "A's last heartbeat (expiry 1500 ms)",
              heartbeats, tookMs, sinceBeatMs);
        // B's clock starts when B first sees the last content, which A wrote
        // before: never earlier than the expiry after A's last write.
        QVERIFY2(sinceBeatMs >= 1500, "taken over before the expiry");
        QVERIFY(!b.mayAct()); // the grace interval after a takeover
        QTest::qWait(600);
        auto hb = await<void>([&](QObject *c, Callback<void> cb) { b.heartbeat(c, cb); });
        QVERIFY2(hb, qPrintable(hb.errorString()));
        QVERIFY(b.mayAct());
        // The lease on the cluster names B.
        auto read = await<FileChunk>([&](QObject *c, Callback<FileChunk> cb) {
            m_slurm->transport()->readFile(b.path(), 0, 65536, c, cb);
        });
        QVERIFY(read);
        QCOMPARE(parseLease(read->data, b.path())->holder, QStringLiteral("engine-b"));
    }

    void submissionAdoptedAfterLostRecord()
    {
        const QString runId = QStringLiteral("engine-") + stamp();
        const QString runDir = m_root + QLatin1Char('/') + runId;
        const QString taskDir = runDir + QStringLiteral("/tasks/train");
        auto mk = await<void>([&](QObject *c, Callback<void> cb) {
            m_slurm->transport()->makeDirectories(taskDir, 0700, c, cb);
        });
        QVERIFY(mk);
        const QString script = taskDir + QStringLiteral("/job.sh");
        auto w = await<void>([&](QObject *c, Callback<void> cb) {
            m_slurm->transport()->writeFileAtomic(script, "#!/bin/sh\nsleep 120\n", 0700, c, cb);
        });
        QVERIFY(w);
        Submission s;
        s.runId = runId;
        s.task = QStringLiteral("train");
        s.scriptPath = script;
        s.workDirectory = runDir;
        s.logPath = taskDir + QStringLiteral("/output.log");
        s.resources.time = QStringLiteral("00:05:00");
        s.attempt = 1;
        const JobLookup lookup{runId, s.task, runDir, taskDir,
                               QDateTime::currentDateTimeUtc().addSecs(-60)};

        auto first = await<SubmitOutcome>([&](QObject *c, Callback<SubmitOutcome> cb) {
            submitOnce(m_slurm, s, lookup, {}, c, cb);
        });
        QVERIFY2(first, qPrintable(first.errorString()));
        QVERIFY(!first->adopted);
        // The engine crashes before writing its record: the same step again.
        auto again = await<SubmitOutcome>([&](QObject *c, Callback<SubmitOutcome> cb) {
            submitOnce(m_slurm, s, lookup, {}, c, cb);
        });
        QVERIFY2(again, qPrintable(again.errorString()));
        QVERIFY(again->adopted);
        QCOMPARE(again->jobId, first->jobId);
        const QString comment = slurm::jobComment(runId, s.task, s.attempt);
        QCOMPARE(squeueWithComment(comment), QStringList{first->jobId});

        // Attempt 2 (a retry) is not confused with attempt 1's job.
        s.attempt = 2;
        auto notFound = await<QList<JobInfo>>(
            [&](QObject *c, Callback<QList<JobInfo>> cb) { m_slurm->findTaskJobs(lookup, c, cb); });
        QVERIFY(notFound);
        QVERIFY(!findAttemptJob(*notFound, 2, {first->jobId}));

        // Once it has left the queue, sacct finds it by name and directory.
        QVERIFY(await<void>(
            [&](QObject *c, Callback<void> cb) { m_slurm->cancel(first->jobId, c, cb); }));
        QTRY_VERIFY_WITH_TIMEOUT(squeueWithComment(comment).isEmpty(), 30000);
        s.attempt = 1;
        QElapsedTimer timer;
        timer.start();
        Result<SubmitOutcome> late = Error(QStringLiteral("not tried"));
        bool seenInSacct = false;
        while (!seenInSacct && timer.elapsed() < 30000) {
            auto found = await<QList<JobInfo>>([&](QObject *c, Callback<QList<JobInfo>> cb) {
                m_slurm->findTaskJobs(lookup, c, cb);
            });
            QVERIFY2(found, qPrintable(found.errorString()));
            for (const JobInfo &j : *found)
                seenInSacct = seenInSacct || (j.jobId == first->jobId && j.isFinished());
            if (!seenInSacct)
                QTest::qWait(500);
        }
        QVERIFY2(seenInSacct, "sacct never listed the cancelled job");
        late = await<SubmitOutcome>([&](QObject *c, Callback<SubmitOutcome> cb) {
            submitOnce(m_slurm, s, lookup, {}, c, cb);
        });
        QVERIFY2(late, qPrintable(late.errorString()));
        QVERIFY(late->adopted);
        QCOMPARE(late->jobId, first->jobId);
        QVERIFY(squeueWithComment(comment).isEmpty()); // nothing new was submitted
    }

    void cleanupTestCase()
    {
        if (m_slurm && !m_root.isEmpty())
            (void)exec({QStringLiteral("rm"), QStringLiteral("-rf"), m_root});
    }
};

QTEST_GUILESS_MAIN(TestEngineSandbox)
#include "tst_engine_sandbox.moc"
