// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Builds a Session: TCP connect, host key check, authentication, SFTP. It
// stops when it needs the user (an unknown host key, prompts, a passphrase)
// and goes on from the matching answer*() call. Internal to core/ssh; runs on
// the worker thread.

#include "sshauth.h"
#include "sshtarget.h"

#include <memory>

namespace vigil::ssh {

struct Session;

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
    QString hostLabel() const { return m_hostLabel; }
    QString fingerprint() const { return m_fingerprint; }
    const Authenticator::Prompts &prompts() const;
    QString passphraseKeyFile() const;

    // After Step::Connected.
    std::unique_ptr<Session> takeSession();

private:
    Step checkHostKey();
    Step trustHostKey();
    Step startAuth();
    Step afterAuth(Authenticator::Status status);
    Step startSftp();
    Step fail(Error error);
    QString knownHostsFile() const;

    SshTarget m_target;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<Authenticator> m_auth;
    QString m_hostLabel;
    QString m_fingerprint;
    Error m_error;
};

} // namespace vigil::ssh
