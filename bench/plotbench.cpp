// SPDX-License-Identifier: GPL-3.0-or-later
// The review window's metric plot with 1,000,000 points (docs/performance.md,
// "Metric plots"), each figure next to its baseline in the same run:
//   Vigil: smooth the whole series (debiased EMA), decimate it to min/max per
//   pixel column for 1000 columns, hand the result to a QLineSeries, draw;
//   baseline: hand all 1,000,000 points to the QLineSeries (replace()), draw.
// Usage: vigil-plot-bench [--markdown FILE]   (offscreen; no cluster needed)

#include "benchutil.h"
#include "models/plotseries.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QLineSeries>
#include <QSysInfo>
#include <QTextStream>
#include <QThread>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

using namespace vigil;
using bench::timeRuns;
using bench::Timing;

namespace {

constexpr int kPoints = 1000000;
constexpr int kColumns = 1000;

// A 1000-pixel-wide plot area, drawn offscreen.
struct Plot
{
    QChartView view{new QChart};
    QLineSeries *series = new QLineSeries;

    Plot()
    {
        view.chart()->addSeries(series);
        view.chart()->createDefaultAxes();
        view.chart()->axes(Qt::Horizontal).first()->setRange(0, kPoints);
        view.chart()->axes(Qt::Vertical).first()->setRange(-2, 2);
        view.chart()->legend()->hide();
        view.resize(kColumns + 80, 400);
        view.show();
        QApplication::processEvents();
    }
    void draw() { view.grab(); }
};

QString row(const QString &what, const Timing &t, qsizetype points)
{
    return QStringLiteral("| %1 | %2 | %3 |").arg(what).arg(points).arg(bench::timingCells(t));
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", QByteArrayLiteral("offscreen"));
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (!bench::benchArguments(args, "vigil-plot-bench"))
        return 2;

    // A noisy training curve: a decaying loss plus an oscillation.
    QList<QPointF> points;
    points.reserve(kPoints);
    for (int i = 0; i < kPoints; ++i)
        points << QPointF(i, std::exp(-i / 3e5) + 0.3 * std::sin(i * 0.37) * std::cos(i * 0.011));

    QList<QPointF> shown;
    const Timing compute = timeRuns(15, [&] {
        shown = plot::decimateMinMax(plot::smoothEma(points, 0.6), 0, kPoints - 1, kColumns);
    });
    const qsizetype decimated = shown.size();
    const Timing zoom = timeRuns(15, [&] {
        shown = plot::decimateMinMax(points, 4e5, 5e5, kColumns); // a zoom: no new smoothing
    });
    const qsizetype zoomed = shown.size();

    Plot vigil;
    const Timing vigilDraw = timeRuns(15, [&] {
        vigil.series->replace(
            plot::decimateMinMax(plot::smoothEma(points, 0.6), 0, kPoints - 1, kColumns));
        vigil.draw();
    });
    Plot baseline;
    const Timing baseReplace = timeRuns(5, [&] { baseline.series->replace(points); });
    const Timing baseDraw = timeRuns(5, [&] {
        baseline.series->replace(points);
        baseline.draw();
    });

    QFile loadavg(QStringLiteral("/proc/loadavg"));
    const QString load = loadavg.open(QIODevice::ReadOnly)
                             ? QString::fromLatin1(loadavg.readAll().split(' ').mid(0, 3).join(' '))
                             : QStringLiteral("unknown");
    QStringList out;
    out << QStringLiteral("Command: `build/bench/vigil-plot-bench` (offscreen, Qt %1).")
               .arg(QString::fromLatin1(qVersion()))
        << QString()
        << QStringLiteral("Measured %1 on %2: %3 CPUs; load average %4 at the end of the run.")
               .arg(QDateTime::currentDateTimeUtc().toString(
                        QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")),
                    QSysInfo::machineHostName())
               .arg(QThread::idealThreadCount())
               .arg(load)
        << QString()
        << QStringLiteral("1,000,000 points, a plot %1 pixels wide; EMA weight 0.6. "
                          "\"draw\" is one `QChartView::grab()` of the chart.")
               .arg(kColumns)
        << QString()
        << QStringLiteral(
               "| what | points handed to the series | median ms | min ms | max ms | runs |")
        << QStringLiteral("| --- | ---: | ---: | ---: | ---: | ---: |")
        << row(QStringLiteral("Vigil: smooth + decimate (computation only)"), compute, decimated)
        << row(QStringLiteral("Vigil: decimate a zoomed range (10% of x)"), zoom, zoomed)
        << row(QStringLiteral("Vigil: smooth + decimate + replace() + draw"), vigilDraw, decimated)
        << row(QStringLiteral("baseline: replace() of all points"), baseReplace, kPoints)
        << row(QStringLiteral("baseline: replace() of all points + draw"), baseDraw, kPoints)
        << QString();
    const QString text = out.join(QLatin1Char('\n')) + QLatin1Char('\n');
    QTextStream(stdout) << text;
    if (args.size() == 3)
        bench::writeBlock(args.at(2), QStringLiteral("plot"), text);
    return 0;
}
