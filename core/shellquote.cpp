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

// Words that sh (and bash) read as reserved words, not as a command name, when
// they come first unquoted. The others are made of characters isSafeChar()
// refuses, so they are always quoted.
bool isReservedWord(const QString &word)
{
    static const char *const reserved[] = {"case",  "do",       "done",   "elif", "else",  "esac",
                                           "fi",    "for",      "if",     "in",   "then",  "until",
                                           "while", "function", "select", "time", "coproc"};
    for (const char *r : reserved)
        if (word == QLatin1String(r))
            return true;
    return false;
}

QString quoteAlways(const QString &word)
{
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
    return quoteAlways(word);
}

QString shellJoin(const QStringList &argv)
{
    QStringList quoted;
    quoted.reserve(argv.size());
    for (const QString &a : argv) {
        // The command name is special to sh: unquoted, "NAME=value" is an
        // assignment (the next word would run instead) and "if", "time" ...
        // are reserved words. Quoted, it is only ever the program's name.
        if (quoted.isEmpty() && !a.isEmpty() && (a.contains(QLatin1Char('=')) || isReservedWord(a)))
            quoted << quoteAlways(a);
        else
            quoted << shellQuote(a);
    }
    return quoted.join(QLatin1Char(' '));
}

Result<QStringList> shellSplit(const QString &line)
{
    QStringList words;
    QString word;
    bool inWord = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n')) {
            if (inWord)
                words << std::exchange(word, QString());
            inWord = false;
            continue;
        }
        inWord = true;
        if (c == QLatin1Char('\'')) {
            const qsizetype end = line.indexOf(QLatin1Char('\''), i + 1);
            if (end < 0)
                return Error(
                    QStringLiteral("the single quote at column %1 is not closed").arg(i + 1));
            word += line.mid(i + 1, end - i - 1);
            i = end;
        } else if (c == QLatin1Char('"')) {
            qsizetype j = i + 1;
            for (; j < line.size() && line.at(j) != QLatin1Char('"'); ++j) {
                // Inside double quotes a backslash escapes only these.
                if (line.at(j) == QLatin1Char('\\') && j + 1 < line.size() &&
                    QStringLiteral("\"\\$`").contains(line.at(j + 1)))
                    ++j;
                word += line.at(j);
            }
            if (j >= line.size())
                return Error(
                    QStringLiteral("the double quote at column %1 is not closed").arg(i + 1));
            i = j;
        } else if (c == QLatin1Char('\\')) {
            if (i + 1 < line.size())
                word += line.at(++i);
        } else {
            word += c;
        }
    }
    if (inWord)
        words << word;
    return words;
}

} // namespace vigil
