// SPDX-License-Identifier: GPL-3.0-or-later
// Name rules, durations and times.

#include "protocol/ids.h"
#include "protocol/text.h"
#include "protocol/timeutil.h"
#include "testutil.h"

#include <QTest>

using namespace vigil::protocol;
using vigil::test::qs;

class TestIds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validateId_data();
    void validateId();
    void relativePath_data();
    void relativePath();
    void userName_data();
    void userName();
    void duration_data();
    void duration();
    void parseTime_data();
    void parseTime();
    void formatTime();
    void deadline();
    void quoteEscapes();
    void controlChars_data();
    void controlChars();
    void truncateKeepsUtf8();
};

void TestIds::validateId_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("why"); // a fragment of the message

    QTest::newRow("simple") << QByteArray("lr-check") << true << QString();
    QTest::newRow("dots and underscores") << QByteArray("v1.2_final") << true << QString();
    QTest::newRow("single char") << QByteArray("a") << true << QString();
    QTest::newRow("64 chars") << QByteArray(64, 'x') << true << QString();
    QTest::newRow("dots inside") << QByteArray("a..b") << true << QString();
    QTest::newRow("ends with dot") << QByteArray("x.") << true << QString();

    QTest::newRow("empty") << QByteArray("") << false << QStringLiteral("it is empty");
    QTest::newRow("65 chars") << QByteArray(65, 'x') << false
                              << QStringLiteral("65 characters long");
    // Names starting with '.' are the temporaries' (".NAME.tmp-...") and a
    // scan skips them: an id never starts with '.', so "." and ".." are out too.
    QTest::newRow("starts with dot")
        << QByteArray(".hidden") << false << QStringLiteral("it must not start with '.'");
    QTest::newRow("dot") << QByteArray(".") << false << QStringLiteral("must not start with '.'");
    QTest::newRow("dotdot") << QByteArray("..") << false
                            << QStringLiteral("must not start with '.'");
    QTest::newRow("temporary name") << QByteArray(".request.json.tmp-1-abc") << false
                                    << QStringLiteral("must not start with '.'");
    QTest::newRow("leading dash") << QByteArray("-rf") << false
                                  << QStringLiteral("must not start with '-'");
    QTest::newRow("space") << QByteArray("a b") << false << QStringLiteral("byte 0x20");
    QTest::newRow("double quote") << QByteArray("a\"b") << false << QStringLiteral("'\"'");
    QTest::newRow("single quote") << QByteArray("it's") << false << QStringLiteral("'''");
    QTest::newRow("command substitution")
        << QByteArray("$(reboot)") << false << QStringLiteral("'$' (0x24) at position 0");
    QTest::newRow("backticks") << QByteArray("`id`") << false << QStringLiteral("'`'");
    QTest::newRow("semicolon") << QByteArray("a;rm -rf ~") << false << QStringLiteral("';'");
    QTest::newRow("newline") << QByteArray("a\nb") << false << QStringLiteral("byte 0x0a");
    QTest::newRow("tab") << QByteArray("a\tb") << false << QStringLiteral("byte 0x09");
    QTest::newRow("nul") << QByteArray("a\0b", 3) << false << QStringLiteral("byte 0x00");
    QTest::newRow("unicode") << QByteArray("caf\xc3\xa9") << false << QStringLiteral("byte 0xc3");
    QTest::newRow("slash") << QByteArray("a/b") << false << QStringLiteral("'/'");
    QTest::newRow("absolute path")
        << QByteArray("/etc/passwd") << false << QStringLiteral("'/' (0x2f) at position 0");
    QTest::newRow("parent escape")
        << QByteArray("../../etc") << false << QStringLiteral("must not start with '.'");
    QTest::newRow("slash inside") << QByteArray("a/../etc") << false << QStringLiteral("'/'");
    QTest::newRow("glob") << QByteArray("*") << false << QStringLiteral("'*'");
    QTest::newRow("pipe") << QByteArray("a|b") << false << QStringLiteral("'|'");
    QTest::newRow("redirect") << QByteArray("a>b") << false << QStringLiteral("'>'");
    QTest::newRow("ampersand") << QByteArray("a&") << false << QStringLiteral("'&'");
    QTest::newRow("tilde") << QByteArray("~root") << false << QStringLiteral("'~'");
    QTest::newRow("colon") << QByteArray("a:b") << false << QStringLiteral("':'");
}

void TestIds::validateId()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    QFETCH(QString, why);
    const std::string v = value.toStdString();
    const auto r = vigil::protocol::validateId(v, "checkpoint id");
    QCOMPARE(r.ok(), valid);
    QCOMPARE(isValidId(v), valid);
    if (!valid) {
        const QString message = qs(r.error().message);
        QVERIFY2(message.startsWith(QStringLiteral("invalid checkpoint id ")), qPrintable(message));
        QVERIFY2(message.contains(why), qPrintable(message));
        // The message is one line whatever the value holds.
        QVERIFY(!message.contains(QLatin1Char('\n')));
        QCOMPARE(r.error().kind, Error::Kind::Malformed);
    }
}

void TestIds::relativePath_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("file") << QByteArray("loss.csv") << true;
    QTest::newRow("nested") << QByteArray("metrics/train/loss.csv") << true;
    QTest::newRow("absolute") << QByteArray("/etc/passwd") << false;
    QTest::newRow("dotdot") << QByteArray("metrics/../../etc/passwd") << false;
    QTest::newRow("leading dotdot") << QByteArray("../x") << false;
    QTest::newRow("dot component") << QByteArray("./x") << false;
    QTest::newRow("hidden file") << QByteArray("metrics/.loss.csv") << false;
    QTest::newRow("double slash") << QByteArray("a//b") << false;
    QTest::newRow("trailing slash") << QByteArray("a/") << false;
    QTest::newRow("empty") << QByteArray("") << false;
    QTest::newRow("space") << QByteArray("my plots/a.png") << false;
    QTest::newRow("too long") << QByteArray(2000, 'a') << false;
}

void TestIds::relativePath()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    const auto r = validateRelativePath(value.toStdString(), "attachment");
    QCOMPARE(r.ok(), valid);
    if (!valid)
        QVERIFY(qs(r.error().message).startsWith(QStringLiteral("invalid attachment")));
}

void TestIds::userName_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << QByteArray("alice") << true;
    QTest::newRow("realm") << QByteArray("alice@HPC.EXAMPLE") << true;
    QTest::newRow("dotted") << QByteArray("a.smith-2") << true;
    QTest::newRow("option") << QByteArray("-u") << false;
    QTest::newRow("space") << QByteArray("a b") << false;
    QTest::newRow("shell") << QByteArray("$(id)") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void TestIds::userName()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    QCOMPARE(validateUserName(value.toStdString()).ok(), valid);
}

void TestIds::duration_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("seconds"); // -1: invalid
    QTest::newRow("30s") << QStringLiteral("30s") << qint64(30);
    QTest::newRow("10m") << QStringLiteral("10m") << qint64(600);
    QTest::newRow("2h") << QStringLiteral("2h") << qint64(7200);
    QTest::newRow("1d") << QStringLiteral("1d") << qint64(86400);
    QTest::newRow("1h30m") << QStringLiteral("1h30m") << qint64(5400);
    QTest::newRow("bare number") << QStringLiteral("45") << qint64(45);
    QTest::newRow("empty") << QString() << qint64(-1);
    QTest::newRow("unit only") << QStringLiteral("h") << qint64(-1);
    QTest::newRow("weeks") << QStringLiteral("2w") << qint64(-1);
    QTest::newRow("negative") << QStringLiteral("-5m") << qint64(-1);
    QTest::newRow("trailing number") << QStringLiteral("1h30") << qint64(-1);
    QTest::newRow("huge") << QStringLiteral("99999999999999d") << qint64(-1);
}

void TestIds::duration()
{
    QFETCH(QString, text);
    QFETCH(qint64, seconds);
    const auto d = parseDuration(text.toStdString());
    QCOMPARE(d.ok(), seconds >= 0);
    if (seconds >= 0)
        QCOMPARE(qint64(d->count()), seconds);
    else
        QVERIFY(qs(d.error().message).startsWith(QStringLiteral("invalid duration")));
}

void TestIds::parseTime_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("utc"); // empty: invalid
    QTest::newRow("Z") << QStringLiteral("2025-03-01T14:05:09Z")
                       << QStringLiteral("2025-03-01T14:05:09Z");
    QTest::newRow("fraction") << QStringLiteral("2025-03-01T14:05:09.123456Z")
                              << QStringLiteral("2025-03-01T14:05:09Z");
    QTest::newRow("offset") << QStringLiteral("2025-03-01T16:05:09+02:00")
                            << QStringLiteral("2025-03-01T14:05:09Z");
    QTest::newRow("negative offset")
        << QStringLiteral("2025-03-01T00:05:09-01:00") << QStringLiteral("2025-03-01T01:05:09Z");
    QTest::newRow("leap day") << QStringLiteral("2024-02-29T00:00:00Z")
                              << QStringLiteral("2024-02-29T00:00:00Z");
    QTest::newRow("no zone") << QStringLiteral("2025-03-01T14:05:09") << QString();
    QTest::newRow("date only") << QStringLiteral("2025-03-01") << QString();
    QTest::newRow("bad day") << QStringLiteral("2025-02-30T00:00:00Z") << QString();
    QTest::newRow("bad hour") << QStringLiteral("2025-03-01T25:00:00Z") << QString();
    QTest::newRow("trailing") << QStringLiteral("2025-03-01T14:05:09Zjunk") << QString();
    QTest::newRow("space") << QStringLiteral("2025-03-01 14:05:09Z") << QString();
    // An offset that moves the time past year 9999 or before 0000 (found by
    // fuzz_timeutil: accepted, then written back as a five-digit year).
    QTest::newRow("past 9999") << QStringLiteral("9999-12-31T23:59:59-05:30") << QString();
    QTest::newRow("before 0000") << QStringLiteral("0000-01-01T00:00:00+01:00") << QString();
    QTest::newRow("last second") << QStringLiteral("9999-12-31T23:59:59Z")
                                 << QStringLiteral("9999-12-31T23:59:59Z");
}

void TestIds::parseTime()
{
    QFETCH(QString, text);
    QFETCH(QString, utc);
    const auto t = parseUtc(text.toStdString());
    QCOMPARE(t.ok(), !utc.isEmpty());
    if (t)
        QCOMPARE(qs(formatUtc(*t)), utc);
}

void TestIds::formatTime()
{
    QCOMPARE(qs(formatUtc(TimePoint{})), QStringLiteral("1970-01-01T00:00:00Z"));
    QCOMPARE(qs(formatUtc(TimePoint(std::chrono::seconds(1700000000)))),
             QStringLiteral("2023-11-14T22:13:20Z"));
}

void TestIds::deadline()
{
    const TimePoint from = parseUtc("2025-03-01T00:00:00Z").value();
    QCOMPARE(qs(formatUtc(parseDeadline("2h", from).value())),
             QStringLiteral("2025-03-01T02:00:00Z"));
    QCOMPARE(qs(formatUtc(parseDeadline("2026-01-01T00:00:00Z", from).value())),
             QStringLiteral("2026-01-01T00:00:00Z"));
    QVERIFY(!parseDeadline("soon", from).ok());
}

void TestIds::quoteEscapes()
{
    QCOMPARE(qs(quote("a\"b\\c\n\x01\xff")), QStringLiteral("\"a\\\"b\\\\c\\n\\x01\\xff\""));
}

void TestIds::controlChars_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("clean");
    QTest::newRow("plain") << QByteArray("Lower the rate? $(x) `id` \\ ñ 訓練") << true;
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("newline") << QByteArray("a\nb") << false;
    QTest::newRow("tab") << QByteArray("a\tb") << false;
    QTest::newRow("nul") << QByteArray("a\0b", 3) << false;
    QTest::newRow("escape") << QByteArray("\x1b[31mred") << false;
    QTest::newRow("DEL") << QByteArray("a\x7f") << false;
    QTest::newRow("C1 first U+0080") << QByteArray("a\xc2\x80") << false;
    QTest::newRow("C1 CSI U+009B") << QByteArray("red \xc2\x9b"
                                                 "31m")
                                   << false;
    QTest::newRow("C1 NEL U+0085") << QByteArray("a\xc2\x85"
                                                 "b")
                                   << false;
    QTest::newRow("C1 last U+009F") << QByteArray("\xc2\x9f") << false;
    QTest::newRow("no-break space U+00A0") << QByteArray("a\xc2\xa0"
                                                         "b")
                                           << true;
    QTest::newRow("copyright U+00A9") << QByteArray("\xc2\xa9") << true;
    // 0x9B as a continuation byte of another character is no C1 control.
    QTest::newRow("U+06DB") << QByteArray("\xdb\x9b") << true;
    QTest::newRow("bidi override") << QByteArray("\xe2\x80\xae") << true;
}

void TestIds::controlChars()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, clean);
    QCOMPARE(hasNoControlChars(text.toStdString()), clean);
}

void TestIds::truncateKeepsUtf8()
{
    const std::string text = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"; // four é
    const std::string cut = truncateUtf8(text, 6);               // 3 bytes + "..."
    QVERIFY(isValidUtf8(cut));
    QCOMPARE(qs(cut), QString::fromUtf8("\xc3\xa9..."));
    QVERIFY(!isValidUtf8("\xc3"));
    QVERIFY(!isValidUtf8("\xed\xa0\x80")); // a surrogate
    QVERIFY(!isValidUtf8("\xc0\xaf"));     // overlong '/'
    // The prefix that fits: never half a character.
    QCOMPARE(utf8PrefixLength(text, 100), text.size());
    QCOMPARE(utf8PrefixLength(text, 5), std::size_t(4));
    QCOMPARE(utf8PrefixLength(text, 4), std::size_t(4));
    QCOMPARE(utf8PrefixLength(text, 1), std::size_t(0));
    QCOMPARE(utf8PrefixLength("ab\xf0\x9f\x9a\x80", 5), std::size_t(2)); // a 4-byte rocket
}

QTEST_GUILESS_MAIN(TestIds)
#include "tst_ids.moc"
