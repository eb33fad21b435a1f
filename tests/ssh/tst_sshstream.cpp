// SPDX-License-Identifier: GPL-3.0-or-later
// Streams (long-running commands) on SshTransport against the sandbox's sshd:
// output arrives while the command runs, other operations share the session
// meanwhile, stop ends the remote command, a dropped connection ends the
// stream with Network, and the transport's counters count what happened.

#include "sshtesthelpers.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

namespace {

// What one stream reported.
struct Recorder
{
    QList<QPair<qint64, QByteArray>> chunks; // ms since start, bytes
    std::optional<Result<ExecResult>> finished;
    QElapsedTimer clock;

    QByteArray all() const
    {
        QByteArray out;
        for (const auto &c : chunks)
            out += c.second;
        return out;
    }
};

StreamId startRecording(Transport &t, const QStringList &argv, QObject *context, Recorder &rec)
{
    rec.clock.start();
    return t.startStream(
        argv, context,
        [&rec](const QByteArray &chunk) {
            rec.chunks.append({rec.clock.elapsed(), chunk});
        },
        [&rec](Result<ExecResult> r) { rec.finished = std::move(r); });
}

const QString kKillOwnSshd =
    QStringLiteral("p=$$; while [ \"$p\" -gt 1 ]; do "
                   "if [ \"$(cat /proc/$p/comm)\" = sshd ]; then kill \"$p\"; exit 0; fi; "
                   "p=$(awk '{print $4}' /proc/$p/stat); done; exit 9");

} // namespace

class TestSshStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void outputArrivesWhileTheCommandRuns();
    void otherOperationsShareTheSession();
    void exitCodeAndStderrAtTheEnd();
    void stopEndsTheRemoteCommand();
    void droppedConnectionEndsStreamsWithNetwork();
    void countersCountOperationsAndBytes();

private:
    SandboxEnv m_env;
    QObject m_context;
};

void TestSshStream::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
}

void TestSshStream::outputArrivesWhileTheCommandRuns()
{
    SshTransport t(sandboxTarget(m_env));
    Recorder rec;
    startRecording(t,
                   {QStringLiteral("sh"), QStringLiteral("-c"),
                    QStringLiteral("for i in 1 2 3 4; do echo line $i; sleep 0.4; done")},
                   &m_context, rec);
    // The first line comes long before the command ends (1.6 s).
    QTRY_VERIFY_WITH_TIMEOUT(!rec.chunks.isEmpty(), 15000);
    QVERIFY(!rec.finished.has_value());
    QCOMPARE(rec.chunks.first().second.left(7), QByteArray("line 1\n"));
    QTRY_VERIFY_WITH_TIMEOUT(rec.finished.has_value(), 15000);
    VIGIL_VERIFY_OK((*rec.finished));
    QCOMPARE((*rec.finished)->exitCode, 0);
    QCOMPARE(rec.all(), QByteArray("line 1\nline 2\nline 3\nline 4\n"));
    QVERIFY2(rec.chunks.size() >= 3, "lines written 0.4 s apart arrive apart");
    // Spread over the command's life, not all at its end.
    QVERIFY(rec.chunks.last().first - rec.chunks.first().first >= 800);
}

void TestSshStream::otherOperationsShareTheSession()
{
    SshTransport t(sandboxTarget(m_env));
    auto first = execWait(t, {QStringLiteral("true")});
    VIGIL_VERIFY_OK(first);
    Recorder rec;
    const StreamId id = startRecording(t,
                                       {QStringLiteral("sh"), QStringLiteral("-c"),
                                        QStringLiteral("while :; do echo tick; sleep 0.2; done")},
                                       &m_context, rec);
    QTRY_VERIFY_WITH_TIMEOUT(!rec.chunks.isEmpty(), 15000);
    // Ten execs and file operations while the stream is open, on the same session.
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 10; ++i) {
        auto r = execWait(t, {QStringLiteral("echo"), QString::number(i)});
        VIGIL_VERIFY_OK(r);
        QCOMPARE(r->out, QByteArray::number(i) + '\n');
        auto listed = listWait(t, QStringLiteral("."));
        VIGIL_VERIFY_OK(listed);
    }
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    const qsizetype before = rec.chunks.size();
    QTRY_VERIFY_WITH_TIMEOUT(rec.chunks.size() > before + 2, 10000); // still streaming
    QCOMPARE(t.stats().connects, quint64(1));                        // one session for all
    t.stopStream(id);
}

void TestSshStream::exitCodeAndStderrAtTheEnd()
{
    SshTransport t(sandboxTarget(m_env));
    Recorder rec;
    startRecording(t,
                   {QStringLiteral("sh"), QStringLiteral("-c"),
                    QStringLiteral("echo out; echo 'went wrong' >&2; exit 7")},
                   &m_context, rec);
    QTRY_VERIFY_WITH_TIMEOUT(rec.finished.has_value(), 15000);
    VIGIL_VERIFY_OK((*rec.finished));
    QCOMPARE((*rec.finished)->exitCode, 7);
    QCOMPARE((*rec.finished)->err, QByteArray("went wrong\n"));
    QCOMPARE(rec.all(), QByteArray("out\n"));
}

void TestSshStream::stopEndsTheRemoteCommand()
{
    SshTransport t(sandboxTarget(m_env));
    const QString marker =
        QStringLiteral("vigil-stream-stop-%1")
            .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    Recorder rec;
    // exec replaces sh: the marker is in the command line of the looping process.
    const StreamId id = startRecording(
        t,
        {QStringLiteral("sh"), QStringLiteral("-c"),
         QStringLiteral("exec sh -c 'while :; do echo x; sleep 0.2; done' %1").arg(marker)},
        &m_context, rec);
    QTRY_VERIFY_WITH_TIMEOUT(!rec.chunks.isEmpty(), 15000);
    auto running = execWait(t, {QStringLiteral("pgrep"), QStringLiteral("-f"), marker});
    VIGIL_VERIFY_OK(running);
    QCOMPARE(running->exitCode, 0);

    t.stopStream(id);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            auto r = execWait(t, {QStringLiteral("pgrep"), QStringLiteral("-f"), marker});
            return r.ok() && r->exitCode == 1;
        }(),
        10000);
    const qsizetype seen = rec.chunks.size();
    QTest::qWait(600);
    QCOMPARE(rec.chunks.size(), seen);  // nothing after stop
    QVERIFY(!rec.finished.has_value()); // and no end report
}

void TestSshStream::droppedConnectionEndsStreamsWithNetwork()
{
    SshTransport t(sandboxTarget(m_env));
    Recorder rec;
    startRecording(t,
                   {QStringLiteral("sh"), QStringLiteral("-c"),
                    QStringLiteral("while :; do echo tick; sleep 0.2; done")},
                   &m_context, rec);
    QTRY_VERIFY_WITH_TIMEOUT(!rec.chunks.isEmpty(), 15000);
    auto killed = execWait(t, {QStringLiteral("sh"), QStringLiteral("-c"), kKillOwnSshd});
    QVERIFY(!killed.ok());
    QTRY_VERIFY_WITH_TIMEOUT(rec.finished.has_value(), 15000);
    QVERIFY(!rec.finished->ok());
    QCOMPARE(rec.finished->error().kind, Error::Kind::Network);

    // A new stream on the same transport reconnects.
    Recorder again;
    startRecording(t, {QStringLiteral("echo"), QStringLiteral("back")}, &m_context, again);
    QTRY_VERIFY_WITH_TIMEOUT(again.finished.has_value(), 20000);
    VIGIL_VERIFY_OK((*again.finished));
    QCOMPARE(again.all(), QByteArray("back\n"));
    QCOMPARE(t.stats().connects, quint64(2));
}

void TestSshStream::countersCountOperationsAndBytes()
{
    SshTransport t(sandboxTarget(m_env));
    auto zeros = execWait(t, {QStringLiteral("head"), QStringLiteral("-c"),
                              QStringLiteral("100000"), QStringLiteral("/dev/zero")});
    VIGIL_VERIFY_OK(zeros);
    auto listed = listWait(t, QStringLiteral("."));
    VIGIL_VERIFY_OK(listed);
    const TransportStats s = t.stats();
    QCOMPARE(s.connects, quint64(1));
    QCOMPARE(s.execs, quint64(1));
    QCOMPARE(s.fileOps, quint64(1));
    QVERIFY2(s.payloadIn >= 100000, qPrintable(QString::number(s.payloadIn)));
    // The TCP counters include the 100 kB, the handshake and the framing.
    QVERIFY2(s.wireIn > 100000 && s.wireIn < 200000, qPrintable(QString::number(s.wireIn)));
    QVERIFY2(s.wireOut > 0, qPrintable(QString::number(s.wireOut)));
}

QTEST_GUILESS_MAIN(TestSshStream)
#include "tst_sshstream.moc"
