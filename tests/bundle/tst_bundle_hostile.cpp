// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile and broken bundles, built here with libarchive: each is refused by
// the check with a message that names the entry and why, and openBundle()
// extracts nothing (the directory it was given stays empty). A well-formed
// one built the same way is accepted, so the refusals are the entries' doing.
// A bundle that passes the check but reads differently when it is extracted
// (the file changed in between) is refused by the extraction pass.

#include "../ssh/sshtesthelpers.h"
#include "bundle/bundlecheck.h"
#include "bundle/bundlereader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <archive.h>
#include <archive_entry.h>

using namespace vigil;
using namespace vigil::bundle;

namespace {

struct Raw
{
    Raw(QString p, QByteArray d = {}, int t = AE_IFREG, QString l = {})
        : path(std::move(p)), data(std::move(d)), type(t), link(std::move(l))
    {}
    QString path;
    QByteArray data;
    int type = AE_IFREG;
    QString link; // symlink target or hard link source
};

// A pax tar of `entries` as they are (no checks), in memory.
QByteArray tarOf(const QList<Raw> &entries, bool zip = false)
{
    archive *a = archive_write_new();
    zip ? archive_write_set_format_zip(a) : archive_write_set_format_pax_restricted(a);
    QByteArray buffer(8 << 20, '\0');
    size_t used = 0;
    archive_write_open_memory(a, buffer.data(), size_t(buffer.size()), &used);
    for (const Raw &r : entries) {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, r.path.toUtf8().constData());
        archive_entry_set_perm(e, 0644);
        if (r.type == AE_IFLNK) {
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_symlink(e, r.link.toUtf8().constData());
        } else if (!r.link.isEmpty()) {
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_hardlink(e, r.link.toUtf8().constData());
        } else {
            archive_entry_set_filetype(e, r.type);
            archive_entry_set_size(e, r.type == AE_IFREG ? r.data.size() : 0);
        }
        archive_write_header(a, e);
        if (r.type == AE_IFREG && r.link.isEmpty())
            archive_write_data(a, r.data.constData(), size_t(r.data.size()));
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    buffer.truncate(qsizetype(used));
    return buffer;
}

const QString kRoot = QStringLiteral("vigil-bundle-r1/");

BundleFile listed(const QString &rel, const QByteArray &data)
{
    return {rel, data.size(), QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex(),
            -1};
}

// The entries of a well-formed bundle of run r1 whose manifest lists `files`,
// then `extra` as they are.
QList<Raw> bundleOf(const QList<BundleFile> &files, const QList<Raw> &contents,
                    const QList<Raw> &extra = {})
{
    Manifest m;
    m.created = QDateTime::currentDateTimeUtc();
    m.createdBy = QStringLiteral("tester");
    m.site = QStringLiteral("here");
    m.runId = QStringLiteral("r1");
    m.files = files;
    QList<Raw> out = contents;
    out << Raw{kRoot + kManifestName, manifestJson(m)} << Raw{kRoot + kSumsName, sha256Sums(files)};
    return out + extra;
}

const QByteArray kRun = "{\"run_id\": \"r1\"}\n";

} // namespace

class TestBundleHostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wellFormedIsAccepted();
    void refused_data();
    void refused();
    void changedAtExtraction_data();
    void changedAtExtraction();
    void pathRules_data();
    void pathRules();
};

void TestBundleHostile::wellFormedIsAccepted()
{
    const QList<Raw> good = bundleOf({listed(QStringLiteral("runs/r1/run.json"), kRun)},
                                     {{kRoot + QStringLiteral("runs/r1/run.json"), kRun}});
    for (bool zip : {false, true}) {
        auto r = checkBundleBytes(tarOf(good, zip));
        VIGIL_VERIFY_OK(r);
        QCOMPARE(r->root, QStringLiteral("vigil-bundle-r1"));
        QCOMPARE(r->manifest.files.size(), 1);
    }
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("b.tar")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(tarOf(good));
    f.close();
    QTemporaryDir parent;
    auto opened = openBundle(f.fileName(), parent.path());
    VIGIL_VERIFY_OK(opened);
    QFile run(opened->root + QStringLiteral("/runs/r1/run.json"));
    QVERIFY(run.open(QIODevice::ReadOnly));
    QCOMPARE(run.readAll(), kRun);
}

void TestBundleHostile::refused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("maxFileBytes");
    QTest::addColumn<QString>("message");
    const BundleFile run = listed(QStringLiteral("runs/r1/run.json"), kRun);
    const Raw runEntry{kRoot + QStringLiteral("runs/r1/run.json"), kRun};
    const int big = 1 << 30;

    QTest::newRow("dot-dot") << tarOf(bundleOf({run}, {runEntry}, {{QStringLiteral("../x"), "x"}}))
                             << big << QStringLiteral("entry ../x escapes the bundle root");
    QTest::newRow("dot-dot under the root")
        << tarOf(bundleOf({run}, {runEntry}, {{kRoot + QStringLiteral("../../.ssh/x"), "x"}}))
        << big << QStringLiteral("entry vigil-bundle-r1/../../.ssh/x escapes the bundle root");
    QTest::newRow("absolute")
        << tarOf(bundleOf({run}, {runEntry}, {{QStringLiteral("/etc/x"), "x"}})) << big
        << QStringLiteral("entry /etc/x is an absolute path: it escapes the bundle root");
    QTest::newRow("other root")
        << tarOf(bundleOf({run}, {runEntry}, {{QStringLiteral("elsewhere/x"), "x"}})) << big
        << QStringLiteral("entry elsewhere/x escapes the bundle root vigil-bundle-r1");
    QTest::newRow("symlink") << tarOf(bundleOf({run}, {runEntry},
                                               {{kRoot + QStringLiteral("runs/r1/key"),
                                                 {},
                                                 AE_IFLNK,
                                                 QStringLiteral("/root/.ssh/id_ed25519")}}))
                             << big
                             << QStringLiteral(
                                    "entry vigil-bundle-r1/runs/r1/key is a symbolic link");
    QTest::newRow("hard link") << tarOf(bundleOf({run}, {runEntry},
                                                 {{kRoot + QStringLiteral("runs/r1/h"),
                                                   {},
                                                   AE_IFREG,
                                                   QStringLiteral("/etc/passwd")}}))
                               << big
                               << QStringLiteral("entry vigil-bundle-r1/runs/r1/h is a hard link");
    QTest::newRow("fifo") << tarOf(bundleOf({run}, {runEntry},
                                            {{kRoot + QStringLiteral("runs/r1/p"), {}, AE_IFIFO}}))
                          << big << QStringLiteral("entry vigil-bundle-r1/runs/r1/p is a fifo");
    QTest::newRow("not in the manifest")
        << tarOf(bundleOf({run}, {runEntry}, {{kRoot + QStringLiteral("runs/r1/extra"), "x"}}))
        << big
        << QStringLiteral("entry vigil-bundle-r1/runs/r1/extra is not listed in the manifest");
    BundleFile wrong = run;
    wrong.sha256 = QByteArray(64, 'a');
    QTest::newRow("checksum") << tarOf(bundleOf({wrong}, {runEntry})) << big
                              << QStringLiteral("entry vigil-bundle-r1/runs/r1/run.json does not "
                                                "match its SHA-256 in the manifest");
    QTest::newRow("duplicate") << tarOf(bundleOf({run}, {runEntry, runEntry})) << big
                               << QStringLiteral(
                                      "entry vigil-bundle-r1/runs/r1/run.json comes twice");
    QTest::newRow("oversize") << tarOf(bundleOf({run}, {runEntry})) << 8
                              << QStringLiteral("entry vigil-bundle-r1/runs/r1/run.json is larger "
                                                "than the limit of 8 bytes");
    QTest::newRow("missing file")
        << tarOf(bundleOf({run, listed(QStringLiteral("runs/r1/gone"), "g")}, {runEntry})) << big
        << QStringLiteral("manifest.json lists vigil-bundle-r1/runs/r1/gone, which the bundle "
                          "does not hold");
    QTest::newRow("no manifest") << tarOf({runEntry}) << big
                                 << QStringLiteral(
                                        "the bundle has no vigil-bundle-r1/manifest.json");
    QTest::newRow("not an archive") << QByteArray("just some text, not a bundle\n") << big
                                    << QStringLiteral("not a readable bundle");
}

void TestBundleHostile::refused()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, maxFileBytes);
    QFETCH(QString, message);
    Limits limits;
    limits.maxFileBytes = maxFileBytes;
    auto r = checkBundleBytes(bytes, limits);
    QVERIFY(!r.ok());
    QVERIFY2(r.errorString().startsWith(message), qPrintable(r.errorString()));

    // Opened from a file: the same refusal, and nothing extracted.
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("hostile.tar")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    f.close();
    QTemporaryDir parent;
    auto opened = openBundle(f.fileName(), parent.path(), limits);
    QVERIFY(!opened.ok());
    QVERIFY2(opened.errorString().contains(message), qPrintable(opened.errorString()));
    QCOMPARE(QDir(parent.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList());
}

void TestBundleHostile::changedAtExtraction_data()
{
    QTest::addColumn<QByteArray>("first");  // what the check reads
    QTest::addColumn<QByteArray>("second"); // what the extraction reads
    QTest::addColumn<QString>("message");   // empty: extracted
    const QString runPath = QStringLiteral("runs/r1/run.json");
    const Raw runEntry{kRoot + runPath, kRun};
    const Raw logEntry{kRoot + QStringLiteral("runs/r1/a.log"), "log\n"};
    const QList<Raw> good =
        bundleOf({listed(runPath, kRun), listed(QStringLiteral("runs/r1/a.log"), "log\n")},
                 {runEntry, logEntry});
    const QByteArray first = tarOf(good);
    // `good` with entry `i` replaced by `r`, or dropped.
    auto with = [&](qsizetype i, std::optional<Raw> r) {
        QList<Raw> out = good;
        if (r)
            out[i] = *r;
        else
            out.removeAt(i);
        return tarOf(out);
    };
    const Raw manifest = good.at(2);
    const Raw sums = good.at(3);
    QByteArray otherSums = sums.data;
    otherSums[0] = otherSums.at(0) == '0' ? '1' : '0';

    QTest::newRow("same") << first << first << QString();
    QTest::newRow("listed file gone")
        << first << with(0, std::nullopt)
        << QStringLiteral("the bundle changed while it was opened: runs/r1/run.json is no "
                          "longer there");
    QTest::newRow("file grew") << first << with(0, Raw{runEntry.path, kRun + "more"})
                               << QStringLiteral(
                                      "the bundle changed while it was opened: "
                                      "runs/r1/run.json has more than the 17 bytes it had");
    QTest::newRow("file shrank") << first << with(0, Raw{runEntry.path, kRun.left(4)})
                                 << QStringLiteral("the bundle changed while it was opened: "
                                                   "runs/r1/run.json no longer matches its "
                                                   "SHA-256");
    QTest::newRow("manifest changed")
        << first
        << with(2, Raw{manifest.path, QByteArray(manifest.data).replace("tester", "hacker")})
        << QStringLiteral("the bundle changed while it was opened: manifest.json no longer "
                          "matches its SHA-256");
    QTest::newRow("sums changed")
        << first << with(3, Raw{sums.path, otherSums})
        << QStringLiteral("the bundle changed while it was opened: SHA256SUMS no longer matches "
                          "its SHA-256");
    QTest::newRow("entry added") << first
                                 << tarOf(good +
                                          QList<Raw>{{kRoot + QStringLiteral("runs/r1/x"), "x"}})
                                 << QStringLiteral("the bundle changed while it was opened: entry "
                                                   "vigil-bundle-r1/runs/r1/x was not there");
    QTest::newRow("entry twice") << first << tarOf(good + QList<Raw>{runEntry})
                                 << QStringLiteral(
                                        "the bundle changed while it was opened: entry "
                                        "vigil-bundle-r1/runs/r1/run.json was not there");
}

void TestBundleHostile::changedAtExtraction()
{
    QFETCH(QByteArray, first);
    QFETCH(QByteArray, second);
    QFETCH(QString, message);
    auto checked = checkBundleBytes(first);
    VIGIL_VERIFY_OK(checked);
    std::unique_ptr<archive, ArchiveReadFree> a(newBundleReader());
    QCOMPARE(archive_read_open_memory(a.get(), second.constData(), size_t(second.size())),
             ARCHIVE_OK);
    QTemporaryDir dir;
    auto r = extractArchive(a.get(), *checked, dir.path());
    const QString root = dir.filePath(QStringLiteral("vigil-bundle-r1/"));
    if (message.isEmpty()) {
        VIGIL_VERIFY_OK(r);
        QFile run(root + QStringLiteral("runs/r1/run.json"));
        QVERIFY(run.open(QIODevice::ReadOnly));
        QCOMPARE(run.readAll(), kRun);
        QVERIFY(QFile::exists(root + kManifestName));
        QVERIFY(QFile::exists(root + kSumsName));
        return;
    }
    QVERIFY(!r.ok());
    QCOMPARE(r.errorString(), message);
    // Never a byte past the size the check saw.
    QVERIFY(QFileInfo(root + QStringLiteral("runs/r1/run.json")).size() <= kRun.size());
}

void TestBundleHostile::pathRules_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("isDir");
    QTest::addColumn<QString>("problem");
    QTest::newRow("plain") << QStringLiteral("a/b.json") << false << QString();
    QTest::newRow("dir slash") << QStringLiteral("a/b/") << true << QString();
    QTest::newRow("file slash") << QStringLiteral("a/b/") << false
                                << QStringLiteral("has an empty or \".\" component in its path");
    QTest::newRow("dot") << QStringLiteral("a/./b") << false
                         << QStringLiteral("has an empty or \".\" component in its path");
    QTest::newRow("double slash") << QStringLiteral("a//b") << false
                                  << QStringLiteral("has an empty or \".\" component in its path");
    QTest::newRow("backslash") << QStringLiteral("a\\..\\b") << false
                               << QStringLiteral("has a backslash in its path");
    QTest::newRow("newline") << QStringLiteral("a\nb") << false
                             << QStringLiteral("has a control character in its path");
    QTest::newRow("empty") << QString() << false << QStringLiteral("has an empty path");
}

void TestBundleHostile::pathRules()
{
    QFETCH(QString, path);
    QFETCH(bool, isDir);
    QFETCH(QString, problem);
    QCOMPARE(pathProblem(path, isDir), problem);
}

QTEST_GUILESS_MAIN(TestBundleHostile)
#include "tst_bundle_hostile.moc"
