// SPDX-License-Identifier: GPL-3.0-or-later
// FileTail over SSH against the sandbox: only appended bytes travel, lines
// are handed on whole, a shrunk file is read again from the start.

#include "filetail.h"
#include "sshtesthelpers.h"

#include <QRandomGenerator>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

namespace {
Result<FileTail::Update> pollWait(FileTail &tail)
{
    return await<FileTail::Update>(
        [&](QObject *ctx, Callback<FileTail::Update> cb) { tail.poll(ctx, std::move(cb)); });
}
} // namespace

class TestFileTail : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void linesAcrossAppends();
    void shrunkFileIsReadFromTheStart();
    void boundedPollsCatchUp();
    void appendToABigFileReadsOnlyTheAppendedBytes();

private:
    QString path(const QString &name) const { return m_dir + QLatin1Char('/') + name; }
    void append(const QString &file, const QByteArray &data)
    {
        auto r = execWait(*m_t,
                          {QStringLiteral("sh"), QStringLiteral("-c"),
                           QStringLiteral("cat >> \"$1\""), QStringLiteral("sh"), path(file)},
                          data);
        QVERIFY(r.ok() && r->exitCode == 0);
    }

    SandboxEnv m_env;
    std::unique_ptr<SshTransport> m_t;
    QString m_dir;
};

void TestFileTail::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    m_t = std::make_unique<SshTransport>(sandboxTarget(m_env));
    m_dir = QStringLiteral("vigil-tail-test-%1")
                .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    auto made = mkdirWait(*m_t, m_dir, 0700);
    VIGIL_VERIFY_OK(made);
}

void TestFileTail::cleanupTestCase()
{
    if (m_t && !m_dir.isEmpty())
        (void)execWait(*m_t,
                       {QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), m_dir});
}

void TestFileTail::linesAcrossAppends()
{
    append(QStringLiteral("m.csv"), "step,loss\n1,0.9\n");
    FileTail tail(m_t.get(), path(QStringLiteral("m.csv")));
    auto first = pollWait(tail);
    VIGIL_VERIFY_OK(first);
    QCOMPARE(first->lines, QByteArray("step,loss\n1,0.9\n"));
    QVERIFY(!first->restarted);

    auto idle = pollWait(tail);
    VIGIL_VERIFY_OK(idle);
    QCOMPARE(idle->lines, QByteArray());

    append(QStringLiteral("m.csv"), "2,0."); // a line being written
    auto partial = pollWait(tail);
    VIGIL_VERIFY_OK(partial);
    QCOMPARE(partial->lines, QByteArray()); // not handed on half-written
    append(QStringLiteral("m.csv"), "8\n3,0.7\n");
    auto rest = pollWait(tail);
    VIGIL_VERIFY_OK(rest);
    QCOMPARE(rest->lines, QByteArray("2,0.8\n3,0.7\n"));
    QCOMPARE(tail.offset(), qint64(QByteArray("step,loss\n1,0.9\n2,0.8\n3,0.7\n").size()));
}

void TestFileTail::shrunkFileIsReadFromTheStart()
{
    append(QStringLiteral("log"), "a\nb\nc\n");
    FileTail tail(m_t.get(), path(QStringLiteral("log")));
    auto all = pollWait(tail);
    VIGIL_VERIFY_OK(all);
    QCOMPARE(all->lines, QByteArray("a\nb\nc\n"));
    auto truncated = writeWait(*m_t, path(QStringLiteral("log")), "x\n");
    VIGIL_VERIFY_OK(truncated);
    auto again = pollWait(tail);
    VIGIL_VERIFY_OK(again);
    QVERIFY(again->restarted);
    QCOMPARE(again->lines, QByteArray("x\n"));
}

void TestFileTail::boundedPollsCatchUp()
{
    QByteArray content;
    for (int i = 0; i < 500; ++i)
        content += "row " + QByteArray::number(i) + '\n';
    append(QStringLiteral("big"), content);
    FileTail tail(m_t.get(), path(QStringLiteral("big")), 1000);
    QByteArray got;
    int polls = 0;
    do {
        auto u = pollWait(tail);
        VIGIL_VERIFY_OK(u);
        got += u->lines;
        ++polls;
    } while (tail.hasMore() && polls < 100);
    QCOMPARE(got, content);
    QCOMPARE(polls, int((content.size() + 999) / 1000));
}

void TestFileTail::appendToABigFileReadsOnlyTheAppendedBytes()
{
    // 20 MB of lines, made on the remote side.
    auto made = execWait(*m_t, {QStringLiteral("sh"), QStringLiteral("-c"),
                                QStringLiteral("yes 0.123456789,0.987654321,42 | head -c 20000000 "
                                               "> \"$1\""),
                                QStringLiteral("sh"), path(QStringLiteral("metrics.csv"))});
    QVERIFY(made.ok() && made->exitCode == 0);
    FileTail tail(m_t.get(), path(QStringLiteral("metrics.csv")));
    qint64 total = 0;
    while (total == 0 || tail.hasMore()) {
        auto u = pollWait(tail);
        VIGIL_VERIFY_OK(u);
        total += u->lines.size();
    }
    QVERIFY(total > 19000000);

    const TransportStats before = m_t->stats();
    QByteArray kilobyte;
    while (kilobyte.size() < 1000)
        kilobyte += "1,0.5,0.25\n";
    append(QStringLiteral("metrics.csv"), kilobyte);
    const TransportStats middle = m_t->stats();
    auto u = pollWait(tail);
    VIGIL_VERIFY_OK(u);
    QVERIFY(u->lines.endsWith(kilobyte));
    const TransportStats after = m_t->stats();
    const quint64 payload = after.payloadIn - middle.payloadIn;
    const quint64 wire = after.wireIn - middle.wireIn;
    qInfo() << "appended" << kilobyte.size() << "bytes; the poll read" << payload
            << "bytes of data," << wire
            << "bytes on the wire (append itself:" << middle.wireIn - before.wireIn << ")";
    QVERIFY2(payload <= quint64(kilobyte.size()) + 64, qPrintable(QString::number(payload)));
    QVERIFY2(wire < 2048, qPrintable(QString::number(wire)));
}

QTEST_GUILESS_MAIN(TestFileTail)
#include "tst_filetail.moc"
