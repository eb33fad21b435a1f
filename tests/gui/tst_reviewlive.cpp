// SPDX-License-Identifier: GPL-3.0-or-later
// The review dialog follows a checkpoint's metric file while the job goes on
// writing it: a Supervisor with a local site, real files. New rows appear in
// the chart, a view the user zoomed is kept while it grows, and the evidence
// of a decision is the bytes plotted when it is taken.
#include "../common/testfiles.h"
#include "models/checkpointsmodel.h"
#include "supervisor.h"
#include "ui/checkpointdialog.h"
#include "ui/checkpointreview.h"
#include "ui/metricschart.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace std::chrono_literals;

namespace {

QByteArray rows(int from, int to)
{
    QByteArray out;
    for (int i = from; i <= to; ++i)
        out += QByteArray::number(i) + ',' + QByteArray::number(1.0 / i) + '\n';
    return out;
}

// The points drawn of this run's series (unsmoothed: the "smoothed" line
// carries the points as they are, decimated to the pixel columns).
int drawnPoints(MetricsChart *chart)
{
    for (QAbstractSeries *s : chart->chart()->series())
        if (s->objectName() == QLatin1String("smoothed"))
            return int(qobject_cast<QLineSeries *>(s)->count());
    return -1;
}

// A local site whose run r1 has metrics/train.csv with 3 rows, a checkpoint
// that plots it, and its review dialog open, polling every 50 ms.
struct LiveReview
{
    LiveReview()
    {
        QDir().mkpath(root.filePath(QStringLiteral("r1/metrics")));
        test::writeFile(file, content);
        SiteSpec here;
        here.name = QStringLiteral("here");
        here.kind = SiteSpec::Kind::Local;
        here.runRoot = root.path();
        supervisor.addSite(here);
        CheckpointInfo c;
        c.site = QStringLiteral("here");
        c.runId = QStringLiteral("r1");
        c.id = QStringLiteral("review");
        c.title = QStringLiteral("Keep training?");
        c.options << CheckpointOption{QStringLiteral("continue"), QString(), true};
        c.metrics = {MetricRef{QStringLiteral("metrics/train.csv"),
                               QStringLiteral("epoch"),
                               {QStringLiteral("loss")}}};
        model.setCheckpoints(QStringLiteral("here"), {c});
        dialog = review.open(c.key());
        if (dialog) {
            dialog->setMetricsPollInterval(50ms);
            chart = dialog->charts().first();
        }
    }
    // The evidence of a decision taken now.
    QString decide()
    {
        QSignalSpy decided(dialog, &CheckpointDialog::decisionRequested);
        QTest::mouseClick(dialog->optionButton(QStringLiteral("continue")), Qt::LeftButton);
        return decided.size() == 1 ? decided.at(0).at(0).value<DecisionInput>().evidenceSha256
                                   : QStringLiteral("no decision");
    }

    QTemporaryDir root;
    const QString file = root.filePath(QStringLiteral("r1/metrics/train.csv"));
    QByteArray content = "epoch,loss\n" + rows(1, 3);
    Supervisor supervisor{SupervisorOptions()};
    CheckpointsModel model;
    QAbstractItemModelTester tester{&model};
    QWidget window;
    CheckpointReview review{&supervisor, &model, &window};
    CheckpointDialog *dialog = nullptr;
    MetricsChart *chart = nullptr;
};

} // namespace

class TestReviewLive : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chartFollowsTheMetricFile();
    void replacedFileTakesTheEvidenceAway();
};

void TestReviewLive::chartFollowsTheMetricFile()
{
    LiveReview live;
    QVERIFY(live.dialog);
    MetricsChart *chart = live.chart;
    const QString &file = live.file;
    QByteArray &content = live.content;
    QTRY_COMPARE(drawnPoints(chart), 3);
    QTRY_VERIFY(chart->chart()->plotArea().width() > 100);

    // The job writes on (a row cut in two on the way): the chart grows and,
    // untouched, fits the new rows.
    QSignalSpy changed(chart, &MetricsChart::tableChanged);
    QVERIFY(test::appendFile(file, rows(4, 5) + "6,0."));
    QTRY_COMPARE(drawnPoints(chart), 5);
    QVERIFY2(chart->xRange().second >= 5, qPrintable(QString::number(chart->xRange().second)));
    QVERIFY(test::appendFile(file, "25\n"));
    content += rows(4, 5) + "6,0.25\n";
    QTRY_COMPARE(drawnPoints(chart), 6);

    // The user zooms in: more rows do not take the view away.
    chart->setXRange(1, 2);
    const int before = int(changed.size());
    QVERIFY(test::appendFile(file, rows(7, 9)));
    content += rows(7, 9);
    QTRY_VERIFY(changed.size() > before);
    QCOMPARE(chart->xRange(), qMakePair(1.0, 2.0));
    chart->fit(); // Home
    QVERIFY2(chart->xRange().second >= 9, qPrintable(QString::number(chart->xRange().second)));
    QTRY_COMPARE(drawnPoints(chart), 9);

    // A decision now carries the hash of the nine rows plotted, computed here.
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(QByteArrayView("metrics/train.csv"));
    h.addData(QByteArrayView("\0", 1));
    h.addData(content);
    QCOMPARE(live.decide(), QString::fromLatin1(h.result().toHex()));
}

// The job starts the file again and it has no rows yet: the chart says so and
// a decision taken now claims no evidence (not the old file's bytes).
void TestReviewLive::replacedFileTakesTheEvidenceAway()
{
    LiveReview live;
    QVERIFY(live.dialog);
    QTRY_COMPARE(drawnPoints(live.chart), 3);
    QVERIFY(test::writeFile(live.file, QByteArray()));
    QTRY_COMPARE(drawnPoints(live.chart), -1); // a message, no series
    QCOMPARE(live.decide(), QString());
}

QTEST_MAIN(TestReviewLive)
#include "tst_reviewlive.moc"
