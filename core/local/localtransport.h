// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/workerthread.h"
#include "transport.h"

#include <atomic>
#include <memory>

namespace vigil {

class LocalWorker;

// The local machine as a Transport: commands run with QProcess (argv, no
// shell), files are read and written with POSIX calls, all on a worker thread.
class LocalTransport final : public Transport
{
    Q_OBJECT
public:
    explicit LocalTransport(QObject *parent = nullptr);
    ~LocalTransport() override;

    QString displayName() const override;
    State state() const override { return m_state; }
    QString homeDirectory() const override;

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
    TransportStats stats() const override;

private:
    template <typename Fn> void post(Fn &&fn);

    // Before m_thread: the worker thread is joined before these go.
    std::atomic<quint64> m_execs{0};
    std::atomic<quint64> m_fileOps{0};
    std::atomic<quint64> m_streams{0};
    std::atomic<quint64> m_payloadIn{0};
    StreamId m_nextStream = 1;
    ThreadPtr m_thread;
    LocalWorker *m_worker = nullptr; // lives on m_thread, deleted with it
    State m_state = State::Disconnected;
};

// Synchronous POSIX file operations shared by LocalTransport and tests.
namespace localfs {
QString resolve(const QString &path); // relative -> $HOME/path
Result<FileChunk> readFile(const QString &path, qint64 offset, qint64 maxBytes);
Result<void> writeFileAtomic(const QString &path, const QByteArray &data, quint32 permissions);
Result<void> createExclusive(const QString &path, const QByteArray &data, quint32 permissions);
Result<QList<FileEntry>> listDirectory(const QString &path);
Result<void> makeDirectories(const QString &path, quint32 permissions);
} // namespace localfs

} // namespace vigil
