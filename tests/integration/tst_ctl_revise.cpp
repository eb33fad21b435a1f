// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl revise RUN FILE, a run-time change, as processes on the sandbox
// cluster, on one SLURM site: prep -> train (15 s), and a gate `review` after
// prep whose option go enables report (after review and train): report is
// the engine's, not submitted until the gate is decided.
// While `vigilctl follow` runs the engine and train runs, `revise --dry-run`
// shows the diff and publishes nothing; `revise` publishes revision 2: it adds
// evaluate after train and changes report's MODE. The engine applies it:
// evaluate runs once, after train ended; review is decided go and report
// runs with the new MODE;
// train is not submitted again; the run ends done. A later revise that
// changes train is refused (exit 1, naming train) and publishes nothing;
// `revise --list` shows revision 2 in effect.
#include "../common/sandboxenv.h"
#include "vigilctlrunner.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace vigil::test;

class TestCtlRevise : public QObject
{
    Q_OBJECT
private:
    SandboxEnv m_env;
    QTemporaryDir m_dir;
    QString m_workflow;
    QString m_run;
    static constexpr auto kRunRoot = "vigil-ctl-revise-runs";

    QString home() const { return QStringLiteral("/home/%1/").arg(m_env.user); }
    QString runDir() const { return home() + QLatin1String(kRunRoot) + QLatin1Char('/') + m_run; }
    QStringList ctl(const QStringList &args) const
    {
        return QStringList{QStringLiteral("-F"), m_env.sshConfig} + args;
    }
    QStringList revisionFiles() const
    {
        return QDir(runDir() + QStringLiteral("/revisions")).entryList(QDir::Files, QDir::Name);
    }

    // The workflow; `revised`: evaluate added after train, report's MODE
    // changed; `trainChanged`: train's command changed as well.
    QString workflowText(bool revised, bool trainChanged = false) const
    {
        const QString site =
            QStringLiteral("kind = \"slurm\"\nhost = \"%1\"\npartition = \"%2\"\n")
                .arg(m_env.hostAlias, m_env.value(QStringLiteral("VIGIL_SANDBOX_PARTITION")));
        QString text =
            QStringLiteral("[workflow]\nname = \"ctl-revise\"\n"
                           "[sites.cluster]\n%1run_root = \"%2\"\n"
                           "[tasks.prep]\nsite = \"cluster\"\n"
                           "command = [\"sh\", \"-c\", \"echo \\\"$SLURM_JOB_ID\\\" >> "
                           "prep-runs.txt\"]\n"
                           "[tasks.prep.resources]\ntime = \"00:05:00\"\n"
                           "[tasks.train]\nsite = \"cluster\"\nafter = [\"prep\"]\n"
                           "command = [\"sh\", \"-c\", \"echo \\\"$SLURM_JOB_ID\\\" >> "
                           "train-runs.txt; sleep %3; echo trained > train.marker\"]\n"
                           "[tasks.train.resources]\ntime = \"00:05:00\"\n"
                           "[tasks.review]\nkind = \"gate\"\nafter = [\"prep\"]\n"
                           "question = \"Report?\"\n"
                           "options = [{ name = \"go\", enables = [\"report\"] },\n"
                           "           { name = \"stop\", skips = [\"report\"] }]\n"
                           "[tasks.report]\nsite = \"cluster\"\nafter = [\"review\", "
                           "\"train\"]\n"
                           "command = [\"sh\", \"-c\", \"echo \\\"$MODE\\\" > report-mode.txt\"]\n"
                           "[tasks.report.environment]\nMODE = \"%4\"\n")
                .arg(site, QLatin1String(kRunRoot),
                     trainChanged ? QStringLiteral("1") : QStringLiteral("15"),
                     revised ? QStringLiteral("long") : QStringLiteral("short"));
        if (revised)
            text += QStringLiteral(
                "[tasks.evaluate]\nsite = \"cluster\"\nafter = [\"train\"]\n"
                "command = [\"sh\", \"-c\", \"echo \\\"$SLURM_JOB_ID\\\" >> evaluate-runs.txt; "
                "cat train.marker > evaluated.txt\"]\n"
                "[tasks.evaluate.resources]\ntime = \"00:05:00\"\n");
        return text;
    }
    QString writeFile(const QString &name, const QString &text) const
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(text.toUtf8());
        return path;
    }
    std::unique_ptr<Follow> startFollow()
    {
        auto f = std::make_unique<Follow>();
        f->process.start(
            qEnvironmentVariable("VIGILCTL"),
            ctl({QStringLiteral("--workflow"), m_workflow, QStringLiteral("follow"), m_run,
                 QStringLiteral("--json"), QStringLiteral("--poll"), QStringLiteral("1"),
                 QStringLiteral("--lease-heartbeat"), QStringLiteral("1000")}));
        if (!f->process.waitForStarted(10000))
            qWarning("vigilctl follow did not start: %s", qPrintable(f->process.errorString()));
        return f;
    }
    static bool sawTask(const Follow &f, const QString &task, const QString &state)
    {
        for (const QJsonObject &e : f.events)
            if (e.value(QStringLiteral("event")).toString() == QLatin1String("task") &&
                e.value(QStringLiteral("task")).toString() == task &&
                e.value(QStringLiteral("state")).toString() == state)
                return true;
        return false;
    }

    // The engine of `f` submitted the task's first attempt, and it worked.
    static bool submitted(const Follow &f, const QString &task)
    {
        for (const QJsonObject &e : f.events)
            if (e.value(QStringLiteral("event")).toString() == QLatin1String("action") &&
                e.value(QStringLiteral("ok")).toBool() &&
                e.value(QStringLiteral("action"))
                    .toString()
                    .startsWith(QStringLiteral("submit %1#1").arg(task)) &&
                !e.value(QStringLiteral("what")).toString().contains(QStringLiteral("adopted")))
                return true;
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_env = SandboxEnv::load();
        QVERIFY2(m_env.ok(), qPrintable(m_env.error));
        QVERIFY(m_dir.isValid());
        m_workflow = writeFile(QStringLiteral("workflow.toml"), workflowText(false));
    }

    void reviseWhileTrainRuns()
    {
        const CtlResult launch =
            runCtl(ctl({QStringLiteral("launch"), m_workflow, QStringLiteral("--json")}));
        QVERIFY2(launch.exitCode == 0, qPrintable(launch.describe()));
        m_run = launch.launchedRun();
        QVERIFY2(!m_run.isEmpty(), qPrintable(launch.describe()));
        QCOMPARE(launch.jsonObject().value(QStringLiteral("engine_tasks")).toArray(),
                 QJsonArray{QStringLiteral("report")});

        auto follow = startFollow();
        QVERIFY2(follow->waitFor(
                     [&] {
                         return sawTask(*follow, QStringLiteral("train"),
                                        QStringLiteral("running"));
                     },
                     40000),
                 qPrintable(follow->describe()));

        const QString revised = writeFile(QStringLiteral("new.toml"), workflowText(true));
        // --dry-run: the same diff, checked, nothing published.
        const CtlResult dry =
            runCtl(ctl({QStringLiteral("revise"), m_run, revised, QStringLiteral("--dry-run")}));
        QVERIFY2(dry.exitCode == 0, qPrintable(dry.describe()));
        QVERIFY2(dry.out.contains("+ task evaluate (after train)\n"), qPrintable(dry.describe()));
        QVERIFY2(dry.out.contains("dry run: revision 2 is acceptable now"),
                 qPrintable(dry.describe()));
        QCOMPARE(revisionFiles(), QStringList());

        const CtlResult revise =
            runCtl(ctl({QStringLiteral("revise"), m_run, revised, QStringLiteral("--comment"),
                        QStringLiteral("evaluate too; a long report")}));
        QVERIFY2(revise.exitCode == 0, qPrintable(revise.describe()));
        QVERIFY2(revise.out.startsWith(QStringLiteral("run %1: revision 2 from revision 1 "
                                                      "(workflow.toml)\n")
                                           .arg(m_run)
                                           .toUtf8()),
                 qPrintable(revise.describe()));
        QVERIFY2(revise.out.contains("+ task evaluate (after train)\n"),
                 qPrintable(revise.describe()));
        QVERIFY2(revise.out.contains("~ report.environment.MODE: short -> long\n"),
                 qPrintable(revise.describe()));
        QVERIFY2(revise.out.contains("--- workflow.toml\n+++ revisions/0002.toml\n"),
                 qPrintable(revise.describe()));
        QVERIFY2(revise.out.contains("revision 2 published on site cluster"),
                 qPrintable(revise.describe()));
        QCOMPARE(revisionFiles(),
                 (QStringList{QStringLiteral("0002.diff"), QStringLiteral("0002.json"),
                              QStringLiteral("0002.toml")}));
        const QJsonObject info =
            QJsonDocument::fromJson(readLocal(runDir() + QStringLiteral("/revisions/0002.json")))
                .object();
        QCOMPARE(info.value(QStringLiteral("base_revision")).toInt(), 1);
        QCOMPARE(info.value(QStringLiteral("comment")).toString(),
                 QStringLiteral("evaluate too; a long report"));
        QVERIFY(!info.value(QStringLiteral("author")).toString().isEmpty());
        // Published while train still ran.
        QVERIFY2(!QFile::exists(runDir() + QStringLiteral("/train.marker")),
                 "train ended before the revision was published: make it sleep longer");

        // The engine takes revision 2 (its record says so); then review is
        // decided, and report is submitted with revision 2's MODE.
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         follow->pump();
                         return QJsonDocument::fromJson(
                                    readLocal(runDir() + QStringLiteral("/engine/record.json")))
                                    .object()
                                    .value(QStringLiteral("revision"))
                                    .toInt() == 2;
                     },
                     30000),
                 qPrintable(follow->describe()));
        QVERIFY2(follow->waitFor(
                     [&] {
                         return sawTask(*follow, QStringLiteral("review"),
                                        QStringLiteral("waiting-for-human"));
                     },
                     30000),
                 qPrintable(follow->describe()));
        const CtlResult decide = runCtl(
            ctl({QStringLiteral("--workflow"), m_workflow, QStringLiteral("decide"), m_run,
                 QStringLiteral("review"), QStringLiteral("--option"), QStringLiteral("go")}));
        QVERIFY2(decide.exitCode == 0, qPrintable(decide.describe()));

        QVERIFY2(follow->process.waitForFinished(90000) ||
                     follow->process.state() == QProcess::NotRunning,
                 qPrintable(follow->describe()));
        follow->pump();
        QVERIFY2(follow->process.exitStatus() == QProcess::NormalExit &&
                     follow->process.exitCode() == 0,
                 qPrintable(follow->describe()));
        QCOMPARE(follow->find(QStringLiteral("ended")).value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("done"));
        // The engine submitted evaluate (a task only revision 2 has) and
        // report with the new MODE, and recorded revision 2 as in effect.
        QVERIFY2(submitted(*follow, QStringLiteral("evaluate")), qPrintable(follow->describe()));
        QVERIFY2(submitted(*follow, QStringLiteral("report")), qPrintable(follow->describe()));
        QVERIFY2(!submitted(*follow, QStringLiteral("train")), qPrintable(follow->describe()));
        QVERIFY2(sawTask(*follow, QStringLiteral("evaluate"), QStringLiteral("done")),
                 qPrintable(follow->describe()));
        const QJsonObject record =
            QJsonDocument::fromJson(readLocal(runDir() + QStringLiteral("/engine/record.json")))
                .object();
        QCOMPARE(record.value(QStringLiteral("revision")).toInt(), 2);
        QCOMPARE(record.value(QStringLiteral("finished")).toString(), QStringLiteral("done"));
        // follow says so.
        QVERIFY2(
            !follow
                 ->find(QStringLiteral("revision"), QStringLiteral("revision"), QStringLiteral("2"))
                 .isEmpty(),
            qPrintable(follow->describe()));

        // evaluate ran once, after train had ended (it read train's marker);
        // report ran with revision 2's MODE; train and prep ran once.
        QCOMPARE(readLocal(runDir() + QStringLiteral("/evaluated.txt")), QByteArray("trained\n"));
        QCOMPARE(readLocal(runDir() + QStringLiteral("/evaluate-runs.txt")).count('\n'), 1);
        QCOMPARE(readLocal(runDir() + QStringLiteral("/report-mode.txt")), QByteArray("long\n"));
        const QByteArray trainRuns = readLocal(runDir() + QStringLiteral("/train-runs.txt"));
        QCOMPARE(trainRuns.count('\n'), 1);
        QCOMPARE(readLocal(runDir() + QStringLiteral("/prep-runs.txt")).count('\n'), 1);

        // SLURM's accounting: one job for train (not resubmitted), one for
        // evaluate, which started once train had ended.
        const QString trainJob = QString::fromUtf8(trainRuns).trimmed();
        const QString evaluateJob =
            QString::fromUtf8(readLocal(runDir() + QStringLiteral("/evaluate-runs.txt"))).trimmed();
        const QStringList times{QStringLiteral("Start"), QStringLiteral("End")};
        QStringList train, evaluate;
        QVERIFY(QTest::qWaitFor(
            [&] {
                train = sacctJobs(m_env.slurmConf, QStringLiteral("train"), runDir(), times);
                evaluate = sacctJobs(m_env.slurmConf, QStringLiteral("evaluate"), runDir(), times);
                return train.size() == 1 && evaluate.size() == 1 &&
                       train.first().startsWith(trainJob + QStringLiteral("=COMPLETED|")) &&
                       evaluate.first().startsWith(evaluateJob + QStringLiteral("=COMPLETED|"));
            },
            20000));
        const QDateTime trainEnd =
            QDateTime::fromString(train.first().section(QLatin1Char('|'), 2, 2), Qt::ISODate);
        const QDateTime evaluateStart =
            QDateTime::fromString(evaluate.first().section(QLatin1Char('|'), 1, 1), Qt::ISODate);
        QVERIFY2(trainEnd.isValid() && evaluateStart.isValid() && evaluateStart >= trainEnd,
                 qPrintable(train.join(QLatin1Char(' ')) + QLatin1Char(' ') +
                            evaluate.join(QLatin1Char(' '))));
    }

    // train has run: a change to it is refused whole, nothing is published;
    // the listing shows revision 2 in effect.
    void aChangeToTrainIsRefused()
    {
        QVERIFY(!m_run.isEmpty());
        const QString changed =
            writeFile(QStringLiteral("train-changed.toml"), workflowText(true, true));
        const CtlResult refused = runCtl(ctl({QStringLiteral("revise"), m_run, changed}));
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.out.contains(QStringLiteral("run %1: revision 3 from revision 2 "
                                                     "(revisions/0002.toml)\n")
                                          .arg(m_run)
                                          .toUtf8()),
                 qPrintable(refused.describe()));
        QVERIFY2(refused.err.contains(
                     QStringLiteral("revision 3 of run %1 is refused; nothing published")
                         .arg(m_run)
                         .toUtf8()),
                 qPrintable(refused.describe()));
        QVERIFY2(refused.err.contains("\ntrain: submitted as job "),
                 qPrintable(refused.describe()));
        QVERIFY2(refused.err.contains("a run-time change cannot alter it (command)"),
                 qPrintable(refused.describe()));
        QCOMPARE(revisionFiles(),
                 (QStringList{QStringLiteral("0002.diff"), QStringLiteral("0002.json"),
                              QStringLiteral("0002.toml")}));

        // --json says the same.
        const CtlResult json =
            runCtl(ctl({QStringLiteral("revise"), m_run, changed, QStringLiteral("--json")}));
        QCOMPARE(json.exitCode, 1);
        const QJsonObject doc = json.jsonObject();
        QCOMPARE(doc.value(QStringLiteral("revision")).toInt(), 3);
        QCOMPARE(doc.value(QStringLiteral("published")).toBool(), false);
        QVERIFY2(doc.value(QStringLiteral("problems"))
                     .toArray()
                     .first()
                     .toString()
                     .startsWith(QStringLiteral("train: ")),
                 qPrintable(json.describe()));
        QVERIFY(doc.value(QStringLiteral("diff"))
                    .toString()
                    .contains(QStringLiteral("+++ revisions/0003.toml")));

        const CtlResult list =
            runCtl(ctl({QStringLiteral("revise"), m_run, QStringLiteral("--list"),
                        QStringLiteral("--workflow"), m_workflow}));
        QVERIFY2(list.exitCode == 0, qPrintable(list.describe()));
        QVERIFY2(list.out.contains(QStringLiteral("run %1 on site cluster: revision 2 in effect\n")
                                       .arg(m_run)
                                       .toUtf8()),
                 qPrintable(list.describe()));
        QVERIFY2(list.out.contains("\n1\tsuperseded\t-\t"), qPrintable(list.describe()));
        QVERIFY2(list.out.contains("\n2\tin-effect\t1\t"), qPrintable(list.describe()));
        QVERIFY2(list.out.contains("\tevaluate too; a long report\n"), qPrintable(list.describe()));
        QVERIFY2(list.out.contains("\n  + task evaluate (after train)\n"),
                 qPrintable(list.describe()));
        QVERIFY2(list.out.contains("\n  ~ report.environment.MODE: short -> long\n"),
                 qPrintable(list.describe()));

        // Usage errors: exit 2, nothing read.
        QCOMPARE(runCtl(ctl({QStringLiteral("revise"), m_run})).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCtlRevise)
#include "tst_ctl_revise.moc"
