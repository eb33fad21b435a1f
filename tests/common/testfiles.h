// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

namespace vigil::test {

// The bytes of a file; empty when it cannot be read.
inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Replaces a file's content; false on any failure.
inline bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

// Appends to a file (a job writing on); false on any failure.
inline bool appendFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::Append) && f.write(data) == data.size();
}

} // namespace vigil::test
