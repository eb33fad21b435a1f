// SPDX-License-Identifier: GPL-3.0-or-later
#include "shellquote.h"

#include <QProcess>
#include <QTest>

using namespace vigil;

// Every word must come back from a real /bin/sh exactly as it went in.
class TestShellQuote : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("word");
        QTest::newRow("plain") << QStringLiteral("train.py");
        QTest::newRow("empty") << QString();
        QTest::newRow("space") << QStringLiteral("two words");
        QTest::newRow("single quote") << QStringLiteral("it's");
        QTest::newRow("double quote") << QStringLiteral("say \"hi\"");
        QTest::newRow("command substitution") << QStringLiteral("$(touch /tmp/vigil-pwned)");
        QTest::newRow("backticks") << QStringLiteral("`id`");
        QTest::newRow("semicolon") << QStringLiteral("a; rm -rf ~");
        QTest::newRow("newline") << QStringLiteral("line1\nline2");
        QTest::newRow("glob") << QStringLiteral("*");
        QTest::newRow("leading dash") << QStringLiteral("-rf");
        QTest::newRow("unicode") << QStringLiteral("épocas-训练");
        QTest::newRow("dollar var") << QStringLiteral("$HOME");
        QTest::newRow("backslash") << QStringLiteral("a\\b");
        QTest::newRow("only quotes") << QStringLiteral("''''");
    }
    void roundTrip()
    {
        QFETCH(QString, word);
        const QString line = QStringLiteral("printf '%s' ") + shellQuote(word);
        QProcess sh;
        sh.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), line});
        QVERIFY(sh.waitForFinished(10000));
        QCOMPARE(sh.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(sh.readAllStandardOutput()), word);
    }
    void joinKeepsWordBoundaries()
    {
        const QStringList argv{QStringLiteral("printf"), QStringLiteral("<%s>"),
                               QStringLiteral("a b"), QStringLiteral(""), QStringLiteral("c'd")};
        QProcess sh;
        sh.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), shellJoin(argv)});
        QVERIFY(sh.waitForFinished(10000));
        QCOMPARE(sh.readAllStandardOutput(), QByteArray("<a b><><c'd>"));
    }
    // What a person types splits as sh splits it, and shellJoin's output
    // splits back into the words it joined.
    void splitReadsWhatShellJoinWrites()
    {
        const QStringList argv{
            QStringLiteral("python3"), QStringLiteral("a b"),        QString(),
            QStringLiteral("c'd"),     QStringLiteral("say \"hi\""), QStringLiteral("$HOME"),
            QStringLiteral("a\\b")};
        auto back = shellSplit(shellJoin(argv));
        QVERIFY2(back, qPrintable(back.errorString()));
        QCOMPARE(*back, argv);
        auto typed = shellSplit(QStringLiteral("  run \"x \\\"y\\\"\" it\\ s 'q r'  "));
        QVERIFY2(typed, qPrintable(typed.errorString()));
        QCOMPARE(*typed, (QStringList{QStringLiteral("run"), QStringLiteral("x \"y\""),
                                      QStringLiteral("it s"), QStringLiteral("q r")}));
        const auto open = shellSplit(QStringLiteral("echo 'oops"));
        QVERIFY(!open);
        QCOMPARE(open.errorString(), QStringLiteral("the single quote at column 6 is not closed"));
    }
    void safeWordsStayReadable()
    {
        QCOMPARE(shellQuote(QStringLiteral("--partition=debug")),
                 QStringLiteral("--partition=debug"));
        QCOMPARE(shellQuote(QStringLiteral("a b")), QStringLiteral("'a b'"));
    }
};

QTEST_GUILESS_MAIN(TestShellQuote)
#include "tst_shellquote.moc"
