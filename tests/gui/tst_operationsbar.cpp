// SPDX-License-Identifier: GPL-3.0-or-later
// The status bar's long operations (offscreen): hidden with none; the first
// one's title and percentage, busy while its total is unknown; "and N more"
// with a tooltip listing all; Cancel (a real mouse click) calls the first
// row's cancel and no other.
#include "models/operationsmodel.h"
#include "ui/operationsbar.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTest>

using namespace vigil;

class TestOperationsBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }
    void hiddenWithoutOperations();
    void showsTheFirstOperation();
    void cancelClicksTheFirstRow();
};

// A move "Moving NAME field -> cluster".
static Operation op(const char *name, std::function<void()> cancel = {})
{
    Operation o;
    o.title = QStringLiteral("Moving %1 field -> cluster").arg(QLatin1String(name));
    o.cancel = std::move(cancel);
    return o;
}

void TestOperationsBar::hiddenWithoutOperations()
{
    OperationsModel model;
    QWidget window;
    auto *bar = new OperationsBar(&model, &window);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!bar->isVisible());
    const quint64 id = model.add(op("detections.json"));
    QVERIFY(bar->isVisible());
    model.remove(id);
    QVERIFY(!bar->isVisible());
}

void TestOperationsBar::showsTheFirstOperation()
{
    OperationsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    OperationsBar bar(&model);
    const quint64 first = model.add(op("detections.json", [] {}));
    QCOMPARE(bar.label()->text(), QStringLiteral("Moving detections.json field -> cluster"));
    // Total unknown: busy.
    QCOMPARE(bar.progressBar()->maximum(), 0);
    model.setProgress(first, 94371840, 209715200);
    QCOMPARE(bar.progressBar()->maximum(), 100);
    QCOMPARE(bar.progressBar()->value(), 45);
    QCOMPARE(bar.progressBar()->text(), QStringLiteral("45 %"));
    QVERIFY(bar.cancelButton()->isEnabled());

    const quint64 second = model.add(op("model"));
    QCOMPARE(bar.label()->text(),
             QStringLiteral("Moving detections.json field -> cluster (and 1 more)"));
    QCOMPARE(bar.toolTip(), QStringLiteral("Moving detections.json field -> cluster (45 %)\n"
                                           "Moving model field -> cluster (0 bytes)"));
    model.remove(first);
    QCOMPARE(bar.label()->text(), QStringLiteral("Moving model field -> cluster"));
    QCOMPARE(bar.progressBar()->maximum(), 0);
    QVERIFY(!bar.cancelButton()->isEnabled()); // this one cannot be cancelled
    model.remove(second);
}

void TestOperationsBar::cancelClicksTheFirstRow()
{
    OperationsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QStringList cancelled;
    quint64 first = 0;
    first = model.add(op("a", [&] {
        cancelled << QStringLiteral("a");
        model.remove(first); // the move ends
    }));
    model.add(op("b", [&] { cancelled << QStringLiteral("b"); }));
    QWidget window;
    auto *bar = new OperationsBar(&model, &window);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTest::mouseClick(bar->cancelButton(), Qt::LeftButton);
    QCOMPARE(cancelled, QStringList{QStringLiteral("a")});
    QCOMPARE(bar->label()->text(), QStringLiteral("Moving b field -> cluster"));
    QTest::mouseClick(bar->cancelButton(), Qt::LeftButton);
    QCOMPARE(cancelled, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    // "b" has not ended yet: it says so, and cannot be cancelled twice.
    QCOMPARE(bar->label()->text(), QStringLiteral("Cancelling: Moving b field -> cluster"));
    QVERIFY(!bar->cancelButton()->isEnabled());
    QTest::mouseClick(bar->cancelButton(), Qt::LeftButton);
    QCOMPARE(cancelled.size(), 2);
}

QTEST_MAIN(TestOperationsBar)
#include "tst_operationsbar.moc"
