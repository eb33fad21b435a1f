// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// For the tests of the outbox: the store's lists, waited for.

#include "../common/vigiljob.h"
#include "../ssh/sshtesthelpers.h"
#include "sites/site.h"
#include "store/store.h"
#include "supervisor.h"

#include <QRandomGenerator>
#include <memory>

namespace vigil::test {

// Every outbox entry, oldest first; empty when the store did not answer.
inline QList<OutboxEntry> outboxOf(Store &store)
{
    auto r = await<QList<OutboxEntry>>(
        [&](QObject *ctx, Callback<QList<OutboxEntry>> cb) { store.outbox(ctx, cb); });
    return r ? *r : QList<OutboxEntry>();
}

// The audit log of a run (every run when empty); empty when the store did not answer.
inline QList<AuditEntry> auditOf(Store &store, const QString &runId = QString())
{
    auto r = await<QList<AuditEntry>>(
        [&](QObject *ctx, Callback<QList<AuditEntry>> cb) { store.auditLog(runId, ctx, cb); });
    return r ? *r : QList<AuditEntry>();
}

// A supervisor of the sandbox's login node: site "login" (SSH), its runs
// under runRoot, decisions through `store`.
inline std::unique_ptr<Supervisor> loginSupervisor(const SandboxEnv &env, Store *store,
                                                   const QString &runRoot, int pollSeconds)
{
    SupervisorOptions o;
    o.sshConfigFile = env.sshConfig;
    o.hostKeyPolicy = HostKeyPolicy::Strict;
    o.store = store;
    o.pollSeconds = pollSeconds;
    auto s = std::make_unique<Supervisor>(o);
    SiteSpec spec;
    spec.name = QStringLiteral("login");
    spec.kind = SiteSpec::Kind::Ssh;
    spec.host = env.hostAlias;
    spec.runRoot = runRoot;
    s->addSite(spec);
    return s;
}

// A new run root PREFIX-RANDOM in the sandbox user's home holding run-1, with
// one pending checkpoint of task "train" per id, made over SSH by vigil-job
// as the job would: the run root's absolute path (and vigil-job's path on the
// site in *helperPath).
inline Result<QString> makeSandboxRun(const SandboxEnv &env, const QString &prefix,
                                      const QStringList &checkpoints, QString *helperPath = nullptr)
{
    SiteSpec spec;
    spec.name = QStringLiteral("setup");
    spec.kind = SiteSpec::Kind::Ssh;
    spec.host = env.hostAlias;
    spec.runRoot = QStringLiteral("%1-%2").arg(prefix).arg(QRandomGenerator::global()->generate(),
                                                           8, 16, QLatin1Char('0'));
    ProcessSite site(spec, new SshTransport(sandboxTarget(env)));
    site.transport()->open();
    auto helper = await<QString>(
        [&](QObject *ctx, Callback<QString> cb) { site.ensureHelper(ctx, std::move(cb)); }, 60000);
    if (!helper)
        return helper.error();
    if (helperPath)
        *helperPath = *helper;
    const QString root = site.runRoot();
    const QString runDir = root + QStringLiteral("/run-1");
    if (auto made = mkdirWait(*site.transport(), root, 0700); !made)
        return made.error();
    QList<QStringList> commands{{QStringLiteral("init-run"), QStringLiteral("--run-dir"), runDir,
                                 QStringLiteral("--run-id"), QStringLiteral("run-1")}};
    for (const QString &id : checkpoints)
        commands << checkpointArgs(runDir, QStringLiteral("train"), id);
    for (const QStringList &args : commands) {
        auto made = execWait(*site.transport(), QStringList{*helper} + args);
        if (!made)
            return made.error();
        if (made->exitCode != 0)
            return Error(QString::fromUtf8(made->err));
    }
    return root;
}

} // namespace vigil::test
