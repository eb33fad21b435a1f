// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/checkpointsmodel.h"
#include "models/issuesmodel.h"
#include "models/jobsmodel.h"
#include "models/sitesmodel.h"
#include "models/supervisorfeed.h"
#include "models/workflowstatus.h"
#include "supervisor.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;

// The feed turns the Supervisor's signals into incremental model updates.
class TestSupervisorFeed : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void signalsReachTheModels();
};

void TestSupervisorFeed::signalsReachTheModels()
{
    SupervisorOptions options;
    options.hostKeyPolicy = HostKeyPolicy::Strict;
    Supervisor supervisor(options);
    SupervisorFeed feed(&supervisor);
    QAbstractItemModelTester t1(feed.jobs(),
                                QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(feed.checkpoints(),
                                QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t3(feed.issues(),
                                QAbstractItemModelTester::FailureReportingMode::QtTest);

    Workflow wf;
    wf.name = QStringLiteral("wf");
    TaskSpec train;
    train.name = QStringLiteral("train");
    train.site = QStringLiteral("mn5");
    wf.tasks << train;
    feed.workflowStatus()->setWorkflow(wf);

    JobInfo j;
    j.jobId = QStringLiteral("1");
    j.state = QStringLiteral("RUNNING");
    j.runId = QStringLiteral("r1");
    j.task = QStringLiteral("train");
    Q_EMIT supervisor.jobsChanged(QStringLiteral("mn5"), {j});
    QCOMPARE(feed.jobs()->rowCount(), 1);
    QCOMPARE(feed.jobs()->job(0).site, QStringLiteral("mn5"));

    RunInfo run;
    run.site = QStringLiteral("mn5");
    run.runId = QStringLiteral("r1");
    run.workflowName = QStringLiteral("wf");
    run.createdAt = QDateTime::currentDateTimeUtc();
    CheckpointInfo c;
    c.site = run.site;
    c.runId = run.runId;
    c.id = QStringLiteral("c1");
    c.task = QStringLiteral("train");
    run.checkpoints << c;
    Q_EMIT supervisor.runsChanged(QStringLiteral("mn5"), {run});
    QCOMPARE(feed.checkpoints()->rowCount(), 1);
    QCOMPARE(feed.checkpoints()->pendingCount(), 1);
    QCOMPARE(feed.workflowStatus()->currentRun(), QStringLiteral("r1"));
    QCOMPARE(feed.workflowStatus()->status(QStringLiteral("train")).stateClass,
             StateClass::Running);
    QCOMPARE(feed.workflowStatus()->status(QStringLiteral("train")).pendingCheckpoints, 1);

    // A second refresh with the checkpoint decided: a change, not a reset.
    QSignalSpy reset(feed.checkpoints(), &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy changed(feed.checkpoints(), &QAbstractItemModel::dataChanged);
    run.checkpoints[0].status = CheckpointInfo::Status::Decided;
    Q_EMIT supervisor.runsChanged(QStringLiteral("mn5"), {run});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(feed.checkpoints()->pendingCount(), 0);

    Issue issue;
    issue.subject = QStringLiteral("refresh");
    issue.message = QStringLiteral("unreachable");
    Q_EMIT supervisor.issueRaised(issue);
    QCOMPARE(feed.issues()->rowCount(), 1);
}

QTEST_GUILESS_MAIN(TestSupervisorFeed)
#include "tst_supervisorfeed.moc"
