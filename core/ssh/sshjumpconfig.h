// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// ProxyJump, read the way OpenSSH reads it. libssh 0.10 has no ProxyJump of
// its own: its config parser turns one into a ProxyCommand that runs the
// OpenSSH client (without our -F file), and it offers no getter for the
// value. So the ssh_config files are read here for the two proxy keywords
// only, and the jump is made in-process (sshjump.h). Pure functions apart
// from reading the files; internal to core/ssh.

#include "core/result.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace vigil::ssh {

// One jump host: [user@]host[:port], or ssh://[user@]host[:port].
struct JumpHost
{
    QString user; // empty: from ssh_config, else the local user
    QString host; // a host name, an address or an ssh_config alias
    int port = 0; // 0: from ssh_config, else 22

    QString toString() const;
};

// Parses [user@]host[:port], [user@][v6addr]:port or ssh://[user@]host[:port]
// (user, host and port as given; port 0 when not given). The error says what
// is wrong without the text: "port 70000 is out of range 1-65535".
Result<JumpHost> parseHostAddress(const QString &value);

// Parses a ProxyJump value. "none" gives no jump host. A chain of jump hosts
// ("a,b") is refused: one level is supported.
Result<std::optional<JumpHost>> parseProxyJump(const QString &value);

// The proxy that ssh_config sets for a host. As in OpenSSH, the first
// ProxyJump or ProxyCommand obtained wins, whichever of the two it is.
struct ProxySetting
{
    enum class Kind {
        Unset,    // neither keyword applies to this host
        Disabled, // "ProxyJump none" or "ProxyCommand none" came first
        Jump,     // value is a ProxyJump list
        Command,  // value is a ProxyCommand (libssh runs it itself)
    };
    Kind kind = Kind::Unset;
    QString value;
    QString where; // "FILE line N", for messages
};

// Reads `configFile` (empty: ~/.ssh/config, then /etc/ssh/ssh_config) for
// `host` as typed (an alias or a name): Host blocks (patterns with * and ?,
// negation with !, case-insensitive), Match blocks with all, host,
// originalhost, user and localuser (other criteria are not evaluated and the
// block is taken as not matching), and Include (globs; relative paths from
// ~/.ssh, or /etc/ssh for the system file). A missing file is no error.
Result<ProxySetting> readProxySetting(const QString &host, const QString &configFile);

// One line of an ssh_config file: its keyword (lower case) and arguments
// (quotes removed, comments dropped).
struct ConfigLine
{
    QString keyword;
    QStringList args;
    QString file;
    int line = 0;

    QString where() const { return QStringLiteral("%1 line %2").arg(file).arg(line); }
};

// What reads an ssh_config file through readSshConfig().
class ConfigVisitor
{
public:
    virtual ~ConfigVisitor() = default;
    // A Host or Match line: whether the lines after it (to the next Host or
    // Match, within the same file) apply.
    virtual bool section(const ConfigLine &line) = 0;
    // Any other line that applies and has arguments; Include is followed by
    // the reader and not passed here.
    virtual void option(const ConfigLine &line) = 0;
    // An Include line that applies: whether to read the files it names.
    virtual bool include(const ConfigLine &line)
    {
        Q_UNUSED(line);
        return true;
    }
};

// Reads one ssh_config file (~ expanded; a missing file is no error) and the
// files it includes where they apply (globs; relative paths from ~/.ssh, as
// OpenSSH does for a user's file), line by line, into `visitor`.
Result<void> readSshConfig(const QString &configFile, ConfigVisitor &visitor);

// A HostName value with %h (the host as typed) and %% expanded.
QString expandHostName(const QString &hostName, const QString &host);

// OpenSSH's pattern matching, exposed for tests: `*` and `?`, case-insensitive.
bool matchHostPattern(const QString &name, const QString &pattern);
// A list of patterns, some negated with `!`: true if one positive pattern
// matches and no negated one does.
bool matchPatternList(const QString &name, const QStringList &patterns);

} // namespace vigil::ssh
