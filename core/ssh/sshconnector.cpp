// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshconnector.h"

#include "core/logging.h"
#include "sshsession.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <libssh/callbacks.h>

namespace vigil::ssh {

namespace {

QString expandHome(const QString &path)
{
    if (path == QLatin1String("~"))
        return QDir::homePath();
    if (path.startsWith(QLatin1String("~/")))
        return QDir::homePath() + path.mid(1);
    return path;
}

QString optionString(ssh_session s, ssh_options_e option)
{
    char *value = nullptr;
    if (ssh_options_get(s, option, &value) != SSH_OK || !value)
        return {};
    const QString result = QString::fromUtf8(value);
    ssh_string_free_char(value);
    return result;
}

Result<QString> sha256Fingerprint(ssh_key key)
{
    unsigned char *hash = nullptr;
    size_t length = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK)
        return Error(QStringLiteral("cannot hash the server's host key"));
    char *text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
    ssh_clean_pubkey_hash(&hash);
    if (!text)
        return Error(QStringLiteral("cannot format the server's host key fingerprint"));
    const QString fingerprint = QString::fromUtf8(text);
    ssh_string_free_char(text);
    return fingerprint;
}

// libssh's own messages go to the trace category.
void libsshLog(int priority, const char *function, const char *message, void *)
{
    Q_UNUSED(priority)
    Q_UNUSED(function)
    qCDebug(lcSshTrace).noquote() << "libssh:" << message;
}

// libssh keeps its log callback and level per thread: set them on the session's.
void routeLibsshLogs(ssh_session s)
{
    ssh_set_log_callback(&libsshLog);
    const int level = lcSshTrace().isDebugEnabled() ? SSH_LOG_PROTOCOL : SSH_LOG_WARNING;
    ssh_set_log_level(level);
    ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &level);
}

} // namespace

Connector::Connector(SshTarget target) : m_target(std::move(target)) {}

Connector::~Connector() = default;

const Authenticator::Prompts &Connector::prompts() const
{
    static const Authenticator::Prompts none;
    return m_auth ? m_auth->prompts() : none;
}

QString Connector::passphraseKeyFile() const
{
    return m_auth ? m_auth->passphraseKeyFile() : QString();
}

std::unique_ptr<Session> Connector::takeSession()
{
    m_auth.reset();
    return std::move(m_session);
}

Connector::Step Connector::fail(Error error)
{
    m_error = std::move(error);
    m_auth.reset();
    m_session.reset();
    return Step::Failed;
}

QString Connector::knownHostsFile() const
{
    const QString file = optionString(m_session->ssh.get(), SSH_OPTIONS_KNOWNHOSTS);
    if (!file.isEmpty())
        return file;
    return m_target.knownHostsFile.isEmpty() ? QStringLiteral("~/.ssh/known_hosts")
                                             : m_target.knownHostsFile;
}

Connector::Step Connector::start()
{
    QElapsedTimer timer;
    timer.start();
    m_session = std::make_unique<Session>();
    m_session->ssh.reset(ssh_new());
    ssh_session s = m_session->ssh.get();
    if (!s)
        return fail(Error(QStringLiteral("cannot create an SSH session (out of memory?)")));
    routeLibsshLogs(s);

    // The host (alias) first: the config file's Host blocks match it. Then the
    // config file, then the explicit values, which win over it.
    const QByteArray host = m_target.host.toUtf8();
    ssh_options_set(s, SSH_OPTIONS_HOST, host.constData());
    const QString config = expandHome(m_target.configFile);
    if (!config.isEmpty() && !QFileInfo::exists(config))
        return fail(Error(QStringLiteral("ssh config file %1 does not exist").arg(config),
                          Error::Kind::NotFound));
    if (ssh_options_parse_config(s, config.isEmpty() ? nullptr : config.toUtf8().constData()) !=
        SSH_OK)
        return fail(Error(QStringLiteral("cannot read ssh config %1: %2")
                              .arg(config.isEmpty() ? QStringLiteral("~/.ssh/config") : config,
                                   QString::fromUtf8(ssh_get_error(s))),
                          Error::Kind::Malformed));
    if (!m_target.user.isEmpty())
        ssh_options_set(s, SSH_OPTIONS_USER, m_target.user.toUtf8().constData());
    if (m_target.port > 0) {
        const unsigned int port = static_cast<unsigned int>(m_target.port);
        ssh_options_set(s, SSH_OPTIONS_PORT, &port);
    }
    if (!m_target.identityFile.isEmpty()) // SSH_OPTIONS_IDENTITY puts it first in the list
        ssh_options_set(s, SSH_OPTIONS_IDENTITY,
                        expandHome(m_target.identityFile).toUtf8().constData());
    if (!m_target.knownHostsFile.isEmpty())
        ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS,
                        expandHome(m_target.knownHostsFile).toUtf8().constData());
    const int on = 1;
    ssh_options_set(s, SSH_OPTIONS_NODELAY, &on); // else each exec costs ~50 ms more
    const long timeout = m_target.connectTimeoutSeconds > 0 ? m_target.connectTimeoutSeconds : 10;
    ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
    const bool no = false;
    ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no); // parsed above, once

    const QString hostName = optionString(s, SSH_OPTIONS_HOST);
    unsigned int port = 22;
    ssh_options_get_port(s, &port);
    m_hostLabel = port == 22 ? hostName : QStringLiteral("[%1]:%2").arg(hostName).arg(port);
    m_session->hostLabel = m_hostLabel;

    qCInfo(lcSsh).noquote() << "connecting to" << m_target.host << "->" << m_hostLabel;
    if (ssh_connect(s) != SSH_OK)
        return fail(Error(QStringLiteral("cannot connect to %1:%2: %3")
                              .arg(hostName)
                              .arg(port)
                              .arg(QString::fromUtf8(ssh_get_error(s))),
                          Error::Kind::Network));
    qCDebug(lcSshTrace) << "connected in" << timer.elapsed() << "ms";
    return checkHostKey();
}

Connector::Step Connector::checkHostKey()
{
    ssh_session s = m_session->ssh.get();
    ssh_key raw = nullptr;
    if (ssh_get_server_publickey(s, &raw) != SSH_OK)
        return fail(
            m_session->sshError(QStringLiteral("cannot get the host key of %1").arg(m_hostLabel)));
    const KeyPtr key(raw);
    Result<QString> fingerprint = sha256Fingerprint(key.get());
    if (!fingerprint)
        return fail(fingerprint.error());
    m_fingerprint = *fingerprint;

    switch (ssh_session_is_known_server(s)) {
    case SSH_KNOWN_HOSTS_OK:
        break;
    case SSH_KNOWN_HOSTS_CHANGED:
        return fail(Error(QStringLiteral("host key for %1 CHANGED (now %2; known_hosts %3 has a "
                                         "different key): refusing to connect; possible "
                                         "man-in-the-middle")
                              .arg(m_hostLabel, m_fingerprint, knownHostsFile()),
                          Error::Kind::HostKeyChanged));
    case SSH_KNOWN_HOSTS_OTHER:
        return fail(Error(QStringLiteral("host key for %1 CHANGED (now %2 %3; known_hosts %4 has "
                                         "a key of another type): refusing to connect; possible "
                                         "man-in-the-middle")
                              .arg(m_hostLabel,
                                   QString::fromUtf8(ssh_key_type_to_char(ssh_key_type(key.get()))),
                                   m_fingerprint, knownHostsFile()),
                          Error::Kind::HostKeyChanged));
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
        switch (m_target.hostKeyPolicy) {
        case HostKeyPolicy::Strict:
            return fail(Error(QStringLiteral("host key for %1 is not known (%2; not in known_hosts "
                                             "%3): refusing to connect")
                                  .arg(m_hostLabel, m_fingerprint, knownHostsFile()),
                              Error::Kind::HostKeyUnknown));
        case HostKeyPolicy::AcceptNew:
            return trustHostKey();
        case HostKeyPolicy::Ask:
            qCInfo(lcSsh).noquote()
                << "host key for" << m_hostLabel << "is unknown:" << m_fingerprint << "(asking)";
            return Step::AskHostKey;
        }
        break;
    case SSH_KNOWN_HOSTS_ERROR:
        return fail(
            Error(QStringLiteral("cannot check the host key of %1 against %2: %3")
                      .arg(m_hostLabel, knownHostsFile(), QString::fromUtf8(ssh_get_error(s)))));
    }
    return startAuth();
}

Connector::Step Connector::startAuth()
{
    ssh_session s = m_session->ssh.get();
    m_auth = std::make_unique<Authenticator>(
        *m_session, QStringLiteral("%1 on %2").arg(optionString(s, SSH_OPTIONS_USER), m_hostLabel),
        expandHome(m_target.identityFile));
    return afterAuth(m_auth->start());
}

Connector::Step Connector::trustHostKey()
{
    ssh_session s = m_session->ssh.get();
    if (ssh_session_update_known_hosts(s) != SSH_OK)
        return fail(
            Error(QStringLiteral("cannot add the host key of %1 to %2: %3")
                      .arg(m_hostLabel, knownHostsFile(), QString::fromUtf8(ssh_get_error(s)))));
    qCInfo(lcSsh).noquote() << "added host key" << m_fingerprint << "for" << m_hostLabel << "to"
                            << knownHostsFile();
    return startAuth();
}

Connector::Step Connector::answerHostKey(bool trust)
{
    if (!m_session || m_auth)
        return fail(Error(QStringLiteral("no host key question is open"), Error::Kind::Cancelled));
    if (!trust)
        return fail(Error(QStringLiteral("host key for %1 (%2) was not trusted: refusing to "
                                         "connect")
                              .arg(m_hostLabel, m_fingerprint),
                          Error::Kind::HostKeyUnknown));
    if (!ssh_is_connected(m_session->ssh.get()))
        return fail(m_session->sshError(QStringLiteral("while waiting for the host key answer")));
    return trustHostKey();
}

Connector::Step Connector::answerPrompts(const QStringList &answers)
{
    if (!m_auth)
        return fail(Error(QStringLiteral("no prompt is open"), Error::Kind::Cancelled));
    return afterAuth(m_auth->answerPrompts(answers));
}

Connector::Step Connector::answerPassphrase(const QString &passphrase)
{
    if (!m_auth)
        return fail(
            Error(QStringLiteral("no passphrase question is open"), Error::Kind::Cancelled));
    return afterAuth(m_auth->answerPassphrase(passphrase));
}

Connector::Step Connector::afterAuth(Authenticator::Status status)
{
    switch (status) {
    case Authenticator::Status::Success:
        return startSftp();
    case Authenticator::Status::Failed:
        return fail(m_auth->error());
    case Authenticator::Status::NeedPrompts:
        return Step::AskPrompts;
    case Authenticator::Status::NeedPassphrase:
        return Step::AskPassphrase;
    }
    return fail(Error(QStringLiteral("authentication ended in an unknown state")));
}

Connector::Step Connector::startSftp()
{
    m_auth.reset();
    Session &session = *m_session;
    session.sftp.reset(sftp_new(session.ssh.get()));
    if (!session.sftp)
        return fail(
            session.sshError(QStringLiteral("cannot open an SFTP channel on %1").arg(m_hostLabel)));
    if (sftp_init(session.sftp.get()) != SSH_OK)
        return fail(session.sshError(QStringLiteral("cannot start SFTP on %1 (is the sftp "
                                                    "subsystem enabled?)")
                                         .arg(m_hostLabel)));
    char *home = sftp_canonicalize_path(session.sftp.get(), ".");
    if (!home)
        return fail(session.sshError(
            QStringLiteral("cannot find the home directory on %1").arg(m_hostLabel)));
    session.home = QString::fromUtf8(home);
    ssh_string_free_char(home);
    session.fsyncSupported = sftp_extension_supported(session.sftp.get(), "fsync@openssh.com", "1");
    qCInfo(lcSsh).noquote() << "connected to" << m_hostLabel << "home" << session.home;
    return Step::Connected;
}

} // namespace vigil::ssh
