// SPDX-License-Identifier: GPL-3.0-or-later
#include "metricstable.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <limits>
#include <optional>

namespace vigil {

namespace {

constexpr int kMaxRows = 200000;

using Cell = std::optional<double>; // nullopt: empty or not a number

struct Rows
{
    QStringList header;
    QList<QList<Cell>> values;
    qsizetype timeCol = -1;
};

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

qsizetype timeColumn(const QStringList &header)
{
    for (const char *name : {"time", "wall_time", "timestamp"}) {
        const qsizetype c = header.indexOf(QLatin1String(name), 0);
        if (c >= 0)
            return c;
    }
    return -1;
}

Result<Rows> readDelimited(const QByteArray &data, const QString &file)
{
    Rows rows;
    const QList<QByteArray> lines = data.split('\n');
    QChar sep = QLatin1Char(',');
    for (QByteArray line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.startsWith('#'))
            continue;
        const QString text = QString::fromUtf8(line);
        if (rows.header.isEmpty()) {
            if (!text.contains(QLatin1Char(',')) && text.contains(QLatin1Char('\t')))
                sep = QLatin1Char('\t');
            for (const QString &h : text.split(sep))
                rows.header << unquote(h);
            rows.timeCol = timeColumn(rows.header);
            continue;
        }
        if (rows.values.size() >= kMaxRows)
            return Error(QStringLiteral("%1 has more than %2 rows").arg(file).arg(kMaxRows),
                         Error::Kind::TooLarge);
        QList<Cell> v;
        const QStringList cells = text.split(sep);
        for (qsizetype c = 0; c < cells.size(); ++c)
            v << (c == rows.timeCol ? wallTime(unquote(cells[c])) : number(unquote(cells[c])));
        rows.values << v;
    }
    if (rows.header.isEmpty())
        return Error(QStringLiteral("%1 is empty").arg(file), Error::Kind::Malformed);
    return rows;
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

Result<Rows> readJsonLines(const QByteArray &data, const QString &file)
{
    Rows rows;
    QList<QJsonObject> objects;
    int lineNo = 0;
    for (const QByteArray &line : data.split('\n')) {
        ++lineNo;
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(quoteNonFinite(line), &err);
        if (!doc.isObject()) {
            // The last line of a file that is being written may be incomplete.
            if (lineNo == int(data.count('\n')) + 1)
                break;
            return Error(QStringLiteral("%1:%2: not a JSON object").arg(file).arg(lineNo),
                         Error::Kind::Malformed);
        }
        const QJsonObject object = doc.object();
        objects << object;
        if (objects.size() > kMaxRows)
            return Error(QStringLiteral("%1 has more than %2 rows").arg(file).arg(kMaxRows),
                         Error::Kind::TooLarge);
        for (const QString &key : object.keys())
            if (!rows.header.contains(key))
                rows.header << key;
    }
    rows.timeCol = timeColumn(rows.header);
    for (const QJsonObject &o : std::as_const(objects)) {
        QList<Cell> v;
        for (qsizetype c = 0; c < rows.header.size(); ++c)
            v << jsonCell(o.value(rows.header.at(c)), c == rows.timeCol);
        rows.values << v;
    }
    if (rows.header.isEmpty())
        return Error(QStringLiteral("%1 is empty").arg(file), Error::Kind::Malformed);
    return rows;
}

Cell cellAt(const QList<Cell> &row, qsizetype c)
{
    return c >= 0 && c < row.size() ? row[c] : std::nullopt;
}

Error noColumn(const MetricRef &ref, const QString &name, const QStringList &header)
{
    return Error(QStringLiteral("%1 has no column \"%2\" (it has: %3)")
                     .arg(ref.file, name, header.join(QStringLiteral(", "))),
                 Error::Kind::NotFound);
}

} // namespace

Result<MetricTable> parseMetrics(const QByteArray &data, const MetricRef &ref)
{
    const QString lower = ref.file.toLower();
    const bool jsonLines = lower.endsWith(QLatin1String(".jsonl")) ||
                           lower.endsWith(QLatin1String(".ndjson")) ||
                           data.trimmed().startsWith('{');
    auto rows = jsonLines ? readJsonLines(data, ref.file) : readDelimited(data, ref.file);
    if (!rows)
        return rows.error();

    MetricTable table;
    table.file = ref.file;
    table.xName = ref.x;
    qsizetype xCol = -1;
    if (!ref.x.isEmpty()) {
        xCol = rows->header.indexOf(ref.x);
        if (xCol < 0)
            return noColumn(ref, ref.x, rows->header);
    }
    // When x is the time column, x already is the wall time.
    const qsizetype timeCol = rows->timeCol == xCol ? -1 : rows->timeCol;
    if (timeCol >= 0)
        table.timeName = rows->header.at(timeCol);
    QList<qsizetype> cols;
    if (ref.columns.isEmpty()) {
        for (qsizetype c = 0; c < rows->header.size(); ++c) {
            if (c == xCol || c == timeCol)
                continue;
            const bool numeric =
                std::any_of(rows->values.cbegin(), rows->values.cend(),
                            [c](const QList<Cell> &r) { return cellAt(r, c).has_value(); });
            if (numeric)
                cols << c;
        }
    } else {
        for (const QString &name : ref.columns) {
            const qsizetype c = rows->header.indexOf(name);
            if (c < 0)
                return noColumn(ref, name, rows->header);
            cols << c;
        }
    }
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    for (qsizetype c : std::as_const(cols)) {
        MetricSeries s;
        s.name = rows->header.at(c);
        for (qsizetype r = 0; r < rows->values.size(); ++r) {
            const QList<Cell> &row = rows->values.at(r);
            const Cell x = xCol < 0 ? Cell(double(r)) : cellAt(row, xCol);
            const Cell y = cellAt(row, c);
            if (!x || !std::isfinite(*x) || !y)
                continue;
            s.points << QPointF(*x, *y);
            if (timeCol >= 0)
                s.times << cellAt(row, timeCol).value_or(kNaN);
        }
        table.series << s;
    }
    return table;
}

} // namespace vigil
