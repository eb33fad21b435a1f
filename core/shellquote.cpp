// SPDX-License-Identifier: GPL-3.0-or-later
#include "shellquote.h"

namespace vigil {

namespace {
bool isSafeChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
           u == u'_' || u == u'-' || u == u'.' || u == u'/' || u == u',' || u == u':' ||
           u == u'=' || u == u'@' || u == u'+' || u == u'%';
}
} // namespace

QString shellQuote(const QString &word)
{
    if (word.isEmpty())
        return QStringLiteral("''");
    bool safe = true;
    for (QChar c : word) {
        if (!isSafeChar(c)) {
            safe = false;
            break;
        }
    }
    // A leading '=' or '%' is harmless to sh, but keep "-" words as they are: the
    // caller passes "--" where an argument might start with a dash.
    if (safe)
        return word;
    QString out;
    out.reserve(word.size() + 8);
    out += QLatin1Char('\'');
    for (QChar c : word) {
        if (c == QLatin1Char('\''))
            out += QStringLiteral("'\\''");
        else
            out += c;
    }
    out += QLatin1Char('\'');
    return out;
}

QString shellJoin(const QStringList &argv)
{
    QStringList quoted;
    quoted.reserve(argv.size());
    for (const QString &a : argv)
        quoted << shellQuote(a);
    return quoted.join(QLatin1Char(' '));
}

} // namespace vigil
