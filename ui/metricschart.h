// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/metricstable.h"

#include <QChartView>

namespace vigil {

// A line chart of the columns of one metrics file; shows a message while the
// file is loading or when it could not be read.
class MetricsChart : public QChartView
{
    Q_OBJECT
public:
    explicit MetricsChart(QWidget *parent = nullptr);

    void setTable(const MetricTable &table);
    void setMessage(const QString &message);
    int seriesCount() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();
};

} // namespace vigil
