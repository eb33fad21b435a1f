// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// engine.lease: one engine acts on a run at a time.
//
// The lease is a JSON file in the run directory (holder, token, acquired and
// heartbeat times, the heartbeat interval and how many missed heartbeats make
// it stale). Acquiring it is a no-clobber create. The holder replaces it
// atomically at every heartbeat. A lease whose content a reader saw unchanged
// for missedHeartbeats intervals of the reader's own monotonic clock is stale
// (no two machines' clocks are compared); a reader takes it over by creating
// engine.lease.takeover-<stale token> no-clobber, so that of two takers only
// one can win, and then writes its own lease. The chain lease -> takeover
// file of its token -> takeover file of that token ... names the holder, so a
// late write by a holder that lost cannot take the lease back. See
// docs/engine.md.

#include "clock.h"
#include "result.h"

#include <QObject>
#include <QPointer>
#include <chrono>

namespace vigil {
class Transport;
}

namespace vigil::engine {

struct LeaseInfo
{
    QString holder; // user@host:pid
    QString token;  // 32 hex digits, random
    QDateTime acquiredAt;
    QDateTime heartbeatAt;
    qint64 heartbeatMs = 10000; // the holder's heartbeat interval
    int missedHeartbeats = 3;
    bool released = false;
};

QByteArray serializeLease(const LeaseInfo &lease);
Result<LeaseInfo> parseLease(const QByteArray &data, const QString &file);

inline constexpr char kLeaseFile[] = "engine.lease";
// The takeover file of a lease with `token`, beside it.
QString takeoverPath(const QString &leasePath, const QString &token);

struct LeaseOptions
{
    QString holder; // empty: user@host:pid of this process
    std::chrono::milliseconds heartbeat{std::chrono::seconds(10)};
    int missedHeartbeats = 3;
};

class Lease : public QObject
{
    Q_OBJECT
public:
    // `runDirectory` is an absolute path on `transport`'s machine.
    Lease(Transport *transport, const QString &runDirectory, LeaseOptions options,
          const Clock *clock = Clock::system(), QObject *parent = nullptr);

    QString path() const { return m_path; }
    QString token() const { return m_mine.token; }
    QString holderId() const { return m_mine.holder; }
    bool isHeld() const { return m_held; }
    // Held, confirmed by a heartbeat less than one interval ago, and past the
    // grace that follows a takeover (one interval, in which a holder that
    // lost notices it at its next heartbeat).
    bool mayAct() const;
    // The holder last seen when the lease was not ours.
    LeaseInfo lastSeenHolder() const { return m_seen; }
    std::chrono::milliseconds heartbeatInterval() const { return m_options.heartbeat; }

    // One try: true when held afterwards (created, already ours, or taken
    // over from a released or stale lease); false while another holder's
    // lease is alive (lastSeenHolder() says who). Call it again every
    // interval to observe the holder.
    void acquire(QObject *context, Callback<bool> done);
    // The holder renews the lease. Fails (and isHeld() becomes false) when
    // the lease is no longer ours.
    void heartbeat(QObject *context, Callback<void> done);
    // Marks the lease released so that another engine may take it at once.
    void release(QObject *context, Callback<void> done);

Q_SIGNALS:
    void lost(const QString &why);

private:
    struct Resolved
    {
        QByteArray leaseBytes; // engine.lease as read
        LeaseInfo effective;   // the end of the takeover chain
        QString chain;         // every token on the way, for staleness
    };
    void resolve(QObject *context, std::function<void(Result<Resolved>)> done);
    void follow(Resolved r, int depth, QPointer<QObject> context,
                std::function<void(Result<Resolved>)> done);
    void observe(const Resolved &r, Callback<bool> done, QPointer<QObject> context);
    void takeOver(const LeaseInfo &stale, bool grace, QPointer<QObject> context,
                  Callback<bool> done);
    void writeMine(QPointer<QObject> context, Callback<void> done);
    void confirmed(qint64 at);
    void loseLease(const QString &why);
    QByteArray mineBytes() const;

    Transport *m_transport;
    QString m_path;
    LeaseOptions m_options;
    const Clock *m_clock;
    LeaseInfo m_mine;
    bool m_held = false;
    qint64 m_confirmedAt = 0; // monotonic ms of the last confirmation
    qint64 m_actFrom = 0;     // monotonic ms from which a new holder may act
    LeaseInfo m_seen;
    QString m_observed; // the chain last seen, and since when (monotonic)
    qint64 m_observedSince = 0;
};

} // namespace vigil::engine
