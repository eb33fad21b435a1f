// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPointF>

// Pure functions behind the metric plots of the review window: smoothing,
// decimation to what a screen can show, and the points a line cannot show.
namespace vigil::plot {

// TensorBoard's debiased exponential moving average. `weight` is clamped to
// 0..0.999 (0: the series unchanged). A point whose value is NaN or +-Inf is
// kept out of the average and passed through unchanged, so it can be marked.
// A constant series is returned unchanged, as TensorBoard does.
QList<QPointF> smoothEma(const QList<QPointF> &points, double weight);

// Min/max decimation of a series sorted by x, for the x-range [xMin, xMax]
// drawn `columns` pixels wide. Per pixel column it keeps the first, the
// lowest, the highest and the last point, in x order, so a line through them
// draws the same pixels as the full series. Points outside the range are
// dropped except the nearest one on each side, so lines reach the edges.
// Points whose value is not finite are skipped. At most 4 * columns + 2 points.
QList<QPointF> decimateMinMax(const QList<QPointF> &sorted, double xMin, double xMax, int columns);

enum class NonFinite { NaN, PlusInf, MinusInf };

struct NonFinitePoint
{
    double x = 0;
    NonFinite kind = NonFinite::NaN;
    bool operator==(const NonFinitePoint &) const = default;
};

// The points of a series whose value is NaN or +-Inf, in series order.
QList<NonFinitePoint> nonFinitePoints(const QList<QPointF> &points);

} // namespace vigil::plot
