// SPDX-License-Identifier: GPL-3.0-or-later
#include "evidence.h"

#include <QCryptographicHash>
#include <QStringList>

namespace vigil {

QString evidenceSha256(const QList<std::pair<QString, QByteArray>> &files)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const auto &[path, data] : files) {
        hash.addData(path.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
        hash.addData(data);
    }
    return QString::fromLatin1(hash.result().toHex());
}

QString evidenceBytes(const QList<std::pair<QString, QByteArray>> &files)
{
    QStringList counts;
    for (const auto &file : files)
        counts << QString::number(file.second.size());
    return QLatin1Char('[') + counts.join(QLatin1Char(',')) + QLatin1Char(']');
}

} // namespace vigil
