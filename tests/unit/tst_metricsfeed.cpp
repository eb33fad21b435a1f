// SPDX-License-Identifier: GPL-3.0-or-later
// MetricsFeed: a metrics file followed as the job appends to it, over the
// local transport and real files. Only appended bytes are read; CSV lines and
// TFRecord records cut in the middle wait for their end; a replaced file is
// read anew; a broken line or a file past the limit ends the following with
// the table kept.
#include "../common/testfiles.h"
#include "../common/tfrecords.h"
#include "filetail.h"
#include "local/localtransport.h"
#include "models/metricsfeed.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace std::chrono_literals;

namespace {

MetricRef refFor(const QString &file, const QString &x = {})
{
    MetricRef ref;
    ref.file = file;
    ref.x = x;
    return ref;
}

QList<double> ys(const MetricSeries &s)
{
    QList<double> out;
    for (const QPointF &p : s.points)
        out << p.y();
    return out;
}

} // namespace

class TestMetricsFeed : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void csvGrowsLineByLine();
    void eventRecordsSplitAcrossPolls();
    void waitsForTheFile();
    void replacedFileIsReadAnew();
    void brokenLineEndsFollowing();
    void pastTheLimitEndsFollowing();

private:
    MetricsFeed *feed(const QString &name, const MetricRef &ref, qint64 maxBytes = 1 << 20);
    QString path(const QString &name) const { return m_dir->filePath(name); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LocalTransport> m_transport;
    std::unique_ptr<MetricsFeed> m_feed;
};

void TestMetricsFeed::init()
{
    m_feed.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_transport = std::make_unique<LocalTransport>();
    m_transport->open();
}

MetricsFeed *TestMetricsFeed::feed(const QString &name, const MetricRef &ref, qint64 maxBytes)
{
    m_feed =
        std::make_unique<MetricsFeed>(new FileTail(m_transport.get(), path(name)), ref, maxBytes);
    return m_feed.get();
}

void TestMetricsFeed::csvGrowsLineByLine()
{
    const QString file = QStringLiteral("metrics.csv");
    QByteArray content = "epoch,loss\n1,0.9\n2,0.7\n";
    QVERIFY(test::writeFile(path(file), content));
    MetricsFeed *f = feed(file, refFor(file, QStringLiteral("epoch")));
    QSignalSpy changed(f, &MetricsFeed::tableChanged);
    f->poll();
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(ys(f->table().series.at(0)), (QList<double>{0.9, 0.7}));

    // A row cut short waits for its end: nothing new is drawn.
    QVERIFY(test::appendFile(path(file), "3,0.5\n4,0."));
    content += "3,0.5\n4,0.";
    f->poll();
    QTRY_COMPARE(changed.size(), 2);
    QCOMPARE(ys(f->table().series.at(0)), (QList<double>{0.9, 0.7, 0.5}));
    QCOMPARE(f->evidence(), QByteArray("epoch,loss\n1,0.9\n2,0.7\n3,0.5\n"));
    QVERIFY(test::appendFile(path(file), "25\n"));
    content += "25\n";
    f->poll();
    QTRY_COMPARE(changed.size(), 3);
    QCOMPARE(ys(f->table().series.at(0)), (QList<double>{0.9, 0.7, 0.5, 0.25}));
    QCOMPARE(f->table().series.at(0).points.last().x(), 4.0);
    QCOMPARE(f->evidence(), content); // the bytes plotted: the decision's evidence

    // Each byte of the file was read once: three polls, no re-reading.
    QCOMPARE(f->bytesRead(), qint64(content.size()));
    f->poll();
    QTest::qWait(50);
    QCOMPARE(changed.size(), 3); // nothing appended: nothing redrawn
}

void TestMetricsFeed::eventRecordsSplitAcrossPolls()
{
    const QString file = QStringLiteral("events.out.tfevents.1700000000.node1");
    const QByteArray header =
        test::fixed64Field(1, 1700000000.0) + test::bytesField(3, "brain.Event:2");
    QByteArray records = tfevents::frameRecord(header);
    QList<QByteArray> steps;
    for (int s = 0; s < 4; ++s)
        steps << tfevents::frameRecord(
            test::eventBytes(1700000000.0 + s, s, test::simpleValue("loss", 1.0f / (s + 1))));
    // The first record and a half; event files hold newlines anywhere.
    const QByteArray first = records + steps[0] + steps[1].left(7);
    QVERIFY(test::writeFile(path(file), first));
    MetricsFeed *f = feed(file, refFor(file));
    QSignalSpy changed(f, &MetricsFeed::tableChanged);
    f->poll();
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(f->table().series.size(), 1);
    QCOMPARE(f->table().series.at(0).name, QStringLiteral("loss"));
    QCOMPARE(ys(f->table().series.at(0)), (QList<double>{1.0}));

    QVERIFY(test::appendFile(path(file), steps[1].mid(7) + steps[2] + steps[3]));
    f->poll();
    QTRY_COMPARE(changed.size(), 2);
    QCOMPARE(ys(f->table().series.at(0)), (QList<double>{1.0, 0.5, 1.0f / 3, 0.25}));
    QCOMPARE(f->table().series.at(0).points.last().x(), 3.0);
    QCOMPARE(f->bytesRead(), qint64(records.size() + steps[0].size() + steps[1].size() +
                                    steps[2].size() + steps[3].size()));
}

void TestMetricsFeed::waitsForTheFile()
{
    const QString file = QStringLiteral("later.jsonl");
    MetricsFeed *f = feed(file, refFor(file, QStringLiteral("step")));
    QSignalSpy problem(f, &MetricsFeed::problem);
    QSignalSpy changed(f, &MetricsFeed::tableChanged);
    f->poll();
    QTRY_COMPARE(problem.size(), 1);
    QCOMPARE(problem.at(0).at(0).toString(),
             QStringLiteral("Waiting for later.jsonl to be written…"));
    QCOMPARE(problem.at(0).at(1).toBool(), false);
    QVERIFY(f->following());

    QVERIFY(test::writeFile(path(file), "{\"step\": 1, \"acc\": 0.5}\n"));
    f->poll();
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(ys(f->table().series.at(0)), (QList<double>{0.5}));
}

void TestMetricsFeed::replacedFileIsReadAnew()
{
    const QString file = QStringLiteral("metrics.csv");
    QVERIFY(test::writeFile(path(file), "epoch,loss\n1,0.9\n2,0.7\n3,0.5\n"));
    MetricsFeed *f = feed(file, refFor(file, QStringLiteral("epoch")));
    QSignalSpy changed(f, &MetricsFeed::tableChanged);
    f->poll();
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(f->table().series.at(0).points.size(), 3);

    // A new attempt of the job starts the file again, shorter.
    QVERIFY(test::writeFile(path(file), "epoch,loss\n1,0.4\n"));
    f->poll();
    QTRY_COMPARE(changed.size(), 2);
    QCOMPARE(ys(f->table().series.at(0)), (QList<double>{0.4}));
    QCOMPARE(f->evidence(), QByteArray("epoch,loss\n1,0.4\n"));
}

void TestMetricsFeed::brokenLineEndsFollowing()
{
    const QString file = QStringLiteral("metrics.jsonl");
    QVERIFY(test::writeFile(path(file), "{\"step\": 1, \"loss\": 0.9}\n"));
    MetricsFeed *f = feed(file, refFor(file, QStringLiteral("step")));
    QSignalSpy changed(f, &MetricsFeed::tableChanged);
    QSignalSpy problem(f, &MetricsFeed::problem);
    f->start(20ms);
    QTRY_COMPARE(changed.size(), 1);
    QVERIFY(
        test::appendFile(path(file), "{\"step\": 2, \"loss\": \n{\"step\": 3, \"loss\": 0.5}\n"));
    QTRY_VERIFY(!f->following());
    QCOMPARE(problem.last().at(1).toBool(), true);
    const QString message = problem.last().at(0).toString();
    QVERIFY2(message.contains(file) && message.contains(QStringLiteral(":2:")),
             qPrintable(message));
    QCOMPARE(ys(f->table().series.at(0)), (QList<double>{0.9})); // the table stays
    QVERIFY(test::appendFile(path(file), "{\"step\": 4, \"loss\": 0.4}\n"));
    QTest::qWait(100);
    QCOMPARE(changed.size(), 1); // no longer read
}

void TestMetricsFeed::pastTheLimitEndsFollowing()
{
    const QString file = QStringLiteral("metrics.csv");
    const QByteArray start = "epoch,loss\n1,0.9\n";
    QVERIFY(test::writeFile(path(file), start));
    MetricsFeed *f = feed(file, refFor(file, QStringLiteral("epoch")), 64);
    QSignalSpy changed(f, &MetricsFeed::tableChanged);
    QSignalSpy problem(f, &MetricsFeed::problem);
    f->start(20ms);
    QTRY_COMPARE(changed.size(), 1);
    QByteArray more;
    for (int i = 2; i < 20; ++i)
        more += QByteArray::number(i) + ",0.5\n";
    QVERIFY(test::appendFile(path(file), more));
    QTRY_VERIFY(!f->following());
    QCOMPARE(
        problem.last().at(0).toString(),
        QStringLiteral("metrics.csv grew past 64 bytes, the most shown: the chart stops here"));
    QCOMPARE(f->table().series.at(0).points.size(), 1);
    QCOMPARE(f->evidence(), start); // what is plotted, nothing more
}

QTEST_GUILESS_MAIN(TestMetricsFeed)
#include "tst_metricsfeed.moc"
