// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/jobsmodel.h"
#include "models/statefmt.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <algorithm>

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
    void filtersAndSorts();
    void sortedUpdatesTakeTheirPlaces();
    void spreadDeparturesAreOneLayoutChange();
    void matchesAFreshSortAfterRandomUpdates();
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

    // Counted once as running (job 1 has no elapsed time: it does not tick):
    // nothing ticks once it has gone.
    model.setJobs(QStringLiteral("b"), {job(QStringLiteral("2"), QStringLiteral("RUNNING"), 5),
                                        job(QStringLiteral("2"), QStringLiteral("RUNNING"), 6)});
    QVERIFY(model.hasTickingRows());
    model.removeSite(QStringLiteral("b"));
    QVERIFY(!model.hasTickingRows());
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

void TestJobsModel::filtersAndSorts()
{
    JobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    model.setJobs(QStringLiteral("a"),
                  {job(QStringLiteral("9"), QStringLiteral("RUNNING"), 600, QStringLiteral("r1")),
                   job(QStringLiteral("10"), QStringLiteral("COMPLETED"), 90, QStringLiteral("r1")),
                   job(QStringLiteral("11"), QStringLiteral("PENDING"), -1, QStringLiteral("r2"))});
    model.setJobs(QStringLiteral("b"),
                  {job(QStringLiteral("1"), QStringLiteral("CANCELLED by 5"), 5000)});
    QCOMPARE(model.rowCount(), 4);

    model.sort(JobsModel::Elapsed, Qt::AscendingOrder);
    QCOMPARE(column(model, JobsModel::JobId),
             (QStringList{QStringLiteral("11"), QStringLiteral("10"), QStringLiteral("9"),
                          QStringLiteral("1")}));
    model.sort(JobsModel::JobId, Qt::AscendingOrder); // numeric, not "1, 10, 11, 9"
    QCOMPARE(column(model, JobsModel::JobId),
             (QStringList{QStringLiteral("1"), QStringLiteral("9"), QStringLiteral("10"),
                          QStringLiteral("11")}));
    model.sort(JobsModel::JobId, Qt::DescendingOrder);
    QCOMPARE(column(model, JobsModel::JobId),
             (QStringList{QStringLiteral("11"), QStringLiteral("10"), QStringLiteral("9"),
                          QStringLiteral("1")}));
    model.sort(JobsModel::JobId, Qt::AscendingOrder);

    model.setStateFilter(JobsModel::StateFilter::Active);
    QCOMPARE(column(model, JobsModel::JobId),
             (QStringList{QStringLiteral("9"), QStringLiteral("11")}));
    model.setStateFilter(JobsModel::StateFilter::Finished);
    QCOMPARE(column(model, JobsModel::JobId),
             (QStringList{QStringLiteral("1"), QStringLiteral("10")}));
    model.setStateFilter(JobsModel::StateFilter::All);
    model.setSiteFilter(QStringLiteral("a"));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOf(QStringLiteral("b"), QStringLiteral("1")), -1); // filtered out
    model.setRunFilter(QStringLiteral("r1"));
    QCOMPARE(column(model, JobsModel::JobId),
             (QStringList{QStringLiteral("9"), QStringLiteral("10")}));
    model.setRunFilter(QString());
    model.setSiteFilter(QString());
    model.setFilterText(QStringLiteral("pend"));
    QCOMPARE(column(model, JobsModel::JobId), QStringList{QStringLiteral("11")});
    model.setFilterText(QString());
    QCOMPARE(model.jobs().size(), 4); // every job, filtered out or not

    // A job that finishes leaves the "active" view through the live filter;
    // one that starts again comes back at its place in the order.
    model.setStateFilter(JobsModel::StateFilter::Active);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setJobs(QStringLiteral("a"),
                  {job(QStringLiteral("9"), QStringLiteral("COMPLETED"), 600, QStringLiteral("r1")),
                   job(QStringLiteral("10"), QStringLiteral("COMPLETED"), 90, QStringLiteral("r1")),
                   job(QStringLiteral("11"), QStringLiteral("PENDING"), -1, QStringLiteral("r2"))});
    QCOMPARE(column(model, JobsModel::JobId), QStringList{QStringLiteral("11")});
    QCOMPARE(removed.size(), 1);
    model.setJobs(QStringLiteral("a"),
                  {job(QStringLiteral("9"), QStringLiteral("COMPLETED"), 600, QStringLiteral("r1")),
                   job(QStringLiteral("10"), QStringLiteral("RUNNING"), 95, QStringLiteral("r1")),
                   job(QStringLiteral("11"), QStringLiteral("PENDING"), -1, QStringLiteral("r2"))});
    QCOMPARE(column(model, JobsModel::JobId),
             (QStringList{QStringLiteral("10"), QStringLiteral("11")}));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
}

// Sorted by elapsed time: a new job is inserted at its place (a row signal),
// and a job whose key changed moves to its place (a layout change).
void TestJobsModel::sortedUpdatesTakeTheirPlaces()
{
    JobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.sort(JobsModel::Elapsed, Qt::DescendingOrder);
    const QString site = QStringLiteral("a");
    QList<JobInfo> jobs;
    for (int i = 0; i < 10; ++i)
        jobs << job(QString::number(100 + i), QStringLiteral("COMPLETED"), 10 * i);
    model.setJobs(site, jobs); // elapsed 90, 80, ... 0
    QCOMPARE(model.job(0).jobId, QStringLiteral("109"));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);

    jobs << job(QStringLiteral("200"), QStringLiteral("COMPLETED"), 45);
    model.setJobs(site, jobs);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 5); // after 50, before 40
    QCOMPARE(model.job(5).jobId, QStringLiteral("200"));

    // 100 moves from the bottom to the top: a layout change, and an index
    // of it (a selection) follows it.
    QCOMPARE(layout.size(), 0);
    const QPersistentModelIndex selected = model.index(10, JobsModel::Name);
    QCOMPARE(selected.data(JobsModel::JobIdRole).toString(), QStringLiteral("100"));
    jobs[0].elapsedSeconds = 1000;
    model.setJobs(site, jobs);
    QCOMPARE(layout.size(), 1);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.job(0).jobId, QStringLiteral("100"));
    QCOMPARE(selected.row(), 0);
    QCOMPARE(selected.column(), int(JobsModel::Name));
    for (int r = 0; r < model.rowCount(); ++r)
        QCOMPARE(model.rowOf(site, model.job(r).jobId), r);
}

// More than kMaxRowBlocks spread departures and arrivals: one layout change,
// no row signals, no reset; persistent indexes (a view's selection and
// current row) stay on their jobs and those of departed jobs become invalid;
// a table's column widths survive even when the first row goes.
void TestJobsModel::spreadDeparturesAreOneLayoutChange()
{
    JobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTableView view;
    view.setModel(&model);
    view.setSortingEnabled(true);
    view.sortByColumn(JobsModel::JobId, Qt::AscendingOrder);
    view.horizontalHeader()->resizeSection(JobsModel::Name, 321);
    const QString site = QStringLiteral("a");
    QList<JobInfo> jobs;
    for (int i = 0; i < 100; ++i)
        jobs << job(QString::number(i), QStringLiteral("RUNNING"), i);
    model.setJobs(site, jobs);
    view.resize(600, 400);
    view.show();
    QCoreApplication::processEvents();

    const QPersistentModelIndex stays = model.index(model.rowOf(site, QStringLiteral("55")), 2);
    const QPersistentModelIndex leaves = model.index(model.rowOf(site, QStringLiteral("30")), 1);
    view.setCurrentIndex(stays);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    QList<JobInfo> next;
    for (int i = 0; i < 100; ++i)
        if (i % 10 != 0) // 0, 10, ..., 90 leave: ten blocks
            next << jobs.at(i);
    next << job(QStringLiteral("5_1"), QStringLiteral("PENDING"))
         << job(QStringLiteral("77_1"), QStringLiteral("PENDING"));
    next.removeIf([](const JobInfo &j) { return j.jobId == QLatin1String("30"); });
    model.setJobs(site, next);

    QCOMPARE(layout.size(), 1);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(model.rowCount(), next.size());
    QVERIFY(stays.isValid());
    QCOMPARE(stays.data(JobsModel::JobIdRole).toString(), QStringLiteral("55"));
    QCOMPARE(stays.column(), 2);
    QCOMPARE(view.currentIndex().data(JobsModel::JobIdRole).toString(), QStringLiteral("55"));
    QVERIFY(!leaves.isValid());
    QCOMPARE(view.verticalHeader()->count(), next.size());
    QCOMPARE(view.horizontalHeader()->sectionSize(JobsModel::Name), 321);
    QCOMPARE(model.job(0).jobId, QStringLiteral("1"));
    QCOMPARE(model.job(model.rowOf(site, QStringLiteral("5")) + 1).jobId, QStringLiteral("5_1"));
    for (int r = 0; r < model.rowCount(); ++r)
        QCOMPARE(model.rowOf(site, model.job(r).jobId), r);
}

// Random refreshes, filters and sorts: after each, the rows are exactly the
// jobs that pass the filter, sorted from scratch (the clock stands still, so
// nothing drifts). QAbstractItemModelTester checks every signal.
void TestJobsModel::matchesAFreshSortAfterRandomUpdates()
{
    JobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QDateTime now = QDateTime(QDate(2026, 11, 27), QTime(12, 0), Qt::UTC);
    model.setClock([now] { return now; });
    QRandomGenerator rng(20261127);
    const QStringList states{QStringLiteral("RUNNING"), QStringLiteral("PENDING"),
                             QStringLiteral("COMPLETED"), QStringLiteral("FAILED")};
    QHash<QString, QList<JobInfo>> bySite;
    int nextId = 1;
    for (int round = 0; round < 300; ++round) {
        const QString site = QStringLiteral("s%1").arg(rng.bounded(2));
        QList<JobInfo> &jobs = bySite[site];
        // Some leave, some change, some arrive; sometimes many of each.
        const int churn = rng.bounded(10) == 0 ? 30 : 3;
        for (int n = rng.bounded(churn); n > 0 && !jobs.isEmpty(); --n)
            jobs.removeAt(rng.bounded(jobs.size()));
        for (int n = rng.bounded(churn); n > 0 && !jobs.isEmpty(); --n) {
            JobInfo &j = jobs[rng.bounded(jobs.size())];
            j.state = states.at(rng.bounded(states.size()));
            j.elapsedSeconds = rng.bounded(50);
            j.reason = rng.bounded(2) ? QStringLiteral("None") : QStringLiteral("Priority");
        }
        for (int n = rng.bounded(churn + 1); n > 0; --n)
            jobs.insert(rng.bounded(jobs.size() + 1),
                        job(QString::number(nextId++), states.at(rng.bounded(states.size())),
                            rng.bounded(50), QStringLiteral("r%1").arg(rng.bounded(3))));
        model.setJobs(site, jobs);
        if (rng.bounded(8) == 0)
            model.sort(int(rng.bounded(int(JobsModel::ColumnCount) + 1)) - 1,
                       rng.bounded(2) ? Qt::AscendingOrder : Qt::DescendingOrder);
        if (rng.bounded(8) == 0)
            model.setStateFilter(JobsModel::StateFilter(rng.bounded(3)));
        if (rng.bounded(8) == 0)
            model.setRunFilter(rng.bounded(2) ? QString() : QStringLiteral("r1"));

        // Kept as a count by setJobs: the same as looking at every job.
        const QList<JobInfo> all = model.jobs();
        QCOMPARE(model.hasTickingRows(),
                 std::any_of(all.cbegin(), all.cend(), [](const JobInfo &j) {
                     return j.state == QLatin1String("RUNNING") && j.elapsedSeconds >= 0;
                 }));

        // The reference: every job, filtered, sorted by the shown key, ties by arrival.
        QList<JobInfo> expected;
        for (const JobInfo &j : all) {
            const StateClass c = classifyJob(j);
            if ((model.stateFilter() == JobsModel::StateFilter::Active && !isActiveClass(c)) ||
                (model.stateFilter() == JobsModel::StateFilter::Finished && !isFinishedClass(c)) ||
                (!model.runFilter().isEmpty() && j.runId != model.runFilter()))
                continue;
            expected << j;
        }
        QHash<QString, int> arrival;
        for (int i = 0; i < all.size(); ++i)
            arrival.insert(all.at(i).site + u'/' + all.at(i).jobId, i);
        const int col = model.sortColumn();
        const bool desc = model.sortOrder() == Qt::DescendingOrder;
        auto key = [col](const JobInfo &j) -> QVariant {
            switch (col) {
            case JobsModel::JobId:
                return j.jobId.toLongLong();
            case JobsModel::State:
                return int(classifyJob(j));
            case JobsModel::Elapsed:
                return j.elapsedSeconds; // nothing runs on a clock that stands still
            case JobsModel::Reason:
                return j.reason == QLatin1String("None") ? QString() : j.reason;
            case JobsModel::Site:
                return j.site;
            case JobsModel::Name:
                return j.name;
            case JobsModel::Run:
                return j.runId;
            case JobsModel::Task:
                return j.task;
            default:
                return j.timeLeftSeconds;
            }
        };
        std::stable_sort(expected.begin(), expected.end(), [&](const JobInfo &a, const JobInfo &b) {
            if (col >= 0) {
                const auto c = QVariant::compare(key(a), key(b));
                if (c != QPartialOrdering::Equivalent)
                    return desc ? c == QPartialOrdering::Greater : c == QPartialOrdering::Less;
            }
            return arrival.value(a.site + u'/' + a.jobId) < arrival.value(b.site + u'/' + b.jobId);
        });
        QCOMPARE(model.rowCount(), expected.size());
        for (int r = 0; r < model.rowCount(); ++r) {
            QCOMPARE(model.job(r), expected.at(r));
            QCOMPARE(model.rowOf(model.job(r).site, model.job(r).jobId), r);
        }
    }
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

QTEST_MAIN(TestJobsModel)
#include "tst_jobsmodel.moc"
