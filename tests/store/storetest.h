// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// For the tests of the outbox: the store's lists, waited for.

#include "../ssh/sshtesthelpers.h"
#include "store/store.h"

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

} // namespace vigil::test
