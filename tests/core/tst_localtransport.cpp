// SPDX-License-Identifier: GPL-3.0-or-later
#include "local/localtransport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <optional>

using namespace vigil;

class TestLocalTransport : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    LocalTransport m_t;

    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_t.open();
        QCOMPARE(m_t.state(), Transport::State::Connected);
    }

    void execPassesArgvUntouched()
    {
        const QStringList words{QStringLiteral("$(id)"), QStringLiteral("a b"),
                                QStringLiteral("-n"), QStringLiteral("'\";`")};
        std::optional<Result<ExecResult>> r;
        m_t.exec(QStringList{QStringLiteral("printf"), QStringLiteral("%s\\0")} + words,
                 QByteArray(), this, [&](Result<ExecResult> x) { r.emplace(x); });
        QTRY_VERIFY(r.has_value());
        QVERIFY(r->ok());
        QCOMPARE((*r)->exitCode, 0);
        QByteArray expected;
        for (const QString &w : words)
            expected += w.toUtf8() + '\0';
        QCOMPARE((*r)->out, expected);
    }

    void execReportsMissingProgram()
    {
        std::optional<Result<ExecResult>> r;
        m_t.exec({QStringLiteral("/nonexistent/vigil-nothing")}, {}, this,
                 [&](Result<ExecResult> x) { r.emplace(x); });
        QTRY_VERIFY(r.has_value());
        QVERIFY(!r->ok());
        QVERIFY(r->errorString().contains(QStringLiteral("/nonexistent/vigil-nothing")));
    }

    void atomicWriteReplacesAndLeavesNoTemp()
    {
        for (const QByteArray &content : {QByteArray("first\n"), QByteArray("second\n")}) {
            std::optional<Result<void>> w;
            m_t.writeFileAtomic(path("a.json"), content, 0600, this,
                                [&](Result<void> x) { w.emplace(x); });
            QTRY_VERIFY(w.has_value());
            QVERIFY2(w->ok(), qPrintable(w->errorString()));
        }
        QFile f(path("a.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("second\n"));
        QCOMPARE(f.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        QCOMPARE(QDir(m_dir.path())
                     .entryList(QDir::Files | QDir::Hidden)
                     .filter(QStringLiteral("tmp"))
                     .size(),
                 0);
    }

    void createExclusiveFirstWriterWins()
    {
        int ok = 0, exists = 0;
        for (int i = 0; i < 10; ++i) {
            m_t.createExclusive(path("decision.json"), QByteArray::number(i), 0600, this,
                                [&](Result<void> r) {
                                    if (r)
                                        ++ok;
                                    else if (r.error().kind == Error::Kind::AlreadyExists)
                                        ++exists;
                                });
        }
        QTRY_COMPARE(ok + exists, 10);
        QCOMPARE(ok, 1);
        QFile f(path("decision.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("0"));
    }

    // The temporary (".NAME.tmp-HEX") of a name of 238 to 255 bytes would be
    // longer than a file name may be: it is cut, and such names work too.
    void longestNamesAreWrittenAtomically_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("237 bytes") << QString(237, QLatin1Char('a'));
        QTest::newRow("238 bytes") << QString(238, QLatin1Char('b'));
        QTest::newRow("255 bytes") << QString(255, QLatin1Char('c'));
        // 127 two-byte characters and one byte: a cut must not split a character.
        QTest::newRow("255 bytes of UTF-8") << QString(127, QChar(0xf1)) + QLatin1Char('x');
    }
    void longestNamesAreWrittenAtomically()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString target = dir.filePath(name);
        for (const QByteArray &content : {QByteArray("first"), QByteArray("second")}) {
            std::optional<Result<void>> w;
            m_t.writeFileAtomic(target, content, 0600, this, [&](Result<void> x) { w.emplace(x); });
            QTRY_VERIFY(w.has_value());
            QVERIFY2(w->ok(), qPrintable(w->errorString()));
        }
        std::optional<Result<void>> again;
        m_t.createExclusive(target, "third", 0600, this, [&](Result<void> x) { again.emplace(x); });
        QTRY_VERIFY(again.has_value());
        QVERIFY(!again->ok());
        QCOMPARE(again->error().kind, Error::Kind::AlreadyExists);
        const QString fresh = dir.filePath(name.chopped(1) + QLatin1Char('z'));
        std::optional<Result<void>> created;
        m_t.createExclusive(fresh, "new", 0600, this, [&](Result<void> x) { created.emplace(x); });
        QTRY_VERIFY(created.has_value());
        QVERIFY2(created->ok(), qPrintable(created->errorString()));
        QFile f(target);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("second"));
        // Nothing else is left: the two files, no temporary.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2);
    }

    void readFromOffsetAndRefuseSymlinks()
    {
        QFile f(path("m.csv"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("epoch,loss\n1,0.5\n2,0.4\n");
        f.close();
        std::optional<Result<FileChunk>> r;
        m_t.readFile(path("m.csv"), 11, 5, this, [&](Result<FileChunk> x) { r.emplace(x); });
        QTRY_VERIFY(r.has_value());
        QVERIFY(r->ok());
        QCOMPARE((*r)->data, QByteArray("1,0.5"));
        QCOMPARE((*r)->fileSize, 23);

        QVERIFY(QFile::link(path("m.csv"), path("link.csv")));
        r.reset();
        m_t.readFile(path("link.csv"), 0, 100, this, [&](Result<FileChunk> x) { r.emplace(x); });
        QTRY_VERIFY(r.has_value());
        QVERIFY(!r->ok());
        QVERIFY2(r->errorString().contains(QStringLiteral("symlink")),
                 qPrintable(r->errorString()));
    }

    void listAndMakeDirectories()
    {
        std::optional<Result<void>> mk;
        m_t.makeDirectories(path("x/y/z"), 0700, this, [&](Result<void> r) { mk.emplace(r); });
        QTRY_VERIFY(mk.has_value());
        QVERIFY(mk->ok());
        QVERIFY(QFileInfo(path("x/y/z")).isDir());
        std::optional<Result<QList<FileEntry>>> ls;
        m_t.listDirectory(m_dir.path(), this, [&](Result<QList<FileEntry>> r) { ls.emplace(r); });
        QTRY_VERIFY(ls.has_value());
        QVERIFY(ls->ok());
        QStringList names;
        for (const FileEntry &e : **ls)
            names << e.name + (e.isDir ? QStringLiteral("/") : QString()) +
                         (e.isSymlink ? QStringLiteral("@") : QString());
        QVERIFY2(names.contains(QStringLiteral("x/")), qPrintable(names.join(u' ')));
        QVERIFY2(names.contains(QStringLiteral("link.csv@")), qPrintable(names.join(u' ')));
    }

    void callbackDroppedWhenContextDies()
    {
        auto *ctx = new QObject;
        bool called = false;
        m_t.exec({QStringLiteral("true")}, {}, ctx, [&](Result<ExecResult>) { called = true; });
        delete ctx;
        std::optional<Result<ExecResult>> after;
        m_t.exec({QStringLiteral("true")}, {}, this,
                 [&](Result<ExecResult> x) { after.emplace(x); });
        QTRY_VERIFY(after.has_value()); // the worker handled both, in order
        QVERIFY(!called);
    }

    // Destroying the transport while streams run (a `vigil-job watch`, say)
    // ends their processes and reports nothing more: no crash, no orphan.
    void destroyedWhileStreamsRun_data()
    {
        QTest::addColumn<int>("streams");
        QTest::addColumn<bool>("stopOne"); // one of them stopped just before
        QTest::newRow("one stream") << 1 << false;
        QTest::newRow("three streams") << 3 << false;
        QTest::newRow("three streams, one being stopped") << 3 << true;
    }

    void destroyedWhileStreamsRun()
    {
        QFETCH(int, streams);
        QFETCH(bool, stopOne);
        auto t = std::make_unique<LocalTransport>();
        t->open();
        QList<qint64> pids;
        QList<StreamId> ids;
        bool finished = false;
        for (int i = 0; i < streams; ++i) {
            // Prints its pid, then runs until it is ended.
            ids << t->startStream(
                {QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral("echo $$; exec sleep 60")},
                this, [&pids](const QByteArray &chunk) { pids << chunk.trimmed().toLongLong(); },
                [&finished](Result<ExecResult>) { finished = true; });
        }
        QTRY_COMPARE(pids.size(), streams);
        for (qint64 pid : std::as_const(pids)) {
            QVERIFY(pid > 0);
            QVERIFY(QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)));
        }
        if (stopOne)
            t->stopStream(ids.first());
        t.reset();
        QCoreApplication::processEvents(); // whatever was posted before
        QTest::qWait(50);
        QVERIFY2(!finished, "a stream reported after its transport was destroyed");
        for (qint64 pid : std::as_const(pids))
            QTRY_VERIFY2(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)),
                         qPrintable(QStringLiteral("process %1 outlived its transport").arg(pid)));
    }
};

QTEST_GUILESS_MAIN(TestLocalTransport)
#include "tst_localtransport.moc"
