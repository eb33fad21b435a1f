// SPDX-License-Identifier: GPL-3.0-or-later
// parseScan over what the real vigil-job writes and scans.
#include "../common/vigiljob.h"
#include "protocol/decision.h"
#include "protocol/request.h"
#include "runs/runinfo.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
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

    // A checkpoint's declared params and a decision's params, from what the
    // real vigil-job writes and scans.
    void paramsFromTheScan()
    {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        const QString run = root.filePath(QStringLiteral("run-p"));
        runVigilJob({QStringLiteral("init-run"), QStringLiteral("--run-dir"), run,
                     QStringLiteral("--run-id"), QStringLiteral("run-p")});
        const QStringList params{QStringLiteral("--param"),
                                 QStringLiteral("lr:number=0.01,min=0.0001,max=0.1,label=Rate"),
                                 QStringLiteral("--param"),
                                 QStringLiteral("epochs:integer=5,min=1"),
                                 QStringLiteral("--param"),
                                 QStringLiteral("mode:enum=fast,choices=fast|slow"),
                                 QStringLiteral("--param"),
                                 QStringLiteral("warm:boolean=false"),
                                 QStringLiteral("--param"),
                                 QStringLiteral("note:string=hi")};
        for (const QString &id : {QStringLiteral("open"), QStringLiteral("done")})
            runVigilJob(vigil::test::checkpointArgs(run, QStringLiteral("t"), id, params));
        QFile req(run + QStringLiteral("/checkpoints/done/request.json"));
        QVERIFY(req.open(QIODevice::ReadOnly));
        auto request = protocol::parseRequest(req.readAll().toStdString());
        QVERIFY(request.ok());
        auto decision = protocol::makeDecision(*request, "go", {{"lr", 0.001}, {"epochs", 7}}, "",
                                               "alice", "desk", "", protocol::now());
        QVERIFY(decision.ok());
        QFile dec(run + QStringLiteral("/checkpoints/done/decision.json"));
        QVERIFY(dec.open(QIODevice::NewOnly));
        dec.write(QByteArray::fromStdString(protocol::serializeDecision(*decision)));
        dec.close();

        auto runs =
            parseScan(runVigilJob({QStringLiteral("scan"), root.path()}), QStringLiteral("s"));
        QVERIFY2(runs.ok(), qPrintable(runs.errorString()));
        QCOMPARE(runs->size(), 1);
        std::optional<CheckpointInfo> open, done;
        for (const CheckpointInfo &c : runs->first().checkpoints)
            (c.id == QLatin1String("open") ? open : done) = c;
        QVERIFY(open && done);
        const QList<CheckpointParam> expected{{QStringLiteral("lr"),
                                               QStringLiteral("Rate"),
                                               QStringLiteral("number"),
                                               0.01,
                                               0.0001,
                                               0.1,
                                               {}},
                                              {QStringLiteral("epochs"),
                                               QString(),
                                               QStringLiteral("integer"),
                                               5,
                                               1,
                                               QJsonValue(),
                                               {}},
                                              {QStringLiteral("mode"),
                                               QString(),
                                               QStringLiteral("enum"),
                                               QStringLiteral("fast"),
                                               QJsonValue(),
                                               QJsonValue(),
                                               {QStringLiteral("fast"), QStringLiteral("slow")}},
                                              {QStringLiteral("warm"),
                                               QString(),
                                               QStringLiteral("boolean"),
                                               false,
                                               QJsonValue(),
                                               QJsonValue(),
                                               {}},
                                              {QStringLiteral("note"),
                                               QString(),
                                               QStringLiteral("string"),
                                               QStringLiteral("hi"),
                                               QJsonValue(),
                                               QJsonValue(),
                                               {}}};
        QCOMPARE(open->params, expected);
        QCOMPARE(open->status, CheckpointInfo::Status::Pending);
        QVERIFY(open->decidedParams.isEmpty());
        QCOMPARE(open->findParam(QStringLiteral("mode"))->choices.size(), 2);
        QCOMPARE(open->findParam(QStringLiteral("nope")), nullptr);
        QCOMPARE(done->status, CheckpointInfo::Status::Decided);
        QCOMPARE(done->decidedParams,
                 (QJsonObject{{QStringLiteral("lr"), 0.001}, {QStringLiteral("epochs"), 7}}));
    }

    // A param value typed as text, checked with the protocol's rules.
    void paramValueFromText_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QJsonValue>("value"); // Undefined: refused
        QTest::addColumn<QString>("message");
        const QJsonValue no(QJsonValue::Undefined);
        // number: min 0.0001, max 0.1; integer: min 1, max 50.
        QTest::newRow("number") << "number"
                                << "0.001" << QJsonValue(0.001) << QString();
        QTest::newRow("number at max") << "number"
                                       << "0.1" << QJsonValue(0.1) << QString();
        QTest::newRow("number exponent") << "number"
                                         << "1e-3" << QJsonValue(0.001) << QString();
        QTest::newRow("number word") << "number"
                                     << "fast" << no << "expected a number, got \"fast\"";
        QTest::newRow("number empty") << "number"
                                      << "" << no << "expected a number, got \"\"";
        QTest::newRow("number inf") << "number"
                                    << "inf" << no << "expected a number, got \"inf\"";
        QTest::newRow("number nan") << "number"
                                    << "nan" << no << "expected a number, got \"nan\"";
        QTest::newRow("number above") << "number"
                                      << "0.5" << no << "0.5 is above the maximum 0.1";
        QTest::newRow("number below") << "number"
                                      << "0.00001" << no << "1e-05 is below the minimum 0.0001";
        QTest::newRow("integer") << "integer"
                                 << "7" << QJsonValue(7) << QString();
        QTest::newRow("integer at min") << "integer"
                                        << "1" << QJsonValue(1) << QString();
        QTest::newRow("integer fraction") << "integer"
                                          << "2.5" << no << "expected an integer, got \"2.5\"";
        QTest::newRow("integer huge") << "integer"
                                      << "99999999999999999999" << no << "expected an integer";
        QTest::newRow("integer below") << "integer"
                                       << "0" << no << "0 is below the minimum 1";
        QTest::newRow("integer above") << "integer"
                                       << "51" << no << "51 is above the maximum 50";
        QTest::newRow("true") << "boolean"
                              << "true" << QJsonValue(true) << QString();
        QTest::newRow("false") << "boolean"
                               << "false" << QJsonValue(false) << QString();
        QTest::newRow("boolean yes") << "boolean"
                                     << "yes" << no << "expected true or false, got \"yes\"";
        QTest::newRow("boolean 1") << "boolean"
                                   << "1" << no << "expected true or false";
        QTest::newRow("enum") << "enum"
                              << "slow" << QJsonValue(QStringLiteral("slow")) << QString();
        QTest::newRow("enum other")
            << "enum"
            << "medium" << no << "\"medium\" is not one of the choices (\"fast\", \"slow\")";
        QTest::newRow("enum case") << "enum"
                                   << "Slow" << no << "is not one of the choices";
        QTest::newRow("string") << "string"
                                << "a b=c" << QJsonValue(QStringLiteral("a b=c")) << QString();
        QTest::newRow("string empty") << "string"
                                      << "" << QJsonValue(QString()) << QString();
    }
    void paramValueFromText()
    {
        QFETCH(QString, type);
        QFETCH(QString, text);
        QFETCH(QJsonValue, value);
        QFETCH(QString, message);
        CheckpointParam p{QStringLiteral("p"), QString(),    type, QJsonValue(),
                          QJsonValue(),        QJsonValue(), {}};
        if (type == QLatin1String("number")) {
            p.defaultValue = 0.01;
            p.min = 0.0001;
            p.max = 0.1;
        } else if (type == QLatin1String("integer")) {
            p.defaultValue = 5;
            p.min = 1;
            p.max = 50;
        } else if (type == QLatin1String("enum")) {
            p.defaultValue = QStringLiteral("fast");
            p.choices = {QStringLiteral("fast"), QStringLiteral("slow")};
        } else if (type == QLatin1String("boolean")) {
            p.defaultValue = false;
        } else {
            p.defaultValue = QString();
        }
        const auto r = vigil::paramValueFromText(p, text);
        if (value.isUndefined()) {
            QVERIFY2(!r.ok(), qPrintable(text));
            QVERIFY2(r.errorString().contains(message), qPrintable(r.errorString()));
            return;
        }
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(*r, value);
        QVERIFY(checkParamValue(p, *r).ok());
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
