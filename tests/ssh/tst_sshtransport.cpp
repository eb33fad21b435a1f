// SPDX-License-Identifier: GPL-3.0-or-later
// Integration tests of SshTransport's operations against the sandbox's sshd.

#include "sshtesthelpers.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace vigil;
using namespace vigil::test;

class TestSshTransport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void connectsThroughConfigAlias();
    void callerThreadNeverBlocks();
    void execPassesHostileWordsUnchanged();
    void execPassesStandardInput();
    void execReportsExitCodesAndStderr();
    void execOutputIsLimited();
    void execLatencyWithNodelay();
    void readFileAtOffsetWithLimit();
    void readFileRefusesSymlinksAndHugeReads();
    void writeFileAtomicReplaces();
    void createExclusiveFirstWins();
    void createExclusiveRaceOfTwoTransports();
    void listDirectoryDoesNotFollowLinks();
    void makeDirectoriesLikeMkdirP();
    void reconnectsAfterTheConnectionDropped();
    void closeAndDestructionDoNotWaitForCommands();

private:
    QString scratch(const QString &name) const { return m_dir + QLatin1Char('/') + name; }

    SandboxEnv m_env;
    std::unique_ptr<SshTransport> m_t;
    QString m_dir; // a fresh directory in the sandbox user's home
};

void TestSshTransport::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    m_t = std::make_unique<SshTransport>(sandboxTarget(m_env));
    m_t->open();
    QTRY_COMPARE_WITH_TIMEOUT(m_t->state(), Transport::State::Connected, 20000);
    m_dir = QStringLiteral("vigil-ssh-test-%1-%2")
                .arg(QCoreApplication::applicationPid())
                .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    auto made = mkdirWait(*m_t, m_dir, 0700);
    VIGIL_VERIFY_OK(made);
}

void TestSshTransport::cleanupTestCase()
{
    if (m_t && !m_dir.isEmpty())
        (void)execWait(*m_t,
                       {QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), m_dir});
    m_t.reset();
}

void TestSshTransport::connectsThroughConfigAlias()
{
    QVERIFY(m_t->homeDirectory().startsWith(QLatin1Char('/')));
    auto r = execWait(*m_t, {QStringLiteral("id"), QStringLiteral("-un")});
    VIGIL_VERIFY_OK(r);
    QCOMPARE(QString::fromUtf8(r->out.trimmed()), m_env.user);
    QCOMPARE(r->exitCode, 0);
}

void TestSshTransport::callerThreadNeverBlocks()
{
    // A timer of the test thread keeps ticking while a new transport connects
    // and runs commands: nothing waits on this thread.
    QElapsedTimer sinceTick;
    qint64 longestGap = 0;
    QTimer ticker;
    ticker.setInterval(5);
    connect(&ticker, &QTimer::timeout, this,
            [&] { longestGap = std::max(longestGap, sinceTick.restart()); });
    sinceTick.start();
    ticker.start();

    SshTransport t(sandboxTarget(m_env));
    QElapsedTimer call;
    call.start();
    t.open();
    int done = 0;
    QObject context;
    for (int i = 0; i < 10; ++i)
        t.exec({QStringLiteral("sleep"), QStringLiteral("0.02")}, {}, &context,
               [&](Result<ExecResult> r) { done += r.ok() ? 1 : 0; });
    const qint64 callTime = call.elapsed();
    QTRY_COMPARE_WITH_TIMEOUT(done, 10, 20000);
    ticker.stop();
    qInfo() << "issuing open + 10 exec calls took" << callTime << "ms; longest gap between ticks"
            << longestGap << "ms";
    // ThreadSanitizer (./dev tsan) makes every step 5-15 times slower.
#if defined(__SANITIZE_THREAD__)
    constexpr qint64 slowdown = 10;
#else
    constexpr qint64 slowdown = 1;
#endif
    QVERIFY2(callTime < 50 * slowdown, "the public calls must only post work");
    QVERIFY2(longestGap < 150 * slowdown, "the test thread's event loop was blocked");
}

void TestSshTransport::execPassesHostileWordsUnchanged()
{
    const QStringList words = {
        QStringLiteral("plain"),
        QString(),
        QStringLiteral("two words"),
        QStringLiteral("it's"),
        QStringLiteral("\"double\""),
        QStringLiteral("$(touch /tmp/vigil-pwned)"),
        QStringLiteral("`id`"),
        QStringLiteral("a;b && c || d | e > f < g"),
        QStringLiteral("line1\nline2\n"),
        QStringLiteral("tab\there"),
        QStringLiteral("$HOME ${PATH} $1 $@ $$"),
        QStringLiteral("* ? [a] ~ ~root"),
        QStringLiteral("back\\slash\\"),
        QStringLiteral("-n"),
        QStringLiteral("--help"),
        QStringLiteral("-e"),
        QStringLiteral("héllo wörld ✓ 日本語 🚀"),
        QStringLiteral("'; rm -rf ~; '"),
        QStringLiteral("!history #comment"),
    };
    QStringList argv = {QStringLiteral("printf"), QStringLiteral("%s\\0")};
    argv += words;
    auto r = execWait(*m_t, argv);
    VIGIL_VERIFY_OK(r);
    QCOMPARE(r->exitCode, 0);
    QVERIFY(r->out.endsWith('\0'));
    QStringList got;
    for (const QByteArray &w : r->out.chopped(1).split('\0'))
        got << QString::fromUtf8(w);
    QCOMPARE(got, words);
}

void TestSshTransport::execPassesStandardInput()
{
    const QByteArray small("hello\n\0binary\xff", 14);
    auto r = execWait(*m_t, {QStringLiteral("cat")}, small);
    VIGIL_VERIFY_OK(r);
    QCOMPARE(r->out, small);

    // More than a channel window each way, at the same time.
    QByteArray big(3 * 1024 * 1024, '\0');
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i * 7 % 251);
    auto r2 = execWait(*m_t, {QStringLiteral("cat")}, big);
    VIGIL_VERIFY_OK(r2);
    QCOMPARE(r2->out.size(), big.size());
    QVERIFY(r2->out == big);

    auto r3 = execWait(*m_t, {QStringLiteral("wc"), QStringLiteral("-c")}, {});
    VIGIL_VERIFY_OK(r3);
    QCOMPARE(r3->out.trimmed(), QByteArray("0")); // EOF is sent even without input
}

void TestSshTransport::execReportsExitCodesAndStderr()
{
    auto r = execWait(*m_t, {QStringLiteral("sh"), QStringLiteral("-c"),
                             QStringLiteral("echo out; echo oops >&2; exit 3")});
    VIGIL_VERIFY_OK(r);
    QCOMPARE(r->exitCode, 3);
    QCOMPARE(r->out, QByteArray("out\n"));
    QCOMPARE(r->err, QByteArray("oops\n"));

    auto f = execWait(*m_t, {QStringLiteral("false")});
    VIGIL_VERIFY_OK(f);
    QCOMPARE(f->exitCode, 1);

    auto missing = execWait(*m_t, {QStringLiteral("vigil-no-such-command")});
    VIGIL_VERIFY_OK(missing);
    QCOMPARE(missing->exitCode, 127);

    // stderr-only output larger than a window must not stall.
    auto noisy = execWait(*m_t, {QStringLiteral("sh"), QStringLiteral("-c"),
                                 QStringLiteral("head -c 3000000 /dev/zero >&2")});
    VIGIL_VERIFY_OK(noisy);
    QCOMPARE(noisy->err.size(), 3000000);
}

void TestSshTransport::execOutputIsLimited()
{
    QElapsedTimer timer;
    timer.start();
    auto r = execWait(*m_t, {QStringLiteral("head"), QStringLiteral("-c"),
                             QStringLiteral("100000000"), QStringLiteral("/dev/zero")});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::TooLarge);
    qInfo().noquote() << r.errorString() << "after" << timer.elapsed() << "ms";
    auto after = execWait(*m_t, {QStringLiteral("echo"), QStringLiteral("still fine")});
    VIGIL_VERIFY_OK(after);
    QCOMPARE(after->out, QByteArray("still fine\n"));
}

void TestSshTransport::execLatencyWithNodelay()
{
    QList<qint64> each;
    QElapsedTimer total;
    total.start();
    for (int i = 0; i < 50; ++i) {
        QElapsedTimer one;
        one.start();
        auto r = execWait(*m_t, {QStringLiteral("true")});
        VIGIL_VERIFY_OK(r);
        each << one.nsecsElapsed() / 1000;
    }
    const qint64 totalMs = total.elapsed();
    std::sort(each.begin(), each.end());
    const double medianMs = each.at(each.size() / 2) / 1000.0;
    qInfo("50 sequential execs on one session: %lld ms in all, %.1f ms each on average, median "
          "%.1f ms",
          totalMs, totalMs / 50.0, medianMs);
    // ~10 ms with TCP_NODELAY; Nagle + delayed ACKs would add ~40 ms to each.
    QVERIFY2(medianMs < 30, "exec is slow: is SSH_OPTIONS_NODELAY set?");
}

void TestSshTransport::readFileAtOffsetWithLimit()
{
    const QString path = scratch(QStringLiteral("digits"));
    VIGIL_VERIFY_OK(writeWait(*m_t, path, "0123456789"));

    auto mid = readWait(*m_t, path, 3, 4);
    VIGIL_VERIFY_OK(mid);
    QCOMPARE(mid->data, QByteArray("3456"));
    QCOMPARE(mid->offset, 3);
    QCOMPARE(mid->fileSize, 10);

    auto all = readWait(*m_t, path, 0, 1000);
    VIGIL_VERIFY_OK(all);
    QCOMPARE(all->data, QByteArray("0123456789"));

    auto tail = readWait(*m_t, path, 8, 1000);
    VIGIL_VERIFY_OK(tail);
    QCOMPARE(tail->data, QByteArray("89"));

    auto past = readWait(*m_t, path, 20, 5);
    VIGIL_VERIFY_OK(past);
    QVERIFY(past->data.isEmpty());
    QCOMPARE(past->fileSize, 10);

    auto relative = readWait(*m_t, m_dir + QStringLiteral("/digits"), 0, 2);
    VIGIL_VERIFY_OK(relative);
    auto absolute = readWait(*m_t, m_t->homeDirectory() + QLatin1Char('/') + path, 0, 2);
    VIGIL_VERIFY_OK(absolute);
    QCOMPARE(absolute->data, QByteArray("01"));

    auto missing = readWait(*m_t, scratch(QStringLiteral("nope")));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().kind, Error::Kind::NotFound);
    QVERIFY2(missing.errorString().contains(scratch(QStringLiteral("nope"))),
             qPrintable(missing.errorString()));
}

void TestSshTransport::readFileRefusesSymlinksAndHugeReads()
{
    const QString target = scratch(QStringLiteral("real"));
    const QString link = scratch(QStringLiteral("link"));
    VIGIL_VERIFY_OK(writeWait(*m_t, target, "secret"));
    VIGIL_VERIFY_OK(
        execWait(*m_t, {QStringLiteral("ln"), QStringLiteral("-s"), QStringLiteral("real"), link}));
    auto r = readWait(*m_t, link);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Permission);
    QCOMPARE(r.errorString(), QStringLiteral("refusing to follow symlink %1").arg(link));

    const QString huge = scratch(QStringLiteral("huge"));
    VIGIL_VERIFY_OK(execWait(
        *m_t, {QStringLiteral("truncate"), QStringLiteral("-s"), QStringLiteral("200M"), huge}));
    auto big = readWait(*m_t, huge, 0, qint64(1) << 40);
    QVERIFY(!big.ok());
    QCOMPARE(big.error().kind, Error::Kind::TooLarge);
    auto part = readWait(*m_t, huge, 100 << 20, 16);
    VIGIL_VERIFY_OK(part);
    QCOMPARE(part->data, QByteArray(16, '\0'));
    QCOMPARE(part->fileSize, qint64(200) << 20);
}

void TestSshTransport::writeFileAtomicReplaces()
{
    const QString path = scratch(QStringLiteral("it's a $(file).txt"));
    VIGIL_VERIFY_OK(writeWait(*m_t, path, "first version", 0640));
    VIGIL_VERIFY_OK(writeWait(*m_t, path, "second", 0640));
    auto r = readWait(*m_t, path);
    VIGIL_VERIFY_OK(r);
    QCOMPARE(r->data, QByteArray("second"));

    auto list = listWait(*m_t, m_dir);
    VIGIL_VERIFY_OK(list);
    for (const FileEntry &e : *list) {
        QVERIFY2(!e.name.contains(QLatin1String(".tmp-")), qPrintable(e.name));
        if (e.name == QLatin1String("it's a $(file).txt"))
            QCOMPARE(e.permissions, 0640u);
    }

    auto empty = writeWait(*m_t, scratch(QStringLiteral("empty")), {});
    VIGIL_VERIFY_OK(empty);
    auto dir = writeWait(*m_t, m_dir, "x");
    QVERIFY(!dir.ok());
    auto noDir = writeWait(*m_t, scratch(QStringLiteral("no/such/dir/file")), "x");
    QVERIFY(!noDir.ok());
    QCOMPARE(noDir.error().kind, Error::Kind::NotFound);
}

void TestSshTransport::createExclusiveFirstWins()
{
    const QString path = scratch(QStringLiteral("decision.json"));
    VIGIL_VERIFY_OK(createWait(*m_t, path, "{\"by\":\"first\"}", 0600));
    auto second = createWait(*m_t, path, "{\"by\":\"second\"}", 0600);
    QVERIFY(!second.ok());
    QCOMPARE(second.error().kind, Error::Kind::AlreadyExists);
    QCOMPARE(second.errorString(), QStringLiteral("%1 already exists").arg(path));
    auto r = readWait(*m_t, path);
    VIGIL_VERIFY_OK(r);
    QCOMPARE(r->data, QByteArray("{\"by\":\"first\"}"));
}

void TestSshTransport::createExclusiveRaceOfTwoTransports()
{
    SshTransport other(sandboxTarget(m_env));
    other.open();
    QTRY_COMPARE_WITH_TIMEOUT(other.state(), Transport::State::Connected, 20000);

    const QString path = scratch(QStringLiteral("race"));
    QObject context;
    int answers = 0;
    QStringList winners;
    int lost = 0;
    for (int i = 0; i < 20; ++i) {
        SshTransport &t = i % 2 ? other : *m_t;
        const QByteArray content = QByteArray::number(i);
        t.createExclusive(path, content, 0644, &context, [&, content](Result<void> r) {
            ++answers;
            if (r.ok())
                winners << QString::fromLatin1(content);
            else if (r.error().kind == Error::Kind::AlreadyExists)
                ++lost;
            else
                qWarning() << "unexpected:" << r.errorString();
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(answers, 20, 30000);
    QCOMPARE(winners.size(), 1);
    QCOMPARE(lost, 19);
    auto r = readWait(*m_t, path);
    VIGIL_VERIFY_OK(r);
    QCOMPARE(QString::fromLatin1(r->data), winners.first());
    auto list = listWait(*m_t, m_dir);
    VIGIL_VERIFY_OK(list);
    for (const FileEntry &e : *list)
        QVERIFY2(!e.name.contains(QLatin1String(".tmp-")), qPrintable(e.name));
}

void TestSshTransport::listDirectoryDoesNotFollowLinks()
{
    const QString dir = scratch(QStringLiteral("listing"));
    VIGIL_VERIFY_OK(mkdirWait(*m_t, dir + QStringLiteral("/sub"), 0750));
    VIGIL_VERIFY_OK(writeWait(*m_t, dir + QStringLiteral("/file"), "abc", 0604));
    VIGIL_VERIFY_OK(execWait(*m_t, {QStringLiteral("ln"), QStringLiteral("-s"),
                                    QStringLiteral("sub"), dir + QStringLiteral("/link")}));
    auto uid = execWait(*m_t, {QStringLiteral("id"), QStringLiteral("-u")});
    VIGIL_VERIFY_OK(uid);

    auto list = listWait(*m_t, dir);
    VIGIL_VERIFY_OK(list);
    QCOMPARE(list->size(), 3);
    const FileEntry &file = list->at(0);
    const FileEntry &link = list->at(1);
    const FileEntry &sub = list->at(2);
    QCOMPARE(file.name, QStringLiteral("file"));
    QCOMPARE(file.size, 3);
    QCOMPARE(file.permissions, 0604u);
    QVERIFY(!file.isDir && !file.isSymlink);
    QCOMPARE(file.uid, uid->out.trimmed().toUInt());
    QVERIFY(qAbs(file.mtime - QDateTime::currentSecsSinceEpoch()) < 300);
    QCOMPARE(link.name, QStringLiteral("link"));
    QVERIFY(link.isSymlink);
    QVERIFY(!link.isDir);
    QCOMPARE(sub.name, QStringLiteral("sub"));
    QVERIFY(sub.isDir && !sub.isSymlink);

    auto missing = listWait(*m_t, scratch(QStringLiteral("absent")));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().kind, Error::Kind::NotFound);
}

void TestSshTransport::makeDirectoriesLikeMkdirP()
{
    const QString deep = scratch(QStringLiteral("a/b c/d"));
    VIGIL_VERIFY_OK(mkdirWait(*m_t, deep, 0755));
    VIGIL_VERIFY_OK(mkdirWait(*m_t, deep, 0755)); // exists: fine
    VIGIL_VERIFY_OK(mkdirWait(*m_t, m_t->homeDirectory() + QLatin1Char('/') + deep, 0755));
    auto test = execWait(*m_t, {QStringLiteral("test"), QStringLiteral("-d"), deep});
    VIGIL_VERIFY_OK(test);
    QCOMPARE(test->exitCode, 0);

    VIGIL_VERIFY_OK(writeWait(*m_t, scratch(QStringLiteral("plainfile")), "x"));
    auto blocked = mkdirWait(*m_t, scratch(QStringLiteral("plainfile/sub")), 0755);
    QVERIFY(!blocked.ok());
    QVERIFY2(blocked.errorString().contains(QLatin1String("not a directory")),
             qPrintable(blocked.errorString()));
}

void TestSshTransport::reconnectsAfterTheConnectionDropped()
{
    SshTransport t(sandboxTarget(m_env));
    QSignalSpy states(&t, &Transport::stateChanged);
    auto first = execWait(t, {QStringLiteral("true")});
    VIGIL_VERIFY_OK(first);

    // Kill this connection's own sshd process from inside: the nearest sshd
    // ancestor of the shell serves exactly this session.
    const QString killOwnSshd =
        QStringLiteral("p=$$; while [ \"$p\" -gt 1 ]; do "
                       "if [ \"$(cat /proc/$p/comm)\" = sshd ]; then kill \"$p\"; exit 0; fi; "
                       "p=$(awk '{print $4}' /proc/$p/stat); done; exit 9");
    auto killed = execWait(t, {QStringLiteral("sh"), QStringLiteral("-c"), killOwnSshd});
    QVERIFY2(!killed.ok(), "the command should not come back: its connection is gone");
    QCOMPARE(killed.error().kind, Error::Kind::Network);
    QTRY_COMPARE_WITH_TIMEOUT(t.state(), Transport::State::Disconnected, 10000);

    auto again = execWait(t, {QStringLiteral("echo"), QStringLiteral("back")});
    VIGIL_VERIFY_OK(again);
    QCOMPARE(again->out, QByteArray("back\n"));
    QCOMPARE(t.state(), Transport::State::Connected);
    QList<Transport::State> seen;
    for (const QList<QVariant> &args : states)
        seen << args.at(0).value<Transport::State>();
    QVERIFY2(seen.count(Transport::State::Connected) == 2, qPrintable(QDebug::toString(seen)));
}

void TestSshTransport::closeAndDestructionDoNotWaitForCommands()
{
    auto t = std::make_unique<SshTransport>(sandboxTarget(m_env));
    VIGIL_VERIFY_OK(execWait(*t, {QStringLiteral("true")}));

    std::optional<Result<ExecResult>> got;
    QObject context;
    t->exec({QStringLiteral("sleep"), QStringLiteral("5")}, {}, &context,
            [&](Result<ExecResult> r) { got.emplace(std::move(r)); });
    QTest::qWait(300); // the command is running now
    QElapsedTimer timer;
    timer.start();
    t->close();
    QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 3000);
    QVERIFY(!got->ok());
    QCOMPARE(got->error().kind, Error::Kind::Cancelled);
    QTRY_COMPARE(t->state(), Transport::State::Disconnected);
    qInfo() << "close() ended a running command in" << timer.elapsed() << "ms";

    // The next operation connects again; destroying the transport while it
    // runs returns soon, and its callback is never called.
    bool called = false;
    t->exec({QStringLiteral("sleep"), QStringLiteral("5")}, {}, &context,
            [&](Result<ExecResult>) { called = true; });
    QTRY_COMPARE_WITH_TIMEOUT(t->state(), Transport::State::Connected, 20000);
    QTest::qWait(300);
    timer.restart();
    t.reset();
    const qint64 destroyMs = timer.elapsed();
    qInfo() << "destroying a transport with a running command took" << destroyMs << "ms";
    QVERIFY(destroyMs < 2000);
    QTest::qWait(100);
    QVERIFY(!called);
}

QTEST_GUILESS_MAIN(TestSshTransport)
#include "tst_sshtransport.moc"
