// SPDX-License-Identifier: GPL-3.0-or-later
// The review window's metric plot with 1,000,000 points (docs/performance.md,
// "Metric plots"), each figure next to its baseline in the same run:
//   Vigil: smooth the whole series (debiased EMA), decimate it to min/max per
//   pixel column for 1000 columns, hand the result to a QLineSeries, draw;
//   baseline: hand all 1,000,000 points to the QLineSeries (replace()), draw.
// And one step of a zoom and of a pan, drawn: Vigil decimates the visible
// range of the smoothed series again; the baseline moves the axis of the
// series that holds all points. Results are checked: the decimated points
// keep the first, lowest, highest and last point of the visible range.
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
    void setX(double from, double to)
    {
        view.chart()->axes(Qt::Horizontal).first()->setRange(from, to);
    }
};

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "wrong result: %s\n", what);
        std::exit(1);
    }
}

// The decimated points of [from, to] hold the range's extremes and its ends.
void checkDecimated(const QList<QPointF> &all, const QList<QPointF> &shown, double from, double to)
{
    double lo = qInf(), hi = -qInf(), first = qQNaN(), last = qQNaN();
    for (const QPointF &p : all)
        if (p.x() >= from && p.x() <= to) {
            lo = std::min(lo, p.y());
            hi = std::max(hi, p.y());
            if (std::isnan(first))
                first = p.y();
            last = p.y();
        }
    double slo = qInf(), shi = -qInf();
    for (const QPointF &p : shown) {
        slo = std::min(slo, p.y());
        shi = std::max(shi, p.y());
    }
    check(!shown.isEmpty() && slo == lo && shi == hi, "the visible range's lowest and highest");
    check(shown.first().y() == first || shown.first().x() < from, "the visible range's first");
    check(shown.last().y() == last || shown.last().x() > to, "the visible range's last");
}

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
    // One zoom step (x range shrunk by 0.8 about its middle) and one pan step
    // (10% of the range to the right), each decimated and drawn; the
    // smoothed series is kept, as MetricsChart keeps it.
    const QList<QPointF> smoothed = plot::smoothEma(points, 0.6);
    checkDecimated(smoothed, plot::decimateMinMax(smoothed, 0, kPoints - 1, kColumns), 0,
                   kPoints - 1);
    double from = 0, to = kPoints - 1;
    const auto zoomStep = [&] {
        const double mid = (from + to) / 2, half = (to - from) / 2 * 0.8;
        from = mid - half;
        to = mid + half;
    };
    const auto panStep = [&] {
        const double shift = (to - from) / 10;
        from += shift;
        to += shift;
    };
    const auto vigilStep = [&](const std::function<void()> &step) {
        step();
        vigil.setX(from, to);
        vigil.series->replace(plot::decimateMinMax(smoothed, from, to, kColumns));
        vigil.draw();
    };
    const Timing vigilZoom = timeRuns(15, [&] { vigilStep(zoomStep); });
    checkDecimated(smoothed, vigil.series->points(), from, to);
    const Timing vigilPan = timeRuns(15, [&] { vigilStep(panStep); });
    checkDecimated(smoothed, vigil.series->points(), from, to);

    Plot baseline;
    baseline.series->replace(smoothed);
    from = 0;
    to = kPoints - 1;
    const auto baseStep = [&](const std::function<void()> &step) {
        step();
        baseline.setX(from, to);
        baseline.draw();
    };
    const Timing baseZoom = timeRuns(5, [&] { baseStep(zoomStep); });
    const Timing basePan = timeRuns(5, [&] { baseStep(panStep); });
    check(baseline.series->count() == kPoints, "the baseline holds every point");

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
        << row(QStringLiteral("Vigil: one zoom step (x range x0.8), decimate + replace() + draw"),
               vigilZoom, vigil.series->count())
        << row(QStringLiteral("baseline: one zoom step, the axis moved + draw"), baseZoom, kPoints)
        << row(QStringLiteral(
                   "Vigil: one pan step (10% of the range), decimate + replace() + draw"),
               vigilPan, vigil.series->count())
        << row(QStringLiteral("baseline: one pan step, the axis moved + draw"), basePan, kPoints)
        << QString();
    const QString text = out.join(QLatin1Char('\n')) + QLatin1Char('\n');
    QTextStream(stdout) << text;
    if (args.size() == 3)
        bench::writeBlock(args.at(2), QStringLiteral("plot"), text);
    return 0;
}
