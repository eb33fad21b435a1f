// SPDX-License-Identifier: GPL-3.0-or-later
// Reminders of pending checkpoints: which are due as the deadline nears,
// each once, with rising urgency.
#include "models/reminders.h"

#include <QTest>

using namespace vigil;

namespace {

const QDateTime kCreated(QDate(2026, 11, 27), QTime(8, 0), Qt::UTC);

CheckpointInfo checkpoint(const QString &id, qint64 span, bool withCreation = true)
{
    CheckpointInfo c;
    c.site = QStringLiteral("cluster");
    c.runId = QStringLiteral("run-1");
    c.id = id;
    if (withCreation)
        c.createdAt = kCreated;
    if (span > 0)
        c.deadline = kCreated.addSecs(span);
    return c;
}

QString describe(const QList<Reminders::Reminder> &due)
{
    static const char *names[] = {"low", "normal", "critical"};
    QStringList out;
    for (const Reminders::Reminder &r : due)
        out << QStringLiteral("%1:%2").arg(r.stage).arg(QLatin1String(names[int(r.urgency)]));
    return out.join(QLatin1Char(','));
}

} // namespace

class TestReminders : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void schedule_data()
    {
        QTest::addColumn<qint64>("span"); // deadline - createdAt; 0: no deadline
        QTest::addColumn<bool>("withCreation");
        QTest::addColumn<QList<qint64>>("points");
        QTest::newRow("24 h") << qint64(86400) << true << QList<qint64>{43200, 3600, 600, 60};
        QTest::newRow("30 min: no 1 h point")
            << qint64(1800) << true << QList<qint64>{900, 600, 60};
        QTest::newRow("2 h: half time is the 1 h point")
            << qint64(7200) << true << QList<qint64>{3600, 600, 60};
        QTest::newRow("90 s") << qint64(90) << true << QList<qint64>{60, 45};
        QTest::newRow("no deadline") << qint64(0) << true << QList<qint64>{};
        QTest::newRow("no creation time") << qint64(86400) << false << QList<qint64>{3600, 600, 60};
    }
    void schedule()
    {
        QFETCH(qint64, span);
        QFETCH(bool, withCreation);
        QFETCH(QList<qint64>, points);
        QCOMPARE(Reminders::schedule(checkpoint(QStringLiteral("a"), span, withCreation)), points);
    }

    // One checkpoint looked at, in order, at `checks` (seconds after its
    // creation); `expected`: what each look gives ("stage:urgency", "" none).
    void due_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<bool>("withCreation");
        QTest::addColumn<QList<qint64>>("checks");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("24 h, every point once")
            << qint64(86400) << true << QList<qint64>{0,     43199, 43200, 43300, 82799, 82800,
                                                      83000, 85800, 86340, 86399, 86400}
            << QStringList{QString(),
                           QString(),
                           QStringLiteral("0:low"),
                           QString(),
                           QString(),
                           QStringLiteral("1:normal"),
                           QString(),
                           QStringLiteral("2:critical"),
                           QStringLiteral("3:critical"),
                           QString(),
                           QString()};
        QTest::newRow("several passed between looks: only the latest")
            << qint64(86400) << true << QList<qint64>{0, 86000, 86399}
            << QStringList{QString(), QStringLiteral("2:critical"), QStringLiteral("3:critical")};
        QTest::newRow("first seen late: silent until the next point")
            << qint64(86400) << true << QList<qint64>{85000, 85500, 85800}
            << QStringList{QString(), QString(), QStringLiteral("2:critical")};
        QTest::newRow("30 min") << qint64(1800) << true << QList<qint64>{0, 900, 1200, 1740}
                                << QStringList{QString(), QStringLiteral("0:normal"),
                                               QStringLiteral("1:critical"),
                                               QStringLiteral("2:critical")};
        QTest::newRow("deadline passed between looks: none")
            << qint64(1800) << true << QList<qint64>{0, 1900} << QStringList{QString(), QString()};
        QTest::newRow("seen after the deadline: none")
            << qint64(1800) << true << QList<qint64>{2000, 2100}
            << QStringList{QString(), QString()};
        QTest::newRow("no deadline: never")
            << qint64(0) << true << QList<qint64>{0, 100000, 1000000}
            << QStringList{QString(), QString(), QString()};
        QTest::newRow("no creation time: 1 h, 10 min, 1 min")
            << qint64(86400) << false << QList<qint64>{0, 82800, 85800, 86340}
            << QStringList{QString(), QStringLiteral("0:normal"), QStringLiteral("1:critical"),
                           QStringLiteral("2:critical")};
    }
    void due()
    {
        QFETCH(qint64, span);
        QFETCH(bool, withCreation);
        QFETCH(QList<qint64>, checks);
        QFETCH(QStringList, expected);
        QCOMPARE(checks.size(), expected.size());
        const CheckpointInfo c = checkpoint(QStringLiteral("epoch-3"), span, withCreation);
        Reminders reminders;
        for (qsizetype i = 0; i < checks.size(); ++i) {
            const QDateTime now = kCreated.addSecs(checks.at(i));
            const auto due = reminders.due({c}, now);
            QVERIFY2(describe(due) == expected.at(i),
                     qPrintable(QStringLiteral("at +%1 s: got \"%2\", expected \"%3\"")
                                    .arg(checks.at(i))
                                    .arg(describe(due), expected.at(i))));
            for (const Reminders::Reminder &r : due) {
                QCOMPARE(r.key, c.key());
                QCOMPARE(r.runId, c.runId);
                QCOMPARE(r.secondsLeft, now.secsTo(c.deadline));
            }
        }
    }

    void eachCheckpointApart()
    {
        Reminders reminders;
        const CheckpointInfo a = checkpoint(QStringLiteral("a"), 1800);
        const CheckpointInfo b = checkpoint(QStringLiteral("b"), 86400);
        QVERIFY(reminders.due({a, b}, kCreated).isEmpty());
        const auto due = reminders.due({a, b}, kCreated.addSecs(1200));
        QCOMPARE(due.size(), 1);
        QCOMPARE(due.first().key, a.key());
        QCOMPARE(describe(reminders.due({a, b}, kCreated.addSecs(43200))), QStringLiteral("0:low"));
    }

    // A checkpoint decided (no longer pending) is forgotten: seen pending
    // again, it starts afresh (what has passed is not reminded).
    void forgottenWhenNoLongerPending()
    {
        Reminders reminders;
        const CheckpointInfo a = checkpoint(QStringLiteral("a"), 1800);
        QVERIFY(reminders.due({a}, kCreated).isEmpty());
        QVERIFY(reminders.due({}, kCreated.addSecs(100)).isEmpty());
        QVERIFY(reminders.due({a}, kCreated.addSecs(1000)).isEmpty());
        QCOMPARE(describe(reminders.due({a}, kCreated.addSecs(1200))),
                 QStringLiteral("1:critical"));
    }

    void urgencyAt_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<qint64>("at");
        QTest::addColumn<int>("urgency");
        QTest::newRow("no deadline") << qint64(0) << qint64(0) << int(Reminders::Urgency::Normal);
        QTest::newRow("a day left") << qint64(86400) << qint64(0) << int(Reminders::Urgency::Low);
        QTest::newRow("1 h left") << qint64(86400) << qint64(82800)
                                  << int(Reminders::Urgency::Normal);
        QTest::newRow("5 min left")
            << qint64(86400) << qint64(86100) << int(Reminders::Urgency::Critical);
    }
    void urgencyAt()
    {
        QFETCH(qint64, span);
        QFETCH(qint64, at);
        QFETCH(int, urgency);
        QCOMPARE(
            int(Reminders::urgencyAt(checkpoint(QStringLiteral("a"), span), kCreated.addSecs(at))),
            urgency);
    }
};

QTEST_GUILESS_MAIN(TestReminders)
#include "tst_reminders.moc"
