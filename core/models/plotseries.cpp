// SPDX-License-Identifier: GPL-3.0-or-later
#include "plotseries.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace vigil::plot {

QList<QPointF> smoothEma(const QList<QPointF> &points, double weight)
{
    weight = std::clamp(weight, 0.0, 0.999);
    if (points.isEmpty() || weight == 0.0)
        return points;
    const double firstY = points.first().y();
    const bool constant = std::all_of(points.cbegin(), points.cend(),
                                      [firstY](const QPointF &p) { return p.y() == firstY; });
    if (constant)
        return points;
    QList<QPointF> out = points;
    double last = 0;
    double weightPower = 1; // weight^n after n finite points
    QPointF *p = out.data();
    for (QPointF *const end = p + out.size(); p != end; ++p) {
        if (!std::isfinite(p->y()))
            continue; // passed through, kept out of the average
        last = last * weight + (1 - weight) * p->y();
        // Once 1 - weight^n rounds to 1, stop: weight^n would otherwise stay
        // stuck at the smallest subnormal, and subnormal arithmetic is slow.
        weightPower = weightPower < 1e-20 ? 0 : weightPower * weight;
        p->setY(last / (1 - weightPower));
    }
    return out;
}

QList<QPointF> decimateMinMax(const QList<QPointF> &sorted, double xMin, double xMax, int columns)
{
    QList<QPointF> out;
    if (sorted.isEmpty() || columns < 1 || !(xMax >= xMin))
        return out;
    const auto byX = [](const QPointF &p, double x) { return p.x() < x; };
    const auto begin = std::lower_bound(sorted.cbegin(), sorted.cend(), xMin, byX);
    const auto end = std::upper_bound(sorted.cbegin(), sorted.cend(), xMax,
                                      [](double x, const QPointF &p) { return x < p.x(); });
    const auto finite = [](const QPointF &p) { return std::isfinite(p.y()); };

    // The nearest finite neighbour left of the range.
    for (auto it = begin; it != sorted.cbegin();) {
        --it;
        if (finite(*it)) {
            out << *it;
            break;
        }
    }
    const double scale = xMax > xMin ? columns / (xMax - xMin) : 0;
    auto it = begin;
    while (it != end) {
        const int column = std::min(columns - 1, int((it->x() - xMin) * scale));
        auto first = end, last = end, lo = end, hi = end;
        for (; it != end && std::min(columns - 1, int((it->x() - xMin) * scale)) == column; ++it) {
            if (!finite(*it))
                continue;
            if (first == end)
                first = lo = hi = it;
            last = it;
            if (it->y() < lo->y())
                lo = it;
            if (it->y() > hi->y())
                hi = it;
        }
        if (first == end)
            continue;
        // first <= min, max <= last in x order; keep each once.
        auto keep = std::array{first, std::min(lo, hi), std::max(lo, hi), last};
        for (size_t i = 0; i < keep.size(); ++i)
            if (i == 0 || keep[i] != keep[i - 1])
                out << *keep[i];
    }
    // The nearest finite neighbour right of the range.
    for (auto r = end; r != sorted.cend(); ++r) {
        if (finite(*r)) {
            out << *r;
            break;
        }
    }
    return out;
}

QList<NonFinitePoint> nonFinitePoints(const QList<QPointF> &points)
{
    QList<NonFinitePoint> out;
    for (const QPointF &p : points) {
        if (std::isnan(p.y()))
            out << NonFinitePoint{p.x(), NonFinite::NaN};
        else if (std::isinf(p.y()))
            out << NonFinitePoint{p.x(), p.y() > 0 ? NonFinite::PlusInf : NonFinite::MinusInf};
    }
    return out;
}

} // namespace vigil::plot
