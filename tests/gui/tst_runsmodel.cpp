// SPDX-License-Identifier: GPL-3.0-or-later
// The Runs model: rows by run id across sites, the engine column from the
// desktop's engine host, and incremental updates (never a reset).
#include "models/runsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;
using engine::HostedRun;

namespace {

RunInfo run(const QString &site, const QString &id, QStringList taskStates = {},
            int pendingCheckpoints = 0)
{
    RunInfo r;
    r.site = site;
    r.runId = id;
    r.workflowName = QStringLiteral("train-review");
    r.createdAt = QDateTime(QDate(2026, 11, 27), QTime(8, 0), Qt::UTC);
    for (int i = 0; i < taskStates.size(); ++i) {
        TaskRunInfo t;
        t.name = QStringLiteral("t%1").arg(i);
        t.state = taskStates.at(i);
        t.exitCode = t.state == QLatin1String("completed") ? 0 : -1;
        r.tasks << t;
    }
    for (int i = 0; i < pendingCheckpoints; ++i) {
        CheckpointInfo c;
        c.id = QStringLiteral("c%1").arg(i);
        r.checkpoints << c;
    }
    return r;
}

HostedRun hosted(const QString &id, HostedRun::State state, const QString &holder = QString())
{
    HostedRun h;
    h.runId = id;
    h.site = QStringLiteral("cluster");
    h.state = state;
    h.holder = holder;
    h.since = QDateTime::currentDateTimeUtc();
    return h;
}

QString text(const RunsModel &m, const QString &id, RunsModel::Column column)
{
    const int row = m.rowOf(id);
    return row < 0 ? QStringLiteral("(no row)") : m.index(row, column).data().toString();
}

} // namespace

class TestRunsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oneRowPerRunAcrossSites()
    {
        RunsModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&m, &QAbstractItemModel::modelReset);
        m.setRuns(QStringLiteral("cluster"),
                  {run(QStringLiteral("cluster"), QStringLiteral("r1"),
                       {QStringLiteral("completed"), QStringLiteral("running")}, 1),
                   run(QStringLiteral("cluster"), QStringLiteral("r2"))});
        m.setRuns(QStringLiteral("edge"),
                  {run(QStringLiteral("edge"), QStringLiteral("r1"), {QStringLiteral("failed")})});
        QCOMPARE(m.rowCount(), 2);
        QCOMPARE(text(m, QStringLiteral("r1"), RunsModel::Sites), QStringLiteral("cluster, edge"));
        QCOMPARE(text(m, QStringLiteral("r1"), RunsModel::Tasks),
                 QStringLiteral("1 running · 1 done · 1 failed"));
        QCOMPARE(text(m, QStringLiteral("r1"), RunsModel::Checkpoints),
                 QStringLiteral("1 pending"));
        QCOMPARE(text(m, QStringLiteral("r2"), RunsModel::Engine), QStringLiteral("not followed"));

        // The same runs again change nothing; a changed one changes its row only.
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.setRuns(QStringLiteral("edge"),
                  {run(QStringLiteral("edge"), QStringLiteral("r1"), {QStringLiteral("failed")})});
        QCOMPARE(changed.count(), 0);
        m.setRuns(QStringLiteral("cluster"),
                  {run(QStringLiteral("cluster"), QStringLiteral("r1"),
                       {QStringLiteral("completed"), QStringLiteral("completed")}),
                   run(QStringLiteral("cluster"), QStringLiteral("r2"))});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), m.rowOf(QStringLiteral("r1")));
        QCOMPARE(text(m, QStringLiteral("r1"), RunsModel::Tasks),
                 QStringLiteral("2 done · 1 failed"));

        // A run no site lists any more goes; one still on another site stays.
        m.setRuns(QStringLiteral("cluster"), {});
        QCOMPARE(m.rowCount(), 1);
        QCOMPARE(text(m, QStringLiteral("r1"), RunsModel::Sites), QStringLiteral("edge"));
        QCOMPARE(resets.count(), 0);
    }

    void engineColumnFollowsTheHost()
    {
        RunsModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setRuns(QStringLiteral("cluster"),
                  {run(QStringLiteral("cluster"), QStringLiteral("r1"))});
        const QModelIndex r1 = m.index(0, 0);
        QCOMPARE(r1.data(RunsModel::FollowedRole).toBool(), false);
        QCOMPARE(r1.data(RunsModel::EngineStateRole).toInt(), -1);

        m.setHosted(hosted(QStringLiteral("r1"), HostedRun::State::Acting));
        QCOMPARE(m.rowCount(), 1);
        QCOMPARE(text(m, QStringLiteral("r1"), RunsModel::Engine), QStringLiteral("running here"));
        QCOMPARE(r1.data(RunsModel::FollowedRole).toBool(), true);
        QCOMPARE(r1.data(RunsModel::SiteRole).toString(), QStringLiteral("cluster"));
        m.setHosted(hosted(QStringLiteral("r1"), HostedRun::State::Observing,
                           QStringLiteral("bo@laptop:42")));
        QCOMPARE(text(m, QStringLiteral("r1"), RunsModel::Engine),
                 QStringLiteral("observing · bo@laptop:42 acts"));
        HostedRun ended = hosted(QStringLiteral("r1"), HostedRun::State::Ended);
        ended.detail = QStringLiteral("failed: task train failed (exit 3)");
        m.setHosted(ended);
        QCOMPARE(text(m, QStringLiteral("r1"), RunsModel::Engine),
                 QStringLiteral("ended · failed"));
        QCOMPARE(r1.data(RunsModel::FollowedRole).toBool(), false);
        QVERIFY(m.index(0, RunsModel::Engine)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("exit 3")));

        // A followed run that no site lists (its site unreachable) has a row
        // until it is no longer followed.
        // Its countdown to the next try follows the clock, redrawn each tick.
        QDateTime now = QDateTime::currentDateTimeUtc();
        m.setClock([&now] { return now; });
        HostedRun failed = hosted(QStringLiteral("r9"), HostedRun::State::Failed);
        failed.retryAt = now.addSecs(5 * 60);
        m.setHosted(failed);
        QCOMPARE(m.rowCount(), 2);
        const QString before = text(m, QStringLiteral("r9"), RunsModel::Engine);
        QVERIFY2(before.startsWith(QStringLiteral("cannot follow")), qPrintable(before));
        QSignalSpy changedSpy(&m, &QAbstractItemModel::dataChanged);
        now = now.addSecs(4 * 60);
        m.setTickInterval(10);
        QVERIFY(changedSpy.wait(2000));
        m.setTickInterval(0);
        const int r9 = m.rowOf(QStringLiteral("r9"));
        QCOMPARE(changedSpy.first().at(0).toModelIndex(), m.index(r9, RunsModel::Engine));
        const QString after = text(m, QStringLiteral("r9"), RunsModel::Engine);
        QVERIFY2(after != before, qPrintable(after));
        m.removeHosted(QStringLiteral("r9"));
        QCOMPARE(m.rowCount(), 1);
        m.removeHosted(QStringLiteral("r1"));
        QCOMPARE(m.rowCount(), 1); // still on the cluster
        QCOMPARE(text(m, QStringLiteral("r1"), RunsModel::Engine), QStringLiteral("not followed"));
    }
};

QTEST_MAIN(TestRunsModel)
#include "tst_runsmodel.moc"
