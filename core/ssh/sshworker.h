// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The object that owns the libssh session, living on the transport's own
// thread. Everything here runs on that thread: SshTransport talks to it only
// through queued calls. Internal to core/ssh.

#include "core/transport.h"
#include "sshconnector.h"
#include "sshtarget.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSocketNotifier>
#include <QTimer>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace vigil::ssh {

struct Session;
class Stream;

// What the worker did, read by SshTransport::stats() from any thread.
struct Counters
{
    std::atomic<quint64> connects{0};
    std::atomic<quint64> execs{0};
    std::atomic<quint64> fileOps{0};
    std::atomic<quint64> streamsStarted{0};
    std::atomic<quint64> payloadIn{0};
    std::atomic<quint64> wireInClosed{0}; // of connections that have ended
    std::atomic<quint64> wireOutClosed{0};
    std::atomic<quint64> wireIn{0}; // of the current connection, as last sampled
    std::atomic<quint64> wireOut{0};
};

// One queued request: run() does the work and delivers the result; fail()
// delivers an error instead when the work cannot run.
struct Operation
{
    enum class Kind { Exec, File, Other };
    std::function<void(Session &)> run;
    std::function<void(const Error &)> fail;
    Kind kind = Kind::Other;
};

class Worker : public QObject
{
    Q_OBJECT
public:
    Worker(SshTarget target, std::shared_ptr<Counters> counters);
    ~Worker() override;

    void open();
    void close();
    void enqueue(Operation op);
    // Starts the stream once connected (or reports the connection error).
    void startStream(std::shared_ptr<Stream> stream);
    void stopStream(StreamId id);
    void reconnect(const QString &reason);
    void answerHostKey(bool trust);
    void answerAuthPrompts(const QStringList &answers);
    void answerPassphrase(const QString &passphrase);

    // Any thread: makes a running exec give up at its next wait (close, destruction).
    void requestAbort() { m_abort.store(true); }
    // Any thread: when nothing has been received on the connection for 20 s,
    // shuts its socket down, so that an operation blocked on a server that
    // stopped answering (SFTP and exec waits have no time limit) fails at
    // once as a lost connection. For a link found dead
    // (SshTransport::reconnect); a link still receiving is left alone.
    void interruptWire();

Q_SIGNALS:
    void stateChanged(vigil::Transport::State state, const QString &message, const QString &home);
    void hostKeyUnknown(const QString &host, const QString &sha256Fingerprint);
    void authPromptsRequested(const QString &name, const QString &instruction,
                              const QList<vigil::AuthPrompt> &prompts);
    void passphraseRequested(const QString &keyFile);

private:
    void startConnecting();
    void connectNow();
    void onStep(Connector::Step step);
    void scheduleRun();
    void runNext();
    void dropSession(const QString &reason);
    void failAll(const Error &error);
    void setState(Transport::State state, const QString &message);
    void pollStreams();
    void schedulePoll();
    void endStreams(const Error &error);
    void onSocketActivity();
    void sendKeepAlive();
    void sampleWire();
    void closeWire();

    SshTarget m_target;
    Transport::State m_state = Transport::State::Disconnected;
    std::unique_ptr<Connector> m_connector;             // while connecting
    Connector::Step m_asking = Connector::Step::Failed; // the open question, if any
    std::unique_ptr<Session> m_session;                 // while connected
    std::deque<Operation> m_queue;
    std::vector<std::shared_ptr<Stream>> m_streams;
    std::unique_ptr<QSocketNotifier> m_notifier; // the session's socket, while connected
    QTimer m_keepAlive;
    QTimer m_streamPoll; // a safety net: output libssh buffered during an operation
    std::shared_ptr<Counters> m_counters;
    bool m_pollScheduled = false;
    QTimer m_retryTimer;
    int m_backoffMs = 0; // wait before the next attempt, after a failed one
    QElapsedTimer m_lastFailure;
    bool m_runScheduled = false;
    std::atomic<bool> m_abort{false};
    // A duplicate of the session's socket while connected, for
    // interruptWire(): it stays this socket whatever libssh closes.
    void setWireFd(int fd);
    std::mutex m_wireMutex;
    int m_wireFd = -1;
};

} // namespace vigil::ssh
