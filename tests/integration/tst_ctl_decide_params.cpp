// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl's decide --param, checkpoints --pending, status RUN and audit RUN,
// with the real vigilctl on the sandbox cluster: a SLURM job posts a
// checkpoint with typed params through vigil-job and waits; bad values are
// refused with nothing written (no decision.json, no outbox entry); a good
// decision reaches the job, whose `vigil-job decision` and `vigil-job param`
// print the values; the local audit log tells who decided what.
#include "../common/sandboxenv.h"
#include "store/store.h"
#include "vigilctlrunner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <pwd.h>
#include <unistd.h>

using namespace vigil;
using namespace vigil::test;

class TestCtlDecideParams : public QObject
{
    Q_OBJECT
private:
    SandboxEnv m_env;
    QTemporaryDir m_dir;
    QString m_workflow;
    QString m_run;
    QString m_job;
    static constexpr auto kRunRoot = "vigil-ctl-params-runs";

    QStringList ctl(const QString &command, const QStringList &more = {}) const
    {
        return QStringList{QStringLiteral("-F"), m_env.sshConfig, QStringLiteral("--workflow"),
                           m_workflow, command} +
               more;
    }
    QString runDir() const
    {
        return QStringLiteral("/home/%1/%2/%3").arg(m_env.user, QLatin1String(kRunRoot), m_run);
    }
    QStringList decideArgs(const QStringList &more) const
    {
        return ctl(QStringLiteral("decide"), {m_run, QStringLiteral("tune")}) + more;
    }
    // The local store's outbox entries for this run (the store vigilctl uses:
    // $VIGIL_STORE_PATH, which outlives a test run).
    QList<OutboxEntry> outbox()
    {
        Store store(Store::defaultPath());
        QList<OutboxEntry> entries;
        bool done = false;
        store.outbox(this, [&](Result<QList<OutboxEntry>> r) {
            if (r)
                for (const OutboxEntry &e : std::as_const(*r))
                    if (e.runId == m_run)
                        entries << e;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 10000))
            qWarning("the store did not answer");
        return entries;
    }
    QJsonObject pendingTune()
    {
        const CtlResult cps = runCtl(ctl(QStringLiteral("checkpoints"),
                                         {QStringLiteral("--pending"), QStringLiteral("--json"),
                                          QStringLiteral("--run"), m_run}));
        if (cps.exitCode != 0)
            qWarning("%s", qPrintable(cps.describe()));
        for (const QJsonValue &v : cps.jsonArray())
            if (v.toObject().value(QStringLiteral("id")).toString() == QLatin1String("tune"))
                return v.toObject();
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_env = SandboxEnv::load();
        QVERIFY2(m_env.ok(), qPrintable(m_env.error));
        QVERIFY(m_dir.isValid());
        // Posts a checkpoint with four typed params, waits for the decision
        // and writes what vigil-job tells the job into the run directory.
        QFile script(m_dir.filePath(QStringLiteral("job.sh")));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(R"SH(set -e
"$VIGIL_JOB" checkpoint --task "$VIGIL_TASK" --id tune --title "Tune the next stage?" \
    --option go --option stop --default go \
    --param 'lr:number=0.01,min=0.0001,max=0.1' \
    --param 'epochs:integer=5,min=1,max=50' \
    --param 'mode:enum=fast,choices=fast|slow' \
    --param 'warm:boolean=false'
"$VIGIL_JOB" decision --id tune --wait --timeout 170s --json > "$VIGIL_RUN_DIR/decision-seen.json"
"$VIGIL_JOB" param --id tune lr > "$VIGIL_RUN_DIR/lr.txt"
"$VIGIL_JOB" ack --id tune --outcome "trained with lr $(cat "$VIGIL_RUN_DIR/lr.txt")"
)SH");
        script.close();
        m_workflow = m_dir.filePath(QStringLiteral("workflow.toml"));
        QFile wf(m_workflow);
        QVERIFY(wf.open(QIODevice::WriteOnly));
        wf.write(QStringLiteral("[workflow]\nname = \"ctl-params\"\n"
                                "[sites.cluster]\nkind = \"slurm\"\nhost = \"%1\"\n"
                                "partition = \"debug\"\nrun_root = \"%2\"\n"
                                "[tasks.work]\nsite = \"cluster\"\n"
                                "command = [\"sh\", \"job.sh\"]\ninputs = [\"job.sh\"]\n"
                                "[tasks.work.resources]\ntime = \"00:05:00\"\n")
                     .arg(m_env.hostAlias, QLatin1String(kRunRoot))
                     .toUtf8());
        wf.close();

        const CtlResult launch = runCtl(ctl(QStringLiteral("launch"), {QStringLiteral("--json")}));
        QVERIFY2(launch.exitCode == 0, qPrintable(launch.describe()));
        m_run = launch.launchedRun();
        m_job = launch.launchedJob(QStringLiteral("work"));
        QVERIFY2(!m_run.isEmpty() && m_job.toInt() > 0, qPrintable(launch.describe()));
    }

    // 1. checkpoints --pending lists the question with its declared params.
    void pendingListsTheDeclaredParams()
    {
        QJsonObject tune;
        QElapsedTimer timer;
        timer.start();
        while (tune.isEmpty() && timer.elapsed() < 90000) {
            tune = pendingTune();
            if (tune.isEmpty())
                QThread::msleep(500);
        }
        QVERIFY2(!tune.isEmpty(), "the job never posted checkpoint tune");
        QCOMPARE(tune.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        QCOMPARE(tune.value(QStringLiteral("task")).toString(), QStringLiteral("work"));
        const QJsonArray params = tune.value(QStringLiteral("params")).toArray();
        QCOMPARE(params.size(), 4);
        const QJsonObject lr = params.at(0).toObject();
        QCOMPARE(lr.value(QStringLiteral("name")).toString(), QStringLiteral("lr"));
        QCOMPARE(lr.value(QStringLiteral("type")).toString(), QStringLiteral("number"));
        QCOMPARE(lr.value(QStringLiteral("default")).toDouble(), 0.01);
        QCOMPARE(lr.value(QStringLiteral("min")).toDouble(), 0.0001);
        QCOMPARE(lr.value(QStringLiteral("max")).toDouble(), 0.1);
        const QJsonObject mode = params.at(2).toObject();
        QCOMPARE(mode.value(QStringLiteral("type")).toString(), QStringLiteral("enum"));
        QCOMPARE(mode.value(QStringLiteral("choices")).toArray(),
                 (QJsonArray{QStringLiteral("fast"), QStringLiteral("slow")}));
        QVERIFY(params.at(3).toObject().value(QStringLiteral("min")).isNull()); // unbounded

        // The text listing shows them too.
        const CtlResult text =
            runCtl(ctl(QStringLiteral("checkpoints"),
                       {QStringLiteral("--pending"), QStringLiteral("--run"), m_run}));
        QVERIFY2(text.exitCode == 0, qPrintable(text.describe()));
        QVERIFY2(text.out.contains("lr:number=0.01[0.0001..0.1]") &&
                     text.out.contains("mode:enum=\"fast\"{fast|slow}"),
                 qPrintable(text.describe()));
    }

    // 2. status RUN: the task from the run directory and the scheduler.
    void statusShowsTheRun()
    {
        const CtlResult st =
            runCtl(ctl(QStringLiteral("status"), {m_run, QStringLiteral("--json")}));
        QVERIFY2(st.exitCode == 0, qPrintable(st.describe()));
        const QJsonObject doc = st.jsonObject();
        QCOMPARE(doc.value(QStringLiteral("run")).toString(), m_run);
        QCOMPARE(doc.value(QStringLiteral("workflow")).toString(), QStringLiteral("ctl-params"));
        QCOMPARE(doc.value(QStringLiteral("sites")).toArray(),
                 QJsonArray{QStringLiteral("cluster")});
        const QJsonArray tasks = doc.value(QStringLiteral("tasks")).toArray();
        QCOMPARE(tasks.size(), 1);
        const QJsonObject work = tasks.first().toObject();
        QCOMPARE(work.value(QStringLiteral("name")).toString(), QStringLiteral("work"));
        QCOMPARE(work.value(QStringLiteral("site")).toString(), QStringLiteral("cluster"));
        QCOMPARE(work.value(QStringLiteral("job")).toString(), m_job);
        QCOMPARE(work.value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        QCOMPARE(work.value(QStringLiteral("scheduler_state")).toString(),
                 QStringLiteral("RUNNING"));
        QCOMPARE(work.value(QStringLiteral("exit_code")).toInt(), -1);
        QVERIFY(
            QDateTime::fromString(work.value(QStringLiteral("started_at")).toString(), Qt::ISODate)
                .isValid());
        QCOMPARE(work.value(QStringLiteral("ended_at")).toString(), QString());
        const QJsonArray cps = doc.value(QStringLiteral("checkpoints")).toArray();
        QCOMPARE(cps.size(), 1);
        QCOMPARE(cps.first().toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("pending"));

        const CtlResult text = runCtl(ctl(QStringLiteral("status"), {m_run}));
        QVERIFY2(text.exitCode == 0, qPrintable(text.describe()));
        QVERIFY2(text.out.contains(
                     QByteArray("work\tcluster\trunning\t" + m_job.toUtf8() + "\tRUNNING\t-\t")),
                 qPrintable(text.describe()));

        const CtlResult none =
            runCtl(ctl(QStringLiteral("status"), {QStringLiteral("no-such-run")}));
        QCOMPARE(none.exitCode, 1);
        QVERIFY2(none.err.contains("no run \"no-such-run\""), qPrintable(none.describe()));
    }

    // 3. Bad values are refused before anything is written.
    void badParamsAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const auto p = [](const char *v) {
            return QStringList{QStringLiteral("--option"), QStringLiteral("go"),
                               QStringLiteral("--param"), QString::fromUtf8(v)};
        };
        QTest::newRow("not a number") << p("lr=fast") << 1
                                      << "checkpoint tune of run %1: parameter lr (number): "
                                         "expected a number, got \"fast\"";
        QTest::newRow("above max")
            << p("lr=0.5") << 1 << "parameter lr (number): 0.5 is above the maximum 0.1";
        QTest::newRow("below min")
            << p("epochs=0") << 1 << "parameter epochs (integer): 0 is below the minimum 1";
        QTest::newRow("not an integer")
            << p("epochs=2.5") << 1
            << "parameter epochs (integer): expected an integer, got \"2.5\"";
        QTest::newRow("not a choice") << p("mode=medium") << 1
                                      << "parameter mode (enum): \"medium\" is not one of the "
                                         "choices (\"fast\", \"slow\")";
        QTest::newRow("not a boolean")
            << p("warm=yes") << 1
            << "parameter warm (boolean): expected true or false, got \"yes\"";
        QTest::newRow("unknown name") << p("momentum=0.9") << 1
                                      << "checkpoint tune of run %1 has no parameter \"momentum\" "
                                         "(it has: lr, epochs, mode, warm)";
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--option"), QStringLiteral("maybe")} << 1
            << "checkpoint tune of run %1 has no option \"maybe\" (it has: go, stop)";
        QTest::newRow("no value") << p("lr") << 2 << "--param lr: expected NAME=VALUE";
        QTest::newRow("twice") << (p("lr=0.001") + p("lr=0.002").mid(2)) << 2
                               << "--param lr is given twice";
    }

    void badParamsAreRefused()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const CtlResult r = runCtl(decideArgs(args));
        QVERIFY2(r.exitCode == exitCode, qPrintable(r.describe()));
        QVERIFY2(QString::fromUtf8(r.err).contains(message.replace(QStringLiteral("%1"), m_run)),
                 qPrintable(r.describe()));
        // Nothing written: not on the site, not in the outbox.
        QVERIFY(!QFile::exists(runDir() + QStringLiteral("/checkpoints/tune/decision.json")));
        QVERIFY(outbox().isEmpty());
    }

    void stillPendingAfterTheRefusals() { QVERIFY(!pendingTune().isEmpty()); }

    // 4. A good decision reaches the job with its params.
    void paramsReachTheJob()
    {
        const CtlResult r = runCtl(decideArgs(
            {QStringLiteral("--option"), QStringLiteral("go"), QStringLiteral("--param"),
             QStringLiteral("lr=0.001"), QStringLiteral("--param"), QStringLiteral("mode=slow"),
             QStringLiteral("--comment"), QStringLiteral("lower the rate")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY2(r.out.contains("params: lr=0.001 mode=\"slow\"; the others at their defaults"),
                 qPrintable(r.describe()));

        const CtlResult wait =
            runCtl(ctl(QStringLiteral("wait"),
                       {QStringLiteral("--run"), m_run, QStringLiteral("--task"),
                        QStringLiteral("work"), QStringLiteral("--timeout"), QStringLiteral("90")}),
                   120000);
        QVERIFY2(wait.exitCode == 0, qPrintable(wait.describe()));

        // What `vigil-job decision --json` printed in the job: every param,
        // the two given and the defaults of the others.
        QFile seen(runDir() + QStringLiteral("/decision-seen.json"));
        QVERIFY2(seen.open(QIODevice::ReadOnly), qPrintable(seen.fileName()));
        const QJsonObject decision = QJsonDocument::fromJson(seen.readAll()).object();
        QCOMPARE(decision.value(QStringLiteral("option")).toString(), QStringLiteral("go"));
        const QJsonObject params = decision.value(QStringLiteral("params")).toObject();
        QCOMPARE(params.value(QStringLiteral("lr")).toDouble(), 0.001);
        QCOMPARE(params.value(QStringLiteral("mode")).toString(), QStringLiteral("slow"));
        QCOMPARE(params.value(QStringLiteral("epochs")).toInt(), 5);
        QCOMPARE(params.value(QStringLiteral("warm")), QJsonValue(false));
        QFile lr(runDir() + QStringLiteral("/lr.txt"));
        QVERIFY(lr.open(QIODevice::ReadOnly));
        QCOMPARE(lr.readAll().trimmed(), QByteArray("0.001"));

        // No longer pending; --all shows it applied with the params given.
        QVERIFY(pendingTune().isEmpty());
        const CtlResult all = runCtl(
            ctl(QStringLiteral("checkpoints"), {QStringLiteral("--all"), QStringLiteral("--json"),
                                                QStringLiteral("--run"), m_run}));
        QCOMPARE(all.jsonArray().size(), 1);
        const QJsonObject tune = all.jsonArray().first().toObject();
        QCOMPARE(tune.value(QStringLiteral("status")).toString(), QStringLiteral("applied"));
        QCOMPARE(tune.value(QStringLiteral("decided_params")).toObject(),
                 (QJsonObject{{QStringLiteral("lr"), 0.001},
                              {QStringLiteral("mode"), QStringLiteral("slow")}}));
        QCOMPARE(tune.value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("trained with lr 0.001"));

        // status after the end: completed, exit 0, both times.
        const CtlResult st =
            runCtl(ctl(QStringLiteral("status"), {m_run, QStringLiteral("--json")}));
        QVERIFY2(st.exitCode == 0, qPrintable(st.describe()));
        const QJsonObject work =
            st.jsonObject().value(QStringLiteral("tasks")).toArray().first().toObject();
        QCOMPARE(work.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        QCOMPARE(work.value(QStringLiteral("exit_code")).toInt(), 0);
        QVERIFY(!work.value(QStringLiteral("ended_at")).toString().isEmpty());
    }

    // 5. audit RUN: from the local store alone (no registry, no workflow).
    void auditTellsWhoDecidedWhat()
    {
        QTemporaryDir emptyConfig;
        const QByteArray oldConfig = qgetenv("XDG_CONFIG_HOME");
        qputenv("XDG_CONFIG_HOME", emptyConfig.path().toUtf8());
        const CtlResult json = runCtl({QStringLiteral("audit"), m_run, QStringLiteral("--json")});
        const CtlResult text = runCtl({QStringLiteral("audit"), m_run});
        const CtlResult other = runCtl(
            {QStringLiteral("audit"), QStringLiteral("not-a-run"), QStringLiteral("--json")});
        qputenv("XDG_CONFIG_HOME", oldConfig);
        QVERIFY2(json.exitCode == 0, qPrintable(json.describe()));
        QCOMPARE(json.jsonArray().size(), 1);
        const QJsonObject e = json.jsonArray().first().toObject();
        QCOMPARE(e.value(QStringLiteral("run")).toString(), m_run);
        QCOMPARE(e.value(QStringLiteral("site")).toString(), QStringLiteral("cluster"));
        QCOMPARE(e.value(QStringLiteral("checkpoint")).toString(), QStringLiteral("tune"));
        QCOMPARE(e.value(QStringLiteral("option")).toString(), QStringLiteral("go"));
        QCOMPARE(e.value(QStringLiteral("params")).toObject(),
                 (QJsonObject{{QStringLiteral("lr"), 0.001},
                              {QStringLiteral("mode"), QStringLiteral("slow")}}));
        QCOMPARE(e.value(QStringLiteral("comment")).toString(), QStringLiteral("lower the rate"));
        const struct passwd *me = ::getpwuid(::getuid());
        QVERIFY(me);
        QCOMPARE(e.value(QStringLiteral("decided_by")).toString(),
                 QString::fromLocal8Bit(me->pw_name));
        QCOMPARE(e.value(QStringLiteral("client_host")).toString(), QSysInfo::machineHostName());
        QCOMPARE(e.value(QStringLiteral("evidence_sha256")).toString().size(), 64);
        QVERIFY(QDateTime::fromString(e.value(QStringLiteral("decided_at")).toString(), Qt::ISODate)
                    .isValid());
        QVERIFY(
            QDateTime::fromString(e.value(QStringLiteral("confirmed_at")).toString(), Qt::ISODate)
                .isValid());

        QVERIFY2(text.exitCode == 0, qPrintable(text.describe()));
        const QList<QByteArray> lines = text.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2); // the header and the one decision
        QVERIFY2(lines[1].contains("\tcluster\ttune\tgo\tlr=0.001 mode=\"slow\"\t"),
                 lines[1].constData());
        QVERIFY2(lines[1].endsWith("\tlower the rate"), lines[1].constData());

        QCOMPARE(other.exitCode, 0);
        QCOMPARE(other.jsonArray().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCtlDecideParams)
#include "tst_ctl_decide_params.moc"
