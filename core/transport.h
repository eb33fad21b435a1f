// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QByteArray>
#include <QList>
#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <atomic>
#include <functional>
#include <memory>

namespace vigil {

struct ExecResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

struct FileEntry
{
    QString name;
    qint64 size = 0;
    qint64 mtime = 0; // seconds since the epoch
    quint32 uid = 0;
    quint32 permissions = 0; // POSIX mode bits (07777)
    bool isDir = false;
    bool isSymlink = false;
};

struct FileChunk
{
    QByteArray data;
    qint64 offset = 0;   // where data starts in the file
    qint64 fileSize = 0; // size of the file when it was read
};

// Counters of what a transport did since it was made, for the Sites view and
// the benchmarks. Wire bytes are the connection's own TCP counters (SSH
// framing and encryption included); 0 where there is no connection (local).
struct TransportStats
{
    quint64 connects = 0;       // successful connections (the first one and every reconnection)
    quint64 execs = 0;          // commands run to completion
    quint64 fileOps = 0;        // SFTP (or local file) operations
    quint64 streamsStarted = 0; // long-running commands started
    quint64 payloadIn = 0;      // bytes of command output and file data received
    quint64 wireIn = 0;         // bytes received on the connection(s)
    quint64 wireOut = 0;        // bytes sent on the connection(s)
};

using StreamId = quint64;

// Optional follow-up of a long write (Transport::writeFileAtomic).
struct WriteControl
{
    // Bytes written so far and the total, called on the caller's thread (the
    // context's) as the write goes, the last time with done == total; never
    // after the write's own callback, never once the context died.
    std::function<void(qint64 done, qint64 total)> progress;
    // Set to true from any thread to stop the write: it ends with
    // Error::Kind::Cancelled, the temporary file is removed and the target is
    // left as it was (absent, or its old content).
    std::shared_ptr<std::atomic_bool> cancel;

    bool cancelled() const { return cancel && cancel->load(); }
};

// Hands a result from a worker thread back to the caller's thread.
// `home` is an object living on the caller's thread that outlives the worker
// (the Transport itself: its destructor stops the worker thread). `context` is
// only dereferenced on home's thread; when it has died, the result is dropped.
// Never call this with a QPointer made or read on the worker thread.
template <typename T>
void deliver(QObject *home, QPointer<QObject> context, Callback<T> callback, Result<T> result)
{
    if (!callback)
        return;
    QMetaObject::invokeMethod(
        home,
        [context = std::move(context), callback = std::move(callback),
         result = std::move(result)]() mutable {
            if (context)
                callback(std::move(result));
        },
        Qt::QueuedConnection);
}

// How Vigil reaches a machine: over SSH, or directly for the local machine.
// Every call is asynchronous: the work happens on the transport's own worker
// thread and the callback runs later on the thread the Transport object lives
// in (never re-entrantly), unless `context` has been destroyed meanwhile.
// Callers pass a context that lives in the transport's thread.
// Commands are argv vectors; a transport that needs a shell quotes them.
// Paths are absolute or relative to the account's home directory.
class Transport : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected, Failed };
    Q_ENUM(State)

    using QObject::QObject;
    ~Transport() override = default;

    virtual QString displayName() const = 0;
    virtual State state() const = 0;
    // Absolute home directory of the account, known once connected.
    virtual QString homeDirectory() const = 0;

    // Connects (or reconnects) in the background; reports through stateChanged().
    virtual void open() = 0;
    virtual void close() = 0;

    virtual void exec(const QStringList &argv, const QByteArray &standardInput, QObject *context,
                      Callback<ExecResult> done) = 0;
    // Reads at most maxBytes from offset. A symlink is refused, never followed.
    virtual void readFile(const QString &path, qint64 offset, qint64 maxBytes, QObject *context,
                          Callback<FileChunk> done) = 0;
    // Writes a temp file in the same directory, then renames it over path.
    // `control` follows and cancels it (see WriteControl).
    virtual void writeFileAtomic(const QString &path, const QByteArray &data, quint32 permissions,
                                 QObject *context, Callback<void> done,
                                 WriteControl control = {}) = 0;
    // Creates path with data only if it does not exist: Error::Kind::AlreadyExists otherwise.
    // Readers never see a partial file (temp file + no-clobber rename/link).
    virtual void createExclusive(const QString &path, const QByteArray &data, quint32 permissions,
                                 QObject *context, Callback<void> done) = 0;
    virtual void listDirectory(const QString &path, QObject *context,
                               Callback<QList<FileEntry>> done) = 0;
    // mkdir -p with the given permissions for the directories it creates.
    virtual void makeDirectories(const QString &path, quint32 permissions, QObject *context,
                                 Callback<void> done) = 0;

    // A long-running command (vigil-job watch, a log tail) whose standard
    // output arrives as it is written: `output` gets each chunk in order,
    // then `finished` gets the exit code and the last 64 KiB of stderr, or an
    // error (Error::Kind::Network when the connection dropped: start it again
    // to resume). After stopStream() neither is called again. Streams share
    // the connection with every other operation.
    virtual StreamId startStream(const QStringList &argv, QObject *context,
                                 std::function<void(const QByteArray &)> output,
                                 Callback<ExecResult> finished) = 0;
    // Ends the command (SIGTERM, then its channel or process is closed).
    virtual void stopStream(StreamId id) = 0;

    // Drops the connection now and connects again (a watch heard nothing for
    // too long: the link is dead though TCP has not noticed). Queued
    // operations wait for the new connection; streams end with Network.
    virtual void reconnect(const QString &reason) { Q_UNUSED(reason) }

    virtual TransportStats stats() const = 0;

Q_SIGNALS:
    void stateChanged(vigil::Transport::State state, const QString &message);
};

} // namespace vigil
