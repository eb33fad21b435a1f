// SPDX-License-Identifier: GPL-3.0-or-later
// RunWatch over the local machine with the real vigil-job watch: the scan
// document patched from the stream equals a fresh `vigil-job scan` after
// every kind of change, event lines arrive once each, and a watch started
// again with its cursor replays exactly what it missed.

#include "../common/vigiljob.h"
#include "local/localtransport.h"
#include "sites/runwatch.h"
#include "sites/site.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

class TestRunWatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void patchedDocumentMatchesAFreshScan();
    void eventsArriveOnceAndResumeFromTheCursor();

private:
    QString runDir(const QString &id) const { return m_root + QLatin1Char('/') + id; }
    void postCheckpoint(const QString &run, const QString &id)
    {
        runVigilJob(checkpointArgs(runDir(run), QStringLiteral("train"), id));
    }
    void initRun(const QString &id)
    {
        runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), runDir(id),
                     QStringLiteral("--run-id"), id});
    }
    // The runs of a scan document, for comparison (scanned_at differs).
    static QJsonArray runsOf(const QByteArray &doc)
    {
        return QJsonDocument::fromJson(doc).object().value(QStringLiteral("runs")).toArray();
    }
    QJsonArray freshScan() { return runsOf(runVigilJob({QStringLiteral("scan"), m_root})); }

    QTemporaryDir m_home;
    QString m_root;
    std::unique_ptr<Site> m_site;
};

void TestRunWatch::initTestCase()
{
    QVERIFY(!qEnvironmentVariable("VIGIL_JOB_BINARY").isEmpty());
    QVERIFY(m_home.isValid());
    // The helper is installed under $HOME/.local/share/vigil/bin: a private home.
    qputenv("HOME", m_home.path().toUtf8());
    m_root = m_home.filePath(QStringLiteral("runs"));
    QVERIFY(QDir().mkpath(m_root));
    SiteSpec spec;
    spec.name = QStringLiteral("here");
    spec.kind = SiteSpec::Kind::Local;
    spec.runRoot = m_root;
    m_site = std::make_unique<ProcessSite>(spec, new LocalTransport);
    m_site->transport()->open();
}

void TestRunWatch::patchedDocumentMatchesAFreshScan()
{
    initRun(QStringLiteral("run-a"));
    RunWatch watch(m_site.get());
    QSignalSpy live(&watch, &RunWatch::liveChanged);
    QSignalSpy scans(&watch, &RunWatch::scanChanged);
    watch.start();
    QTRY_VERIFY_WITH_TIMEOUT(watch.isLive(), 15000);
    QTRY_VERIFY(!scans.isEmpty());
    QCOMPARE(runsOf(scans.last().at(0).toByteArray()), freshScan());

    // Each kind of change, then the document must equal a fresh scan.
    const auto settle = [&](const char *what) {
        // The watch polls every second; the coalescing adds 0.1 s.
        if (QTest::qWaitFor([&] { return runsOf(watch.document()) == freshScan(); }, 10000))
            return true;
        qWarning().noquote() << what << "\nwatch:" << watch.document()
                             << "\nscan: " << runVigilJob({QStringLiteral("scan"), m_root});
        return false;
    };
    postCheckpoint(QStringLiteral("run-a"), QStringLiteral("epoch-1"));
    QVERIFY(settle("a new checkpoint"));
    initRun(QStringLiteral("run-b"));
    QVERIFY(settle("a new run"));
    postCheckpoint(QStringLiteral("run-b"), QStringLiteral("lr-check"));
    QVERIFY(settle("a checkpoint in the new run"));
    runVigilJob({QStringLiteral("task-exec"), QStringLiteral("--run-dir"),
                 runDir(QStringLiteral("run-a")), QStringLiteral("--task"), QStringLiteral("prep"),
                 QStringLiteral("--"), QStringLiteral("true")});
    QVERIFY(settle("a task that ran"));
    QVERIFY(QDir(runDir(QStringLiteral("run-a")) + QStringLiteral("/checkpoints/epoch-1"))
                .removeRecursively());
    QVERIFY(settle("a checkpoint removed"));
    QVERIFY(QDir(runDir(QStringLiteral("run-b"))).removeRecursively());
    QVERIFY(settle("a run removed"));
    QCOMPARE(runsOf(watch.document()).size(), 1);
    QCOMPARE(live.size(), 1); // live once, never dropped
    watch.stop();
    QVERIFY(!watch.isLive());
}

void TestRunWatch::eventsArriveOnceAndResumeFromTheCursor()
{
    initRun(QStringLiteral("run-e"));
    RunWatch watch(m_site.get());
    QList<QPair<QString, qint64>> events;
    connect(&watch, &RunWatch::eventArrived, this,
            [&](const QString &run, qint64 offset, const QByteArray &) {
                events.append({run, offset});
            });
    watch.start();
    QTRY_VERIFY_WITH_TIMEOUT(watch.isLive(), 15000);
    postCheckpoint(QStringLiteral("run-e"), QStringLiteral("c1"));
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(events.cbegin(), events.cend(),
                    [](const auto &e) { return e.first == QLatin1String("run-e"); }),
        10000);
    const QString cursorBefore = watch.cursor();
    QVERIFY2(cursorBefore.contains(QLatin1String("run-e=")), qPrintable(cursorBefore));

    // Stopped: what happens meanwhile is replayed from the cursor on restart.
    watch.stop();
    const qsizetype seen = events.size();
    postCheckpoint(QStringLiteral("run-e"), QStringLiteral("c2"));
    postCheckpoint(QStringLiteral("run-e"), QStringLiteral("c3"));
    watch.start();
    QTRY_VERIFY_WITH_TIMEOUT(watch.isLive() && events.size() >= seen + 2, 15000);
    QTest::qWait(1500); // nothing more may come
    // Every event line once: offsets strictly increasing per run, none repeated.
    QSet<QPair<QString, qint64>> unique(events.cbegin(), events.cend());
    QCOMPARE(unique.size(), events.size());
    for (qsizetype i = 1; i < events.size(); ++i)
        if (events[i].first == events[i - 1].first)
            QVERIFY(events[i].second > events[i - 1].second);
    QCOMPARE(events.size(), seen + 2);
    QCOMPARE(watch.starts(), 2);
    QVERIFY(watch.cursor() != cursorBefore);
    // And the document has both checkpoints posted while it was away.
    QTRY_COMPARE_WITH_TIMEOUT(runsOf(watch.document()), freshScan(), 10000);
}

QTEST_GUILESS_MAIN(TestRunWatch)
#include "tst_runwatch.moc"
