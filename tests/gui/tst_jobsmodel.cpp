// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/jobsfilterproxy.h"
#include "models/jobsmodel.h"
#include "models/statefmt.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;

namespace {

JobInfo job(const QString &id, const QString &state, qint64 elapsed = -1,
            const QString &run = QString(), const QString &task = QString())
{
    JobInfo j;
    j.jobId = id;
    j.name = QStringLiteral("job-") + id;
    j.state = state;
    j.elapsedSeconds = elapsed;
    j.runId = run;
    j.task = task;
    return j;
}

QStringList column(const QAbstractItemModel &m, int col)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << m.index(r, col).data().toString();
    return out;
}

} // namespace

class TestJobsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formatDuration_data();
    void formatDuration();
    void diffEmitsIncrementalSignals();
    void sitesAreIndependent();
    void duplicateIdsKeepLastReport();
    void removeSiteRemovesContiguousBlocks();
    void rolesAndHeaders();
    void proxyFiltersAndSorts();
    void timePassingIsNoChange();
};

void TestJobsModel::formatDuration_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("unknown") << qint64(-1) << QStringLiteral("\u2014");
    QTest::newRow("zero") << qint64(0) << QStringLiteral("00:00");
    QTest::newRow("minutes") << qint64(12 * 60 + 34) << QStringLiteral("12:34");
    QTest::newRow("hours") << qint64(2 * 3600 + 3 * 60 + 4) << QStringLiteral("2:03:04");
    QTest::newRow("days") << qint64(86400 + 2 * 3600 + 3 * 60 + 4) << QStringLiteral("1-02:03:04");
}

void TestJobsModel::formatDuration()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(vigil::formatDuration(seconds), text);
}

void TestJobsModel::diffEmitsIncrementalSignals()
{
    JobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    model.setJobs(QStringLiteral("mn5"), {job(QStringLiteral("101"), QStringLiteral("RUNNING"), 60),
                                          job(QStringLiteral("102"), QStringLiteral("PENDING")),
                                          job(QStringLiteral("103"), QStringLiteral("PENDING"))});
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 2);
    QCOMPARE(model.rowCount(), 3);
    inserted.clear();

    // The same jobs again: nothing at all.
    model.setJobs(QStringLiteral("mn5"), {job(QStringLiteral("101"), QStringLiteral("RUNNING"), 60),
                                          job(QStringLiteral("102"), QStringLiteral("PENDING")),
                                          job(QStringLiteral("103"), QStringLiteral("PENDING"))});
    QCOMPARE(changed.count(), 0);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);

    // One job changed state: one dataChanged for that row and that column.
    model.setJobs(QStringLiteral("mn5"), {job(QStringLiteral("101"), QStringLiteral("RUNNING"), 60),
                                          job(QStringLiteral("102"), QStringLiteral("RUNNING")),
                                          job(QStringLiteral("103"), QStringLiteral("PENDING"))});
    QCOMPARE(changed.count(), 1);
    const auto tl = changed.at(0).at(0).value<QModelIndex>();
    const auto br = changed.at(0).at(1).value<QModelIndex>();
    QCOMPARE(tl.row(), 1);
    QCOMPARE(br.row(), 1);
    QCOMPARE(tl.column(), int(JobsModel::State));
    QCOMPARE(br.column(), int(JobsModel::State));
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    changed.clear();

    // State and elapsed changed: the range spans exactly those columns.
    model.setJobs(QStringLiteral("mn5"),
                  {job(QStringLiteral("101"), QStringLiteral("COMPLETED"), 75),
                   job(QStringLiteral("102"), QStringLiteral("RUNNING")),
                   job(QStringLiteral("103"), QStringLiteral("PENDING"))});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().column(), int(JobsModel::State));
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().column(), int(JobsModel::Elapsed));
    changed.clear();

    // One new job: one rowsInserted at the end.
    model.setJobs(QStringLiteral("mn5"),
                  {job(QStringLiteral("101"), QStringLiteral("COMPLETED"), 75),
                   job(QStringLiteral("102"), QStringLiteral("RUNNING")),
                   job(QStringLiteral("103"), QStringLiteral("PENDING")),
                   job(QStringLiteral("104"), QStringLiteral("PENDING"))});
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 3);
    QCOMPARE(inserted.at(0).at(2).toInt(), 3);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(removed.count(), 0);
    inserted.clear();

    // One job gone: one rowsRemoved for its row.
    model.setJobs(QStringLiteral("mn5"),
                  {job(QStringLiteral("101"), QStringLiteral("COMPLETED"), 75),
                   job(QStringLiteral("103"), QStringLiteral("PENDING")),
                   job(QStringLiteral("104"), QStringLiteral("PENDING"))});
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 1);
    QCOMPARE(removed.at(0).at(2).toInt(), 1);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(changed.count(), 0);

    // All at once: gone, changed and new in one refresh.
    removed.clear();
    model.setJobs(QStringLiteral("mn5"),
                  {job(QStringLiteral("105"), QStringLiteral("PENDING")),
                   job(QStringLiteral("103"), QStringLiteral("RUNNING"), 5),
                   job(QStringLiteral("101"), QStringLiteral("COMPLETED"), 75)});
    QCOMPARE(removed.count(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(inserted.count(), 1);

    QCOMPARE(column(model, JobsModel::JobId),
             (QStringList{QStringLiteral("101"), QStringLiteral("103"), QStringLiteral("105")}));
    QCOMPARE(column(model, JobsModel::State),
             (QStringList{QStringLiteral("COMPLETED"), QStringLiteral("RUNNING"),
                          QStringLiteral("PENDING")}));
    QCOMPARE(
        column(model, JobsModel::Elapsed),
        (QStringList{QStringLiteral("01:15"), QStringLiteral("00:05"), QStringLiteral("\u2014")}));
    for (int r = 0; r < model.rowCount(); ++r)
        QCOMPARE(model.rowOf(QStringLiteral("mn5"), model.job(r).jobId), r);
    QCOMPARE(reset.count(), 0);
}

void TestJobsModel::sitesAreIndependent()
{
    JobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setJobs(QStringLiteral("a"), {job(QStringLiteral("1"), QStringLiteral("RUNNING"))});
    model.setJobs(QStringLiteral("b"), {job(QStringLiteral("1"), QStringLiteral("PENDING"))});
    QCOMPARE(model.rowCount(), 2);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setJobs(QStringLiteral("b"), {});
    QCOMPARE(removed.count(), 1);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.job(0).site, QStringLiteral("a"));
    QCOMPARE(model.siteNames(), QStringList{QStringLiteral("a")});
}

void TestJobsModel::duplicateIdsKeepLastReport()
{
    JobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setJobs(QStringLiteral("a"), {job(QStringLiteral("1"), QStringLiteral("PENDING")),
                                        job(QStringLiteral("1"), QStringLiteral("RUNNING"))});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.job(0).state, QStringLiteral("RUNNING"));
}

void TestJobsModel::removeSiteRemovesContiguousBlocks()
{
    JobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<JobInfo> jobs;
    for (int i = 0; i < 6; ++i)
        jobs << job(QString::number(i), QStringLiteral("RUNNING"));
    model.setJobs(QStringLiteral("a"), jobs);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    // Keep 0, 3 and 5: two blocks go (1-2 and 4).
    model.setJobs(QStringLiteral("a"), {jobs[0], jobs[3], jobs[5]});
    QCOMPARE(removed.count(), 2);
    QCOMPARE(column(model, JobsModel::JobId),
             (QStringList{QStringLiteral("0"), QStringLiteral("3"), QStringLiteral("5")}));
    model.removeSite(QStringLiteral("a"));
    QCOMPARE(model.rowCount(), 0);
}

void TestJobsModel::rolesAndHeaders()
{
    JobsModel model;
    JobInfo failed = job(QStringLiteral("7"), QStringLiteral("FAILED"), 3600,
                         QStringLiteral("20250101-run"), QStringLiteral("train"));
    failed.exitCode = 2;
    model.setJobs(QStringLiteral("a"), {failed});
    const QModelIndex state = model.index(0, JobsModel::State);
    QCOMPARE(state.data(JobsModel::StateRole).toString(), QStringLiteral("FAILED"));
    QCOMPARE(StateClass(state.data(JobsModel::StateClassRole).toInt()), StateClass::Failed);
    QVERIFY(state.data().toString().contains(QLatin1String("2")));
    QCOMPARE(model.index(0, JobsModel::Elapsed).data(JobsModel::SortRole).toLongLong(), 3600);
    QCOMPARE(model.index(0, JobsModel::Run).data().toString(), QStringLiteral("20250101-run"));
    QCOMPARE(model.headerData(JobsModel::TimeLeft, Qt::Horizontal).toString(),
             QStringLiteral("Time left"));
    QCOMPARE(model.columnCount(), int(JobsModel::ColumnCount));
}

void TestJobsModel::proxyFiltersAndSorts()
{
    JobsModel model;
    JobsFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);

    model.setJobs(QStringLiteral("a"),
                  {job(QStringLiteral("9"), QStringLiteral("RUNNING"), 600, QStringLiteral("r1")),
                   job(QStringLiteral("10"), QStringLiteral("COMPLETED"), 90, QStringLiteral("r1")),
                   job(QStringLiteral("11"), QStringLiteral("PENDING"), -1, QStringLiteral("r2"))});
    model.setJobs(QStringLiteral("b"),
                  {job(QStringLiteral("1"), QStringLiteral("CANCELLED by 5"), 5000)});
    QCOMPARE(proxy.rowCount(), 4);

    proxy.sort(JobsModel::Elapsed, Qt::AscendingOrder);
    QCOMPARE(column(proxy, JobsModel::JobId),
             (QStringList{QStringLiteral("11"), QStringLiteral("10"), QStringLiteral("9"),
                          QStringLiteral("1")}));
    proxy.sort(JobsModel::JobId, Qt::AscendingOrder); // numeric, not "1, 10, 11, 9"
    QCOMPARE(column(proxy, JobsModel::JobId),
             (QStringList{QStringLiteral("1"), QStringLiteral("9"), QStringLiteral("10"),
                          QStringLiteral("11")}));

    proxy.setStateFilter(JobsFilterProxy::StateFilter::Active);
    QCOMPARE(column(proxy, JobsModel::JobId),
             (QStringList{QStringLiteral("9"), QStringLiteral("11")}));
    proxy.setStateFilter(JobsFilterProxy::StateFilter::Finished);
    QCOMPARE(column(proxy, JobsModel::JobId),
             (QStringList{QStringLiteral("1"), QStringLiteral("10")}));
    proxy.setStateFilter(JobsFilterProxy::StateFilter::All);
    proxy.setSiteFilter(QStringLiteral("a"));
    QCOMPARE(proxy.rowCount(), 3);
    proxy.setRunFilter(QStringLiteral("r1"));
    QCOMPARE(column(proxy, JobsModel::JobId),
             (QStringList{QStringLiteral("9"), QStringLiteral("10")}));
    proxy.setRunFilter(QString());
    proxy.setSiteFilter(QString());
    proxy.setText(QStringLiteral("pend"));
    QCOMPARE(column(proxy, JobsModel::JobId), QStringList{QStringLiteral("11")});
    proxy.setText(QString());

    // A job that finishes leaves the "active" view through the live filter.
    proxy.setStateFilter(JobsFilterProxy::StateFilter::Active);
    model.setJobs(QStringLiteral("a"),
                  {job(QStringLiteral("9"), QStringLiteral("COMPLETED"), 600, QStringLiteral("r1")),
                   job(QStringLiteral("10"), QStringLiteral("COMPLETED"), 90, QStringLiteral("r1")),
                   job(QStringLiteral("11"), QStringLiteral("PENDING"), -1, QStringLiteral("r2"))});
    QCOMPARE(column(proxy, JobsModel::JobId), QStringList{QStringLiteral("11")});
}

// A refresh where a running job's elapsed time and time left moved only as
// the clock did sends no signal; the model shows them as the clock moves
// them on. A jump the clock does not explain, or another field, is a change.
void TestJobsModel::timePassingIsNoChange()
{
    JobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QDateTime now = QDateTime(QDate(2026, 11, 27), QTime(12, 0), Qt::UTC);
    model.setClock([&now] { return now; });
    const QString site = QStringLiteral("mn5");
    auto running = [](qint64 elapsed, qint64 left) {
        JobInfo j = job(QStringLiteral("101"), QStringLiteral("RUNNING"), elapsed);
        j.timeLeftSeconds = left;
        return j;
    };
    JobInfo unlimited = job(QStringLiteral("102"), QStringLiteral("RUNNING"), 10);
    const JobInfo pending = job(QStringLiteral("103"), QStringLiteral("PENDING"), 0);
    model.setJobs(site, {running(60, 3600), unlimited, pending});
    QVERIFY(model.hasTickingRows());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const int row = model.rowOf(site, QStringLiteral("101"));
    const QModelIndex elapsed = model.index(row, JobsModel::Elapsed);
    const QModelIndex left = model.index(row, JobsModel::TimeLeft);

    // 20 s later, between two refreshes: shown as the clock moves it.
    now = now.addSecs(20);
    QCOMPARE(elapsed.data().toString(), vigil::formatDuration(80));
    QCOMPARE(left.data().toString(), vigil::formatDuration(3580));
    QCOMPARE(elapsed.data(JobsModel::SortRole).toLongLong(), 80);
    QCOMPARE(model.index(model.rowOf(site, QStringLiteral("102")), JobsModel::TimeLeft)
                 .data(JobsModel::SortRole)
                 .toLongLong(),
             -1); // no limit stays no limit

    // The refresh agrees with the clock (within squeue's rounding): nothing changed.
    unlimited.elapsedSeconds = 31;
    model.setJobs(site, {running(81, 3579), unlimited, pending});
    QCOMPARE(changed.size(), 0);
    QCOMPARE(elapsed.data().toString(), vigil::formatDuration(80)); // from the first report

    // A jump the clock does not explain (the job was requeued): a change.
    now = now.addSecs(20);
    model.setJobs(site, {running(5, 3595), unlimited, pending});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().column(), int(JobsModel::Elapsed));
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().column(), int(JobsModel::TimeLeft));
    QCOMPARE(elapsed.data().toString(), vigil::formatDuration(5));

    // Another field with the clock's times: a change of that column only.
    changed.clear();
    now = now.addSecs(10);
    JobInfo prolog = running(15, 3585);
    prolog.reason = QStringLiteral("Prolog");
    model.setJobs(site, {prolog, unlimited, pending});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().column(), int(JobsModel::Reason));
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().column(), int(JobsModel::TimeLeft));

    // A job that ended keeps the times it ended with, whatever the clock says.
    JobInfo done = prolog;
    done.state = QStringLiteral("COMPLETED");
    model.setJobs(site, {done, unlimited, pending});
    now = now.addSecs(600);
    QCOMPARE(elapsed.data().toString(), vigil::formatDuration(15));
    QVERIFY(model.hasTickingRows()); // 102 still runs
    model.setJobs(site, {done, pending});
    QVERIFY(!model.hasTickingRows());
}

QTEST_GUILESS_MAIN(TestJobsModel)
#include "tst_jobsmodel.moc"
