// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshconnector.h"

#include "core/logging.h"
#include "sshjump.h"
#include "sshjumpconfig.h"
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

} // namespace

void routeLibsshLogs(ssh_session s)
{
    ssh_set_log_callback(&libsshLog);
    const int level = lcSshTrace().isDebugEnabled() ? SSH_LOG_PROTOCOL : SSH_LOG_WARNING;
    ssh_set_log_level(level);
    if (s)
        ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &level);
}

Connector::Connector(SshTarget target) : Connector(std::move(target), Role::Target) {}

Connector::Connector(SshTarget target, Role role) : m_target(std::move(target)), m_role(role) {}

Connector::~Connector() = default;

QString Connector::hostLabel() const
{
    return m_jump ? m_jump->hostLabel() : m_hostLabel;
}

QString Connector::fingerprint() const
{
    return m_jump ? m_jump->fingerprint() : m_fingerprint;
}

const Authenticator::Prompts &Connector::prompts() const
{
    static const Authenticator::Prompts none;
    if (m_jump)
        return m_jump->prompts();
    return m_auth ? m_auth->prompts() : none;
}

QString Connector::passphraseKeyFile() const
{
    if (m_jump)
        return m_jump->passphraseKeyFile();
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
    m_jump.reset();
    m_session.reset(); // the target session, then its tunnel
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

    m_hostName = optionString(s, SSH_OPTIONS_HOST);
    ssh_options_get_port(s, &m_port);
    m_hostLabel = m_port == 22 ? m_hostName : QStringLiteral("[%1]:%2").arg(m_hostName).arg(m_port);
    m_session->hostLabel = m_hostLabel;

    // The proxy: the explicit jump host, else the first ProxyJump or
    // ProxyCommand of ssh_config. libssh turned a ProxyJump into a
    // ProxyCommand running the OpenSSH client: switched off here, the jump is
    // made in-process. A ProxyCommand of the config is left to libssh.
    std::optional<JumpHost> jump;
    bool noProxyCommand = false;
    if (const QString explicitJump = m_target.proxyJump.trimmed(); !explicitJump.isEmpty()) {
        Result<std::optional<JumpHost>> parsed = parseProxyJump(explicitJump);
        if (!parsed)
            return fail(Error(
                QStringLiteral("%1 (jump host for %2)").arg(parsed.error().message, m_target.host),
                parsed.error().kind));
        jump = *parsed;
        noProxyCommand = true;
    } else {
        Result<ProxySetting> proxy = readProxySetting(m_target.host, config);
        if (!proxy)
            return fail(proxy.error());
        switch (proxy->kind) {
        case ProxySetting::Kind::Unset:
            // libssh evaluates Match criteria that the reader does not (exec,
            // canonical ...): then its own ProxyCommand stays, as before.
            if (const QString command = optionString(s, SSH_OPTIONS_PROXYCOMMAND);
                !command.isEmpty())
                qCWarning(lcSsh).noquote()
                    << "ssh_config sets a proxy for" << m_target.host
                    << "in a block that is not evaluated for ProxyJump; libssh runs" << command;
            break;
        case ProxySetting::Kind::Disabled:
            noProxyCommand = true;
            break;
        case ProxySetting::Kind::Command:
            qCInfo(lcSsh).noquote()
                << proxy->where << "sets a ProxyCommand for" << m_target.host << "(run by libssh)";
            break;
        case ProxySetting::Kind::Jump: {
            Result<std::optional<JumpHost>> parsed = parseProxyJump(proxy->value);
            if (!parsed)
                return fail(
                    Error(QStringLiteral("%1: %2").arg(proxy->where, parsed.error().message),
                          parsed.error().kind));
            jump = *parsed;
            noProxyCommand = true;
            break;
        }
        }
    }
    if (noProxyCommand)
        ssh_options_set(s, SSH_OPTIONS_PROXYCOMMAND, "none");
    if (jump) {
        if (m_role == Role::Jump)
            return fail(Error(QStringLiteral("jump host %1 has a jump host of its own (%2): only "
                                             "one jump host is supported")
                                  .arg(m_target.host, jump->toString()),
                              Error::Kind::Malformed));
        return startJump(*jump);
    }
    qCInfo(lcSsh).noquote() << "connecting to" << m_target.host << "->" << m_hostLabel;
    const Step step = connectSession();
    qCDebug(lcSshTrace) << "connected in" << timer.elapsed() << "ms";
    return step;
}

Connector::Step Connector::connectSession()
{
    ssh_session s = m_session->ssh.get();
    if (ssh_connect(s) != SSH_OK) {
        QString why = QString::fromUtf8(ssh_get_error(s));
        if (m_session->tunnel)
            if (const QString t = tunnelFailure(*m_session->tunnel); !t.isEmpty())
                why += QStringLiteral("; ") + t;
        return fail(Error(QStringLiteral("cannot connect to %1:%2%3: %4")
                              .arg(m_hostName)
                              .arg(m_port)
                              .arg(m_jumpLabel.isEmpty()
                                       ? QString()
                                       : QStringLiteral(" through jump host %1").arg(m_jumpLabel),
                                   why),
                          Error::Kind::Network));
    }
    return checkHostKey();
}

// The jump host is connected by a Connector of its own, with the same known
// hosts, policy and key file; its questions are this connector's until it is done.
Connector::Step Connector::startJump(const JumpHost &jump)
{
    SshTarget target;
    target.host = jump.host;
    target.user = jump.user;
    target.port = jump.port;
    target.configFile = m_target.configFile;
    // A site names one key; it is tried on the jump host too (before the jump
    // host's own ssh_config keys), as most jump hosts share the user's key.
    target.identityFile = m_target.identityFile;
    target.knownHostsFile = m_target.knownHostsFile;
    target.hostKeyPolicy = m_target.hostKeyPolicy;
    target.connectTimeoutSeconds = m_target.connectTimeoutSeconds;
    m_jumpLabel = jump.toString();
    qCInfo(lcSsh).noquote() << "connecting to" << m_target.host << "->" << m_hostLabel
                            << "through jump host" << m_jumpLabel;
    m_jump.reset(new Connector(std::move(target), Role::Jump));
    return onJumpStep(m_jump->start());
}

Connector::Step Connector::onJumpStep(Step step)
{
    switch (step) {
    case Step::Connected:
        return throughTunnel();
    case Step::Failed: {
        const Error error = m_jump->error();
        const QString label = m_jump->hostLabel().isEmpty() ? m_jumpLabel : m_jump->hostLabel();
        return fail(Error(QStringLiteral("cannot reach %1 through jump host %2: %3")
                              .arg(m_hostLabel, label, error.message),
                          error.kind));
    }
    case Step::AskHostKey:
    case Step::AskPrompts:
    case Step::AskPassphrase:
        break;
    }
    return step; // a question about the jump host
}

// A channel from the jump host to the target carries the target's connection.
Connector::Step Connector::throughTunnel()
{
    std::unique_ptr<Session> jumpSession = m_jump->takeSession();
    m_jumpLabel = jumpSession->hostLabel;
    m_jump.reset();
    Result<TunnelPtr> tunnel =
        openTunnel(std::move(jumpSession), m_hostName, int(m_port), m_hostLabel);
    if (!tunnel)
        return fail(tunnel.error());
    // Owned by the session from now on: it outlives the libssh session using it.
    m_session->tunnel = std::move(*tunnel);
    const socket_t fd = tunnelTargetFd(*m_session->tunnel);
    ssh_options_set(m_session->ssh.get(), SSH_OPTIONS_FD, &fd);
    m_session->hostLabel = QStringLiteral("%1 via %2").arg(m_hostLabel, m_jumpLabel);
    return connectSession();
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
    if (m_jump)
        return onJumpStep(m_jump->answerHostKey(trust));
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
    if (m_jump)
        return onJumpStep(m_jump->answerPrompts(answers));
    if (!m_auth)
        return fail(Error(QStringLiteral("no prompt is open"), Error::Kind::Cancelled));
    return afterAuth(m_auth->answerPrompts(answers));
}

Connector::Step Connector::answerPassphrase(const QString &passphrase)
{
    if (m_jump)
        return onJumpStep(m_jump->answerPassphrase(passphrase));
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
    if (m_role == Role::Jump) // only carries the tunnel
        return Step::Connected;
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
