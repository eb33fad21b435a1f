// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the benchmarks against the sandbox cluster share: failing loudly, a
// command that must succeed, deploying vigil-job, percentiles.

#include "sites/site.h"
#include "sshtesthelpers.h"
#include "supervisor.h"

#include <QDateTime>
#include <QFile>
#include <QList>
#include <QString>
#include <QStringList>
#include <QSysInfo>
#include <QThread>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace vigil::bench {

// The benchmark's name, for its error messages.
inline const char *&programName()
{
    static const char *name = "vigil-bench";
    return name;
}

[[noreturn]] inline void die(const QString &why)
{
    std::fprintf(stderr, "%s: %s\n", programName(), qPrintable(why));
    std::exit(1);
}

template <typename T> T must(Result<T> r, const QString &what)
{
    if (!r)
        die(what + QStringLiteral(": ") + r.errorString());
    return std::move(*r);
}

inline void must(const Result<void> &r, const QString &what)
{
    if (!r)
        die(what + QStringLiteral(": ") + r.errorString());
}

// Runs argv over the transport; anything but exit status 0 ends the benchmark.
inline ExecResult run(Transport &t, const QStringList &argv, const QByteArray &input = {})
{
    ExecResult r = must(
        test::await<ExecResult>(
            [&](QObject *ctx, Callback<ExecResult> cb) { t.exec(argv, input, ctx, std::move(cb)); },
            600000),
        argv.join(QLatin1Char(' ')));
    if (r.exitCode != 0)
        die(QStringLiteral("%1 exited with %2: %3")
                .arg(argv.join(QLatin1Char(' ')))
                .arg(r.exitCode)
                .arg(QString::fromUtf8(r.err)));
    return r;
}

// The sandbox's SLURM site as a supervisor sees it, with cycles only when asked.
inline SupervisorOptions sandboxOptions(const test::SandboxEnv &env)
{
    SupervisorOptions options;
    options.sshConfigFile = env.sshConfig;
    options.hostKeyPolicy = HostKeyPolicy::Strict;
    options.pollSeconds = 3600;
    return options;
}

inline SiteSpec sandboxSite(const test::SandboxEnv &env, const QString &runRoot)
{
    SiteSpec spec;
    spec.name = QStringLiteral("bench");
    spec.kind = SiteSpec::Kind::Slurm;
    spec.host = env.hostAlias;
    spec.runRoot = runRoot;
    return spec;
}

// vigil-job on the sandbox (uploaded when missing): its path there.
inline QString deployHelper(const test::SandboxEnv &env)
{
    Supervisor probe(sandboxOptions(env));
    Site *site = probe.addSite(sandboxSite(env, QStringLiteral("vigil-bench/probe")));
    return must(
        test::await<QString>(
            [&](QObject *ctx, Callback<QString> cb) { site->ensureHelper(ctx, std::move(cb)); },
            120000),
        QStringLiteral("deploying vigil-job"));
}

inline double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(v.size() / 2);
}

// Nearest-rank percentile (p in 0..100): with 50 samples, p99 is the largest.
inline double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(v.size())));
    return v.at(std::clamp<qsizetype>(rank - 1, 0, v.size() - 1));
}

// The first lines of a sandbox benchmark's block: the command, when and where.
inline QStringList sandboxPreamble(const QString &program)
{
    return {
        QStringLiteral("Command: `build/bench/%1` (run by `./dev bench`), against the sandbox "
                       "cluster's sshd and SLURM on this machine (loopback: network latency "
                       "is not in these figures).")
            .arg(program),
        QString(),
        QStringLiteral("Measured %1 on %2: %3 CPUs.")
            .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")),
                 QSysInfo::machineHostName())
            .arg(QThread::idealThreadCount()),
        QString()};
}

// Other work on the machine slows the timings (not the counts): how busy it was.
inline QStringList loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return {QStringLiteral("Load average at the end of the run: %1 (`/proc/loadavg`).")
                .arg(QString::fromLatin1(f.readAll().split(' ').mid(0, 3).join(' '))),
            QString()};
}

inline QString ms(double v)
{
    return QString::number(v, 'f', 2);
}

} // namespace vigil::bench
