// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshworker.h"

#include "core/logging.h"
#include "sshsession.h"

namespace vigil::ssh {

namespace {
constexpr int kFirstBackoffMs = 1000;
constexpr int kMaxBackoffMs = 30000;
} // namespace

Worker::Worker(SshTarget target) : m_target(std::move(target)), m_retryTimer(this)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Worker::connectNow);
}

Worker::~Worker()
{
    m_connector.reset();
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
    if (!m_session->connected()) {
        dropSession(QStringLiteral("connection to %1 lost").arg(m_session->hostLabel));
        if (!m_queue.empty())
            startConnecting();
        return;
    }
    scheduleRun();
}

void Worker::dropSession(const QString &reason)
{
    qCInfo(lcSsh).noquote() << reason;
    m_session.reset();
    setState(Transport::State::Disconnected, reason);
}

} // namespace vigil::ssh
