// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace vigil {

// What to do when the server's host key is not in known_hosts.
// A key that differs from the one in known_hosts is always refused.
enum class HostKeyPolicy {
    Ask,       // emit SshTransport::hostKeyUnknown() and wait for answerHostKey()
    AcceptNew, // add the key to known_hosts and go on (OpenSSH's accept-new)
    Strict,    // refuse with Error::Kind::HostKeyUnknown
};

// Where and how to connect. Empty fields come from the ssh_config file (Host
// aliases, HostName, User, Port, IdentityFile, UserKnownHostsFile, ProxyJump),
// then from libssh's defaults. Explicit fields win over the config file.
struct SshTarget
{
    QString host;           // an ssh_config alias or a host name
    QString user;           // empty: from ssh_config, else the local user name
    int port = 0;           // 0: from ssh_config, else 22
    QString identityFile;   // tried first; empty: ssh_config / ~/.ssh/id_*
    QString knownHostsFile; // empty: ssh_config's UserKnownHostsFile / ~/.ssh/known_hosts
    QString configFile;     // empty: ~/.ssh/config (and /etc/ssh/ssh_config)
    // A jump host, as ssh -J writes it: [user@]host[:port] (host may be an
    // ssh_config alias of configFile). Empty: ssh_config's ProxyJump for
    // `host`, if any. "none": no jump host, and no ssh_config ProxyCommand.
    // One jump host only: a chain "a,b" is refused. The jump host is checked
    // with the same knownHostsFile and hostKeyPolicy; its user, port and keys
    // come from this field and its own ssh_config block.
    QString proxyJump;
    HostKeyPolicy hostKeyPolicy = HostKeyPolicy::Ask;
    int connectTimeoutSeconds = 10;
};

// One keyboard-interactive (or password) prompt, shown as it is.
struct AuthPrompt
{
    QString text;
    bool echo = false; // false: hide the answer as it is typed
};

} // namespace vigil

Q_DECLARE_METATYPE(vigil::AuthPrompt)
