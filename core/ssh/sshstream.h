// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A long-running remote command on its own channel of the session, read
// without blocking whenever the worker has nothing else to do. Internal to
// core/ssh; used only on the transport's worker thread.

#include "core/transport.h"
#include "libsshhandles.h"

#include <functional>

namespace vigil::ssh {

struct Session;

class Stream
{
public:
    // Both are called on the worker thread; they hand the data on themselves.
    using Output = std::function<void(const QByteArray &)>;
    using Finished = std::function<void(Result<ExecResult>)>;

    Stream(StreamId id, QStringList argv, Output output, Finished finished);
    ~Stream();
    Stream(const Stream &) = delete;
    Stream &operator=(const Stream &) = delete;

    StreamId id() const { return m_id; }

    // Opens the channel and starts the command. On failure the stream has
    // already reported finished(error).
    bool start(Session &session);

    enum class Poll { Open, More, Ended, ConnectionLost };
    bool started() const { return m_channel != nullptr; }

    // Hands on whatever output is buffered, without waiting. More: a poll's
    // share was handed on and more is buffered. Ended: the
    // command exited and finished() was called. ConnectionLost: nothing was
    // reported; the caller ends every stream with its error.
    Poll poll(Session &session, quint64 *payloadIn);

    // SIGTERM and close: the command ends; nothing more is reported.
    void stop();

    // Reports the error (once) and forgets the channel without touching it:
    // the session is going away.
    void fail(const Error &error);

private:
    StreamId m_id;
    QStringList m_argv;
    QString m_command; // for messages
    Output m_output;
    Finished m_finished;
    ChannelPtr m_channel;
    QByteArray m_err; // the last 64 KiB of stderr
};

} // namespace vigil::ssh
