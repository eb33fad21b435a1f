// SPDX-License-Identifier: GPL-3.0-or-later
#include "metricstable.h"

#include "metricsaccumulator.h"

namespace vigil {

Result<MetricTable> parseMetrics(const QByteArray &data, const MetricRef &ref)
{
    MetricsAccumulator metrics(ref);
    if (auto r = metrics.append(data); !r)
        return r.error();
    if (auto r = metrics.finish(); !r)
        return r.error();
    return metrics.table();
}

} // namespace vigil
