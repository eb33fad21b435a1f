// SPDX-License-Identifier: GPL-3.0-or-later
#include "metricsaccumulator.h"

#include "tfevents.h"

#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <limits>
#include <optional>

namespace vigil {

namespace {

constexpr int kMaxRows = 200000;
// Event files write one event per scalar and step: count points, not events.
constexpr qsizetype kMaxEventPoints = 2000000;

using Cell = std::optional<double>; // nullopt: empty or not a number

QString unquote(QString s)
{
    s = s.trimmed();
    if (s.size() >= 2 && s.startsWith(QLatin1Char('"')) && s.endsWith(QLatin1Char('"')))
        s = s.mid(1, s.size() - 2).replace(QLatin1String("\"\""), QLatin1String("\""));
    return s;
}

// "nan", "inf", "-inf", "Infinity" (any case, optional sign) as such; nullopt otherwise.
Cell nonFinite(const QString &text)
{
    QString t = text.toLower();
    double sign = 1;
    if (t.startsWith(QLatin1Char('-')) || t.startsWith(QLatin1Char('+'))) {
        sign = t.startsWith(QLatin1Char('-')) ? -1 : 1;
        t.remove(0, 1);
    }
    if (t == QLatin1String("nan"))
        return std::numeric_limits<double>::quiet_NaN();
    if (t == QLatin1String("inf") || t == QLatin1String("infinity"))
        return sign * std::numeric_limits<double>::infinity();
    return std::nullopt;
}

Cell number(const QString &text)
{
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (ok && std::isfinite(v))
        return v;
    return nonFinite(text);
}

// Seconds since the epoch, or an ISO 8601 date and time.
Cell wallTime(const QString &text)
{
    if (const Cell v = number(text); v && std::isfinite(*v))
        return v;
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    return double(t.toMSecsSinceEpoch()) / 1000.0;
}

const char *const kTimeNames[] = {"time", "wall_time", "timestamp"};

qsizetype timeColumn(const QStringList &header)
{
    for (const char *name : kTimeNames) {
        const qsizetype c = header.indexOf(QLatin1String(name), 0);
        if (c >= 0)
            return c;
    }
    return -1;
}

bool isTimeName(const QString &name)
{
    return std::any_of(std::begin(kTimeNames), std::end(kTimeNames),
                       [&](const char *t) { return name == QLatin1String(t); });
}

// Python's json module writes NaN, Infinity and -Infinity bare; JSON has no
// such tokens, so they are quoted (outside strings) before parsing.
QByteArray quoteNonFinite(const QByteArray &line)
{
    if (!line.contains("NaN") && !line.contains("Infinity"))
        return line;
    QByteArray out;
    out.reserve(line.size() + 16);
    bool inString = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const char ch = line.at(i);
        if (inString) {
            out += ch;
            if (ch == '\\' && i + 1 < line.size())
                out += line.at(++i);
            else if (ch == '"')
                inString = false;
            continue;
        }
        if (ch == '"')
            inString = true;
        bool quoted = false;
        for (const char *token : {"-Infinity", "Infinity", "NaN"}) {
            const QByteArray t(token);
            if (line.mid(i, t.size()) == t) {
                out += '"' + t + '"';
                i += t.size() - 1;
                quoted = true;
                break;
            }
        }
        if (!quoted)
            out += ch;
    }
    return out;
}

Cell jsonCell(const QJsonValue &v, bool time)
{
    if (v.isDouble())
        return v.toDouble();
    if (!v.isString())
        return std::nullopt;
    return time ? wallTime(v.toString()) : nonFinite(v.toString());
}

Cell cellAt(const QList<Cell> &row, qsizetype c)
{
    return c >= 0 && c < row.size() ? row[c] : std::nullopt;
}

Error noColumn(const MetricRef &ref, const QString &what, const QString &name,
               const QStringList &have)
{
    return Error(QStringLiteral("%1 has no %2 \"%3\" (it has: %4)")
                     .arg(ref.file, what, name, have.join(QStringLiteral(", "))),
                 Error::Kind::NotFound);
}

Error tooLarge(const QString &file, const char *what, qsizetype limit)
{
    return Error(
        QStringLiteral("%1 has more than %2 %3").arg(file).arg(limit).arg(QLatin1String(what)),
        Error::Kind::TooLarge);
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

} // namespace

struct MetricsAccumulator::State
{
    MetricRef ref;
    Format format = Format::Unknown;
    QByteArray pending;  // bytes not read yet: a partial line or record
    qint64 consumed = 0; // file offset of pending[0]
    std::optional<Error> error;

    // CSV/TSV and JSON lines
    QStringList header;
    QChar sep = QLatin1Char(',');
    qsizetype timeCol = -1; // CSV only; JSON lines read every time-named key as a time
    QList<QList<Cell>> rows;
    int lineNo = 0;

    // Event files: one series per tag, in the order they first appear.
    QList<MetricSeries> tags;
    QHash<QString, qsizetype> tagIndex;
    qsizetype points = 0;

    Result<void> fail(Error e)
    {
        error = std::move(e);
        return *error;
    }

    void detect(bool whole);
    Result<void> readLines(bool whole);
    Result<void> addLine(QByteArrayView line, bool last);
    Result<void> readRecords();
    Result<MetricTable> textTable() const;
    Result<MetricTable> eventTable() const;
};

void MetricsAccumulator::State::detect(bool whole)
{
    const QString lower = ref.file.toLower();
    if (lower.contains(QLatin1String("tfevents")) || tfevents::looksLikeRecord(pending)) {
        format = Format::TfEvents;
        return;
    }
    const auto first = std::find_if_not(pending.cbegin(), pending.cend(), isSpace);
    // Wait for a record header's worth of bytes, and something that is not blank.
    if (!whole && (pending.size() < tfevents::kHeaderSize || first == pending.cend()))
        return;
    const bool json = lower.endsWith(QLatin1String(".jsonl")) ||
                      lower.endsWith(QLatin1String(".ndjson")) ||
                      (first != pending.cend() && *first == '{');
    format = json ? Format::JsonLines : Format::Delimited;
}

Result<void> MetricsAccumulator::State::addLine(QByteArrayView line, bool last)
{
    ++lineNo;
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.trimmed().isEmpty())
        return {};
    if (format == Format::Delimited) {
        if (line.startsWith('#'))
            return {};
        const QString text = QString::fromUtf8(line);
        if (header.isEmpty()) {
            if (!text.contains(QLatin1Char(',')) && text.contains(QLatin1Char('\t')))
                sep = QLatin1Char('\t');
            for (const QString &h : text.split(sep))
                header << unquote(h);
            timeCol = timeColumn(header);
            return {};
        }
        if (rows.size() >= kMaxRows)
            return fail(tooLarge(ref.file, "rows", kMaxRows));
        QList<Cell> v;
        const QStringList cells = text.split(sep);
        for (qsizetype c = 0; c < cells.size(); ++c)
            v << (c == timeCol ? wallTime(unquote(cells[c])) : number(unquote(cells[c])));
        rows << v;
        return {};
    }
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(quoteNonFinite(line.toByteArray()), &err);
    if (!doc.isObject()) {
        // The last line of a file that is being written may be incomplete.
        if (last)
            return {};
        return fail(Error(QStringLiteral("%1:%2: not a JSON object").arg(ref.file).arg(lineNo),
                          Error::Kind::Malformed));
    }
    if (rows.size() >= kMaxRows)
        return fail(tooLarge(ref.file, "rows", kMaxRows));
    const QJsonObject object = doc.object();
    for (const QString &key : object.keys())
        if (!header.contains(key))
            header << key;
    QList<Cell> v;
    for (const QString &key : std::as_const(header))
        v << jsonCell(object.value(key), isTimeName(key));
    rows << v;
    return {};
}

Result<void> MetricsAccumulator::State::readLines(bool whole)
{
    const QByteArrayView data(pending);
    qsizetype start = 0;
    for (qsizetype nl = data.indexOf('\n'); nl >= 0; nl = data.indexOf('\n', start)) {
        if (auto r = addLine(data.sliced(start, nl - start), false); !r)
            return r;
        start = nl + 1;
    }
    if (whole && start < data.size()) {
        if (auto r = addLine(data.sliced(start), true); !r)
            return r;
        start = data.size();
    }
    consumed += start;
    pending.remove(0, start);
    return {};
}

Result<void> MetricsAccumulator::State::readRecords()
{
    auto found = tfevents::readRecords(pending, 0, consumed);
    if (!found)
        return fail(Error(QStringLiteral("%1: %2").arg(ref.file, found.error().message),
                          Error::Kind::Malformed));
    qint64 at = consumed;
    for (const QByteArray &record : std::as_const(found->records)) {
        auto event = tfevents::parseEvent(record);
        if (!event)
            return fail(Error(QStringLiteral("%1: record at byte %2: %3")
                                  .arg(ref.file)
                                  .arg(at)
                                  .arg(event.error().message),
                              Error::Kind::Malformed));
        at += tfevents::kHeaderSize + record.size() + tfevents::kFooterSize;
        for (const tfevents::Scalar &s : std::as_const(event->scalars)) {
            if (++points > kMaxEventPoints)
                return fail(tooLarge(ref.file, "points", kMaxEventPoints));
            auto it = tagIndex.constFind(s.tag);
            if (it == tagIndex.cend()) {
                it = tagIndex.insert(s.tag, tags.size());
                tags << MetricSeries{s.tag, {}, {}};
            }
            MetricSeries &series = tags[*it];
            series.points << QPointF(double(event->step), s.value);
            series.times << event->wallTime;
        }
    }
    consumed += found->end;
    pending.remove(0, found->end);
    return {};
}

Result<MetricTable> MetricsAccumulator::State::eventTable() const
{
    MetricTable table;
    table.file = ref.file;
    table.xName = QStringLiteral("step");
    table.timeName = QStringLiteral("wall_time");
    if (ref.columns.isEmpty()) {
        table.series = tags;
        return table;
    }
    for (const QString &name : ref.columns) {
        const auto it = tagIndex.constFind(name);
        if (it == tagIndex.cend()) {
            QStringList have;
            for (const MetricSeries &s : tags)
                have << s.name;
            return noColumn(ref, QStringLiteral("tag"), name, have);
        }
        table.series << tags.at(*it);
    }
    return table;
}

Result<MetricTable> MetricsAccumulator::State::textTable() const
{
    if (header.isEmpty())
        return Error(QStringLiteral("%1 is empty").arg(ref.file), Error::Kind::Malformed);
    MetricTable table;
    table.file = ref.file;
    table.xName = ref.x;
    qsizetype xCol = -1;
    if (!ref.x.isEmpty()) {
        xCol = header.indexOf(ref.x);
        if (xCol < 0)
            return noColumn(ref, QStringLiteral("column"), ref.x, header);
    }
    // When x is the time column, x already is the wall time.
    const qsizetype t = timeColumn(header);
    const qsizetype tCol = t == xCol ? -1 : t;
    if (tCol >= 0)
        table.timeName = header.at(tCol);
    QList<qsizetype> cols;
    if (ref.columns.isEmpty()) {
        for (qsizetype c = 0; c < header.size(); ++c) {
            if (c == xCol || c == tCol)
                continue;
            const bool numeric = std::any_of(rows.cbegin(), rows.cend(), [c](const QList<Cell> &r) {
                return cellAt(r, c).has_value();
            });
            if (numeric)
                cols << c;
        }
    } else {
        for (const QString &name : ref.columns) {
            const qsizetype c = header.indexOf(name);
            if (c < 0)
                return noColumn(ref, QStringLiteral("column"), name, header);
            cols << c;
        }
    }
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    for (qsizetype c : std::as_const(cols)) {
        MetricSeries s;
        s.name = header.at(c);
        for (qsizetype r = 0; r < rows.size(); ++r) {
            const QList<Cell> &row = rows.at(r);
            const Cell x = xCol < 0 ? Cell(double(r)) : cellAt(row, xCol);
            const Cell y = cellAt(row, c);
            if (!x || !std::isfinite(*x) || !y)
                continue;
            s.points << QPointF(*x, *y);
            if (tCol >= 0)
                s.times << cellAt(row, tCol).value_or(kNaN);
        }
        table.series << s;
    }
    return table;
}

MetricsAccumulator::MetricsAccumulator(MetricRef ref) : d(std::make_unique<State>())
{
    d->ref = std::move(ref);
}

MetricsAccumulator::~MetricsAccumulator() = default;
MetricsAccumulator::MetricsAccumulator(MetricsAccumulator &&) noexcept = default;
MetricsAccumulator &MetricsAccumulator::operator=(MetricsAccumulator &&) noexcept = default;

Result<void> MetricsAccumulator::append(QByteArrayView newBytes)
{
    if (d->error)
        return *d->error;
    d->pending.append(newBytes);
    if (d->format == Format::Unknown)
        d->detect(false);
    switch (d->format) {
    case Format::Unknown:
        return {};
    case Format::TfEvents:
        return d->readRecords();
    default:
        return d->readLines(false);
    }
}

Result<void> MetricsAccumulator::finish()
{
    if (d->error)
        return *d->error;
    if (d->format == Format::Unknown)
        d->detect(true);
    if (d->format == Format::TfEvents)
        return d->readRecords();
    return d->readLines(true);
}

Result<MetricTable> MetricsAccumulator::table() const
{
    if (d->error)
        return *d->error;
    if (d->format == Format::TfEvents)
        return d->eventTable();
    return d->textTable();
}

MetricsAccumulator::Format MetricsAccumulator::format() const
{
    return d->format;
}

qint64 MetricsAccumulator::consumed() const
{
    return d->consumed;
}

} // namespace vigil
