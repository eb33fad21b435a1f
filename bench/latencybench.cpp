// SPDX-License-Identifier: GPL-3.0-or-later
// Checkpoint-to-inbox latency on the sandbox cluster (docs/performance.md,
// "Checkpoint to inbox"). A real SLURM job posts 50 checkpoints with
// vigil-job, at random moments; three observers watch the same run at once:
//   Vigil: a Supervisor with its `vigil-job watch` stream (the normal case);
//   SFTP polling: a Supervisor whose site cannot run vigil-job, so that it
//     reads the run directories over SFTP every poll interval (5 s, the
//     shortest a site can be set to); it runs in a child process, since the
//     helper binary is chosen per process;
//   naive: a new `ssh HOST cat RUN/events.jsonl` every 5 s.
// The latency of a checkpoint is the time from the job's clock just before
// `vigil-job checkpoint` to the observer's clock when it first saw it (one
// machine, one clock): for Vigil the Supervisor's checkpointArrived, which is
// what files it in the inbox and raises the notification.
// Usage: vigil-latency-bench [--markdown FILE]   (the sandbox must be running)

#include "benchutil.h"
#include "shellquote.h"
#include "sshbenchutil.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QSysInfo>
#include <QTextStream>
#include <QTimer>
#include <ctime>
#include <unistd.h>

using namespace vigil;
using namespace vigil::test;
using bench::die;
using bench::ms;
using bench::must;
using bench::percentile;
using bench::run;

namespace {

constexpr int kCheckpoints = 50;
constexpr int kPollSeconds = SiteSpec::kMinPollSeconds;
constexpr char kRun[] = "run-1";

qint64 nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

QString checkpointId(int i)
{
    return QStringLiteral("cp-%1").arg(i, 2, 10, QLatin1Char('0'));
}

// The job: sleeps DELAY, notes the clock, posts the checkpoint, for each
// DELAY given; the clock readings go to POSTED, one "ID NANOSECONDS" a line.
constexpr char kJobScript[] = R"(#!/bin/sh
set -eu
helper="$1"; run="$2"; posted="$3"; shift 3
i=0
for delay in "$@"; do
    i=$((i + 1))
    sleep "$delay"
    id=$(printf 'cp-%02d' "$i")
    t=$(date +%s%N)
    "$helper" checkpoint --run-dir "$run" --task train --id "$id" --title "Checkpoint $i" \
        --option go --option stop >/dev/null
    printf '%s %s\n' "$id" "$t" >> "$posted"
done
)";

// What one observer saw: when each checkpoint first showed, and how often
// one showed again (never expected).
struct Seen
{
    QHash<QString, qint64> firstNs;
    int repeats = 0;
    // While measuring: SSH connections opened, exec channels + SFTP
    // requests, TCP bytes received (-1: not known).
    qint64 connections = 0;
    qint64 requests = 0;
    qint64 bytesIn = -1;

    void saw(const QString &id, qint64 ns)
    {
        if (firstNs.contains(id))
            ++repeats;
        else
            firstNs.insert(id, ns);
    }
};

// The child process: a Supervisor that reads the run root over SFTP (its
// vigil-job binary is missing), printing "ready" after its first cycle,
// "seen ID NS" per checkpoint, and its transport's figures when asked.
int observeOverSftp(const QString &root)
{
    const SandboxEnv env = SandboxEnv::load();
    if (!env.ok())
        die(env.error);
    SupervisorOptions options = bench::sandboxOptions(env);
    options.pollSeconds = kPollSeconds;
    Supervisor sup(options);
    Site *site = sup.addSite(bench::sandboxSite(env, root));
    QTextStream out(stdout);
    bool ready = false;
    QObject::connect(&sup, &Supervisor::refreshed, &sup, [&](const QString &, bool ok) {
        if (ok && !ready) {
            if (site->helperProblem().isEmpty())
                die(QStringLiteral("the SFTP observer's site runs vigil-job"));
            ready = true;
            out << "ready" << Qt::endl;
        }
    });
    QObject::connect(&sup, &Supervisor::checkpointArrived, &sup, [&](const CheckpointInfo &c) {
        out << "seen " << c.id << ' ' << nowNs() << Qt::endl;
    });
    // The parent writes a line when it starts and when it stops measuring:
    // each is answered with "stats CONNECTS REQUESTS BYTES"; stdin closed: quit.
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, &sup, [&] {
        char buffer[256];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) {
            QCoreApplication::quit();
            return;
        }
        const TransportStats s = site->transport()->stats();
        out << "stats " << s.connects << ' ' << (s.execs + s.fileOps) << ' ' << s.wireIn
            << Qt::endl;
    });
    sup.start();
    return QCoreApplication::exec();
}

struct Bench
{
    SandboxEnv env;
    QStringList out; // markdown lines
    QString base;    // the bench's directory on the site (absolute)
    QString runRoot; // base/runs
    QString runDir;  // runRoot/run-1
    QString helper;

    void prepare(Transport &t)
    {
        helper = bench::deployHelper(env);
        run(t, {QStringLiteral("true")}); // connected: its home directory is known
        base = t.homeDirectory() +
               QStringLiteral("/vigil-bench/latency-%1")
                   .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        runRoot = base + QStringLiteral("/runs");
        runDir = runRoot + QLatin1Char('/') + QLatin1String(kRun);
        run(t, {QStringLiteral("mkdir"), QStringLiteral("-p"), QStringLiteral("--"), runRoot});
        run(t, {helper, QStringLiteral("init-run"), QStringLiteral("--run-dir"), runDir,
                QStringLiteral("--run-id"), QLatin1String(kRun)});
        must(writeWait(t, base + QStringLiteral("/job.sh"), QByteArray(kJobScript), 0755),
             QStringLiteral("writing the job script"));
    }

    // Measures from `sbatch` to the last checkpoint seen by every observer.
    void measure(SshTransport &t, const QString &self)
    {
        // Vigil: the watch stream, with the scheduler queried every 20 s as usual.
        SupervisorOptions options = bench::sandboxOptions(env);
        options.pollSeconds = SiteSpec::kDefaultPollSeconds;
        Supervisor sup(options);
        Site *site = sup.addSite(bench::sandboxSite(env, runRoot));
        Seen stream;
        QObject::connect(&sup, &Supervisor::checkpointArrived, &sup,
                         [&](const CheckpointInfo &c) { stream.saw(c.id, nowNs()); });
        sup.start();
        if (!QTest::qWaitFor([&] { return sup.siteStatus(QStringLiteral("bench")).watching; },
                             120000))
            die(QStringLiteral("vigil-job watch did not go live"));

        // SFTP polling, in a child process.
        Seen sftp;
        QProcess child;
        QProcessEnvironment childEnv = QProcessEnvironment::systemEnvironment();
        childEnv.insert(QStringLiteral("VIGIL_JOB_BINARY"),
                        QStringLiteral("/nonexistent/vigil-job"));
        child.setProcessEnvironment(childEnv);
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        bool childReady = false;
        QList<TransportStats> childStats; // at the start and at the end
        QObject::connect(&child, &QProcess::readyReadStandardOutput, &child, [&] {
            while (child.canReadLine()) {
                const QList<QByteArray> w = child.readLine().trimmed().split(' ');
                if (w.value(0) == "ready")
                    childReady = true;
                else if (w.value(0) == "seen" && w.size() == 3)
                    sftp.saw(QString::fromUtf8(w.at(1)), w.at(2).toLongLong());
                else if (w.value(0) == "stats" && w.size() == 4)
                    childStats << TransportStats{.connects = w.at(1).toULongLong(),
                                                 .execs = w.at(2).toULongLong(),
                                                 .wireIn = w.at(3).toULongLong()};
            }
        });
        child.start(self, {QStringLiteral("--observe-sftp"), runRoot});
        if (!QTest::qWaitFor([&] { return childReady; }, 120000))
            die(QStringLiteral("the SFTP observer did not start"));

        // Naive: a new OpenSSH client per poll.
        Seen naive;
        QProcess ssh;
        const QString events = runDir + QStringLiteral("/events.jsonl");
        const QStringList sshArgs{
            QStringLiteral("-F"), env.sshConfig,
            QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
            env.hostAlias,        shellJoin({QStringLiteral("cat"), QStringLiteral("--"), events})};
        QObject::connect(&ssh, &QProcess::finished, &ssh, [&](int code) {
            const qint64 at = nowNs();
            ++naive.connections;
            ++naive.requests;
            if (code != 0)
                die(QStringLiteral("ssh %1 failed: %2")
                        .arg(sshArgs.join(QLatin1Char(' ')),
                             QString::fromUtf8(ssh.readAllStandardError())));
            for (const QByteArray &line : ssh.readAllStandardOutput().split('\n')) {
                const QJsonObject e = QJsonDocument::fromJson(line).object();
                const QString id = e.value(QStringLiteral("checkpoint")).toString();
                // Every later poll lists it again: the first time counts.
                if (e.value(QStringLiteral("type")).toString() ==
                        QLatin1String("checkpoint_posted") &&
                    !naive.firstNs.contains(id))
                    naive.firstNs.insert(id, at);
            }
        });
        QTimer naiveTimer;
        QObject::connect(&naiveTimer, &QTimer::timeout, &ssh, [&] {
            if (ssh.state() == QProcess::NotRunning)
                ssh.start(QStringLiteral("ssh"), sshArgs);
        });
        naiveTimer.start(kPollSeconds * 1000);

        // The job: delays of 0.3 to 2 s, the same every run.
        QRandomGenerator random(20261127);
        QStringList delays;
        double total = 0;
        for (int i = 0; i < kCheckpoints; ++i) {
            const double d = 0.3 + random.bounded(1.7);
            total += d;
            delays << QString::number(d, 'f', 3);
        }
        const TransportStats streamBefore = site->transport()->stats();
        child.write("begin\n");
        const qint64 started = nowNs();
        const QString job =
            QString::fromUtf8(
                run(t, QStringList{QStringLiteral("sbatch"), QStringLiteral("--parsable"),
                                   QStringLiteral("--job-name=vigil-latency"),
                                   QStringLiteral("--time=00:10:00"),
                                   QStringLiteral("--output=") + base + QStringLiteral("/job.out"),
                                   base + QStringLiteral("/job.sh"), helper, runDir,
                                   base + QStringLiteral("/posted.txt")} +
                           delays)
                    .out)
                .trimmed();
        const auto allSeen = [&] {
            return stream.firstNs.size() >= kCheckpoints && sftp.firstNs.size() >= kCheckpoints &&
                   naive.firstNs.size() >= kCheckpoints;
        };
        if (!QTest::qWaitFor(allSeen, int(total * 1000) + 60000))
            die(QStringLiteral("not every checkpoint was seen: stream %1, SFTP %2, naive %3 of %4 "
                               "(job %5)")
                    .arg(stream.firstNs.size())
                    .arg(sftp.firstNs.size())
                    .arg(naive.firstNs.size())
                    .arg(kCheckpoints)
                    .arg(job));
        const double minutes = double(nowNs() - started) / 60e9;
        const TransportStats streamAfter = site->transport()->stats();
        stream.requests = qint64((streamAfter.execs + streamAfter.fileOps) -
                                 (streamBefore.execs + streamBefore.fileOps));
        stream.connections = qint64(streamAfter.connects - streamBefore.connects);
        stream.bytesIn = qint64(streamAfter.wireIn - streamBefore.wireIn);
        naiveTimer.stop();
        if (!QTest::qWaitFor([&] { return ssh.state() == QProcess::NotRunning; }, 30000))
            die(QStringLiteral("the last ssh poll did not end"));
        child.write("end\n");
        if (!QTest::qWaitFor([&] { return childStats.size() == 2; }, 30000))
            die(QStringLiteral("the SFTP observer did not report its figures"));
        sftp.connections = qint64(childStats.at(1).connects - childStats.at(0).connects);
        sftp.requests = qint64(childStats.at(1).execs - childStats.at(0).execs);
        sftp.bytesIn = qint64(childStats.at(1).wireIn - childStats.at(0).wireIn);
        child.closeWriteChannel();
        if (!child.waitForFinished(30000) || child.exitCode() != 0)
            die(QStringLiteral("the SFTP observer failed"));

        // The job's own record of when it posted each checkpoint.
        const QByteArray posted =
            must(readWait(t, base + QStringLiteral("/posted.txt")), QStringLiteral("posted.txt"))
                .data;
        QHash<QString, qint64> postedNs;
        for (const QByteArray &line : posted.split('\n'))
            if (const QList<QByteArray> w = line.split(' '); w.size() == 2)
                postedNs.insert(QString::fromUtf8(w.at(0)), w.at(1).toLongLong());
        for (int i = 1; i <= kCheckpoints; ++i)
            if (!postedNs.contains(checkpointId(i)))
                die(QStringLiteral("the job did not post %1").arg(checkpointId(i)));
        if (postedNs.size() != kCheckpoints)
            die(QStringLiteral("the job posted %1 checkpoints, not %2")
                    .arg(postedNs.size())
                    .arg(kCheckpoints));

        out << QStringLiteral("SLURM job %1 posted %2 checkpoints, each after a pause of 0.3 to "
                              "2 s (%3 s of pauses in all, drawn once with a fixed seed); the "
                              "three observers watched it at the same time.")
                   .arg(job)
                   .arg(kCheckpoints)
                   .arg(total, 0, 'f', 0)
            << QString()
            << QStringLiteral("| how | p50 ms | p99 ms | min ms | seen | new SSH connections | "
                              "commands + SFTP requests per minute | TCP bytes in per minute |")
            << QStringLiteral("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        const auto line = [&](const QString &how, const Seen &s) {
            QList<double> lat;
            for (auto it = postedNs.cbegin(); it != postedNs.cend(); ++it) {
                if (!s.firstNs.contains(it.key()))
                    die(QStringLiteral("%1 never saw %2").arg(how, it.key()));
                lat << double(s.firstNs.value(it.key()) - it.value()) / 1e6;
            }
            if (s.firstNs.size() != kCheckpoints)
                die(QStringLiteral("%1 saw %2 checkpoints, not %3")
                        .arg(how)
                        .arg(s.firstNs.size())
                        .arg(kCheckpoints));
            if (s.repeats != 0)
                die(QStringLiteral("%1 announced %2 checkpoints twice").arg(how).arg(s.repeats));
            if (percentile(lat, 0) < 0)
                die(QStringLiteral("%1 saw a checkpoint before it was posted").arg(how));
            out << QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 |")
                       .arg(how, ms(percentile(lat, 50)), ms(percentile(lat, 99)),
                            ms(percentile(lat, 0)))
                       .arg(s.firstNs.size())
                       .arg(s.connections)
                       .arg(double(s.requests) / minutes, 0, 'f', 0)
                       .arg(s.bytesIn < 0 ? QStringLiteral("not counted")
                                          : QString::number(double(s.bytesIn) / minutes, 'f', 0));
        };
        line(QStringLiteral("Vigil: `vigil-job watch` stream"), stream);
        line(QStringLiteral("SFTP polling every %1 s (Vigil without vigil-job)").arg(kPollSeconds),
             sftp);
        line(QStringLiteral("naive: new `ssh HOST cat` every %1 s").arg(kPollSeconds), naive);
        out << QString();
        run(t, {QStringLiteral("scancel"), job});
    }
};

} // namespace

int main(int argc, char **argv)
{
    bench::programName() = "vigil-latency-bench";
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 3 && args.at(1) == QLatin1String("--observe-sftp"))
        return observeOverSftp(args.at(2));
    if (!bench::benchArguments(args, "vigil-latency-bench"))
        return 2;
    Bench b;
    b.env = SandboxEnv::load();
    if (!b.env.ok())
        die(b.env.error);
    SshTransport t(sandboxTarget(b.env));
    b.prepare(t);
    b.out << bench::sandboxPreamble(QStringLiteral("vigil-latency-bench"));
    b.measure(t, QCoreApplication::applicationFilePath());
    run(t, {QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), b.base});
    b.out << bench::loadAverage();
    const QString text = b.out.join(QLatin1Char('\n')) + QLatin1Char('\n');
    QTextStream(stdout) << text;
    if (args.size() == 3)
        bench::writeBlock(args.at(2), QStringLiteral("latency"), text);
    return 0;
}
