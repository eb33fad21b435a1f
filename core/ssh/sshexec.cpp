// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshexec.h"

#include "core/logging.h"
#include "core/shellquote.h"
#include "sshsession.h"

#include <QElapsedTimer>

namespace vigil::ssh {

namespace {

constexpr int kChunk = 32 * 1024;

// How long one wait for output lasts before the abort flag is looked at again.
constexpr int kWaitSliceMs = 250;

// The session registered with an event loop of libssh for the time of one exec.
struct EventDeleter
{
    ssh_session session;
    void operator()(ssh_event event) const
    {
        ssh_event_remove_session(event, session);
        ssh_event_free(event);
    }
};
using EventPtr = std::unique_ptr<ssh_event_struct, EventDeleter>;

QString shortCommand(const QString &command)
{
    return command.size() <= 60 ? command : command.left(57) + QStringLiteral("...");
}

class ExecRun
{
public:
    ExecRun(Session &session, ssh_channel channel, const QString &command, qint64 maxOutput)
        : m_session(session), m_channel(channel), m_command(command), m_maxOutput(maxOutput),
          m_event(ssh_event_new(), EventDeleter{session.ssh.get()})
    {
        if (m_event)
            ssh_event_add_session(m_event.get(), session.ssh.get());
    }

    bool valid() const { return m_event != nullptr; }

    // Reads what is buffered on both streams without waiting.
    // Returns false on error (m_error set).
    bool drain()
    {
        char buf[kChunk];
        for (int stream = 0; stream < 2; ++stream) {
            QByteArray &sink = stream == 0 ? m_result.out : m_result.err;
            for (;;) {
                const int n = ssh_channel_read_nonblocking(m_channel, buf, sizeof buf, stream);
                if (n == SSH_ERROR) {
                    m_error = m_session.sshError(
                        QStringLiteral("reading output of `%1`").arg(shortCommand(m_command)));
                    return false;
                }
                if (n <= 0)
                    break;
                if (m_result.out.size() + m_result.err.size() + n > m_maxOutput) {
                    m_error = Error(QStringLiteral("output of `%1` exceeds %2 MiB")
                                        .arg(shortCommand(m_command))
                                        .arg(m_maxOutput >> 20),
                                    Error::Kind::TooLarge);
                    return false;
                }
                sink.append(buf, n);
            }
        }
        return true;
    }

    // Waits (at most one slice) for the next packet of the session: output,
    // EOF, a window adjustment. libssh handles it, the next drain() reads it.
    bool wait()
    {
        if (m_session.abort && m_session.abort->load()) {
            m_error = Error(QStringLiteral("`%1` cancelled").arg(shortCommand(m_command)),
                            Error::Kind::Cancelled);
            return false;
        }
        const int rc = ssh_event_dopoll(m_event.get(), kWaitSliceMs);
        if (rc == SSH_ERROR || !ssh_is_connected(m_session.ssh.get())) {
            m_error =
                m_session.sshError(QStringLiteral("waiting for `%1`").arg(shortCommand(m_command)));
            return false;
        }
        return true;
    }

    bool writeInput(const QByteArray &input)
    {
        qint64 written = 0;
        while (written < input.size()) {
            const qint64 window = ssh_channel_window_size(m_channel);
            const qint64 n = std::min<qint64>({input.size() - written, window, kChunk});
            if (n > 0) {
                const int rc = ssh_channel_write(m_channel, input.constData() + written,
                                                 static_cast<uint32_t>(n));
                if (rc == SSH_ERROR) {
                    m_error = m_session.sshError(
                        QStringLiteral("writing input of `%1`").arg(shortCommand(m_command)));
                    return false;
                }
                written += rc;
            }
            // Keep reading while writing: a command that answers before it has
            // read all its input must not fill our window and stall both sides.
            if (!drain())
                return false;
            if (ssh_channel_is_eof(m_channel))
                break; // the command stopped reading; the rest is not wanted
            if (n <= 0 && !wait())
                return false;
        }
        if (ssh_channel_send_eof(m_channel) == SSH_ERROR) {
            m_error = m_session.sshError(
                QStringLiteral("closing input of `%1`").arg(shortCommand(m_command)));
            return false;
        }
        return true;
    }

    bool collect()
    {
        for (;;) {
            if (!drain())
                return false;
            if (ssh_channel_is_eof(m_channel) || !ssh_channel_is_open(m_channel))
                break;
            if (!wait())
                return false;
        }
        if (!drain())
            return false;
        const int status = ssh_channel_get_exit_status(m_channel);
        if (status < 0) {
            if (!ssh_is_connected(m_session.ssh.get())) {
                m_error =
                    m_session.sshError(QStringLiteral("running `%1`").arg(shortCommand(m_command)));
                return false;
            }
            m_error = Error(QStringLiteral("`%1` ended without an exit status (killed by a "
                                           "signal?)")
                                .arg(shortCommand(m_command)));
            return false;
        }
        m_result.exitCode = status;
        return true;
    }

    ExecResult takeResult() { return std::move(m_result); }
    const Error &error() const { return m_error; }

private:
    Session &m_session;
    ssh_channel m_channel;
    QString m_command;
    qint64 m_maxOutput;
    EventPtr m_event;
    ExecResult m_result;
    Error m_error;
};

} // namespace

Result<ExecResult> runExec(Session &session, const QStringList &argv,
                           const QByteArray &standardInput, qint64 maxOutput)
{
    if (argv.isEmpty())
        return Error(QStringLiteral("cannot run an empty command"));
    const QString command = shellJoin(argv);
    QElapsedTimer timer;
    timer.start();

    ChannelPtr channel(ssh_channel_new(session.ssh.get()));
    if (!channel)
        return session.sshError(
            QStringLiteral("cannot open a channel on %1").arg(session.hostLabel));
    if (ssh_channel_open_session(channel.get()) != SSH_OK)
        return session.sshError(
            QStringLiteral("cannot open a channel on %1").arg(session.hostLabel));
    const QByteArray commandBytes = command.toUtf8();
    if (ssh_channel_request_exec(channel.get(), commandBytes.constData()) != SSH_OK)
        return session.sshError(QStringLiteral("cannot run `%1`").arg(shortCommand(command)));

    ExecRun run(session, channel.get(), command, maxOutput);
    if (!run.valid())
        return Error(QStringLiteral("cannot run `%1`: out of memory").arg(shortCommand(command)));
    if (!run.writeInput(standardInput) || !run.collect()) {
        ssh_channel_close(channel.get());
        return run.error();
    }
    ssh_channel_close(channel.get());
    ExecResult result = run.takeResult();
    qCDebug(lcSshTrace).noquote() << "exec" << command << "->" << result.exitCode << "out"
                                  << result.out.size() << "err" << result.err.size() << "in"
                                  << timer.elapsed() << "ms";
    return result;
}

} // namespace vigil::ssh
