// SPDX-License-Identifier: GPL-3.0-or-later
// The long operations under way: rows added, updated and removed one by one
// (each change a single insert, dataChanged or remove of that row, checked by
// a QAbstractItemModelTester), the percentage, and Cancel reaching the row's
// own function only.
#include "models/operationsmodel.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;

class TestOperationsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }
    void addUpdateRemove();
    void percent_data();
    void percent();
    void cancelCallsTheRowsFunction();
    void cancelMayRemoveTheRow();
};

namespace {

Operation moving(const QString &path, std::function<void()> cancel = {})
{
    Operation op;
    op.site = QStringLiteral("cluster");
    op.run = QStringLiteral("r1");
    op.title = QStringLiteral("Moving %1 field -> cluster").arg(path);
    op.cancel = std::move(cancel);
    return op;
}

} // namespace

void TestOperationsModel::addUpdateRemove()
{
    OperationsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    const quint64 a = model.add(moving(QStringLiteral("detections.json")));
    const quint64 b = model.add(moving(QStringLiteral("model")));
    QVERIFY(a != b);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 1);
    const QModelIndex first = model.index(0);
    QCOMPARE(first.data(OperationsModel::IdRole).toULongLong(), a);
    QCOMPARE(first.data(OperationsModel::TitleRole).toString(),
             QStringLiteral("Moving detections.json field -> cluster"));
    QCOMPARE(first.data(OperationsModel::BytesTotalRole).toLongLong(), qint64(-1));
    QCOMPARE(first.data(OperationsModel::PercentRole).toInt(), -1);
    QVERIFY(first.data(OperationsModel::StartedRole).toDateTime().isValid());
    QCOMPARE(first.data(OperationsModel::CancellableRole).toBool(), false);

    model.setProgress(b, 450, 1000);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 1);
    QCOMPARE(model.index(1).data(OperationsModel::PercentRole).toInt(), 45);
    QCOMPARE(model.index(1).data().toString(),
             QStringLiteral("Moving model field -> cluster (45 %)"));
    model.setProgress(b, 450, 1000); // the same: no signal
    QCOMPARE(changed.size(), 1);
    model.setProgress(12345, 1, 2); // no such row
    QCOMPARE(changed.size(), 1);

    model.remove(a);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowOf(b), 0);
    QCOMPARE(model.rowOf(a), -1);
    model.remove(a); // gone already
    QCOMPARE(removed.size(), 1);
    model.remove(b);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(reset.size(), 0);
}

void TestOperationsModel::percent_data()
{
    QTest::addColumn<qint64>("done");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<int>("percent");
    QTest::addColumn<QString>("text");
    QTest::newRow("unknown total")
        << qint64(2048) << qint64(-1) << -1 << QStringLiteral("2.00 KiB");
    QTest::newRow("none yet") << qint64(0) << qint64(209715200) << 0 << QStringLiteral("0 %");
    QTest::newRow("45 %") << qint64(94371840) << qint64(209715200) << 45 << QStringLiteral("45 %");
    QTest::newRow("empty file") << qint64(0) << qint64(0) << 100 << QStringLiteral("100 %");
    QTest::newRow("more than said") << qint64(300) << qint64(200) << 100 << QStringLiteral("100 %");
}

void TestOperationsModel::percent()
{
    QFETCH(qint64, done);
    QFETCH(qint64, total);
    QFETCH(int, percent);
    QFETCH(QString, text);
    Operation op;
    op.bytesDone = done;
    op.bytesTotal = total;
    QCOMPARE(op.percent(), percent);
    QCOMPARE(OperationsModel::progressText(op), text);
}

void TestOperationsModel::cancelCallsTheRowsFunction()
{
    OperationsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QStringList cancelled;
    const quint64 a =
        model.add(moving(QStringLiteral("a"), [&] { cancelled << QStringLiteral("a"); }));
    const quint64 b =
        model.add(moving(QStringLiteral("b"), [&] { cancelled << QStringLiteral("b"); }));
    const quint64 fixed = model.add(moving(QStringLiteral("c")));
    QVERIFY(model.cancel(b));
    QCOMPARE(cancelled, QStringList{QStringLiteral("b")});
    QVERIFY(!model.cancel(fixed));
    QVERIFY(!model.cancel(999));
    QCOMPARE(cancelled, QStringList{QStringLiteral("b")});
    QCOMPARE(model.rowCount(), 3); // the owner removes the row when the operation ends
    QVERIFY(model.index(0).data(OperationsModel::CancellableRole).toBool());
    QVERIFY(model.cancel(a));
    QCOMPARE(cancelled, (QStringList{QStringLiteral("b"), QStringLiteral("a")}));
}

void TestOperationsModel::cancelMayRemoveTheRow()
{
    OperationsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    quint64 id = 0;
    int calls = 0;
    id = model.add(moving(QStringLiteral("a"), [&] {
        ++calls;
        model.remove(id); // an operation that ends at once
    }));
    QVERIFY(model.cancel(id));
    QCOMPARE(calls, 1);
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestOperationsModel)
#include "tst_operationsmodel.moc"
