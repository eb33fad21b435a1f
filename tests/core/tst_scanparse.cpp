// SPDX-License-Identifier: GPL-3.0-or-later
// parseScan over what the real vigil-job writes and scans.
#include "protocol/decision.h"
#include "protocol/request.h"
#include "runs/runinfo.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

class TestScanParse : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_root;
    QString m_run;

    QByteArray job(const QStringList &args, int expectExit = 0)
    {
        QProcess p;
        p.start(qEnvironmentVariable("VIGIL_JOB_BINARY"), args);
        if (!p.waitForFinished(20000) || p.exitCode() != expectExit)
            qWarning() << args << p.exitCode() << p.readAllStandardError();
        return p.readAllStandardOutput();
    }
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
        job({QStringLiteral("init-run"), QStringLiteral("--run-dir"), m_run,
             QStringLiteral("--run-id"), QStringLiteral("run-1"), QStringLiteral("--workflow-name"),
             QStringLiteral("wf")});
        job(checkpointArgs(QStringLiteral("ended"), QStringLiteral("done-task")));
        job({QStringLiteral("task-exec"), QStringLiteral("--run-dir"), m_run,
             QStringLiteral("--task"), QStringLiteral("done-task"), QStringLiteral("--"),
             QStringLiteral("true")});
        job(checkpointArgs(QStringLiteral("waiting"), QStringLiteral("live-task")));
        job(checkpointArgs(QStringLiteral("answered"), QStringLiteral("live-task")));
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
        job({QStringLiteral("ack"), QStringLiteral("--run-dir"), m_run, QStringLiteral("--id"),
             QStringLiteral("answered"), QStringLiteral("--outcome"), QStringLiteral("stopped")});

        auto runs =
            parseScan(job({QStringLiteral("scan"), m_root.path()}), QStringLiteral("site-a"));
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
