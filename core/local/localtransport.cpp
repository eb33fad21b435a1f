// SPDX-License-Identifier: GPL-3.0-or-later
#include "localtransport.h"

#include "logging.h"

#include <QDir>
#include <QProcess>
#include <QSysInfo>

namespace vigil {

// Lives on the transport's thread; runs one operation at a time.
class LocalWorker : public QObject
{
public:
    using QObject::QObject;
};

void LocalTransport::ThreadDeleter::operator()(QThread *t) const
{
    t->quit();
    t->wait();
    delete t;
}

LocalTransport::LocalTransport(QObject *parent) : Transport(parent), m_thread(new QThread)
{
    m_thread->setObjectName(QStringLiteral("vigil-local"));
    m_worker = new LocalWorker;
    m_worker->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
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
        deliver<ExecResult>(this, ctx, std::move(done), std::move(r));
    });
}

void LocalTransport::readFile(const QString &path, qint64 offset, qint64 maxBytes, QObject *context,
                              Callback<FileChunk> done)
{
    QPointer<QObject> ctx(context);
    post([=, this, done = std::move(done)]() mutable {
        deliver<FileChunk>(this, ctx, std::move(done), localfs::readFile(path, offset, maxBytes));
    });
}

void LocalTransport::writeFileAtomic(const QString &path, const QByteArray &data,
                                     quint32 permissions, QObject *context, Callback<void> done)
{
    QPointer<QObject> ctx(context);
    post([=, this, done = std::move(done)]() mutable {
        deliver<void>(this, ctx, std::move(done),
                      localfs::writeFileAtomic(path, data, permissions));
    });
}

void LocalTransport::createExclusive(const QString &path, const QByteArray &data,
                                     quint32 permissions, QObject *context, Callback<void> done)
{
    QPointer<QObject> ctx(context);
    post([=, this, done = std::move(done)]() mutable {
        deliver<void>(this, ctx, std::move(done),
                      localfs::createExclusive(path, data, permissions));
    });
}

void LocalTransport::listDirectory(const QString &path, QObject *context,
                                   Callback<QList<FileEntry>> done)
{
    QPointer<QObject> ctx(context);
    post([=, this, done = std::move(done)]() mutable {
        deliver<QList<FileEntry>>(this, ctx, std::move(done), localfs::listDirectory(path));
    });
}

void LocalTransport::makeDirectories(const QString &path, quint32 permissions, QObject *context,
                                     Callback<void> done)
{
    QPointer<QObject> ctx(context);
    post([=, this, done = std::move(done)]() mutable {
        deliver<void>(this, ctx, std::move(done), localfs::makeDirectories(path, permissions));
    });
}

} // namespace vigil
