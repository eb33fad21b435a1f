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
#include <QTimer>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>

namespace vigil::ssh {

struct Session;

// One queued request: run() does the work and delivers the result; fail()
// delivers an error instead when the work cannot run.
struct Operation
{
    std::function<void(Session &)> run;
    std::function<void(const Error &)> fail;
};

class Worker : public QObject
{
    Q_OBJECT
public:
    explicit Worker(SshTarget target);
    ~Worker() override;

    void open();
    void close();
    void enqueue(Operation op);
    void answerHostKey(bool trust);
    void answerAuthPrompts(const QStringList &answers);
    void answerPassphrase(const QString &passphrase);

    // Any thread: makes a running exec give up at its next wait (close, destruction).
    void requestAbort() { m_abort.store(true); }

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

    SshTarget m_target;
    Transport::State m_state = Transport::State::Disconnected;
    std::unique_ptr<Connector> m_connector;             // while connecting
    Connector::Step m_asking = Connector::Step::Failed; // the open question, if any
    std::unique_ptr<Session> m_session;                 // while connected
    std::deque<Operation> m_queue;
    QTimer m_retryTimer;
    int m_backoffMs = 0; // wait before the next attempt, after a failed one
    QElapsedTimer m_lastFailure;
    bool m_runScheduled = false;
    std::atomic<bool> m_abort{false};
};

} // namespace vigil::ssh
