// SPDX-License-Identifier: GPL-3.0-or-later
#include "metricschart.h"

#include "metricscompare.h"
#include "models/plotseries.h"

#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QScopedValueRollback>
#include <QSlider>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>
#include <limits>

namespace vigil {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QPair<double, double> axisRange(const QAbstractAxis *axis)
{
    if (const auto *v = qobject_cast<const QValueAxis *>(axis))
        return {v->min(), v->max()};
    if (const auto *l = qobject_cast<const QLogValueAxis *>(axis))
        return {l->min(), l->max()};
    if (const auto *t = qobject_cast<const QDateTimeAxis *>(axis))
        return {double(t->min().toMSecsSinceEpoch()), double(t->max().toMSecsSinceEpoch())};
    return {0, 1};
}

void sortByX(QList<QPointF> &points)
{
    const auto byX = [](const QPointF &a, const QPointF &b) { return a.x() < b.x(); };
    if (!std::is_sorted(points.cbegin(), points.cend(), byX))
        std::stable_sort(points.begin(), points.end(), byX);
}

// The axis range for data in [min, max]: a default when there is no data, widened
// around a single value, and whole decades on a log axis.
QPair<double, double> span(double min, double max, bool log)
{
    if (!(min <= max))
        return log ? QPair<double, double>(1, 10) : QPair<double, double>(0, 1);
    if (log)
        return {
            std::pow(10, std::floor(std::log10(min))),
            std::pow(10, std::max(std::ceil(std::log10(max)), std::floor(std::log10(min)) + 1))};
    if (max <= min)
        return {min - 0.5, max + 0.5};
    return {min, max};
}

} // namespace

MetricsChart::MetricsChart(QWidget *parent) : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::RectangleRubberBand);
    setFocusPolicy(Qt::StrongFocus);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    setMinimumHeight(180);
    m_decimateTimer.setSingleShot(true);
    m_decimateTimer.setInterval(0);
    connect(&m_decimateTimer, &QTimer::timeout, this, &MetricsChart::decimate);
    connect(chart(), &QChart::plotAreaChanged, this, &MetricsChart::scheduleDecimation);
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
    styleSeries();
}

// The theme colours the smoothed series (added first); the raw one takes the
// same colour, faint, and shows only while smoothing is on.
void MetricsChart::styleSeries()
{
    for (const Plot &p : std::as_const(m_plots)) {
        if (!p.run.isEmpty()) // another run's: dashed, over this run's solid lines
            p.smooth->setPen(QPen(p.smooth->color(), 1.5, Qt::DashLine));
        QColor faint = p.smooth->color();
        faint.setAlphaF(0.25f);
        p.raw->setPen(QPen(faint, 1));
        p.raw->setVisible(m_smoothing > 0);
        for (QLegendMarker *m : chart()->legend()->markers(p.raw))
            m->setVisible(false);
    }
    for (QAbstractSeries *s : chart()->series())
        if (s->objectName() == QLatin1String("comparisonMissing"))
            static_cast<QLineSeries *>(s)->setPen(QPen(Qt::gray, 1, Qt::DotLine));
    if (m_markerSeries) {
        m_markerSeries->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
        m_markerSeries->setMarkerSize(9);
        m_markerSeries->setColor(Qt::red);
        m_markerSeries->setBorderColor(Qt::red);
        for (QLegendMarker *m : chart()->legend()->markers(m_markerSeries))
            m->setVisible(!m_markers.isEmpty());
    }
}

void MetricsChart::clearChart()
{
    m_decimateTimer.stop();
    m_plots.clear();
    m_markers.clear();
    m_markerTips.clear();
    m_markerSeries = nullptr;
    m_x = m_y = nullptr;
    chart()->removeAllSeries();
    for (QAbstractAxis *axis : chart()->axes()) {
        chart()->removeAxis(axis);
        delete axis;
    }
}

void MetricsChart::setMessage(const QString &message)
{
    clearChart();
    m_table = MetricTable();
    m_leftOut = 0;
    chart()->setTitle(message);
    chart()->legend()->hide();
    Q_EMIT tableChanged();
}

void MetricsChart::setTable(const MetricTable &table)
{
    clearChart();
    m_table = table;
    if (!hasWallTime())
        m_xKind = XAxis::Step;
    for (const MetricSeries &s : table.series) {
        Plot p;
        p.source = s;
        m_plots << p;
    }
    m_plots << comparisonPlots();
    for (Plot &p : m_plots) {
        p.smooth = new QLineSeries;
        p.smooth->setName(p.run.isEmpty() ? p.source.name
                                          : tr("%1 (%2)").arg(p.source.name, p.run));
        p.smooth->setObjectName(p.run.isEmpty() ? QStringLiteral("smoothed")
                                                : QStringLiteral("comparison"));
        chart()->addSeries(p.smooth);
    }
    for (Plot &p : m_plots) {
        p.raw = new QLineSeries;
        p.raw->setName(p.smooth->name());
        p.raw->setObjectName(QStringLiteral("raw"));
        chart()->addSeries(p.raw);
    }
    m_markerSeries = new QScatterSeries;
    m_markerSeries->setName(tr("NaN/Inf"));
    m_markerSeries->setObjectName(QStringLiteral("nonFinite"));
    connect(m_markerSeries, &QScatterSeries::hovered, this, &MetricsChart::showMarkerTip);
    chart()->addSeries(m_markerSeries);
    addMissingComparisons();
    chart()->legend()->setVisible(!table.series.isEmpty());
    computeSeries();
    makeAxes();
    applyPalette();
    Q_EMIT tableChanged();
}

static bool sameColumns(const MetricTable &a, const MetricTable &b)
{
    if (a.file != b.file || a.xName != b.xName || a.timeName != b.timeName ||
        a.series.size() != b.series.size())
        return false;
    for (qsizetype i = 0; i < a.series.size(); ++i)
        if (a.series.at(i).name != b.series.at(i).name)
            return false;
    return true;
}

void MetricsChart::updateTable(const MetricTable &table)
{
    if (!m_x || m_table.series.isEmpty() || !sameColumns(m_table, table)) {
        setTable(table);
        return;
    }
    m_table = table;
    for (qsizetype i = 0; i < table.series.size(); ++i)
        m_plots[i].source = table.series.at(i); // this run's plots come first
    computeSeries();
    if (m_viewMoved)
        decimate();
    else
        fit();
    Q_EMIT tableChanged();
}

void MetricsChart::setNote(const QString &note)
{
    m_note = note;
    updateTitle();
}

void MetricsChart::makeAxes()
{
    for (QAbstractAxis *axis : chart()->axes()) {
        chart()->removeAxis(axis);
        delete axis;
    }
    if (m_xKind == XAxis::WallTime) {
        auto *t = new QDateTimeAxis;
        t->setFormat(QStringLiteral("MM-dd HH:mm"));
        t->setTitleText(tr("wall time (%1)").arg(m_table.timeName));
        connect(t, &QDateTimeAxis::rangeChanged, this, &MetricsChart::axisMoved);
        m_x = t;
    } else {
        auto *v = new QValueAxis;
        v->setLabelFormat(QStringLiteral("%g"));
        v->setTitleText(m_table.xName.isEmpty() ? tr("row") : m_table.xName);
        connect(v, &QValueAxis::rangeChanged, this, &MetricsChart::axisMoved);
        m_x = v;
    }
    if (m_logY) {
        auto *l = new QLogValueAxis;
        l->setLabelFormat(QStringLiteral("%g"));
        l->setMinorTickCount(-1);
        connect(l, &QLogValueAxis::rangeChanged, this, &MetricsChart::axisMoved);
        m_y = l;
    } else {
        auto *v = new QValueAxis;
        v->setLabelFormat(QStringLiteral("%g"));
        connect(v, &QValueAxis::rangeChanged, this, &MetricsChart::axisMoved);
        m_y = v;
    }
    chart()->addAxis(m_x, Qt::AlignBottom);
    chart()->addAxis(m_y, Qt::AlignLeft);
    for (QAbstractSeries *s : chart()->series()) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    fit();
}

// Smooths each whole series in file order, then maps x (step or wall time)
// and keeps what the y axis can draw, sorted by x.
void MetricsChart::computeSeries()
{
    m_leftOut = 0;
    m_markers.clear();
    const bool wall = m_xKind == XAxis::WallTime;
    for (Plot &p : m_plots) {
        const MetricSeries &s = p.source;
        QList<QPointF> mapped = s.points;
        if (wall)
            for (qsizetype j = 0; j < mapped.size(); ++j)
                mapped[j].setX(s.times.value(j, kNaN) * 1000.0);
        const QList<QPointF> smoothed = plot::smoothEma(mapped, m_smoothing);
        const bool own = p.run.isEmpty(); // markers and the title count this run's points
        p.rawFull.clear();
        p.smoothFull.clear();
        for (qsizetype j = 0; j < mapped.size(); ++j) {
            const QPointF &r = mapped.at(j);
            if (!std::isfinite(r.x()) || !std::isfinite(r.y()))
                continue;
            if (m_logY && r.y() <= 0)
                m_leftOut += own ? 1 : 0;
            else
                p.rawFull << r;
            if (!m_logY || smoothed.at(j).y() > 0)
                p.smoothFull << smoothed.at(j);
        }
        sortByX(p.rawFull);
        sortByX(p.smoothFull);
        for (const plot::NonFinitePoint &n : plot::nonFinitePoints(mapped)) {
            if (!own || !std::isfinite(n.x))
                continue;
            const QString at =
                wall ? QDateTime::fromMSecsSinceEpoch(qint64(n.x)).toString(Qt::ISODate)
                     : QString::number(n.x);
            const QString kind = n.kind == plot::NonFinite::NaN       ? QStringLiteral("NaN")
                                 : n.kind == plot::NonFinite::PlusInf ? QStringLiteral("+Inf")
                                                                      : QStringLiteral("-Inf");
            m_markers << Marker{n.x, n.kind != plot::NonFinite::MinusInf,
                                tr("%1 is %2 at %3").arg(s.name, kind, at)};
        }
    }
    std::stable_sort(m_markers.begin(), m_markers.end(),
                     [](const Marker &a, const Marker &b) { return a.x < b.x; });
    updateTitle();
}

void MetricsChart::updateTitle()
{
    if (m_table.series.isEmpty()) {
        chart()->setTitle(tr("%1: no numeric columns").arg(m_table.file));
        return;
    }
    QString title = m_table.file;
    if (!m_note.isEmpty())
        title += QLatin1Char('\n') + m_note;
    if (m_leftOut > 0)
        title += QLatin1Char('\n') +
                 tr("%n point(s) at or below 0 left out of the log scale", nullptr, m_leftOut);
    chart()->setTitle(title);
}

void MetricsChart::fit()
{
    if (!m_x || !m_y)
        return;
    const QScopedValueRollback fitting(m_fitting, true);
    m_viewMoved = false;
    double x0 = qInf(), x1 = -qInf(), y0 = qInf(), y1 = -qInf();
    for (const Plot &p : std::as_const(m_plots)) {
        for (const QList<QPointF> *full : {&p.rawFull, &p.smoothFull}) {
            if (full->isEmpty())
                continue;
            x0 = std::min(x0, full->first().x());
            x1 = std::max(x1, full->last().x());
            for (const QPointF &pt : *full) {
                y0 = std::min(y0, pt.y());
                y1 = std::max(y1, pt.y());
            }
        }
    }
    if (!m_markers.isEmpty()) {
        x0 = std::min(x0, m_markers.first().x);
        x1 = std::max(x1, m_markers.last().x);
    }
    const auto [xa, xb] = span(x0, x1, false);
    const auto [ya, yb] = span(y0, y1, m_logY);
    setXRange(xa, xb);
    if (auto *v = qobject_cast<QValueAxis *>(m_y)) {
        v->setRange(ya, yb);
        v->applyNiceNumbers();
    } else if (auto *l = qobject_cast<QLogValueAxis *>(m_y)) {
        l->setRange(ya, yb);
    }
    decimate();
}

QPair<double, double> MetricsChart::xRange() const
{
    return axisRange(m_x);
}

void MetricsChart::setXRange(double min, double max)
{
    if (auto *v = qobject_cast<QValueAxis *>(m_x))
        v->setRange(min, max);
    else if (auto *t = qobject_cast<QDateTimeAxis *>(m_x))
        t->setRange(QDateTime::fromMSecsSinceEpoch(qint64(std::floor(min))),
                    QDateTime::fromMSecsSinceEpoch(qint64(std::ceil(max))));
}

void MetricsChart::axisMoved()
{
    if (!m_fitting)
        m_viewMoved = true; // by the user (or an owner): kept as the table grows
    scheduleDecimation();
}

void MetricsChart::scheduleDecimation()
{
    if (!m_plots.isEmpty())
        m_decimateTimer.start();
}

// The visible range, per pixel column: min/max of the smoothed and raw
// series, and one marker per column and edge.
void MetricsChart::decimate()
{
    m_decimateTimer.stop();
    if (!m_x || !m_y)
        return;
    const auto [x0, x1] = xRange();
    // Before the first layout, the widget's width stands in for the plot's.
    const double width =
        chart()->plotArea().width() >= 1 ? chart()->plotArea().width() : this->width();
    const int columns = std::max(1, int(width));
    for (const Plot &p : std::as_const(m_plots)) {
        p.smooth->replace(plot::decimateMinMax(p.smoothFull, x0, x1, columns));
        p.raw->replace(m_smoothing > 0 ? plot::decimateMinMax(p.rawFull, x0, x1, columns)
                                       : QList<QPointF>());
    }
    const auto [y0, y1] = axisRange(m_y);
    QList<QPointF> shown;
    m_markerTips.clear();
    int lastColumn[2] = {-1, -1};
    const double scale = x1 > x0 ? columns / (x1 - x0) : 0;
    for (const Marker &m : std::as_const(m_markers)) {
        if (m.x < x0 || m.x > x1)
            continue;
        const int column = int((m.x - x0) * scale);
        if (lastColumn[m.top] == column)
            continue;
        lastColumn[m.top] = column;
        shown << QPointF(m.x, m.top ? y1 : y0);
        m_markerTips << m.tip;
    }
    m_markerSeries->replace(shown);
}

void MetricsChart::showMarkerTip(const QPointF &point, bool state)
{
    if (!state) {
        QToolTip::hideText();
        return;
    }
    const QList<QPointF> shown = m_markerSeries->points();
    for (qsizetype i = 0; i < shown.size() && i < m_markerTips.size(); ++i)
        if (shown.at(i) == point) {
            QToolTip::showText(QCursor::pos(), m_markerTips.at(i), this);
            return;
        }
}

void MetricsChart::setSmoothing(double weight)
{
    weight = std::clamp(weight, 0.0, 0.99);
    if (weight == m_smoothing)
        return;
    m_smoothing = weight;
    computeSeries();
    styleSeries();
    decimate();
}

void MetricsChart::setLogY(bool on)
{
    if (on == m_logY)
        return;
    m_logY = on;
    if (m_plots.isEmpty())
        return;
    const auto [x0, x1] = xRange();
    computeSeries();
    makeAxes();
    applyPalette();
    setXRange(x0, x1);
    decimate();
}

void MetricsChart::setXAxisKind(XAxis kind)
{
    if (kind == XAxis::WallTime && !hasWallTime())
        kind = XAxis::Step;
    if (kind == m_xKind)
        return;
    m_xKind = kind;
    if (m_plots.isEmpty())
        return;
    computeSeries();
    makeAxes();
    applyPalette();
}

int MetricsChart::seriesCount() const
{
    return int(m_table.series.size());
}

void MetricsChart::zoomX(double factor, double atX)
{
    const QRectF area = chart()->plotArea();
    if (area.width() <= 0 || m_plots.isEmpty())
        return;
    const double left = atX - (atX - area.left()) / factor;
    chart()->zoomIn(QRectF(left, area.top(), area.width() / factor, area.height()));
}

void MetricsChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QChartView::changeEvent(event);
}

void MetricsChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    scheduleDecimation();
}

void MetricsChart::wheelEvent(QWheelEvent *event)
{
    const QPointF at = chart()->mapFromScene(mapToScene(event->position().toPoint()));
    if (event->angleDelta().y() != 0)
        zoomX(event->angleDelta().y() > 0 ? 1.25 : 0.8, at.x());
    event->accept();
}

void MetricsChart::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton) {
        m_panning = true;
        m_panFrom = event->pos();
        setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void MetricsChart::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPoint delta = event->pos() - m_panFrom;
        m_panFrom = event->pos();
        chart()->scroll(-delta.x(), delta.y());
        event->accept();
        return;
    }
    QChartView::mouseMoveEvent(event);
}

void MetricsChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning && event->button() == Qt::MiddleButton) {
        m_panning = false;
        unsetCursor();
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

void MetricsChart::keyPressEvent(QKeyEvent *event)
{
    const QRectF area = chart()->plotArea();
    switch (event->key()) {
    case Qt::Key_Left:
        chart()->scroll(-area.width() / 10, 0);
        break;
    case Qt::Key_Right:
        chart()->scroll(area.width() / 10, 0);
        break;
    case Qt::Key_Up:
        chart()->scroll(0, area.height() / 10);
        break;
    case Qt::Key_Down:
        chart()->scroll(0, -area.height() / 10);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomX(1.25, area.center().x());
        break;
    case Qt::Key_Minus:
        zoomX(0.8, area.center().x());
        break;
    case Qt::Key_Home:
        fit();
        break;
    default:
        QChartView::keyPressEvent(event);
        return;
    }
    event->accept();
}

MetricsPanel::MetricsPanel(QWidget *parent)
    : QWidget(parent), m_chart(new MetricsChart(this)), m_compare(new MetricsCompare(m_chart, this))
{
    auto *smoothing = new QSlider(Qt::Horizontal, this);
    smoothing->setObjectName(QStringLiteral("smoothingSlider"));
    smoothing->setRange(0, 99);
    smoothing->setToolTip(tr("Exponential moving average, debiased at the start"));
    auto *value = new QLabel(QStringLiteral("0.00"), this);
    auto *log = new QCheckBox(tr("Log scale"), this);
    log->setObjectName(QStringLiteral("logScale"));
    auto *xChoice = new QComboBox(this);
    xChoice->setObjectName(QStringLiteral("xAxisChoice"));
    xChoice->addItem(tr("By step"));
    xChoice->addItem(tr("By wall time"));
    auto *fit = new QToolButton(this);
    fit->setText(tr("Fit"));
    fit->setToolTip(tr("Show every point (Home)"));

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Smoothing"), this));
    controls->addWidget(smoothing, 1);
    controls->addWidget(value);
    controls->addWidget(log);
    controls->addWidget(xChoice);
    controls->addWidget(fit);
    controls->addWidget(m_compare);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_chart, 1);

    connect(smoothing, &QSlider::valueChanged, this, [this, value](int v) {
        value->setText(QString::number(v / 100.0, 'f', 2));
        m_chart->setSmoothing(v / 100.0);
    });
    connect(log, &QCheckBox::toggled, m_chart, &MetricsChart::setLogY);
    connect(xChoice, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_chart->setXAxisKind(i == 1 ? MetricsChart::XAxis::WallTime : MetricsChart::XAxis::Step);
    });
    connect(fit, &QToolButton::clicked, m_chart, &MetricsChart::fit);
    connect(m_chart, &MetricsChart::tableChanged, this, [this, xChoice] {
        xChoice->setVisible(m_chart->hasWallTime());
        xChoice->setCurrentIndex(m_chart->xAxisKind() == MetricsChart::XAxis::WallTime ? 1 : 0);
    });
    xChoice->setVisible(false);
}

} // namespace vigil
