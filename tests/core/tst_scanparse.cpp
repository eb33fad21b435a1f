// SPDX-License-Identifier: GPL-3.0-or-later
// parseScan over what the real vigil-job writes and scans.
#include "../common/vigiljob.h"
#include "protocol/decision.h"
#include "protocol/request.h"
#include "runs/runinfo.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using namespace vigil;
using namespace vigil::test;

class TestScanParse : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_root;
    QString m_run;

    QStringList checkpointArgs(const QString &id, const QString &task)
    {
        return {QStringLiteral("checkpoint"),
                QStringLiteral("--run-dir"),
                m_run,
                QStringLiteral("--task"),
                task,
                QStringLiteral("--id"),
                id,
                QStringLiteral("--title"),
                QStringLiteral("Go on?"),
                QStringLiteral("--option"),
                QStringLiteral("continue=Continue"),
                QStringLiteral("--option"),
                QStringLiteral("stop"),
                QStringLiteral("--default"),
                QStringLiteral("continue"),
                QStringLiteral("--metrics"),
                QStringLiteral("metrics/m.csv,x=epoch,columns=loss")};
    }

private Q_SLOTS:
    void statusesFromARealRunDirectory()
    {
        m_run = m_root.filePath(QStringLiteral("run-1"));
        runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), m_run,
                     QStringLiteral("--run-id"), QStringLiteral("run-1"),
                     QStringLiteral("--workflow-name"), QStringLiteral("wf")});
        runVigilJob(checkpointArgs(QStringLiteral("ended"), QStringLiteral("done-task")));
        runVigilJob({QStringLiteral("task-exec"), QStringLiteral("--run-dir"), m_run,
                     QStringLiteral("--task"), QStringLiteral("done-task"), QStringLiteral("--"),
                     QStringLiteral("true")});
        runVigilJob(checkpointArgs(QStringLiteral("waiting"), QStringLiteral("live-task")));
        runVigilJob(checkpointArgs(QStringLiteral("answered"), QStringLiteral("live-task")));
        QVERIFY(QDir().mkpath(m_run + QStringLiteral("/checkpoints/garbled")));
        QFile bad(m_run + QStringLiteral("/checkpoints/garbled/request.json"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{not json");
        bad.close();

        // Decide "answered" the way the desktop does, and let the job ack it.
        QFile req(m_run + QStringLiteral("/checkpoints/answered/request.json"));
        QVERIFY(req.open(QIODevice::ReadOnly));
        auto request = protocol::parseRequest(req.readAll().toStdString());
        QVERIFY(request.ok());
        auto decision = protocol::makeDecision(*request, "stop", nlohmann::json::object(), "",
                                               "alice", "desk", "", protocol::now());
        QVERIFY(decision.ok());
        QFile dec(m_run + QStringLiteral("/checkpoints/answered/decision.json"));
        QVERIFY(dec.open(QIODevice::NewOnly));
        dec.write(QByteArray::fromStdString(protocol::serializeDecision(*decision)));
        dec.close();
        runVigilJob({QStringLiteral("ack"), QStringLiteral("--run-dir"), m_run,
                     QStringLiteral("--id"), QStringLiteral("answered"),
                     QStringLiteral("--outcome"), QStringLiteral("stopped")});

        auto runs = parseScan(runVigilJob({QStringLiteral("scan"), m_root.path()}),
                              QStringLiteral("site-a"));
        QVERIFY2(runs.ok(), qPrintable(runs.errorString()));
        QCOMPARE(runs->size(), 1);
        const RunInfo &run = runs->first();
        QCOMPARE(run.runId, QStringLiteral("run-1"));
        QCOMPARE(run.workflowName, QStringLiteral("wf"));
        QHash<QString, CheckpointInfo> byId;
        for (const CheckpointInfo &c : run.checkpoints)
            byId.insert(c.id, c);
        QCOMPARE(byId.size(), 4);

        const CheckpointInfo waiting = byId.value(QStringLiteral("waiting"));
        QCOMPARE(waiting.status, CheckpointInfo::Status::Pending);
        QCOMPARE(waiting.site, QStringLiteral("site-a"));
        QCOMPARE(waiting.options.size(), 2);
        QCOMPARE(waiting.options[0].label, QStringLiteral("Continue"));
        QVERIFY(waiting.options[0].isDefault);
        QCOMPARE(waiting.metrics.size(), 1);
        QCOMPARE(waiting.metrics[0].x, QStringLiteral("epoch"));
        QCOMPARE(waiting.metrics[0].columns, QStringList{QStringLiteral("loss")});
        QCOMPARE(waiting.nonce.size(), 32);

        QCOMPARE(byId.value(QStringLiteral("ended")).status, CheckpointInfo::Status::Closed);
        QVERIFY(byId.value(QStringLiteral("ended")).problem.contains(QStringLiteral("done-task")));

        const CheckpointInfo answered = byId.value(QStringLiteral("answered"));
        QCOMPARE(answered.status, CheckpointInfo::Status::Applied);
        QCOMPARE(answered.decidedBy, QStringLiteral("alice"));
        QCOMPARE(answered.decidedOption, QStringLiteral("stop"));
        QCOMPARE(answered.outcome, QStringLiteral("stopped"));

        const CheckpointInfo garbled = byId.value(QStringLiteral("garbled"));
        QCOMPARE(garbled.status, CheckpointInfo::Status::Broken);
        QVERIFY2(garbled.problem.contains(QStringLiteral("request.json")),
                 qPrintable(garbled.problem));

        bool sawTask = false;
        for (const TaskRunInfo &t : run.tasks)
            if (t.name == QLatin1String("done-task")) {
                sawTask = true;
                QCOMPARE(t.state, QStringLiteral("completed"));
                QCOMPARE(t.exitCode, 0);
            }
        QVERIFY(sawTask);
    }

    // Names a job (or anyone who can write the run root) may give directories:
    // what parseScan makes of them never holds a control character, a tasks/
    // entry that is no task is a problem (not a nameless task), and dot-names
    // (temporaries: no id starts with '.') are not listed.
    void hostileDirectoryNames()
    {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        const QString escape = QStringLiteral("\x1b]0;PWNED\x07");
        const QString c1 = QString(QChar(0x9b)) + QStringLiteral("31m");
        for (const QString &run : {QStringLiteral("run-1"), QStringLiteral("tmp-run")})
            runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"),
                         root.filePath(run), QStringLiteral("--run-id"), run});
        // A run directory renamed to a name that is no id, and a hidden one.
        QVERIFY(QDir().rename(root.filePath(QStringLiteral("tmp-run")),
                              root.filePath(QStringLiteral("bad") + escape)));
        QVERIFY(QDir().mkpath(root.filePath(QStringLiteral(".hidden-run"))));
        QVERIFY(QFile::copy(root.filePath(QStringLiteral("run-1/run.json")),
                            root.filePath(QStringLiteral(".hidden-run/run.json"))));
        const QString run1 = root.filePath(QStringLiteral("run-1"));
        for (const QString &dir :
             QStringList{QStringLiteral("/tasks/esc") + escape, QStringLiteral("/tasks/c1") + c1,
                         QStringLiteral("/tasks/.tmp"), QStringLiteral("/checkpoints/x y"),
                         QStringLiteral("/checkpoints/.request.json.tmp-1-ab")})
            QVERIFY(QDir().mkpath(run1 + dir));

        auto runs =
            parseScan(runVigilJob({QStringLiteral("scan"), root.path()}), QStringLiteral("s"));
        QVERIFY2(runs.ok(), qPrintable(runs.errorString()));
        QCOMPARE(runs->size(), 2);
        const auto isControl = [](QChar c) {
            return c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() <= 0x9f);
        };
        QStringList problems;
        for (const RunInfo &r : std::as_const(*runs)) {
            QVERIFY2(!std::any_of(r.runId.cbegin(), r.runId.cend(), isControl),
                     qPrintable(QString::fromLatin1(r.runId.toUtf8().toPercentEncoding())));
            QVERIFY(r.checkpoints.isEmpty());
            for (const TaskRunInfo &t : r.tasks)
                QVERIFY2(!t.name.isEmpty(), "a nameless task");
            QVERIFY(r.tasks.isEmpty());
            problems += r.problems;
        }
        QCOMPARE(runs->at(0).runId, QStringLiteral("\"bad\\x1b]0;PWNED\\x07\""));
        QCOMPARE(runs->at(1).runId, QStringLiteral("run-1"));
        for (const QString &p : std::as_const(problems))
            QVERIFY2(!std::any_of(p.cbegin(), p.cend(), isControl),
                     qPrintable(QString::fromLatin1(p.toUtf8().toPercentEncoding())));
        QCOMPARE(runs->at(0).problems,
                 QStringList{QStringLiteral("invalid run directory name \"bad\\x1b]0;PWNED\\x07\": "
                                            "byte 0x1b at position 3 is not allowed (use A-Z a-z "
                                            "0-9 . _ -)")});
        const QStringList expected{
            QStringLiteral("tasks: invalid name \"c1\\xc2\\x9b31m\": byte 0xc2 at position 2 is "
                           "not allowed (use A-Z a-z 0-9 . _ -)"),
            QStringLiteral("tasks: invalid name \"esc\\x1b]0;PWNED\\x07\": byte 0x1b at position 3 "
                           "is not allowed (use A-Z a-z 0-9 . _ -)"),
            QStringLiteral("checkpoints: invalid name \"x y\": byte 0x20 at position 1 is not "
                           "allowed (use A-Z a-z 0-9 . _ -)")};
        QCOMPARE(runs->at(1).problems, expected);
    }

    void rejectsWhatIsNotAScan_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << QByteArray("vigil-job: oops") << QStringLiteral("not JSON");
        QTest::newRow("other doc")
            << QByteArray("{\"format\":{\"name\":\"vigil.run\",\"version\":\"1.0\"}}")
            << QStringLiteral("not a vigil.scan");
        QTest::newRow("newer major")
            << QByteArray("{\"format\":{\"name\":\"vigil.scan\",\"version\":\"2.0\"},\"runs\":[]}")
            << QStringLiteral("upgrade Vigil");
    }
    void rejectsWhatIsNotAScan()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        auto r = parseScan(json, QStringLiteral("site-a"));
        QVERIFY(!r.ok());
        QVERIFY2(r.errorString().contains(message), qPrintable(r.errorString()));
        QVERIFY(r.errorString().contains(QStringLiteral("site-a")));
    }
};

QTEST_GUILESS_MAIN(TestScanParse)
#include "tst_scanparse.moc"
