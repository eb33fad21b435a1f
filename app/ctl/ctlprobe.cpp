// SPDX-License-Identifier: GPL-3.0-or-later
#include "ctlprobe.h"

#include "ctloutput.h"
#include "sites/site.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFuture>
#include <QJsonArray>
#include <QPromise>
#include <QThreadPool>

namespace vigil::ctl {

namespace {

const QStringList kSlurmTools{QStringLiteral("sbatch"), QStringLiteral("squeue"),
                              QStringLiteral("sacct")};

// Prints NAME=PATH for each command given, PATH empty when it is not found.
const char kWhichScript[] =
    "for c in \"$@\"; do printf '%s=%s\\n' \"$c\" \"$(command -v -- \"$c\" 2>/dev/null)\"; done";

// This build's helper file name, computed on a pool thread (a 2-3 MB read).
QFuture<QString> localHelperName()
{
    auto promise = std::make_shared<QPromise<QString>>();
    QFuture<QString> future = promise->future();
    promise->start();
    const QString path = Site::localHelperBinary();
    QThreadPool::globalInstance()->start([promise, path] {
        QFile f(path);
        QString name;
        if (!path.isEmpty() && f.open(QIODevice::ReadOnly))
            name = QStringLiteral("vigil-job-%1-%2")
                       .arg(QStringLiteral(VIGIL_VERSION),
                            QString::fromLatin1(
                                QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
                                    .toHex()
                                    .left(12)));
        promise->addResult(name);
        promise->finish();
    });
    return future;
}

} // namespace

QString remoteHelperDirectory(const QString &home)
{
    return home + QLatin1String("/.local/share/vigil/bin");
}

QJsonObject ProbeReport::toJson() const
{
    QJsonObject tools;
    for (auto it = slurmTools.cbegin(); it != slurmTools.cend(); ++it)
        tools.insert(it.key(), it.value());
    return QJsonObject{
        {QStringLiteral("site"), site},
        {QStringLiteral("kind"), kind},
        {QStringLiteral("address"), address},
        {QStringLiteral("ok"), ok()},
        {QStringLiteral("host_key"), QJsonObject{{QStringLiteral("state"), hostKeyState},
                                                 {QStringLiteral("fingerprint"), fingerprint}}},
        {QStringLiteral("connected"), connected},
        {QStringLiteral("authenticated"), connected},
        {QStringLiteral("remote_user"), remoteUser},
        {QStringLiteral("home"), home},
        {QStringLiteral("exec_ms"), execMs},
        {QStringLiteral("slurm"),
         kind == QLatin1String("slurm") ? QJsonValue(tools) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("helper"), QJsonObject{{QStringLiteral("state"), helperState},
                                               {QStringLiteral("path"), helperPath},
                                               {QStringLiteral("version"), helperVersion},
                                               {QStringLiteral("problem"), helperProblem}}},
        {QStringLiteral("warning"), warning},
        {QStringLiteral("error"), error},
    };
}

QStringList ProbeReport::toLines() const
{
    QStringList l;
    l << QStringLiteral("site %1 (%2, %3)").arg(site, kind, address);
    if (kind != QLatin1String("local")) {
        static const QHash<QString, QString> says{
            {QStringLiteral("known"), QStringLiteral("known (it matches known_hosts)")},
            {QStringLiteral("added"), QStringLiteral("new, trusted and added to known_hosts")},
            {QStringLiteral("unknown"), QStringLiteral("NOT KNOWN (not in known_hosts): refused")},
            {QStringLiteral("changed"), QStringLiteral("CHANGED (differs from known_hosts): "
                                                       "refused")}};
        l << QStringLiteral("host key:       %1%2")
                 .arg(fingerprint.isEmpty() ? QString() : fingerprint + QLatin1Char(' '),
                      says.value(hostKeyState, QStringLiteral("not checked")));
        // Past the host key, a connection that failed failed to log in.
        const bool keyPassed =
            hostKeyState == QLatin1String("known") || hostKeyState == QLatin1String("added");
        l << QStringLiteral("authentication: %1")
                 .arg(connected   ? QStringLiteral("ok, as %1").arg(orDash(remoteUser))
                      : keyPassed ? QStringLiteral("FAILED")
                                  : QStringLiteral("-"));
    }
    if (!connected)
        return l;
    l << QStringLiteral("home:           %1").arg(home);
    l << QStringLiteral("exec round trip: %1 ms").arg(execMs, 0, 'f', 1);
    if (kind == QLatin1String("slurm")) {
        QStringList tools;
        for (auto it = slurmTools.cbegin(); it != slurmTools.cend(); ++it)
            tools << QStringLiteral("%1 %2").arg(
                it.key(), it.value().isEmpty() ? QStringLiteral("MISSING") : it.value());
        l << QStringLiteral("slurm:          %1").arg(tools.join(QStringLiteral(", ")));
    }
    if (helperState == QLatin1String("current"))
        l << QStringLiteral("vigil-job:      %1 at %2").arg(helperVersion, helperPath);
    else if (helperState == QLatin1String("other"))
        l << QStringLiteral("vigil-job:      %1 at %2 (not this build's: `vigilctl helper "
                            "deploy --site %3` uploads it)")
                 .arg(helperVersion, helperPath, site);
    else if (helperState == QLatin1String("missing"))
        l << QStringLiteral("vigil-job:      missing (`vigilctl helper deploy --site %1` "
                            "uploads it; the first refresh does too)")
                 .arg(site);
    else
        l << QStringLiteral("vigil-job:      unknown (%1)").arg(helperProblem);
    if (!warning.isEmpty())
        l << QStringLiteral("warning:        %1").arg(warning);
    return l;
}

SiteProbe::SiteProbe(SiteSpec spec, QString sshConfigFile, bool acceptNewHostKey, QObject *parent)
    : QObject(parent), m_spec(std::move(spec)), m_sshConfig(std::move(sshConfigFile)),
      m_acceptNew(acceptNewHostKey)
{
    m_report.site = m_spec.name;
    m_report.kind = siteKindName(m_spec.kind);
    m_report.address = siteAddress(m_spec);
}

Supervisor *SiteProbe::makeSupervisor(HostKeyPolicy policy)
{
    SupervisorOptions opts;
    opts.sshConfigFile = m_sshConfig;
    opts.hostKeyPolicy = policy;
    return new Supervisor(opts, this);
}

void SiteProbe::start()
{
    if (m_spec.kind == SiteSpec::Kind::Local)
        connectForReal();
    else
        probeFingerprint();
}

// The server's key fingerprint, whether known or not: a first connection
// against an empty known_hosts stops at the host-key question (answered
// "no"), before any authentication. Nothing is written anywhere.
void SiteProbe::probeFingerprint()
{
    if (!m_scratch.isValid()) {
        done(QStringLiteral("cannot make a temporary directory: %1").arg(m_scratch.errorString()));
        return;
    }
    m_probe = makeSupervisor(HostKeyPolicy::Ask);
    SiteSpec spec = m_spec;
    spec.knownHostsFile = m_scratch.filePath(QStringLiteral("no_known_hosts"));
    connect(m_probe, &Supervisor::hostKeyUnknown, this,
            [this](const QString &site, const QString &, const QString &fingerprint) {
                m_report.fingerprint = fingerprint;
                m_probe->answerHostKey(site, false);
            });
    Site *site = m_probe->addSite(spec);
    site->whenConnected(this, [this](Result<void> r) {
        // Refused on purpose when a fingerprint came; else the server was not
        // reached (the error says why), or it is in the global known_hosts.
        if (!r && m_report.fingerprint.isEmpty()) {
            done(r.errorString());
            return;
        }
        m_probe->deleteLater();
        connectForReal();
    });
}

void SiteProbe::connectForReal()
{
    m_supervisor = makeSupervisor(HostKeyPolicy::Ask);
    connect(m_supervisor, &Supervisor::hostKeyUnknown, this,
            [this](const QString &site, const QString &, const QString &fingerprint) {
                m_asked = true;
                m_report.fingerprint = fingerprint;
                m_supervisor->answerHostKey(site, m_acceptNew);
            });
    m_site = m_supervisor->addSite(m_spec);
    // The first command waits for the connection and gets its error, of the
    // kind that tells a refused host key from a failed authentication.
    m_site->transport()->exec(
        {QStringLiteral("id"), QStringLiteral("-un")}, {}, this, [this](Result<ExecResult> r) {
            if (!r) {
                switch (r.error().kind) {
                case Error::Kind::HostKeyChanged:
                    m_report.hostKeyState = QStringLiteral("changed");
                    break;
                case Error::Kind::HostKeyUnknown:
                    m_report.hostKeyState = QStringLiteral("unknown");
                    break;
                case Error::Kind::Auth:
                    m_report.hostKeyState =
                        m_asked ? QStringLiteral("added") : QStringLiteral("known");
                    break;
                default:
                    break;
                }
                QString message = r.errorString();
                if (r.error().kind == Error::Kind::HostKeyUnknown && !m_acceptNew)
                    message += QStringLiteral(" (check the fingerprint, then run again with "
                                              "--accept-new-host-key to trust it)");
                done(message);
                return;
            }
            m_report.connected = true;
            if (m_spec.kind != SiteSpec::Kind::Local)
                m_report.hostKeyState = m_asked ? QStringLiteral("added") : QStringLiteral("known");
            m_report.remoteUser = QString::fromUtf8(r->out).trimmed();
            m_report.home = m_site->transport()->homeDirectory();
            timeExec();
        });
}

void SiteProbe::timeExec()
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    m_site->transport()->exec({QStringLiteral("true")}, {}, this,
                              [this, timer](Result<ExecResult> r) {
                                  if (!r) {
                                      done(r.errorString());
                                      return;
                                  }
                                  m_report.execMs = double(timer->nsecsElapsed()) / 1e6;
                                  if (m_spec.kind == SiteSpec::Kind::Slurm)
                                      checkSlurm();
                                  else
                                      findHelper();
                              });
}

void SiteProbe::checkSlurm()
{
    const QStringList argv =
        QStringList{QStringLiteral("/bin/sh"), QStringLiteral("-c"), QLatin1String(kWhichScript),
                    QStringLiteral("vigil-which")} +
        kSlurmTools;
    m_site->transport()->exec(argv, {}, this, [this](Result<ExecResult> r) {
        if (!r) {
            done(r.errorString());
            return;
        }
        for (const QString &t : kSlurmTools)
            m_report.slurmTools.insert(t, QString());
        for (const QByteArray &line : r->out.split('\n')) {
            const qsizetype eq = line.indexOf('=');
            const QString name = QString::fromUtf8(line.left(eq));
            if (eq > 0 && m_report.slurmTools.contains(name))
                m_report.slurmTools[name] = QString::fromUtf8(line.mid(eq + 1)).trimmed();
        }
        if (m_report.slurmTools.value(QStringLiteral("sacct")).isEmpty())
            m_report.warning = QStringLiteral("no sacct on %1: finished jobs are looked up with "
                                              "scontrol while SLURM remembers them")
                                   .arg(m_spec.name);
        findHelper();
    });
}

void SiteProbe::findHelper()
{
    if (m_spec.kind == SiteSpec::Kind::Local) {
        // The local machine uses this build's binary in place.
        const QString local = Site::localHelperBinary();
        if (local.isEmpty()) {
            m_report.helperState = QStringLiteral("missing");
            done();
            return;
        }
        versionOf(local, QStringLiteral("current"));
        return;
    }
    const QString dir = remoteHelperDirectory(m_report.home);
    localHelperName().then(this, [this, dir](const QString &expected) {
        m_site->transport()->listDirectory(
            dir, this, [this, dir, expected](Result<QList<FileEntry>> r) {
                if (!r) {
                    if (r.error().kind == Error::Kind::NotFound) {
                        m_report.helperState = QStringLiteral("missing");
                    } else {
                        m_report.helperState = QStringLiteral("unknown");
                        m_report.helperProblem = r.errorString();
                    }
                    done();
                    return;
                }
                const FileEntry *newest = nullptr;
                for (const FileEntry &e : *r) {
                    if (e.isDir || e.isSymlink || !e.name.startsWith(QLatin1String("vigil-job-")))
                        continue;
                    if (!expected.isEmpty() && e.name == expected) {
                        versionOf(dir + QLatin1Char('/') + e.name, QStringLiteral("current"));
                        return;
                    }
                    if (!newest || e.mtime > newest->mtime)
                        newest = &e;
                }
                if (!newest) {
                    m_report.helperState = QStringLiteral("missing");
                    done();
                    return;
                }
                versionOf(dir + QLatin1Char('/') + newest->name, QStringLiteral("other"));
            });
    });
}

void SiteProbe::versionOf(const QString &path, const QString &state)
{
    m_report.helperPath = path;
    m_site->transport()->exec(
        {path, QStringLiteral("--version")}, {}, this, [this, state](Result<ExecResult> r) {
            if (r && r->exitCode == 0) {
                m_report.helperState = state;
                m_report.helperVersion = QString::fromUtf8(r->out).trimmed();
            } else {
                m_report.helperState = QStringLiteral("unknown");
                m_report.helperProblem =
                    QStringLiteral("%1 does not run: %2")
                        .arg(m_report.helperPath,
                             r ? QString::fromUtf8(r->err).trimmed().left(500) : r.errorString());
            }
            done();
        });
}

void SiteProbe::done(const QString &error)
{
    m_report.error = error;
    if (error.isEmpty() && m_spec.kind == SiteSpec::Kind::Slurm) {
        QStringList missing;
        for (const QString &t : {QStringLiteral("sbatch"), QStringLiteral("squeue")})
            if (m_report.slurmTools.value(t).isEmpty())
                missing << t;
        if (!missing.isEmpty())
            m_report.error = QStringLiteral("%1 not found on %2: it cannot run SLURM jobs")
                                 .arg(missing.join(QStringLiteral(" and ")), m_spec.name);
    }
    Q_EMIT finished(m_report);
}

} // namespace vigil::ctl
