// SPDX-License-Identifier: GPL-3.0-or-later
// The executor's gate actions: post a gate as a checkpoint of the run, and
// take its default when the deadline passed.

#include "engine.h"
#include "logging.h"
#include "protocol/ids.h"
#include "sites/site.h"
#include "supervisor.h"

#include <QSysInfo>

namespace vigil::engine {

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

// The uid of the engine's account on the site and of each approver, asked
// of the site itself (`id -u [NAME]`, argv only), kept for the session.
void Engine::siteAccount(Site *site, const QStringList &approvers,
                         std::function<void(Result<GateAccount>)> finished)
{
    QStringList missing;
    for (const QString &user : QStringList{QString()} + approvers) {
        if (!user.isEmpty()) {
            if (auto ok = protocol::validateUserName(user.toStdString()); !ok) {
                finished(Error(qs(ok.errorString()), Error::Kind::Malformed));
                return;
            }
        }
        if (!m_uids.contains(site->name() + QLatin1Char('/') + user))
            missing << user;
    }
    if (missing.isEmpty()) {
        GateAccount account;
        account.ownerUid = m_uids.value(site->name() + QLatin1Char('/'));
        account.approvers = approvers;
        for (const QString &user : approvers)
            account.approverUids << m_uids.value(site->name() + QLatin1Char('/') + user);
        account.host = QSysInfo::machineHostName();
        finished(account);
        return;
    }
    const QString user = missing.first();
    QStringList argv{QStringLiteral("id"), QStringLiteral("-u")};
    if (!user.isEmpty())
        argv << QStringLiteral("--") << user;
    site->transport()->exec(argv, {}, this, [=, this](Result<ExecResult> r) {
        bool ok = r && r->exitCode == 0;
        const uint uid = ok ? QString::fromUtf8(r->out).trimmed().toUInt(&ok) : 0;
        if (!ok) {
            finished(Error(tr("cannot find the uid of %1 on %2: %3")
                               .arg(user.isEmpty() ? tr("this account") : user, site->name(),
                                    r ? QString::fromUtf8(r->err).trimmed() : r.errorString())));
            return;
        }
        m_uids.insert(site->name() + QLatin1Char('/') + user, uid);
        siteAccount(site, approvers, finished);
    });
}

void Engine::postGate(const Action &a, Next next)
{
    const TaskSpec *gate = m_workflow.task(a.task);
    Site *site = gate ? siteOf(gateSite(m_workflow, *gate)) : nullptr;
    if (!site) {
        failed(a, QString(), tr("the gate's site is not known"), next);
        return;
    }
    siteAccount(site, gateApprovers(m_workflow, *gate), [=, this](Result<GateAccount> account) {
        if (!account)
            failed(a, site->name(), account.errorString(), next);
        else
            postGateAs(a, site, *account, next);
    });
}

void Engine::postGateAs(const Action &a, Site *site, const GateAccount &account, Next next)
{
    const TaskSpec *gate = m_workflow.task(a.task);
    auto request = gateRequest(*gate, account, m_options.clock->now());
    if (!request) {
        failed(a, site->name(), request.errorString(), next);
        return;
    }
    // An approver who is not the account decides through the group: the
    // directory is group-writable and sticky, the request group-readable
    // (as vigil-job does for an in-job checkpoint).
    bool shared = false;
    for (quint32 uid : account.approverUids)
        shared = shared || uid != account.ownerUid;
    const QString dir =
        runDir(site) + QStringLiteral("/checkpoints/") + gateCheckpointId(gate->name);
    const QString path = dir + QStringLiteral("/request.json");
    const QByteArray bytes = QByteArray::fromStdString(protocol::serializeRequest(*request));
    Transport *t = site->transport();
    t->makeDirectories(dir, shared ? 01770 : 0700, this, [=, this](Result<void> mk) {
        if (!mk) {
            failed(a, site->name(), mk.errorString(), next);
            return;
        }
        t->createExclusive(path, bytes, shared ? 0640 : 0600, this, [=, this](Result<void> w) {
            if (w) {
                done(a, tr("checkpoint %1 posted on %2").arg(gate->name, site->name()), next);
                return;
            }
            if (w.error().kind != Error::Kind::AlreadyExists) {
                failed(a, site->name(), w.errorString(), next);
                return;
            }
            // Posted already (by this engine before the scan saw it, or by
            // another): the same question is fine, another one is not.
            readRequestFile(t, path, this, [=, this](Result<protocol::Request> existing) {
                if (existing && protocol::sameQuestion(*existing, *request))
                    done(a, tr("checkpoint %1 was posted already").arg(gate->name), next);
                else
                    failed(a, site->name(),
                           existing ? tr("%1 exists and asks another question").arg(path)
                                    : existing.errorString(),
                           next);
            });
        });
    });
}

void Engine::takeDefault(const Action &a, Next next)
{
    const TaskSpec *gate = m_workflow.task(a.task);
    Site *site = gate ? siteOf(gateSite(m_workflow, *gate)) : nullptr;
    if (!site) {
        failed(a, QString(), tr("the gate's site is not known"), next);
        return;
    }
    const QString dir =
        runDir(site) + QStringLiteral("/checkpoints/") + gateCheckpointId(gate->name);
    const QString requestPath = dir + QStringLiteral("/request.json");
    const QString decisionPath = dir + QStringLiteral("/decision.json");
    Transport *t = site->transport();
    readRequestFile(t, requestPath, this, [=, this](Result<protocol::Request> request) {
        if (!request) {
            failed(a, site->name(), request.errorString(), next);
            return;
        }
        // The same decision vigil-job commits for an in-job checkpoint whose
        // deadline passed: the timeout option, every param at its default,
        // kind "timeout-default".
        auto decision =
            protocol::makeTimeoutDecision(*request, QSysInfo::machineHostName().toStdString(),
                                          protocolTime(m_options.clock->now()));
        if (decision) {
            decision->comment =
                tr("taken by the engine (%1): %2").arg(m_lease->holderId(), a.reason).toStdString();
            if (auto ok = protocol::checkDecision(*request, *decision); !ok)
                decision = std::move(ok).error();
        }
        if (!decision) {
            failed(a, site->name(), qs(decision.errorString()), next);
            return;
        }
        const QByteArray bytes = QByteArray::fromStdString(protocol::serializeDecision(*decision));
        const quint32 mode = request->approverUids.empty() ? 0600 : 0640;
        const QString option = qs(decision->option);
        t->createExclusive(decisionPath, bytes, mode, this, [=, this](Result<void> w) {
            if (w)
                done(a, tr("option %1 taken by default (%2)").arg(option, a.reason), next);
            else if (w.error().kind == Error::Kind::AlreadyExists)
                done(a, tr("decided already: the decision there holds"), next);
            else
                failed(a, site->name(), w.errorString(), next);
        });
    });
}

} // namespace vigil::engine
