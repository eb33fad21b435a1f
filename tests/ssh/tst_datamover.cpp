// SPDX-License-Identifier: GPL-3.0-or-later
// Moving declared data between sites, on the sandbox cluster (real sshd,
// real rsync and OpenSSH client) and this machine: rsync when one end is this
// machine, through the connections otherwise or when rsync cannot be used
// (turned off, a path rsync's -e cannot quote, OpenSSH cannot log in). Each
// case checks the bytes that arrived and the way they took. A cancelled move
// (rsync held back by --bwlimit, or through the connections) leaves the
// target as it was and no temporary file.
#include "sites/datamover.h"
#include "sites/site.h"
#include "sshtesthelpers.h"
#include "supervisor.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>
#include <sys/types.h>
#include <unistd.h>

using namespace vigil;
using namespace vigil::test;

class TestDataMover : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void rsyncArguments();
    void rsyncArgumentsRefused();
    void parseProgress_data();
    void parseProgress();
    void uploadFileWithRsync();
    void downloadTreeWithRsync();
    void rsyncUpdatesAChangedFile();
    void rsyncTurnedOff();
    void quoteInPathFallsBack();
    void sshRefusedFallsBack();
    void remoteToRemoteThroughConnections();
    void missingSourceIsAnError();
    void symlinkInTreeIsRefused();
    void tooLargeThroughConnections();
    void cancelRsync();
    void cancelThroughConnections();

private:
    Result<DataMoveResult> move(Site *from, const QString &source, Site *to, const QString &target,
                                DataMoveOptions options = {}, QList<qint64> *progress = nullptr)
    {
        if (options.sshConfigFile.isEmpty())
            options.sshConfigFile = m_env.sshConfig;
        DataMover mover(options);
        if (progress)
            connect(&mover, &DataMover::progress, this,
                    [progress](qint64 done, qint64) { progress->append(done); });
        return await<DataMoveResult>(
            [&](QObject *, Callback<DataMoveResult> cb) {
                mover.move(from, source, to, target, cb);
            },
            60000);
    }
    struct Cancelled
    {
        Result<DataMoveResult> result = Error(QStringLiteral("not run"));
        int progressSignals = 0;
        qint64 rsyncPid = 0;   // rsync's process (and group) when it ran
        bool ownGroup = false; // rsync leads its own process group
    };
    // A move cancelled from its first progress signal.
    Cancelled moveAndCancel(Site *from, const QString &source, Site *to, const QString &target,
                            DataMoveOptions options)
    {
        options.sshConfigFile = m_env.sshConfig;
        DataMover mover(options);
        Cancelled out;
        connect(&mover, &DataMover::progress, this, [&] {
            if (++out.progressSignals > 1)
                return;
            if (const auto *p = mover.findChild<QProcess *>()) {
                out.rsyncPid = p->processId();
                out.ownGroup = ::getpgid(pid_t(out.rsyncPid)) == pid_t(out.rsyncPid);
            }
            mover.cancel();
        });
        out.result = await<DataMoveResult>(
            [&](QObject *, Callback<DataMoveResult> cb) {
                mover.move(from, source, to, target, cb);
            },
            60000);
        return out;
    }
    static bool makeSparse(const QString &path, qint64 size)
    {
        QDir().mkpath(QFileInfo(path).path());
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.resize(size);
    }
    QStringList remoteNames(const QString &dir)
    {
        QStringList names;
        if (auto l = listWait(*m_remote->transport(), dir))
            for (const FileEntry &e : *l)
                if (e.name != QLatin1String(".") && e.name != QLatin1String(".."))
                    names << e.name;
        names.sort();
        return names;
    }
    QByteArray remoteRead(const QString &path)
    {
        auto r = readWait(*m_remote->transport(), path, 0, 64 << 20);
        return r ? r->data : QByteArray("<unreadable: ") + r.errorString().toUtf8() + '>';
    }
    static QByteArray noise(int size, quint32 seed)
    {
        QRandomGenerator gen(seed);
        QByteArray b(size, Qt::Uninitialized);
        for (char &c : b)
            c = char(gen.bounded(256));
        return b;
    }
    static bool writeLocal(const QString &path, const QByteArray &data)
    {
        QDir().mkpath(QFileInfo(path).path());
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
    }
    static QByteArray readLocal(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
    }

    SandboxEnv m_env;
    std::unique_ptr<Supervisor> m_supervisor;
    Site *m_local = nullptr;
    Site *m_remote = nullptr;  // kind ssh, the sandbox login node
    Site *m_remote2 = nullptr; // the same login node as a second (slurm) site
    QTemporaryDir m_tmp;
    QString m_remoteDir;
};

void TestDataMover::initTestCase()
{
    m_env = SandboxEnv::load();
    QVERIFY2(m_env.ok(), qPrintable(m_env.error));
    QVERIFY(m_tmp.isValid());
    SupervisorOptions options;
    options.sshConfigFile = m_env.sshConfig;
    options.hostKeyPolicy = HostKeyPolicy::Strict;
    m_supervisor = std::make_unique<Supervisor>(options);
    SiteSpec local;
    local.name = QStringLiteral("field");
    local.kind = SiteSpec::Kind::Local;
    local.runRoot = m_tmp.path() + QStringLiteral("/runs");
    m_local = m_supervisor->addSite(local);
    SiteSpec remote;
    remote.name = QStringLiteral("cloud");
    remote.kind = SiteSpec::Kind::Ssh;
    remote.host = m_env.hostAlias;
    remote.runRoot = QStringLiteral("vigil-test-datamover");
    m_remote = m_supervisor->addSite(remote);
    SiteSpec cluster = remote;
    cluster.name = QStringLiteral("cluster");
    cluster.kind = SiteSpec::Kind::Slurm;
    m_remote2 = m_supervisor->addSite(cluster);
    for (Site *s : {m_local, m_remote, m_remote2}) {
        auto up = await<void>([&](QObject *c, Callback<void> cb) { s->whenConnected(c, cb); });
        QVERIFY2(up, qPrintable(s->name() + QStringLiteral(": ") + up.errorString()));
    }
    m_remoteDir = m_remote->runRoot() + QStringLiteral("/") +
                  QString::number(QRandomGenerator::global()->generate(), 16);
    QVERIFY(mkdirWait(*m_remote->transport(), m_remoteDir, 0700));
}

void TestDataMover::cleanupTestCase()
{
    if (m_remote && !m_remoteDir.isEmpty())
        (void)execWait(*m_remote->transport(), {QStringLiteral("rm"), QStringLiteral("-rf"),
                                                QStringLiteral("--"), m_remoteDir});
}

void TestDataMover::rsyncArguments()
{
    DataMoveOptions o;
    o.sshConfigFile = QStringLiteral("/etc/my ssh/config");
    SiteSpec s;
    s.name = QStringLiteral("c");
    s.host = QStringLiteral("login");
    s.user = QStringLiteral("ann");
    s.port = 2200;
    s.identityFile = QStringLiteral("~/.ssh/id_ed25519");
    s.proxyJump = QStringLiteral("gw.example.org");
    auto args = DataMover::rsyncArguments(o, s, true, true, QStringLiteral("/home/me/d $(x)"),
                                          QStringLiteral("runs/r1/-data"));
    QVERIFY2(args, qPrintable(args.errorString()));
    const QStringList expected{
        QStringLiteral("rsync"),
        QStringLiteral("--archive"),
        QStringLiteral("--protect-args"),
        QStringLiteral("--ignore-times"),
        QStringLiteral("--info=progress2"),
        QStringLiteral("--rsync-path=rsync"),
        QStringLiteral("-e"),
        QStringLiteral("ssh -F '/etc/my ssh/config' -o BatchMode=yes -o "
                       "StrictHostKeyChecking=yes -o ConnectTimeout=10 -i '~/.ssh/id_ed25519' -p "
                       "2200 -l ann -J gw.example.org"),
        QStringLiteral("--"),
        QStringLiteral("/home/me/d $(x)/"),
        QStringLiteral("login:runs/r1/-data/")};
    QCOMPARE(*args, expected);
    auto down = DataMover::rsyncArguments(o, s, false, false, QStringLiteral("/l/f"),
                                          QStringLiteral("/r/f"));
    QVERIFY(down);
    QCOMPARE(down->mid(9), (QStringList{QStringLiteral("login:/r/f"), QStringLiteral("/l/f")}));
}

void TestDataMover::rsyncArgumentsRefused()
{
    SiteSpec s;
    s.name = QStringLiteral("c");
    s.host = QStringLiteral("login");
    s.identityFile = QStringLiteral("/keys/ann's key");
    auto quote =
        DataMover::rsyncArguments({}, s, true, false, QStringLiteral("/a"), QStringLiteral("/b"));
    QVERIFY(!quote);
    QVERIFY2(quote.errorString().contains(QStringLiteral("cannot carry")),
             qPrintable(quote.errorString()));
    s.identityFile.clear();
    s.host = QStringLiteral("-oProxyCommand=x");
    auto dash =
        DataMover::rsyncArguments({}, s, true, false, QStringLiteral("/a"), QStringLiteral("/b"));
    QVERIFY(!dash);
    QVERIFY2(dash.errorString().contains(QStringLiteral("site c")), qPrintable(dash.errorString()));
}

void TestDataMover::parseProgress_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<qint64>("bytes"); // -1: not a progress line
    QTest::newRow("start") << QByteArray("              0   0%    0.00kB/s    0:00:00")
                           << qint64(0);
    QTest::newRow("middle") << QByteArray("      5,242,880  50%   12.34MB/s    0:00:01")
                            << qint64(5242880);
    QTest::newRow("end") << QByteArray(
                                "     10,485,760 100%   20.00MB/s    0:00:00 (xfr#1, to-chk=0/1)")
                         << qint64(10485760);
    QTest::newRow("other") << QByteArray("sending incremental file list") << qint64(-1);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
}

void TestDataMover::parseProgress()
{
    QFETCH(QByteArray, line);
    QFETCH(qint64, bytes);
    const auto got = DataMover::parseProgress(line);
    QCOMPARE(got.value_or(-1), bytes);
}

void TestDataMover::uploadFileWithRsync()
{
    const QString src = m_tmp.path() + QStringLiteral("/up/detections.bin");
    const QByteArray data = noise(3 << 20, 1);
    QVERIFY(writeLocal(src, data));
    const QString dst = m_remoteDir + QStringLiteral("/in/detections.bin");
    QList<qint64> progress;
    auto r = move(m_local, src, m_remote, dst, {}, &progress);
    QVERIFY2(r, qPrintable(r.errorString()));
    QVERIFY2(r->method == DataMoveResult::Method::Rsync, qPrintable(r->whyNotRsync));
    QCOMPARE(remoteRead(dst), data);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last(), qint64(data.size()));
}

void TestDataMover::downloadTreeWithRsync()
{
    const QString tree = m_remoteDir + QStringLiteral("/model");
    QVERIFY(mkdirWait(*m_remote->transport(), tree + QStringLiteral("/weights")));
    QVERIFY(writeWait(*m_remote->transport(), tree + QStringLiteral("/model.json"), "{\"w\":1}"));
    const QByteArray weights = noise(200000, 2);
    QVERIFY(writeWait(*m_remote->transport(), tree + QStringLiteral("/weights/w 0.bin"), weights));
    const QString dst = m_tmp.path() + QStringLiteral("/deploy/model");
    auto r = move(m_remote, tree, m_local, dst);
    QVERIFY2(r, qPrintable(r.errorString()));
    QVERIFY2(r->method == DataMoveResult::Method::Rsync, qPrintable(r->whyNotRsync));
    QCOMPARE(readLocal(dst + QStringLiteral("/model.json")), QByteArray("{\"w\":1}"));
    QCOMPARE(readLocal(dst + QStringLiteral("/weights/w 0.bin")), weights);
}

void TestDataMover::rsyncUpdatesAChangedFile()
{
    // 8 MiB moved once, then 4 KiB in its middle changed within the same
    // second (same size, same mtime: rsync's quick check alone would skip it)
    // and moved again: the target ends up equal to the changed file.
    const QString src = m_tmp.path() + QStringLiteral("/delta/big.bin");
    QByteArray data = noise(8 << 20, 3);
    QVERIFY(writeLocal(src, data));
    const QString dst = m_remoteDir + QStringLiteral("/delta/big.bin");
    auto first = move(m_local, src, m_remote, dst);
    QVERIFY2(first && first->method == DataMoveResult::Method::Rsync,
             qPrintable(first ? first->whyNotRsync : first.errorString()));
    data.replace(4 << 20, 4096, noise(4096, 4));
    QVERIFY(writeLocal(src, data));
    auto second = move(m_local, src, m_remote, dst);
    QVERIFY2(second && second->method == DataMoveResult::Method::Rsync,
             qPrintable(second ? second->whyNotRsync : second.errorString()));
    QCOMPARE(QCryptographicHash::hash(remoteRead(dst), QCryptographicHash::Sha256),
             QCryptographicHash::hash(data, QCryptographicHash::Sha256));
}

void TestDataMover::rsyncTurnedOff()
{
    const QString src = m_tmp.path() + QStringLiteral("/off/a.txt");
    QVERIFY(writeLocal(src, "through the connection\n"));
    const QString dst = m_remoteDir + QStringLiteral("/off/a.txt");
    DataMoveOptions o;
    o.useRsync = false;
    auto r = move(m_local, src, m_remote, dst, o);
    QVERIFY2(r, qPrintable(r.errorString()));
    QVERIFY(r->method == DataMoveResult::Method::Connections);
    QCOMPARE(r->whyNotRsync, QStringLiteral("rsync is turned off"));
    QCOMPARE(r->files, 1);
    QCOMPARE(remoteRead(dst), QByteArray("through the connection\n"));
}

void TestDataMover::quoteInPathFallsBack()
{
    // A remote site whose key file name has a quote: rsync's -e cannot carry
    // it; the data still arrives, through the connections.
    SiteSpec spec = m_remote->spec();
    spec.name = QStringLiteral("quoted");
    const QString keyCopy = m_tmp.path() + QStringLiteral("/ann's key");
    QVERIFY(QFile::copy(m_env.key, keyCopy));
    spec.identityFile = keyCopy;
    Site *quoted = m_supervisor->addSite(spec);
    auto up = await<void>([&](QObject *c, Callback<void> cb) { quoted->whenConnected(c, cb); });
    QVERIFY2(up, qPrintable(up.errorString()));
    const QString src = m_tmp.path() + QStringLiteral("/q/x.txt");
    QVERIFY(writeLocal(src, "x"));
    auto r = move(m_local, src, quoted, m_remoteDir + QStringLiteral("/q/x.txt"));
    QVERIFY2(r, qPrintable(r.errorString()));
    QVERIFY(r->method == DataMoveResult::Method::Connections);
    QVERIFY2(r->whyNotRsync.contains(QStringLiteral("cannot carry")), qPrintable(r->whyNotRsync));
    QCOMPARE(remoteRead(m_remoteDir + QStringLiteral("/q/x.txt")), QByteArray("x"));
}

void TestDataMover::sshRefusedFallsBack()
{
    // The OpenSSH client rsync runs cannot log in (here: a client that always
    // fails, as one without the key, or facing a one-time-code prompt, does):
    // the data goes through Vigil's own connection instead.
    DataMoveOptions o;
    o.sshProgram = QStringLiteral("/bin/false");
    const QString src = m_tmp.path() + QStringLiteral("/s/y.txt");
    QVERIFY(writeLocal(src, "y"));
    auto r = move(m_local, src, m_remote, m_remoteDir + QStringLiteral("/s/y.txt"), o);
    QVERIFY2(r, qPrintable(r.errorString()));
    QVERIFY(r->method == DataMoveResult::Method::Connections);
    QVERIFY2(r->whyNotRsync.startsWith(QStringLiteral("rsync exited with")),
             qPrintable(r->whyNotRsync));
    QCOMPARE(remoteRead(m_remoteDir + QStringLiteral("/s/y.txt")), QByteArray("y"));
}

void TestDataMover::remoteToRemoteThroughConnections()
{
    const QString tree = m_remoteDir + QStringLiteral("/r2r");
    QVERIFY(mkdirWait(*m_remote->transport(), tree + QStringLiteral("/sub")));
    QVERIFY(writeWait(*m_remote->transport(), tree + QStringLiteral("/a"), "A"));
    QVERIFY(writeWait(*m_remote->transport(), tree + QStringLiteral("/sub/b"), "B"));
    QList<qint64> progress;
    auto r =
        move(m_remote, tree, m_remote2, m_remoteDir + QStringLiteral("/r2r-copy"), {}, &progress);
    QVERIFY2(r, qPrintable(r.errorString()));
    QVERIFY(r->method == DataMoveResult::Method::Connections);
    QCOMPARE(r->whyNotRsync, QStringLiteral("neither end is this machine"));
    QCOMPARE(r->files, 2);
    QCOMPARE(r->bytes, qint64(2));
    QCOMPARE(remoteRead(m_remoteDir + QStringLiteral("/r2r-copy/a")), QByteArray("A"));
    QCOMPARE(remoteRead(m_remoteDir + QStringLiteral("/r2r-copy/sub/b")), QByteArray("B"));
    QVERIFY(!progress.isEmpty());
}

void TestDataMover::missingSourceIsAnError()
{
    auto r = move(m_remote, m_remoteDir + QStringLiteral("/nope.bin"), m_local,
                  m_tmp.path() + QStringLiteral("/nope.bin"));
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::NotFound);
    QVERIFY2(r.errorString().contains(QStringLiteral("nope.bin on site cloud")),
             qPrintable(r.errorString()));
    QVERIFY(!QFile::exists(m_tmp.path() + QStringLiteral("/nope.bin")));
}

void TestDataMover::symlinkInTreeIsRefused()
{
    const QString tree = m_remoteDir + QStringLiteral("/linky");
    QVERIFY(mkdirWait(*m_remote->transport(), tree));
    QVERIFY(writeWait(*m_remote->transport(), tree + QStringLiteral("/ok"), "ok"));
    QVERIFY(execWait(*m_remote->transport(),
                     {QStringLiteral("ln"), QStringLiteral("-s"), QStringLiteral("/etc/passwd"),
                      tree + QStringLiteral("/secret")}));
    auto r = move(m_remote, tree, m_remote2, m_remoteDir + QStringLiteral("/linky-copy"));
    QVERIFY(!r);
    QVERIFY2(r.errorString().contains(QStringLiteral("secret on site cloud is a symbolic link")),
             qPrintable(r.errorString()));
    QVERIFY(!remoteRead(m_remoteDir + QStringLiteral("/linky-copy/secret")).contains("root:"));
}

void TestDataMover::tooLargeThroughConnections()
{
    const QString src = m_tmp.path() + QStringLiteral("/big/c.bin");
    QVERIFY(writeLocal(src, noise(5000, 5)));
    DataMoveOptions o;
    o.useRsync = false;
    o.maxSftpBytes = 4096;
    const QString dst = m_remoteDir + QStringLiteral("/big/c.bin");
    auto r = move(m_local, src, m_remote, dst, o);
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::TooLarge);
    QVERIFY(!readWait(*m_remote->transport(), dst)); // nothing half-written
}

void TestDataMover::cancelRsync()
{
    // 200 MB (sparse here) to a target that holds "old", rsync held to
    // 2 MB/s: cancelled at its first progress line.
    const QString src = m_tmp.path() + QStringLiteral("/cancel/big.bin");
    QVERIFY(makeSparse(src, qint64(200) << 20));
    const QString dir = m_remoteDir + QStringLiteral("/cancel-rsync");
    const QString dst = dir + QStringLiteral("/big.bin");
    QVERIFY(mkdirWait(*m_remote->transport(), dir, 0700));
    QVERIFY(writeWait(*m_remote->transport(), dst, "old"));
    DataMoveOptions o;
    o.rsyncExtraArgs = {QStringLiteral("--bwlimit=2m")};
    const Cancelled c = moveAndCancel(m_local, src, m_remote, dst, o);
    QVERIFY(!c.result);
    QCOMPARE(c.result.error().kind, Error::Kind::Cancelled);
    QVERIFY2(c.result.errorString().contains(QStringLiteral("cancelled")),
             qPrintable(c.result.errorString()));
    QVERIFY2(c.rsyncPid > 0, "the move was not under way in rsync when cancelled");
    // rsync's process group (rsync and its ssh) is gone...
    QVERIFY(c.ownGroup);
    QTRY_VERIFY_WITH_TIMEOUT(::kill(-pid_t(c.rsyncPid), 0) != 0, 10000);
    // ...the target is as it was, and the remote rsync removed its temporary
    // file (.big.bin.XXXXXX) once the connection dropped.
    QCOMPARE(remoteRead(dst), QByteArray("old"));
    QTRY_COMPARE_WITH_TIMEOUT(remoteNames(dir), QStringList{QStringLiteral("big.bin")}, 10000);
}

void TestDataMover::cancelThroughConnections()
{
    // 200 MB through the connections (1 MiB chunks, the file written once
    // whole): cancelled at the first chunk, nothing more is read and nothing
    // is written.
    const QString src = m_tmp.path() + QStringLiteral("/cancel2/big.bin");
    QVERIFY(makeSparse(src, qint64(200) << 20));
    const QString dir = m_remoteDir + QStringLiteral("/cancel-sftp");
    DataMoveOptions o;
    o.useRsync = false;
    const Cancelled c = moveAndCancel(m_local, src, m_remote, dir + QStringLiteral("/big.bin"), o);
    QVERIFY(!c.result);
    QCOMPARE(c.result.error().kind, Error::Kind::Cancelled);
    QVERIFY2(c.result.errorString().contains(QStringLiteral("cancelled")),
             qPrintable(c.result.errorString()));
    QCOMPARE(c.progressSignals, 1);
    QCOMPARE(c.rsyncPid, qint64(0));
    QCOMPARE(remoteNames(dir), QStringList());
}

QTEST_GUILESS_MAIN(TestDataMover)
#include "tst_datamover.moc"
