// SPDX-License-Identifier: GPL-3.0-or-later
#include "site.h"

#include "logging.h"
#include "runs/sftpscan.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QFuture>
#include <QPromise>
#include <QThreadPool>

namespace vigil {

namespace {
constexpr qint64 kMaxHelperBytes = 64 * 1024 * 1024;
} // namespace

Site::Site(SiteSpec spec, Transport *transport, QObject *parent)
    : QObject(parent), m_spec(std::move(spec)), m_transport(transport)
{
    m_transport->setParent(this);
    connect(m_transport, &Transport::stateChanged, this,
            [this](Transport::State state, const QString &message) {
                if (state != Transport::State::Connected && state != Transport::State::Failed)
                    return;
                const auto waiters = std::exchange(m_connectWaiters, {});
                for (const auto &w : waiters) {
                    if (state == Transport::State::Connected)
                        w(Result<void>());
                    else
                        w(Error(message.isEmpty() ? tr("cannot connect to %1").arg(m_spec.name)
                                                  : message,
                                Error::Kind::Network));
                }
            });
}

void Site::whenConnected(QObject *context, Callback<void> then)
{
    if (m_transport->state() == Transport::State::Connected) {
        then(Result<void>());
        return;
    }
    QPointer<QObject> ctx(context);
    m_connectWaiters << [ctx, then = std::move(then)](Result<void> r) {
        if (ctx)
            then(std::move(r));
    };
    if (m_transport->state() != Transport::State::Connecting)
        m_transport->open();
}

Site::~Site() = default;

QString Site::runRoot() const
{
    if (m_spec.runRoot.startsWith(QLatin1Char('/')))
        return m_spec.runRoot;
    return m_transport->homeDirectory() + QLatin1Char('/') + m_spec.runRoot;
}

QString Site::runDirectory(const QString &runId) const
{
    return runRoot() + QLatin1Char('/') + runId;
}

QString Site::localHelperBinary()
{
    const QString env = qEnvironmentVariable("VIGIL_JOB_BINARY");
    if (!env.isEmpty())
        return env;
    const QString dir = QCoreApplication::applicationDirPath();
    const QStringList candidates{dir + QLatin1String("/vigil-job"),
                                 dir + QLatin1String("/../helper/vigil-job"),
                                 dir + QLatin1String("/../../helper/vigil-job"),
                                 dir + QLatin1String("/../lib/vigil/vigil-job")};
    for (const QString &candidate : candidates) {
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return {};
}

void Site::run(const QStringList &argv, QObject *context, Callback<QByteArray> done)
{
    const QString siteName = m_spec.name;
    m_transport->exec(argv, {}, context,
                      [argv, siteName, done = std::move(done)](Result<ExecResult> r) {
                          if (!r) {
                              done(r.error());
                              return;
                          }
                          if (r->exitCode != 0) {
                              QString err = QString::fromUtf8(r->err).trimmed();
                              if (err.isEmpty())
                                  err = QString::fromUtf8(r->out).trimmed();
                              Error::Kind kind =
                                  r->exitCode == 127 ? Error::Kind::NotFound : Error::Kind::Generic;
                              done(Error(QStringLiteral("%1 on %2 failed (exit %3): %4")
                                             .arg(argv.value(0), siteName)
                                             .arg(r->exitCode)
                                             .arg(err.left(2000)),
                                         kind));
                              return;
                          }
                          done(r->out);
                      });
}

void Site::ensureHelper(QObject *context, Callback<QString> done)
{
    QPointer<QObject> ctx(context);
    auto reply = [ctx, done = std::move(done)](Result<QString> r) {
        if (ctx)
            done(std::move(r));
    };
    if (!m_helperPath.isEmpty()) {
        reply(m_helperPath);
        return;
    }
    m_helperWaiters << reply;
    if (m_helperBusy)
        return;
    m_helperBusy = true;
    whenConnected(this, [this](Result<void> connected) {
        if (!connected) {
            m_helperBusy = false;
            const auto waiters = std::exchange(m_helperWaiters, {});
            for (const auto &w : waiters)
                w(connected.error());
            return;
        }
        deployHelper();
    });
}

namespace {

struct HelperBinary
{
    QString path;
    QByteArray data;
    QString hash; // first 12 hex digits of its SHA-256
    QString error;
};

// Reads and hashes the local vigil-job once per process, on a pool thread:
// never disk I/O on the caller's (GUI) thread.
QFuture<HelperBinary> loadHelperBinary()
{
    static QFuture<HelperBinary> future = [] {
        auto promise = std::make_shared<QPromise<HelperBinary>>();
        QFuture<HelperBinary> f = promise->future();
        promise->start();
        const QString local = Site::localHelperBinary();
        QThreadPool::globalInstance()->start([promise, local] {
            HelperBinary b;
            b.path = local;
            QFile file(local);
            if (local.isEmpty())
                b.error = QStringLiteral("vigil-job was not found next to this program; set "
                                         "VIGIL_JOB_BINARY to its path");
            else if (file.size() > kMaxHelperBytes || !file.open(QIODevice::ReadOnly))
                b.error = QStringLiteral("cannot read %1: %2").arg(local, file.errorString());
            else
                b.data = file.readAll();
            b.hash = QString::fromLatin1(
                QCryptographicHash::hash(b.data, QCryptographicHash::Sha256).toHex().left(12));
            promise->addResult(b);
            promise->finish();
        });
        return f;
    }();
    return future;
}

} // namespace

void Site::finishHelper(Result<QString> r)
{
    m_helperBusy = false;
    if (r) {
        m_helperPath = *r;
        Q_EMIT helperChanged();
    }
    const auto waiters = std::exchange(m_helperWaiters, {});
    for (const auto &w : waiters)
        w(r);
}

void Site::probeHelper(const QString &remote, Callback<void> done)
{
    m_transport->exec(
        {remote, QStringLiteral("--version")}, {}, this,
        [this, remote, done](Result<ExecResult> r) {
            if (!r) {
                done(r.error());
                return;
            }
            if (r->exitCode != 0) {
                const QString err = QString::fromUtf8(r->err).trimmed().left(500);
                done(Error(
                    QStringLiteral("%1 --version exited with status %2 on %3%4")
                        .arg(remote)
                        .arg(r->exitCode)
                        .arg(m_spec.name, err.isEmpty() ? QString() : QStringLiteral(": ") + err)));
                return;
            }
            m_helperVersion = QString::fromUtf8(r->out).trimmed();
            done(Result<void>());
        });
}

void Site::deployHelper()
{
    loadHelperBinary().then(this, [this](const HelperBinary &binary) {
        if (!binary.error.isEmpty()) {
            finishHelper(Error(binary.error));
            return;
        }
        // On the local machine the binary is used in place; elsewhere it is
        // named by version and content hash, so an old one is never reused.
        const QString remote = m_spec.kind == SiteSpec::Kind::Local
                                   ? binary.path
                                   : m_transport->homeDirectory() +
                                         QStringLiteral("/.local/share/vigil/bin/vigil-job-%1-%2")
                                             .arg(QStringLiteral(VIGIL_VERSION), binary.hash);
        probeHelper(remote, [this, remote, data = binary.data](Result<void> present) {
            if (present || m_spec.kind == SiteSpec::Kind::Local) {
                finishHelper(present ? Result<QString>(remote) : Result<QString>(present.error()));
                return;
            }
            uploadHelper(remote, data);
        });
    });
}

void Site::uploadHelper(const QString &remote, const QByteArray &data)
{
    qCInfo(lcSite) << "deploying vigil-job to" << m_spec.name << remote;
    const QString dir = remote.section(QLatin1Char('/'), 0, -2);
    m_transport->makeDirectories(dir, 0700, this, [this, remote, data](Result<void> mk) {
        if (!mk) {
            finishHelper(mk.error());
            return;
        }
        m_transport->writeFileAtomic(remote, data, 0755, this, [this, remote](Result<void> w) {
            if (!w) {
                finishHelper(w.error());
                return;
            }
            probeHelper(remote, [this, remote](Result<void> runs) {
                finishHelper(runs
                                 ? Result<QString>(remote)
                                 : Result<QString>(Error(
                                       tr("vigil-job was uploaded to %1 but does not run there: %2")
                                           .arg(m_spec.name, runs.errorString()),
                                       runs.error().kind)));
            });
        });
    });
}

namespace {

// The connection failed, not the helper: nothing to fall back to.
bool isConnectionProblem(const Error &error)
{
    switch (error.kind) {
    case Error::Kind::Network:
    case Error::Kind::Auth:
    case Error::Kind::HostKeyUnknown:
    case Error::Kind::HostKeyChanged:
    case Error::Kind::Cancelled:
        return true;
    default:
        return false;
    }
}

} // namespace

void Site::scanRuns(QObject *context, Callback<QByteArray> done)
{
    QPointer<QObject> ctx(context);
    Callback<QByteArray> reply = [ctx, done = std::move(done)](Result<QByteArray> r) {
        if (ctx)
            done(std::move(r));
    };
    if (m_helperPath.isEmpty() && !m_helperProblem.isEmpty() &&
        m_helperFailedAt.elapsed() < m_helperRetryInterval.count()) {
        // vigil-job did not run here a short while ago: not again every cycle.
        whenConnected(this, [this, reply](Result<void> connected) {
            if (!connected) {
                reply(connected.error());
                return;
            }
            withRunRoot(reply, [this, reply] { scanRunsOverSftp(reply); });
        });
        return;
    }
    ensureHelper(this, [this, reply](Result<QString> helper) {
        if (!helper) {
            if (isConnectionProblem(helper.error())) {
                reply(helper.error());
                return;
            }
            helperFailed(helper.error().message);
            withRunRoot(reply, [this, reply] { scanRunsOverSftp(reply); });
            return;
        }
        if (!m_helperProblem.isEmpty()) {
            qCInfo(lcSite) << "vigil-job runs on" << m_spec.name
                           << "now: scanning with it instead of SFTP";
            m_helperProblem.clear();
            Q_EMIT helperChanged();
        }
        withRunRoot(reply, [this, reply, helperPath = *helper] {
            run({helperPath, QStringLiteral("scan"), runRoot()}, this, reply);
        });
    });
}

void Site::helperFailed(const QString &reason)
{
    m_helperFailedAt.start();
    if (reason == m_helperProblem)
        return; // said already
    m_helperProblem = reason;
    const QString message =
        tr("vigil-job cannot run on %1 (%2): reading run directories over SFTP instead")
            .arg(m_spec.name, reason);
    qCWarning(lcSite).noquote() << message;
    Q_EMIT helperUnavailable(message);
    Q_EMIT helperChanged();
}

void Site::withRunRoot(const Callback<QByteArray> &reply, std::function<void()> then)
{
    if (m_runRootReady) {
        then();
        return;
    }
    // The first scan of a site that never ran anything: make the run root.
    m_transport->makeDirectories(runRoot(), 0700, this,
                                 [this, reply, then = std::move(then)](Result<void> mk) {
                                     if (!mk) {
                                         reply(mk.error());
                                         return;
                                     }
                                     m_runRootReady = true;
                                     then();
                                 });
}

void Site::scanRunsOverSftp(const Callback<QByteArray> &reply)
{
    SftpScanOptions options;
    options.root = runRoot();
    options.host = m_spec.host.isEmpty() ? m_transport->displayName() : m_spec.host;
    options.uid = m_runRootOwner;
    scanOverSftp(m_transport, options, this, [this, reply](Result<SftpScanResult> r) {
        if (!r) {
            reply(r.error());
            return;
        }
        m_runRootOwner = r->uid;
        reply(r->document);
    });
}

} // namespace vigil
