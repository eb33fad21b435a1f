// SPDX-License-Identifier: GPL-3.0-or-later
#include "lease.h"

#include "localuser.h"
#include "logging.h"
#include "transport.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSysInfo>

namespace vigil::engine {

namespace {

constexpr qint64 kMaxLeaseBytes = 64 * 1024;
constexpr int kMaxChain = 32;
const char kFormatName[] = "vigil.engine-lease";

class SystemClock final : public Clock
{
public:
    SystemClock() { m_timer.start(); }
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
    qint64 monotonicMs() const override { return m_timer.elapsed(); }

private:
    QElapsedTimer m_timer;
};

QString iso(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QString defaultHolder()
{
    return QStringLiteral("%1@%2:%3")
        .arg(localUserName(), QSysInfo::machineHostName())
        .arg(QCoreApplication::applicationPid());
}

QString randomToken()
{
    QString token;
    for (int i = 0; i < 4; ++i)
        token += QStringLiteral("%1").arg(QRandomGenerator::system()->generate(), 8, 16,
                                          QLatin1Char('0'));
    return token;
}

bool isToken(const QString &t)
{
    if (t.size() != 32)
        return false;
    for (QChar c : t)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    return true;
}

} // namespace

const Clock *Clock::system()
{
    static const SystemClock clock;
    return &clock;
}

QByteArray serializeLease(const LeaseInfo &l)
{
    QJsonObject o{
        {QStringLiteral("format"), QJsonObject{{QStringLiteral("name"), QLatin1String(kFormatName)},
                                               {QStringLiteral("version"), QStringLiteral("1.0")}}},
        {QStringLiteral("holder"), l.holder},
        {QStringLiteral("token"), l.token},
        {QStringLiteral("acquired_at"), iso(l.acquiredAt)},
        {QStringLiteral("heartbeat_at"), iso(l.heartbeatAt)},
        {QStringLiteral("heartbeat_ms"), l.heartbeatMs},
        {QStringLiteral("missed_heartbeats"), l.missedHeartbeats},
        {QStringLiteral("released"), l.released},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Result<LeaseInfo> parseLease(const QByteArray &data, const QString &file)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &err);
    if (!doc.isObject())
        return Error(QStringLiteral("%1: not a JSON object (%2)").arg(file, err.errorString()),
                     Error::Kind::Malformed);
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toObject().value(QStringLiteral("name")).toString() !=
        QLatin1String(kFormatName))
        return Error(QStringLiteral("%1: not a %2 file").arg(file, QLatin1String(kFormatName)),
                     Error::Kind::Malformed);
    LeaseInfo l;
    l.holder = o.value(QStringLiteral("holder")).toString().left(256);
    l.token = o.value(QStringLiteral("token")).toString();
    l.acquiredAt =
        QDateTime::fromString(o.value(QStringLiteral("acquired_at")).toString(), Qt::ISODateWithMs);
    l.heartbeatAt = QDateTime::fromString(o.value(QStringLiteral("heartbeat_at")).toString(),
                                          Qt::ISODateWithMs);
    l.heartbeatMs = o.value(QStringLiteral("heartbeat_ms")).toInteger(-1);
    l.missedHeartbeats = o.value(QStringLiteral("missed_heartbeats")).toInt(-1);
    l.released = o.value(QStringLiteral("released")).toBool(false);
    if (!isToken(l.token))
        return Error(QStringLiteral("%1: \"token\" must be 32 lower-case hex digits").arg(file),
                     Error::Kind::Malformed);
    if (l.heartbeatMs < 1 || l.heartbeatMs > 24 * 3600 * 1000 || l.missedHeartbeats < 1 ||
        l.missedHeartbeats > 1000)
        return Error(QStringLiteral("%1: \"heartbeat_ms\" (1 ms to 1 day) and "
                                    "\"missed_heartbeats\" (1-1000) are required")
                         .arg(file),
                     Error::Kind::Malformed);
    return l;
}

QString takeoverPath(const QString &leasePath, const QString &token)
{
    return leasePath + QStringLiteral(".takeover-") + token;
}

Lease::Lease(Transport *transport, const QString &runDirectory, LeaseOptions options,
             const Clock *clock, QObject *parent)
    : QObject(parent), m_transport(transport),
      m_path(runDirectory + QLatin1Char('/') + QLatin1String(kLeaseFile)),
      m_options(std::move(options)), m_clock(clock)
{
    m_mine.holder = m_options.holder.isEmpty() ? defaultHolder() : m_options.holder;
    m_mine.token = randomToken();
    m_mine.heartbeatMs = m_options.heartbeat.count();
    m_mine.missedHeartbeats = m_options.missedHeartbeats;
}

bool Lease::mayAct() const
{
    const qint64 now = m_clock->monotonicMs();
    return m_held && now - m_confirmedAt < m_options.heartbeat.count() && now >= m_actFrom;
}

QByteArray Lease::mineBytes() const
{
    return serializeLease(m_mine);
}

void Lease::confirmed(qint64 at)
{
    m_held = true;
    m_confirmedAt = at;
}

void Lease::loseLease(const QString &why)
{
    const bool was = m_held;
    m_held = false;
    if (was) {
        qCWarning(lcEngine).noquote() << "lease" << m_path << "lost:" << why;
        Q_EMIT lost(why);
    }
}

void Lease::resolve(QObject *context, std::function<void(Result<Resolved>)> done)
{
    QPointer<QObject> ctx(context);
    m_transport->readFile(m_path, 0, kMaxLeaseBytes, this,
                          [this, ctx, done = std::move(done)](Result<FileChunk> chunk) mutable {
                              if (!ctx)
                                  return;
                              if (!chunk) {
                                  done(chunk.error());
                                  return;
                              }
                              auto lease = parseLease(chunk->data, m_path);
                              if (!lease) {
                                  done(lease.error());
                                  return;
                              }
                              Resolved r{chunk->data, *lease, lease->token};
                              follow(std::move(r), 0, ctx, std::move(done));
                          });
}

// engine.lease -> engine.lease.takeover-<token> -> ...: the last one names the holder.
void Lease::follow(Resolved r, int depth, QPointer<QObject> ctx,
                   std::function<void(Result<Resolved>)> done)
{
    if (depth >= kMaxChain) {
        done(Error(QStringLiteral("%1: more than %2 takeover files follow one another")
                       .arg(m_path)
                       .arg(kMaxChain),
                   Error::Kind::Malformed));
        return;
    }
    const QString next = takeoverPath(m_path, r.effective.token);
    m_transport->readFile(
        next, 0, kMaxLeaseBytes, this,
        [this, r, depth, next, ctx, done = std::move(done)](Result<FileChunk> chunk) mutable {
            if (!ctx)
                return;
            if (!chunk) {
                if (chunk.error().kind == Error::Kind::NotFound)
                    done(std::move(r));
                else
                    done(chunk.error());
                return;
            }
            auto lease = parseLease(chunk->data, next);
            if (!lease) {
                done(lease.error());
                return;
            }
            r.effective = *lease;
            r.chain += QLatin1Char('>') + lease->token;
            follow(std::move(r), depth + 1, ctx, std::move(done));
        });
}

void Lease::acquire(QObject *context, Callback<bool> done)
{
    QPointer<QObject> ctx(context);
    if (m_held) {
        heartbeat(context, [done = std::move(done)](Result<void> r) {
            if (!r && r.error().kind != Error::Kind::AlreadyExists)
                done(r.error());
            else
                done(r.ok());
        });
        return;
    }
    const qint64 started = m_clock->monotonicMs();
    m_mine.acquiredAt = m_clock->now();
    m_mine.heartbeatAt = m_mine.acquiredAt;
    m_mine.released = false;
    m_transport->createExclusive(
        m_path, mineBytes(), 0600, this,
        [this, ctx, started, done = std::move(done)](Result<void> created) mutable {
            if (!ctx)
                return;
            if (created) {
                qCInfo(lcEngine).noquote() << "lease" << m_path << "acquired by" << m_mine.holder;
                m_actFrom = started;
                confirmed(started);
                done(true);
                return;
            }
            if (created.error().kind != Error::Kind::AlreadyExists) {
                done(created.error());
                return;
            }
            resolve(ctx, [this, ctx, done = std::move(done)](Result<Resolved> r) mutable {
                if (!r) {
                    done(r.error());
                    return;
                }
                observe(*r, std::move(done), ctx);
            });
        });
}

void Lease::observe(const Resolved &r, Callback<bool> done, QPointer<QObject> ctx)
{
    const qint64 now = m_clock->monotonicMs();
    m_seen = r.effective;
    if (r.effective.token == m_mine.token) {
        confirmed(now);
        done(true);
        return;
    }
    if (r.effective.released) {
        takeOver(r.effective, false, ctx, std::move(done));
        return;
    }
    // Staleness on this reader's own clock: the same bytes and chain for the
    // holder's whole expiry time.
    const QString key = QString::fromLatin1(r.leaseBytes.toBase64()) + r.chain;
    if (key != m_observed) {
        m_observed = key;
        m_observedSince = now;
        done(false);
        return;
    }
    const qint64 expiry = r.effective.heartbeatMs * r.effective.missedHeartbeats;
    if (now - m_observedSince < expiry) {
        done(false);
        return;
    }
    qCInfo(lcEngine).noquote() << "lease" << m_path << "of" << r.effective.holder << "unchanged for"
                               << (now - m_observedSince) << "ms: taking over";
    takeOver(r.effective, true, ctx, std::move(done));
}

void Lease::takeOver(const LeaseInfo &stale, bool grace, QPointer<QObject> ctx, Callback<bool> done)
{
    const qint64 started = m_clock->monotonicMs();
    m_mine.acquiredAt = m_clock->now();
    m_mine.heartbeatAt = m_mine.acquiredAt;
    m_transport->createExclusive(
        takeoverPath(m_path, stale.token), mineBytes(), 0600, this,
        [this, ctx, started, grace, stale, done = std::move(done)](Result<void> won) mutable {
            if (!ctx)
                return;
            if (!won) {
                m_observed.clear();
                if (won.error().kind == Error::Kind::AlreadyExists)
                    done(false); // another engine took it first
                else
                    done(won.error());
                return;
            }
            qCInfo(lcEngine).noquote()
                << "lease" << m_path << "taken over from" << stale.holder << "by" << m_mine.holder;
            m_actFrom = started + (grace ? m_options.heartbeat.count() : 0);
            confirmed(started);
            // The takeover file already makes us the holder; engine.lease
            // itself is rewritten for readers (a failure is retried by the
            // next heartbeat).
            m_transport->writeFileAtomic(m_path, mineBytes(), 0600, this,
                                         [ctx, done = std::move(done)](Result<void> w) {
                                             if (!ctx)
                                                 return;
                                             if (!w)
                                                 qCWarning(lcEngine).noquote() << w.errorString();
                                             done(true);
                                         });
        });
}

void Lease::heartbeat(QObject *context, Callback<void> done)
{
    QPointer<QObject> ctx(context);
    if (!m_held) {
        done(Error(QStringLiteral("%1 is not held by %2").arg(m_path, m_mine.holder),
                   Error::Kind::AlreadyExists));
        return;
    }
    const qint64 started = m_clock->monotonicMs();
    resolve(ctx, [this, ctx, started, done = std::move(done)](Result<Resolved> r) mutable {
        if (!r) {
            if (r.error().kind == Error::Kind::NotFound)
                loseLease(QStringLiteral("%1 was removed").arg(m_path));
            done(r.error());
            return;
        }
        if (r->effective.token != m_mine.token) {
            m_seen = r->effective;
            const QString why = QStringLiteral("%1 is held by %2 now").arg(m_path, m_seen.holder);
            loseLease(why);
            done(Error(why, Error::Kind::AlreadyExists));
            return;
        }
        m_mine.heartbeatAt = m_clock->now();
        writeMine(ctx, [this, ctx, started, done = std::move(done)](Result<void> w) mutable {
            if (!w) {
                done(w.error());
                return;
            }
            // Written: unless a taker created our takeover file meanwhile, the
            // lease is ours up to one interval from when this heartbeat began.
            m_transport->readFile(
                takeoverPath(m_path, m_mine.token), 0, kMaxLeaseBytes, this,
                [this, ctx, started, done = std::move(done)](Result<FileChunk> t) {
                    if (!ctx)
                        return;
                    if (t) {
                        auto taker = parseLease(t->data, takeoverPath(m_path, m_mine.token));
                        const QString why =
                            QStringLiteral("%1 was taken over by %2")
                                .arg(m_path,
                                     taker ? taker->holder : QStringLiteral("another engine"));
                        loseLease(why);
                        done(Error(why, Error::Kind::AlreadyExists));
                        return;
                    }
                    if (t.error().kind != Error::Kind::NotFound) {
                        done(t.error());
                        return;
                    }
                    confirmed(started);
                    done(Result<void>());
                });
        });
    });
}

void Lease::writeMine(QPointer<QObject> ctx, Callback<void> done)
{
    m_transport->writeFileAtomic(m_path, mineBytes(), 0600, this,
                                 [ctx, done = std::move(done)](Result<void> w) {
                                     if (ctx)
                                         done(std::move(w));
                                 });
}

void Lease::release(QObject *context, Callback<void> done)
{
    QPointer<QObject> ctx(context);
    if (!m_held) {
        done(Result<void>());
        return;
    }
    resolve(ctx, [this, ctx, done = std::move(done)](Result<Resolved> r) mutable {
        if (!r || r->effective.token != m_mine.token) {
            m_held = false;
            done(r ? Result<void>() : Result<void>(r.error()));
            return;
        }
        m_mine.released = true;
        m_mine.heartbeatAt = m_clock->now();
        m_held = false;
        const QByteArray released = mineBytes();
        // A later acquire by this object takes the released lease over like
        // any other engine would: under a new token.
        m_mine.token = randomToken();
        m_mine.released = false;
        m_transport->writeFileAtomic(m_path, released, 0600, this,
                                     [ctx, done = std::move(done)](Result<void> w) {
                                         if (ctx)
                                             done(std::move(w));
                                     });
    });
}

} // namespace vigil::engine
