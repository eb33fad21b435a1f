// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// User authentication on a connected session, as a state machine that can stop
// to ask the user (prompts, a key passphrase) and go on when answered, without
// waiting inside libssh. Internal to core/ssh; runs on the worker thread.
//
// Methods are tried in the order publickey (agent, identity files, keys
// that need a passphrase), keyboard-interactive, password, among those the
// server accepts. Multi-factor logins (sshd's AuthenticationMethods
// publickey,keyboard-interactive) answer a method with partial success: the
// methods the server names next are then tried, skipping those that already
// succeeded. Keyboard-interactive prompts are passed on as the server sends
// them (name, instruction, texts), never interpreted.

#include "core/result.h"
#include "sshtarget.h"

#include <QStringList>

namespace vigil::ssh {

struct Session;

class Authenticator
{
public:
    enum class Status { Success, Failed, NeedPrompts, NeedPassphrase };

    struct Prompts
    {
        QString name;
        QString instruction;
        QList<AuthPrompt> prompts;
    };

    // `account` names the user and host in messages ("alice on [host]:2222").
    Authenticator(Session &session, QString account, QString identityFile);
    ~Authenticator();
    Q_DISABLE_COPY_MOVE(Authenticator)

    Status start();
    // One answer per prompt; an empty list cancels this method.
    Status answerPrompts(const QStringList &answers);
    // An empty passphrase skips the key.
    Status answerPassphrase(const QString &passphrase);

    const Error &error() const { return m_error; }
    const Prompts &prompts() const { return m_prompts; }
    QString passphraseKeyFile() const;

private:
    enum class Method { PublicKey, Passphrase, KeyboardInteractive, Password, End };

    Status run();
    Status advance();
    Status afterKbdint(int rc);
    Status handle(int rc);
    Status handleAnswered(int rc);
    Status failure(Error error);
    QString acceptedMethods() const;
    static QString methodName(Method method);

    static int authCallback(const char *prompt, char *buf, size_t len, int echo, int verify,
                            void *userdata);

    Session &m_session;
    QString m_account;
    QString m_identityFile;
    int m_methods = 0;
    Method m_method = Method::PublicKey;
    QStringList m_tried;
    QList<Method> m_succeeded; // partial successes of a multi-factor login
    bool m_cancelled = false;  // the user (or nobody) declined to answer prompts
    Prompts m_prompts;
    QStringList m_encryptedKeys; // accepted by the server, waiting for a passphrase
    int m_attempts = 0;          // of the current method, when a person answers
    bool m_answered = false;     // inside answerPrompts()
    Error m_error;
};

} // namespace vigil::ssh
