// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/transport.h"
#include "core/workerthread.h"
#include "sshtarget.h"

namespace vigil {

namespace ssh {
class Worker;
struct Counters;
} // namespace ssh

// A Transport over one SSH connection (libssh): commands run on exec channels
// and files move over one SFTP channel, all multiplexed on one session that
// lives on the transport's own thread. No call blocks the caller's thread.
//
// Host keys are checked like OpenSSH does: a changed key is refused; an
// unknown one is refused, added, or asked about (hostKeyUnknown() ->
// answerHostKey()) as SshTarget::hostKeyPolicy says. Authentication tries
// public keys (agent, identity files), then keyboard-interactive and password
// with prompts shown as the server sends them (authPromptsRequested() ->
// answerAuthPrompts()); an encrypted key asks for its passphrase
// (passphraseRequested() -> answerPassphrase()).
//
// Operations issued while connecting wait for the connection; if it fails
// they all get its error. After the connection dropped, the next operation
// reconnects; failed attempts are spaced 1 s, 2 s, 4 s ... up to 30 s apart.
class SshTransport : public Transport
{
    Q_OBJECT
public:
    explicit SshTransport(SshTarget target, QObject *parent = nullptr);
    ~SshTransport() override;

    const SshTarget &target() const { return m_target; }

    QString displayName() const override;
    State state() const override { return m_state; }
    QString homeDirectory() const override { return m_home; }

    void open() override;
    void close() override;

    void exec(const QStringList &argv, const QByteArray &standardInput, QObject *context,
              Callback<ExecResult> done) override;
    void readFile(const QString &path, qint64 offset, qint64 maxBytes, QObject *context,
                  Callback<FileChunk> done) override;
    void writeFileAtomic(const QString &path, const QByteArray &data, quint32 permissions,
                         QObject *context, Callback<void> done, WriteControl control = {}) override;
    void createExclusive(const QString &path, const QByteArray &data, quint32 permissions,
                         QObject *context, Callback<void> done) override;
    void listDirectory(const QString &path, QObject *context,
                       Callback<QList<FileEntry>> done) override;
    void makeDirectories(const QString &path, quint32 permissions, QObject *context,
                         Callback<void> done) override;
    StreamId startStream(const QStringList &argv, QObject *context,
                         std::function<void(const QByteArray &)> output,
                         Callback<ExecResult> finished) override;
    void stopStream(StreamId id) override;
    void reconnect(const QString &reason) override;
    TransportStats stats() const override;

public Q_SLOTS:
    // Answer to hostKeyUnknown(): true adds the key to known_hosts and goes on.
    void answerHostKey(bool trust);
    // Answer to authPromptsRequested(): one answer per prompt, in order; an
    // empty list cancels. Answers are never logged.
    void answerAuthPrompts(const QStringList &answers);
    // Answer to passphraseRequested(); an empty passphrase skips that key.
    void answerPassphrase(const QString &passphrase);

Q_SIGNALS:
    void hostKeyUnknown(const QString &host, const QString &sha256Fingerprint);
    void authPromptsRequested(const QString &name, const QString &instruction,
                              const QList<vigil::AuthPrompt> &prompts);
    void passphraseRequested(const QString &keyFile);

private:
    template <typename T, typename Work>
    void post(QObject *context, Callback<T> done, Work work, int kind);

    SshTarget m_target;
    State m_state = State::Disconnected;
    QString m_home;
    ssh::Worker *m_worker = nullptr; // lives on m_thread, deleted there when it ends
    ThreadPtr m_thread;
    std::shared_ptr<ssh::Counters> m_counters;
    StreamId m_nextStream = 1;
};

} // namespace vigil
