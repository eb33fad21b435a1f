// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "runs/runinfo.h"

#include <QHash>
#include <QToolButton>
#include <functional>

namespace vigil {

class MetricsChart;

// Another run of the same workflow that a chart can be compared with.
struct ComparedRun
{
    QString site;
    QString runId;
    QString label; // how the chart names it: the run id, "site/run" on another site
};

// Reads a file of any run (relative to its run directory).
using OtherRunFileReader =
    std::function<void(const QString &site, const QString &runId, const QString &relativePath,
                       QObject *context, Callback<QByteArray> done)>;

// The other runs of a workflow that have a checkpoint's run's name (same
// workflow name, any site), newest first, without the run itself.
QList<ComparedRun> comparableRuns(const QList<RunInfo> &runs, const QString &site,
                                  const QString &runId);

// "Compare runs": a menu of the other runs of the workflow, checkable. A
// checked run's file of the same relative path is read, parsed with the same
// columns and drawn over the chart (MetricsChart::setComparison); unchecked,
// it goes away. A run without the file, or with a file that cannot be read,
// says so in the chart's legend.
class MetricsCompare : public QToolButton
{
    Q_OBJECT
public:
    MetricsCompare(MetricsChart *chart, QWidget *parent = nullptr);

    void setRuns(const MetricRef &ref, const QList<ComparedRun> &runs, OtherRunFileReader read);
    QList<QAction *> runActions() const;
    QAction *runAction(const QString &label) const;

Q_SIGNALS:
    // A checked run's file was read (or not): the chart shows it.
    void comparisonShown(const QString &label);

private:
    void toggle(const ComparedRun &run, bool on);

    MetricsChart *m_chart;
    MetricRef m_ref;
    OtherRunFileReader m_read;
    QHash<QString, int> m_generation; // of each run's latest read: older answers are dropped
};

} // namespace vigil
