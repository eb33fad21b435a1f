// SPDX-License-Identifier: GPL-3.0-or-later
#include "site.h"

#include "logging.h"
#include "models/operationsmodel.h"
#include "runs/sftpscan.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QFuture>
#include <QFutureWatcher>
#include <QPromise>
#include <QThreadPool>

namespace vigil {

namespace {
constexpr qint64 kMaxHelperBytes = 64 * 1024 * 1024;

// One round trip for what ensureHelper needs to know: the state of the
// Python twin on the site ($2) on the first line (its SHA-256, "missing",
// "link" when the file is a symbolic link, "dirlink" when its directory is
// one, "unknown" when it cannot be hashed), then `vigil-job --version` ($1)
// as the command's own output and exit status. A constant script: the paths
// are its arguments, never pasted into it.
const char kCheckTools[] = "t=$2\n"
                           "if [ -h \"${t%/*}\" ]; then echo dirlink\n"
                           "elif [ -h \"$t\" ]; then echo link\n"
                           "elif [ ! -f \"$t\" ]; then echo missing\n"
                           "elif s=$(sha256sum < \"$t\" 2>/dev/null); then echo \"${s%% *}\"\n"
                           "else echo unknown\n"
                           "fi\n"
                           "exec \"$1\" --version\n";

QString versionFailure(const QString &remote, int exitCode, const QByteArray &stderrText,
                       const QString &site)
{
    const QString err = QString::fromUtf8(stderrText).trimmed().left(500);
    return QStringLiteral("%1 --version exited with status %2 on %3%4")
        .arg(remote)
        .arg(exitCode)
        .arg(site, err.isEmpty() ? QString() : QStringLiteral(": ") + err);
}
} // namespace

// What checkTools() found on the site.
struct Site::ToolsOnSite
{
    QString python;        // kCheckTools' first line
    QString helperVersion; // empty: vigil-job did not run
    QString helperError;   // why it did not
};

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

Site::~Site()
{
    if (m_operations && m_uploadRow != 0)
        m_operations->remove(m_uploadRow);
}

void Site::setOperations(OperationsModel *operations)
{
    m_operations = operations;
}

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

QString Site::localPythonTwin()
{
    const QString env = qEnvironmentVariable("VIGIL_JOB_PYTHON");
    return env.isEmpty() ? QStringLiteral(":/vigil/python/vigil_job.py") : env;
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
    QByteArray python;  // vigil_job.py, from the program's resources
    QString pythonHash; // its SHA-256, 64 hex digits
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
            QFile twin(Site::localPythonTwin());
            if (twin.size() <= kMaxHelperBytes && twin.open(QIODevice::ReadOnly))
                b.python = twin.readAll();
            if (b.python.isEmpty() && b.error.isEmpty())
                b.error = QStringLiteral("cannot read vigil_job.py from %1: %2")
                              .arg(Site::localPythonTwin(), twin.errorString());
            b.pythonHash = QString::fromLatin1(
                QCryptographicHash::hash(b.python, QCryptographicHash::Sha256).toHex());
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
    m_transport->exec({remote, QStringLiteral("--version")}, {}, this,
                      [this, remote, done](Result<ExecResult> r) {
                          if (!r) {
                              done(r.error());
                              return;
                          }
                          if (r->exitCode != 0) {
                              done(Error(versionFailure(remote, r->exitCode, r->err, m_spec.name)));
                              return;
                          }
                          m_helperVersion = QString::fromUtf8(r->out).trimmed();
                          done(Result<void>());
                      });
}

void Site::checkTools(const QString &helper, const QString &python, Callback<ToolsOnSite> done)
{
    const QStringList argv{QStringLiteral("sh"),
                           QStringLiteral("-c"),
                           QString::fromLatin1(kCheckTools),
                           QStringLiteral("sh"),
                           helper,
                           python};
    m_transport->exec(argv, {}, this, [this, helper, done](Result<ExecResult> r) {
        if (!r) {
            done(r.error());
            return;
        }
        ToolsOnSite tools;
        const qsizetype eol = r->out.indexOf('\n');
        tools.python = QString::fromUtf8(r->out.left(eol)).trimmed();
        if (r->exitCode == 0)
            tools.helperVersion = QString::fromUtf8(r->out.mid(eol + 1)).trimmed();
        else
            tools.helperError = versionFailure(helper, r->exitCode, r->err, m_spec.name);
        done(tools);
    });
}

void Site::deployHelper()
{
    // A watcher per call: a QFuture keeps one continuation only, so two sites
    // asking at once through then() would leave one of them waiting forever.
    auto *watcher = new QFutureWatcher<HelperBinary>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        const HelperBinary binary = watcher->result();
        if (!binary.error.isEmpty()) {
            finishHelper(Error(binary.error));
            return;
        }
        // On the local machine the binary is used in place; elsewhere it is
        // named by version and content hash, so an old one is never reused.
        const QString home = m_transport->homeDirectory();
        const QString remote =
            m_spec.kind == SiteSpec::Kind::Local
                ? binary.path
                : home + QStringLiteral("/.local/share/vigil/bin/vigil-job-%1-%2")
                             .arg(QStringLiteral(VIGIL_VERSION), binary.hash);
        // The twin goes to every kind of site, the local one too: a job
        // imports it from there whatever the helper's place.
        const QString pythonDir =
            home + QStringLiteral("/.local/share/vigil/python/%1-%2")
                       .arg(QStringLiteral(VIGIL_VERSION), binary.pythonHash.left(12));
        const QString pythonFile = pythonDir + QStringLiteral("/vigil_job.py");
        checkTools(remote, pythonFile, [=, this](Result<ToolsOnSite> tools) {
            if (!tools) {
                finishHelper(tools.error());
                return;
            }
            if (tools->python == QLatin1String("dirlink")) {
                finishHelper(Error(tr("%1 on %2 is a symbolic link: vigil_job.py is not written "
                                      "through it (remove the link)")
                                       .arg(pythonDir, m_spec.name),
                                   Error::Kind::Permission));
                return;
            }
            Callback<void> helperStep = [=, this](Result<void> python) {
                if (!python) {
                    finishHelper(python.error());
                    return;
                }
                m_pythonDirectory = pythonDir;
                if (!tools->helperVersion.isEmpty()) {
                    m_helperVersion = tools->helperVersion;
                    finishHelper(remote);
                } else if (m_spec.kind == SiteSpec::Kind::Local) {
                    finishHelper(Error(tools->helperError));
                } else {
                    uploadHelper(remote, binary.data);
                }
            };
            if (tools->python == binary.pythonHash)
                helperStep(Result<void>());
            else
                uploadPython(pythonFile, binary.python, tools->python == QLatin1String("link"),
                             helperStep);
        });
    });
    watcher->setFuture(loadHelperBinary());
}

void Site::uploadPython(const QString &file, const QByteArray &data, bool unlinkFirst,
                        Callback<void> done)
{
    qCInfo(lcSite) << "deploying vigil_job.py to" << m_spec.name << file;
    auto write = [this, file, data, done] {
        const QString name = QStringLiteral("vigil_job.py");
        auto written = [this, file, name, done](Result<void> w) {
            if (const std::optional<Error> cancelled = endUpload(name, w))
                done(*cancelled);
            else
                done(w ? w
                       : Error(tr("cannot write vigil_job.py to %1 on %2: %3")
                                   .arg(file, m_spec.name, w.errorString()),
                               w.error().kind));
        };
        m_transport->writeFileAtomic(file, data, 0644, this, written,
                                     beginUpload(name, data.size()));
    };
    const QString dir = file.section(QLatin1Char('/'), 0, -2);
    m_transport->makeDirectories(dir, 0700, this, [=, this](Result<void> mk) {
        if (!mk) {
            done(mk.error());
            return;
        }
        if (!unlinkFirst) {
            write();
            return;
        }
        // A symbolic link in its place is removed, never written through.
        run({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("--"), file}, this,
            [write, done](Result<QByteArray> rm) {
                if (!rm) {
                    done(rm.error());
                    return;
                }
                write();
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
        const QString name = QStringLiteral("vigil-job");
        auto written = [this, remote, name](Result<void> w) {
            if (const std::optional<Error> cancelled = endUpload(name, w)) {
                finishHelper(*cancelled);
                return;
            }
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
        };
        m_transport->writeFileAtomic(remote, data, 0755, this, written,
                                     beginUpload(name, data.size()));
    });
}

WriteControl Site::beginUpload(const QString &file, qint64 size)
{
    WriteControl control;
    control.cancel = std::make_shared<std::atomic_bool>(false);
    m_uploadCancel = control.cancel;
    if (!m_operations)
        return control;
    Operation op;
    op.site = m_spec.name;
    op.title = tr("Uploading %1 to %2").arg(file, m_spec.name);
    op.bytesTotal = size;
    op.cancel = [cancel = control.cancel] { cancel->store(true); };
    m_uploadRow = m_operations->add(std::move(op));
    control.progress = [this, row = m_uploadRow](qint64 done, qint64 total) {
        if (m_operations)
            m_operations->setProgress(row, done, total);
    };
    return control;
}

std::optional<Error> Site::endUpload(const QString &file, const Result<void> &written)
{
    if (m_operations && m_uploadRow != 0)
        m_operations->remove(m_uploadRow);
    m_uploadRow = 0;
    const bool cancelled = m_uploadCancel && m_uploadCancel->load();
    m_uploadCancel.reset();
    if (!cancelled || written || written.error().kind != Error::Kind::Cancelled)
        return std::nullopt;
    qCInfo(lcSite) << "the upload of" << file << "to" << m_spec.name << "was cancelled";
    return Error(tr("the upload of %1 was cancelled").arg(file));
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
