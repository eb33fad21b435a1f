// SPDX-License-Identifier: GPL-3.0-or-later
// A real run (made by vigil-job on the local site, decided through the
// Supervisor with a store) exported as .tar.zst and .zip: the manifest and
// checksums are right, and tar, unzip and sha256sum agree; a log is kept as
// its tail, a symbolic link and a file over the cap are left out and listed;
// a cancelled export leaves no file; the bundle opened read-only shows the
// run and its decided checkpoint, and refuses decisions and job actions.

#include "../common/testfiles.h"
#include "../common/vigiljob.h"
#include "../store/storetest.h"
#include "bundle/bundlecheck.h"
#include "bundle/bundlereader.h"
#include "bundle/bundlestore.h"
#include "bundletest.h"
#include "engine/enginehost.h"
#include "models/operationsmodel.h"
#include "sites/site.h"
#include "supervisor.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

class TestBundle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exportTarZstd();
    void exportZip();
    void cancelLeavesNoFile();
    void largeFileIsExportedWhole();
    void openedBundleIsReadOnly();

private:
    QString runDir(const QString &id) const { return m_root + QLatin1Char('/') + id; }
    bundle::ExportOptions options(const QString &target, bundle::Format format) const
    {
        bundle::ExportOptions o;
        o.target = target;
        o.format = format;
        o.store = m_store.get();
        o.logTailBytes = 1000;
        o.maxFileBytes = 64 * 1024;
        o.createdBy = QStringLiteral("tester");
        return o;
    }
    static const bundle::BundleFile *file(const bundle::Manifest &m, const QString &path)
    {
        for (const bundle::BundleFile &f : m.files)
            if (f.path == path)
                return &f;
        return nullptr;
    }
    void checkManifest(const bundle::Manifest &m);
    // The bundle as tar or unzip extracted it into `dir`.
    void checkExtracted(const QString &dir, const bundle::Manifest &m);

    QTemporaryDir m_home;
    QString m_root;
    QString m_out; // where bundles are written
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Supervisor> m_sup;
    QString m_decisionId;
    QByteArray m_log;
};

void TestBundle::initTestCase()
{
    QVERIFY(!qEnvironmentVariable("VIGIL_JOB_BINARY").isEmpty());
    QVERIFY(m_home.isValid());
    qputenv("HOME", m_home.path().toUtf8());
    m_root = m_home.filePath(QStringLiteral("runs"));
    m_out = m_home.filePath(QStringLiteral("out"));
    QVERIFY(QDir().mkpath(m_root) && QDir().mkpath(m_out));
    const QString run = runDir(QStringLiteral("r1"));
    runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), run,
                 QStringLiteral("--run-id"), QStringLiteral("r1")});
    runVigilJob(checkpointArgs(run, QStringLiteral("train"), QStringLiteral("epoch-3")));
    QVERIFY(QFile::exists(run + QStringLiteral("/checkpoints/epoch-3/request.json")));
    QVERIFY(QDir().mkpath(run + QStringLiteral("/metrics")));
    QVERIFY(
        writeFile(run + QStringLiteral("/metrics/train.csv"), "epoch,loss\n1,0.9\n2,0.5\n3,0.3\n"));
    QVERIFY(QDir().mkpath(run + QStringLiteral("/tasks/train")));
    for (int i = 0; i < 2000; ++i)
        m_log += "line " + QByteArray::number(i) + " of the training output\n";
    QVERIFY(writeFile(run + QStringLiteral("/tasks/train/stdout.log"), m_log));
    QVERIFY(writeFile(run + QStringLiteral("/model.bin"), QByteArray(100 * 1024, 'm')));
    QVERIFY(QFile::link(QStringLiteral("/etc/passwd"), run + QStringLiteral("/leak")));

    m_store = std::make_unique<Store>(m_home.filePath(QStringLiteral("store.sqlite")));
    SupervisorOptions o;
    o.store = m_store.get();
    m_sup = std::make_unique<Supervisor>(o);
    SiteSpec spec;
    spec.name = QStringLiteral("here");
    spec.kind = SiteSpec::Kind::Local;
    spec.runRoot = m_root;
    m_sup->addSite(spec);
    // Refreshed until the checkpoint is seen (a refresh under way is not doubled).
    QTRY_VERIFY_WITH_TIMEOUT(
        (m_sup->refresh(),
         m_sup->checkpoint(QStringLiteral("here"), QStringLiteral("r1"), QStringLiteral("epoch-3"))
             .has_value()),
        20000);
    DecisionInput in;
    in.site = QStringLiteral("here");
    in.runId = QStringLiteral("r1");
    in.checkpointId = QStringLiteral("epoch-3");
    in.option = QStringLiteral("go");
    in.comment = QStringLiteral("loss is fine");
    auto won = await<DecisionOutcome>(
        [&](QObject *ctx, Callback<DecisionOutcome> cb) { m_sup->decide(in, ctx, cb); });
    VIGIL_VERIFY_OK(won);
    m_decisionId = won->decisionId;
    QTRY_COMPARE_WITH_TIMEOUT(auditOf(*m_store, QStringLiteral("r1")).size(), 1, 10000);
}

void TestBundle::checkManifest(const bundle::Manifest &m)
{
    QCOMPARE(m.runId, QStringLiteral("r1"));
    QCOMPARE(m.site, QStringLiteral("here"));
    QCOMPARE(m.createdBy, QStringLiteral("tester"));
    for (const char *path :
         {"runs/r1/run.json", "runs/r1/events.jsonl", "runs/r1/checkpoints/epoch-3/request.json",
          "runs/r1/checkpoints/epoch-3/decision.json", "runs/r1/metrics/train.csv",
          "store/audit.jsonl", "store/decisions.jsonl", "store/jobs.json"})
        QVERIFY2(file(m, QString::fromLatin1(path)), path);
    // The log: its last 1000 bytes, with the size it had.
    const bundle::BundleFile *log = file(m, QStringLiteral("runs/r1/tasks/train/stdout.log"));
    QVERIFY(log);
    QCOMPARE(log->size, 1000);
    QCOMPARE(log->truncatedFrom, m_log.size());
    QCOMPARE(log->sha256,
             QCryptographicHash::hash(m_log.right(1000), QCryptographicHash::Sha256).toHex());
    // Left out, and said why.
    QVERIFY(!file(m, QStringLiteral("runs/r1/leak")));
    QVERIFY(!file(m, QStringLiteral("runs/r1/model.bin")));
    QStringList omitted;
    for (const bundle::OmittedFile &f : m.omitted)
        omitted << f.path + QLatin1Char(':') + f.reason;
    QVERIFY2(omitted.contains(QStringLiteral("leak:symbolic link")),
             qPrintable(omitted.join(u',')));
    QVERIFY2(omitted.contains(QStringLiteral("model.bin:over the size cap of 65536 bytes")),
             qPrintable(omitted.join(u',')));
}

void TestBundle::checkExtracted(const QString &dir, const bundle::Manifest &m)
{
    const QString root = dir + QStringLiteral("/vigil-bundle-r1/");
    const ToolRun sums = tool(QStringLiteral("sha256sum"),
                              {QStringLiteral("-c"), QStringLiteral("SHA256SUMS")}, root);
    QVERIFY2(sums.exitCode == 0, sums.out.constData());
    QCOMPARE(sums.out.count(": OK\n"), m.files.size());
    // The store's records: the decision in the audit log, the run's decisions.
    const QByteArray audit = readAll(root + QStringLiteral("store/audit.jsonl"));
    QVERIFY2(audit.contains(m_decisionId.toUtf8()), audit.constData());
    QVERIFY(readAll(root + QStringLiteral("store/decisions.jsonl"))
                .contains("\"state\":\"confirmed\""));
    QCOMPARE(readAll(root + QStringLiteral("runs/r1/metrics/train.csv")),
             QByteArray("epoch,loss\n1,0.9\n2,0.5\n3,0.3\n"));
}

void TestBundle::exportTarZstd()
{
    const QString target = m_out + QStringLiteral("/r1.tar.zst");
    auto m = exportWait(m_sup->site(QStringLiteral("here")), QStringLiteral("r1"),
                        options(target, bundle::Format::TarZstd));
    VIGIL_VERIFY_OK(m);
    checkManifest(*m);
    QCOMPARE(QDir(m_out).entryList(QDir::Files | QDir::Hidden),
             QStringList{QStringLiteral("r1.tar.zst")});

    // Our own reader accepts it and reads the same manifest.
    auto checked = bundle::checkBundleFile(target);
    VIGIL_VERIFY_OK(checked);
    QCOMPARE(checked->manifest.files.size(), m->files.size());
    QCOMPARE(checked->root, QStringLiteral("vigil-bundle-r1"));

    // tar lists every entry under the one root; sha256sum -c agrees.
    const ToolRun list =
        tool(QStringLiteral("tar"), {QStringLiteral("--zstd"), QStringLiteral("-tf"), target});
    QCOMPARE(list.exitCode, 0);
    const QStringList names = QString::fromUtf8(list.out).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(names.size(), m->files.size() + 2);
    for (const QString &n : names)
        QVERIFY2(n.startsWith(QLatin1String("vigil-bundle-r1/")), qPrintable(n));
    QVERIFY(names.contains(QStringLiteral("vigil-bundle-r1/SHA256SUMS")));
    QTemporaryDir x;
    QCOMPARE(tool(QStringLiteral("tar"), {QStringLiteral("--zstd"), QStringLiteral("-xf"), target,
                                          QStringLiteral("-C"), x.path()})
                 .exitCode,
             0);
    checkExtracted(x.path(), *m);
}

void TestBundle::exportZip()
{
    const QString target = m_out + QStringLiteral("/r1.zip");
    auto m = exportWait(m_sup->site(QStringLiteral("here")), QStringLiteral("r1"),
                        options(target, bundle::Format::Zip));
    VIGIL_VERIFY_OK(m);
    checkManifest(*m);
    VIGIL_VERIFY_OK(bundle::checkBundleFile(target));
    const ToolRun list = tool(QStringLiteral("unzip"), {QStringLiteral("-l"), target});
    QCOMPARE(list.exitCode, 0);
    QVERIFY(list.out.contains("vigil-bundle-r1/runs/r1/checkpoints/epoch-3/decision.json"));
    QVERIFY(list.out.contains("vigil-bundle-r1/manifest.json"));
    QTemporaryDir x;
    QCOMPARE(tool(QStringLiteral("unzip"),
                  {QStringLiteral("-q"), target, QStringLiteral("-d"), x.path()})
                 .exitCode,
             0);
    checkExtracted(x.path(), *m);
}

void TestBundle::cancelLeavesNoFile()
{
    // A run big enough to be caught mid-way: 24 files of 1 MiB that do not compress.
    const QString run = runDir(QStringLiteral("big"));
    runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), run,
                 QStringLiteral("--run-id"), QStringLiteral("big")});
    QVERIFY(QDir().mkpath(run + QStringLiteral("/data")));
    for (int i = 0; i < 24; ++i) {
        QByteArray noise(1 << 20, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(noise.data()),
                                              noise.size() / 4);
        QVERIFY(writeFile(run + QStringLiteral("/data/part-%1").arg(i), noise));
    }
    QTemporaryDir out;
    const QString target = out.filePath(QStringLiteral("big.tar.zst"));
    OperationsModel ops;
    QAbstractItemModelTester tester(&ops, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto o = options(target, bundle::Format::TarZstd);
    o.maxFileBytes = 2 << 20;
    o.operations = &ops;
    bundle::Export e(m_sup->site(QStringLiteral("here")), QStringLiteral("big"), o);
    QCOMPARE(ops.rowCount(), 0);
    bool cancelled = false;
    qint64 total = 0;
    connect(&e, &bundle::Export::progress, this, [&](qint64 done, qint64 all) {
        total = all;
        if (done > (4 << 20) && !cancelled && ops.rowCount() == 1) {
            QCOMPARE(ops.at(0).title, QStringLiteral("Exporting big"));
            cancelled = ops.cancel(ops.at(0).id); // the status bar's Cancel
        }
    });
    auto r = await<bundle::Manifest>(
        [&](QObject *, Callback<bundle::Manifest> cb) { e.start(std::move(cb)); }, 60000);
    QVERIFY(cancelled);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Cancelled);
    QVERIFY(total > (24 << 20));
    QCOMPARE(ops.rowCount(), 0);
    // Nothing half-written: no bundle, no temporary file.
    QCOMPARE(QDir(out.path()).entryList(QDir::Files | QDir::Hidden | QDir::System), QStringList());
}

void TestBundle::largeFileIsExportedWhole()
{
    // 10 MiB of noise, read in chunks of 4 MiB: each chunk must land at its offset.
    const QString run = runDir(QStringLiteral("wide"));
    runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), run,
                 QStringLiteral("--run-id"), QStringLiteral("wide")});
    QByteArray noise(10 << 20, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(noise.data()),
                                          noise.size() / 4);
    QVERIFY(writeFile(run + QStringLiteral("/model.bin"), noise));
    QTemporaryDir out;
    const QString target = out.filePath(QStringLiteral("wide.tar.zst"));
    auto o = options(target, bundle::Format::TarZstd);
    o.maxFileBytes = 64 << 20;
    auto m = exportWait(m_sup->site(QStringLiteral("here")), QStringLiteral("wide"), o);
    VIGIL_VERIFY_OK(m);
    const bundle::BundleFile *bin = file(*m, QStringLiteral("runs/wide/model.bin"));
    QVERIFY(bin);
    QCOMPARE(bin->size, noise.size());
    QCOMPARE(bin->sha256, QCryptographicHash::hash(noise, QCryptographicHash::Sha256).toHex());
    QCOMPARE(tool(QStringLiteral("tar"), {QStringLiteral("--zstd"), QStringLiteral("-xf"), target,
                                          QStringLiteral("-C"), out.path()})
                 .exitCode,
             0);
    const QByteArray copy =
        readAll(out.filePath(QStringLiteral("vigil-bundle-wide/runs/wide/model.bin")));
    QCOMPARE(copy.size(), noise.size());
    QVERIFY(copy == noise);
}

void TestBundle::openedBundleIsReadOnly()
{
    const QString file = m_out + QStringLiteral("/r1.tar.zst");
    QVERIFY(QFile::exists(file));
    QTemporaryDir parent;
    auto opened = bundle::openBundle(file, parent.path());
    VIGIL_VERIFY_OK(opened);
    QCOMPARE(QFileInfo(opened->directory).permissions() & 0x0077, 0); // owner only
    QVERIFY(QFile::exists(opened->root + QStringLiteral("/runs/r1/run.json")));

    Store store(m_home.filePath(QStringLiteral("viewer.sqlite")));
    SupervisorOptions o;
    o.store = &store;
    Supervisor viewer(o);
    Site *site = viewer.addBundle(file, opened->root, QStringLiteral("r1"));
    QCOMPARE(site->name(), QStringLiteral("bundle-r1"));
    QVERIFY(viewer.isReadOnly(QStringLiteral("bundle-r1")));
    QCOMPARE(viewer.siteStatus(QStringLiteral("bundle-r1")).kind, QStringLiteral("bundle"));
    int arrived = 0;
    connect(&viewer, &Supervisor::checkpointArrived, this, [&] { ++arrived; });
    bool ok = false;
    connect(&viewer, &Supervisor::refreshed, this, [&](const QString &, bool r) { ok = r; });
    viewer.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(ok, 20000);
    QCOMPARE(viewer.runs().size(), 1);
    QCOMPARE(viewer.runs().first().runId, QStringLiteral("r1"));
    auto c = viewer.checkpoint(QStringLiteral("bundle-r1"), QStringLiteral("r1"),
                               QStringLiteral("epoch-3"));
    QVERIFY(c);
    QCOMPARE(c->status, CheckpointInfo::Status::Decided);
    QCOMPARE(c->decidedOption, QStringLiteral("go"));
    QCOMPARE(c->decisionId, m_decisionId);
    QCOMPARE(arrived, 0);

    // Files of the run are read as from a live one.
    auto metrics = await<QByteArray>([&](QObject *ctx, Callback<QByteArray> cb) {
        viewer.readRunFile(QStringLiteral("bundle-r1"), QStringLiteral("r1"),
                           QStringLiteral("metrics/train.csv"), 1 << 20, ctx, cb);
    });
    VIGIL_VERIFY_OK(metrics);
    QVERIFY(metrics->startsWith("epoch,loss"));

    DecisionInput in;
    in.site = QStringLiteral("bundle-r1");
    in.runId = QStringLiteral("r1");
    in.checkpointId = QStringLiteral("epoch-3");
    in.option = QStringLiteral("stop");
    auto refused = await<DecisionOutcome>(
        [&](QObject *ctx, Callback<DecisionOutcome> cb) { viewer.decide(in, ctx, cb); });
    QVERIFY(!refused.ok());
    QCOMPARE(refused.errorString(), QStringLiteral("bundle-r1 is a review bundle: read-only"));
    auto cancel = await<void>([&](QObject *ctx, Callback<void> cb) {
        viewer.cancelJob(QStringLiteral("bundle-r1"), QStringLiteral("123"), ctx, cb);
    });
    QCOMPARE(cancel.errorString(), QStringLiteral("bundle-r1 is a review bundle: read-only"));
    // No engine drives a bundle's run: following it is refused, with an issue.
    engine::EngineHost engines(&viewer, nullptr);
    engines.follow(QStringLiteral("r1"), QStringLiteral("bundle-r1"));
    QVERIFY(!engines.isFollowed(QStringLiteral("r1")));
    QVERIFY(!viewer.issues().isEmpty());
    QCOMPARE(viewer.issues().last().message,
             QStringLiteral("Run r1 of bundle-r1 is a review bundle, read-only: it cannot be "
                            "followed"));
    // The extracted decision is untouched, and the viewer's store holds nothing of it.
    QCOMPARE(readAll(opened->root + QStringLiteral("/runs/r1/checkpoints/epoch-3/decision.json")),
             readAll(runDir(QStringLiteral("r1")) +
                     QStringLiteral("/checkpoints/epoch-3/decision.json")));
    QCOMPARE(outboxOf(store).size(), 0);
    auto inbox = await<QList<InboxEntry>>(
        [&](QObject *ctx, Callback<QList<InboxEntry>> cb) { store.inbox(ctx, cb); });
    VIGIL_VERIFY_OK(inbox);
    QCOMPARE(inbox->size(), 0);
    QVERIFY(QDir(opened->directory).removeRecursively());
}

QTEST_GUILESS_MAIN(TestBundle)
#include "tst_bundle.moc"
