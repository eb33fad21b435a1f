// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QByteArray>
#include <QList>
#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QStringList>

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
    virtual void writeFileAtomic(const QString &path, const QByteArray &data, quint32 permissions,
                                 QObject *context, Callback<void> done) = 0;
    // Creates path with data only if it does not exist: Error::Kind::AlreadyExists otherwise.
    // Readers never see a partial file (temp file + no-clobber rename/link).
    virtual void createExclusive(const QString &path, const QByteArray &data, quint32 permissions,
                                 QObject *context, Callback<void> done) = 0;
    virtual void listDirectory(const QString &path, QObject *context,
                               Callback<QList<FileEntry>> done) = 0;
    // mkdir -p with the given permissions for the directories it creates.
    virtual void makeDirectories(const QString &path, quint32 permissions, QObject *context,
                                 Callback<void> done) = 0;

Q_SIGNALS:
    void stateChanged(vigil::Transport::State state, const QString &message);
};

} // namespace vigil
