// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshtransport.h"

#include "core/logging.h"
#include "core/workerthread.h"
#include "sftpops.h"
#include "sshexec.h"
#include "sshstream.h"
#include "sshworker.h"

#include <QMetaMethod>
#include <QPointer>
#include <QThread>

namespace vigil {

namespace {
constexpr int kFile = int(ssh::Operation::Kind::File);
} // namespace

SshTransport::SshTransport(SshTarget target, QObject *parent)
    : Transport(parent), m_target(std::move(target)),
      m_thread(newThread(QStringLiteral("ssh:%1").arg(m_target.host))),
      m_counters(std::make_shared<ssh::Counters>())
{
    m_worker = new ssh::Worker(m_target, m_counters);
    m_worker->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);

    connect(m_worker, &ssh::Worker::stateChanged, this,
            [this](State state, const QString &message, const QString &home) {
                m_state = state;
                if (state == State::Connected)
                    m_home = home;
                Q_EMIT stateChanged(state, message);
            });
    // Questions for the user. With nobody connected to ask, the answer is
    // "no" at once: refuse the key, cancel the prompts, skip the key file.
    connect(m_worker, &ssh::Worker::hostKeyUnknown, this,
            [this](const QString &host, const QString &fingerprint) {
                if (isSignalConnected(QMetaMethod::fromSignal(&SshTransport::hostKeyUnknown)))
                    Q_EMIT hostKeyUnknown(host, fingerprint);
                else
                    answerHostKey(false);
            });
    connect(
        m_worker, &ssh::Worker::authPromptsRequested, this,
        [this](const QString &name, const QString &instruction, const QList<AuthPrompt> &prompts) {
            if (isSignalConnected(QMetaMethod::fromSignal(&SshTransport::authPromptsRequested)))
                Q_EMIT authPromptsRequested(name, instruction, prompts);
            else
                answerAuthPrompts({});
        });
    connect(m_worker, &ssh::Worker::passphraseRequested, this, [this](const QString &keyFile) {
        if (isSignalConnected(QMetaMethod::fromSignal(&SshTransport::passphraseRequested)))
            Q_EMIT passphraseRequested(keyFile);
        else
            answerPassphrase({});
    });
    startThread(m_thread.get());
}

SshTransport::~SshTransport()
{
    // A running exec gives up at its next wait; the thread then ends, and the
    // worker, its session and its queue (failed as Cancelled) go with it.
    m_worker->requestAbort();
    m_thread.reset();
}

QString SshTransport::displayName() const
{
    return m_target.user.isEmpty() ? m_target.host
                                   : m_target.user + QLatin1Char('@') + m_target.host;
}

void SshTransport::open()
{
    QMetaObject::invokeMethod(m_worker, &ssh::Worker::open, Qt::QueuedConnection);
}

void SshTransport::close()
{
    m_worker->requestAbort();
    QMetaObject::invokeMethod(m_worker, &ssh::Worker::close, Qt::QueuedConnection);
}

void SshTransport::answerHostKey(bool trust)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, trust] { w->answerHostKey(trust); }, Qt::QueuedConnection);
}

void SshTransport::answerAuthPrompts(const QStringList &answers)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, answers] { w->answerAuthPrompts(answers); }, Qt::QueuedConnection);
}

void SshTransport::answerPassphrase(const QString &passphrase)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, passphrase] { w->answerPassphrase(passphrase); },
        Qt::QueuedConnection);
}

template <typename T, typename Work>
void SshTransport::post(QObject *context, Callback<T> done, Work work, int kind)
{
    // Made here, on the caller's thread; only read again there, by deliver().
    QPointer<QObject> guard(context);
    QObject *home = this;
    ssh::Operation op;
    op.run = [home, guard, done, work = std::move(work),
              counters = m_counters](ssh::Session &session) {
        Result<T> result = work(session);
        if constexpr (std::is_same_v<T, ExecResult>) {
            if (result)
                counters->payloadIn += quint64(result->out.size() + result->err.size());
        } else if constexpr (std::is_same_v<T, FileChunk>) {
            if (result)
                counters->payloadIn += quint64(result->data.size());
        }
        deliver<T>(home, guard, done, std::move(result));
    };
    op.fail = [home, guard, done](const Error &error) {
        deliver<T>(home, guard, done, Result<T>(error));
    };
    op.kind = static_cast<ssh::Operation::Kind>(kind);
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, op = std::move(op)]() mutable { w->enqueue(std::move(op)); },
        Qt::QueuedConnection);
}

void SshTransport::exec(const QStringList &argv, const QByteArray &standardInput, QObject *context,
                        Callback<ExecResult> done)
{
    post<ExecResult>(
        context, std::move(done),
        [argv, standardInput](ssh::Session &s) { return ssh::runExec(s, argv, standardInput); },
        int(ssh::Operation::Kind::Exec));
}

void SshTransport::readFile(const QString &path, qint64 offset, qint64 maxBytes, QObject *context,
                            Callback<FileChunk> done)
{
    post<FileChunk>(
        context, std::move(done),
        [path, offset, maxBytes](ssh::Session &s) {
            return ssh::readFile(s, path, offset, maxBytes);
        },
        kFile);
}

void SshTransport::writeFileAtomic(const QString &path, const QByteArray &data, quint32 permissions,
                                   QObject *context, Callback<void> done, WriteControl control)
{
    // The worker reports on its own thread; the caller hears it on this one,
    // queued before the result, so never after it.
    WriteControl onWorker;
    onWorker.cancel = std::move(control.cancel);
    if (control.progress) {
        onWorker.progress = [home = static_cast<QObject *>(this),
                             guard = QPointer<QObject>(context),
                             progress = std::move(control.progress)](qint64 bytes, qint64 total) {
            QMetaObject::invokeMethod(
                home,
                [guard, progress, bytes, total] {
                    if (guard)
                        progress(bytes, total);
                },
                Qt::QueuedConnection);
        };
    }
    post<void>(
        context, std::move(done),
        [path, data, permissions, onWorker = std::move(onWorker)](ssh::Session &s) {
            return ssh::writeFileAtomic(s, path, data, permissions, onWorker);
        },
        kFile);
}

void SshTransport::createExclusive(const QString &path, const QByteArray &data, quint32 permissions,
                                   QObject *context, Callback<void> done)
{
    post<void>(
        context, std::move(done),
        [path, data, permissions](ssh::Session &s) {
            return ssh::createExclusive(s, path, data, permissions);
        },
        kFile);
}

void SshTransport::listDirectory(const QString &path, QObject *context,
                                 Callback<QList<FileEntry>> done)
{
    post<QList<FileEntry>>(
        context, std::move(done), [path](ssh::Session &s) { return ssh::listDirectory(s, path); },
        kFile);
}

void SshTransport::makeDirectories(const QString &path, quint32 permissions, QObject *context,
                                   Callback<void> done)
{
    post<void>(
        context, std::move(done),
        [path, permissions](ssh::Session &s) { return ssh::makeDirectories(s, path, permissions); },
        kFile);
}

StreamId SshTransport::startStream(const QStringList &argv, QObject *context,
                                   std::function<void(const QByteArray &)> output,
                                   Callback<ExecResult> finished)
{
    const StreamId id = m_nextStream++;
    QPointer<QObject> guard(context); // made here, read only on this thread
    QObject *home = this;
    // The stream calls these on the worker thread; they queue the data here.
    auto onOutput = [home, guard, output = std::move(output)](const QByteArray &chunk) {
        if (!output)
            return;
        QMetaObject::invokeMethod(
            home,
            [guard, output, chunk] {
                if (guard)
                    output(chunk);
            },
            Qt::QueuedConnection);
    };
    auto onFinished = [home, guard, finished = std::move(finished)](Result<ExecResult> result) {
        deliver<ExecResult>(home, guard, finished, std::move(result));
    };
    auto stream =
        std::make_shared<ssh::Stream>(id, argv, std::move(onOutput), std::move(onFinished));
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, stream = std::move(stream)] { w->startStream(stream); },
        Qt::QueuedConnection);
    return id;
}

void SshTransport::stopStream(StreamId id)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, id] { w->stopStream(id); }, Qt::QueuedConnection);
}

void SshTransport::reconnect(const QString &reason)
{
    // The link is taken for dead: an operation blocked on it (a frozen
    // server never answers) fails now instead of holding up the reconnection.
    m_worker->interruptWire();
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, reason] { w->reconnect(reason); }, Qt::QueuedConnection);
}

TransportStats SshTransport::stats() const
{
    TransportStats s;
    const ssh::Counters &c = *m_counters;
    s.connects = c.connects;
    s.execs = c.execs;
    s.fileOps = c.fileOps;
    s.streamsStarted = c.streamsStarted;
    s.payloadIn = c.payloadIn;
    s.wireIn = c.wireInClosed + c.wireIn;
    s.wireOut = c.wireOutClosed + c.wireOut;
    return s;
}

} // namespace vigil
