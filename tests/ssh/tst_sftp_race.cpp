// SPDX-License-Identifier: GPL-3.0-or-later
// Races over real SFTP against the sandbox's sshd, each racer its own
// SshTransport (its own SSH session on its own thread):
//
//  - eight deciders create the same decision.json at once: exactly one wins,
//    every other one is told AlreadyExists, the file holds the winner's bytes
//    whole, and no temporary file is left behind; round after round;
//  - one writer replaces a 1 MiB file again and again (writeFileAtomic) while
//    readers read it as fast as they can: every read sees one whole version.
#include "sshtesthelpers.h"

#include <QRandomGenerator>
#include <QTest>
#include <memory>
#include <vector>

using namespace vigil;
using namespace vigil::test;

namespace {

constexpr int kRacers = 8;
constexpr int kRounds = 6;
constexpr qsizetype kVersionSize = 1 << 20;
constexpr int kVersions = 16;

// What racer `racer` tries to write in `round`: a header naming both, then a
// filler that differs from racer to racer, so a mix of two would show.
QByteArray racerContent(int round, int racer, qsizetype size)
{
    QByteArray head = QStringLiteral("round %1 racer %2\n").arg(round).arg(racer).toLatin1();
    if (size <= head.size())
        return head;
    return head + QByteArray(size - head.size(), char('A' + racer));
}

// Version v of the replaced file: "v%08d\n", then 1 MiB minus that of one byte.
QByteArray versionContent(int v)
{
    const QByteArray head = QStringLiteral("v%1\n").arg(v, 8, 10, QLatin1Char('0')).toLatin1();
    return head + QByteArray(kVersionSize - head.size(), char('a' + v % 26));
}

// The version a whole read holds, or -1 (with why) when it is not one whole version.
int wholeVersion(const QByteArray &data, QString *why)
{
    if (data.size() != kVersionSize) {
        *why = QStringLiteral("read %1 bytes, expected %2").arg(data.size()).arg(kVersionSize);
        return -1;
    }
    bool ok = false;
    const int v = data.mid(1, 8).toInt(&ok);
    if (!data.startsWith('v') || !ok || data.at(9) != '\n') {
        *why = QStringLiteral("no version header: %1").arg(QString::fromLatin1(data.left(16)));
        return -1;
    }
    if (data != versionContent(v)) {
        *why = QStringLiteral("header says version %1 but the body differs").arg(v);
        return -1;
    }
    return v;
}

} // namespace

class TestSftpRace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void createExclusiveRace_data();
    void createExclusiveRace();
    void createExclusiveOnExistingFileChangesNothing();
    void readersNeverSeeAPartialReplacement();

private:
    QStringList tempFilesIn(const QString &dir);

    SandboxEnv m_env;
    std::vector<std::unique_ptr<SshTransport>> m_racers;
    QString m_dir;
};

void TestSftpRace::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    for (int i = 0; i < kRacers; ++i) {
        m_racers.push_back(std::make_unique<SshTransport>(sandboxTarget(m_env)));
        m_racers.back()->open();
    }
    for (const auto &t : m_racers)
        QTRY_COMPARE_WITH_TIMEOUT(t->state(), Transport::State::Connected, 30000);
    m_dir = QStringLiteral("vigil-sftp-race-%1-%2")
                .arg(QCoreApplication::applicationPid())
                .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    VIGIL_VERIFY_OK(mkdirWait(*m_racers.front(), m_dir, 0700));
}

void TestSftpRace::cleanupTestCase()
{
    if (!m_racers.empty() && !m_dir.isEmpty())
        (void)execWait(*m_racers.front(),
                       {QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), m_dir});
    m_racers.clear();
}

QStringList TestSftpRace::tempFilesIn(const QString &dir)
{
    QStringList temps;
    auto list = listWait(*m_racers.front(), dir);
    if (!list) {
        temps << QStringLiteral("(cannot list %1: %2)").arg(dir, list.errorString());
        return temps;
    }
    for (const FileEntry &e : *list)
        if (e.name.contains(QLatin1String(".tmp-")))
            temps << e.name;
    return temps;
}

void TestSftpRace::createExclusiveRace_data()
{
    QTest::addColumn<qsizetype>("size");
    // Small: most losers see the winner's file before writing anything.
    // Large: every racer is still writing its temporary when the first one
    // links it, so the no-clobber rename itself decides.
    QTest::newRow("64 bytes") << qsizetype(64);
    QTest::newRow("512 KiB") << qsizetype(512 * 1024);
}

void TestSftpRace::createExclusiveRace()
{
    QFETCH(qsizetype, size);
    for (int round = 0; round < kRounds; ++round) {
        const QString dir =
            m_dir + QStringLiteral("/excl-%1-%2/checkpoints/cp").arg(size).arg(round);
        VIGIL_VERIFY_OK(mkdirWait(*m_racers.front(), dir, 0700));
        const QString path = dir + QStringLiteral("/decision.json");

        struct Answer
        {
            bool done = false;
            std::optional<Error> error;
        };
        std::vector<Answer> answers(kRacers);
        QObject context;
        // Every racer is asked before any answer can come back (answers are
        // delivered to this thread's event loop, which is not running here).
        for (int i = 0; i < kRacers; ++i) {
            m_racers[size_t(i)]->createExclusive(path, racerContent(round, i, size), 0600, &context,
                                                 [&answers, i](Result<void> r) {
                                                     answers[size_t(i)].done = true;
                                                     if (!r)
                                                         answers[size_t(i)].error = r.error();
                                                 });
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(answers.begin(), answers.end(), [](const Answer &a) { return a.done; }),
            60000);

        int winner = -1;
        for (int i = 0; i < kRacers; ++i) {
            const Answer &a = answers[size_t(i)];
            if (!a.error) {
                QVERIFY2(winner < 0, qPrintable(QStringLiteral("round %1: racers %2 and %3 both "
                                                               "created the file")
                                                    .arg(round)
                                                    .arg(winner)
                                                    .arg(i)));
                winner = i;
                continue;
            }
            QVERIFY2(a.error->kind == Error::Kind::AlreadyExists,
                     qPrintable(QStringLiteral("round %1 racer %2: %3")
                                    .arg(round)
                                    .arg(i)
                                    .arg(a.error->message)));
            QVERIFY2(a.error->message.contains(path), qPrintable(a.error->message));
        }
        QVERIFY2(winner >= 0, qPrintable(QStringLiteral("round %1: nobody won").arg(round)));

        auto file = readWait(*m_racers.back(), path, 0, 4 << 20);
        VIGIL_VERIFY_OK(file);
        QCOMPARE(file->fileSize, size);
        QVERIFY2(file->data == racerContent(round, winner, size),
                 qPrintable(QStringLiteral("round %1: the file is not racer %2's bytes: %3")
                                .arg(round)
                                .arg(winner)
                                .arg(QString::fromLatin1(file->data.left(40)))));

        auto list = listWait(*m_racers.front(), dir);
        VIGIL_VERIFY_OK(list);
        QCOMPARE(list->size(), 1); // decision.json and nothing else: no temporary left
        QCOMPARE(list->first().name, QStringLiteral("decision.json"));
        QCOMPARE(list->first().permissions, quint32(0600));
    }
}

void TestSftpRace::createExclusiveOnExistingFileChangesNothing()
{
    const QString dir = m_dir + QStringLiteral("/existing");
    VIGIL_VERIFY_OK(mkdirWait(*m_racers.front(), dir, 0700));
    const QString path = dir + QStringLiteral("/decision.json");
    const QByteArray first("{\"first\": true}\n");
    VIGIL_VERIFY_OK(createWait(*m_racers.front(), path, first, 0600));

    int answered = 0;
    int alreadyExists = 0;
    QObject context;
    for (int i = 0; i < kRacers; ++i)
        m_racers[size_t(i)]->createExclusive(
            path, racerContent(0, i, 4096), 0600, &context, [&](Result<void> r) {
                ++answered;
                if (!r && r.error().kind == Error::Kind::AlreadyExists)
                    ++alreadyExists;
            });
    QTRY_COMPARE_WITH_TIMEOUT(answered, kRacers, 60000);
    QCOMPARE(alreadyExists, kRacers);
    auto file = readWait(*m_racers.back(), path);
    VIGIL_VERIFY_OK(file);
    QCOMPARE(file->data, first);
    QCOMPARE(tempFilesIn(dir), QStringList());
}

void TestSftpRace::readersNeverSeeAPartialReplacement()
{
    const QString dir = m_dir + QStringLiteral("/atomic");
    VIGIL_VERIFY_OK(mkdirWait(*m_racers.front(), dir, 0700));
    const QString path = dir + QStringLiteral("/state.bin");
    SshTransport &writer = *m_racers.front();
    VIGIL_VERIFY_OK(writeWait(writer, path, versionContent(0), 0600));

    struct Shared
    {
        bool writerDone = false;
        int written = 0;
        QString writeError;
        int wholeReads = 0;
        int smallReads = 0;
        int readersRunning = 0;
        QSet<int> versionsSeen;
        QStringList problems;
    };
    auto shared = std::make_shared<Shared>();
    QObject context;

    // The writer: versions 1..kVersions, one after the other.
    auto writeNext = std::make_shared<std::function<void()>>();
    *writeNext = [&, shared, writeNext] {
        const int v = shared->written + 1;
        if (v > kVersions) {
            shared->writerDone = true;
            return;
        }
        writer.writeFileAtomic(path, versionContent(v), 0600, &context,
                               [shared, writeNext](Result<void> r) {
                                   if (!r) {
                                       shared->writeError = r.errorString();
                                       shared->writerDone = true;
                                       return;
                                   }
                                   ++shared->written;
                                   (*writeNext)();
                               });
    };

    // Readers of the whole file, each on its own connection.
    auto readWhole = std::make_shared<std::function<void(SshTransport *)>>();
    *readWhole = [&, shared, readWhole](SshTransport *t) {
        if (shared->writerDone) {
            --shared->readersRunning;
            return;
        }
        t->readFile(
            path, 0, 2 * kVersionSize, &context, [shared, readWhole, t](Result<FileChunk> r) {
                if (!r) {
                    shared->problems << QStringLiteral("whole read failed: ") + r.errorString();
                } else {
                    QString why;
                    const int v = wholeVersion(r->data, &why);
                    if (v < 0)
                        shared->problems << why;
                    else
                        shared->versionsSeen.insert(v);
                    ++shared->wholeReads;
                }
                (*readWhole)(t);
            });
    };

    // Small reads at random offsets: each must lie inside one version, whose
    // size never changes and whose filler is one repeated byte.
    auto readSmall = std::make_shared<std::function<void(SshTransport *)>>();
    *readSmall = [&, shared, readSmall](SshTransport *t) {
        if (shared->writerDone) {
            --shared->readersRunning;
            return;
        }
        const qint64 offset = 16 + QRandomGenerator::global()->bounded(kVersionSize - 4096 - 16);
        t->readFile(
            path, offset, 4096, &context, [shared, readSmall, t, offset](Result<FileChunk> r) {
                if (!r) {
                    shared->problems << QStringLiteral("small read failed: ") + r.errorString();
                } else if (r->fileSize != kVersionSize || r->data.size() != 4096) {
                    shared->problems << QStringLiteral("small read at %1: %2 bytes of a "
                                                       "file of %3")
                                            .arg(offset)
                                            .arg(r->data.size())
                                            .arg(r->fileSize);
                } else if (r->data.count(r->data.front()) != r->data.size()) {
                    shared->problems
                        << QStringLiteral("small read at %1 mixes two versions").arg(offset);
                }
                ++shared->smallReads;
                (*readSmall)(t);
            });
    };

    (*writeNext)();
    for (int i = 1; i < kRacers; ++i) {
        ++shared->readersRunning;
        if (i % 2)
            (*readWhole)(m_racers[size_t(i)].get());
        else
            (*readSmall)(m_racers[size_t(i)].get());
    }
    QTRY_VERIFY_WITH_TIMEOUT(shared->writerDone && shared->readersRunning == 0, 240000);
    *writeNext = nullptr; // break the cycles
    *readWhole = nullptr;
    *readSmall = nullptr;

    QVERIFY2(shared->writeError.isEmpty(), qPrintable(shared->writeError));
    QCOMPARE(shared->written, kVersions);
    QVERIFY2(shared->problems.isEmpty(),
             qPrintable(shared->problems.mid(0, 10).join(QLatin1Char('\n'))));
    qInfo("%d versions written; %d whole reads saw %lld distinct versions; %d small reads",
          shared->written, shared->wholeReads, qlonglong(shared->versionsSeen.size()),
          shared->smallReads);
    // The reads overlapped the writes: several versions were seen, not just one.
    QVERIFY2(shared->wholeReads >= kVersions, "too few reads to overlap the writes");
    QVERIFY2(shared->versionsSeen.size() >= 3, "the reads never overlapped the writes");

    auto last = readWait(writer, path, 0, 2 * kVersionSize);
    VIGIL_VERIFY_OK(last);
    QCOMPARE(last->data, versionContent(kVersions));
    QCOMPARE(tempFilesIn(dir), QStringList());
}

QTEST_GUILESS_MAIN(TestSftpRace)
#include "tst_sftp_race.moc"
