// SPDX-License-Identifier: GPL-3.0-or-later
// POSIX file access: atomic writes, no-clobber races, refused symlinks and
// oversized files, modes, the event log.

#include "protocol/events.h"
#include "protocol/fileio.h"
#include "protocol/format.h"
#include "protocol/rundir.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>
#include <cerrno>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace vigil::protocol;
using vigil::test::qs;
using vigil::test::readText;
using vigil::test::writeText;

namespace {

std::vector<std::string> entries(const std::string &dir)
{
    std::vector<std::string> names;
    for (const auto &e : std::filesystem::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

mode_t modeOf(const std::string &path)
{
    struct stat st
    {
    };
    ::lstat(path.c_str(), &st);
    return st.st_mode & 07777;
}

// Forks `n` children that wait on a pipe, then run `body(i)` together; each
// child's exit status is body's return value.
std::vector<int> race(int n, const std::function<int(int)> &body)
{
    int gate[2];
    if (::pipe(gate) != 0)
        return {};
    std::vector<pid_t> pids;
    for (int i = 0; i < n; ++i) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::close(gate[1]);
            char c;
            while (::read(gate[0], &c, 1) < 0 && errno == EINTR) {
            }
            ::_exit(body(i));
        }
        pids.push_back(pid);
    }
    ::close(gate[0]);
    ::close(gate[1]); // opens the gate: every read returns 0
    std::vector<int> codes;
    for (const pid_t pid : pids) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        codes.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    return codes;
}

} // namespace

class TestFileIo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void atomicWriteLeavesNoTemporaries();
    void atomicWriteFailureCleansUp();
    void atomicWriteSetsModeDespiteUmask();
    void noClobberRefusesExisting();
    void noClobberRaceHasOneWinner();
    void readRefuses_data();
    void readRefuses();
    void readOwnerFromFstat();
    void walkRefusesSymlinkedDirectory();
    void makeSubModes();
    void modesForGroupReadable();
    void eventLinesStayShort();
    void concurrentAppendsDoNotInterleave();
    void initRunIsIdempotent();
    void initRunRefusesForeignDirectory();

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    std::string m_dir;
};

void TestFileIo::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_dir = m_tmp->path().toStdString();
}

void TestFileIo::atomicWriteLeavesNoTemporaries()
{
    const std::string path = m_dir + "/state.json";
    for (int i = 0; i < 20; ++i)
        QVERIFY(writeFileAtomic(path, "version " + std::to_string(i), 0600).ok());
    QCOMPARE(qs(readText(path)), QStringLiteral("version 19"));
    QCOMPARE(entries(m_dir), std::vector<std::string>{"state.json"});
}

void TestFileIo::atomicWriteFailureCleansUp()
{
    // The target is a directory: the rename fails, the old target stays, no temporary is left.
    const std::string target = m_dir + "/ack.json";
    QVERIFY(std::filesystem::create_directory(target));
    writeText(target + "/keep", "x");
    const auto r = writeFileAtomic(target, "new", 0600);
    QVERIFY(!r.ok());
    QVERIFY2(qs(r.error().message).contains(QStringLiteral("ack.json: rename")),
             r.error().message.c_str());
    QCOMPARE(entries(m_dir), std::vector<std::string>{"ack.json"});
    QVERIFY(std::filesystem::is_directory(target));
}

void TestFileIo::atomicWriteSetsModeDespiteUmask()
{
    const mode_t old = ::umask(0077);
    QVERIFY(writeFileAtomic(m_dir + "/g.json", "{}", 0640).ok());
    ::umask(old);
    QCOMPARE(modeOf(m_dir + "/g.json"), mode_t(0640));
}

void TestFileIo::noClobberRefusesExisting()
{
    const std::string path = m_dir + "/decision.json";
    QVERIFY(createFileNoClobber(path, "first", 0600).ok());
    const auto second = createFileNoClobber(path, "second", 0600);
    QVERIFY(!second.ok());
    QCOMPARE(second.error().kind, Error::Kind::AlreadyExists);
    QVERIFY(qs(second.error().message).endsWith(QStringLiteral("decision.json: already exists")));
    QCOMPARE(qs(readText(path)), QStringLiteral("first"));
    QCOMPARE(entries(m_dir), std::vector<std::string>{"decision.json"});

    // A dangling symlink in the way also counts as existing: nothing is written through it.
    const std::string link = m_dir + "/other.json";
    QVERIFY(::symlink((m_dir + "/elsewhere").c_str(), link.c_str()) == 0);
    QCOMPARE(createFileNoClobber(link, "x", 0600).error().kind, Error::Kind::AlreadyExists);
    QVERIFY(!std::filesystem::exists(m_dir + "/elsewhere"));
}

void TestFileIo::noClobberRaceHasOneWinner()
{
    for (int round = 0; round < 5; ++round) {
        const std::string path = m_dir + "/race-" + std::to_string(round) + ".json";
        // Exit codes: 0 won; 10 + the winner's number when lost and the winner was read back.
        const std::vector<int> codes = race(8, [&](int i) {
            auto r = createFileNoClobber(path, "writer " + std::to_string(i), 0600);
            if (r)
                return 0;
            if (r.error().kind != Error::Kind::AlreadyExists)
                return 1;
            auto data = readFile(path, 1024);
            if (!data || data->bytes.rfind("writer ", 0) != 0)
                return 2;
            return 10 + std::stoi(data->bytes.substr(7));
        });
        QCOMPARE(int(codes.size()), 8);
        const auto winners = std::count(codes.begin(), codes.end(), 0);
        QCOMPARE(int(winners), 1);
        const int winner = int(std::find(codes.begin(), codes.end(), 0) - codes.begin());
        for (int i = 0; i < 8; ++i) {
            if (i != winner)
                QCOMPARE(codes[size_t(i)], 10 + winner); // the loser read who won
        }
        QCOMPARE(qs(readText(path)), QStringLiteral("writer %1").arg(winner));
    }
    // No temporary file survived the races.
    for (const std::string &name : entries(m_dir))
        QVERIFY2(name.rfind("race-", 0) == 0, name.c_str());
}

void TestFileIo::readRefuses_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("symlink") << QStringLiteral("symlink") << int(Error::Kind::Unsupported)
                             << QStringLiteral("request.json: is a symbolic link: refused");
    QTest::newRow("oversized") << QStringLiteral("big") << int(Error::Kind::TooLarge)
                               << QStringLiteral("request.json: the file is 1048577 bytes, over "
                                                 "the limit of 1 MiB: refused");
    QTest::newRow("fifo") << QStringLiteral("fifo") << int(Error::Kind::Unsupported)
                          << QStringLiteral("request.json: not a regular file: refused");
    QTest::newRow("directory") << QStringLiteral("dir") << int(Error::Kind::Unsupported)
                               << QStringLiteral("request.json: not a regular file: refused");
    QTest::newRow("missing") << QStringLiteral("none") << int(Error::Kind::NotFound)
                             << QStringLiteral("request.json: No such file or directory");
}

void TestFileIo::readRefuses()
{
    QFETCH(QString, setup);
    QFETCH(int, kind);
    QFETCH(QString, message);
    const std::string path = m_dir + "/request.json";
    writeText(m_dir + "/target.json", "{}");
    if (setup == QStringLiteral("symlink"))
        QVERIFY(::symlink("target.json", path.c_str()) == 0);
    else if (setup == QStringLiteral("big"))
        writeText(path, std::string(kMaxFileSize + 1, ' '));
    else if (setup == QStringLiteral("fifo"))
        QVERIFY(::mkfifo(path.c_str(), 0600) == 0);
    else if (setup == QStringLiteral("dir"))
        QVERIFY(std::filesystem::create_directory(path));

    auto dir = Dir::open(m_dir, "");
    QVERIFY(dir.ok());
    const auto r = dir->read("request.json", kMaxFileSize);
    QVERIFY(!r.ok());
    QCOMPARE(int(r.error().kind), kind);
    QCOMPARE(qs(r.error().message), message);

    // A file exactly at the limit is fine.
    writeText(m_dir + "/limit.json", std::string(kMaxFileSize, ' '));
    QCOMPARE(dir->read("limit.json", kMaxFileSize)->bytes.size(), kMaxFileSize);
}

void TestFileIo::readOwnerFromFstat()
{
    writeText(m_dir + "/d.json", "{}");
    QVERIFY(::chown((m_dir + "/d.json").c_str(), 65534, 65534) == 0);
    auto data = readFile(m_dir + "/d.json", 1024);
    QVERIFY(data.ok());
    QCOMPARE(data->ownerUid, 65534u);
    QCOMPARE(qs(data->bytes), QStringLiteral("{}"));
}

void TestFileIo::walkRefusesSymlinkedDirectory()
{
    // run/checkpoints -> a directory outside the run: every access below it is refused.
    const std::string outside = m_dir + "/outside";
    std::filesystem::create_directories(outside + "/x");
    writeText(outside + "/x/request.json", "{}");
    std::filesystem::create_directory(m_dir + "/run");
    QVERIFY(::symlink(outside.c_str(), (m_dir + "/run/checkpoints").c_str()) == 0);
    auto run = Dir::open(m_dir + "/run", "");
    QVERIFY(run.ok());
    const auto r = run->read("checkpoints/x/request.json", kMaxFileSize);
    QVERIFY(!r.ok());
    QCOMPARE(qs(r.error().message), QStringLiteral("checkpoints: is a symbolic link: refused"));
    const auto w = run->writeAtomic("checkpoints/x/ack.json", "{}", 0600);
    QVERIFY(!w.ok());
    QVERIFY(!std::filesystem::exists(outside + "/x/ack.json"));
    QVERIFY(!run->append("checkpoints/x/log", "x\n", 0600).ok());
    QVERIFY(!run->read("../outside/x/request.json", kMaxFileSize).ok());
}

void TestFileIo::makeSubModes()
{
    const mode_t old = ::umask(0077);
    auto dir = Dir::open(m_dir, "");
    QVERIFY(dir->makeSub("a", 0750).ok());
    QVERIFY(dir->makeSub("a/b", 0700).ok());
    ::umask(old);
    QCOMPARE(modeOf(m_dir + "/a"), mode_t(0750));
    QCOMPARE(modeOf(m_dir + "/a/b"), mode_t(0700));
    // An existing directory is reused and keeps its mode.
    QVERIFY(dir->makeSub("a", 0700).ok());
    QCOMPARE(modeOf(m_dir + "/a"), mode_t(0750));
}

void TestFileIo::modesForGroupReadable()
{
    QCOMPARE(modesFor(false).file, mode_t(0600));
    QCOMPARE(modesFor(false).dir, mode_t(0700));
    QCOMPARE(modesFor(true).file, mode_t(0640));
    QCOMPARE(modesFor(true).dir, mode_t(0750));
}

void TestFileIo::eventLinesStayShort()
{
    nlohmann::json e = makeEvent(event::kCheckpointPosted, now());
    e["checkpoint"] = "x";
    e["title"] = std::string(10000, 'a');
    e["reason"] = std::string(3000, '\x01'); // escapes to 6 bytes each
    const std::string line = eventLine(e);
    QVERIFY(line.size() <= kMaxEventLineBytes);
    QCOMPARE(line.back(), '\n');
    QCOMPARE(std::count(line.begin(), line.end(), '\n'), 1);
    const auto back = nlohmann::json::parse(line);
    QCOMPARE(qs(back["type"].get<std::string>()), QStringLiteral("checkpoint_posted"));
    QCOMPARE(qs(back["checkpoint"].get<std::string>()), QStringLiteral("x"));
    QVERIFY(back["truncated"].get<bool>());

    // A short event is written as is.
    nlohmann::json small = makeEvent(event::kAckWritten, TimePoint{});
    small["checkpoint"] = "x";
    QCOMPARE(qs(eventLine(small)),
             QStringLiteral("{\"checkpoint\":\"x\",\"time\":\"1970-01-01T00:00:00Z\",\"type\":"
                            "\"ack_written\",\"uid\":%1}\n")
                 .arg(::geteuid()));
}

void TestFileIo::concurrentAppendsDoNotInterleave()
{
    auto dir = Dir::open(m_dir, "");
    QVERIFY(dir.ok());
    constexpr int kWriters = 4;
    constexpr int kLines = 200;
    const std::vector<int> codes = race(kWriters, [&](int i) {
        for (int k = 0; k < kLines; ++k) {
            nlohmann::json e = makeEvent(event::kTaskStarted, now());
            e["task"] = "w" + std::to_string(i);
            e["n"] = k;
            e["padding"] = std::string(3000, 'p'); // large lines interleave first
            if (!appendEvent(*dir, e, 0600))
                return 1;
        }
        return 0;
    });
    QCOMPARE(codes, std::vector<int>(kWriters, 0));
    const auto all = vigil::test::lines(readText(m_dir + "/events.jsonl"));
    QCOMPARE(int(all.size()), kWriters * kLines);
    std::map<std::string, int> perWriter;
    for (const std::string &line : all) {
        const auto e = nlohmann::json::parse(line); // throws (fails the test) if interleaved
        ++perWriter[e["task"].get<std::string>()];
    }
    for (int i = 0; i < kWriters; ++i)
        QCOMPARE(perWriter["w" + std::to_string(i)], kLines);
    QCOMPARE(modeOf(m_dir + "/events.jsonl"), mode_t(0600));
}

void TestFileIo::initRunIsIdempotent()
{
    const std::string path = m_dir + "/run-1";
    RunInfo info{"run-1", "wf", now(), ::geteuid(), true};
    auto first = initRun(path, info);
    QVERIFY2(first.ok(), first.errorString().c_str());
    QVERIFY(first->created);
    QCOMPARE(entries(path), (std::vector<std::string>{"checkpoints", "events.jsonl", "metrics",
                                                      "run.json", "tasks"}));
    QCOMPARE(modeOf(path), mode_t(0750));
    QCOMPARE(modeOf(path + "/run.json"), mode_t(0640));
    QCOMPARE(modeOf(path + "/checkpoints"), mode_t(0750));
    auto second = initRun(path, info);
    QVERIFY(second.ok());
    QVERIFY(!second->created);
    info.runId = "run-2";
    auto conflict = initRun(path, info);
    QVERIFY(!conflict.ok());
    QCOMPARE(conflict.error().kind, Error::Kind::Conflict);
    QCOMPARE(qs(conflict.error().message),
             qs(path + ": already holds run \"run-1\", not \"run-2\""));
    // One run_created event.
    const auto events = vigil::test::lines(readText(path + "/events.jsonl"));
    QCOMPARE(int(events.size()), 1);
    QVERIFY(qs(events[0]).contains(QStringLiteral("\"type\":\"run_created\"")));
    auto opened = RunDir::open(path);
    QVERIFY(opened.ok());
    QVERIFY(opened->info().groupReadable);
}

void TestFileIo::initRunRefusesForeignDirectory()
{
    const std::string path = m_dir + "/home";
    std::filesystem::create_directory(path);
    writeText(path + "/thesis.tex", "precious");
    auto r = initRun(path, RunInfo{"r", "", now(), ::geteuid(), false});
    QVERIFY(!r.ok());
    QVERIFY2(qs(r.error().message).contains(QStringLiteral("exists and is not a run directory")),
             r.error().message.c_str());
    QCOMPARE(entries(path), std::vector<std::string>{"thesis.tex"});
    // Missing parent.
    auto missing = initRun(m_dir + "/no/such/run", RunInfo{"r", "", now(), 0, false});
    QCOMPARE(missing.error().kind, Error::Kind::NotFound);
    // Not a run directory.
    auto notRun = RunDir::open(path);
    QVERIFY(qs(notRun.error().message).contains(QStringLiteral("not a run directory")));
}

QTEST_GUILESS_MAIN(TestFileIo)
#include "tst_fileio.moc"
