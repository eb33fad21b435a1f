// SPDX-License-Identifier: GPL-3.0-or-later
// engine.lease on the local machine (LocalTransport, a manual clock): one
// holder at a time, heartbeats, staleness judged by the reader's own clock,
// takeover by exactly one of two takers, a holder that lost never takes the
// lease back, release.
#include "engine/lease.h"
#include "enginetestutil.h"
#include "local/localtransport.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::engine;
using namespace vigil::enginetest;
using namespace std::chrono_literals;

namespace {

Result<bool> acquire(Lease &l)
{
    return await<bool>([&](QObject *c, Callback<bool> cb) { l.acquire(c, cb); });
}

Result<void> heartbeat(Lease &l)
{
    return await<void>([&](QObject *c, Callback<void> cb) { l.heartbeat(c, cb); });
}

Result<void> release(Lease &l)
{
    return await<void>([&](QObject *c, Callback<void> cb) { l.release(c, cb); });
}

} // namespace

class TestLease : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void firstComesHolds();
    void heartbeatKeepsItAlive();
    void staleLeaseTakenOverByOne();
    void loserNeverTakesItBack();
    void releasedLeaseTakenAtOnce();
    void brokenLeaseIsAnError();
    void format();

private:
    LeaseOptions options(const QString &holder) const { return LeaseOptions{holder, 1000ms, 3}; }
    std::unique_ptr<QTemporaryDir> m_dir;
    LocalTransport m_transport;
    ManualClock m_clockA;
    ManualClock m_clockB;
    ManualClock m_clockC;
};

void TestLease::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_transport.open();
}

void TestLease::firstComesHolds()
{
    Lease a(&m_transport, m_dir->path(), options(QStringLiteral("a@h:1")), &m_clockA);
    Lease b(&m_transport, m_dir->path(), options(QStringLiteral("b@h:2")), &m_clockB);
    QCOMPARE(*acquire(a), true);
    QVERIFY(a.mayAct());
    QCOMPARE(*acquire(b), false);
    QVERIFY(!b.mayAct());
    QCOMPARE(b.lastSeenHolder().holder, QStringLiteral("a@h:1"));
    QFile f(a.path());
    QVERIFY(f.open(QIODevice::ReadOnly));
    auto info = parseLease(f.readAll(), a.path());
    QVERIFY2(info, qPrintable(info.errorString()));
    QCOMPARE(info->token, a.token());
    QCOMPARE(info->heartbeatMs, 1000);
    QCOMPARE(info->missedHeartbeats, 3);
    // mayAct only within one interval of the last confirmation.
    m_clockA.advance(1000);
    QVERIFY(!a.mayAct());
    QVERIFY(heartbeat(a));
    QVERIFY(a.mayAct());
}

void TestLease::heartbeatKeepsItAlive()
{
    Lease a(&m_transport, m_dir->path(), options(QStringLiteral("a@h:1")), &m_clockA);
    Lease b(&m_transport, m_dir->path(), options(QStringLiteral("b@h:2")), &m_clockB);
    QVERIFY(*acquire(a));
    QCOMPARE(*acquire(b), false);
    // Ten seconds of b's clock (more than 3 x 1 s), but a heartbeats in
    // between: the content changes, so it is never stale.
    for (int i = 0; i < 10; ++i) {
        m_clockA.advance(1000);
        m_clockB.advance(1000);
        QVERIFY(heartbeat(a));
        QCOMPARE(*acquire(b), false);
    }
    QVERIFY(a.isHeld());
}

void TestLease::staleLeaseTakenOverByOne()
{
    auto a = std::make_unique<Lease>(&m_transport, m_dir->path(), options(QStringLiteral("a@h:1")),
                                     &m_clockA);
    QVERIFY(*acquire(*a));
    const QString staleToken = a->token();
    a.reset(); // the holder dies without releasing

    Lease b(&m_transport, m_dir->path(), options(QStringLiteral("b@h:2")), &m_clockB);
    Lease c(&m_transport, m_dir->path(), options(QStringLiteral("c@h:3")), &m_clockC);
    QCOMPARE(*acquire(b), false); // first sight
    QCOMPARE(*acquire(c), false);
    m_clockB.advance(2999);
    m_clockC.advance(2999);
    QCOMPARE(*acquire(b), false); // not yet: 3 missed heartbeats of 1 s
    m_clockB.advance(1);
    m_clockC.advance(1);
    // Both see it stale and try at the same time: their operations
    // interleave on the transport's thread, and only one takeover file
    // create can succeed.
    std::optional<Result<bool>> bWon, cWon;
    QObject ctx;
    b.acquire(&ctx, [&](Result<bool> r) { bWon.emplace(r); });
    c.acquire(&ctx, [&](Result<bool> r) { cWon.emplace(r); });
    QTRY_VERIFY(bWon && cWon);
    QVERIFY(*bWon && *cWon);
    QCOMPARE(int(**bWon) + int(**cWon), 1);
    Lease &winner = **bWon ? b : c;
    Lease &loser = **bWon ? c : b;
    ManualClock &winnerClock = **bWon ? m_clockB : m_clockC;
    QVERIFY(QFile::exists(takeoverPath(b.path(), staleToken)));
    // A taker waits one interval before acting (the old holder may still be
    // finishing its last interval).
    QVERIFY(winner.isHeld());
    QVERIFY(!loser.isHeld());
    QVERIFY(!winner.mayAct());
    winnerClock.advance(1000);
    QVERIFY(heartbeat(winner));
    QVERIFY(winner.mayAct());
    QCOMPARE(*acquire(loser), false);
    QCOMPARE(loser.lastSeenHolder().holder, winner.holderId());
}

// A holder that was paused past the expiry writes its lease back once more:
// the takeover file of its token still names the new holder, and it learns
// that it lost.
void TestLease::loserNeverTakesItBack()
{
    Lease a(&m_transport, m_dir->path(), options(QStringLiteral("a@h:1")), &m_clockA);
    Lease b(&m_transport, m_dir->path(), options(QStringLiteral("b@h:2")), &m_clockB);
    QVERIFY(*acquire(a));
    const QByteArray aLease = [&] {
        QFile f(a.path());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    QCOMPARE(*acquire(b), false);
    m_clockB.advance(3000);
    QVERIFY(*acquire(b));
    // a's late write (as if its heartbeat had read the file just before b's takeover).
    {
        QFile f(a.path());
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(aLease);
    }
    QSignalSpy lost(&a, &Lease::lost);
    auto hb = heartbeat(a);
    QVERIFY(!hb);
    QCOMPARE(hb.error().kind, Error::Kind::AlreadyExists);
    QVERIFY2(hb.errorString().contains(QLatin1String("b@h:2")), qPrintable(hb.errorString()));
    QVERIFY(!a.isHeld());
    QCOMPARE(lost.size(), 1);
    // b still holds it, and its heartbeat rewrites the file.
    QVERIFY(heartbeat(b));
    QFile f(b.path());
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(parseLease(f.readAll(), b.path())->token, b.token());
}

void TestLease::releasedLeaseTakenAtOnce()
{
    Lease a(&m_transport, m_dir->path(), options(QStringLiteral("a@h:1")), &m_clockA);
    Lease b(&m_transport, m_dir->path(), options(QStringLiteral("b@h:2")), &m_clockB);
    QVERIFY(*acquire(a));
    QVERIFY(release(a));
    QVERIFY(!a.isHeld());
    QVERIFY(*acquire(b)); // no waiting for a released lease
    QVERIFY(b.mayAct());
    QCOMPARE(*acquire(a), false); // a is just another engine now
}

void TestLease::brokenLeaseIsAnError()
{
    QFile f(m_dir->filePath(QLatin1String(kLeaseFile)));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"holder\": \"x\"");
    f.close();
    Lease a(&m_transport, m_dir->path(), options(QStringLiteral("a@h:1")), &m_clockA);
    auto r = acquire(a);
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::Malformed);
    QVERIFY2(r.errorString().contains(QLatin1String("engine.lease")), qPrintable(r.errorString()));
    QVERIFY(!a.isHeld());
}

void TestLease::format()
{
    LeaseInfo l;
    l.holder = QStringLiteral("u@h:1");
    l.token = QStringLiteral("0123456789abcdef0123456789abcdef");
    l.acquiredAt = kT0;
    l.heartbeatAt = kT0.addSecs(5);
    l.heartbeatMs = 10000;
    l.missedHeartbeats = 3;
    auto back = parseLease(serializeLease(l), QStringLiteral("x"));
    QVERIFY(back);
    QCOMPARE(back->token, l.token);
    QCOMPARE(back->heartbeatAt, l.heartbeatAt);
    l.token = QStringLiteral("../../etc");
    QVERIFY(!parseLease(serializeLease(l), QStringLiteral("x")));
}

QTEST_GUILESS_MAIN(TestLease)
#include "tst_lease.moc"
