// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshjump.h"

#include "core/logging.h"
#include "core/workerthread.h"
#include "sshconnector.h"
#include "sshsession.h"

#include <QElapsedTimer>
#include <QThread>
#include <cerrno>
#include <cstring>
#include <libssh/server.h> // ssh_send_keepalive(), which serves clients too
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace vigil::ssh {

namespace {

constexpr size_t kChunk = 64 * 1024;
constexpr qsizetype kMaxBuffered = 1024 * 1024; // per direction, then back-pressure
constexpr int kKeepAliveMs = 30000;             // of a quiet tunnel, to the jump host

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// The socket's identity, to tell later whether a descriptor number still
// refers to it.
ino_t inodeOf(int fd)
{
    struct stat st = {};
    return ::fstat(fd, &st) == 0 ? st.st_ino : 0;
}

} // namespace

class Tunnel
{
public:
    Tunnel(std::unique_ptr<Session> jump, ChannelPtr channel, QString targetLabel, int ownFd,
           int targetFd, int wakeFd)
        : m_jump(std::move(jump)), m_channel(std::move(channel)), m_jumpLabel(m_jump->hostLabel),
          m_targetLabel(std::move(targetLabel)), m_fd(ownFd), m_targetFd(targetFd),
          m_targetInode(inodeOf(targetFd)), m_wake(wakeFd)
    {}

    ~Tunnel()
    {
        if (m_thread) {
            const quint64 one = 1;
            if (::write(m_wake, &one, sizeof one) < 0)
                qCWarning(lcSsh) << "cannot wake the tunnel thread:" << errnoText(errno);
            m_thread.reset(); // joins
        }
        // If libssh never took the target's end (ssh_connect() was not
        // reached), it is still ours: the same number and the same socket.
        // Once libssh closed it, the number is free or belongs to another file.
        if (m_targetFd >= 0 && m_targetInode != 0 && inodeOf(m_targetFd) == m_targetInode)
            ::close(m_targetFd);
        ::close(m_fd);
        ::close(m_wake);
        // Only when the pump never ran: it frees them itself.
        m_channel.reset();
        m_jump.reset();
    }

    Q_DISABLE_COPY_MOVE(Tunnel)

    void start()
    {
        m_thread.reset(QThread::create([this] { pump(); }));
        m_thread->setObjectName(QString::fromLatin1(kTunnelThreadName)); // the OS thread name
        startThread(m_thread.get());
    }

    int targetFd() const { return m_targetFd; }

    QString failure() const
    {
        const std::lock_guard lock(m_mutex);
        return m_failure;
    }

private:
    void fail(const QString &why)
    {
        {
            const std::lock_guard lock(m_mutex);
            if (!m_failure.isEmpty())
                return;
            m_failure = why;
        }
        qCInfo(lcSsh).noquote() << why;
    }

    void pump();

    std::unique_ptr<Session> m_jump;
    ChannelPtr m_channel;
    const QString m_jumpLabel;
    const QString m_targetLabel;
    const int m_fd;       // our end of the socket pair
    const int m_targetFd; // the target session's end
    const ino_t m_targetInode;
    const int m_wake; // eventfd: the owner asks the pump to stop
    ThreadPtr m_thread;
    // std::mutex rather than QMutex: ThreadSanitizer sees all of its hand-overs.
    mutable std::mutex m_mutex;
    QString m_failure;
};

// Moves bytes both ways until the target closes its end, the jump side
// ends, or the owner asks to stop; then closes the channel and the jump
// session on this thread.
void Tunnel::pump()
{
    routeLibsshLogs(nullptr); // libssh's log callback is per thread
    ssh_session js = m_jump->ssh.get();
    ssh_channel ch = m_channel.get();
    ssh_set_blocking(js, 0);
    std::vector<char> buffer(kChunk);
    QByteArray toChannel; // from the target, not yet taken by the channel
    QByteArray toSocket;  // from the channel, not yet taken by the target
    bool targetEnded = false;
    bool channelEnded = false;
    bool stopping = false;
    QElapsedTimer quiet;
    quiet.start();
    const auto lost = [&] {
        fail(QStringLiteral("connection to jump host %1 lost (%2)")
                 .arg(m_jumpLabel, QString::fromUtf8(ssh_get_error(js))));
    };

    for (;;) {
        bool moved = false;
        // First what libssh could not send yet (the socket was full): then
        // SSH_AGAIN. It may read packets too: the steps below take their data.
        // (ssh_get_poll_flags() is no guide: it reports libssh's own poll
        // interests, and its POLLOUT stays set after the buffer was sent.)
        const int flushed = ssh_blocking_flush(js, 0);
        if (flushed == SSH_ERROR) {
            lost();
            break;
        }
        // The target's bytes into the channel.
        while (!targetEnded && toChannel.size() < kMaxBuffered) {
            const ssize_t n = ::recv(m_fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
            if (n > 0) {
                toChannel.append(buffer.data(), qsizetype(n));
                moved = true;
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else {
                if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
                    targetEnded = true; // closed (or gone)
                break;
            }
        }
        if (!ssh_channel_is_open(ch))
            toChannel.clear(); // closed by the far side: nothing more goes there
        if (!toChannel.isEmpty()) {
            // Non-blocking: takes what the channel's window allows now.
            const int n = ssh_channel_write(ch, toChannel.constData(), uint32_t(toChannel.size()));
            if (n == SSH_ERROR) {
                lost();
                break;
            }
            if (n > 0) {
                toChannel.remove(0, n);
                moved = true;
            }
        }
        // The channel's bytes to the target. Reading also processes the
        // session's packets (window adjustments, end of file, keep-alive replies).
        while (!channelEnded && toSocket.size() < kMaxBuffered) {
            const int n =
                ssh_channel_read_nonblocking(ch, buffer.data(), uint32_t(buffer.size()), 0);
            if (n > 0) {
                toSocket.append(buffer.data(), n);
                moved = true;
                continue;
            }
            // The session first: a channel of a dead session is "not open" too.
            if ((n < 0 && n != SSH_EOF) || !ssh_is_connected(js)) {
                channelEnded = true;
                lost();
            } else if (n == SSH_EOF || ssh_channel_is_eof(ch) || !ssh_channel_is_open(ch)) {
                channelEnded = true;
            }
            break;
        }
        while (!toSocket.isEmpty()) {
            const ssize_t n = ::send(m_fd, toSocket.constData(), size_t(toSocket.size()),
                                     MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n > 0) {
                toSocket.remove(0, qsizetype(n));
                moved = true;
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else {
                if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                    targetEnded = true; // the target's end is gone
                    toSocket.clear();
                }
                break;
            }
        }

        if (targetEnded && toChannel.isEmpty())
            break; // the target closed: done
        if (channelEnded && toSocket.isEmpty()) {
            if (!targetEnded)
                fail(QStringLiteral("jump host %1 reports that the connection to %2 ended")
                         .arg(m_jumpLabel, m_targetLabel));
            break;
        }
        if (stopping)
            break; // one last pass after the stop request, done
        if (moved) {
            quiet.restart();
            continue;
        }
        // The reading above may have opened the channel's window.
        if (!toChannel.isEmpty() && ssh_channel_window_size(ch) > 0)
            continue;
        if (quiet.elapsed() >= kKeepAliveMs) {
            if (ssh_send_keepalive(js) != SSH_OK) {
                lost();
                break;
            }
            quiet.restart();
            continue; // flushed at the top
        }

        const socket_t jumpFd = ssh_get_fd(js);
        if (jumpFd == SSH_INVALID_SOCKET) {
            lost();
            break;
        }
        pollfd fds[3] = {};
        fds[0] = {m_wake, POLLIN, 0};
        fds[1].fd = m_fd;
        if (!targetEnded && toChannel.size() < kMaxBuffered)
            fds[1].events |= POLLIN;
        if (!toSocket.isEmpty())
            fds[1].events |= POLLOUT;
        fds[2] = {jumpFd, short(POLLIN | (flushed == SSH_AGAIN ? POLLOUT : 0)), 0};
        const int timeout = int(kKeepAliveMs - std::min<qint64>(quiet.elapsed(), kKeepAliveMs));
        // ACK the jump host's segments at once. Without it, delayed ACKs
        // here and Nagle in sshd (which does not set TCP_NODELAY for a
        // forwarding-only connection) hold every small reply for about 40 ms:
        // libssh's SFTP waits for each reply, so 8 MB took 3.5 s instead of
        // 80 ms. Quick-ACK mode does not stick: armed before every wait.
        const int one = 1;
        ::setsockopt(jumpFd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
        if (::poll(fds, 3, timeout) < 0 && errno != EINTR) {
            fail(QStringLiteral("tunnel through jump host %1: poll failed: %2")
                     .arg(m_jumpLabel, errnoText(errno)));
            break;
        }
        if (fds[0].revents & POLLIN)
            stopping = true;
    }

    // The target sees end-of-file now, whatever the reason.
    ::shutdown(m_fd, SHUT_RDWR);
    if (ssh_channel_is_open(ch)) {
        if (!ssh_channel_is_eof(ch))
            ssh_channel_send_eof(ch);
        ssh_channel_close(ch);
    }
    m_channel.reset();
    m_jump.reset(); // disconnects
    qCDebug(lcSshTrace).noquote() << "tunnel to" << m_targetLabel << "through" << m_jumpLabel
                                  << "closed";
}

void TunnelDeleter::operator()(Tunnel *tunnel) const
{
    delete tunnel;
}

int tunnelTargetFd(const Tunnel &tunnel)
{
    return tunnel.targetFd();
}

QString tunnelFailure(const Tunnel &tunnel)
{
    return tunnel.failure();
}

Result<TunnelPtr> openTunnel(std::unique_ptr<Session> jump, const QString &targetHost,
                             int targetPort, const QString &targetLabel)
{
    ssh_session js = jump->ssh.get();
    const QString jumpLabel = jump->hostLabel;
    ChannelPtr channel(ssh_channel_new(js));
    if (!channel)
        return jump->sshError(
            QStringLiteral("cannot open a channel on jump host %1").arg(jumpLabel));
    const QByteArray host = targetHost.toUtf8();
    if (ssh_channel_open_forward(channel.get(), host.constData(), targetPort, "127.0.0.1", 0) !=
        SSH_OK)
        return Error(QStringLiteral("jump host %1 refused to open a tunnel to %2 port %3: %4")
                         .arg(jumpLabel, targetHost)
                         .arg(targetPort)
                         .arg(QString::fromUtf8(ssh_get_error(js))),
                     Error::Kind::Network);
    int fds[2] = {-1, -1};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return Error(QStringLiteral("cannot create a socket pair for the tunnel through %1: %2")
                         .arg(jumpLabel, errnoText(errno)));
    const int wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake < 0) {
        const int error = errno;
        ::close(fds[0]);
        ::close(fds[1]);
        return Error(QStringLiteral("cannot create an eventfd for the tunnel through %1: %2")
                         .arg(jumpLabel, errnoText(error)));
    }
    TunnelPtr tunnel(
        new Tunnel(std::move(jump), std::move(channel), targetLabel, fds[0], fds[1], wake));
    tunnel->start();
    qCInfo(lcSsh).noquote() << "tunnel to" << targetLabel << "through jump host" << jumpLabel
                            << "open";
    return tunnel;
}

} // namespace vigil::ssh
