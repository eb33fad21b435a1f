// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "supervisor.h"
#include "workflow/workflow.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QTemporaryDir>

namespace vigil::ctl {

// Where Site::ensureHelper() puts vigil-job on a remote site (named
// vigil-job-VERSION-HASH12 there, HASH12 from the binary's SHA-256).
QString remoteHelperDirectory(const QString &home);

// What `vigilctl site test` found out about one site.
struct ProbeReport
{
    QString site;
    QString kind;
    QString address;
    // known: in known_hosts; added: was unknown, trusted (--accept-new-host-key)
    // and recorded; unknown: not in known_hosts, refused; changed: differs
    // from known_hosts, refused; "": not reached over SSH (local) or not reached.
    QString hostKeyState;
    QString fingerprint; // SHA256:..., when the server was reached
    bool connected = false;
    QString remoteUser;
    QString home;
    double execMs = -1;                // one exec on the open connection
    QMap<QString, QString> slurmTools; // sbatch, squeue, sacct -> path ("" missing); slurm only
    QString helperState;               // current, other, missing, unknown
    QString helperPath;
    QString helperVersion;
    QString helperProblem; // why the state is unknown
    QString error;         // why the test failed; empty when it passed
    QString warning;       // a problem that does not make the site unusable

    bool ok() const { return error.isEmpty(); }
    QJsonObject toJson() const;
    QStringList toLines() const;
};

// Connects to one site for real, as the desktop would, and reports every
// step: host key, authentication, home, the round trip of one exec, the
// scheduler's commands and the vigil-job helper. Changes nothing on the site;
// the host key is recorded only when acceptNewHostKey says so.
class SiteProbe : public QObject
{
    Q_OBJECT
public:
    SiteProbe(SiteSpec spec, QString sshConfigFile, bool acceptNewHostKey, QObject *parent);

    void start();

Q_SIGNALS:
    void finished(const vigil::ctl::ProbeReport &report);

private:
    void probeFingerprint();
    void connectForReal();
    void timeExec();
    void checkSlurm();
    void findHelper();
    void versionOf(const QString &path, const QString &state);
    void done(const QString &error = QString());
    Supervisor *makeSupervisor(HostKeyPolicy policy);

    SiteSpec m_spec;
    QString m_sshConfig;
    bool m_acceptNew = false;
    bool m_asked = false; // the real connection asked about the host key
    QTemporaryDir m_scratch;
    QPointer<Supervisor> m_probe; // the fingerprint-only connection
    Supervisor *m_supervisor = nullptr;
    Site *m_site = nullptr;
    ProbeReport m_report;
};

} // namespace vigil::ctl
