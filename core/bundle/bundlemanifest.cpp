// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundlemanifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil::bundle {

QString rootName(const QString &runId)
{
    return QStringLiteral("vigil-bundle-") + runId;
}

QString runPrefix(const QString &runId)
{
    return QStringLiteral("runs/") + runId;
}

QByteArray manifestJson(const Manifest &m)
{
    QJsonArray files;
    for (const BundleFile &f : m.files) {
        QJsonObject o{{QStringLiteral("path"), f.path},
                      {QStringLiteral("size"), f.size},
                      {QStringLiteral("sha256"), QString::fromLatin1(f.sha256)}};
        if (f.truncatedFrom >= 0)
            o.insert(QStringLiteral("truncatedFrom"), f.truncatedFrom);
        files.append(o);
    }
    QJsonArray omitted;
    for (const OmittedFile &f : m.omitted)
        omitted.append(QJsonObject{{QStringLiteral("path"), f.path},
                                   {QStringLiteral("size"), f.size},
                                   {QStringLiteral("reason"), f.reason}});
    const QJsonObject root{{QStringLiteral("format"), QString(kFormatName)},
                           {QStringLiteral("version"), kFormatVersion},
                           {QStringLiteral("created"), m.created.toUTC().toString(Qt::ISODate)},
                           {QStringLiteral("createdBy"), m.createdBy},
                           {QStringLiteral("site"), m.site},
                           {QStringLiteral("runId"), m.runId},
                           {QStringLiteral("files"), files},
                           {QStringLiteral("omitted"), omitted}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

namespace {

Error bad(const QString &what)
{
    return Error(Tr::tr("manifest.json: ") + what, Error::Kind::Malformed);
}

bool isHex64(const QString &s)
{
    if (s.size() != 64)
        return false;
    for (QChar c : s)
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
              (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    return true;
}

// A JSON number that is a whole number of bytes, 0 .. 2^53.
bool sizeOf(const QJsonValue &v, qint64 &out)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!(d >= 0 && d <= 9007199254740992.0) || d != static_cast<double>(static_cast<qint64>(d)))
        return false;
    out = static_cast<qint64>(d);
    return true;
}

Result<QString> stringField(const QJsonObject &o, const QString &key, const QString &where)
{
    const QJsonValue v = o.value(key);
    if (!v.isString())
        return bad(Tr::tr("%1%2 is missing or not a string").arg(where, key));
    return v.toString();
}

} // namespace

Result<Manifest> parseManifest(const QByteArray &json)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError)
        return bad(Tr::tr("not JSON (%1 at byte %2)").arg(pe.errorString()).arg(pe.offset));
    if (!doc.isObject())
        return bad(Tr::tr("not a JSON object"));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != kFormatName)
        return bad(Tr::tr("format is not \"%1\"").arg(kFormatName));
    if (o.value(QStringLiteral("version")).toInt(-1) != kFormatVersion)
        return bad(Tr::tr("version %1 is not supported (this Vigil reads %2)")
                       .arg(o.value(QStringLiteral("version")).toVariant().toString())
                       .arg(kFormatVersion));
    Manifest m;
    for (auto [key, field] : {std::pair{QStringLiteral("createdBy"), &m.createdBy},
                              std::pair{QStringLiteral("site"), &m.site},
                              std::pair{QStringLiteral("runId"), &m.runId}}) {
        auto s = stringField(o, key, QString());
        if (!s)
            return s.error();
        *field = *s;
    }
    if (m.runId.isEmpty())
        return bad(Tr::tr("runId is empty"));
    auto created = stringField(o, QStringLiteral("created"), QString());
    if (!created)
        return created.error();
    m.created = QDateTime::fromString(*created, Qt::ISODate);
    if (!m.created.isValid())
        return bad(Tr::tr("created is not an ISO 8601 time"));
    const QJsonValue files = o.value(QStringLiteral("files"));
    if (!files.isArray())
        return bad(Tr::tr("files is missing or not an array"));
    const QJsonArray arr = files.toArray();
    for (qsizetype i = 0; i < arr.size(); ++i) {
        const QString where = QStringLiteral("files[%1].").arg(i);
        if (!arr.at(i).isObject())
            return bad(Tr::tr("files[%1] is not an object").arg(i));
        const QJsonObject f = arr.at(i).toObject();
        BundleFile bf;
        auto path = stringField(f, QStringLiteral("path"), where);
        if (!path)
            return path.error();
        bf.path = *path;
        if (!sizeOf(f.value(QStringLiteral("size")), bf.size))
            return bad(where + Tr::tr("size is not a whole number of bytes"));
        auto sha = stringField(f, QStringLiteral("sha256"), where);
        if (!sha)
            return sha.error();
        if (!isHex64(*sha))
            return bad(where + Tr::tr("sha256 is not 64 lower-case hex digits"));
        bf.sha256 = sha->toLatin1();
        if (f.contains(QStringLiteral("truncatedFrom")) &&
            (!sizeOf(f.value(QStringLiteral("truncatedFrom")), bf.truncatedFrom) ||
             bf.truncatedFrom < bf.size))
            return bad(where + Tr::tr("truncatedFrom is not a size at least size"));
        m.files.append(bf);
    }
    const QJsonArray omitted = o.value(QStringLiteral("omitted")).toArray();
    for (const QJsonValue &v : omitted) {
        const QJsonObject f = v.toObject();
        m.omitted.append({f.value(QStringLiteral("path")).toString(),
                          f.value(QStringLiteral("size")).toInteger(),
                          f.value(QStringLiteral("reason")).toString()});
    }
    return m;
}

QByteArray sha256Sums(const QList<BundleFile> &files)
{
    QByteArray out;
    for (const BundleFile &f : files)
        out += f.sha256 + "  " + f.path.toUtf8() + '\n';
    return out;
}

} // namespace vigil::bundle
