// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the Qt benchmarks share: timing a piece of work several times, and
// replacing their block of docs/performance.md.

#include <QElapsedTimer>
#include <QFile>
#include <QList>
#include <QString>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace vigil::bench {

struct Timing
{
    double medianMs = 0;
    double minMs = 0;
    double maxMs = 0;
    int runs = 0;
};

inline Timing timeRuns(int runs, const std::function<void()> &work)
{
    QList<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        work();
        ms << double(t.nsecsElapsed()) / 1e6;
    }
    std::sort(ms.begin(), ms.end());
    return {ms.at(ms.size() / 2), ms.first(), ms.last(), runs};
}

// "median | min | max | runs" cells of a Markdown table row, in ms.
inline QString timingCells(const Timing &t)
{
    return QStringLiteral("%1 | %2 | %3 | %4")
        .arg(t.medianMs, 0, 'f', 1)
        .arg(t.minMs, 0, 'f', 1)
        .arg(t.maxMs, 0, 'f', 1)
        .arg(t.runs);
}

// "| what | median | min | max | runs |": a row of a Markdown table.
inline QString row(const QString &what, const Timing &t)
{
    return QStringLiteral("| %1 | %2 |").arg(what, timingCells(t));
}

// The command line of a Qt benchmark: nothing, or --markdown FILE (its
// block of that file is replaced). False, after the usage on stderr, for
// anything else.
inline bool benchArguments(const QStringList &args, const char *name)
{
    if (args.size() == 1 || (args.size() == 3 && args.at(1) == QLatin1String("--markdown")))
        return true;
    std::fprintf(stderr, "usage: %s [--markdown FILE]\n", name);
    return false;
}

// Replaces the text between <!-- bench:TAG:begin --> and <!-- bench:TAG:end -->
// in `file` (appends the block when it is not there).
inline void writeBlock(const QString &file, const QString &tag, const QString &text)
{
    const QString begin = QStringLiteral("<!-- bench:%1:begin -->\n").arg(tag);
    const QString end = QStringLiteral("<!-- bench:%1:end -->").arg(tag);
    QFile f(file);
    QString doc = f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    f.close();
    const qsizetype from = doc.indexOf(begin), to = doc.indexOf(end);
    if (from >= 0 && to > from)
        doc.replace(from, to + end.size() - from, begin + text + end);
    else
        doc += QLatin1Char('\n') + begin + text + end + QLatin1Char('\n');
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(doc.toUtf8()) < 0) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(file));
        std::exit(1);
    }
}

} // namespace vigil::bench
