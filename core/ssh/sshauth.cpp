// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshauth.h"

#include "core/logging.h"
#include "sshsession.h"

#include <QScopeGuard>

namespace vigil::ssh {

namespace {

constexpr int kMaxAttempts = 3; // per method that asks a person

void wipe(QByteArray &secret)
{
    secret.fill('\0');
    secret.clear();
}

} // namespace

Authenticator::Authenticator(Session &session, QString account, QString identityFile)
    : m_session(session), m_account(std::move(account)), m_identityFile(std::move(identityFile))
{
    // Key files come with a passphrase: libssh asks through this callback from
    // inside ssh_userauth_publickey_auto(). It never waits for the user there:
    // it notes the key and refuses; the key is retried once the user answered.
    ssh_callbacks_struct &cb = m_session.callbacks;
    cb = {};
    ssh_callbacks_init(&cb);
    cb.userdata = this;
    cb.auth_function = &Authenticator::authCallback;
    ssh_set_callbacks(m_session.ssh.get(), &cb);
}

Authenticator::~Authenticator()
{
    m_session.callbacks.auth_function = nullptr;
    m_session.callbacks.userdata = nullptr;
}

int Authenticator::authCallback(const char *, char *, size_t, int, int, void *userdata)
{
    auto *self = static_cast<Authenticator *>(userdata);
    if (!self)
        return -1;
    char *identity = nullptr;
    if (ssh_userauth_publickey_auto_get_current_identity(self->m_session.ssh.get(), &identity) ==
            SSH_OK &&
        identity) {
        const QString file = QString::fromUtf8(identity);
        ssh_string_free_char(identity);
        if (!self->m_encryptedKeys.contains(file))
            self->m_encryptedKeys.append(file);
    }
    return -1; // no passphrase now
}

QString Authenticator::passphraseKeyFile() const
{
    return m_encryptedKeys.value(0);
}

QString Authenticator::acceptedMethods() const
{
    QStringList names;
    if (m_methods & SSH_AUTH_METHOD_PUBLICKEY)
        names << QStringLiteral("publickey");
    if (m_methods & SSH_AUTH_METHOD_INTERACTIVE)
        names << QStringLiteral("keyboard-interactive");
    if (m_methods & SSH_AUTH_METHOD_PASSWORD)
        names << QStringLiteral("password");
    if (m_methods & SSH_AUTH_METHOD_HOSTBASED)
        names << QStringLiteral("hostbased");
    if (m_methods & SSH_AUTH_METHOD_GSSAPI_MIC)
        names << QStringLiteral("gssapi-with-mic");
    return names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "));
}

QString Authenticator::methodName(Method method)
{
    switch (method) {
    case Method::PublicKey:
    case Method::Passphrase:
        return QStringLiteral("publickey");
    case Method::KeyboardInteractive:
        return QStringLiteral("keyboard-interactive");
    case Method::Password:
        return QStringLiteral("password");
    case Method::End:
        break;
    }
    return QString();
}

Authenticator::Status Authenticator::failure(Error error)
{
    m_error = std::move(error);
    return Status::Failed;
}

Authenticator::Status Authenticator::start()
{
    ssh_session s = m_session.ssh.get();
    const int rc = ssh_userauth_none(s, nullptr);
    if (rc == SSH_AUTH_SUCCESS)
        return Status::Success;
    if (rc == SSH_AUTH_ERROR)
        return failure(m_session.sshError(QStringLiteral("authenticating as %1").arg(m_account)));
    m_methods = ssh_userauth_list(s, nullptr);
    m_method = Method::PublicKey;
    return run();
}

Authenticator::Status Authenticator::advance()
{
    m_method = static_cast<Method>(static_cast<int>(m_method) + 1);
    m_attempts = 0;
    return run();
}

// Tries m_method and, when it is denied, the ones after it.
Authenticator::Status Authenticator::run()
{
    ssh_session s = m_session.ssh.get();
    if (m_succeeded.contains(m_method))
        return advance();
    switch (m_method) {
    case Method::PublicKey: {
        if (!(m_methods & SSH_AUTH_METHOD_PUBLICKEY))
            return advance();
        const bool agent = !qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK");
        QString what = agent ? QStringLiteral("publickey (ssh-agent, then identity files")
                             : QStringLiteral("publickey (identity files");
        if (!m_identityFile.isEmpty())
            what += QStringLiteral(" starting with %1").arg(m_identityFile);
        m_tried << what + QLatin1Char(')');
        return handle(ssh_userauth_publickey_auto(s, nullptr, nullptr));
    }
    case Method::Passphrase:
        if (!(m_methods & SSH_AUTH_METHOD_PUBLICKEY) || m_encryptedKeys.isEmpty())
            return advance();
        return Status::NeedPassphrase;
    case Method::KeyboardInteractive:
        if (!(m_methods & SSH_AUTH_METHOD_INTERACTIVE))
            return advance();
        if (m_attempts == 0)
            m_tried << QStringLiteral("keyboard-interactive");
        return afterKbdint(ssh_userauth_kbdint(s, nullptr, nullptr));
    case Method::Password:
        if (!(m_methods & SSH_AUTH_METHOD_PASSWORD))
            return advance();
        if (m_attempts == 0)
            m_tried << QStringLiteral("password");
        m_prompts =
            Prompts{QString(),
                    QString(),
                    {AuthPrompt{QStringLiteral("Password for %1: ").arg(m_account), false}}};
        return Status::NeedPrompts;
    case Method::End:
        break;
    }
    QString message =
        QStringLiteral("authentication as %1 %2: ")
            .arg(m_account, m_cancelled ? QStringLiteral("cancelled") : QStringLiteral("failed"));
    if (m_succeeded.isEmpty()) {
        message += QStringLiteral("the server accepts %1").arg(acceptedMethods());
    } else {
        QStringList done;
        for (const Method method : std::as_const(m_succeeded))
            if (!done.contains(methodName(method)))
                done << methodName(method);
        message += QStringLiteral("%1 accepted, but the server also requires %2")
                       .arg(done.join(QStringLiteral(" and ")), acceptedMethods());
    }
    message += m_tried.isEmpty()
                   ? QStringLiteral("; none of them is usable here")
                   : QStringLiteral("; tried %1").arg(m_tried.join(QStringLiteral(", ")));
    return failure(Error(message, m_cancelled ? Error::Kind::Cancelled : Error::Kind::Auth));
}

// The answer of the server to one attempt.
Authenticator::Status Authenticator::handle(int rc)
{
    switch (rc) {
    case SSH_AUTH_SUCCESS:
        qCInfo(lcSsh).noquote() << "authenticated as" << m_account << "with"
                                << m_tried.value(m_tried.size() - 1);
        return Status::Success;
    case SSH_AUTH_PARTIAL:
        // This factor is done; the server says which methods may follow.
        // They are tried from the first again: the order of the factors is
        // the server's (AuthenticationMethods), not ours.
        m_methods = ssh_userauth_list(m_session.ssh.get(), nullptr);
        m_succeeded << m_method;
        if (m_method == Method::Passphrase || m_method == Method::PublicKey)
            m_succeeded << Method::PublicKey << Method::Passphrase;
        if (!m_tried.isEmpty())
            m_tried.last() += QStringLiteral(" (accepted)");
        qCInfo(lcSsh).noquote()
            << "partial authentication as" << m_account << "with" << methodName(m_method)
            << QStringLiteral("(the server now wants %1)").arg(acceptedMethods());
        m_method = Method::PublicKey;
        m_attempts = 0;
        return run();
    case SSH_AUTH_DENIED:
        return advance();
    default:
        return failure(m_session.sshError(QStringLiteral("authenticating as %1").arg(m_account)));
    }
}

// After a person answered wrongly: ask again a few times, like OpenSSH.
Authenticator::Status Authenticator::handleAnswered(int rc)
{
    if (rc == SSH_AUTH_DENIED) {
        if (++m_attempts < kMaxAttempts) {
            qCInfo(lcSsh).noquote() << "authentication as" << m_account << "denied; asking again";
            return run();
        }
        if (!m_tried.isEmpty())
            m_tried.last() += QStringLiteral(" (answers refused %1 times)").arg(m_attempts);
    }
    return handle(rc);
}

Authenticator::Status Authenticator::afterKbdint(int rc)
{
    ssh_session s = m_session.ssh.get();
    while (rc == SSH_AUTH_INFO) {
        const int n = ssh_userauth_kbdint_getnprompts(s);
        if (n <= 0) { // an empty round: servers send them, answer and go on
            rc = ssh_userauth_kbdint(s, nullptr, nullptr);
            continue;
        }
        // The server's title, if any, and always whose login it is (with a
        // jump host, two servers may ask).
        const QString name = QString::fromUtf8(ssh_userauth_kbdint_getname(s));
        m_prompts =
            Prompts{name.isEmpty() ? m_account : QStringLiteral("%1 (%2)").arg(name, m_account),
                    QString::fromUtf8(ssh_userauth_kbdint_getinstruction(s)),
                    {}};
        for (int i = 0; i < n; ++i) {
            char echo = 0;
            const char *text = ssh_userauth_kbdint_getprompt(s, static_cast<unsigned>(i), &echo);
            m_prompts.prompts.append(AuthPrompt{QString::fromUtf8(text), echo != 0});
        }
        return Status::NeedPrompts;
    }
    return m_attempts > 0 || m_answered ? handleAnswered(rc) : handle(rc);
}

Authenticator::Status Authenticator::answerPrompts(const QStringList &answers)
{
    ssh_session s = m_session.ssh.get();
    const qsizetype expected = m_prompts.prompts.size();
    m_prompts = Prompts();
    if (answers.size() != expected || expected == 0) {
        qCInfo(lcSsh).noquote() << "authentication prompts for" << m_account << "cancelled";
        if (!m_tried.isEmpty())
            m_tried.last() += QStringLiteral(" (cancelled)");
        m_cancelled = true;
        return advance();
    }
    if (m_method == Method::Password) {
        QByteArray secret = answers.first().toUtf8();
        const auto guard = qScopeGuard([&] { wipe(secret); });
        return handleAnswered(ssh_userauth_password(s, nullptr, secret.constData()));
    }
    for (qsizetype i = 0; i < answers.size(); ++i) {
        QByteArray secret = answers.at(i).toUtf8();
        const int rc =
            ssh_userauth_kbdint_setanswer(s, static_cast<unsigned>(i), secret.constData());
        wipe(secret);
        if (rc < 0)
            return failure(
                m_session.sshError(QStringLiteral("answering prompts for %1").arg(m_account)));
    }
    m_answered = true;
    const Status status = afterKbdint(ssh_userauth_kbdint(s, nullptr, nullptr));
    m_answered = false;
    return status;
}

Authenticator::Status Authenticator::answerPassphrase(const QString &passphrase)
{
    const QString file = passphraseKeyFile();
    const auto nextKey = [&] {
        m_encryptedKeys.removeFirst();
        m_attempts = 0;
        return m_encryptedKeys.isEmpty() ? advance() : Status::NeedPassphrase;
    };
    if (file.isEmpty())
        return advance();
    if (passphrase.isEmpty()) {
        m_tried << QStringLiteral("key %1 (no passphrase given)").arg(file);
        return nextKey();
    }
    QByteArray secret = passphrase.toUtf8();
    const auto guard = qScopeGuard([&] { wipe(secret); });
    ssh_key raw = nullptr;
    const QByteArray path = file.toUtf8();
    if (ssh_pki_import_privkey_file(path.constData(), secret.constData(), nullptr, nullptr, &raw) !=
        SSH_OK) {
        if (++m_attempts < kMaxAttempts) {
            qCInfo(lcSsh).noquote() << "wrong passphrase for" << file << "(asking again)";
            return Status::NeedPassphrase;
        }
        m_tried << QStringLiteral("key %1 (wrong passphrase)").arg(file);
        return nextKey();
    }
    const KeyPtr key(raw);
    m_tried << QStringLiteral("key %1").arg(file);
    const int rc = ssh_userauth_publickey(m_session.ssh.get(), nullptr, key.get());
    if (rc == SSH_AUTH_DENIED)
        return nextKey();
    return handle(rc);
}

} // namespace vigil::ssh
