// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/checkpointsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;

namespace {

const QDateTime kNow = QDateTime(QDate(2025, 3, 1), QTime(12, 0), Qt::UTC);

CheckpointInfo cp(const QString &id, int minutesAgo,
                  CheckpointInfo::Status status = CheckpointInfo::Status::Pending)
{
    CheckpointInfo c;
    c.runId = QStringLiteral("run1");
    c.id = id;
    c.task = QStringLiteral("train");
    c.title = QStringLiteral("Review ") + id;
    c.createdAt = kNow.addSecs(-60 * minutesAgo);
    c.status = status;
    return c;
}

QStringList ids(const CheckpointsModel &m)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << m.checkpointAt(r).id;
    return out;
}

} // namespace

class TestCheckpointsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pendingFirstNewestFirst();
    void diffSignals();
    void statusChangeMovesRow();
    void displayTexts();
    void tickTouchesOnlyTimeColumns();
    void pendingProxy();
};

void TestCheckpointsModel::pendingFirstNewestFirst()
{
    CheckpointsModel model;
    model.setTickInterval(0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCheckpoints(QStringLiteral("mn5"),
                         {cp(QStringLiteral("old"), 50),
                          cp(QStringLiteral("done"), 1, CheckpointInfo::Status::Applied),
                          cp(QStringLiteral("new"), 5)});
    model.setCheckpoints(QStringLiteral("edge"), {cp(QStringLiteral("mid"), 20)});
    QCOMPARE(ids(model), (QStringList{QStringLiteral("new"), QStringLiteral("mid"),
                                      QStringLiteral("old"), QStringLiteral("done")}));
    QCOMPARE(model.pendingCount(), 3);
    QCOMPARE(model.firstPendingKey(QStringLiteral("run1"), QStringLiteral("train")),
             QStringLiteral("mn5/run1/new"));
    QCOMPARE(model.firstPendingKey(QStringLiteral("run1"), QStringLiteral("other")), QString());
    QCOMPARE(model.checkpointAt(1).site, QStringLiteral("edge"));
    QCOMPARE(model.rowOf(QStringLiteral("edge/run1/mid")), 1);
    QVERIFY(model.checkpoint(QStringLiteral("mn5/run1/new")).has_value());
    QVERIFY(!model.checkpoint(QStringLiteral("mn5/run1/none")).has_value());
}

void TestCheckpointsModel::diffSignals()
{
    CheckpointsModel model;
    model.setTickInterval(0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCheckpoints(QStringLiteral("mn5"),
                         {cp(QStringLiteral("a"), 30), cp(QStringLiteral("b"), 20)});
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);

    // Unchanged: silence.
    model.setCheckpoints(QStringLiteral("mn5"),
                         {cp(QStringLiteral("a"), 30), cp(QStringLiteral("b"), 20)});
    QCOMPARE(changed.count() + inserted.count() + removed.count() + moved.count(), 0);

    // A changed title: dataChanged on its row, no move.
    CheckpointInfo a = cp(QStringLiteral("a"), 30);
    a.title = QStringLiteral("Renamed");
    model.setCheckpoints(QStringLiteral("mn5"), {a, cp(QStringLiteral("b"), 20)});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(moved.count(), 0);

    // A new one, newest: inserted at the top.
    model.setCheckpoints(QStringLiteral("mn5"),
                         {a, cp(QStringLiteral("b"), 20), cp(QStringLiteral("c"), 1)});
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);

    // One gone.
    model.setCheckpoints(QStringLiteral("mn5"), {a, cp(QStringLiteral("c"), 1)});
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 1);
    QCOMPARE(ids(model), (QStringList{QStringLiteral("c"), QStringLiteral("a")}));
    QCOMPARE(model.data(model.index(1, CheckpointsModel::Title)).toString(),
             QStringLiteral("Renamed"));
    QCOMPARE(reset.count(), 0);
}

void TestCheckpointsModel::statusChangeMovesRow()
{
    CheckpointsModel model;
    model.setTickInterval(0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCheckpoints(QStringLiteral("mn5"),
                         {cp(QStringLiteral("a"), 1), cp(QStringLiteral("b"), 2),
                          cp(QStringLiteral("z"), 3, CheckpointInfo::Status::Applied)});
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy pending(&model, &CheckpointsModel::pendingCountChanged);

    CheckpointInfo a = cp(QStringLiteral("a"), 1, CheckpointInfo::Status::Decided);
    a.decidedBy = QStringLiteral("ana");
    a.decidedOption = QStringLiteral("continue");
    model.setCheckpoints(QStringLiteral("mn5"),
                         {a, cp(QStringLiteral("b"), 2),
                          cp(QStringLiteral("z"), 3, CheckpointInfo::Status::Applied)});
    QCOMPARE(moved.count(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(ids(model),
             (QStringList{QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("z")}));
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(pending.count(), 1);
    QCOMPARE(pending.at(0).at(0).toInt(), 1);
    QCOMPARE(model.index(1, 0).data(CheckpointsModel::DecidedByRole).toString(),
             QStringLiteral("ana"));
    QVERIFY(!model.index(1, 0).data(CheckpointsModel::IsPendingRole).toBool());
    QVERIFY(model.index(1, CheckpointsModel::Status)
                .data()
                .toString()
                .contains(QLatin1String("continue")));
}

void TestCheckpointsModel::displayTexts()
{
    CheckpointsModel model;
    model.setTickInterval(0);
    model.setClock([] { return kNow; });
    CheckpointInfo c = cp(QStringLiteral("a"), 5);
    c.deadline = kNow.addSecs(12 * 60);
    model.setCheckpoints(QStringLiteral("mn5"), {c});
    QCOMPARE(model.index(0, CheckpointsModel::Created).data().toString(),
             QStringLiteral("5 min ago"));
    QCOMPARE(model.index(0, CheckpointsModel::Deadline).data().toString(),
             QStringLiteral("in 12 min"));
    QCOMPARE(model.index(0, CheckpointsModel::Status).data().toString(), QStringLiteral("Pending"));
    QCOMPARE(model.index(0, CheckpointsModel::Title).data().toString(), QStringLiteral("Review a"));
}

void TestCheckpointsModel::tickTouchesOnlyTimeColumns()
{
    CheckpointsModel model;
    model.setTickInterval(0);
    model.setCheckpoints(QStringLiteral("mn5"), {cp(QStringLiteral("a"), 5)});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setTickInterval(10);
    QVERIFY(changed.wait(1000));
    model.setTickInterval(0);
    const auto tl = changed.at(0).at(0).value<QModelIndex>();
    const auto br = changed.at(0).at(1).value<QModelIndex>();
    QCOMPARE(tl.column(), int(CheckpointsModel::Created));
    QCOMPARE(br.column(), int(CheckpointsModel::Deadline));
}

void TestCheckpointsModel::pendingProxy()
{
    CheckpointsModel model;
    model.setTickInterval(0);
    PendingCheckpointsProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCheckpoints(QStringLiteral("mn5"),
                         {cp(QStringLiteral("a"), 1), cp(QStringLiteral("b"), 2),
                          cp(QStringLiteral("z"), 3, CheckpointInfo::Status::Applied)});
    QCOMPARE(proxy.rowCount(), 2);
    QCOMPARE(proxy.index(0, 0).data(CheckpointsModel::KeyRole).toString(),
             QStringLiteral("mn5/run1/a"));
    // Deciding "a" takes it out of the inbox.
    model.setCheckpoints(QStringLiteral("mn5"),
                         {cp(QStringLiteral("a"), 1, CheckpointInfo::Status::Decided),
                          cp(QStringLiteral("b"), 2),
                          cp(QStringLiteral("z"), 3, CheckpointInfo::Status::Applied)});
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(CheckpointsModel::KeyRole).toString(),
             QStringLiteral("mn5/run1/b"));
    proxy.setShowAll(true);
    QCOMPARE(proxy.rowCount(), 3);
}

QTEST_GUILESS_MAIN(TestCheckpointsModel)
#include "tst_checkpointsmodel.moc"
