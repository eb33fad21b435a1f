// SPDX-License-Identifier: GPL-3.0-or-later
// SSH benchmarks against the sandbox cluster, each with its baseline measured
// in the same run (docs/performance.md, "SSH and sites"):
//   1. one command on the open session vs a new connection per command
//      (libssh) vs the OpenSSH client (`ssh ALIAS true`);
//   2. what one refresh cycle costs for 1, 10 and 100 runs: Vigil's cycle
//      (one squeue; the run directories streamed by vigil-job watch) vs
//      polling each run's files over SFTP;
//   3. the bytes that travel when 1 KB is appended to a 100 MB metrics file:
//      FileTail vs reading the whole file again.
// Usage: vigil-ssh-bench [--markdown FILE]   (the sandbox must be running)

#include "benchutil.h"
#include "filetail.h"
#include "sshbenchutil.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSysInfo>
#include <QTextStream>
#include <algorithm>
#include <cstdio>

using namespace vigil;
using namespace vigil::test;

namespace {

using bench::die;
using bench::median;
using bench::ms;
using bench::must;
using bench::run;

double p95(const QList<double> &v)
{
    return bench::percentile(v, 95);
}

struct Bench
{
    SandboxEnv env;
    QStringList out; // markdown lines

    void execRoundTrip()
    {
        constexpr int kOpen = 200, kNew = 30;
        SshTransport open(sandboxTarget(env));
        for (int i = 0; i < 10; ++i)
            run(open, {QStringLiteral("true")});
        QList<double> onOpen, fresh, client;
        QElapsedTimer t;
        for (int i = 0; i < kOpen; ++i) {
            t.start();
            run(open, {QStringLiteral("true")});
            onOpen << t.nsecsElapsed() / 1e6;
        }
        for (int i = 0; i < kNew; ++i) {
            t.start();
            SshTransport once(sandboxTarget(env));
            run(once, {QStringLiteral("true")});
            fresh << t.nsecsElapsed() / 1e6;
        }
        for (int i = 0; i < kNew; ++i) {
            QProcess p;
            t.start();
            p.start(QStringLiteral("ssh"),
                    {QStringLiteral("-F"), env.sshConfig, QStringLiteral("-o"),
                     QStringLiteral("BatchMode=yes"), env.hostAlias, QStringLiteral("true")});
            if (!p.waitForFinished(30000) || p.exitCode() != 0)
                die(QStringLiteral("ssh %1 true failed: %2")
                        .arg(env.hostAlias, QString::fromUtf8(p.readAllStandardError())));
            client << t.nsecsElapsed() / 1e6;
        }
        out << QStringLiteral("### One command (`true`), wall time from request to result")
            << QString() << QStringLiteral("| how | median ms | p95 ms | runs |")
            << QStringLiteral("| --- | ---: | ---: | ---: |")
            << QStringLiteral("| Vigil: exec on the open session | %1 | %2 | %3 |")
                   .arg(ms(median(onOpen)), ms(p95(onOpen)))
                   .arg(kOpen)
            << QStringLiteral(
                   "| baseline: new libssh connection + host key + auth + exec | %1 | %2 "
                   "| %3 |")
                   .arg(ms(median(fresh)), ms(p95(fresh)))
                   .arg(kNew)
            << QStringLiteral("| baseline: OpenSSH client, `ssh ALIAS true` | %1 | %2 | %3 |")
                   .arg(ms(median(client)), ms(p95(client)))
                   .arg(kNew)
            << QString();
    }

    // N runs, each with one pending checkpoint and a metrics file.
    QString makeRuns(Transport &t, const QString &helper, int n)
    {
        const QString root =
            QStringLiteral("vigil-bench/cycle-%1-%2")
                .arg(n)
                .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        const QString script = QStringLiteral(
            "set -e; root=\"$HOME/$1\"; helper=\"$2\"; mkdir -p \"$root\"; i=0; "
            "while [ $i -lt \"$3\" ]; do d=\"$root/run-$i\"; "
            "\"$helper\" init-run --run-dir \"$d\" --run-id run-$i >/dev/null; "
            "\"$helper\" checkpoint --run-dir \"$d\" --task train --id epoch-1 --title Go "
            "--option go --option stop >/dev/null; "
            "\"$helper\" log-metrics --run-dir \"$d\" loss=0.5 >/dev/null; "
            "i=$((i+1)); done");
        run(t, {QStringLiteral("sh"), QStringLiteral("-c"), script, QStringLiteral("sh"), root,
                helper, QString::number(n)});
        return t.homeDirectory() + QLatin1Char('/') + root;
    }

    // What a desktop without the helper's scan and watch would do: list and
    // read each run's files.
    void naivePoll(Transport &t, const QString &root)
    {
        const QList<FileEntry> runs = must(listWait(t, root), root);
        for (const FileEntry &r : runs) {
            const QString dir = root + QLatin1Char('/') + r.name;
            (void)must(readWait(t, dir + QStringLiteral("/run.json")), dir);
            const QList<FileEntry> cps =
                must(listWait(t, dir + QStringLiteral("/checkpoints")), dir);
            for (const FileEntry &c : cps) {
                const QString cp = dir + QStringLiteral("/checkpoints/") + c.name;
                (void)must(readWait(t, cp + QStringLiteral("/request.json")), cp);
                (void)listWait(t, cp); // decision.json, ack.json present?
            }
            (void)must(listWait(t, dir + QStringLiteral("/tasks")), dir);
        }
        run(t, {QStringLiteral("squeue"), QStringLiteral("-h"), QStringLiteral("--me")});
    }

    void refreshCycles()
    {
        out << QStringLiteral("### One refresh cycle of a SLURM site, by number of runs")
            << QString()
            << QStringLiteral("Vigil: the supervisor's cycle once `vigil-job watch` is live "
                              "(measured from `refresh()` to `refreshed`). Baseline: reading "
                              "each run's files over SFTP plus one squeue. Commands = SSH exec "
                              "channels; SFTP = SFTP requests made by Vigil's code; bytes = "
                              "TCP bytes received.")
            << QString()
            << QStringLiteral("| runs | Vigil commands | Vigil SFTP ops | Vigil ms | Vigil bytes "
                              "in | baseline commands | baseline SFTP ops | baseline ms | "
                              "baseline bytes in |")
            << QStringLiteral("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        SshTransport setup(sandboxTarget(env));
        const SupervisorOptions options = bench::sandboxOptions(env); // cycles only when asked
        for (const int n : {1, 10, 100}) {
            const QString helper = bench::deployHelper(env);
            const QString root = makeRuns(setup, helper, n);

            Supervisor sup(options);
            const SiteSpec spec = bench::sandboxSite(env, root);
            Site *site = sup.addSite(spec);
            int cycles = 0;
            QObject::connect(&sup, &Supervisor::refreshed, &sup, [&] { ++cycles; });
            sup.refresh();
            if (!QTest::qWaitFor([&] { return cycles >= 1; }, 120000))
                die(QStringLiteral("no first refresh cycle"));
            if (!QTest::qWaitFor([&] { return sup.siteStatus(spec.name).watching; }, 60000))
                die(QStringLiteral("vigil-job watch did not go live"));
            // The watch's first document follows the first scan: wait until
            // the connection has been quiet for a second, so that the cycles
            // below measure the steady state only.
            for (quint64 seen = ~quint64(0); site->transport()->stats().wireIn != seen;) {
                seen = site->transport()->stats().wireIn;
                QTest::qWait(1000);
            }
            if (sup.checkpoints().size() != n)
                die(QStringLiteral("expected %1 checkpoints, saw %2")
                        .arg(n)
                        .arg(sup.checkpoints().size()));
            QList<double> times;
            TransportStats first, last;
            constexpr int kCycles = 5;
            for (int i = 0; i < kCycles; ++i) {
                const TransportStats before = site->transport()->stats();
                const int seen = cycles;
                QElapsedTimer t;
                t.start();
                sup.refresh();
                if (!QTest::qWaitFor([&] { return cycles > seen; }, 60000))
                    die(QStringLiteral("refresh cycle did not end"));
                times << t.nsecsElapsed() / 1e6;
                if (i == 0)
                    first = before;
                last = site->transport()->stats();
            }
            const double execs = double(last.execs - first.execs) / kCycles;
            const double files = double(last.fileOps - first.fileOps) / kCycles;
            const double bytes = double(last.wireIn - first.wireIn) / kCycles;

            SshTransport naive(sandboxTarget(env));
            naivePoll(naive, root); // warm
            QList<double> naiveTimes;
            const TransportStats nb = naive.stats();
            for (int i = 0; i < kCycles; ++i) {
                QElapsedTimer t;
                t.start();
                naivePoll(naive, root);
                naiveTimes << t.nsecsElapsed() / 1e6;
            }
            const TransportStats na = naive.stats();
            out << QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 | %9 |")
                       .arg(n)
                       .arg(execs, 0, 'f', 1)
                       .arg(files, 0, 'f', 1)
                       .arg(ms(median(times)))
                       .arg(bytes, 0, 'f', 0)
                       .arg(double(na.execs - nb.execs) / kCycles, 0, 'f', 1)
                       .arg(double(na.fileOps - nb.fileOps) / kCycles, 0, 'f', 1)
                       .arg(ms(median(naiveTimes)))
                       .arg(double(na.wireIn - nb.wireIn) / kCycles, 0, 'f', 0);
            run(setup, {QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), root});
        }
        out << QString();
    }

    void tailBytes()
    {
        SshTransport t(sandboxTarget(env));
        const QString path = QStringLiteral("vigil-bench/metrics-100MB.csv");
        run(t, {QStringLiteral("sh"), QStringLiteral("-c"),
                QStringLiteral("mkdir -p vigil-bench && yes 0.123456789,0.987654321,42 | "
                               "head -c 99999999 > \"$1\" && echo >> \"$1\""),
                QStringLiteral("sh"), path});
        FileTail tail(&t, path, qint64(32) << 20);
        do {
            (void)must(await<FileTail::Update>(
                           [&](QObject *ctx, Callback<FileTail::Update> cb) {
                               tail.poll(ctx, std::move(cb));
                           },
                           120000),
                       path);
        } while (tail.hasMore());

        QByteArray kilobyte;
        while (kilobyte.size() < 1024)
            kilobyte += "7,0.25,0.125\n";
        kilobyte.truncate(1024 - 1);
        kilobyte += '\n';
        run(t,
            {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("cat >> \"$1\""),
             QStringLiteral("sh"), path},
            kilobyte);

        TransportStats before = t.stats();
        QElapsedTimer timer;
        timer.start();
        const FileTail::Update u =
            must(await<FileTail::Update>([&](QObject *ctx, Callback<FileTail::Update> cb) {
                     tail.poll(ctx, std::move(cb));
                 }),
                 path);
        const double tailMs = timer.nsecsElapsed() / 1e6;
        if (u.lines != kilobyte)
            die(QStringLiteral("the tail read %1 bytes, not the 1024 appended")
                    .arg(u.lines.size()));
        TransportStats after = t.stats();
        const quint64 tailWire = after.wireIn - before.wireIn;
        const quint64 tailPayload = after.payloadIn - before.payloadIn;

        // Baseline: the whole file again, in reads of at most 32 MiB.
        before = t.stats();
        timer.start();
        qint64 offset = 0, size = 1;
        while (offset < size) {
            const FileChunk c = must(readWait(t, path, offset, qint64(32) << 20), path);
            size = c.fileSize;
            offset += c.data.size();
            if (c.data.isEmpty())
                break;
        }
        const double wholeMs = timer.nsecsElapsed() / 1e6;
        after = t.stats();
        run(t, {QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("--"), path});
        out << QStringLiteral("### 1 KB appended to a 100 MB metrics file, then read") << QString()
            << QStringLiteral("| how | data bytes read | TCP bytes received | ms |")
            << QStringLiteral("| --- | ---: | ---: | ---: |")
            << QStringLiteral("| Vigil: FileTail poll (only what was appended) | %1 | %2 | %3 |")
                   .arg(tailPayload)
                   .arg(tailWire)
                   .arg(ms(tailMs))
            << QStringLiteral("| baseline: read the whole file again | %1 | %2 | %3 |")
                   .arg(after.payloadIn - before.payloadIn)
                   .arg(after.wireIn - before.wireIn)
                   .arg(ms(wholeMs))
            << QString();
    }
};

} // namespace

int main(int argc, char **argv)
{
    bench::programName() = "vigil-ssh-bench";
    QCoreApplication app(argc, argv);
    QString markdown;
    const QStringList args = app.arguments();
    if (args.size() == 3 && args.at(1) == QLatin1String("--markdown"))
        markdown = args.at(2);
    else if (args.size() != 1)
        die(QStringLiteral("usage: vigil-ssh-bench [--markdown FILE]"));
    Bench b;
    b.env = SandboxEnv::load();
    if (!b.env.ok())
        die(b.env.error);
    b.out << bench::sandboxPreamble(QStringLiteral("vigil-ssh-bench"));
    b.execRoundTrip();
    b.refreshCycles();
    b.tailBytes();
    b.out << bench::loadAverage();
    const QString text = b.out.join(QLatin1Char('\n')) + QLatin1Char('\n');
    QTextStream(stdout) << text;
    if (!markdown.isEmpty())
        bench::writeBlock(markdown, QStringLiteral("ssh"), text);
    return 0;
}
