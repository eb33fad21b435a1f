// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshstream.h"

#include "core/logging.h"
#include "core/shellquote.h"
#include "sshsession.h"

namespace vigil::ssh {

namespace {
constexpr int kChunk = 32 * 1024;
constexpr qsizetype kMaxStderr = 64 * 1024;
// At most this much output is handed on per poll, so that other work gets a turn.
constexpr qint64 kMaxPerPoll = 1024 * 1024;
} // namespace

Stream::Stream(StreamId id, QStringList argv, Output output, Finished finished)
    : m_id(id), m_argv(std::move(argv)), m_output(std::move(output)),
      m_finished(std::move(finished))
{
    m_command = m_argv.join(QLatin1Char(' '));
    if (m_command.size() > 60)
        m_command = m_command.left(57) + QStringLiteral("...");
}

Stream::~Stream() = default;

bool Stream::start(Session &session)
{
    if (m_argv.isEmpty()) {
        fail(Error(QStringLiteral("cannot stream an empty command")));
        return false;
    }
    m_channel.reset(ssh_channel_new(session.ssh.get()));
    if (!m_channel || ssh_channel_open_session(m_channel.get()) != SSH_OK) {
        const Error error =
            session.sshError(QStringLiteral("cannot open a channel on %1").arg(session.hostLabel));
        m_channel.reset();
        fail(error);
        return false;
    }
    const QByteArray command = shellJoin(m_argv).toUtf8();
    if (ssh_channel_request_exec(m_channel.get(), command.constData()) != SSH_OK) {
        const Error error = session.sshError(QStringLiteral("cannot run `%1`").arg(m_command));
        m_channel.reset();
        fail(error);
        return false;
    }
    // Nothing is written to the command: its stdin ends now.
    ssh_channel_send_eof(m_channel.get());
    qCDebug(lcSsh).noquote() << "stream" << m_id << "started:" << m_command;
    return true;
}

Stream::Poll Stream::poll(Session &session, quint64 *payloadIn)
{
    if (!m_channel)
        return Poll::Open; // not started yet
    char buf[kChunk];
    qint64 handed = 0;
    QByteArray out;
    while (handed < kMaxPerPoll) {
        const int n = ssh_channel_read_nonblocking(m_channel.get(), buf, sizeof buf, 0);
        if (n == SSH_ERROR) {
            if (!ssh_is_connected(session.ssh.get()))
                return Poll::ConnectionLost;
            fail(session.sshError(QStringLiteral("reading `%1`").arg(m_command)));
            return Poll::Ended;
        }
        if (n <= 0)
            break;
        out.append(buf, n);
        handed += n;
    }
    for (;;) {
        const int n = ssh_channel_read_nonblocking(m_channel.get(), buf, sizeof buf, 1);
        if (n <= 0)
            break;
        m_err.append(buf, n);
        if (m_err.size() > kMaxStderr)
            m_err.remove(0, m_err.size() - kMaxStderr);
    }
    if (payloadIn)
        *payloadIn += static_cast<quint64>(out.size());
    if (!out.isEmpty() && m_output)
        m_output(out);
    if (handed >= kMaxPerPoll)
        return Poll::More;
    if (!ssh_is_connected(session.ssh.get()))
        return Poll::ConnectionLost;
    if (!ssh_channel_is_eof(m_channel.get()) && ssh_channel_is_open(m_channel.get()))
        return Poll::Open;
    // EOF: the exit status follows (or has come) in the same burst of packets.
    const int status = ssh_channel_get_exit_status(m_channel.get());
    ssh_channel_close(m_channel.get());
    m_channel.reset();
    if (status < 0) {
        fail(Error(QStringLiteral("`%1` ended without an exit status (killed by a signal?)")
                       .arg(m_command)));
        return Poll::Ended;
    }
    qCDebug(lcSsh).noquote() << "stream" << m_id << "ended with exit code" << status;
    if (m_finished) {
        ExecResult result;
        result.exitCode = status;
        result.err = m_err;
        auto finished = std::move(m_finished);
        m_finished = nullptr;
        finished(std::move(result));
    }
    return Poll::Ended;
}

void Stream::stop()
{
    m_output = nullptr;
    m_finished = nullptr;
    if (!m_channel)
        return;
    // OpenSSH delivers the signal to the command; closing the channel makes
    // its next write fail (EPIPE) in any case.
    ssh_channel_request_send_signal(m_channel.get(), "TERM");
    ssh_channel_close(m_channel.get());
    m_channel.reset();
    qCDebug(lcSsh) << "stream" << m_id << "stopped";
}

void Stream::fail(const Error &error)
{
    // The channel belongs to a session that may be gone: let libssh free it
    // with the session (ssh_free frees its channels).
    (void)m_channel.release();
    m_output = nullptr;
    if (m_finished) {
        auto finished = std::move(m_finished);
        m_finished = nullptr;
        finished(error);
    }
}

} // namespace vigil::ssh
