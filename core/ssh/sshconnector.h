// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Builds a Session: TCP connect (or a tunnel through a jump host), host key
// check, authentication, SFTP. It stops when it needs the user (an unknown
// host key, prompts, a passphrase) and goes on from the matching answer*()
// call. Internal to core/ssh; runs on the worker thread.
//
// With a jump host (SshTarget::proxyJump, or ssh_config's ProxyJump), a
// second Connector first connects to the jump host, with the same host key
// policy and questions (hostLabel() names the jump host then); a
// direct-tcpip channel on it then carries the target's connection
// (sshjump.h), which is checked and authenticated as usual.

#include "sshauth.h"
#include "sshtarget.h"

#include <libssh/libssh.h>
#include <memory>

namespace vigil::ssh {

struct Session;
struct JumpHost;

class Connector
{
public:
    enum class Step { Connected, Failed, AskHostKey, AskPrompts, AskPassphrase };

    explicit Connector(SshTarget target);
    ~Connector();
    Q_DISABLE_COPY_MOVE(Connector)

    Step start();
    Step answerHostKey(bool trust);
    Step answerPrompts(const QStringList &answers);
    Step answerPassphrase(const QString &passphrase);

    const Error &error() const { return m_error; }
    // The host the open question is about ("[host]:port", as in known_hosts):
    // the jump host while it is being connected, then the target.
    QString hostLabel() const;
    QString fingerprint() const;
    const Authenticator::Prompts &prompts() const;
    QString passphraseKeyFile() const;

    // After Step::Connected.
    std::unique_ptr<Session> takeSession();

private:
    enum class Role { Target, Jump };
    Connector(SshTarget target, Role role);

    Step connectSession();
    Step startJump(const JumpHost &jump);
    Step onJumpStep(Step step);
    Step throughTunnel();
    Step checkHostKey();
    Step trustHostKey();
    Step startAuth();
    Step afterAuth(Authenticator::Status status);
    Step startSftp();
    Step fail(Error error);
    QString knownHostsFile() const;

    SshTarget m_target;
    Role m_role = Role::Target;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<Authenticator> m_auth;
    std::unique_ptr<Connector> m_jump; // while the jump host is being connected
    QString m_jumpLabel;               // the jump host, once known
    QString m_hostName;                // as resolved from ssh_config
    unsigned int m_port = 22;
    QString m_hostLabel;
    QString m_fingerprint;
    Error m_error;
};

// libssh keeps its log callback and level per thread: every thread that uses
// a session calls this first. With a session, also sets its log verbosity.
void routeLibsshLogs(ssh_session s);

} // namespace vigil::ssh
