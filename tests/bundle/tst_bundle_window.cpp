// SPDX-License-Identifier: GPL-3.0-or-later
// The window's File > Export Run… and Open Review Bundle… (without their file
// dialogs): a run of the local site exported, then opened: both listed in the
// operations model (the status bar's rows), the title says the bundle is
// read-only, the Runs dock selects the run, its site is a bundle. A bundle
// that is refused lands in the Issues list with its reason.

#include "../common/testfiles.h"
#include "../common/vigiljob.h"
#include "bundleactions.h"
#include "mainwindow.h"
#include "models/operationsmodel.h"
#include "models/runsmodel.h"
#include "runspanel.h"
#include "supervisor.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

class TestBundleWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exportThenOpen();
};

void TestBundleWindow::exportThenOpen()
{
    QTemporaryDir home;
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

    QSignalSpy opened(window.bundles(), &BundleActions::opened);
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
    QTRY_COMPARE(window.runsPanel()->view()->currentIndex().data(RunsModel::RunIdRole).toString(),
                 QStringLiteral("r1"));

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

QTEST_MAIN(TestBundleWindow)
#include "tst_bundle_window.moc"
