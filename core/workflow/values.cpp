// SPDX-License-Identifier: GPL-3.0-or-later
#include "values.h"

#include <QRegularExpression>
#include <charconv>
#include <cmath>

namespace vigil::workflowvalues {

namespace {

Error bad(const QString &what)
{
    return Error(what, Error::Kind::Malformed);
}

bool hasControlOrSpace(const QString &s)
{
    for (QChar c : s)
        if (c.unicode() <= 0x20 || c.unicode() == 0x7f)
            return true;
    return false;
}

} // namespace

Result<qint64> parseDuration(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^(?:(\\d{1,6})d)?(?:(\\d{1,6})h)?(?:(\\d{1,7})m)?(?:(\\d{1,9})s)?$"));
    const auto m = re.match(text);
    if (text.isEmpty() || !m.hasMatch())
        return bad(QStringLiteral("\"%1\" is not a duration such as \"90m\", \"2h\" or \"1d12h\" "
                                  "(numbers with d, h, m, s, in that order)")
                       .arg(text.left(64)));
    const qint64 seconds = m.captured(1).toLongLong() * 86400 + m.captured(2).toLongLong() * 3600 +
                           m.captured(3).toLongLong() * 60 + m.captured(4).toLongLong();
    if (seconds <= 0)
        return bad(QStringLiteral("the duration \"%1\" is zero").arg(text));
    if (seconds > 366LL * 86400)
        return bad(QStringLiteral("the duration \"%1\" is longer than 366 days").arg(text));
    return seconds;
}

Result<qint64> parseTimeLimit(const QString &text)
{
    if (text == QLatin1String("UNLIMITED") || text == QLatin1String("INFINITE"))
        return qint64(-1);
    static const QRegularExpression re(
        QStringLiteral("^(?:(\\d{1,4})-)?(\\d{1,6})(?::(\\d{1,2}))?(?::(\\d{1,2}))?$"));
    const auto m = re.match(text);
    const Error err = bad(QStringLiteral("\"%1\" is not a SLURM time limit (MM, MM:SS, HH:MM:SS, "
                                         "D-HH, D-HH:MM or D-HH:MM:SS)")
                              .arg(text.left(64)));
    if (!m.hasMatch())
        return err;
    const bool days = m.hasCaptured(1);
    const qint64 d = m.captured(1).toLongLong();
    const qint64 a = m.captured(2).toLongLong();
    const bool hasB = m.hasCaptured(3), hasC = m.hasCaptured(4);
    const qint64 b = m.captured(3).toLongLong(), c = m.captured(4).toLongLong();
    qint64 seconds = 0;
    if (days) { // D-HH[:MM[:SS]]
        if (a > 23 || b > 59 || c > 59)
            return err;
        seconds = d * 86400 + a * 3600 + b * 60 + c;
    } else if (hasC) { // HH:MM:SS
        if (b > 59 || c > 59)
            return err;
        seconds = a * 3600 + b * 60 + c;
    } else if (hasB) { // MM:SS
        if (b > 59)
            return err;
        seconds = a * 60 + b;
    } else { // MM
        seconds = a * 60;
    }
    if (seconds <= 0)
        return bad(QStringLiteral("the time limit \"%1\" is zero").arg(text));
    return seconds;
}

Result<void> validateMemory(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^[1-9]\\d{0,11}[KMGT]?$"));
    if (!re.match(text).hasMatch())
        return bad(QStringLiteral("\"%1\" is not a memory size such as \"4G\", \"500M\" or "
                                  "\"4096\" (megabytes)")
                       .arg(text.left(64)));
    return {};
}

Result<void> validateSlurmName(const QString &text)
{
    if (text.isEmpty() || text.startsWith(QLatin1Char('-')) || hasControlOrSpace(text) ||
        text.contains(QLatin1Char(',')) || text.size() > 256)
        return bad(QStringLiteral("\"%1\" must not be empty, start with '-' or contain spaces, "
                                  "commas or control characters")
                       .arg(text.left(64)));
    return {};
}

Result<void> validateExtraArg(const QString &word)
{
    static const QRegularExpression re(QStringLiteral("^--([a-z][a-z0-9-]*)(=.*)?$"),
                                       QRegularExpression::DotMatchesEverythingOption);
    const auto m = re.match(word);
    if (!m.hasMatch() || hasControlOrSpace(m.captured(2)))
        return bad(QStringLiteral("\"%1\" must be one sbatch option as --name or --name=value "
                                  "(one word, no spaces or control characters)")
                       .arg(word.left(64)));
    const QString name = m.captured(1);
    static const QStringList vigils{
        QStringLiteral("dependency"), QStringLiteral("array"),     QStringLiteral("output"),
        QStringLiteral("error"),      QStringLiteral("input"),     QStringLiteral("job-name"),
        QStringLiteral("comment"),    QStringLiteral("chdir"),     QStringLiteral("hold"),
        QStringLiteral("parsable"),   QStringLiteral("open-mode"), QStringLiteral("wrap"),
        QStringLiteral("export"),     QStringLiteral("test-only"), QStringLiteral("wait")};
    if (vigils.contains(name))
        return bad(QStringLiteral("--%1 is set by Vigil itself").arg(name));
    static const QList<std::pair<QString, QString>> ownKeys{
        {QStringLiteral("time"), QStringLiteral("time")},
        {QStringLiteral("cpus-per-task"), QStringLiteral("cpus")},
        {QStringLiteral("gpus"), QStringLiteral("gpus")},
        {QStringLiteral("mem"), QStringLiteral("memory")},
        {QStringLiteral("nodes"), QStringLiteral("nodes")},
        {QStringLiteral("partition"), QStringLiteral("partition")},
        {QStringLiteral("account"), QStringLiteral("account")},
        {QStringLiteral("qos"), QStringLiteral("qos")}};
    for (const auto &[option, key] : ownKeys)
        if (name == option)
            return bad(QStringLiteral("--%1 has its own key: use resources.%2").arg(name, key));
    return {};
}

bool isPlainScalar(const QString &text)
{
    // Only the texts the reader makes of TOML integers, floats and booleans,
    // so that writing one unquoted reads back as the same text ("1e5" or "+1"
    // stay strings).
    if (text == QLatin1String("true") || text == QLatin1String("false"))
        return true;
    bool ok = false;
    if (const qlonglong i = text.toLongLong(&ok); ok)
        return QString::number(i) == text;
    static const QRegularExpression floatSyntax(
        QStringLiteral("^-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:e[+-]?\\d+)?$"));
    if (!text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e')))
        return false;
    if (!floatSyntax.match(text).hasMatch())
        return false;
    const double d = text.toDouble(&ok);
    return ok && formatDouble(d) == text;
}

QString formatDouble(double value)
{
    if (!std::isfinite(value))
        return QStringLiteral("0");
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    return QString::fromLatin1(buf, int(r.ptr - buf));
}

} // namespace vigil::workflowvalues
