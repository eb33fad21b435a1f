// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshjumpconfig.h"

#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <glob.h>
#include <pwd.h>
#include <unistd.h>

namespace vigil::ssh {

namespace {

constexpr int kMaxIncludeDepth = 16; // as OpenSSH's READCONF_MAX_DEPTH

QString localUserName()
{
    if (const passwd *pw = ::getpwuid(::getuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return qEnvironmentVariable("USER");
}

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
// first word (the keyword) may end with '=' instead of whitespace.
QStringList splitWords(const QString &line)
{
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
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
    if (inWord)
        words << word;
    return words;
}

struct ReadState
{
    QString host;       // as typed
    QString hostName;   // the first HostName that applied (for Match host)
    QString user;       // the first User that applied (for Match user)
    QString localUser;  // for Match localuser
    ProxySetting proxy; // the first ProxyJump / ProxyCommand that applied
    bool proxyFound = false;
};

// Evaluates a Match line's criteria. Unknown ones make the block inactive.
bool evaluateMatch(const QStringList &args, const ReadState &state, const QString &where)
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
            value = state.hostName.isEmpty() ? state.host : state.hostName;
        else if (criterion == QLatin1String("originalhost"))
            value = state.host;
        else if (criterion == QLatin1String("user"))
            value = state.user.isEmpty() ? state.localUser : state.user;
        else
            value = state.localUser;
        const bool matched = matchPatternList(value, patterns);
        result = result && (matched != negate);
    }
    return result;
}

Result<void> readFile(const QString &path, bool system, ReadState &state, int depth);

Result<void> include(const QStringList &args, bool system, ReadState &state, int depth,
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
                readFile(QFile::decodeName(found.gl_pathv[i]), system, state, depth + 1);
            if (!r)
                return r;
        }
    }
    return {};
}

Result<void> readFile(const QString &path, bool system, ReadState &state, int depth)
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
        const QString line = QString::fromUtf8(file.readLine());
        const QStringList words = splitWords(line);
        if (words.isEmpty())
            continue;
        const QString keyword = words.first().toLower();
        const QStringList args = words.mid(1);
        const QString where = QStringLiteral("%1 line %2").arg(path).arg(lineNumber);
        if (keyword == QLatin1String("host")) {
            active = matchPatternList(state.host, args);
        } else if (keyword == QLatin1String("match")) {
            active = evaluateMatch(args, state, where);
        } else if (!active || args.isEmpty()) {
            continue;
        } else if (keyword == QLatin1String("include")) {
            Result<void> r = include(args, system, state, depth, where);
            if (!r)
                return r;
        } else if (keyword == QLatin1String("hostname")) {
            if (state.hostName.isEmpty()) {
                state.hostName = args.first();
                state.hostName.replace(QLatin1String("%h"), state.host);
                state.hostName.replace(QLatin1String("%%"), QLatin1String("%"));
            }
        } else if (keyword == QLatin1String("user")) {
            if (state.user.isEmpty())
                state.user = args.first();
        } else if (keyword == QLatin1String("proxyjump") ||
                   keyword == QLatin1String("proxycommand")) {
            if (state.proxyFound)
                continue;
            state.proxyFound = true;
            const bool jump = keyword == QLatin1String("proxyjump");
            // ProxyCommand takes the rest of the line as one command.
            const QString value = jump ? args.first() : args.join(QLatin1Char(' '));
            ProxySetting::Kind kind = jump ? ProxySetting::Kind::Jump : ProxySetting::Kind::Command;
            if (value.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
                kind = ProxySetting::Kind::Disabled;
            state.proxy = ProxySetting{kind, value, where};
        }
    }
    return {};
}

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
    const auto bad = [&](const QString &why) {
        return Error(
            QStringLiteral("bad ProxyJump %1: %2 (expected [user@]host[:port])").arg(text, why),
            Error::Kind::Malformed);
    };
    QString rest = text;
    if (rest.startsWith(QLatin1String("ssh://"), Qt::CaseInsensitive)) {
        rest = rest.mid(6);
        if (rest.endsWith(QLatin1Char('/')))
            rest.chop(1);
        if (rest.contains(QLatin1Char('/')))
            return bad(QStringLiteral("a jump host URI has no path"));
    }
    JumpHost jump;
    if (const qsizetype at = rest.lastIndexOf(QLatin1Char('@')); at >= 0) {
        jump.user = rest.left(at);
        rest = rest.mid(at + 1);
        if (jump.user.isEmpty())
            return bad(QStringLiteral("empty user name"));
    }
    QString portText;
    if (rest.startsWith(QLatin1Char('['))) { // [address]:port
        const qsizetype close = rest.indexOf(QLatin1Char(']'));
        if (close < 0)
            return bad(QStringLiteral("no closing ]"));
        jump.host = rest.mid(1, close - 1);
        const QString after = rest.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(QLatin1Char(':')))
                return bad(QStringLiteral("unexpected text after ]"));
            portText = after.mid(1);
            if (portText.isEmpty())
                return bad(QStringLiteral("empty port"));
        }
    } else if (rest.count(QLatin1Char(':')) == 1) {
        const qsizetype colon = rest.indexOf(QLatin1Char(':'));
        jump.host = rest.left(colon);
        portText = rest.mid(colon + 1);
        if (portText.isEmpty())
            return bad(QStringLiteral("empty port"));
    } else {
        jump.host = rest; // a name, or an IPv6 address without a port
    }
    if (jump.host.isEmpty())
        return bad(QStringLiteral("no host"));
    for (const QChar c : std::as_const(jump.host))
        if (c.isSpace() || c == QLatin1Char('@') || c == QLatin1Char('/'))
            return bad(QStringLiteral("invalid host name"));
    if (!portText.isEmpty()) {
        bool ok = false;
        const int port = portText.toInt(&ok);
        if (!ok || port <= 0 || port > 65535)
            return bad(QStringLiteral("invalid port %1").arg(portText));
        jump.port = port;
    }
    return std::optional<JumpHost>(jump);
}

bool matchHostPattern(const QString &name, const QString &pattern)
{
    // Iterative wildcard matching with backtracking to the last '*'.
    const QString s = name.toLower();
    const QString p = pattern.toLower();
    qsizetype si = 0, pi = 0, star = -1, mark = 0;
    while (si < s.size()) {
        if (pi < p.size() && (p.at(pi) == QLatin1Char('?') || p.at(pi) == s.at(si))) {
            ++si;
            ++pi;
        } else if (pi < p.size() && p.at(pi) == QLatin1Char('*')) {
            star = pi++;
            mark = si;
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

Result<ProxySetting> readProxySetting(const QString &host, const QString &configFile)
{
    ReadState state;
    state.host = host;
    state.localUser = localUserName();
    if (!configFile.isEmpty()) {
        Result<void> r = readFile(expandTilde(configFile), false, state, 0);
        if (!r)
            return r.error();
    } else {
        Result<void> r =
            readFile(QDir::homePath() + QStringLiteral("/.ssh/config"), false, state, 0);
        if (!r)
            return r.error();
        if (!state.proxyFound) {
            r = readFile(QStringLiteral("/etc/ssh/ssh_config"), true, state, 0);
            if (!r)
                return r.error();
        }
    }
    return state.proxy;
}

} // namespace vigil::ssh
