// SPDX-License-Identifier: GPL-3.0-or-later
// Progress and cancellation of Transport::writeFileAtomic (WriteControl)
// against the sandbox's sshd and on the local machine, and the helper upload
// listed in the Supervisor's operations model ("Uploading vigil-job to SITE").

#include "core/local/localtransport.h"
#include "models/operationsmodel.h"
#include "sites/site.h"
#include "sshtesthelpers.h"
#include "supervisor.h"

#include <QAbstractItemModelTester>
#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace vigil;
using namespace vigil::test;

namespace {

struct Progress
{
    QList<qint64> done;
    qint64 total = -1;
    bool offThread = false; // a call came on another thread than the test's
    bool afterDone = false; // a call came after the write's callback
    bool finished = false;  // the write's callback ran
};

// Writes with a WriteControl whose progress is recorded in `p`; `onProgress`
// runs after each record (to cancel, say).
Result<void> writeFollowed(Transport &t, const QString &path, const QByteArray &data, Progress &p,
                           const std::shared_ptr<std::atomic_bool> &cancel,
                           const std::function<void()> &onProgress = {})
{
    QThread *const testThread = QThread::currentThread();
    return await<void>(
        [&](QObject *ctx, Callback<void> cb) {
            WriteControl control;
            control.cancel = cancel;
            control.progress = [&p, testThread, onProgress](qint64 done, qint64 total) {
                p.offThread |= QThread::currentThread() != testThread;
                p.afterDone |= p.finished;
                p.done << done;
                p.total = total;
                if (onProgress)
                    onProgress();
            };
            t.writeFileAtomic(
                path, data, 0644, ctx,
                [&p, cb](Result<void> r) {
                    p.finished = true;
                    cb(std::move(r));
                },
                control);
        },
        120000);
}

QByteArray patterned(qint64 size)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        data[i] = char((i * 131 + i / 4096) & 0xff);
    return data;
}

} // namespace

class TestWriteProgress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void progressRisesToTheTotalOnTheCallersThread();
    void cancelledWriteLeavesNothing();
    void cancelledWriteKeepsTheOldTarget();
    void cancelledBeforeItStarts();
    void localWriteReportsOnceAndCancels();
    void cancelledHelperUploadFallsBackToSftp();
    void helperUploadIsListedWithProgress();

private:
    QString scratch(const QString &name) const { return m_dir + QLatin1Char('/') + name; }
    // Names in m_dir that start with "." + name + ".tmp-" (left-over temporaries).
    QStringList temporariesOf(const QString &name);
    bool existsRemote(const QString &path);
    // A Supervisor with the sandbox as site "login" (not polling).
    std::unique_ptr<Supervisor> supervisorWithLogin() const;

    SandboxEnv m_env;
    std::unique_ptr<SshTransport> m_t;
    QString m_dir; // a fresh directory in the sandbox user's home
    QTemporaryDir m_local;
    QString m_helperRemote; // where this test's own vigil-job copy goes on the site
    QString m_rootName;     // run root of the site test, relative to the home
};

void TestWriteProgress::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY(m_local.isValid());
    m_t = std::make_unique<SshTransport>(sandboxTarget(m_env));
    m_t->open();
    QTRY_COMPARE_WITH_TIMEOUT(m_t->state(), Transport::State::Connected, 20000);
    const QString nonce = QStringLiteral("%1-%2")
                              .arg(QCoreApplication::applicationPid())
                              .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    m_dir = QStringLiteral("vigil-writeprogress-test-") + nonce;
    m_rootName = m_dir + QStringLiteral("/runs");
    VIGIL_VERIFY_OK(mkdirWait(*m_t, m_dir, 0700));

    // A vigil-job of its own (the build's, with bytes appended: it still
    // runs, and its content hash, hence its name on the site, is new), so
    // that the site has to upload it whatever other tests left there.
    QFile built(qEnvironmentVariable("VIGIL_JOB_BINARY"));
    QVERIFY2(built.open(QIODevice::ReadOnly), "VIGIL_JOB_BINARY must name the built vigil-job");
    QByteArray binary = built.readAll() + nonce.toUtf8();
    const QString copy = m_local.filePath(QStringLiteral("vigil-job"));
    QFile out(copy);
    QVERIFY(out.open(QIODevice::WriteOnly));
    QCOMPARE(out.write(binary), binary.size());
    out.close();
    QVERIFY(out.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    qputenv("VIGIL_JOB_BINARY", QFile::encodeName(copy));
    m_helperRemote =
        m_t->homeDirectory() +
        QStringLiteral("/.local/share/vigil/bin/vigil-job-%1-%2")
            .arg(
                QStringLiteral(VIGIL_VERSION),
                QString::fromLatin1(
                    QCryptographicHash::hash(binary, QCryptographicHash::Sha256).toHex().left(12)));
}

void TestWriteProgress::cleanupTestCase()
{
    if (m_t && !m_dir.isEmpty())
        (void)execWait(*m_t, {QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"),
                              m_dir, m_helperRemote});
    m_t.reset();
}

QStringList TestWriteProgress::temporariesOf(const QString &name)
{
    QStringList found;
    const auto entries = listWait(*m_t, m_dir);
    if (!entries) {
        found << QStringLiteral("(cannot list: %1)").arg(entries.errorString());
        return found;
    }
    for (const FileEntry &e : *entries)
        if (e.name.startsWith(QLatin1Char('.') + name + QStringLiteral(".tmp-")))
            found << e.name;
    return found;
}

bool TestWriteProgress::existsRemote(const QString &path)
{
    const auto r = execWait(*m_t, {QStringLiteral("test"), QStringLiteral("-e"), path});
    return r && r->exitCode == 0;
}

std::unique_ptr<Supervisor> TestWriteProgress::supervisorWithLogin() const
{
    SupervisorOptions o;
    o.sshConfigFile = m_env.sshConfig;
    o.hostKeyPolicy = HostKeyPolicy::Strict;
    auto supervisor = std::make_unique<Supervisor>(o);
    SiteSpec spec;
    spec.name = QStringLiteral("login");
    spec.kind = SiteSpec::Kind::Ssh;
    spec.host = m_env.hostAlias;
    spec.runRoot = m_rootName;
    supervisor->addSite(spec);
    return supervisor;
}

void TestWriteProgress::progressRisesToTheTotalOnTheCallersThread()
{
    const qint64 size = qint64(64) << 20;
    const QByteArray data = patterned(size);
    Progress p;
    auto written = writeFollowed(*m_t, scratch(QStringLiteral("big.bin")), data, p,
                                 std::make_shared<std::atomic_bool>(false));
    VIGIL_VERIFY_OK(written);
    qInfo() << "64 MiB write:" << p.done.size() << "progress calls";
    QVERIFY(p.done.size() >= 32); // about one per MiB
    QVERIFY(std::is_sorted(p.done.cbegin(), p.done.cend(), std::less_equal<qint64>()) &&
            std::adjacent_find(p.done.cbegin(), p.done.cend()) == p.done.cend());
    QCOMPARE(p.done.last(), size);
    QCOMPARE(p.total, size);
    QVERIFY(!p.offThread);
    QVERIFY(!p.afterDone);
    auto sum = execWait(*m_t, {QStringLiteral("sha256sum"), scratch(QStringLiteral("big.bin"))});
    VIGIL_VERIFY_OK(sum);
    QCOMPARE(sum->out.left(64), QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
    QCOMPARE(temporariesOf(QStringLiteral("big.bin")), QStringList());
}

void TestWriteProgress::cancelledWriteLeavesNothing()
{
    auto cancel = std::make_shared<std::atomic_bool>(false);
    Progress p;
    auto written =
        writeFollowed(*m_t, scratch(QStringLiteral("cancelled.bin")), patterned(qint64(64) << 20),
                      p, cancel, [cancel] { cancel->store(true); });
    QVERIFY(!written);
    QCOMPARE(written.error().kind, Error::Kind::Cancelled);
    QVERIFY2(written.errorString().contains(QStringLiteral("cancelled")),
             qPrintable(written.errorString()));
    QVERIFY(!p.done.isEmpty());
    QVERIFY(p.done.last() < p.total);
    QVERIFY(!existsRemote(scratch(QStringLiteral("cancelled.bin"))));
    QCOMPARE(temporariesOf(QStringLiteral("cancelled.bin")), QStringList());
}

void TestWriteProgress::cancelledWriteKeepsTheOldTarget()
{
    const QString path = scratch(QStringLiteral("kept.bin"));
    VIGIL_VERIFY_OK(writeWait(*m_t, path, "old"));
    auto cancel = std::make_shared<std::atomic_bool>(false);
    Progress p;
    auto written = writeFollowed(*m_t, path, patterned(qint64(64) << 20), p, cancel,
                                 [cancel] { cancel->store(true); });
    QVERIFY(!written);
    QCOMPARE(written.error().kind, Error::Kind::Cancelled);
    auto read = readWait(*m_t, path);
    VIGIL_VERIFY_OK(read);
    QCOMPARE(read->data, QByteArray("old"));
    QCOMPARE(temporariesOf(QStringLiteral("kept.bin")), QStringList());
}

void TestWriteProgress::cancelledBeforeItStarts()
{
    Progress p;
    auto written = writeFollowed(*m_t, scratch(QStringLiteral("never.bin")), "data", p,
                                 std::make_shared<std::atomic_bool>(true));
    QVERIFY(!written);
    QCOMPARE(written.error().kind, Error::Kind::Cancelled);
    QVERIFY(p.done.isEmpty());
    QVERIFY(!existsRemote(scratch(QStringLiteral("never.bin"))));
    QCOMPARE(temporariesOf(QStringLiteral("never.bin")), QStringList());
}

void TestWriteProgress::localWriteReportsOnceAndCancels()
{
    LocalTransport local;
    const QString path = m_local.filePath(QStringLiteral("local.bin"));
    Progress p;
    VIGIL_VERIFY_OK(
        writeFollowed(local, path, "12345", p, std::make_shared<std::atomic_bool>(false)));
    QCOMPARE(p.done, QList<qint64>{5});
    QCOMPARE(p.total, qint64(5));
    QVERIFY(!p.offThread);
    QVERIFY(!p.afterDone);

    Progress q;
    auto cancelled = writeFollowed(local, path, "new", q, std::make_shared<std::atomic_bool>(true));
    QVERIFY(!cancelled);
    QCOMPARE(cancelled.error().kind, Error::Kind::Cancelled);
    QVERIFY(q.done.isEmpty());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("12345"));
}

// Must run before helperUploadIsListedWithProgress: the binary is then not
// on the site yet.
void TestWriteProgress::cancelledHelperUploadFallsBackToSftp()
{
    const std::unique_ptr<Supervisor> supervisor = supervisorWithLogin();
    QAbstractItemModelTester tester(supervisor->operations(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    Site *site = supervisor->site(QStringLiteral("login"));
    OperationsModel *ops = supervisor->operations();
    QStringList titles;
    // Cancel pressed as soon as the upload of vigil-job shows (vigil_job.py,
    // if it has to go too, goes through).
    connect(ops, &QAbstractItemModel::rowsInserted, this, [&](const QModelIndex &, int first) {
        const QString title = ops->at(first).title;
        titles << title;
        if (title.contains(QStringLiteral("vigil-job")))
            QVERIFY(ops->cancel(ops->at(first).id));
    });
    auto scanned = await<QByteArray>(
        [&](QObject *ctx, Callback<QByteArray> cb) { site->scanRuns(ctx, std::move(cb)); }, 60000);
    VIGIL_VERIFY_OK(scanned); // over SFTP
    QVERIFY2(titles.contains(QStringLiteral("Uploading vigil-job to login")),
             qPrintable(titles.join(QStringLiteral(", "))));
    QCOMPARE(site->helperProblem(), QStringLiteral("the upload of vigil-job was cancelled"));
    QVERIFY(site->helperPath().isEmpty());
    QCOMPARE(ops->rowCount(), 0);
    QVERIFY(!existsRemote(m_helperRemote));
}

void TestWriteProgress::helperUploadIsListedWithProgress()
{
    const std::unique_ptr<Supervisor> supervisor = supervisorWithLogin();
    QAbstractItemModelTester tester(supervisor->operations(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    Site *site = supervisor->site(QStringLiteral("login"));
    OperationsModel *ops = supervisor->operations();
    quint64 row = 0;
    qint64 total = -1;
    QList<qint64> done;
    bool removed = false;
    connect(ops, &QAbstractItemModel::rowsInserted, this, [&](const QModelIndex &, int first) {
        if (ops->at(first).title == QStringLiteral("Uploading vigil-job to login")) {
            row = ops->at(first).id;
            total = ops->at(first).bytesTotal;
        }
    });
    connect(ops, &QAbstractItemModel::dataChanged, this, [&](const QModelIndex &at) {
        if (ops->at(at.row()).id == row)
            done << ops->at(at.row()).bytesDone;
    });
    connect(ops, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [&](const QModelIndex &, int first) { removed |= ops->at(first).id == row; });
    auto helper = await<QString>(
        [&](QObject *ctx, Callback<QString> cb) { site->ensureHelper(ctx, std::move(cb)); }, 60000);
    VIGIL_VERIFY_OK(helper);
    QCOMPARE(*helper, m_helperRemote);
    QVERIFY(row != 0);
    QVERIFY(total > 0);
    QVERIFY(!done.isEmpty());
    QCOMPARE(done.last(), total);
    QVERIFY(removed);
    QCOMPARE(ops->rowCount(), 0);
    QVERIFY(existsRemote(m_helperRemote));
}

QTEST_GUILESS_MAIN(TestWriteProgress)
#include "tst_writeprogress.moc"
