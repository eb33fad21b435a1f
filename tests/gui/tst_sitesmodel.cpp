// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/issuesmodel.h"
#include "models/sitesmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;

namespace {

const QDateTime kNow = QDateTime(QDate(2025, 3, 1), QTime(12, 0), Qt::UTC);

SiteStatus site(const QString &name, int ageSeconds = -1)
{
    SiteStatus s;
    s.name = name;
    s.kind = QStringLiteral("slurm");
    s.connection = Transport::State::Connected;
    if (ageSeconds >= 0)
        s.lastRefresh = kNow.addSecs(-ageSeconds);
    return s;
}

Issue issue(const QString &subject, Issue::Severity severity = Issue::Severity::Error)
{
    Issue i;
    i.subject = subject;
    i.severity = severity;
    i.message = subject + QStringLiteral(": went wrong\nsecond line");
    i.when = kNow;
    return i;
}

} // namespace

class TestSitesModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void updateInsertsThenChangesColumns();
    void setSitesDiffs();
    void dataAgeTicks();
    void staleAndErrors();
    void watchShowsLiveAndSourcesOfAge();
    void issuesNewestFirst();
    void issuesTrimAndClear();
    void issuesRepeatedMoveToTop();
};

void TestSitesModel::watchShowsLiveAndSourcesOfAge()
{
    SitesModel model;
    model.setTickInterval(0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    SiteStatus s = site(QStringLiteral("mn5"), 5);
    s.helperVersion = QStringLiteral("vigil-job 0.1.0");
    s.jobsConfirmedAt = kNow.addSecs(-5);
    s.runsConfirmedAt = kNow.addSecs(-1);
    model.updateSite(s);
    const QModelIndex helper = model.index(0, SitesModel::Helper);
    QCOMPARE(helper.data().toString(), QStringLiteral("vigil-job 0.1.0"));
    const QString polled = model.index(0, SitesModel::DataAge).data(Qt::ToolTipRole).toString();
    QVERIFY2(polled.contains(QLatin1String("scanned every cycle")), qPrintable(polled));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    s.watching = true;
    model.updateSite(s);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(helper.data().toString(), QStringLiteral("vigil-job 0.1.0 · live"));
    const QString live = model.index(0, SitesModel::DataAge).data(Qt::ToolTipRole).toString();
    QVERIFY2(live.contains(QLatin1String("streamed by vigil-job watch")), qPrintable(live));
    QVERIFY2(live.contains(QLatin1String("every 20 s")), qPrintable(live));
}

void TestSitesModel::updateInsertsThenChangesColumns()
{
    SitesModel model;
    model.setTickInterval(0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);

    model.updateSite(site(QStringLiteral("mn5")));
    model.updateSite(site(QStringLiteral("edge")));
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(model.rowCount(), 2);

    SiteStatus s = site(QStringLiteral("edge"));
    model.updateSite(s);
    QCOMPARE(changed.count(), 0);

    s.activeJobs = 3;
    s.pendingCheckpoints = 1;
    model.updateSite(s);
    QCOMPARE(changed.count(), 1);
    const auto tl = changed.at(0).at(0).value<QModelIndex>();
    const auto br = changed.at(0).at(1).value<QModelIndex>();
    QCOMPARE(tl.row(), 1);
    QCOMPARE(tl.column(), int(SitesModel::ActiveJobs));
    QCOMPARE(br.column(), int(SitesModel::PendingCheckpoints));
    QCOMPARE(model.index(1, SitesModel::ActiveJobs).data().toInt(), 3);
    QCOMPARE(reset.count(), 0);
}

void TestSitesModel::setSitesDiffs()
{
    SitesModel model;
    model.setTickInterval(0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSites(
        {site(QStringLiteral("a")), site(QStringLiteral("b")), site(QStringLiteral("c"))});
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setSites(
        {site(QStringLiteral("a")), site(QStringLiteral("c")), site(QStringLiteral("d"))});
    QCOMPARE(removed.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowOf(QStringLiteral("d")), 2);
    QCOMPARE(model.rowOf(QStringLiteral("b")), -1);
    model.removeSite(QStringLiteral("a"));
    QCOMPARE(model.rowCount(), 2);
}

void TestSitesModel::dataAgeTicks()
{
    SitesModel model;
    model.setTickInterval(0);
    QDateTime now = kNow;
    model.setClock([&now] { return now; });
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.updateSite(site(QStringLiteral("a"), 12));
    model.updateSite(site(QStringLiteral("b")));
    QCOMPARE(model.index(0, SitesModel::DataAge).data().toString(), QStringLiteral("12 s"));
    QCOMPARE(model.index(1, SitesModel::DataAge).data().toString(), QStringLiteral("never"));
    QCOMPARE(model.index(0, 0).data(SitesModel::DataAgeRole).toLongLong(), 12);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setTickInterval(10);
    QVERIFY(changed.wait(1000));
    model.setTickInterval(0);
    for (const QList<QVariant> &args : std::as_const(changed)) {
        QCOMPARE(args.at(0).value<QModelIndex>().column(), int(SitesModel::DataAge));
        QCOMPARE(args.at(1).value<QModelIndex>().column(), int(SitesModel::DataAge));
        QCOMPARE(args.at(0).value<QModelIndex>().row(), 0);
        QCOMPARE(args.at(1).value<QModelIndex>().row(), 1);
    }
    now = now.addSecs(300);
    QCOMPARE(model.index(0, SitesModel::DataAge).data().toString(), QStringLiteral("5 min"));
}

void TestSitesModel::staleAndErrors()
{
    SitesModel model;
    model.setTickInterval(0);
    model.setClock([] { return kNow; });
    model.setStaleAfter(60);
    SiteStatus fresh = site(QStringLiteral("fresh"), 10);
    SiteStatus old = site(QStringLiteral("old"), 600);
    old.connection = Transport::State::Failed;
    old.lastError = QStringLiteral("connection refused\ndetails");
    model.setSites({fresh, old});
    QVERIFY(!model.index(0, 0).data(SitesModel::StaleRole).toBool());
    QVERIFY(model.index(1, 0).data(SitesModel::StaleRole).toBool());
    QVERIFY(model.index(1, 0).data(SitesModel::HasErrorRole).toBool());
    QCOMPARE(model.index(1, SitesModel::LastError).data().toString(),
             QStringLiteral("connection refused"));
    QCOMPARE(model.index(1, SitesModel::Connection).data().toString(), QStringLiteral("Failed"));
}

void TestSitesModel::issuesNewestFirst()
{
    IssuesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.append(issue(QStringLiteral("first"), Issue::Severity::Warning));
    model.append(issue(QStringLiteral("second")));
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 0);
    QCOMPARE(model.index(0, IssuesModel::Subject).data().toString(), QStringLiteral("second"));
    QCOMPARE(model.index(1, IssuesModel::Subject).data().toString(), QStringLiteral("first"));
    QCOMPARE(model.index(1, 0).data(IssuesModel::IconNameRole).toString(),
             QStringLiteral("dialog-warning"));
    QCOMPARE(model.index(0, 0).data(IssuesModel::IconNameRole).toString(),
             QStringLiteral("dialog-error"));
    QCOMPARE(model.index(0, IssuesModel::Message).data().toString(),
             QStringLiteral("second: went wrong"));
    QVERIFY(model.index(0, IssuesModel::Message)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QLatin1String("second line")));
}

void TestSitesModel::issuesTrimAndClear()
{
    IssuesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaximumCount(3);
    for (int i = 0; i < 5; ++i)
        model.append(issue(QString::number(i)));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(2, IssuesModel::Subject).data().toString(), QStringLiteral("2"));
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(reset.count(), 0);
}

void TestSitesModel::issuesRepeatedMoveToTop()
{
    IssuesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(issue(QStringLiteral("a")));
    model.append(issue(QStringLiteral("b")));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
    Issue again = issue(QStringLiteral("a"));
    again.when = kNow.addSecs(60);
    model.append(again);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(moved.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, IssuesModel::Subject).data().toString(), QStringLiteral("a"));
    QCOMPARE(model.index(0, 0).data(IssuesModel::WhenRole).toDateTime(), kNow.addSecs(60));
}

QTEST_GUILESS_MAIN(TestSitesModel)
#include "tst_sitesmodel.moc"
