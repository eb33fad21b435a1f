// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshjumpconfig.h"

#include "core/localuser.h"
#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <glob.h>
#include <unistd.h>

namespace vigil::ssh {

namespace {

constexpr int kMaxIncludeDepth = 16; // as OpenSSH's READCONF_MAX_DEPTH

QString expandTilde(const QString &path)
{
    if (path == QLatin1String("~"))
        return QDir::homePath();
    if (path.startsWith(QLatin1String("~/")))
        return QDir::homePath() + path.mid(1);
    return path;
}

// Splits a config line into words: whitespace separates them, double or
// single quotes group them, a word starting with '#' starts a comment. The
// first word (the keyword) may end with '=' instead of whitespace; a
// backslash escapes a quote, a backslash or a space. A quote
// left open is an error (nullopt), as in OpenSSH ("invalid quotes"): the word
// would otherwise take the rest of the line, its newline included.
std::optional<QStringList> splitWords(const QString &line)
{
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        // As OpenSSH: a backslash makes the next quote, backslash or (outside
        // quotes) space part of the word.
        if (c == QLatin1Char('\\') && i + 1 < line.size()) {
            const QChar next = line.at(i + 1);
            if (next == QLatin1Char('"') || next == QLatin1Char('\'') ||
                next == QLatin1Char('\\') || (quote.isNull() && next == QLatin1Char(' '))) {
                word += next;
                inWord = true;
                ++i;
                continue;
            }
        }
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            else
                word += c;
            continue;
        }
        if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            quote = c;
            inWord = true;
            continue;
        }
        const bool separator = c.isSpace() || (c == QLatin1Char('=') && words.isEmpty());
        if (separator) {
            if (inWord) {
                words << word;
                word.clear();
                inWord = false;
            }
            continue;
        }
        if (!inWord && c == QLatin1Char('#'))
            break;
        word += c;
        inWord = true;
    }
    if (!quote.isNull())
        return std::nullopt;
    if (inWord)
        words << word;
    return words;
}

// The file reading shared by every reader of ssh_config: Host and Match
// lines go to the visitor, which says whether the lines after them apply;
// Include is followed where it applies; every other line that applies goes
// to option().
Result<void> readFile(const QString &path, bool system, ConfigVisitor &visitor, int depth);

Result<void> include(const QStringList &args, bool system, ConfigVisitor &visitor, int depth,
                     const QString &where)
{
    if (depth >= kMaxIncludeDepth)
        return Error(QStringLiteral("%1: too many nested Include levels").arg(where),
                     Error::Kind::Malformed);
    const QString base =
        system ? QStringLiteral("/etc/ssh") : QDir::homePath() + QStringLiteral("/.ssh");
    for (const QString &arg : args) {
        QString pattern = expandTilde(arg);
        if (!QFileInfo(pattern).isAbsolute())
            pattern = base + QLatin1Char('/') + pattern;
        glob_t found = {};
        const auto guard = qScopeGuard([&] { globfree(&found); });
        const int rc = ::glob(QFile::encodeName(pattern).constData(), 0, nullptr, &found);
        if (rc == GLOB_NOMATCH)
            continue;
        if (rc != 0)
            return Error(QStringLiteral("%1: cannot expand Include %2").arg(where, arg),
                         Error::Kind::Malformed);
        for (size_t i = 0; i < found.gl_pathc; ++i) {
            Result<void> r =
                readFile(QFile::decodeName(found.gl_pathv[i]), system, visitor, depth + 1);
            if (!r)
                return r;
        }
    }
    return {};
}

Result<void> readFile(const QString &path, bool system, ConfigVisitor &visitor, int depth)
{
    QFile file(path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("cannot read ssh config %1: %2").arg(path, file.errorString()),
                     Error::Kind::Permission);
    bool active = true; // lines before the first Host or Match apply to every host
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString text = QString::fromUtf8(file.readLine());
        const std::optional<QStringList> split = splitWords(text);
        if (!split)
            return Error(
                QStringLiteral("%1 line %2: a quote is not closed").arg(path).arg(lineNumber),
                Error::Kind::Malformed);
        const QStringList &words = *split;
        if (words.isEmpty())
            continue;
        if (words.first().isEmpty()) // quotes around nothing: OpenSSH refuses it too
            return Error(
                QStringLiteral("%1 line %2: the keyword is empty").arg(path).arg(lineNumber),
                Error::Kind::Malformed);
        ConfigLine line{words.first().toLower(), words.mid(1), path, lineNumber};
        if (!line.args.isEmpty() && line.args.first() == QLatin1String("="))
            line.args.removeFirst(); // "Keyword = value"
        if (line.keyword == QLatin1String("host") || line.keyword == QLatin1String("match")) {
            active = visitor.section(line);
        } else if (!active || line.args.isEmpty()) {
            continue;
        } else if (line.keyword == QLatin1String("include")) {
            if (!visitor.include(line))
                continue;
            Result<void> r = include(line.args, system, visitor, depth, line.where());
            if (!r)
                return r;
        } else {
            visitor.option(line);
        }
    }
    return {};
}

// ProxyJump / ProxyCommand for one host, as OpenSSH finds them.
class ProxyReader final : public ConfigVisitor
{
public:
    QString host;       // as typed
    QString hostName;   // the first HostName that applied (for Match host)
    QString user;       // the first User that applied (for Match user)
    QString localUser;  // for Match localuser
    ProxySetting proxy; // the first ProxyJump / ProxyCommand that applied
    bool proxyFound = false;

    bool section(const ConfigLine &line) override
    {
        if (line.keyword == QLatin1String("host"))
            return matchPatternList(host, line.args);
        return evaluateMatch(line.args, line.where());
    }

    void option(const ConfigLine &line) override
    {
        const QStringList &args = line.args;
        if (line.keyword == QLatin1String("hostname")) {
            if (hostName.isEmpty())
                hostName = expandHostName(args.first(), host);
        } else if (line.keyword == QLatin1String("user")) {
            if (user.isEmpty())
                user = args.first();
        } else if (line.keyword == QLatin1String("proxyjump") ||
                   line.keyword == QLatin1String("proxycommand")) {
            if (proxyFound)
                return;
            proxyFound = true;
            const bool jump = line.keyword == QLatin1String("proxyjump");
            // ProxyCommand takes the rest of the line as one command.
            const QString value = jump ? args.first() : args.join(QLatin1Char(' '));
            ProxySetting::Kind kind = jump ? ProxySetting::Kind::Jump : ProxySetting::Kind::Command;
            if (value.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
                kind = ProxySetting::Kind::Disabled;
            proxy = ProxySetting{kind, value, line.where()};
        }
    }

private:
    // Evaluates a Match line's criteria. Unknown ones make the block inactive.
    bool evaluateMatch(const QStringList &args, const QString &where) const
    {
        if (args.isEmpty())
            return false;
        bool result = true;
        for (qsizetype i = 0; i < args.size(); ++i) {
            QString criterion = args.at(i).toLower();
            const bool negate = criterion.startsWith(QLatin1Char('!'));
            if (negate)
                criterion.remove(0, 1);
            if (criterion == QLatin1String("all")) {
                result = result && !negate;
                continue;
            }
            const bool known =
                criterion == QLatin1String("host") || criterion == QLatin1String("originalhost") ||
                criterion == QLatin1String("user") || criterion == QLatin1String("localuser");
            if (!known) {
                qCDebug(lcSsh).noquote()
                    << where << ": Match" << args.at(i)
                    << "is not evaluated when looking for ProxyJump; block skipped";
                return false;
            }
            if (i + 1 >= args.size())
                return false;
            const QStringList patterns = args.at(++i).split(QLatin1Char(','), Qt::SkipEmptyParts);
            QString value;
            if (criterion == QLatin1String("host"))
                value = hostName.isEmpty() ? host : hostName;
            else if (criterion == QLatin1String("originalhost"))
                value = host;
            else if (criterion == QLatin1String("user"))
                value = user.isEmpty() ? localUser : user;
            else
                value = localUser;
            const bool matched = matchPatternList(value, patterns);
            result = result && (matched != negate);
        }
        return result;
    }
};

} // namespace

QString JumpHost::toString() const
{
    QString text = user.isEmpty() ? QString() : user + QLatin1Char('@');
    if (port <= 0)
        return text + host;
    const bool ipv6 = host.contains(QLatin1Char(':'));
    return text + (ipv6 ? QStringLiteral("[%1]").arg(host) : host) + QLatin1Char(':') +
           QString::number(port);
}

Result<JumpHost> parseHostAddress(const QString &value)
{
    const auto bad = [](const QString &why) { return Error(why, Error::Kind::Malformed); };
    QString rest = value.trimmed();
    if (rest.isEmpty())
        return bad(QStringLiteral("no host given"));
    if (rest.startsWith(QLatin1String("ssh://"), Qt::CaseInsensitive)) {
        rest = rest.mid(6);
        if (rest.endsWith(QLatin1Char('/')))
            rest.chop(1);
        if (rest.contains(QLatin1Char('/')))
            return bad(QStringLiteral("an ssh:// address has no path"));
    }
    JumpHost address;
    if (const qsizetype at = rest.lastIndexOf(QLatin1Char('@')); at >= 0) {
        address.user = rest.left(at);
        rest = rest.mid(at + 1);
        if (address.user.isEmpty())
            return bad(QStringLiteral("the user name before @ is empty"));
        for (const QChar c : std::as_const(address.user))
            if (c.isSpace() || c.unicode() < 0x20)
                return bad(QStringLiteral("invalid user name \"%1\"").arg(address.user));
        if (address.user.startsWith(QLatin1Char('-')))
            return bad(QStringLiteral("a user name must not start with '-'"));
    }
    QString portText;
    bool hasPort = false;
    if (rest.startsWith(QLatin1Char('['))) { // [address]:port
        const qsizetype close = rest.indexOf(QLatin1Char(']'));
        if (close < 0)
            return bad(QStringLiteral("no closing ] after the address"));
        address.host = rest.mid(1, close - 1);
        const QString after = rest.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(QLatin1Char(':')))
                return bad(QStringLiteral("unexpected text after ]"));
            portText = after.mid(1);
            hasPort = true;
        }
    } else if (rest.count(QLatin1Char(':')) == 1) {
        const qsizetype colon = rest.indexOf(QLatin1Char(':'));
        address.host = rest.left(colon);
        portText = rest.mid(colon + 1);
        hasPort = true;
    } else {
        address.host = rest; // a name, or an IPv6 address without a port
    }
    if (address.host.isEmpty())
        return bad(QStringLiteral("no host given"));
    for (const QChar c : std::as_const(address.host))
        if (c.isSpace() || c == QLatin1Char('@') || c == QLatin1Char('/') || c.unicode() < 0x20)
            return bad(QStringLiteral("invalid host name \"%1\"").arg(address.host));
    if (address.host.startsWith(QLatin1Char('-')))
        return bad(QStringLiteral("a host name must not start with '-'"));
    if (hasPort) {
        if (portText.isEmpty())
            return bad(QStringLiteral("no port after ':'"));
        bool ok = false;
        const qlonglong port = portText.toLongLong(&ok);
        if (!ok)
            return bad(QStringLiteral("port \"%1\" is not a number").arg(portText));
        if (port < 1 || port > 65535)
            return bad(QStringLiteral("port %1 is out of range 1-65535").arg(portText));
        address.port = int(port);
    }
    return address;
}

Result<std::optional<JumpHost>> parseProxyJump(const QString &value)
{
    const QString text = value.trimmed();
    if (text.isEmpty() || text.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return std::optional<JumpHost>();
    if (text.contains(QLatin1Char(',')))
        return Error(QStringLiteral("ProxyJump %1 is a chain of %2 jump hosts: only one jump host "
                                    "is supported")
                         .arg(text)
                         .arg(text.count(QLatin1Char(',')) + 1),
                     Error::Kind::Malformed);
    Result<JumpHost> jump = parseHostAddress(text);
    if (!jump)
        return Error(QStringLiteral("bad ProxyJump %1: %2 (expected [user@]host[:port])")
                         .arg(text, jump.errorString()),
                     Error::Kind::Malformed);
    return std::optional<JumpHost>(*jump);
}

bool matchHostPattern(const QString &name, const QString &pattern)
{
    // Iterative wildcard matching with backtracking to the last '*'.
    const QString s = name.toLower();
    const QString p = pattern.toLower();
    qsizetype si = 0, pi = 0, star = -1, mark = 0;
    while (si < s.size()) {
        // '*' first: a '*' in the name is no reason to take the pattern's literally.
        if (pi < p.size() && p.at(pi) == QLatin1Char('*')) {
            star = pi++;
            mark = si;
        } else if (pi < p.size() && (p.at(pi) == QLatin1Char('?') || p.at(pi) == s.at(si))) {
            ++si;
            ++pi;
        } else if (star >= 0) {
            pi = star + 1;
            si = ++mark;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p.at(pi) == QLatin1Char('*'))
        ++pi;
    return pi == p.size();
}

bool matchPatternList(const QString &name, const QStringList &patterns)
{
    bool matched = false;
    for (const QString &pattern : patterns) {
        if (pattern.startsWith(QLatin1Char('!'))) {
            if (matchHostPattern(name, pattern.mid(1)))
                return false;
        } else if (matchHostPattern(name, pattern)) {
            matched = true;
        }
    }
    return matched;
}

Result<void> readSshConfig(const QString &configFile, ConfigVisitor &visitor)
{
    return readFile(expandTilde(configFile), false, visitor, 0);
}

QString expandHostName(const QString &hostName, const QString &host)
{
    QString out = hostName;
    out.replace(QLatin1String("%h"), host);
    out.replace(QLatin1String("%%"), QLatin1String("%"));
    return out;
}

Result<ProxySetting> readProxySetting(const QString &host, const QString &configFile)
{
    ProxyReader reader;
    reader.host = host;
    reader.localUser = localUserName();
    const bool user = configFile.isEmpty();
    Result<void> r =
        user ? readFile(QDir::homePath() + QStringLiteral("/.ssh/config"), false, reader, 0)
             : readSshConfig(configFile, reader);
    if (!r)
        return r.error();
    if (user && !reader.proxyFound) {
        r = readFile(QStringLiteral("/etc/ssh/ssh_config"), true, reader, 0);
        if (!r)
            return r.error();
    }
    return reader.proxy;
}

} // namespace vigil::ssh
