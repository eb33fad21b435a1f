// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshworker.h"

#include "core/logging.h"
#include "sshsession.h"
#include "sshstream.h"

#include <fcntl.h>
#include <libssh/server.h> // ssh_send_keepalive(), which serves clients too
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vigil::ssh {

namespace {
constexpr int kFirstBackoffMs = 1000;
constexpr quint32 kSilentWireMs = 20000; // interruptWire(): a link this quiet is dead
constexpr int kMaxBackoffMs = 12000; // a site that comes back is seen within about 25 s (issue 9)
// An idle session sends keepalive@openssh.com this often: NAT boxes and
// firewalls keep the connection, and a dead one shows up at the next poll.
constexpr int kKeepAliveMs = 30000;
// Output of a stream that libssh took off the socket during another
// operation is not announced by the socket: look for it this often.
constexpr int kStreamPollMs = 500;
} // namespace

Worker::Worker(SshTarget target, std::shared_ptr<Counters> counters)
    : m_target(std::move(target)), m_keepAlive(this), m_streamPoll(this),
      m_counters(std::move(counters)), m_retryTimer(this)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Worker::connectNow);
    m_keepAlive.setInterval(kKeepAliveMs);
    connect(&m_keepAlive, &QTimer::timeout, this, &Worker::sendKeepAlive);
    m_streamPoll.setInterval(kStreamPollMs);
    connect(&m_streamPoll, &QTimer::timeout, this, &Worker::pollStreams);
}

Worker::~Worker()
{
    m_connector.reset();
    endStreams(Error(QStringLiteral("connection to %1 closed").arg(m_target.host),
                     Error::Kind::Cancelled));
    m_notifier.reset();
    setWireFd(-1);
    m_session.reset();
    failAll(Error(QStringLiteral("connection to %1 closed").arg(m_target.host),
                  Error::Kind::Cancelled));
}

void Worker::setState(Transport::State state, const QString &message)
{
    m_state = state;
    Q_EMIT stateChanged(state, message, m_session ? m_session->home : QString());
}

void Worker::failAll(const Error &error)
{
    std::deque<Operation> queue;
    queue.swap(m_queue);
    for (const Operation &op : queue)
        op.fail(error);
}

void Worker::open()
{
    if (m_session || m_connector)
        return;
    connectNow(); // an explicit request does not wait for the back-off
}

void Worker::close()
{
    m_retryTimer.stop();
    m_connector.reset();
    endStreams(Error(QStringLiteral("connection to %1 closed").arg(m_target.host),
                     Error::Kind::Cancelled));
    if (m_session)
        closeWire();
    m_notifier.reset();
    m_keepAlive.stop();
    setWireFd(-1);
    m_session.reset();
    m_backoffMs = 0;
    m_lastFailure.invalidate();
    failAll(Error(QStringLiteral("connection to %1 closed").arg(m_target.host),
                  Error::Kind::Cancelled));
    m_abort.store(false);
    if (m_state != Transport::State::Disconnected)
        setState(Transport::State::Disconnected, QStringLiteral("closed"));
}

void Worker::enqueue(Operation op)
{
    m_queue.push_back(std::move(op));
    if (m_session)
        scheduleRun();
    else
        startConnecting();
}

void Worker::startConnecting()
{
    if (m_connector || m_retryTimer.isActive())
        return;
    if (m_backoffMs > 0 && m_lastFailure.isValid()) {
        const qint64 remaining = m_backoffMs - m_lastFailure.elapsed();
        if (remaining > 0) {
            qCInfo(lcSsh).noquote()
                << "reconnecting to" << m_target.host << "in" << remaining << "ms";
            m_retryTimer.start(static_cast<int>(remaining));
            return;
        }
    }
    // Not right away: requests already posted to this thread join the queue
    // first, so that they all share this attempt (ssh_connect blocks the thread).
    m_retryTimer.start(0);
}

void Worker::connectNow()
{
    m_retryTimer.stop();
    if (m_session || m_connector)
        return;
    setState(Transport::State::Connecting, QStringLiteral("connecting to %1").arg(m_target.host));
    m_connector = std::make_unique<Connector>(m_target);
    onStep(m_connector->start());
}

void Worker::onStep(Connector::Step step)
{
    m_asking = step;
    switch (step) {
    case Connector::Step::Connected:
        m_session = m_connector->takeSession();
        m_session->abort = &m_abort;
        m_connector.reset();
        m_backoffMs = 0;
        m_lastFailure.invalidate();
        ++m_counters->connects;
        if (const socket_t fd = ssh_get_fd(m_session->ssh.get()); fd != SSH_INVALID_SOCKET) {
            setWireFd(fd);
            m_notifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
            connect(m_notifier.get(), &QSocketNotifier::activated, this, &Worker::onSocketActivity);
        }
        m_keepAlive.start();
        sampleWire();
        setState(Transport::State::Connected,
                 QStringLiteral("connected to %1").arg(m_session->hostLabel));
        scheduleRun();
        return;
    case Connector::Step::Failed: {
        const Error error = m_connector->error();
        m_connector.reset();
        m_backoffMs = m_backoffMs > 0 ? std::min(2 * m_backoffMs, kMaxBackoffMs) : kFirstBackoffMs;
        m_lastFailure.start();
        qCInfo(lcSsh).noquote() << error.message;
        setState(Transport::State::Failed, error.message);
        failAll(error);
        endStreams(error);
        return;
    }
    case Connector::Step::AskHostKey:
        Q_EMIT hostKeyUnknown(m_connector->hostLabel(), m_connector->fingerprint());
        return;
    case Connector::Step::AskPrompts: {
        const Authenticator::Prompts &p = m_connector->prompts();
        Q_EMIT authPromptsRequested(p.name, p.instruction, p.prompts);
        return;
    }
    case Connector::Step::AskPassphrase:
        Q_EMIT passphraseRequested(m_connector->passphraseKeyFile());
        return;
    }
}

void Worker::answerHostKey(bool trust)
{
    if (m_connector && m_asking == Connector::Step::AskHostKey)
        onStep(m_connector->answerHostKey(trust));
    else
        qCInfo(lcSsh) << "ignoring an answer to a question that is not open";
}

void Worker::answerAuthPrompts(const QStringList &answers)
{
    if (m_connector && m_asking == Connector::Step::AskPrompts)
        onStep(m_connector->answerPrompts(answers));
    else
        qCInfo(lcSsh) << "ignoring an answer to a question that is not open";
}

void Worker::answerPassphrase(const QString &passphrase)
{
    if (m_connector && m_asking == Connector::Step::AskPassphrase)
        onStep(m_connector->answerPassphrase(passphrase));
    else
        qCInfo(lcSsh) << "ignoring an answer to a question that is not open";
}

// One operation per event-loop turn, so that close() and answers get in between.
void Worker::scheduleRun()
{
    if (m_runScheduled || m_queue.empty())
        return;
    m_runScheduled = true;
    QMetaObject::invokeMethod(this, &Worker::runNext, Qt::QueuedConnection);
}

void Worker::runNext()
{
    m_runScheduled = false;
    if (!m_session || m_queue.empty())
        return;
    if (!m_session->probeAlive()) {
        // Nothing of the operation has run yet: reconnect, then run it.
        dropSession(QStringLiteral("connection to %1 lost").arg(m_session->hostLabel));
        startConnecting();
        return;
    }
    Operation op = std::move(m_queue.front());
    m_queue.pop_front();
    op.run(*m_session);
    if (op.kind == Operation::Kind::Exec)
        ++m_counters->execs;
    else if (op.kind == Operation::Kind::File)
        ++m_counters->fileOps;
    sampleWire();
    if (!m_session->connected()) {
        dropSession(QStringLiteral("connection to %1 lost").arg(m_session->hostLabel));
        if (!m_queue.empty())
            startConnecting();
        return;
    }
    schedulePoll();
    scheduleRun();
}

void Worker::dropSession(const QString &reason)
{
    qCInfo(lcSsh).noquote() << reason;
    // Streams first: their channels belong to the session.
    endStreams(Error(reason, Error::Kind::Network));
    closeWire();
    m_notifier.reset();
    m_keepAlive.stop();
    setWireFd(-1);
    m_session.reset();
    setState(Transport::State::Disconnected, reason);
}

void Worker::startStream(std::shared_ptr<Stream> stream)
{
    m_streams.push_back(stream);
    Operation op;
    op.run = [this, stream](Session &session) {
        // Stopped while it waited for its turn?
        if (std::find(m_streams.begin(), m_streams.end(), stream) == m_streams.end())
            return;
        if (stream->start(session)) {
            ++m_counters->streamsStarted;
            m_streamPoll.start();
        } else {
            std::erase(m_streams, stream);
        }
    };
    op.fail = [this, stream](const Error &error) {
        if (std::find(m_streams.begin(), m_streams.end(), stream) == m_streams.end())
            return;
        std::erase(m_streams, stream);
        stream->fail(error);
    };
    enqueue(std::move(op));
}

void Worker::stopStream(StreamId id)
{
    for (auto it = m_streams.begin(); it != m_streams.end(); ++it) {
        if ((*it)->id() == id) {
            const std::shared_ptr<Stream> stream = *it;
            m_streams.erase(it);
            stream->stop();
            break;
        }
    }
    if (m_streams.empty())
        m_streamPoll.stop();
}

void Worker::reconnect(const QString &reason)
{
    if (m_session)
        dropSession(reason);
    startConnecting();
}

void Worker::endStreams(const Error &error)
{
    std::vector<std::shared_ptr<Stream>> streams;
    streams.swap(m_streams);
    m_streamPoll.stop();
    for (const std::shared_ptr<Stream> &s : streams)
        s->fail(error);
}

void Worker::schedulePoll()
{
    if (m_pollScheduled || m_streams.empty())
        return;
    m_pollScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_pollScheduled = false;
            pollStreams();
        },
        Qt::QueuedConnection);
}

void Worker::pollStreams()
{
    if (!m_session || m_streams.empty())
        return;
    quint64 payload = 0;
    bool more = false;
    bool lost = false;
    // A copy: a stream's callbacks only queue work, but erase as we go.
    const std::vector<std::shared_ptr<Stream>> streams = m_streams;
    for (const std::shared_ptr<Stream> &s : streams) {
        if (!s->started())
            continue;
        switch (s->poll(*m_session, &payload)) {
        case Stream::Poll::Open:
            break;
        case Stream::Poll::More:
            more = true;
            break;
        case Stream::Poll::Ended:
            std::erase(m_streams, s);
            break;
        case Stream::Poll::ConnectionLost:
            lost = true;
            break;
        }
        if (lost)
            break;
    }
    m_counters->payloadIn += payload;
    if (lost) {
        dropSession(QStringLiteral("connection to %1 lost").arg(m_session->hostLabel));
        if (!m_queue.empty())
            startConnecting();
        return;
    }
    if (m_streams.empty())
        m_streamPoll.stop();
    if (more)
        schedulePoll();
}

void Worker::onSocketActivity()
{
    if (!m_session || m_runScheduled)
        return; // the next operation reads the socket anyway
    // Reads what arrived (stream output, a keep-alive reply, a disconnect).
    if (!m_session->probeAlive()) {
        dropSession(QStringLiteral("connection to %1 lost").arg(m_session->hostLabel));
        if (!m_queue.empty())
            startConnecting();
        return;
    }
    pollStreams();
    sampleWire(); // stream bytes count as they arrive, not at the next operation
}

void Worker::sendKeepAlive()
{
    if (!m_session || !m_queue.empty())
        return;
    if (ssh_send_keepalive(m_session->ssh.get()) != SSH_OK || !m_session->connected()) {
        dropSession(
            QStringLiteral("connection to %1 lost (keep-alive failed)").arg(m_session->hostLabel));
        return;
    }
    qCDebug(lcSshTrace) << "keep-alive sent to" << m_session->hostLabel;
}

void Worker::setWireFd(int fd)
{
    // A duplicate of our own: libssh may close its descriptor (a server's
    // disconnect message) and the number be reused; ours stays this socket.
    const int mine = fd >= 0 ? ::fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    const std::lock_guard<std::mutex> lock(m_wireMutex);
    if (m_wireFd >= 0)
        ::close(m_wireFd);
    m_wireFd = mine;
}

void Worker::interruptWire()
{
    const std::lock_guard<std::mutex> lock(m_wireMutex);
    if (m_wireFd < 0)
        return;
    // Only a link that has been silent: a long upload or read that still
    // receives data (acknowledgements, window adjustments) is left alone,
    // and the reconnection waits for it as before. A tunnel through a jump
    // host (a socket pair, no TCP_INFO) is left alone too.
    tcp_info info{};
    socklen_t size = sizeof info;
    if (::getsockopt(m_wireFd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0)
        return;
    if (info.tcpi_last_data_recv < kSilentWireMs)
        return;
    qCInfo(lcSsh).noquote() << "nothing received for" << info.tcpi_last_data_recv
                            << "ms: shutting the connection down";
    ::shutdown(m_wireFd, SHUT_RDWR);
}

// The connection's own byte counters (SSH framing and encryption included).
// Not available through a ProxyJump tunnel (a socket pair): they stay 0 there.
void Worker::sampleWire()
{
    if (!m_session)
        return;
    const socket_t fd = ssh_get_fd(m_session->ssh.get());
    struct tcp_info info = {};
    socklen_t length = sizeof info;
    if (fd == SSH_INVALID_SOCKET || ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0)
        return;
    m_counters->wireIn = info.tcpi_bytes_received;
    m_counters->wireOut = info.tcpi_bytes_acked;
}

void Worker::closeWire()
{
    sampleWire();
    m_counters->wireInClosed += m_counters->wireIn.exchange(0);
    m_counters->wireOutClosed += m_counters->wireOut.exchange(0);
}

} // namespace vigil::ssh
