// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/metricstable.h"

#include <QChartView>
#include <QTimer>

class QLineSeries;
class QScatterSeries;

namespace vigil {

class MetricsCompare;

// A line chart of the columns of one metrics file; shows a message while the
// file is loading or when it could not be read.
//
// Each series is smoothed (debiased EMA) over the whole series, then decimated
// to min/max per pixel column of the visible x range; both are recomputed when
// the x range or the width changes. The raw series is drawn faint under the
// smoothed one. NaN and +-Inf values are marked by red triangles at the top
// (NaN, +Inf) or bottom (-Inf) edge. Zoom: drag a rectangle, or the wheel
// (x only); right click zooms out. Pan: drag with the middle button, or the
// arrow keys. +/- zoom, Home fits everything.
class MetricsChart : public QChartView
{
    Q_OBJECT
public:
    enum class XAxis { Step, WallTime };

    explicit MetricsChart(QWidget *parent = nullptr);

    void setTable(const MetricTable &table);
    // A newer state of the same file (more rows): the series are redrawn and
    // a view the user zoomed or panned is kept; else the chart fits the data
    // again. Other columns: as setTable().
    void updateTable(const MetricTable &table);
    // A line under the file's name in the title (e.g. why following stopped);
    // empty: none.
    void setNote(const QString &note);
    void setMessage(const QString &message);
    int seriesCount() const; // the metric series shown

    bool hasWallTime() const { return !m_table.timeName.isEmpty(); }
    double smoothing() const { return m_smoothing; }
    void setSmoothing(double weight); // 0..0.99
    bool logY() const { return m_logY; }
    void setLogY(bool on);
    XAxis xAxisKind() const { return m_xKind; }
    void setXAxisKind(XAxis kind); // WallTime only when hasWallTime()
    int leftOutByLog() const { return m_leftOut; }

    // The visible x range, in the units of the points (milliseconds since the
    // epoch for wall time).
    QPair<double, double> xRange() const;
    void setXRange(double min, double max);

    // The same file of another run (`run` labels it), drawn over this one's
    // series after the same smoothing and decimation, dashed and named
    // "column (run)"; or a legend entry saying why it cannot be
    // (metricscompare.cpp). Kept across setTable().
    void setComparison(const QString &run, const MetricTable &table);
    void setComparisonMissing(const QString &run, const QString &why);
    void removeComparison(const QString &run);
    QStringList comparedRuns() const;

public Q_SLOTS:
    void fit();

Q_SIGNALS:
    void tableChanged();

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct Plot
    {
        QString run; // empty: this run's; else a compared run's
        MetricSeries source;
        QLineSeries *raw = nullptr;
        QLineSeries *smooth = nullptr;
        QList<QPointF> rawFull; // sorted by x, finite, drawable on the y axis
        QList<QPointF> smoothFull;
    };
    struct Marker
    {
        double x = 0;
        bool top = true; // NaN and +Inf at the top edge, -Inf at the bottom
        QString tip;
    };

    struct Comparison
    {
        QString run;
        MetricTable table;
        QString missing; // why there is no table
    };

    void applyPalette();
    QList<Plot> comparisonPlots() const;
    void addMissingComparisons();
    void redraw();
    void styleSeries();
    void clearChart();
    void makeAxes();
    void computeSeries();
    void axisMoved();
    void scheduleDecimation();
    void decimate();
    void updateTitle();
    void zoomX(double factor, double atX);
    void showMarkerTip(const QPointF &point, bool state);

    MetricTable m_table;
    QList<Plot> m_plots;
    QList<Comparison> m_comparisons;
    QList<Marker> m_markers;  // every NaN/Inf point, sorted by x
    QStringList m_markerTips; // of the markers drawn, in m_markerSeries's order
    QScatterSeries *m_markerSeries = nullptr;
    QAbstractAxis *m_x = nullptr;
    QAbstractAxis *m_y = nullptr;
    double m_smoothing = 0;
    bool m_logY = false;
    XAxis m_xKind = XAxis::Step;
    int m_leftOut = 0;
    QTimer m_decimateTimer;
    QPoint m_panFrom;
    bool m_panning = false;
    bool m_fitting = false;
    bool m_viewMoved = false; // the axes were moved since the last fit()
    QString m_note;
};

// A MetricsChart with its controls: smoothing, log scale, x by step or wall
// time (only when the file has a time column), Fit, and Compare runs.
class MetricsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit MetricsPanel(QWidget *parent = nullptr);
    MetricsChart *chart() const { return m_chart; }
    MetricsCompare *compare() const { return m_compare; }

private:
    MetricsChart *m_chart;
    MetricsCompare *m_compare;
};

} // namespace vigil
