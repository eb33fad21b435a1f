// SPDX-License-Identifier: GPL-3.0-or-later
// Run comparison: the "Compare runs" control and MetricsChart's series of
// other runs.
#include "metricscompare.h"

#include "metricschart.h"

#include <QLegendMarker>
#include <QLineSeries>
#include <QMenu>

namespace vigil {

QList<ComparedRun> comparableRuns(const QList<RunInfo> &runs, const QString &site,
                                  const QString &runId)
{
    QString workflow;
    for (const RunInfo &r : runs)
        if (r.site == site && r.runId == runId)
            workflow = r.workflowName;
    if (workflow.isEmpty())
        return {};
    QList<const RunInfo *> others;
    for (const RunInfo &r : runs)
        if (r.workflowName == workflow && !(r.site == site && r.runId == runId))
            others << &r;
    std::stable_sort(others.begin(), others.end(), [](const RunInfo *a, const RunInfo *b) {
        return a->createdAt > b->createdAt;
    });
    QList<ComparedRun> out;
    for (const RunInfo *r : others)
        out << ComparedRun{r->site, r->runId,
                           r->site == site ? r->runId : r->site + QLatin1Char('/') + r->runId};
    return out;
}

MetricsCompare::MetricsCompare(MetricsChart *chart, QWidget *parent)
    : QToolButton(parent), m_chart(chart)
{
    setObjectName(QStringLiteral("compareRuns"));
    setText(tr("Compare runs"));
    setPopupMode(QToolButton::InstantPopup);
    setMenu(new QMenu(this));
    setEnabled(false);
    setToolTip(tr("No other runs of this workflow are known"));
}

void MetricsCompare::setRuns(const MetricRef &ref, const QList<ComparedRun> &runs,
                             OtherRunFileReader read)
{
    for (const QString &run : m_chart->comparedRuns())
        m_chart->removeComparison(run);
    menu()->clear();
    m_generation.clear();
    m_ref = ref;
    m_read = std::move(read);
    for (const ComparedRun &run : runs) {
        QAction *a = menu()->addAction(run.label);
        a->setCheckable(true);
        a->setToolTip(tr("Draw %1 of run %2 over this one").arg(ref.file, run.label));
        connect(a, &QAction::toggled, this, [this, run](bool on) { toggle(run, on); });
    }
    setEnabled(!runs.isEmpty() && m_read);
    setToolTip(runs.isEmpty() ? tr("No other runs of this workflow are known")
                              : tr("Draw the same file of other runs of this workflow"));
}

QList<QAction *> MetricsCompare::runActions() const
{
    return menu()->actions();
}

QAction *MetricsCompare::runAction(const QString &label) const
{
    for (QAction *a : menu()->actions())
        if (a->text() == label)
            return a;
    return nullptr;
}

void MetricsCompare::toggle(const ComparedRun &run, bool on)
{
    const int generation = ++m_generation[run.label];
    if (!on) {
        m_chart->removeComparison(run.label);
        return;
    }
    const MetricRef ref = m_ref;
    m_read(run.site, run.runId, ref.file, this, [this, run, ref, generation](Result<QByteArray> r) {
        if (m_generation.value(run.label) != generation)
            return; // unchecked (or checked again) since
        if (!r) {
            m_chart->setComparisonMissing(
                run.label, r.error().kind == Error::Kind::NotFound
                               ? tr("no %1").arg(ref.file)
                               : tr("cannot read %1: %2").arg(ref.file, r.errorString()));
        } else if (auto table = parseMetrics(*r, ref); !table) {
            m_chart->setComparisonMissing(run.label, table.errorString());
        } else {
            m_chart->setComparison(run.label, *table);
        }
        Q_EMIT comparisonShown(run.label);
    });
}

// MetricsChart's comparison series.

void MetricsChart::setComparison(const QString &run, const MetricTable &table)
{
    removeComparison(run);
    m_comparisons << Comparison{run, table, {}};
    redraw();
}

void MetricsChart::setComparisonMissing(const QString &run, const QString &why)
{
    removeComparison(run);
    m_comparisons << Comparison{run, {}, why};
    redraw();
}

void MetricsChart::removeComparison(const QString &run)
{
    const auto gone = m_comparisons.removeIf([&run](const Comparison &c) { return c.run == run; });
    if (gone > 0)
        redraw();
}

QStringList MetricsChart::comparedRuns() const
{
    QStringList runs;
    for (const Comparison &c : m_comparisons)
        runs << c.run;
    return runs;
}

// Draws the table again with the comparisons, when one is shown.
void MetricsChart::redraw()
{
    if (m_x)
        setTable(MetricTable(m_table));
}

QList<MetricsChart::Plot> MetricsChart::comparisonPlots() const
{
    QList<Plot> plots;
    for (const Comparison &c : m_comparisons)
        for (const MetricSeries &s : c.table.series) {
            Plot p;
            p.run = c.run;
            p.source = s;
            plots << p;
        }
    return plots;
}

// A compared run without the file: a legend entry (a series without points)
// that says why.
void MetricsChart::addMissingComparisons()
{
    for (const Comparison &c : std::as_const(m_comparisons)) {
        if (c.missing.isEmpty())
            continue;
        auto *s = new QLineSeries;
        s->setName(tr("%1: %2").arg(c.run, c.missing));
        s->setObjectName(QStringLiteral("comparisonMissing")); // styleSeries() greys it
        chart()->addSeries(s);
    }
}

} // namespace vigil
