// SPDX-License-Identifier: GPL-3.0-or-later
// The metric files jobs already write: TensorBoard event files (TFRecord
// framing, CRC-32C, tensorflow.Event scalars), PyTorch Lightning's CSVLogger
// metrics.csv and JSON lines, whole and as they grow.
#include "../common/tfrecords.h"
#include "models/metricsaccumulator.h"
#include "models/metricstable.h"
#include "models/tfevents.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTest>
#include <QtEndian>
#include <cstring>

using namespace vigil;
using namespace vigil::test;

namespace {

struct Fixture
{
    QByteArray file;
    QList<qsizetype> offsets; // where each record starts
};

// file_version, then train/loss (simple_value) every step, val/acc (float
// tensor) every other step, plus values Vigil skips and an unknown field.
Fixture eventFile(int steps = 6)
{
    Fixture f;
    auto add = [&](const QByteArray &e) {
        f.offsets << f.file.size();
        f.file += tfevents::frameRecord(e);
    };
    add(fixed64Field(1, 1700000000.0) + bytesField(3, "brain.Event:2"));
    for (int s = 0; s < steps; ++s) {
        const double t = 1700000000.0 + s;
        add(eventBytes(t, s, simpleValue("train/loss", 1.0f / float(s + 1))));
        if (s % 2 == 0)
            add(eventBytes(t + 0.5, s, floatTensorValue("val/acc", 0.25f * float(s))));
    }
    add(eventBytes(1700000100.0, 7,
                   QByteArray(vectorValue("embedding") + doubleContentValue("lr", 0.125))) +
        bytesField(6, "a log message: skipped"));
    return f;
}

MetricRef refFor(const QString &file, const QString &x = {}, const QStringList &columns = {})
{
    MetricRef ref;
    ref.file = file;
    ref.x = x;
    ref.columns = columns;
    return ref;
}

const QString kEvents = QStringLiteral("logs/events.out.tfevents.1700000000.node1");

// Lightning's CSVLogger: one row per log call, only the columns logged then.
const QByteArray kLightningCsv = "epoch,step,train_loss,val_loss,val_acc\n"
                                 "0,49,0.92,,\n"
                                 "0,99,0.81,,\n"
                                 "0,99,,0.85,0.61\n"
                                 "1,149,0.70,,\n"
                                 "1,199,0.64,,\n"
                                 "1,199,,0.72,0.68\n";

const QByteArray kJsonLines = "{\"step\": 1, \"loss\": 2.5, \"time\": 1700000000}\n"
                              "\n"
                              "{\"step\": 2, \"loss\": 1.5, \"acc\": 0.5, \"time\": 1700000060}\n"
                              "{\"step\": 3, \"acc\": 0.75, \"time\": \"2023-11-14T22:15:00Z\"}\n";

QString describe(const MetricTable &t)
{
    QString out = t.xName + QLatin1Char('|') + t.timeName;
    for (const MetricSeries &s : t.series) {
        out += QLatin1Char('\n') + s.name + QLatin1Char(':');
        for (qsizetype i = 0; i < s.points.size(); ++i)
            out += QStringLiteral(" (%1,%2)").arg(s.points[i].x()).arg(s.points[i].y());
        for (double w : s.times)
            out += QStringLiteral(" t%1").arg(w, 0, 'f', 3);
    }
    return out;
}

} // namespace

class TestMetricFormats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void crc32cKnownVector();
    void goldenRecord();
    void eventFileSeries();
    void eventFileByContent();
    void pythonWrittenFile();
    void eventTags();
    void brokenRecords_data();
    void brokenRecords();
    void truncatedRecord();
    void everyPrefixOfAnEvent();
    void lightningCsv();
    void jsonLines();
    void partialLineWaits();
    void chunkedEqualsWhole_data();
    void chunkedEqualsWhole();
};

void TestMetricFormats::crc32cKnownVector()
{
    QCOMPARE(tfevents::crc32c("123456789"), 0xE3069283u);
    QCOMPARE(tfevents::crc32c(""), 0u);
}

void TestMetricFormats::goldenRecord()
{
    // One event (wall_time 1.5, step 3, "loss" = 0.25) framed as TFRecord; the
    // CRCs (length 0x2dd89b12, data 0x55b254d0, masked) were computed apart,
    // with a table-driven CRC-32C in Python.
    const QByteArray golden =
        QByteArray::fromHex("1a00000000000000"
                            "129bd82d"
                            "09000000000000f83f10032a0d0a0b0a046c6f7373150000803e"
                            "d054b255");
    const QByteArray data = golden.mid(12, 26);
    QCOMPARE(tfevents::maskedCrc32c(golden.left(8)), 0x2dd89b12u);
    QCOMPARE(tfevents::maskedCrc32c(data), 0x55b254d0u);
    QCOMPARE(tfevents::frameRecord(data), golden);
    QCOMPARE(eventBytes(1.5, 3, simpleValue("loss", 0.25f)), data);

    auto records = tfevents::readRecords(golden);
    QVERIFY2(records.ok(), qPrintable(records.errorString()));
    QCOMPARE(records->records.size(), 1);
    QCOMPARE(records->end, golden.size());
    QVERIFY(!records->incomplete);
    auto e = tfevents::parseEvent(records->records[0]);
    QVERIFY2(e.ok(), qPrintable(e.errorString()));
    QCOMPARE(e->wallTime, 1.5);
    QCOMPARE(e->step, 3);
    QCOMPARE(e->scalars.size(), 1);
    QCOMPARE(e->scalars[0].tag, QStringLiteral("loss"));
    QCOMPARE(e->scalars[0].value, 0.25);
}

void TestMetricFormats::eventFileSeries()
{
    const Fixture f = eventFile();
    auto records = tfevents::readRecords(f.file);
    QVERIFY(records.ok());
    QCOMPARE(records->records.size(), f.offsets.size());
    auto first = tfevents::parseEvent(records->records[0]);
    QVERIFY(first.ok());
    QCOMPARE(first->fileVersion, QStringLiteral("brain.Event:2"));
    QVERIFY(first->scalars.isEmpty());

    auto t = parseMetrics(f.file, refFor(kEvents, QStringLiteral("epoch")));
    QVERIFY2(t.ok(), qPrintable(t.errorString()));
    QCOMPARE(t->xName, QStringLiteral("step"));
    QCOMPARE(t->timeName, QStringLiteral("wall_time"));
    QCOMPARE(t->series.size(), 3); // "embedding" (3 floats) is not a scalar
    const MetricSeries &loss = t->series[0];
    QCOMPARE(loss.name, QStringLiteral("train/loss"));
    QCOMPARE(loss.points.size(), 6);
    QCOMPARE(loss.points[0], QPointF(0, 1.0));
    QCOMPARE(loss.points[3], QPointF(3, double(1.0f / 4.0f)));
    QCOMPARE(loss.times.size(), 6);
    QCOMPARE(loss.times[5], 1700000005.0);
    const MetricSeries &acc = t->series[1];
    QCOMPARE(acc.name, QStringLiteral("val/acc"));
    QCOMPARE(acc.points, (QList<QPointF>{QPointF(0, 0), QPointF(2, 0.5), QPointF(4, 1.0)}));
    QCOMPARE(acc.times[1], 1700000002.5);
    QCOMPARE(t->series[2].name, QStringLiteral("lr"));
    QCOMPARE(t->series[2].points, (QList<QPointF>{QPointF(7, 0.125)}));
}

void TestMetricFormats::eventFileByContent()
{
    // Named like nothing in particular: the first record header's CRC tells.
    auto t = parseMetrics(eventFile().file, refFor(QStringLiteral("run/scalars.bin")));
    QVERIFY2(t.ok(), qPrintable(t.errorString()));
    QCOMPARE(t->series.size(), 3);
    QCOMPARE(t->series[0].points.size(), 6);
}

void TestMetricFormats::pythonWrittenFile()
{
    // The fuzz seed, written by a Python script apart from this test's writer
    // (its own CRC-32C): simple_value, float_val, double tensor_content and an
    // int64_val tensor.
    QFile f(QFINDTESTDATA("../fuzz/corpus/tfevents/events.out.tfevents.seed"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    auto t = parseMetrics(f.readAll(), refFor(kEvents));
    QVERIFY2(t.ok(), qPrintable(t.errorString()));
    QCOMPARE(t->series.size(), 4);
    QCOMPARE(t->series[0].name, QStringLiteral("train/loss"));
    QCOMPARE(t->series[0].points,
             (QList<QPointF>{QPointF(0, 1.0), QPointF(1, 0.5), QPointF(2, double(1.0f / 3.0f))}));
    QCOMPARE(t->series[0].times, (QList<double>{1700000000.0, 1700000001.0, 1700000002.0}));
    QCOMPARE(t->series[1].points, (QList<QPointF>{QPointF(3, 0.5)}));
    QCOMPARE(t->series[2].points, (QList<QPointF>{QPointF(4, 0.125)}));
    QCOMPARE(t->series[3].name, QStringLiteral("count"));
    QCOMPARE(t->series[3].points, (QList<QPointF>{QPointF(5, 7)}));
}

void TestMetricFormats::eventTags()
{
    const QByteArray file = eventFile().file;
    auto t =
        parseMetrics(file, refFor(kEvents, {}, {QStringLiteral("lr"), QStringLiteral("val/acc")}));
    QVERIFY2(t.ok(), qPrintable(t.errorString()));
    QCOMPARE(t->series.size(), 2);
    QCOMPARE(t->series[0].name, QStringLiteral("lr"));
    QCOMPARE(t->series[1].name, QStringLiteral("val/acc"));

    t = parseMetrics(file, refFor(kEvents, {}, {QStringLiteral("val/loss")}));
    QVERIFY(!t.ok());
    QCOMPARE(t.errorString(), kEvents + QStringLiteral(" has no tag \"val/loss\" (it has: "
                                                       "train/loss, val/acc, lr)"));
}

void TestMetricFormats::brokenRecords_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("error");

    const Fixture f = eventFile();
    const qsizetype second = f.offsets[1];

    QByteArray dataFlip = f.file;
    dataFlip[second + 12 + 3] = char(dataFlip[second + 12 + 3] ^ 0x01);
    QTest::newRow("flipped data byte")
        << dataFlip << QStringLiteral("record at byte %1: data CRC mismatch").arg(second);

    QByteArray crcFlip = f.file;
    crcFlip[f.offsets[2] - 1] = char(crcFlip[f.offsets[2] - 1] ^ 0x80);
    QTest::newRow("flipped data CRC")
        << crcFlip << QStringLiteral("record at byte %1: data CRC mismatch").arg(second);

    QByteArray lengthFlip = f.file;
    lengthFlip[second] = char(lengthFlip[second] + 1);
    QTest::newRow("flipped length")
        << lengthFlip << QStringLiteral("record at byte %1: length CRC mismatch").arg(second);

    // A length of 2^40 whose CRC checks: refused, never allocated.
    QByteArray huge(12, '\0');
    qToLittleEndian<quint64>(quint64(1) << 40, huge.data());
    qToLittleEndian<quint32>(tfevents::maskedCrc32c(huge.left(8)), huge.data() + 8);
    QTest::newRow("huge length")
        << f.file.left(second) + huge + QByteArray(64, 'x')
        << QStringLiteral("record at byte %1: length 1099511627776 is over the limit of 67108864 "
                          "bytes")
               .arg(second);

    QTest::newRow("garbage") << QByteArray("this is not an event file at all\n")
                             << QStringLiteral("record at byte 0: length CRC mismatch");

    // Framing intact, the protobuf inside is not: a Summary longer than the event.
    const QByteArray badEvent = fixed64Field(1, 1.0) + key(5, 2) + varint(200) + "short";
    QTest::newRow("malformed event")
        << f.file.left(second) + tfevents::frameRecord(badEvent)
        << QStringLiteral("record at byte %1: malformed event").arg(second);
}

void TestMetricFormats::brokenRecords()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, error);
    auto t = parseMetrics(file, refFor(kEvents));
    QVERIFY(!t.ok());
    QVERIFY2(t.errorString().startsWith(kEvents + QStringLiteral(": ") + error),
             qPrintable(t.errorString()));
    QCOMPARE(t.error().kind, Error::Kind::Malformed);

    // The same error when the file comes in pieces, and after it every call fails.
    MetricsAccumulator acc(refFor(kEvents));
    Result<void> r;
    for (qsizetype i = 0; i < file.size() && r.ok(); i += 7)
        r = acc.append(QByteArrayView(file).sliced(i, qMin<qsizetype>(7, file.size() - i)));
    if (r.ok())
        r = acc.finish();
    QVERIFY(!r.ok());
    QCOMPARE(r.errorString(), t.errorString());
    QCOMPARE(acc.table().errorString(), t.errorString());
    QVERIFY(!acc.append("more").ok());
}

void TestMetricFormats::truncatedRecord()
{
    const Fixture f = eventFile();
    const qsizetype last = f.offsets.last();
    // Cut inside the header, then inside the data of the last record.
    for (const qsizetype cut : {last + 5, last + 20}) {
        const QByteArray file = f.file.left(cut);
        auto records = tfevents::readRecords(file);
        QVERIFY2(records.ok(), qPrintable(records.errorString()));
        QVERIFY(records->incomplete);
        QCOMPARE(records->end, last);
        QCOMPARE(records->records.size(), f.offsets.size() - 1);

        auto t = parseMetrics(file, refFor(kEvents));
        QVERIFY2(t.ok(), qPrintable(t.errorString()));
        QCOMPARE(t->series.size(), 2); // "lr" was in the record cut short
        QCOMPARE(t->series[0].points.size(), 6);
    }
    // Reading on from where the complete records ended.
    auto rest = tfevents::readRecords(f.file, last);
    QVERIFY(rest.ok());
    QCOMPARE(rest->records.size(), 1);
    QCOMPARE(rest->end, f.file.size());
    QVERIFY(!rest->incomplete);
}

void TestMetricFormats::everyPrefixOfAnEvent()
{
    // Each cut of a valid event is either a shorter valid event or an error:
    // never a read past the end (ASan would say so in the fuzz target).
    const QByteArray e =
        eventBytes(2.0, 9, QByteArray(floatTensorValue("a", 1.5f) + simpleValue("b", 2.0f)));
    auto whole = tfevents::parseEvent(e);
    QVERIFY(whole.ok());
    QCOMPARE(whole->scalars.size(), 2);
    int errors = 0;
    for (qsizetype n = 0; n < e.size(); ++n) {
        auto cut = tfevents::parseEvent(QByteArrayView(e).first(n));
        if (!cut.ok()) {
            ++errors;
            QCOMPARE(cut.errorString(),
                     QStringLiteral("malformed event (a field is truncated or invalid)"));
        } else {
            QVERIFY(cut->scalars.size() < 2);
        }
    }
    QVERIFY(errors > e.size() / 2);
}

void TestMetricFormats::lightningCsv()
{
    auto t =
        parseMetrics(kLightningCsv, refFor(QStringLiteral("lightning_logs/version_0/metrics.csv"),
                                           QStringLiteral("step")));
    QVERIFY2(t.ok(), qPrintable(t.errorString()));
    QCOMPARE(t->series.size(), 4); // epoch, train_loss, val_loss, val_acc
    QCOMPARE(t->series[0].name, QStringLiteral("epoch"));
    QCOMPARE(t->series[1].name, QStringLiteral("train_loss"));
    QCOMPARE(t->series[1].points, (QList<QPointF>{QPointF(49, 0.92), QPointF(99, 0.81),
                                                  QPointF(149, 0.70), QPointF(199, 0.64)}));
    QCOMPARE(t->series[2].points, (QList<QPointF>{QPointF(99, 0.85), QPointF(199, 0.72)}));
    QCOMPARE(t->series[3].name, QStringLiteral("val_acc"));
    QCOMPARE(t->series[3].points, (QList<QPointF>{QPointF(99, 0.61), QPointF(199, 0.68)}));
    QVERIFY(t->timeName.isEmpty());
}

void TestMetricFormats::jsonLines()
{
    auto t =
        parseMetrics(kJsonLines, refFor(QStringLiteral("metrics.jsonl"), QStringLiteral("step")));
    QVERIFY2(t.ok(), qPrintable(t.errorString()));
    QCOMPARE(t->timeName, QStringLiteral("time"));
    // Keys in the order they first appear (sorted within a line): loss, then acc.
    QCOMPARE(t->series.size(), 2);
    QCOMPARE(t->series[0].name, QStringLiteral("loss"));
    QCOMPARE(t->series[0].points, (QList<QPointF>{QPointF(1, 2.5), QPointF(2, 1.5)}));
    QCOMPARE(t->series[1].name, QStringLiteral("acc"));
    QCOMPARE(t->series[1].points, (QList<QPointF>{QPointF(2, 0.5), QPointF(3, 0.75)}));
    // Seconds since the epoch and ISO 8601 alike.
    QCOMPARE(t->series[1].times, (QList<double>{1700000060, 1700000100}));

    auto bad =
        parseMetrics("{\"step\": 1}\n[1, 2]\n{\"step\": 2}\n", refFor(QStringLiteral("m.jsonl")));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.errorString(), QStringLiteral("m.jsonl:2: not a JSON object"));
}

void TestMetricFormats::partialLineWaits()
{
    MetricsAccumulator acc(refFor(QStringLiteral("metrics.csv"), QStringLiteral("step")));
    QVERIFY(acc.append("step,loss\n1,0.").ok());
    QCOMPARE(acc.format(), MetricsAccumulator::Format::Delimited);
    QCOMPARE(acc.consumed(), qint64(10));
    auto t = acc.table();
    QVERIFY(t.ok());
    QCOMPARE(t->series.size(), 0); // the header only
    QVERIFY(acc.append("5\n2,0.25\n").ok());
    QCOMPARE(acc.consumed(), qint64(23));
    t = acc.table();
    QVERIFY(t.ok());
    QCOMPARE(t->series.size(), 1);
    QCOMPARE(t->series[0].points, (QList<QPointF>{QPointF(1, 0.5), QPointF(2, 0.25)}));

    // Events: nothing of a record until its last byte is there.
    const Fixture f = eventFile(1);
    MetricsAccumulator events(refFor(kEvents));
    QVERIFY(events.append(QByteArrayView(f.file).first(f.offsets[2] - 1)).ok());
    QCOMPARE(events.consumed(), qint64(f.offsets[1]));
    QCOMPARE(events.table()->series.size(), 0);
    QVERIFY(events.append(QByteArrayView(f.file).sliced(f.offsets[2] - 1, 1)).ok());
    QCOMPARE(events.consumed(), qint64(f.offsets[2]));
    QCOMPARE(events.table()->series.size(), 1);
}

void TestMetricFormats::chunkedEqualsWhole_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("x");
    QTest::newRow("tfevents") << eventFile(40).file << kEvents << QString();
    QTest::newRow("tfevents by content")
        << eventFile(3).file << QStringLiteral("scalars") << QString();
    QTest::newRow("lightning csv")
        << kLightningCsv << QStringLiteral("metrics.csv") << QStringLiteral("step");
    QTest::newRow("tsv, CRLF") << QByteArray("step\tloss\r\n1\t0.5\r\n2\t0.4\r\n")
                               << QStringLiteral("m.tsv") << QStringLiteral("step");
    QTest::newRow("json lines") << kJsonLines << QStringLiteral("m.jsonl")
                                << QStringLiteral("step");
    QTest::newRow("json lines by content")
        << QByteArray("\n  " + kJsonLines) << QStringLiteral("m.log") << QStringLiteral("step");
}

void TestMetricFormats::chunkedEqualsWhole()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, name);
    QFETCH(QString, x);
    const MetricRef ref = refFor(name, x);
    auto whole = parseMetrics(file, ref);
    QVERIFY2(whole.ok(), qPrintable(whole.errorString()));
    QVERIFY(!whole->series.isEmpty());
    const QString expected = describe(*whole);

    QRandomGenerator rng(20240607);
    for (int round = 0; round < 50; ++round) {
        MetricsAccumulator acc(ref);
        const int maxChunk = round < 10 ? 3 : 64;
        for (qsizetype i = 0; i < file.size();) {
            const qsizetype n = qMin<qsizetype>(1 + rng.bounded(maxChunk), file.size() - i);
            QVERIFY(acc.append(QByteArrayView(file).sliced(i, n)).ok());
            i += n;
            // Any time in between: no error, at most what the whole file has.
            auto partial = acc.table();
            if (partial.ok())
                QVERIFY(partial->series.size() <= whole->series.size());
        }
        // Complete lines and records all read without finish().
        QCOMPARE(acc.consumed(), qint64(file.size()));
        auto t = acc.table();
        QVERIFY2(t.ok(), qPrintable(t.errorString()));
        QCOMPARE(describe(*t), expected);
    }
}

QTEST_GUILESS_MAIN(TestMetricFormats)
#include "tst_metricformats.moc"
