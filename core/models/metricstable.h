// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "runs/runinfo.h"

#include <QList>
#include <QPointF>
#include <QString>

namespace vigil {

struct MetricSeries
{
    QString name;
    QList<QPointF> points; // (x, value); rows where the value is not a number are skipped
};

// The columns of one metrics file that a checkpoint refers to, ready to plot.
struct MetricTable
{
    QString file;
    QString xName; // the x column, or empty for the row number
    QList<MetricSeries> series;
};

// Parses a metrics file: CSV/TSV with a header row, or JSON lines (one object
// per line). `ref.x` names the x column (empty: the row number); `ref.columns`
// the series (empty: every numeric column but x). Errors name the file and
// what is missing.
Result<MetricTable> parseMetrics(const QByteArray &data, const MetricRef &ref);

} // namespace vigil
