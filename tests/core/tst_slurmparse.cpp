// SPDX-License-Identifier: GPL-3.0-or-later
// Rows captured from the sandbox cluster (SLURM 22.05.8) with the exact
// format strings Vigil sends; \x1f is the field separator asked for.
#include "sites/slurmparse.h"

#include <QTest>

using namespace vigil;

class TestSlurmParse : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void squeueRows()
    {
        const QByteArray out = "14_1\x1fPENDING\x1fResources\x1f"
                               "0:00\x1f"
                               "1:00:00\x1f"
                               "debug\x1f(null)\x1f"
                               "arr\n"
                               "16\x1fPENDING\x1f"
                               "Dependency\x1f"
                               "0:00\x1f"
                               "1:00:00\x1f"
                               "debug\x1f(null)\x1f"
                               "dep\n"
                               "13\x1fPENDING\x1fJobHeldUser\x1f"
                               "0:00\x1f"
                               "1:00:00\x1f"
                               "debug\x1f(null)\x1fname with|pipe\n"
                               "12\x1fRUNNING\x1fNone\x1f"
                               "0:04\x1f"
                               "59:56\x1f"
                               "debug\x1fvigil/run-a/train\x1f"
                               "cap1\n";
        auto jobs = slurm::parseSqueue(out);
        QVERIFY2(jobs.ok(), qPrintable(jobs.errorString()));
        QCOMPARE(jobs->size(), 4);
        const JobInfo &arr = jobs->at(0);
        QCOMPARE(arr.jobId, QStringLiteral("14_1"));
        QCOMPARE(arr.state, QStringLiteral("PENDING"));
        QCOMPARE(arr.reason, QStringLiteral("Resources"));
        QCOMPARE(arr.timeLeftSeconds, 3600);
        QVERIFY(arr.runId.isEmpty());
        QCOMPARE(jobs->at(1).reason, QStringLiteral("Dependency"));
        QCOMPARE(jobs->at(2).name, QStringLiteral("name with|pipe"));
        QCOMPARE(jobs->at(2).reason, QStringLiteral("JobHeldUser"));
        const JobInfo &run = jobs->at(3);
        QCOMPARE(run.state, QStringLiteral("RUNNING"));
        QVERIFY(run.reason.isEmpty()); // "None" means no reason
        QCOMPARE(run.elapsedSeconds, 4);
        QCOMPARE(run.timeLeftSeconds, 59 * 60 + 56);
        QCOMPARE(run.runId, QStringLiteral("run-a"));
        QCOMPARE(run.task, QStringLiteral("train"));
        QVERIFY(run.isActive());
        QVERIFY(!run.isFinished());
    }

    void squeueEmptyAndMalformed()
    {
        auto none = slurm::parseSqueue("");
        QVERIFY(none.ok());
        QCOMPARE(none->size(), 0);
        auto bad = slurm::parseSqueue("12|RUNNING|None\n");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().kind, Error::Kind::Malformed);
        QVERIFY2(bad.errorString().contains(QStringLiteral("squeue output line 1")),
                 qPrintable(bad.errorString()));
    }

    void sacctRows()
    {
        const QByteArray out = "12\x1f"
                               "COMPLETED\x1f"
                               "0:0\x1f"
                               "00:00:30\x1f"
                               "debug\x1f"
                               "cap1\n"
                               "13\x1f"
                               "CANCELLED by 0\x1f"
                               "0:0\x1f"
                               "00:00:00\x1f"
                               "debug\x1fname with|pipe\n"
                               "3\x1f"
                               "FAILED\x1f"
                               "3:0\x1f"
                               "00:00:00\x1f"
                               "debug\x1fwrap\n"
                               "7\x1f"
                               "CANCELLED by 1002\x1f"
                               "0:15\x1f"
                               "1-02:03:04\x1f"
                               "debug\x1fx\n";
        auto jobs = slurm::parseSacct(out);
        QVERIFY2(jobs.ok(), qPrintable(jobs.errorString()));
        QCOMPARE(jobs->size(), 4);
        QCOMPARE(jobs->at(0).state, QStringLiteral("COMPLETED"));
        QCOMPARE(jobs->at(0).exitCode, 0);
        QCOMPARE(jobs->at(0).elapsedSeconds, 30);
        QVERIFY(jobs->at(0).isFinished());
        QCOMPARE(jobs->at(1).state, QStringLiteral("CANCELLED"));
        QCOMPARE(jobs->at(2).exitCode, 3);
        QCOMPARE(jobs->at(3).exitCode, 128 + 15);
        QCOMPARE(jobs->at(3).elapsedSeconds, 86400 + 2 * 3600 + 3 * 60 + 4);
    }

    void scontrolRows()
    {
        const QByteArray out =
            "JobId=3 JobName=wrap UserId=vigil-sbx(1002) GroupId=vigil-sbx(1002) MCS_label=N/A "
            "Priority=4294901757 Nice=0 Account=sandbox QOS=normal JobState=FAILED "
            "Reason=NonZeroExitCode Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 "
            "ExitCode=3:0 RunTime=00:00:00 TimeLimit=01:00:00 TimeMin=N/A Partition=debug "
            "Comment=vigil/run-b/eval WorkDir=/home/vigil-sbx/my runs\n"
            "JobId=21 ArrayJobId=20 ArrayTaskId=1 JobName=arr JobState=RUNNING Reason=None "
            "ExitCode=0:0 RunTime=00:01:05 Partition=debug\n";
        auto jobs = slurm::parseScontrolJobs(out);
        QVERIFY2(jobs.ok(), qPrintable(jobs.errorString()));
        QCOMPARE(jobs->size(), 2);
        QCOMPARE(jobs->at(0).jobId, QStringLiteral("3"));
        QCOMPARE(jobs->at(0).state, QStringLiteral("FAILED"));
        QCOMPARE(jobs->at(0).reason, QStringLiteral("NonZeroExitCode"));
        QCOMPARE(jobs->at(0).exitCode, 3);
        QCOMPARE(jobs->at(0).runId, QStringLiteral("run-b"));
        QCOMPARE(jobs->at(0).task, QStringLiteral("eval"));
        QCOMPARE(jobs->at(1).jobId, QStringLiteral("20_1"));
        QCOMPARE(jobs->at(1).elapsedSeconds, 65);
        QVERIFY(slurm::parseScontrolJobs("No jobs in the system\n").ok());
        QVERIFY(!slurm::parseScontrolJobs("garbage line\n").ok());
    }

    void durations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("seconds");
        QTest::newRow("m:s") << QStringLiteral("0:04") << qint64(4);
        QTest::newRow("mm:ss") << QStringLiteral("59:56") << qint64(3596);
        QTest::newRow("h:mm:ss") << QStringLiteral("1:00:00") << qint64(3600);
        QTest::newRow("d-hh:mm:ss") << QStringLiteral("2-01:00:05") << qint64(2 * 86400 + 3605);
        QTest::newRow("d-h") << QStringLiteral("1-2") << qint64(86400 + 7200);
        QTest::newRow("fraction") << QStringLiteral("00:00:01.234") << qint64(1);
        QTest::newRow("unlimited") << QStringLiteral("UNLIMITED") << qint64(-1);
        QTest::newRow("invalid") << QStringLiteral("INVALID") << qint64(-1);
        QTest::newRow("not set") << QStringLiteral("NOT_SET") << qint64(-1);
    }
    void durations()
    {
        QFETCH(QString, text);
        QFETCH(qint64, seconds);
        auto d = slurm::parseDuration(text);
        QVERIFY2(d.ok(), qPrintable(d.errorString()));
        QCOMPARE(*d, seconds);
    }
    void badDurations()
    {
        // The last two overflowed qint64 before fields were bounded (found by fuzz_squeue).
        for (const char *s : {"1:2:3:4", "ab:cd", "-5", "x-01:00", "1:0555555555555555550:00",
                              "99999999999-00:00:00"})
            QVERIFY2(!slurm::parseDuration(QString::fromLatin1(s)).ok(), s);
    }

    void exitCodes()
    {
        QCOMPARE(slurm::parseExitCode(QStringLiteral("0:0")), 0);
        QCOMPARE(slurm::parseExitCode(QStringLiteral("3:0")), 3);
        QCOMPARE(slurm::parseExitCode(QStringLiteral("0:9")), 128 + 9);
        // Out of range is unknown, never an overflow (found by fuzz_sacct).
        QCOMPARE(slurm::parseExitCode(QStringLiteral("0:2147483647")), -1);
        QCOMPARE(slurm::parseExitCode(QStringLiteral("-3:0")), -1);
        QCOMPARE(slurm::parseExitCode(QStringLiteral("300:0")), -1);
        QVERIFY(!slurm::parseScontrolJobs("JobId= JobState=RUNNING\n").ok());
    }

    void sbatch()
    {
        QCOMPARE(*slurm::parseSbatch("12\n"), QStringLiteral("12"));
        QCOMPARE(*slurm::parseSbatch("34;vigil-sandbox\n"), QStringLiteral("34"));
        auto bad = slurm::parseSbatch("sbatch: error: invalid partition specified: gpu\n");
        QVERIFY(!bad.ok());
        QVERIFY(bad.errorString().contains(QStringLiteral("invalid partition")));
    }

    void queryArgvIsExplicit()
    {
        const QStringList a = slurm::squeueArgs();
        QCOMPARE(a.first(), QStringLiteral("squeue"));
        QVERIFY(a.contains(QStringLiteral("--me")));
        QVERIFY(a.last().contains(QChar(slurm::kSep)));
        const QStringList s = slurm::sacctArgs({QStringLiteral("1"), QStringLiteral("2")});
        QCOMPARE(s.last(), QStringLiteral("1,2"));
    }
};

QTEST_GUILESS_MAIN(TestSlurmParse)
#include "tst_slurmparse.moc"
