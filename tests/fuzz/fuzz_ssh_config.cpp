// SPDX-License-Identifier: GPL-3.0-or-later
// ssh_config files and typed addresses: vigil::ssh::readSshConfig,
// readProxySetting, vigil::listSshConfigHosts (the input is written to
// ~/.ssh/config, HOME being a private temporary directory with two files to
// include), and every line of the input through parseHostAddress,
// parseProxyJump, parseSiteAddress and matchHostPattern.
//
// Include is followed by the readers, so the target first reads the file with
// a visitor of its own that sees every Include line and follows only relative
// names inside ~/.ssh; the other readers run only when all of them are such
// (an absolute glob could reach /dev or /proc).
//
// Oracle: an error has a message; every line passed on has a keyword in lower
// case, arguments and a place; a proxy that is set says where; the listed
// hosts are distinct, not patterns; an address that parses has a host that is
// usable (no space, @, /, control character, leading '-'), a port in 0-65535,
// and reads back the same from JumpHost::toString(); a pattern without
// wildcards matches itself, and "*" matches everything.

#include "fuzzcheck.h"
#include "ssh/sshhosts.h"
#include "ssh/sshjumpconfig.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <cstdlib>
#include <filesystem>

namespace {

namespace ssh = vigil::ssh;

QString g_home;
QString g_config; // ~/.ssh/config, rewritten for every input

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    FUZZ_CHECK(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    FUZZ_CHECK(f.write(bytes) == bytes.size());
}

void setUp()
{
    char dir[] = "/tmp/vigil-fuzz-ssh-XXXXXX";
    FUZZ_CHECK(::mkdtemp(dir) != nullptr);
    g_home = QString::fromLocal8Bit(dir);
    ::setenv("HOME", dir, 1);
    std::atexit([] { std::filesystem::remove_all(QFile::encodeName(g_home).toStdString()); });
    FUZZ_CHECK(QDir(g_home).mkpath(QStringLiteral(".ssh/config.d")));
    g_config = g_home + QStringLiteral("/.ssh/config");
    // What a person's ~/.ssh holds: a site through a jump host, and a file of its own.
    writeFile(g_home + QStringLiteral("/.ssh/config.d/work.conf"),
              "Host work work-gpu\n    HostName %h.cluster.example.org\n    User alice\n"
              "    ProxyJump alice@bastion.example.org:2222\n"
              "Match host *.cluster.example.org user alice\n    Port 2200\n");
    writeFile(g_home + QStringLiteral("/.ssh/extra"),
              "Host extra\n  Port 2201\n  ProxyCommand ssh -W %h:%p gate\nHost *\n  User bob\n");
}

// A relative Include name that globs inside ~/.ssh only: no "..", no hidden
// component (".*" matches ".."), no escapes, no "~" or "/" at the start.
bool staysInside(const QString &arg)
{
    static const QRegularExpression kSafe(
        QStringLiteral("^[A-Za-z0-9_*?-][A-Za-z0-9_*?.-]*(/[A-Za-z0-9_*?-][A-Za-z0-9_*?.-]*)*$"));
    return kSafe.match(arg).hasMatch() && !arg.contains(QLatin1String(".."));
}

void checkLine(const ssh::ConfigLine &line)
{
    FUZZ_CHECK(!line.keyword.isEmpty() && line.keyword == line.keyword.toLower());
    FUZZ_CHECK(line.line >= 1 && !line.file.isEmpty());
    for (const QString &arg : line.args)
        FUZZ_CHECK(!arg.contains(QLatin1Char('\n')));
}

// Every line applies; Include followed only inside ~/.ssh.
class Everything final : public ssh::ConfigVisitor
{
public:
    bool safe = true;
    QStringList aliases;

    bool section(const ssh::ConfigLine &line) override
    {
        checkLine(line);
        if (line.keyword == QLatin1String("host"))
            for (const QString &a : line.args)
                if (aliases.size() < 2 && !a.contains(QLatin1Char('*')) &&
                    !a.startsWith(QLatin1Char('!')))
                    aliases << a;
        return true;
    }
    void option(const ssh::ConfigLine &line) override
    {
        checkLine(line);
        FUZZ_CHECK(!line.args.isEmpty());
        FUZZ_CHECK(line.keyword != QLatin1String("include"));
    }
    bool include(const ssh::ConfigLine &line) override
    {
        checkLine(line);
        for (const QString &arg : line.args)
            if (!staysInside(arg))
                safe = false;
        return safe;
    }
};

void checkAddress(const QString &text)
{
    const auto address = ssh::parseHostAddress(text);
    const auto site = vigil::parseSiteAddress(text);
    FUZZ_CHECK(address.ok() == site.ok());
    if (!address) {
        FUZZ_CHECK(!address.errorString().isEmpty());
        FUZZ_CHECK(site.errorString() == address.errorString());
    } else {
        const ssh::JumpHost &a = *address;
        FUZZ_CHECK(site->host == a.host && site->user == a.user && site->port == a.port);
        FUZZ_CHECK(!a.host.isEmpty() && !a.host.startsWith(QLatin1Char('-')));
        for (const QChar c : a.host)
            FUZZ_CHECK(!c.isSpace() && c != QLatin1Char('@') && c != QLatin1Char('/') &&
                       c.unicode() >= 0x20);
        FUZZ_CHECK(a.port >= 0 && a.port <= 65535);
        // toString() brackets a host with ':' only when there is a port: a
        // bracketed host with one ':' and no port ("[a:1]") does not read back.
        const bool readsBack = !a.host.startsWith(QLatin1Char('[')) &&
                               (a.port > 0 || a.host.count(QLatin1Char(':')) != 1);
        if (readsBack) {
            const auto again = ssh::parseHostAddress(a.toString());
            if (!again)
                std::fprintf(stderr, "\"%s\" does not read back: %s\n", qPrintable(a.toString()),
                             qPrintable(again.errorString()));
            FUZZ_CHECK(again.ok());
            FUZZ_CHECK(again->user == a.user && again->host == a.host && again->port == a.port);
        }
    }
    const auto jump = ssh::parseProxyJump(text);
    if (!jump) {
        FUZZ_CHECK(jump.errorString().startsWith(QLatin1String("ProxyJump ")) ||
                   jump.errorString().startsWith(QLatin1String("bad ProxyJump ")));
    } else if (jump->has_value()) {
        FUZZ_CHECK(address.ok());
        FUZZ_CHECK((*jump)->host == address->host && (*jump)->port == address->port);
    }
}

void checkPatterns(const QString &a, const QString &b)
{
    (void)ssh::matchHostPattern(a, b);
    FUZZ_CHECK(ssh::matchHostPattern(a, QStringLiteral("*")));
    if (!a.contains(QLatin1Char('*')) && !a.contains(QLatin1Char('?')))
        FUZZ_CHECK(ssh::matchHostPattern(a, a));
    // A negated pattern that matches always excludes.
    FUZZ_CHECK(!ssh::matchPatternList(a, {QStringLiteral("*"), QLatin1Char('!') + b}) ||
               !ssh::matchHostPattern(a, b));
}

void checkProxy(const QString &host)
{
    const auto proxy = ssh::readProxySetting(host, g_config);
    if (!proxy) {
        FUZZ_CHECK(!proxy.errorString().isEmpty());
        return;
    }
    if (proxy->kind == ssh::ProxySetting::Kind::Unset) {
        FUZZ_CHECK(proxy->value.isEmpty() && proxy->where.isEmpty());
        return;
    }
    FUZZ_CHECK(proxy->where.contains(QLatin1String(" line ")));
    FUZZ_CHECK(!proxy->value.isEmpty());
    if (proxy->kind == ssh::ProxySetting::Kind::Disabled)
        FUZZ_CHECK(proxy->value.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0);
    if (proxy->kind == ssh::ProxySetting::Kind::Jump)
        checkAddress(proxy->value);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const bool ready = (setUp(), true);
    (void)ready;
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));

    // The file's lines as typed addresses and patterns (a few, not too long).
    const QStringList lines = QString::fromUtf8(input).split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < std::min<qsizetype>(lines.size(), 16); ++i) {
        const QString line = lines[i].left(512);
        checkAddress(line);
        checkPatterns(line, lines[(i + 1) % lines.size()].left(512));
    }

    writeFile(g_config, input);
    Everything all;
    if (auto r = ssh::readSshConfig(g_config, all); !r)
        FUZZ_CHECK(!r.errorString().isEmpty());
    if (!all.safe)
        return 0;

    // Each reads the file again (and what it includes): a few hosts only.
    QStringList hosts = {QStringLiteral("work")};
    hosts += all.aliases;
    for (const QString &host : std::as_const(hosts))
        checkProxy(host);

    const auto listed = vigil::listSshConfigHosts(g_config);
    if (!listed) {
        FUZZ_CHECK(!listed.errorString().isEmpty());
        return 0;
    }
    QStringList seen;
    for (const vigil::SshConfigHost &h : *listed) {
        FUZZ_CHECK(!h.alias.isEmpty() && !seen.contains(h.alias));
        FUZZ_CHECK(!h.alias.contains(QLatin1Char('*')) && !h.alias.contains(QLatin1Char('?')) &&
                   !h.alias.startsWith(QLatin1Char('!')));
        FUZZ_CHECK(h.where.contains(QLatin1String(" line ")));
        FUZZ_CHECK(h.summary().isEmpty() ==
                   (h.hostName.isEmpty() && h.user.isEmpty() && h.port == 0));
        seen << h.alias;
    }
    return 0;
}
