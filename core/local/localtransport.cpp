// SPDX-License-Identifier: GPL-3.0-or-later
#include "localtransport.h"

#include "logging.h"

#include <QDir>
#include <QHash>
#include <QProcess>
#include <QSysInfo>
#include <QThread>

namespace vigil {

// Lives on the transport's thread; runs one operation at a time, and owns
// the processes of the streams.
class LocalWorker : public QObject
{
public:
    using QObject::QObject;
    // Runs on the worker's thread when the transport goes. The processes are
    // ended here, while `streams` still exists: as children deleted by
    // ~QObject they would report their end to handlers that use it (and the
    // transport) after both are gone.
    ~LocalWorker() override
    {
        for (QProcess *p : std::as_const(streams)) {
            p->disconnect();
            p->kill();
            p->waitForFinished(2000);
            delete p;
        }
        streams.clear();
    }

    QHash<StreamId, QProcess *> streams; // children of this worker
};

LocalTransport::LocalTransport(QObject *parent)
    : Transport(parent), m_thread(newThread(QStringLiteral("vigil-local")))
{
    m_worker = new LocalWorker;
    m_worker->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
    startThread(m_thread.get());
}

LocalTransport::~LocalTransport() = default;

QString LocalTransport::displayName() const
{
    return QSysInfo::machineHostName() + QLatin1String(" (local)");
}

QString LocalTransport::homeDirectory() const
{
    return QDir::homePath();
}

void LocalTransport::open()
{
    m_state = State::Connected;
    Q_EMIT stateChanged(m_state, QString());
}

void LocalTransport::close()
{
    m_state = State::Disconnected;
    Q_EMIT stateChanged(m_state, QString());
}

template <typename Fn> void LocalTransport::post(Fn &&fn)
{
    QMetaObject::invokeMethod(m_worker, std::forward<Fn>(fn), Qt::QueuedConnection);
}

void LocalTransport::exec(const QStringList &argv, const QByteArray &standardInput,
                          QObject *context, Callback<ExecResult> done)
{
    QPointer<QObject> ctx(context);
    post([this, argv, standardInput, ctx, done = std::move(done)]() mutable {
        if (argv.isEmpty()) {
            deliver<ExecResult>(this, ctx, std::move(done), Error(QStringLiteral("empty command")));
            return;
        }
        QProcess p;
        p.setProgram(argv.first());
        p.setArguments(argv.mid(1));
        p.start();
        if (!p.waitForStarted(30000)) {
            deliver<ExecResult>(
                this, ctx, std::move(done),
                Error(QStringLiteral("cannot run %1: %2").arg(argv.first(), p.errorString()),
                      Error::Kind::NotFound));
            return;
        }
        if (!standardInput.isEmpty())
            p.write(standardInput);
        p.closeWriteChannel();
        p.waitForFinished(-1);
        ExecResult r;
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : 128 + 9;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        ++m_execs;
        m_payloadIn += quint64(r.out.size() + r.err.size());
        deliver<ExecResult>(this, ctx, std::move(done), std::move(r));
    });
}

void LocalTransport::readFile(const QString &path, qint64 offset, qint64 maxBytes, QObject *context,
                              Callback<FileChunk> done)
{
    QPointer<QObject> ctx(context);
    post([=, this, done = std::move(done)]() mutable {
        Result<FileChunk> chunk = localfs::readFile(path, offset, maxBytes);
        ++m_fileOps;
        if (chunk)
            m_payloadIn += quint64(chunk->data.size());
        deliver<FileChunk>(this, ctx, std::move(done), std::move(chunk));
    });
}

void LocalTransport::writeFileAtomic(const QString &path, const QByteArray &data,
                                     quint32 permissions, QObject *context, Callback<void> done,
                                     WriteControl control)
{
    QPointer<QObject> ctx(context);
    post([=, this, done = std::move(done), control = std::move(control)]() mutable {
        // One write: cancel is looked at before it, progress said once after it.
        if (control.cancelled()) {
            deliver<void>(
                this, ctx, std::move(done),
                Error(QStringLiteral("writing %1 cancelled").arg(path), Error::Kind::Cancelled));
            return;
        }
        Result<void> written = (++m_fileOps, localfs::writeFileAtomic(path, data, permissions));
        if (written && control.progress) {
            QMetaObject::invokeMethod(
                this,
                [ctx, progress = std::move(control.progress), size = qint64(data.size())] {
                    if (ctx)
                        progress(size, size);
                },
                Qt::QueuedConnection);
        }
        deliver<void>(this, ctx, std::move(done), std::move(written));
    });
}

void LocalTransport::createExclusive(const QString &path, const QByteArray &data,
                                     quint32 permissions, QObject *context, Callback<void> done)
{
    QPointer<QObject> ctx(context);
    post([=, this, done = std::move(done)]() mutable {
        deliver<void>(this, ctx, std::move(done),
                      (++m_fileOps, localfs::createExclusive(path, data, permissions)));
    });
}

void LocalTransport::listDirectory(const QString &path, QObject *context,
                                   Callback<QList<FileEntry>> done)
{
    QPointer<QObject> ctx(context);
    post([=, this, done = std::move(done)]() mutable {
        deliver<QList<FileEntry>>(this, ctx, std::move(done),
                                  (++m_fileOps, localfs::listDirectory(path)));
    });
}

void LocalTransport::makeDirectories(const QString &path, quint32 permissions, QObject *context,
                                     Callback<void> done)
{
    QPointer<QObject> ctx(context);
    post([=, this, done = std::move(done)]() mutable {
        deliver<void>(this, ctx, std::move(done),
                      (++m_fileOps, localfs::makeDirectories(path, permissions)));
    });
}

StreamId LocalTransport::startStream(const QStringList &argv, QObject *context,
                                     std::function<void(const QByteArray &)> output,
                                     Callback<ExecResult> finished)
{
    const StreamId id = m_nextStream++;
    QPointer<QObject> ctx(context);
    post([this, id, argv, ctx, output = std::move(output), finished = std::move(finished)] {
        if (argv.isEmpty()) {
            deliver<ExecResult>(this, ctx, finished, Error(QStringLiteral("empty command")));
            return;
        }
        auto *p = new QProcess(m_worker);
        m_worker->streams.insert(id, p);
        auto err = std::make_shared<QByteArray>();
        auto flush = [this, p, ctx, output] {
            const QByteArray chunk = p->readAllStandardOutput();
            m_payloadIn += quint64(chunk.size());
            if (chunk.isEmpty() || !output)
                return;
            QMetaObject::invokeMethod(
                this,
                [ctx, output, chunk] {
                    if (ctx)
                        output(chunk);
                },
                Qt::QueuedConnection);
        };
        QObject::connect(p, &QProcess::readyReadStandardOutput, p, flush);
        QObject::connect(p, &QProcess::readyReadStandardError, p, [p, err] {
            err->append(p->readAllStandardError());
            if (err->size() > 64 * 1024)
                err->remove(0, err->size() - 64 * 1024);
        });
        auto end = [this, id, p, ctx, finished](Result<ExecResult> result) {
            if (m_worker->streams.take(id) != p)
                return; // stopped: nothing more is reported
            p->deleteLater();
            deliver<ExecResult>(this, ctx, finished, std::move(result));
        };
        QObject::connect(p, &QProcess::finished, p,
                         [err, end, flush](int code, QProcess::ExitStatus status) {
                             flush(); // the rest of stdout first
                             ExecResult r;
                             r.exitCode = status == QProcess::NormalExit ? code : 128 + 15;
                             r.err = *err;
                             end(std::move(r));
                         });
        QObject::connect(p, &QProcess::errorOccurred, p, [p, argv, end](QProcess::ProcessError e) {
            if (e == QProcess::FailedToStart)
                end(Error(QStringLiteral("cannot run %1: %2").arg(argv.first(), p->errorString()),
                          Error::Kind::NotFound));
        });
        p->setProgram(argv.first());
        p->setArguments(argv.mid(1));
        p->setStandardInputFile(QProcess::nullDevice());
        ++m_streams;
        p->start();
    });
    return id;
}

void LocalTransport::stopStream(StreamId id)
{
    post([this, id] {
        QProcess *p = m_worker->streams.take(id);
        if (!p)
            return;
        p->disconnect();
        p->terminate();
        if (!p->waitForFinished(2000))
            p->kill();
        p->deleteLater();
    });
}

TransportStats LocalTransport::stats() const
{
    TransportStats s;
    s.connects = m_state == State::Connected ? 1 : 0;
    s.execs = m_execs;
    s.fileOps = m_fileOps;
    s.streamsStarted = m_streams;
    s.payloadIn = m_payloadIn;
    return s;
}

} // namespace vigil
