// SPDX-License-Identifier: GPL-3.0-or-later
// The window's File > Export Run… and Open Review Bundle… (without their file
// dialogs): a run of the local site exported, then opened: both listed in the
// operations model (the status bar's rows), the title says the bundle is
// read-only, the Runs dock selects the run, its site is a bundle. The
// bundle's run r1 has a row of its own beside the live r1, and is selected
// even when another site's runs arrive first. A bundle that is refused lands
// in the Issues list with its reason. Closing while a bundle is being opened
// leaves no extracted directory behind.

#include "../common/testfiles.h"
#include "../common/vigiljob.h"
#include "bundleactions.h"
#include "checkpointdialog.h"
#include "checkpointreview.h"
#include "mainwindow.h"
#include "models/checkpointsmodel.h"
#include "models/operationsmodel.h"
#include "models/runsmodel.h"
#include "models/supervisorfeed.h"
#include "runspanel.h"
#include "supervisor.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

using namespace vigil;
using namespace vigil::test;

class TestBundleWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exportThenOpen();
    void closedWhileOpening_data();
    void closedWhileOpening();

private:
    QTemporaryDir m_home;
    QString m_file; // the bundle exportThenOpen() wrote
};

void TestBundleWindow::exportThenOpen()
{
    QTemporaryDir &home = m_home;
    qputenv("HOME", home.path().toUtf8());
    const QString root = home.filePath(QStringLiteral("runs"));
    QVERIFY(QDir().mkpath(root));
    runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"),
                 root + QStringLiteral("/r1"), QStringLiteral("--run-id"), QStringLiteral("r1")});
    runVigilJob(checkpointArgs(root + QStringLiteral("/r1"), QStringLiteral("train"),
                               QStringLiteral("epoch-1")));

    Store store(home.filePath(QStringLiteral("store.sqlite")));
    SupervisorOptions o;
    o.store = &store;
    Supervisor supervisor(o);
    SiteSpec spec;
    spec.name = QStringLiteral("here");
    spec.kind = SiteSpec::Kind::Local;
    spec.runRoot = root;
    supervisor.addSite(spec);
    QAbstractItemModelTester tester(supervisor.operations(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QStringList titles;
    connect(supervisor.operations(), &QAbstractItemModel::rowsInserted, this,
            [&](const QModelIndex &, int first) {
                titles << supervisor.operations()->at(first).title;
            });
    MainWindow window(&supervisor);
    QAbstractItemModelTester runsTester(window.feed()->runs(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    window.show();
    auto *exportRun = window.findChild<QAction *>(QStringLiteral("exportRunAction"));
    QVERIFY(exportRun);
    QVERIFY(window.findChild<QAction *>(QStringLiteral("openBundleAction")));
    QTRY_VERIFY_WITH_TIMEOUT((supervisor.refresh(), supervisor.runs().size() == 1), 20000);
    // Export Run… needs a run selected in the Runs dock.
    QVERIFY(!exportRun->isEnabled());
    QTRY_VERIFY(window.runsPanel()->selectRun(QStringLiteral("r1")));
    QVERIFY(exportRun->isEnabled());

    const QString file = home.filePath(QStringLiteral("r1.tar.zst"));
    QSignalSpy exported(window.bundles(), &BundleActions::exported);
    window.bundles()->exportRunTo(QStringLiteral("here"), QStringLiteral("r1"), file);
    QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, 20000);
    QVERIFY(QFile::exists(file));

    m_file = file;
    QSignalSpy opened(window.bundles(), &BundleActions::opened);
    // Another site's runs come first, before the bundle's (the window must
    // still select the bundle's run when they come).
    connect(window.bundles(), &BundleActions::opened, this, [&] {
        QList<RunInfo> here;
        for (const RunInfo &r : supervisor.runs())
            if (r.site == QLatin1String("here"))
                here << r;
        Q_EMIT supervisor.runsChanged(QStringLiteral("here"), here);
    });
    window.bundles()->openBundleFile(file);
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 20000);
    QCOMPARE(opened.first().at(1).toString(), QStringLiteral("bundle-r1"));
    // Besides the uploads of the helper to the local site:
    QVERIFY2(titles.contains(QStringLiteral("Exporting r1")), qPrintable(titles.join(u',')));
    QVERIFY2(titles.contains(QStringLiteral("Opening r1.tar.zst")), qPrintable(titles.join(u',')));
    QTRY_COMPARE(supervisor.operations()->rowCount(), 0);
    QCOMPARE(window.windowTitle(), QStringLiteral("bundle %1 (read-only) — Vigil").arg(file));
    QVERIFY(supervisor.isReadOnly(QStringLiteral("bundle-r1")));
    QTRY_VERIFY_WITH_TIMEOUT(supervisor.checkpoint(QStringLiteral("bundle-r1"),
                                                   QStringLiteral("r1"), QStringLiteral("epoch-1")),
                             20000);
    QTRY_COMPARE(window.runsPanel()->view()->currentIndex().data(RunsModel::SiteRole).toString(),
                 QStringLiteral("bundle-r1"));
    // With VIGIL_GALLERY_DIR set, the window with the bundle open is saved
    // there for a person to look at (as tests/gui/tst_gallery does).
    if (const QString dir = qEnvironmentVariable("VIGIL_GALLERY_DIR"); !dir.isEmpty()) {
        window.resize(1280, 800);
        QTest::qWait(500);
        QVERIFY(window.grab().save(dir + QStringLiteral("/bundle-open.png")));
    }
    const QModelIndex current = window.runsPanel()->view()->currentIndex();
    QCOMPARE(current.data(RunsModel::RunIdRole).toString(), QStringLiteral("r1"));
    QVERIFY(current.data(RunsModel::ReadOnlyRole).toBool());
    // Change Run… (and Follow, where engines run) is not offered for a bundle's run.
    auto *revise = window.runsPanel()->findChild<QAction *>(QStringLiteral("reviseRunAction"));
    QVERIFY(revise);
    QVERIFY(!revise->isEnabled());

    // The bundle's pending checkpoint is listed but waits for nobody: only the
    // live one counts, and its review offers no option to click.
    CheckpointsModel *inbox = window.feed()->checkpoints();
    QTRY_COMPARE(inbox->rowCount(), 2);
    QCOMPARE(inbox->pendingCount(), 1);
    const QString bundleKey = supervisor
                                  .checkpoint(QStringLiteral("bundle-r1"), QStringLiteral("r1"),
                                              QStringLiteral("epoch-1"))
                                  ->key();
    CheckpointDialog *review = window.review()->open(bundleKey);
    QVERIFY(review);
    QVERIFY(review->isReadOnly());
    QVERIFY(!review->optionButtons().isEmpty());
    for (QPushButton *b : review->optionButtons())
        QVERIFY(!b->isEnabled());
    QVERIFY2(review->statusText().contains(QLatin1String("review bundle bundle-r1")),
             qPrintable(review->statusText()));
    review->close();

    // The live r1 and the bundle's r1: two rows, each with its own site.
    RunsModel *runs = window.feed()->runs();
    QCOMPARE(runs->rowCount(), 2);
    const int live = runs->rowOf(QStringLiteral("r1"), QStringLiteral("here"));
    const int bundled = runs->rowOf(QStringLiteral("r1"), QStringLiteral("bundle-r1"));
    QVERIFY(live >= 0 && bundled >= 0 && live != bundled);
    QCOMPARE(runs->rowOf(QStringLiteral("r1")), live);
    QCOMPARE(runs->index(live, 0).data(RunsModel::SiteRole).toString(), QStringLiteral("here"));
    QCOMPARE(runs->index(live, RunsModel::Sites).data().toString(), QStringLiteral("here"));
    QVERIFY(!runs->index(live, 0).data(RunsModel::ReadOnlyRole).toBool());
    QCOMPARE(runs->index(bundled, RunsModel::Run).data().toString(), QStringLiteral("r1"));
    QCOMPARE(runs->index(bundled, RunsModel::Sites).data().toString(), QStringLiteral("bundle-r1"));
    QCOMPARE(runs->index(bundled, RunsModel::Engine).data().toString(),
             QStringLiteral("read-only"));
    // The live row is still the live one to act on.
    QVERIFY(window.runsPanel()->selectRun(QStringLiteral("r1"), QStringLiteral("here")));
    QCOMPARE(window.runsPanel()->view()->currentIndex().data(RunsModel::SiteRole).toString(),
             QStringLiteral("here"));
    QVERIFY(revise->isEnabled());

    // A file that is not a bundle: refused, and listed as an issue.
    const QString bad = home.filePath(QStringLiteral("bad.zip"));
    QVERIFY(writeFile(bad, "not a zip at all"));
    QSignalSpy failed(window.bundles(), &BundleActions::failed);
    window.bundles()->openBundleFile(bad);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
    QVERIFY(failed.first().first().toString().contains(QLatin1String("not a readable bundle")));
    bool listed = false;
    for (const Issue &i : supervisor.issues())
        listed = listed || i.message == failed.first().first().toString();
    QVERIFY(listed);
}

void TestBundleWindow::closedWhileOpening_data()
{
    QTest::addColumn<bool>("extracted"); // the worker ended before the window closed
    QTest::newRow("closed at once") << false;
    QTest::newRow("extracted, not delivered") << true;
}

void TestBundleWindow::closedWhileOpening()
{
    QFETCH(bool, extracted);
    QVERIFY2(QFile::exists(m_file), "exportThenOpen() writes the bundle");
    // openBundle() extracts under QDir::tempPath(): a private one here.
    QTemporaryDir tmp;
    const QByteArray oldTmp = qgetenv("TMPDIR");
    qputenv("TMPDIR", tmp.path().toUtf8());
    auto restore = qScopeGuard([&] { qputenv("TMPDIR", oldTmp); });
    QCOMPARE(QDir::tempPath(), tmp.path());

    Supervisor supervisor{SupervisorOptions()};
    auto *window = new QWidget;
    auto *actions = new BundleActions(&supervisor, window);
    QSignalSpy opened(actions, &BundleActions::opened);
    actions->openBundleFile(m_file);
    if (extracted) // the result waits in the event queue
        QThreadPool::globalInstance()->waitForDone();
    delete window; // closes: the actions go with it
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCOMPARE(opened.size(), 0);
    QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList());
}

QTEST_MAIN(TestBundleWindow)
#include "tst_bundle_window.moc"
