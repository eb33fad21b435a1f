// SPDX-License-Identifier: GPL-3.0-or-later
// The review dialog (offscreen): the request's attachments (images by their
// content, thumbnails, full size, other files with their size and Save As,
// broken and too large ones), the same metric of other runs drawn over a
// chart, and the Log tab following a growing log of a local run.
#include "../common/testfiles.h"
#include "models/checkpointsmodel.h"
#include "models/plotseries.h"
#include "supervisor.h"
#include "ui/attachmentsview.h"
#include "ui/checkpointdialog.h"
#include "ui/checkpointreview.h"
#include "ui/logtailview.h"
#include "ui/metricschart.h"
#include "ui/metricscompare.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

using vigil::test::writeFile;

namespace {

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray encode(const QImage &image, const char *format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format);
    return bytes;
}

// Reads files of `dir` as Supervisor::readRunFile does: at most maxBytes,
// TooLarge beyond; NotFound for a missing file.
RunFileReader readerOver(const QString &dir)
{
    return [dir](const QString &path, qint64 maxBytes, QObject *, Callback<QByteArray> done) {
        QFile f(dir + QLatin1Char('/') + path);
        if (!f.open(QIODevice::ReadOnly)) {
            done(Error(QStringLiteral("%1: no such file").arg(path), Error::Kind::NotFound));
            return;
        }
        const QByteArray bytes = f.read(maxBytes + 1);
        if (bytes.size() > maxBytes)
            done(Error(QStringLiteral("%1 is larger than %2 bytes").arg(path).arg(maxBytes),
                       Error::Kind::TooLarge));
        else
            done(bytes);
    };
}

CheckpointInfo checkpoint(const QString &runId)
{
    CheckpointInfo c;
    c.site = QStringLiteral("here");
    c.runId = runId;
    c.id = QStringLiteral("review");
    c.task = QStringLiteral("train");
    c.title = QStringLiteral("Keep training?");
    c.options << CheckpointOption{QStringLiteral("continue"), QString(), true};
    return c;
}

QLineSeries *seriesNamed(MetricsChart *chart, const QString &name)
{
    for (QAbstractSeries *s : chart->chart()->series())
        if (s->name() == name)
            return qobject_cast<QLineSeries *>(s);
    return nullptr;
}

QList<QPointF> points(const QList<double> &ys)
{
    QList<QPointF> out;
    for (qsizetype i = 0; i < ys.size(); ++i)
        out << QPointF(double(i + 1), ys.at(i));
    return out;
}

QByteArray csv(const QList<double> &ys)
{
    QByteArray out = "epoch,loss\n";
    for (qsizetype i = 0; i < ys.size(); ++i)
        out += QByteArray::number(i + 1) + ',' + QByteArray::number(ys.at(i)) + '\n';
    return out;
}

} // namespace

class TestReviewDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void attachmentsComeFromTheRequest();
    void attachmentsTab();
    void tooLargeFromAWholeFileFetcher();
    void comparableRunsOfTheWorkflow();
    void compareRuns();
    void logTabFollowsALocalRun();
    void jobStateAtTheTop();
};

// Both the helper's scan and the SFTP scan end in parseScan: a request's
// attachments reach CheckpointInfo.
void TestReviewDialog::attachmentsComeFromTheRequest()
{
    const QByteArray doc =
        R"json({"format":{"name":"vigil.scan","version":"1.0"},"runs":[{"dir":"r1",
        "checkpoints":[{"id":"review","request":{"approver_uids":[0],"approvers":["root"],
        "attachments":["plots/confusion.png","report.txt"],"body":"","created_at":"2026-11-26T16:37:49Z",
        "created_by_uid":0,"deadline":null,"default_on_timeout":null,
        "format":{"name":"vigil.request","version":"1.0"},"id":"review",
        "job":{"host":"vm","slurm_job_id":null,"slurm_step_id":null},"metrics":[],
        "nonce":"5f386db77636d7d2fb33a1997152dd7b",
        "options":[{"default":true,"label":"Continue","name":"continue"}],"params":[],
        "task":"train","title":"Look at these"}}]}]})json";
    auto runs = parseScan(doc, QStringLiteral("here"));
    QVERIFY2(runs.ok(), qPrintable(runs.errorString()));
    QCOMPARE(runs->size(), 1);
    QCOMPARE(runs->first().checkpoints.size(), 1);
    const CheckpointInfo &c = runs->first().checkpoints.first();
    QVERIFY2(c.problem.isEmpty(), qPrintable(c.problem));
    QCOMPARE(c.attachments,
             QStringList({QStringLiteral("plots/confusion.png"), QStringLiteral("report.txt")}));
}

void TestReviewDialog::attachmentsTab()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QImage wide(400, 200, QImage::Format_RGB32);
    wide.fill(QColor(10, 200, 30));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("wide.png")), encode(wide, "PNG")));
    QImage small(64, 48, QImage::Format_RGB32);
    small.fill(QColor(200, 20, 20));
    // A JPEG whose name says nothing: judged by its content.
    QVERIFY(writeFile(dir.filePath(QStringLiteral("photo.dat")), encode(small, "JPEG")));
    const QByteArray notes = "accuracy went up\n";
    QVERIFY(writeFile(dir.filePath(QStringLiteral("notes.txt")), notes));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("broken.png")), "this is no picture"));
    // PNG magic, then garbage: looks like an image, cannot be decoded.
    QVERIFY(writeFile(dir.filePath(QStringLiteral("cut.png")),
                      QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(100, 'x')));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("diagram.svg")),
                      "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                      "width=\"30\" height=\"20\"><rect width=\"30\" height=\"20\" "
                      "fill=\"blue\"/></svg>\n"));
    // A few bytes that declare 100000 × 50000 pixels: decoded scaled down.
    QVERIFY(writeFile(dir.filePath(QStringLiteral("huge.svg")),
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100000\" "
                      "height=\"50000\"><rect width=\"100000\" height=\"50000\" "
                      "fill=\"green\"/></svg>\n"));
    const qint64 bigSize = AttachmentsView::maxBytes() + 1;
    {
        QFile big(dir.filePath(QStringLiteral("big.bin")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(bigSize));
    }

    CheckpointInfo c = checkpoint(QStringLiteral("r1"));
    c.attachments = QStringList{
        QStringLiteral("wide.png"),   QStringLiteral("photo.dat"),   QStringLiteral("notes.txt"),
        QStringLiteral("broken.png"), QStringLiteral("cut.png"),     QStringLiteral("diagram.svg"),
        QStringLiteral("big.bin"),    QStringLiteral("missing.png"), QStringLiteral("huge.svg")};
    CheckpointDialog d(c);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    AttachmentsView *view = d.attachmentsView();
    QVERIFY(view);
    QCOMPARE(d.tabs()->tabText(d.tabs()->indexOf(view)), QStringLiteral("Attachments (9)"));
    QCOMPARE(view->count(), 9);
    d.setRunFileReader(readerOver(dir.path()));
    QTRY_VERIFY([&] {
        for (int i = 0; i < view->count(); ++i)
            if (view->kind(i) == AttachmentsView::Kind::Loading)
                return false;
        return true;
    }());

    // Images: decoded at their own size, thumbnails bounded by 160 x 120.
    QCOMPARE(view->kind(0), AttachmentsView::Kind::Image);
    QCOMPARE(view->image(0).size(), QSize(400, 200));
    QCOMPARE(view->image(0).pixelColor(5, 5), QColor(10, 200, 30));
    QCOMPARE(view->thumbnail(0)->pixmap().size(), QSize(160, 80));
    QVERIFY2(view->text(0).contains(QStringLiteral("400 × 200 pixels")), qPrintable(view->text(0)));
    QCOMPARE(view->kind(1), AttachmentsView::Kind::Image);
    QCOMPARE(view->image(1).size(), QSize(64, 48));
    QCOMPARE(view->thumbnail(1)->pixmap().size(), QSize(64, 48));
    QCOMPARE(view->kind(5), AttachmentsView::Kind::Image);
    QCOMPARE(view->image(5).size(), QSize(30, 20));
    QCOMPARE(view->kind(8), AttachmentsView::Kind::Image);
    QCOMPARE(view->image(8).size(), QSize(8192, 4096));
    QVERIFY2(view->text(8).contains(QStringLiteral("100000 × 50000 pixels")) &&
                 view->text(8).contains(QStringLiteral("shown at 8192 × 4096")),
             qPrintable(view->text(8)));

    // Another file: listed with its size, saved as it is (off the GUI thread).
    QCOMPARE(view->kind(2), AttachmentsView::Kind::File);
    QCOMPARE(view->text(2), sizeText(notes.size()));
    QVERIFY(view->saveButton(2)->isEnabled());
    QSignalSpy saved(view, &AttachmentsView::saved);
    const QString target = dir.filePath(QStringLiteral("saved-notes.txt"));
    // Save As… opens a file dialog (window-modal, no nested event loop)
    // offering the attachment's name; the name chosen there is written.
    QTest::mouseClick(view->saveButton(2), Qt::LeftButton);
    auto *fileDialog = view->findChild<QFileDialog *>(QStringLiteral("saveAttachmentDialog"));
    QVERIFY(fileDialog);
    QVERIFY(fileDialog->isVisible());
    QCOMPARE(fileDialog->acceptMode(), QFileDialog::AcceptSave);
    Q_EMIT fileDialog->fileSelected(target);
    QVERIFY(saved.wait(5000));
    QCOMPARE(saved.first().at(1).toString(), QString());
    QCOMPARE(readFile(target), notes);
    fileDialog->close();

    // Named like an image, or looking like one, but not one it can decode.
    QCOMPARE(view->kind(3), AttachmentsView::Kind::NotAnImage);
    QVERIFY2(view->text(3).contains(QStringLiteral("not an image it can show")),
             qPrintable(view->text(3)));
    QCOMPARE(view->kind(4), AttachmentsView::Kind::NotAnImage);
    QVERIFY2(view->text(4).contains(QStringLiteral("not an image it can show")),
             qPrintable(view->text(4)));
    QVERIFY(view->thumbnail(3)->pixmap().isNull());

    // Over the limit: not fetched, and the row says what the limit is.
    QCOMPARE(view->kind(6), AttachmentsView::Kind::Failed);
    QVERIFY2(view->text(6).contains(sizeText(AttachmentsView::maxBytes())),
             qPrintable(view->text(6)));
    QVERIFY(!view->saveButton(6)->isEnabled());
    QCOMPARE(view->kind(7), AttachmentsView::Kind::Failed);
    QVERIFY2(view->text(7).contains(QStringLiteral("no such file")), qPrintable(view->text(7)));

    // A click on a thumbnail opens the picture at full size: fitted to the
    // window, or at 100%.
    QTest::mouseClick(view->thumbnail(0), Qt::LeftButton);
    auto *viewer = view->findChild<ImageViewer *>();
    QVERIFY(viewer);
    viewer->resize(300, 250);
    QTRY_VERIFY(viewer->shownSize().width() < 300);
    QCOMPARE(viewer->shownSize().width() * 200, viewer->shownSize().height() * 400);
    viewer->setFitted(false);
    QCOMPARE(viewer->shownSize(), QSize(400, 200));
    QVERIFY(view->openImage(2) == nullptr); // not an image
}

// A fetcher that hands whole files (no limit of its own): the dialog refuses
// a file over the limit and says how large it is.
void TestReviewDialog::tooLargeFromAWholeFileFetcher()
{
    QTemporaryDir dir;
    const qint64 size = AttachmentsView::maxBytes() + 4096;
    {
        QFile big(dir.filePath(QStringLiteral("big.bin")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(size));
    }
    CheckpointInfo c = checkpoint(QStringLiteral("r1"));
    c.attachments = QStringList{QStringLiteral("big.bin")};
    CheckpointDialog d(c);
    const QString root = dir.path();
    d.setRunFileFetcher([root](const QString &path, QObject *, Callback<QByteArray> done) {
        done(readFile(root + QLatin1Char('/') + path));
    });
    AttachmentsView *view = d.attachmentsView();
    QTRY_COMPARE(view->kind(0), AttachmentsView::Kind::Failed);
    QVERIFY2(view->text(0).contains(sizeText(size)), qPrintable(view->text(0)));
    QVERIFY2(view->text(0).contains(QLocale().toString(size)) ||
                 view->text(0).contains(QString::number(size)),
             qPrintable(view->text(0)));
}

void TestReviewDialog::comparableRunsOfTheWorkflow()
{
    auto run = [](const QString &site, const QString &id, const QString &wf, int day) {
        RunInfo r;
        r.site = site;
        r.runId = id;
        r.workflowName = wf;
        r.createdAt = QDateTime(QDate(2026, 11, day), QTime(12, 0), Qt::UTC);
        return r;
    };
    const QList<RunInfo> runs{
        run(QStringLiteral("here"), QStringLiteral("r1"), QStringLiteral("train"), 3),
        run(QStringLiteral("here"), QStringLiteral("r2"), QStringLiteral("train"), 1),
        run(QStringLiteral("here"), QStringLiteral("x1"), QStringLiteral("other"), 5),
        run(QStringLiteral("cluster"), QStringLiteral("r4"), QStringLiteral("train"), 2)};
    const QList<ComparedRun> got =
        comparableRuns(runs, QStringLiteral("here"), QStringLiteral("r1"));
    QCOMPARE(got.size(), 2); // not itself, not another workflow's; newest first
    QCOMPARE(got.at(0).label, QStringLiteral("cluster/r4"));
    QCOMPARE(got.at(0).site, QStringLiteral("cluster"));
    QCOMPARE(got.at(1).label, QStringLiteral("r2"));
    QVERIFY(comparableRuns(runs, QStringLiteral("here"), QStringLiteral("nope")).isEmpty());
}

void TestReviewDialog::compareRuns()
{
    QTemporaryDir root;
    const QList<double> mine{1.0, 0.8, 0.6, 0.5};
    const QList<double> r2{1.2, 0.9, 0.7, 0.4, 0.35};
    for (const auto &[run, ys] :
         {std::pair(QStringLiteral("r1"), mine), std::pair(QStringLiteral("r2"), r2)}) {
        QVERIFY(QDir(root.path()).mkpath(run));
        QVERIFY(writeFile(root.filePath(run + QStringLiteral("/metrics.csv")), csv(ys)));
    }
    QVERIFY(QDir(root.path()).mkpath(QStringLiteral("r3"))); // no metrics.csv

    CheckpointInfo c = checkpoint(QStringLiteral("r1"));
    c.metrics << MetricRef{
        QStringLiteral("metrics.csv"), QStringLiteral("epoch"), {QStringLiteral("loss")}};
    CheckpointDialog d(c);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    d.setRunFileReader(readerOver(root.filePath(QStringLiteral("r1"))));
    QList<QPair<QString, QString>> asked;
    const QString rootPath = root.path();
    d.setComparisonRuns(
        {ComparedRun{QStringLiteral("here"), QStringLiteral("r2"), QStringLiteral("r2")},
         ComparedRun{QStringLiteral("here"), QStringLiteral("r3"), QStringLiteral("r3")}},
        [&asked, rootPath](const QString &site, const QString &runId, const QString &path,
                           QObject *context, Callback<QByteArray> done) {
            asked << qMakePair(site, runId + QLatin1Char('/') + path);
            readerOver(rootPath + QLatin1Char('/') + runId)(path, 1 << 20, context,
                                                            std::move(done));
        });
    MetricsChart *chart = d.charts().value(0);
    QVERIFY(chart);
    QTRY_COMPARE(chart->seriesCount(), 1);
    MetricsCompare *compare = d.metricsPanels().first()->compare();
    QVERIFY(compare->isEnabled());
    QCOMPARE(compare->runActions().size(), 2);
    QVERIFY(asked.isEmpty()); // nothing read until a run is checked

    // Checked: r2's same file is read and drawn, dashed, named by the run.
    QSignalSpy shown(compare, &MetricsCompare::comparisonShown);
    compare->runAction(QStringLiteral("r2"))->setChecked(true);
    QTRY_COMPARE(shown.size(), 1);
    QCOMPARE(asked.value(0), qMakePair(QStringLiteral("here"), QStringLiteral("r2/metrics.csv")));
    QLineSeries *other = seriesNamed(chart, QStringLiteral("loss (r2)"));
    QVERIFY(other);
    QCOMPARE(other->objectName(), QStringLiteral("comparison"));
    QCOMPARE(other->points(), points(r2));
    QCOMPARE(other->pen().style(), Qt::DashLine);
    QCOMPARE(seriesNamed(chart, QStringLiteral("loss"))->points(), points(mine));
    QCOMPARE(seriesNamed(chart, QStringLiteral("loss"))->pen().style(), Qt::SolidLine);

    // The same smoothing as the chart's own series.
    chart->setSmoothing(0.6);
    other = seriesNamed(chart, QStringLiteral("loss (r2)"));
    QCOMPARE(other->points(), plot::smoothEma(points(r2), 0.6));

    // Unchecked: gone.
    compare->runAction(QStringLiteral("r2"))->setChecked(false);
    QVERIFY(!seriesNamed(chart, QStringLiteral("loss (r2)")));
    QVERIFY(chart->comparedRuns().isEmpty());

    // A run without the file: the legend says so, no series of points.
    compare->runAction(QStringLiteral("r3"))->setChecked(true);
    QTRY_COMPARE(shown.size(), 2);
    QLineSeries *missing = seriesNamed(chart, QStringLiteral("r3: no metrics.csv"));
    QVERIFY(missing);
    QCOMPARE(missing->objectName(), QStringLiteral("comparisonMissing"));
    QVERIFY(missing->points().isEmpty());
    QVERIFY(chart->chart()->legend()->isVisible());
    QCOMPARE(chart->chart()->legend()->markers(missing).size(), 1);
    QTRY_VERIFY(chart->chart()->legend()->markers(missing).first()->isVisible());
    QVERIFY(
        !chart->chart()->legend()->markers(seriesNamed(chart, QStringLiteral("loss"))).isEmpty());
    QCOMPARE(chart->seriesCount(), 1); // this run's series only
}

// A Supervisor with a local site: the dialog the review opens follows the
// job's log in its Log tab as the job appends to it.
void TestReviewDialog::logTabFollowsALocalRun()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QString taskDir = root.filePath(QStringLiteral("r1/tasks/train"));
    QVERIFY(QDir().mkpath(taskDir));
    const QString log = taskDir + QStringLiteral("/output.log");
    QVERIFY(writeFile(log, "epoch 1 loss 0.9\n"));
    QImage image(32, 16, QImage::Format_RGB32);
    image.fill(Qt::white);
    QVERIFY(writeFile(root.filePath(QStringLiteral("r1/plot.png")), encode(image, "PNG")));
    QVERIFY(QFile::link(root.filePath(QStringLiteral("r1/plot.png")),
                        root.filePath(QStringLiteral("r1/link.png"))));

    SiteSpec here;
    here.name = QStringLiteral("here");
    here.kind = SiteSpec::Kind::Local;
    here.runRoot = root.path();
    SupervisorOptions options;
    Supervisor supervisor(options);
    supervisor.addSite(here);
    CheckpointsModel model;
    QAbstractItemModelTester tester(&model);
    CheckpointInfo c = checkpoint(QStringLiteral("r1"));
    c.jobId = QStringLiteral("4242");
    c.attachments = QStringList{QStringLiteral("plot.png"), QStringLiteral("link.png")};
    model.setCheckpoints(QStringLiteral("here"), {c});
    QWidget window;
    CheckpointReview review(&supervisor, &model, &window);
    CheckpointDialog *d = review.open(c.key());
    QVERIFY(d);
    QVERIFY2(d->jobText().contains(QStringLiteral("not listed")), qPrintable(d->jobText()));
    LogTailView *logView = d->logView();
    QCOMPARE(d->tabs()->tabText(d->tabs()->indexOf(logView)), QStringLiteral("Log"));
    QCOMPARE(logView->path(), QStringLiteral("tasks/train/output.log"));
    logView->setPollInterval(50);
    QTRY_VERIFY2(logView->text().contains(QStringLiteral("epoch 1 loss 0.9")),
                 qPrintable(logView->statusText()));
    {
        QFile f(log);
        QVERIFY(f.open(QIODevice::Append));
        f.write("epoch 2 loss 0.7\nepoch 3 loss 0.5\n");
    }
    QTRY_VERIFY2(logView->text().contains(QStringLiteral("epoch 3 loss 0.5")),
                 qPrintable(logView->statusText()));
    QCOMPARE(logView->text().count(QStringLiteral("epoch 1")), 1); // only the appended bytes

    // Attachments through Supervisor::readRunFile: a symlink is refused.
    AttachmentsView *view = d->attachmentsView();
    QTRY_COMPARE(view->kind(0), AttachmentsView::Kind::Image);
    QCOMPARE(view->image(0).size(), QSize(32, 16));
    QTRY_COMPARE(view->kind(1), AttachmentsView::Kind::Failed);
    QVERIFY2(view->text(1).contains(QStringLiteral("refusing to follow symlink")),
             qPrintable(view->text(1)));
    d->close();
}

// The job's state as the scheduler lists it, at the top of the dialog.
void TestReviewDialog::jobStateAtTheTop()
{
    CheckpointDialog d(checkpoint(QStringLiteral("r1")));
    JobInfo job;
    job.site = QStringLiteral("here");
    job.jobId = QStringLiteral("4242");
    job.state = QStringLiteral("RUNNING");
    job.elapsedSeconds = 125;
    d.setJob(job, true);
    QVERIFY2(d.jobText().startsWith(QStringLiteral("4242 RUNNING")), qPrintable(d.jobText()));
    QVERIFY2(d.jobText().contains(formatDuration(125)), qPrintable(d.jobText()));
    job.state = QStringLiteral("COMPLETED");
    job.exitCode = 0;
    d.setJob(job, true);
    QVERIFY2(d.jobText().contains(QStringLiteral("COMPLETED")), qPrintable(d.jobText()));
    QVERIFY2(d.jobText().contains(QStringLiteral("exit code 0")), qPrintable(d.jobText()));
    d.setJob(job, false);
    QVERIFY2(d.jobText().contains(QStringLiteral("not listed")), qPrintable(d.jobText()));
}

QTEST_MAIN(TestReviewDialog)
#include "tst_reviewdialog.moc"
