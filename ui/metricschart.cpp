// SPDX-License-Identifier: GPL-3.0-or-later
#include "metricschart.h"

#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

namespace vigil {

MetricsChart::MetricsChart(QWidget *parent) : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    setMinimumHeight(180);
    applyPalette();
}

void MetricsChart::applyPalette()
{
    const QPalette pal = palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart()->setBackgroundBrush(pal.color(QPalette::Base));
    chart()->setBackgroundRoundness(0);
    chart()->setTitleBrush(pal.color(QPalette::Text));
    chart()->legend()->setLabelColor(pal.color(QPalette::Text));
    for (QAbstractAxis *axis : chart()->axes()) {
        axis->setLabelsColor(pal.color(QPalette::Text));
        axis->setTitleBrush(pal.color(QPalette::Text));
    }
    setBackgroundBrush(pal.color(QPalette::Base));
}

void MetricsChart::setMessage(const QString &message)
{
    chart()->removeAllSeries();
    for (QAbstractAxis *axis : chart()->axes())
        chart()->removeAxis(axis);
    chart()->setTitle(message);
    chart()->legend()->hide();
}

void MetricsChart::setTable(const MetricTable &table)
{
    setMessage(QString());
    chart()->setTitle(table.file);
    auto *x = new QValueAxis;
    x->setTitleText(table.xName.isEmpty() ? tr("row") : table.xName);
    x->setLabelFormat(QStringLiteral("%g"));
    auto *y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%g"));
    chart()->addAxis(x, Qt::AlignBottom);
    chart()->addAxis(y, Qt::AlignLeft);
    double minX = 0, maxX = 1, minY = 0, maxY = 1;
    bool first = true;
    for (const MetricSeries &s : table.series) {
        auto *line = new QLineSeries;
        line->setName(s.name);
        line->append(s.points);
        chart()->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
        for (const QPointF &p : s.points) {
            if (first) {
                minX = maxX = p.x();
                minY = maxY = p.y();
                first = false;
            }
            minX = std::min(minX, p.x());
            maxX = std::max(maxX, p.x());
            minY = std::min(minY, p.y());
            maxY = std::max(maxY, p.y());
        }
    }
    if (maxX <= minX)
        maxX = minX + 1;
    if (maxY <= minY)
        maxY = minY + 1;
    x->setRange(minX, maxX);
    y->setRange(minY, maxY);
    x->applyNiceNumbers();
    y->applyNiceNumbers();
    chart()->legend()->setVisible(table.series.size() > 0);
    if (table.series.isEmpty())
        chart()->setTitle(tr("%1: no numeric columns").arg(table.file));
    applyPalette();
}

int MetricsChart::seriesCount() const
{
    return int(chart()->series().size());
}

void MetricsChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QChartView::changeEvent(event);
}

} // namespace vigil
