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
    // (x, value). Rows whose x or value is empty or not a number are skipped;
    // NaN and +-Inf values ("nan", "inf", "-inf", "Infinity") are kept.
    QList<QPointF> points;
    // The wall time of each point in seconds since the epoch (NaN where the
    // row has none), parallel to `points`; empty when the file has no time column.
    QList<double> times;
};

// The columns of one metrics file that a checkpoint refers to, ready to plot.
struct MetricTable
{
    QString file;
    QString xName;    // the x column, or empty for the row number
    QString timeName; // the wall-time column ("time", "wall_time", "timestamp"), or empty
    QList<MetricSeries> series;
};

// Parses a metrics file: CSV/TSV with a header row (PyTorch Lightning's
// CSVLogger metrics.csv among them), JSON lines (one object per line), or a
// TensorBoard event file (a name containing "tfevents", or bytes starting with
// a TFRecord header whose CRC checks). `ref.x` names the x column (empty: the
// row number); `ref.columns` the series (empty: every numeric column but x).
// Errors name the file and what is missing. A column named "time", "wall_time"
// or "timestamp" (seconds since the epoch, or ISO 8601) is read as each point's
// wall time, not as a series. An event file gives one series per scalar tag
// (`ref.columns`: the tags), x the step, wall times from the events; `ref.x` is
// not used. See MetricsAccumulator to read a file as it grows.
Result<MetricTable> parseMetrics(const QByteArray &data, const MetricRef &ref);

} // namespace vigil
