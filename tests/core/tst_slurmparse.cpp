// SPDX-License-Identifier: GPL-3.0-or-later
// Rows captured from the sandbox cluster (SLURM 22.05.8) with the exact
// format strings Vigil sends; \x1f is the field separator asked for.
#include "sites/site.h"
#include "sites/slurmparse.h"

#include <QTest>

using namespace vigil;

namespace {
// Captured lines are written with <US> where squeue/sacct printed the \x1f separator.
QByteArray us(const char *text)
{
    return QByteArray(text).replace("<US>", "\x1f");
}
} // namespace

Q_DECLARE_METATYPE(vigil::TaskResources)

class TestSlurmParse : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // `squeue --me -h -r -o` with the 10 fields of squeueArgs(): an array
    // 0-5%2 (two running, the rest held back by the limit), a held job whose
    // name contains '|', a job waiting on it.
    void squeueRows()
    {
        const QByteArray out = us("54_2<US>PENDING<US>JobArrayTaskLimit<US>0:00<US>5:00<US>debug<"
                                  "US>vigil/run-a/sweep<US>54<US>2<US>arr\n"
                                  "56<US>PENDING<US>Dependency<US>0:00<US>1:00:00<US>debug<US>"
                                  "vigil/run-a/eval<US>56<US>N/A<US>dep\n"
                                  "55<US>PENDING<US>JobHeldUser<US>0:00<US>1:00:00<US>debug<US>("
                                  "null)<US>55<US>N/A<US>name with|pipe\n"
                                  "54_0<US>RUNNING<US>None<US>0:02<US>4:58<US>debug<US>vigil/run-a/"
                                  "sweep<US>54<US>0<US>arr\n");
        auto jobs = slurm::parseSqueue(out);
        QVERIFY2(jobs.ok(), qPrintable(jobs.errorString()));
        QCOMPARE(jobs->size(), 4);
        const JobInfo &arr = jobs->at(0);
        QCOMPARE(arr.jobId, QStringLiteral("54_2"));
        QCOMPARE(arr.arrayJobId, QStringLiteral("54"));
        QCOMPARE(arr.arrayTaskId, QStringLiteral("2"));
        QCOMPARE(arr.submittedId(), QStringLiteral("54"));
        QCOMPARE(arr.state, QStringLiteral("PENDING"));
        QCOMPARE(arr.reason, QStringLiteral("JobArrayTaskLimit"));
        QCOMPARE(arr.timeLeftSeconds, 300);
        QCOMPARE(arr.runId, QStringLiteral("run-a"));
        QCOMPARE(arr.task, QStringLiteral("sweep"));
        QVERIFY(!arr.isHeld());
        const JobInfo &dep = jobs->at(1);
        QCOMPARE(dep.reason, QStringLiteral("Dependency"));
        QVERIFY(dep.arrayJobId.isEmpty());
        QVERIFY(dep.arrayTaskId.isEmpty());
        QCOMPARE(dep.submittedId(), QStringLiteral("56"));
        const JobInfo &held = jobs->at(2);
        QCOMPARE(held.name, QStringLiteral("name with|pipe"));
        QCOMPARE(held.reason, QStringLiteral("JobHeldUser"));
        QVERIFY(held.isHeld());
        QVERIFY(held.runId.isEmpty());
        const JobInfo &run = jobs->at(3);
        QCOMPARE(run.state, QStringLiteral("RUNNING"));
        QVERIFY(run.reason.isEmpty()); // "None" means no reason
        QCOMPARE(run.elapsedSeconds, 2);
        QCOMPARE(run.timeLeftSeconds, 4 * 60 + 58);
        QCOMPARE(run.arrayTaskId, QStringLiteral("0"));
        QVERIFY(run.isActive());
        QVERIFY(!run.isFinished());
        QVERIFY(!run.isHeld());
    }

    // Real lines: the same jobs without -r (a pending range), an array held
    // with `scontrol hold 33` (its running elements keep running and show the
    // reason too), an array of 200 elements, a pending job with no time limit.
    void squeueArrays_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("jobId");
        QTest::addColumn<QString>("arrayJobId");
        QTest::addColumn<QString>("arrayTaskId");
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("held");
        QTest::addColumn<qint64>("timeLeft");
        QTest::newRow("pending range (no -r)")
            << us("54_[2-5%2]<US>PENDING<US>JobArrayTaskLimit<US>0:00<US>5:00<US>debug<US>vigil/"
                  "run-a/sweep<US>54<US>2-5%2<US>arr\n")
            << QStringLiteral("54_[2-5%2]") << QStringLiteral("54") << QStringLiteral("2-5%2")
            << QStringLiteral("PENDING") << QStringLiteral("JobArrayTaskLimit") << false
            << qint64(300);
        QTest::newRow("held array element")
            << us("33_9<US>PENDING<US>JobHeldUser<US>0:00<US>5:00<US>debug<US>vigil/r1/"
                  "t1<US>33<US>9<US>arr\n")
            << QStringLiteral("33_9") << QStringLiteral("33") << QStringLiteral("9")
            << QStringLiteral("PENDING") << QStringLiteral("JobHeldUser") << true << qint64(300);
        QTest::newRow("running element of a held array")
            << us("33_0<US>RUNNING<US>JobHeldUser<US>0:05<US>4:55<US>debug<US>vigil/r1/"
                  "t1<US>33<US>0<US>arr\n")
            << QStringLiteral("33_0") << QStringLiteral("33") << QStringLiteral("0")
            << QStringLiteral("RUNNING") << QStringLiteral("JobHeldUser") << false << qint64(295);
        QTest::newRow("held plain job")
            << us("34<US>PENDING<US>JobHeldUser<US>0:00<US>1:00:00<US>debug<US>vigil/r1/"
                  "h<US>34<US>N/A<US>held\n")
            << QStringLiteral("34") << QString() << QString() << QStringLiteral("PENDING")
            << QStringLiteral("JobHeldUser") << true << qint64(3600);
        QTest::newRow("released job waiting for resources")
            << us("34<US>PENDING<US>Resources<US>0:00<US>1:00:00<US>debug<US>vigil/r1/h<US>34<US>N/"
                  "A<US>held\n")
            << QStringLiteral("34") << QString() << QString() << QStringLiteral("PENDING")
            << QStringLiteral("Resources") << false << qint64(3600);
    }
    void squeueArrays()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, jobId);
        QFETCH(QString, arrayJobId);
        QFETCH(QString, arrayTaskId);
        QFETCH(QString, state);
        QFETCH(QString, reason);
        QFETCH(bool, held);
        QFETCH(qint64, timeLeft);
        auto jobs = slurm::parseSqueue(line);
        QVERIFY2(jobs.ok(), qPrintable(jobs.errorString()));
        QCOMPARE(jobs->size(), 1);
        const JobInfo &j = jobs->first();
        QCOMPARE(j.jobId, jobId);
        QCOMPARE(j.arrayJobId, arrayJobId);
        QCOMPARE(j.arrayTaskId, arrayTaskId);
        QCOMPARE(j.state, state);
        QCOMPARE(j.reason, reason);
        QCOMPARE(j.isHeld(), held);
        QCOMPARE(j.timeLeftSeconds, timeLeft);
    }

    // %F/%K that contradict %i are a malformed line, not a silently wrong id.
    void squeueArrayMismatch()
    {
        auto bad = slurm::parseSqueue(
            us("54_2<US>PENDING<US>None<US>0:00<US>5:00<US>debug<US>(null)<US>53<US>2<US>arr\n"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().kind, Error::Kind::Malformed);
        // The 8-field lines of the former format are refused too.
        QVERIFY(!slurm::parseSqueue(
                     us("12<US>RUNNING<US>None<US>0:04<US>59:56<US>debug<US>(null)<US>x\n"))
                     .ok());
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

    // sacct -j ARRAY after `scancel ARRAY`: the started elements one by one,
    // the elements that never started as one range; then an array whose
    // elements exit with their index.
    void sacctArrays()
    {
        const QByteArray out =
            us("54_0<US>CANCELLED by 1001<US>0:0<US>00:00:07<US>debug<US>arr\n"
               "54_[2-5%2]<US>CANCELLED by 1001<US>0:0<US>00:00:00<US>debug<US>arr\n"
               "37_0<US>COMPLETED<US>0:0<US>00:00:00<US>debug<US>arrx\n"
               "37_3<US>FAILED<US>3:0<US>00:00:00<US>debug<US>arrx\n");
        auto jobs = slurm::parseSacct(out);
        QVERIFY2(jobs.ok(), qPrintable(jobs.errorString()));
        QCOMPARE(jobs->size(), 4);
        QCOMPARE(jobs->at(0).arrayJobId, QStringLiteral("54"));
        QCOMPARE(jobs->at(0).arrayTaskId, QStringLiteral("0"));
        QCOMPARE(jobs->at(0).state, QStringLiteral("CANCELLED"));
        QCOMPARE(jobs->at(0).elapsedSeconds, 7);
        QCOMPARE(jobs->at(1).jobId, QStringLiteral("54_[2-5%2]"));
        QCOMPARE(jobs->at(1).arrayTaskId, QStringLiteral("2-5%2"));
        QCOMPARE(jobs->at(2).state, QStringLiteral("COMPLETED"));
        QCOMPARE(jobs->at(2).submittedId(), QStringLiteral("37"));
        QCOMPARE(jobs->at(3).exitCode, 3);
        QCOMPARE(jobs->at(3).arrayTaskId, QStringLiteral("3"));
    }

    void scontrolArrays()
    {
        // Captured (shortened to the fields read) from `scontrol show job -o 54`.
        const QByteArray out =
            "JobId=54 ArrayJobId=54 ArrayTaskId=2-5%2 ArrayTaskThrottle=2 JobName=arr "
            "UserId=vigil-sbx(1001) JobState=PENDING Reason=JobArrayTaskLimit ExitCode=0:0 "
            "RunTime=00:00:00 TimeLimit=00:05:00 Partition=debug Comment=vigil/run-a/sweep\n"
            "JobId=58 ArrayJobId=54 ArrayTaskId=1 ArrayTaskThrottle=2 JobName=arr "
            "UserId=vigil-sbx(1001) JobState=RUNNING Reason=None ExitCode=0:0 RunTime=00:00:02 "
            "TimeLimit=00:05:00 Partition=debug Comment=vigil/run-a/sweep\n";
        auto jobs = slurm::parseScontrolJobs(out);
        QVERIFY2(jobs.ok(), qPrintable(jobs.errorString()));
        QCOMPARE(jobs->size(), 2);
        QCOMPARE(jobs->at(0).jobId, QStringLiteral("54_[2-5%2]"));
        QCOMPARE(jobs->at(0).arrayTaskId, QStringLiteral("2-5%2"));
        QCOMPARE(jobs->at(1).jobId, QStringLiteral("54_1"));
        QCOMPARE(jobs->at(1).arrayJobId, QStringLiteral("54"));
        QCOMPARE(jobs->at(1).elapsedSeconds, 2);
        QCOMPARE(jobs->at(1).timeLeftSeconds, 298);
        QCOMPARE(jobs->at(1).task, QStringLiteral("sweep"));
    }

    void arraySpecs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("error"); // empty: valid
        QTest::newRow("range") << QStringLiteral("0-9") << QString();
        QTest::newRow("limit") << QStringLiteral("0-199%20") << QString();
        QTest::newRow("list and step") << QStringLiteral("1,3,5-9:2") << QString();
        QTest::newRow("one") << QStringLiteral("7") << QString();
        QTest::newRow("empty") << QString() << QStringLiteral("it is empty");
        QTest::newRow("reversed") << QStringLiteral("9-0") << QStringLiteral("ends before");
        QTest::newRow("zero limit") << QStringLiteral("0-9%0") << QStringLiteral("after '%'");
        QTest::newRow("negative") << QStringLiteral("-1-5") << QStringLiteral("not an index");
        QTest::newRow("option") << QStringLiteral("--wrap=x") << QStringLiteral("not an index");
        QTest::newRow("shell") << QStringLiteral("0-9;$(id)") << QStringLiteral("not an index");
        QTest::newRow("space") << QStringLiteral("0 - 9") << QStringLiteral("not an index");
        QTest::newRow("step without range") << QStringLiteral("5:2") << QStringLiteral("a step");
        QTest::newRow("newline") << QStringLiteral("0-9\n") << QStringLiteral("not an index");
        QTest::newRow("unicode digits")
            << QStringLiteral("\u0661-\u0669") << QStringLiteral("not an index");
    }
    void arraySpecs()
    {
        QFETCH(QString, spec);
        QFETCH(QString, error);
        const auto r = slurm::validateArraySpec(spec);
        if (error.isEmpty()) {
            QVERIFY2(r.ok(), qPrintable(r.errorString()));
        } else {
            QVERIFY(!r.ok());
            QVERIFY2(r.errorString().contains(error), qPrintable(r.errorString()));
        }
    }

    void jobIds()
    {
        for (const char *ok : {"12", "54_3", "123456789012"})
            QVERIFY2(slurm::isJobId(QString::fromLatin1(ok)), ok);
        for (const char *bad :
             {"", "-1", "12 13", "54_", "_3", "54_[2-5]", "12,13", "--me", "1;id", "\xd9\xa1"})
            QVERIFY2(!slurm::isJobId(QString::fromUtf8(bad)), bad);
        QCOMPARE(slurm::controlArgs(QStringLiteral("hold"), QStringLiteral("54")),
                 (QStringList{QStringLiteral("scontrol"), QStringLiteral("hold"),
                              QStringLiteral("--"), QStringLiteral("54")}));
        QString a, t;
        QVERIFY(!slurm::splitArrayJobId(QStringLiteral("54"), &a, &t));
        QVERIFY(slurm::splitArrayJobId(QStringLiteral("54_[2-5%2]"), &a, &t));
        QCOMPARE(t, QStringLiteral("2-5%2"));
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

    void taskQuerySeesEndedJobsAndTheirDirectories()
    {
        const QStringList a = slurm::squeueTaskArgs();
        QVERIFY(a.contains(QStringLiteral("--states=all"))); // ended jobs too (MinJobAge)
        QVERIFY(a.last().endsWith(QStringLiteral("%k")));    // the comment, last
        const QString sep = QString(QChar(slurm::kSep));
        const QByteArray out =
            QStringList{
                QStringList{QStringLiteral("846"), QStringLiteral("COMPLETED"),
                            QStringLiteral("846"), QStringLiteral("N/A"),
                            QStringLiteral("/home/a/runs/r1"),
                            slurm::jobComment(QStringLiteral("r1"), QStringLiteral("prep"), 2)}
                    .join(sep),
                QStringList{QStringLiteral("900_3"), QStringLiteral("RUNNING"),
                            QStringLiteral("900"), QStringLiteral("3"),
                            QStringLiteral("/home/b/runs/r1"),
                            QStringLiteral("free text") + sep + QStringLiteral("more")}
                    .join(sep)}
                .join(QLatin1Char('\n'))
                .toUtf8();
        QStringList dirs;
        const auto jobs = slurm::parseSqueueTasks(out, &dirs);
        QVERIFY2(jobs, qPrintable(jobs.errorString()));
        QCOMPARE(jobs->size(), 2);
        QCOMPARE(dirs, (QStringList{QStringLiteral("/home/a/runs/r1"),
                                    QStringLiteral("/home/b/runs/r1")}));
        QCOMPARE(jobs->at(0).state, QStringLiteral("COMPLETED"));
        QCOMPARE(jobs->at(0).runId, QStringLiteral("r1"));
        QCOMPARE(jobs->at(0).task, QStringLiteral("prep"));
        QCOMPARE(jobs->at(0).attempt, 2);
        QCOMPARE(jobs->at(1).submittedId(), QStringLiteral("900"));
        QVERIFY(jobs->at(1).runId.isEmpty()); // not a Vigil comment
        // An array id that disagrees with %F: an error naming the line.
        const auto bad = slurm::parseSqueueTasks(
            QStringList{QStringLiteral("900_3"), QStringLiteral("RUNNING"), QStringLiteral("901"),
                        QStringLiteral("3"), QStringLiteral("/d"), QString()}
                .join(sep)
                .toUtf8(),
            nullptr);
        QVERIFY(!bad);
        QVERIFY(bad.errorString().contains(QStringLiteral("line 1")));
    }

    void queryArgvIsExplicit()
    {
        const QStringList a = slurm::squeueArgs();
        QCOMPARE(a.first(), QStringLiteral("squeue"));
        QVERIFY(a.contains(QStringLiteral("--me")));
        QVERIFY(a.contains(QStringLiteral("-r"))); // one line per array element
        QVERIFY(a.last().contains(QChar(slurm::kSep)));
        QVERIFY(a.last().contains(QStringLiteral("%F")));
        QVERIFY(a.last().endsWith(QStringLiteral("%j"))); // the name, last: it may hold anything
        const QStringList s = slurm::sacctArgs({QStringLiteral("1"), QStringLiteral("2")});
        QCOMPARE(s.last(), QStringLiteral("1,2"));
    }

    // --output is a filename pattern: a '%' of the run root's path is doubled
    // (SLURM 22.05 makes "%%" a '%', checked on the sandbox), Vigil's own
    // file name keeps its pattern (%a of an array).
    void sbatchOutputIsAPattern_data()
    {
        QTest::addColumn<QString>("logPath");
        QTest::addColumn<QString>("output");
        QTest::newRow("plain") << QStringLiteral("/h/runs/r/tasks/t/output.log")
                               << QStringLiteral("--output=/h/runs/r/tasks/t/output.log");
        QTest::newRow("percent in the run root")
            << QStringLiteral("/h/100%j %x/r/tasks/t/output.log")
            << QStringLiteral("--output=/h/100%%j %%x/r/tasks/t/output.log");
        QTest::newRow("array") << QStringLiteral("/h/50%/r/tasks/t/output_%a.log")
                               << QStringLiteral("--output=/h/50%%/r/tasks/t/output_%a.log");
    }
    void sbatchOutputIsAPattern()
    {
        QFETCH(QString, logPath);
        QFETCH(QString, output);
        Submission s;
        s.runId = QStringLiteral("r");
        s.task = QStringLiteral("t");
        s.workDirectory = logPath.section(QLatin1Char('/'), 0, -4);
        s.scriptPath = s.workDirectory + QStringLiteral("/tasks/t/job.sh");
        s.logPath = logPath;
        const QStringList argv = SlurmSite::sbatchArgs(s, QString(), QString());
        QVERIFY2(argv.contains(output), qPrintable(argv.join(QLatin1Char(' '))));
        // --chdir and the script are plain paths: never escaped.
        QVERIFY(argv.contains(QStringLiteral("--chdir=") + s.workDirectory));
        QCOMPARE(argv.last(), s.scriptPath);
    }

    // Every resource of a task becomes its sbatch option; a task's partition
    // and account win over the site's defaults; extra words come last, before
    // "--" and the script.
    void sbatchMapsEveryResource_data()
    {
        QTest::addColumn<TaskResources>("resources");
        QTest::addColumn<QStringList>("expected"); // in this order, among the arguments
        QTest::addColumn<QStringList>("absent");
        auto res = [](auto fill) {
            TaskResources r;
            fill(r);
            return r;
        };
        QTest::newRow("none") << TaskResources{}
                              << QStringList{QStringLiteral("--partition=site-part"),
                                             QStringLiteral("--account=site-acct")}
                              << QStringList{
                                     QStringLiteral("--time"),  QStringLiteral("--gpus"),
                                     QStringLiteral("--nodes"), QStringLiteral("--qos"),
                                     QStringLiteral("--mem"),   QStringLiteral("--cpus-per-task")};
        QTest::newRow("time") << res([](TaskResources &r) { r.time = QStringLiteral("1-00:00"); })
                              << QStringList{QStringLiteral("--time=1-00:00")} << QStringList{};
        QTest::newRow("cpus") << res([](TaskResources &r) { r.cpus = 8; })
                              << QStringList{QStringLiteral("--cpus-per-task=8")} << QStringList{};
        QTest::newRow("gpus") << res([](TaskResources &r) { r.gpus = 2; })
                              << QStringList{QStringLiteral("--gpus=2")} << QStringList{};
        QTest::newRow("memory") << res([](TaskResources &r) { r.memory = QStringLiteral("16G"); })
                                << QStringList{QStringLiteral("--mem=16G")} << QStringList{};
        QTest::newRow("nodes") << res([](TaskResources &r) { r.nodes = 4; })
                               << QStringList{QStringLiteral("--nodes=4")} << QStringList{};
        QTest::newRow("partition")
            << res([](TaskResources &r) { r.partition = QStringLiteral("a100"); })
            << QStringList{QStringLiteral("--partition=a100")}
            << QStringList{QStringLiteral("--partition=site-part")};
        QTest::newRow("account") << res([](TaskResources &r) {
            r.account = QStringLiteral("proj");
        }) << QStringList{QStringLiteral("--account=proj")}
                                 << QStringList{QStringLiteral("--account=site-acct")};
        QTest::newRow("qos") << res([](TaskResources &r) { r.qos = QStringLiteral("high"); })
                             << QStringList{QStringLiteral("--qos=high")} << QStringList{};
        QTest::newRow("extra") << res([](TaskResources &r) {
            r.extraArgs = {QStringLiteral("--constraint=a100"), QStringLiteral("--exclusive")};
        })
                               << QStringList{QStringLiteral("--constraint=a100"),
                                              QStringLiteral("--exclusive"), QStringLiteral("--"),
                                              QStringLiteral("/run/tasks/t/job.sh")}
                               << QStringList{};
    }
    void sbatchMapsEveryResource()
    {
        QFETCH(TaskResources, resources);
        QFETCH(QStringList, expected);
        QFETCH(QStringList, absent);
        Submission s;
        s.runId = QStringLiteral("r");
        s.task = QStringLiteral("t");
        s.workDirectory = QStringLiteral("/run");
        s.scriptPath = QStringLiteral("/run/tasks/t/job.sh");
        s.logPath = QStringLiteral("/run/tasks/t/output.log");
        s.resources = resources;
        const QStringList argv =
            SlurmSite::sbatchArgs(s, QStringLiteral("site-part"), QStringLiteral("site-acct"));
        const QString all = argv.join(QLatin1Char(' '));
        qsizetype from = 0;
        for (const QString &e : expected) {
            const qsizetype at = argv.indexOf(e, from);
            QVERIFY2(at >= 0, qPrintable(e + QStringLiteral(" in order in: ") + all));
            from = at + 1;
        }
        for (const QString &a : absent)
            for (const QString &word : argv)
                QVERIFY2(!word.startsWith(a), qPrintable(a + QStringLiteral(" in: ") + all));
        QCOMPARE(argv.mid(argv.size() - 2),
                 (QStringList{QStringLiteral("--"), QStringLiteral("/run/tasks/t/job.sh")}));
    }
};

QTEST_GUILESS_MAIN(TestSlurmParse)
#include "tst_slurmparse.moc"
