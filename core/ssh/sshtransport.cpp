// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshtransport.h"

#include "core/logging.h"
#include "sftpops.h"
#include "sshexec.h"
#include "sshworker.h"
#include "workerthread.h"

#include <QMetaMethod>
#include <QPointer>

namespace vigil {

SshTransport::SshTransport(SshTarget target, QObject *parent)
    : Transport(parent), m_target(std::move(target)), m_thread(new QThread)
{
    m_thread->setObjectName(QStringLiteral("ssh:%1").arg(m_target.host));
    m_worker = new ssh::Worker(m_target);
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
    m_thread->start();
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
void SshTransport::post(QObject *context, Callback<T> done, Work work)
{
    // Made here, on the caller's thread; only read again there, by deliver().
    QPointer<QObject> guard(context);
    QObject *home = this;
    ssh::Operation op;
    op.run = [home, guard, done, work = std::move(work)](ssh::Session &session) {
        deliver<T>(home, guard, done, work(session));
    };
    op.fail = [home, guard, done](const Error &error) {
        deliver<T>(home, guard, done, Result<T>(error));
    };
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, op = std::move(op)]() mutable { w->enqueue(std::move(op)); },
        Qt::QueuedConnection);
}

void SshTransport::exec(const QStringList &argv, const QByteArray &standardInput, QObject *context,
                        Callback<ExecResult> done)
{
    post<ExecResult>(context, std::move(done), [argv, standardInput](ssh::Session &s) {
        return ssh::runExec(s, argv, standardInput);
    });
}

void SshTransport::readFile(const QString &path, qint64 offset, qint64 maxBytes, QObject *context,
                            Callback<FileChunk> done)
{
    post<FileChunk>(context, std::move(done), [path, offset, maxBytes](ssh::Session &s) {
        return ssh::readFile(s, path, offset, maxBytes);
    });
}

void SshTransport::writeFileAtomic(const QString &path, const QByteArray &data, quint32 permissions,
                                   QObject *context, Callback<void> done)
{
    post<void>(context, std::move(done), [path, data, permissions](ssh::Session &s) {
        return ssh::writeFileAtomic(s, path, data, permissions);
    });
}

void SshTransport::createExclusive(const QString &path, const QByteArray &data, quint32 permissions,
                                   QObject *context, Callback<void> done)
{
    post<void>(context, std::move(done), [path, data, permissions](ssh::Session &s) {
        return ssh::createExclusive(s, path, data, permissions);
    });
}

void SshTransport::listDirectory(const QString &path, QObject *context,
                                 Callback<QList<FileEntry>> done)
{
    post<QList<FileEntry>>(context, std::move(done),
                           [path](ssh::Session &s) { return ssh::listDirectory(s, path); });
}

void SshTransport::makeDirectories(const QString &path, quint32 permissions, QObject *context,
                                   Callback<void> done)
{
    post<void>(context, std::move(done), [path, permissions](ssh::Session &s) {
        return ssh::makeDirectories(s, path, permissions);
    });
}

} // namespace vigil
