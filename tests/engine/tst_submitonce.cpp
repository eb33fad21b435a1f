// SPDX-License-Identifier: GPL-3.0-or-later
// Idempotent submission: the job comment with its attempt, choosing the job of
// an attempt among a task's jobs, sacct by name and working directory, and a
// process site (the local machine) that adopts a started attempt instead of
// starting it twice.
#include "engine/submitter.h"
#include "enginetestutil.h"
#include "local/localtransport.h"
#include "sites/slurmparse.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::engine;
using namespace vigil::enginetest;

class TestSubmitOnce : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void comment_data();
    void comment();
    void findAttempt_data();
    void findAttempt();
    void sacctByName();
    void processSiteAdopts();
};

void TestSubmitOnce::comment_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("run");
    QTest::addColumn<QString>("task");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<bool>("oldForm"); // the three-argument reader accepts it

    QTest::newRow("old form") << "vigil/r1/train" << true << "r1"
                              << "train" << 0 << true;
    QTest::newRow("attempt 1") << "vigil/r1/train/1" << true << "r1"
                               << "train" << 1 << false;
    QTest::newRow("attempt 12") << "vigil/r1/train/12" << true << "r1"
                                << "train" << 12 << false;
    QTest::newRow("attempt 0") << "vigil/r1/train/0" << false << ""
                               << "" << 0 << false;
    QTest::newRow("leading zero") << "vigil/r1/train/01" << false << ""
                                  << "" << 0 << false;
    QTest::newRow("not a number") << "vigil/r1/train/x" << false << ""
                                  << "" << 0 << false;
    QTest::newRow("too many parts") << "vigil/r1/train/2/3" << false << ""
                                    << "" << 0 << false;
    QTest::newRow("someone else's") << "my comment" << false << ""
                                    << "" << 0 << false;
}

void TestSubmitOnce::comment()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QString, run);
    QFETCH(QString, task);
    QFETCH(int, attempt);
    QFETCH(bool, oldForm);
    QString r, t;
    int n = -1;
    QCOMPARE(slurm::parseJobComment(text, &r, &t, &n), ok);
    if (ok) {
        QCOMPARE(r, run);
        QCOMPARE(t, task);
        QCOMPARE(n, attempt);
        // What is accepted is what jobComment() writes.
        QCOMPARE(slurm::jobComment(r, t, n), text);
    }
    QString r3, t3;
    QCOMPARE(slurm::parseJobComment(text, &r3, &t3), oldForm);
}

void TestSubmitOnce::findAttempt_data()
{
    QTest::addColumn<QString>("rows");   // "ID=STATE" as in jobs(), then ":ATTEMPT"
    QTest::addColumn<int>("attempt");    // looked for
    QTest::addColumn<QString>("others"); // the engine's other attempts' job ids
    QTest::addColumn<QString>("found");  // "" = none

    QTest::newRow("nothing there") << "" << 1 << ""
                                   << "";
    QTest::newRow("comment names the attempt") << "100=RUNNING:1" << 1 << ""
                                               << "100";
    QTest::newRow("comment names another attempt") << "100=FAILED:1" << 2 << ""
                                                   << "";
    QTest::newRow("old comment, not a known attempt") << "100=RUNNING:0" << 1 << ""
                                                      << "100";
    QTest::newRow("old comment of the recorded attempt 1") << "100=FAILED:0" << 2 << "100"
                                                           << "";
    QTest::newRow("retry found among old comments") << "100=FAILED:0;101=RUNNING:0" << 2 << "100"
                                                    << "101";
    QTest::newRow("array elements count as their array")
        << "200_0=COMPLETED:1;200_1=RUNNING:1" << 1 << ""
        << "200";
    QTest::newRow("several unknown: the newest") << "99=FAILED:0;1000=RUNNING:0" << 1 << ""
                                                 << "1000";
}

void TestSubmitOnce::findAttempt()
{
    QFETCH(QString, rows);
    QFETCH(int, attempt);
    QFETCH(QString, others);
    QFETCH(QString, found);
    QList<JobInfo> list;
    for (const QString &row : rows.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        JobInfo j = jobs(row.section(QLatin1Char(':'), 0, 0), QStringLiteral("c")).first();
        j.attempt = row.section(QLatin1Char(':'), 1).toInt();
        list << j;
    }
    const auto got =
        findAttemptJob(list, attempt, others.split(QLatin1Char(','), Qt::SkipEmptyParts));
    QCOMPARE(got.value_or(QString()), found);
}

// Captured from the sandbox's sacct (22.05, slurmdbd), fields separated by 0x1f.
void TestSubmitOnce::sacctByName()
{
    const QStringList args =
        slurm::sacctByNameArgs(QStringLiteral("train"), QStringLiteral("2026-11-25"));
    QVERIFY(args.contains(QStringLiteral("--name=train")));
    QVERIFY(
        args.contains(QStringLiteral("JobID,State,ExitCode,Elapsed,Partition,WorkDir,JobName")));
    QByteArray out = "424\x1f"
                     "COMPLETED\x1f"
                     "0:0\x1f"
                     "00:00:01\x1f"
                     "debug\x1f"
                     "/home/vigil-sbx/vigil-test-runs/e2e-1\x1f"
                     "train\n"
                     "427_3\x1f"
                     "CANCELLED by 1001\x1f"
                     "0:15\x1f"
                     "00:00:00\x1f"
                     "debug\x1f"
                     "/home/vigil-sbx/vigil-test-runs/e2e-2\x1f"
                     "train\n";
    QStringList dirs;
    auto jobs = slurm::parseSacctByName(out, &dirs);
    QVERIFY2(jobs, qPrintable(jobs.errorString()));
    QCOMPARE(jobs->size(), 2);
    QCOMPARE(dirs, (QStringList{QStringLiteral("/home/vigil-sbx/vigil-test-runs/e2e-1"),
                                QStringLiteral("/home/vigil-sbx/vigil-test-runs/e2e-2")}));
    QCOMPARE(jobs->at(1).state, QStringLiteral("CANCELLED"));
    QCOMPARE(jobs->at(1).submittedId(), QStringLiteral("427"));
    QCOMPARE(jobs->at(1).exitCode, 128 + 15);
    QVERIFY(!slurm::parseSacctByName("424\x1f"
                                     "COMPLETED\n",
                                     &dirs));
}

// The local machine as a process site: attempt 1 started, the engine's
// record lost, the same attempt submitted again: adopted, one process only.
void TestSubmitOnce::processSiteAdopts()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString taskDir = dir.filePath(QStringLiteral("tasks/train"));
    QVERIFY(QDir().mkpath(taskDir));
    const QString script = taskDir + QStringLiteral("/job.sh");
    const QString starts = dir.filePath(QStringLiteral("starts.txt"));
    {
        // Counts its starts, then runs for a while.
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("echo started >> '" + starts.toUtf8() + "'\nsleep 30\n");
    }
    auto *transport = new LocalTransport;
    ProcessSite local(site(QStringLiteral("here"), SiteSpec::Kind::Local), transport);
    transport->open();

    Submission s;
    s.runId = QStringLiteral("r1");
    s.task = QStringLiteral("train");
    s.workDirectory = dir.path();
    s.logPath = taskDir + QStringLiteral("/output.log");
    s.scriptPath = script;
    s.attempt = 1;
    s.recordDirectory = taskDir;
    const JobLookup lookup{s.runId, s.task, dir.path(), taskDir, kT0};

    auto submitted = await<SubmitOutcome>(
        [&](QObject *c, Callback<SubmitOutcome> cb) { submitOnce(&local, s, lookup, {}, c, cb); });
    QVERIFY2(submitted, qPrintable(submitted.errorString()));
    QVERIFY(!submitted->adopted);
    QVERIFY(QFile::exists(taskDir + QStringLiteral("/attempt-1.pid")));
    QTRY_VERIFY(QFile::exists(starts));

    // The engine crashed before recording the job: the same step again.
    auto again = await<SubmitOutcome>(
        [&](QObject *c, Callback<SubmitOutcome> cb) { submitOnce(&local, s, lookup, {}, c, cb); });
    QVERIFY2(again, qPrintable(again.errorString()));
    QVERIFY(again->adopted);
    QCOMPARE(again->jobId, submitted->jobId);

    // The site itself refuses a second start of the same attempt.
    auto direct = await<QString>([&](QObject *c, Callback<QString> cb) { local.submit(s, c, cb); });
    QVERIFY(!direct);
    QCOMPARE(direct.error().kind, Error::Kind::AlreadyExists);

    // Attempt 2 is another job.
    s.attempt = 2;
    auto second = await<SubmitOutcome>([&](QObject *c, Callback<SubmitOutcome> cb) {
        submitOnce(&local, s, lookup, {submitted->jobId}, c, cb);
    });
    QVERIFY2(second, qPrintable(second.errorString()));
    QVERIFY(!second->adopted);
    QVERIFY(second->jobId != submitted->jobId);
    QTRY_COMPARE(QFile(starts).size(), qint64(2 * 8)); // "started\n" twice, never three times
    QTest::qWait(300);
    QCOMPARE(QFile(starts).size(), qint64(2 * 8));

    for (const QString &id : {submitted->jobId, second->jobId})
        QVERIFY(await<void>([&](QObject *c, Callback<void> cb) { local.cancel(id, c, cb); }));
}

QTEST_GUILESS_MAIN(TestSubmitOnce)
#include "tst_submitonce.moc"
