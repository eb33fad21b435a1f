// SPDX-License-Identifier: GPL-3.0-or-later
// The review window's metric plot (offscreen): NaN/Inf markers, the log axis,
// decimation recomputed on zoom, smoothing over the faint raw series, x by
// wall time.
#include "ui/metricschart.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QSlider>
#include <QTest>
#include <QToolTip>
#include <QValueAxis>
#include <cmath>
#include <limits>

using namespace vigil;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

MetricTable table(const QList<double> &ys, const QString &name = QStringLiteral("loss"))
{
    MetricTable t;
    t.file = QStringLiteral("metrics/train.csv");
    t.xName = QStringLiteral("step");
    MetricSeries s;
    s.name = name;
    for (qsizetype i = 0; i < ys.size(); ++i)
        s.points << QPointF(double(i), ys.at(i));
    t.series << s;
    return t;
}

QList<QXYSeries *> seriesNamed(MetricsChart &chart, const QString &objectName)
{
    QList<QXYSeries *> out;
    for (QAbstractSeries *s : chart.chart()->series())
        if (s->objectName() == objectName)
            out << qobject_cast<QXYSeries *>(s);
    return out;
}

QXYSeries *one(MetricsChart &chart, const QString &objectName)
{
    const QList<QXYSeries *> all = seriesNamed(chart, objectName);
    return all.size() == 1 ? all.first() : nullptr;
}

} // namespace

class TestMetricsChart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nanAndInfAreMarked();
    void logAxisLeavesOutNonPositive();
    void zoomRecomputesDecimation();
    void smoothingDrawsOverRaw();
    void wallTimeChoice();
    void messageClears();
};

void TestMetricsChart::nanAndInfAreMarked()
{
    MetricsChart chart;
    chart.resize(800, 400);
    chart.setTable(table({1, kNaN, 2, kInf, 3, -kInf, 4}));
    QCOMPARE(chart.seriesCount(), 1);
    QXYSeries *markers = one(chart, QStringLiteral("nonFinite"));
    QVERIFY(markers);
    QCOMPARE(qobject_cast<QScatterSeries *>(markers)->markerShape(),
             QScatterSeries::MarkerShapeTriangle);
    const auto *y = qobject_cast<QValueAxis *>(chart.chart()->axes(Qt::Vertical).value(0));
    QVERIFY(y);
    // NaN and +Inf at the top edge, -Inf at the bottom, at their x.
    QCOMPARE(markers->points(), (QList<QPointF>{{1, y->max()}, {3, y->max()}, {5, y->min()}}));
    // The line itself holds only the finite points.
    QXYSeries *line = one(chart, QStringLiteral("smoothed"));
    QCOMPARE(line->points(), (QList<QPointF>{{0, 1}, {2, 2}, {4, 3}, {6, 4}}));

    // Hovering a marker says which series, which value and where.
    Q_EMIT markers->hovered(markers->points().at(2), true);
    QCOMPARE(QToolTip::text(), QStringLiteral("loss is -Inf at 5"));

    chart.setTable(table({1, 2, 3}));
    QVERIFY(one(chart, QStringLiteral("nonFinite"))->points().isEmpty());
}

void TestMetricsChart::logAxisLeavesOutNonPositive()
{
    MetricsChart chart;
    chart.resize(800, 400);
    chart.setTable(table({-1, 0, 0.5, 2, 10}));
    QCOMPARE(one(chart, QStringLiteral("smoothed"))->count(), 5);
    QCOMPARE(chart.leftOutByLog(), 0);

    chart.setLogY(true);
    QVERIFY(qobject_cast<QLogValueAxis *>(chart.chart()->axes(Qt::Vertical).value(0)));
    QCOMPARE(chart.leftOutByLog(), 2);
    QVERIFY2(chart.chart()->title().contains(QLatin1String("2 point")),
             qPrintable(chart.chart()->title()));
    const QList<QPointF> shown = one(chart, QStringLiteral("smoothed"))->points();
    QCOMPARE(shown, (QList<QPointF>{{2, 0.5}, {3, 2}, {4, 10}}));

    chart.setLogY(false);
    QVERIFY(qobject_cast<QValueAxis *>(chart.chart()->axes(Qt::Vertical).value(0)));
    QCOMPARE(chart.leftOutByLog(), 0);
    QCOMPARE(one(chart, QStringLiteral("smoothed"))->count(), 5);
    QVERIFY(!chart.chart()->title().contains(QLatin1String("log")));
}

void TestMetricsChart::zoomRecomputesDecimation()
{
    QList<double> ys;
    ys.reserve(1000000);
    for (int i = 0; i < 1000000; ++i)
        ys << std::sin(i * 0.001) + (i % 17) * 0.01;
    MetricsChart chart;
    chart.resize(900, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setTable(table(ys));
    QTRY_VERIFY(chart.chart()->plotArea().width() > 100);
    chart.fit();
    const int columns = int(chart.chart()->plotArea().width());
    QXYSeries *line = one(chart, QStringLiteral("smoothed"));
    QVERIFY(line->count() <= 4 * columns + 2);
    QVERIFY(line->count() >= 2 * columns); // every column drawn
    QCOMPARE(line->points().first(), QPointF(0, ys.first()));
    QCOMPARE(line->points().last(), QPointF(999999, ys.last()));

    // A rubber band over the middle tenth of the plot: the series is decimated
    // again for the new range, still bounded, and covers the range.
    const QRectF area = chart.chart()->plotArea();
    chart.chart()->zoomIn(
        QRectF(area.left() + area.width() * 0.45, area.top(), area.width() * 0.1, area.height()));
    const auto [x0, x1] = chart.xRange();
    QVERIFY(x1 - x0 < 200000);
    QTRY_VERIFY(line->points().first().x() >= x0 - 1000 && line->points().first().x() <= x0);
    QVERIFY(line->points().last().x() >= x1 && line->points().last().x() <= x1 + 1000);
    QVERIFY(line->count() <= 4 * columns + 2);

    // The wheel zooms in around the cursor until single points show.
    for (int i = 0; i < 40; ++i) {
        QWheelEvent wheel(area.center(), chart.mapToGlobal(area.center().toPoint()), QPoint(),
                          QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(chart.viewport(), &wheel);
    }
    const auto [z0, z1] = chart.xRange();
    QVERIFY2(z1 - z0 < 100, qPrintable(QStringLiteral("%1 .. %2").arg(z0).arg(z1)));
    QTRY_VERIFY(line->count() <= int(z1 - z0) + 3);
    QVERIFY(line->points().first().x() >= std::floor(z0) - 1);

    // The arrow keys and a middle-button drag pan; a right click zooms out.
    QTest::keyClick(&chart, Qt::Key_Right);
    const auto [r0, r1] = chart.xRange();
    QVERIFY(r0 > z0 && r1 > z1);
    QVERIFY(std::abs((r1 - r0) - (z1 - z0)) < 1e-6 * (z1 - z0) + 1e-9);
    const QPoint mid = area.center().toPoint();
    QTest::mousePress(chart.viewport(), Qt::MiddleButton, Qt::NoModifier, mid);
    QMouseEvent move(QEvent::MouseMove, QPointF(mid + QPoint(100, 0)),
                     QPointF(chart.viewport()->mapToGlobal(mid + QPoint(100, 0))), Qt::NoButton,
                     Qt::MiddleButton, Qt::NoModifier);
    QApplication::sendEvent(chart.viewport(), &move);
    QTest::mouseRelease(chart.viewport(), Qt::MiddleButton, Qt::NoModifier, mid + QPoint(100, 0));
    const auto [p0, p1] = chart.xRange();
    QVERIFY2(p0 < r0 && p1 < r1, qPrintable(QStringLiteral("%1 .. %2").arg(p0).arg(p1)));
    QTest::mouseClick(chart.viewport(), Qt::RightButton, Qt::NoModifier, mid);
    QVERIFY(chart.xRange().second - chart.xRange().first > p1 - p0);

    // Fit (Home) shows everything again.
    QTest::keyClick(&chart, Qt::Key_Home);
    QCOMPARE(line->points().first(), QPointF(0, ys.first()));
    QCOMPARE(line->points().last(), QPointF(999999, ys.last()));
}

void TestMetricsChart::smoothingDrawsOverRaw()
{
    MetricsPanel panel;
    panel.resize(800, 400);
    QList<double> ys;
    for (int i = 0; i < 200; ++i)
        ys << (i % 2 ? 1.0 : 0.0) + i * 0.01;
    panel.chart()->setTable(table(ys));
    MetricsChart &chart = *panel.chart();
    QXYSeries *raw = one(chart, QStringLiteral("raw"));
    QXYSeries *smooth = one(chart, QStringLiteral("smoothed"));
    QVERIFY(raw && smooth);
    QVERIFY(!raw->isVisible()); // no smoothing: the series alone
    QCOMPARE(smooth->count(), 200);

    auto *slider = panel.findChild<QSlider *>(QStringLiteral("smoothingSlider"));
    QVERIFY(slider);
    QCOMPARE(slider->maximum(), 99);
    slider->setValue(90);
    QCOMPARE(chart.smoothing(), 0.9);
    QVERIFY(raw->isVisible());
    QCOMPARE(raw->count(), 200);
    QCOMPARE(smooth->count(), 200);
    // Same colour, faint.
    QCOMPARE(raw->pen().color().rgb(), smooth->color().rgb());
    QVERIFY(raw->pen().color().alphaF() < 0.3);
    // The raw series zig-zags by 1; the smoothed one barely moves.
    QCOMPARE(raw->points().at(101).y(), ys.at(101));
    QVERIFY(std::abs(smooth->points().at(101).y() - smooth->points().at(100).y()) < 0.3);
    QVERIFY(smooth->points() != raw->points());

    slider->setValue(0);
    QVERIFY(!raw->isVisible());
    QCOMPARE(smooth->points().at(101).y(), ys.at(101));
}

void TestMetricsChart::wallTimeChoice()
{
    MetricsPanel panel;
    panel.resize(800, 400);
    auto *choice = panel.findChild<QComboBox *>(QStringLiteral("xAxisChoice"));
    QVERIFY(choice);
    MetricTable t = table({1, 2, 3});
    panel.chart()->setTable(t);
    QVERIFY(choice->isHidden()); // no time column

    t.timeName = QStringLiteral("time");
    t.series[0].times = {1700000000, 1700000060, kNaN};
    panel.chart()->setTable(t);
    QVERIFY(!choice->isHidden());
    choice->setCurrentIndex(1);
    QCOMPARE(panel.chart()->xAxisKind(), MetricsChart::XAxis::WallTime);
    QVERIFY(qobject_cast<QDateTimeAxis *>(panel.chart()->chart()->axes(Qt::Horizontal).value(0)));
    // Milliseconds since the epoch; the point without a time is left out.
    QCOMPARE(one(*panel.chart(), QStringLiteral("smoothed"))->points(),
             (QList<QPointF>{{1700000000000.0, 1}, {1700000060000.0, 2}}));
    choice->setCurrentIndex(0);
    QVERIFY(qobject_cast<QValueAxis *>(panel.chart()->chart()->axes(Qt::Horizontal).value(0)));
    QCOMPARE(one(*panel.chart(), QStringLiteral("smoothed"))->count(), 3);
}

void TestMetricsChart::messageClears()
{
    MetricsChart chart;
    chart.setTable(table({1, 2}));
    chart.setMessage(QStringLiteral("Loading"));
    QCOMPARE(chart.seriesCount(), 0);
    QVERIFY(chart.chart()->series().isEmpty());
    QVERIFY(chart.chart()->axes().isEmpty());
    QCOMPARE(chart.chart()->title(), QStringLiteral("Loading"));
}

QTEST_MAIN(TestMetricsChart)
#include "tst_metricschart.moc"
