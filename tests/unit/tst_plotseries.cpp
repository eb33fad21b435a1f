// SPDX-License-Identifier: GPL-3.0-or-later
// The pure functions behind the review window's metric plots: TensorBoard's
// debiased EMA, min/max-per-pixel-column decimation, NaN/Inf points.
#include "models/plotseries.h"

#include <QTest>
#include <cmath>
#include <limits>

using namespace vigil;
using namespace vigil::plot;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

QList<QPointF> series(const QList<double> &ys)
{
    QList<QPointF> out;
    for (qsizetype i = 0; i < ys.size(); ++i)
        out << QPointF(double(i), ys.at(i));
    return out;
}

bool same(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b))
        return a == b;
    return std::abs(a - b) < 1e-9;
}

// Column of x in [xMin, xMax] drawn `columns` wide, as decimateMinMax counts.
int columnOf(double x, double xMin, double xMax, int columns)
{
    return std::min(columns - 1, int((x - xMin) * (columns / (xMax - xMin))));
}

} // namespace

class TestPlotSeries : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ema_data();
    void ema();
    void emaKeepsX();
    void decimateHandCase();
    void decimateKeepsMinMax_data();
    void decimateKeepsMinMax();
    void decimateEdges();
    void decimateMillion();
    void nonFinite();
};

void TestPlotSeries::ema_data()
{
    QTest::addColumn<QList<double>>("ys");
    QTest::addColumn<double>("weight");
    QTest::addColumn<QList<double>>("expected");
    // w = 0.5 on 1, 2, 3: last = 0.5, 1.25, 2.125; debias 1 - 0.5^k = 0.5, 0.75, 0.875.
    QTest::newRow("debiased start")
        << QList<double>{1, 2, 3} << 0.5 << QList<double>{1.0, 1.25 / 0.75, 2.125 / 0.875};
    // w = 0.9 on 10, 0: last = 1, 0.9; debias 0.1, 0.19.
    QTest::newRow("w 0.9") << QList<double>{10, 0} << 0.9 << QList<double>{10.0, 0.9 / 0.19};
    QTest::newRow("weight 0: unchanged") << QList<double>{3, 1, 2} << 0.0 << QList<double>{3, 1, 2};
    QTest::newRow("constant: unchanged") << QList<double>{5, 5, 5} << 0.9 << QList<double>{5, 5, 5};
    // NaN is passed through and kept out of the average: 1, NaN, 3 -> 1, NaN, 1.75/0.75.
    QTest::newRow("NaN passthrough")
        << QList<double>{1, kNaN, 3} << 0.5 << QList<double>{1, kNaN, 1.75 / 0.75};
    QTest::newRow("Inf passthrough")
        << QList<double>{2, kInf, -kInf, 4} << 0.5 << QList<double>{2, kInf, -kInf, 2.5 / 0.75};
    // Clamped to 0.999: 1, 2 -> 1, (0.000999 + 0.002) / (1 - 0.998001).
    QTest::newRow("weight clamped")
        << QList<double>{1, 2} << 2.0 << QList<double>{1, 0.002999 / 0.001999};
    QTest::newRow("empty") << QList<double>{} << 0.6 << QList<double>{};
}

void TestPlotSeries::ema()
{
    QFETCH(QList<double>, ys);
    QFETCH(double, weight);
    QFETCH(QList<double>, expected);
    const QList<QPointF> out = smoothEma(series(ys), weight);
    QCOMPARE(out.size(), expected.size());
    for (qsizetype i = 0; i < out.size(); ++i)
        QVERIFY2(same(out.at(i).y(), expected.at(i)),
                 qPrintable(QStringLiteral("point %1: %2, expected %3")
                                .arg(i)
                                .arg(out.at(i).y(), 0, 'g', 12)
                                .arg(expected.at(i), 0, 'g', 12)));
}

void TestPlotSeries::emaKeepsX()
{
    const QList<QPointF> in{{10, 1}, {20, 4}, {35, 2}};
    const QList<QPointF> out = smoothEma(in, 0.7);
    QCOMPARE(out.size(), in.size());
    for (qsizetype i = 0; i < in.size(); ++i)
        QCOMPARE(out.at(i).x(), in.at(i).x());
}

void TestPlotSeries::decimateHandCase()
{
    // One column: first (0,1), max (1,5), min (2,-3), last (3,2); (1.5,0) goes.
    const QList<QPointF> in{{0, 1}, {1, 5}, {1.5, 0}, {2, -3}, {3, 2}};
    QCOMPARE(decimateMinMax(in, 0, 3, 1), (QList<QPointF>{{0, 1}, {1, 5}, {2, -3}, {3, 2}}));
    // The minimum before the maximum keeps x order.
    const QList<QPointF> rising{{0, 0}, {1, -1}, {2, 0}, {3, 9}, {4, 1}};
    QCOMPARE(decimateMinMax(rising, 0, 4, 1), (QList<QPointF>{{0, 0}, {1, -1}, {3, 9}, {4, 1}}));
    // A point that is first and min at once is kept once; NaN is skipped.
    const QList<QPointF> small{{0, -2}, {1, kNaN}, {2, 3}};
    QCOMPARE(decimateMinMax(small, 0, 2, 1), (QList<QPointF>{{0, -2}, {2, 3}}));
    QVERIFY(decimateMinMax({}, 0, 1, 10).isEmpty());
    QVERIFY(decimateMinMax(in, 0, 3, 0).isEmpty());
}

void TestPlotSeries::decimateKeepsMinMax_data()
{
    QTest::addColumn<int>("points");
    QTest::addColumn<double>("xMin");
    QTest::addColumn<double>("xMax");
    QTest::addColumn<int>("columns");
    QTest::newRow("10 per column") << 1000 << 0.0 << 999.0 << 100;
    QTest::newRow("fewer points than columns") << 50 << 0.0 << 49.0 << 800;
    QTest::newRow("zoomed in") << 100000 << 41234.5 << 58000.25 << 640;
    QTest::newRow("one column") << 5000 << 0.0 << 4999.0 << 1;
}

void TestPlotSeries::decimateKeepsMinMax()
{
    QFETCH(int, points);
    QFETCH(double, xMin);
    QFETCH(double, xMax);
    QFETCH(int, columns);
    QList<QPointF> in;
    for (int i = 0; i < points; ++i)
        in << QPointF(i, std::sin(i * 0.37) * 10 + (i % 7) - std::cos(i * 0.011) * 3);
    const QList<QPointF> out = decimateMinMax(in, xMin, xMax, columns);
    QVERIFY(out.size() <= 4 * columns + 2);
    QVERIFY(std::is_sorted(out.cbegin(), out.cend(),
                           [](const QPointF &a, const QPointF &b) { return a.x() < b.x(); }));
    // Per column: the first, last, lowest and highest point of the full series.
    struct Col
    {
        QPointF first, last;
        double lo = kInf, hi = -kInf;
        int n = 0;
    };
    auto collect = [&](const QList<QPointF> &pts) {
        QMap<int, Col> cols;
        for (const QPointF &p : pts) {
            if (p.x() < xMin || p.x() > xMax)
                continue;
            Col &c = cols[columnOf(p.x(), xMin, xMax, columns)];
            if (c.n++ == 0)
                c.first = p;
            c.last = p;
            c.lo = std::min(c.lo, p.y());
            c.hi = std::max(c.hi, p.y());
        }
        return cols;
    };
    const QMap<int, Col> full = collect(in), kept = collect(out);
    QCOMPARE(kept.keys(), full.keys());
    for (auto it = full.cbegin(); it != full.cend(); ++it) {
        const Col &k = kept.value(it.key());
        QCOMPARE(k.first, it->first);
        QCOMPARE(k.last, it->last);
        QCOMPARE(k.lo, it->lo);
        QCOMPARE(k.hi, it->hi);
        QVERIFY(k.n <= 4);
    }
}

void TestPlotSeries::decimateEdges()
{
    QList<QPointF> in;
    for (int i = 0; i < 10; ++i)
        in << QPointF(i, i * i);
    // One neighbour outside each end of [2.5, 6.5], so lines reach the edges.
    QList<QPointF> out = decimateMinMax(in, 2.5, 6.5, 100);
    QCOMPARE(out.first(), QPointF(2, 4));
    QCOMPARE(out.last(), QPointF(7, 49));
    QCOMPARE(out.size(), 6); // 2, 3..6, 7
    // A neighbour that is NaN is passed over for the next finite one.
    in[2].setY(kNaN);
    out = decimateMinMax(in, 2.5, 6.5, 100);
    QCOMPARE(out.first(), QPointF(1, 1));
    // A range between two points still draws the segment that crosses it.
    out = decimateMinMax(in, 4.2, 4.8, 100);
    QCOMPARE(out, (QList<QPointF>{{4, 16}, {5, 25}}));
    // A range left of every point: only the first point, as the right neighbour.
    QCOMPARE(decimateMinMax(in, -5, -1, 100), (QList<QPointF>{{0, 0}}));
}

void TestPlotSeries::decimateMillion()
{
    QList<QPointF> in;
    in.reserve(1000000);
    for (int i = 0; i < 1000000; ++i)
        in << QPointF(i, std::sin(i * 0.001) + (i % 13) * 0.01);
    const QList<QPointF> out = decimateMinMax(in, 0, 999999, 800);
    QVERIFY2(out.size() <= 3202, qPrintable(QString::number(out.size())));
    QVERIFY(out.size() >= 800 * 2); // every column has points: at least first and last
    QCOMPARE(out.first(), in.first());
    QCOMPARE(out.last(), in.last());
}

void TestPlotSeries::nonFinite()
{
    const QList<QPointF> in{{0, 1}, {1, kNaN}, {2, kInf}, {3, 0}, {4, -kInf}};
    const QList<NonFinitePoint> expected{
        {1, NonFinite::NaN}, {2, NonFinite::PlusInf}, {4, NonFinite::MinusInf}};
    QCOMPARE(nonFinitePoints(in), expected);
    QVERIFY(nonFinitePoints(series({1, 2, 3})).isEmpty());
}

QTEST_GUILESS_MAIN(TestPlotSeries)
#include "tst_plotseries.moc"
