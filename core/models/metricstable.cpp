// SPDX-License-Identifier: GPL-3.0-or-later
#include "metricstable.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>

namespace vigil {

namespace {

constexpr int kMaxRows = 200000;

struct Rows
{
    QStringList header;
    QList<QList<double>> values; // NaN where a cell is not a number
};

QString unquote(QString s)
{
    s = s.trimmed();
    if (s.size() >= 2 && s.startsWith(QLatin1Char('"')) && s.endsWith(QLatin1Char('"')))
        s = s.mid(1, s.size() - 2).replace(QLatin1String("\"\""), QLatin1String("\""));
    return s;
}

double number(const QString &cell)
{
    bool ok = false;
    const double v = unquote(cell).toDouble(&ok);
    return ok && std::isfinite(v) ? v : std::nan("");
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
            continue;
        }
        if (rows.values.size() >= kMaxRows)
            return Error(QStringLiteral("%1 has more than %2 rows").arg(file).arg(kMaxRows),
                         Error::Kind::TooLarge);
        QList<double> v;
        for (const QString &cell : text.split(sep))
            v << number(cell);
        rows.values << v;
    }
    if (rows.header.isEmpty())
        return Error(QStringLiteral("%1 is empty").arg(file), Error::Kind::Malformed);
    return rows;
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
        const QJsonDocument doc = QJsonDocument::fromJson(line, &err);
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
    for (const QJsonObject &o : std::as_const(objects)) {
        QList<double> v;
        for (const QString &h : std::as_const(rows.header)) {
            const QJsonValue jv = o.value(h);
            v << (jv.isDouble() ? jv.toDouble() : std::nan(""));
        }
        rows.values << v;
    }
    if (rows.header.isEmpty())
        return Error(QStringLiteral("%1 is empty").arg(file), Error::Kind::Malformed);
    return rows;
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
            return Error(QStringLiteral("%1 has no column \"%2\" (it has: %3)")
                             .arg(ref.file, ref.x, rows->header.join(QStringLiteral(", "))),
                         Error::Kind::NotFound);
    }
    QList<qsizetype> cols;
    if (ref.columns.isEmpty()) {
        for (qsizetype c = 0; c < rows->header.size(); ++c) {
            if (c == xCol)
                continue;
            const bool numeric = std::any_of(
                rows->values.cbegin(), rows->values.cend(),
                [c](const QList<double> &r) { return c < r.size() && !std::isnan(r[c]); });
            if (numeric)
                cols << c;
        }
    } else {
        for (const QString &name : ref.columns) {
            const qsizetype c = rows->header.indexOf(name);
            if (c < 0)
                return Error(QStringLiteral("%1 has no column \"%2\" (it has: %3)")
                                 .arg(ref.file, name, rows->header.join(QStringLiteral(", "))),
                             Error::Kind::NotFound);
            cols << c;
        }
    }
    for (qsizetype c : std::as_const(cols)) {
        MetricSeries s;
        s.name = rows->header.at(c);
        for (qsizetype r = 0; r < rows->values.size(); ++r) {
            const QList<double> &row = rows->values.at(r);
            const double x = xCol < 0 ? double(r) : (xCol < row.size() ? row[xCol] : std::nan(""));
            const double y = c < row.size() ? row[c] : std::nan("");
            if (!std::isnan(x) && !std::isnan(y))
                s.points << QPointF(x, y);
        }
        table.series << s;
    }
    return table;
}

} // namespace vigil
