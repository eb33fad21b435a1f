// SPDX-License-Identifier: GPL-3.0-or-later
// How the launcher compiles workflow tasks: the job script of script, sweep
// and work_dir tasks (run for real with /bin/sh), arrays of sweeps, and
// which tasks the launcher submits and which it leaves to the engine.
#include "engine/launcher.h"
#include "sites/site.h"
#include "workflow/workflow.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

namespace {

// A stand-in for vigil-job: `task-exec --task NAME -- CMD...` runs CMD.
const char kFakeHelper[] = "#!/bin/sh\nshift 4\nexec \"$@\"\n";

struct Ran
{
    int exitCode = -1;
    QByteArray err;
};

// `pythonPath`: the PYTHONPATH the job inherits (null: none).
Ran runScript(const QByteArray &script, const QString &dir, const QString &arrayIndex,
              const QString &pythonPath = {})
{
    QFile f(dir + QStringLiteral("/job.sh"));
    if (!f.open(QIODevice::WriteOnly) || f.write(script) != script.size())
        return {};
    f.close();
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!arrayIndex.isEmpty())
        env.insert(QStringLiteral("SLURM_ARRAY_TASK_ID"), arrayIndex);
    env.remove(QStringLiteral("PYTHONPATH"));
    if (!pythonPath.isNull())
        env.insert(QStringLiteral("PYTHONPATH"), pythonPath);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("/bin/sh"), {f.fileName()});
    p.waitForFinished(30000);
    return {p.exitCode(), p.readAllStandardError()};
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

} // namespace

class TestWorkflowLaunch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_runDir = m_dir.filePath(QStringLiteral("run 1"));
        QVERIFY(QDir().mkpath(m_runDir));
        m_helper = m_dir.filePath(QStringLiteral("fake-helper"));
        QFile h(m_helper);
        QVERIFY(h.open(QIODevice::WriteOnly));
        h.write(kFakeHelper);
        h.close();
        QVERIFY(h.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    }

    // Element i of a sweep's array gets set i as VIGIL_PARAM_<NAME>, quoted;
    // the task runs in its work_dir (inside the run directory), where the
    // directories of its outputs exist.
    void sweepElementGetsItsSet()
    {
        auto wf = parseWorkflow(
            "[workflow]\nname = \"s\"\n[sites.c]\nkind = \"slurm\"\nhost = \"h\"\n"
            "[tasks.t]\nsite = \"c\"\nwork_dir = \"w/sub dir\"\noutputs = [\"res/model.pt\"]\n"
            "command = [\"sh\", \"-c\", \"echo \\\"$VIGIL_PARAM_LR|$VIGIL_PARAM_NAME|$PWD\\\" > "
            "out.txt\"]\n"
            "sweep = [{ lr = 0.1, name = \"a b\" }, { lr = 1e-5, name = \"it's $(x)\" }]\n"
            "sweep_parallel = 1\n",
            QStringLiteral("s.toml"));
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        const TaskSpec &t = wf->tasks[0];
        QCOMPARE(Launcher::arraySpec(t), QStringLiteral("0-1%1"));
        QCOMPARE(Launcher::logPath(t, QStringLiteral("/d")), QStringLiteral("/d/output_%a.log"));
        auto script = Launcher::jobScript(t, wf->sites[0], QStringLiteral("r"), m_runDir, m_helper);
        QVERIFY2(script.ok(), qPrintable(script.errorString()));
        const QString work = m_runDir + QStringLiteral("/w/sub dir");
        Ran r = runScript(*script, m_dir.path(), QStringLiteral("1"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(readAll(work + QStringLiteral("/out.txt")),
                 QByteArray("1e-05|it's $(x)|") + work.toUtf8() + "\n");
        QVERIFY(QFileInfo(work + QStringLiteral("/res")).isDir());
        r = runScript(*script, m_dir.path(), QStringLiteral("0"));
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(readAll(work + QStringLiteral("/out.txt")),
                 QByteArray("0.1|a b|") + work.toUtf8() + "\n");
        // An element without a set fails rather than running without params.
        r = runScript(*script, m_dir.path(), QStringLiteral("7"));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no sweep set for array element 7"), r.err.constData());
    }

    // A script task runs `sh RUNDIR/SCRIPT` (the script was uploaded there);
    // the site's work_dir applies when the task has none.
    void scriptTaskRunsItsScript()
    {
        auto wf = parseWorkflow("[workflow]\nname = \"s\"\n[sites.l]\nkind = \"local\"\n"
                                "work_dir = \"site-wd\"\n"
                                "[tasks.t]\nsite = \"l\"\nscript = \"steps/run.sh\"\n",
                                QStringLiteral("s.toml"));
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        QVERIFY(QDir().mkpath(m_runDir + QStringLiteral("/steps")));
        QFile s(m_runDir + QStringLiteral("/steps/run.sh"));
        QVERIFY(s.open(QIODevice::WriteOnly));
        s.write("echo \"ran in $PWD\" > script.txt\n");
        s.close();
        auto script = Launcher::jobScript(wf->tasks[0], wf->sites[0], QStringLiteral("r"), m_runDir,
                                          m_helper);
        QVERIFY2(script.ok(), qPrintable(script.errorString()));
        const Ran r = runScript(*script, m_dir.path(), {});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString wd = m_runDir + QStringLiteral("/site-wd");
        QCOMPARE(readAll(wd + QStringLiteral("/script.txt")),
                 QByteArray("ran in ") + wd.toUtf8() + "\n");
    }

    // The directory of vigil_job.py comes first on PYTHONPATH, whatever bytes
    // its name holds; the task's own PYTHONPATH, or the inherited one, stays
    // after it; `import vigil_job` finds the twin (python3, for real).
    void pythonPathPutsTheTwinFirst_data()
    {
        QTest::addColumn<QString>("twinDir"); // under the test's directory; empty: none
        QTest::addColumn<QString>("inherited");
        QTest::addColumn<QString>("taskPath"); // [tasks.t.environment] PYTHONPATH
        QTest::addColumn<QString>("expected"); // TWIN stands for the twin's directory
        const QString hostile = QStringLiteral("py it's $(touch pwned) `id` \"q\" ${HOME}\nline");
        QTest::newRow("hostile directory, none inherited")
            << hostile << QString() << QString() << QStringLiteral("TWIN");
        QTest::newRow("inherited empty: no trailing colon")
            << hostile << QStringLiteral("") << QString() << QStringLiteral("TWIN");
        QTest::newRow("inherited kept after it")
            << QStringLiteral("twin") << QStringLiteral("/a b:/c$d") << QString()
            << QStringLiteral("TWIN:/a b:/c$d");
        QTest::newRow("the task's own kept after it")
            << hostile << QStringLiteral("/inherited") << QStringLiteral("/task lib")
            << QStringLiteral("TWIN:/task lib");
        QTest::newRow("no twin directory: untouched") << QString() << QStringLiteral("/only mine")
                                                      << QString() << QStringLiteral("/only mine");
    }

    void pythonPathPutsTheTwinFirst()
    {
        QFETCH(QString, twinDir);
        QFETCH(QString, inherited);
        QFETCH(QString, taskPath);
        QFETCH(QString, expected);
        QString toml = QStringLiteral(
            "[workflow]\nname = \"p\"\n[sites.c]\nkind = \"slurm\"\nhost = \"h\"\n"
            "[tasks.t]\nsite = \"c\"\ncommand = [\"python3\", \"-c\", \"import os; "
            "mark = __import__('vigil_job').MARK if os.environ.get('WANT_TWIN') else '-'; "
            "open('pythonpath.txt', 'w').write(mark + '|' + os.environ.get('PYTHONPATH', "
            "'<unset>'))\"]\n");
        if (!twinDir.isEmpty())
            toml += QStringLiteral("[tasks.t.environment]\nWANT_TWIN = \"1\"\n");
        if (!taskPath.isEmpty())
            toml += (twinDir.isEmpty() ? QStringLiteral("[tasks.t.environment]\n") : QString()) +
                    QStringLiteral("PYTHONPATH = \"%1\"\n").arg(taskPath);
        auto wf = parseWorkflow(toml.toUtf8(), QStringLiteral("p.toml"));
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        QString dir;
        if (!twinDir.isEmpty()) {
            dir = m_dir.filePath(twinDir);
            QVERIFY(QDir().mkpath(dir));
            QFile twin(dir + QStringLiteral("/vigil_job.py"));
            QVERIFY(twin.open(QIODevice::WriteOnly));
            twin.write("MARK = 'the twin'\n");
        }
        auto script = Launcher::jobScript(wf->tasks[0], wf->sites[0], QStringLiteral("r"), m_runDir,
                                          m_helper, dir);
        QVERIFY2(script.ok(), qPrintable(script.errorString()));
        QCOMPARE(script->contains("export PYTHONPATH="), !dir.isEmpty());
        const Ran r = runScript(*script, m_dir.path(), {}, inherited);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!QFile::exists(m_runDir + QStringLiteral("/pwned")));
        QString want = expected;
        want.replace(QStringLiteral("TWIN"), dir);
        QCOMPARE(QString::fromUtf8(readAll(m_runDir + QStringLiteral("/pythonpath.txt"))),
                 (dir.isEmpty() ? QStringLiteral("-|") : QStringLiteral("the twin|")) + want);
    }

    // ':' separates PYTHONPATH entries: a directory holding one is refused.
    void pythonDirectoryWithColonIsRefused()
    {
        auto wf = parseWorkflow("[workflow]\nname = \"p\"\n[sites.c]\nkind = \"slurm\"\n"
                                "host = \"h\"\n[tasks.t]\nsite = \"c\"\ncommand = \"true\"\n",
                                QStringLiteral("p.toml"));
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        auto script = Launcher::jobScript(wf->tasks[0], wf->sites[0], QStringLiteral("r"), m_runDir,
                                          m_helper, QStringLiteral("/home/a:b/py"));
        QVERIFY(!script.ok());
        QCOMPARE(script.errorString(),
                 QStringLiteral("task t: the directory of vigil_job.py, /home/a:b/py, contains "
                                "':', which PYTHONPATH cannot hold"));
    }

    // What the launcher submits: what SLURM carries alone. Everything else
    // (after or chosen by a gate, across sites, ordered on a process site,
    // data from a task it is not chained to) waits for the engine.
    void tasksForLaunch_data()
    {
        QTest::addColumn<QString>("tasks");
        QTest::addColumn<QStringList>("launched");
        const QString slurmC = QStringLiteral("site = \"c\"\ncommand = \"x\"\n");
        QTest::newRow("chain on one SLURM site")
            << QStringLiteral("[tasks.a]\n%1[tasks.b]\n%1after = [\"a\"]\n"
                              "[tasks.c]\n%1after = [\"b\", \"a\"]\n")
                   .arg(slurmC)
            << QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
        QTest::newRow("after a gate, and after that")
            << QStringLiteral("[tasks.a]\n%1[tasks.b]\n%1"
                              "[tasks.g]\nkind = \"gate\"\nafter = [\"a\", \"b\"]\n"
                              "question = \"q\"\noptions = [{ name = \"go\" }]\n"
                              "[tasks.c]\n%1after = [\"g\"]\n"
                              "[tasks.d]\n%1after = [\"c\", \"a\"]\n")
                   .arg(slurmC)
            << QStringList{QStringLiteral("a"), QStringLiteral("b")};
        QTest::newRow("across SLURM sites, and on after that")
            << QStringLiteral("[tasks.a]\n%1[tasks.b]\nsite = \"d\"\ncommand = \"x\"\n"
                              "after = [\"a\"]\n[tasks.c]\nsite = \"d\"\ncommand = \"x\"\n"
                              "after = [\"b\"]\n[tasks.e]\nsite = \"d\"\ncommand = \"x\"\n")
                   .arg(slurmC)
            << QStringList{QStringLiteral("a"), QStringLiteral("e")};
        QTest::newRow("process site: roots only")
            << QStringLiteral("[tasks.a]\nsite = \"l\"\ncommand = \"x\"\n"
                              "[tasks.b]\nsite = \"l\"\ncommand = \"x\"\nafter = [\"a\"]\n"
                              "[tasks.c]\n%1after = [\"a\"]\n")
                   .arg(slurmC)
            << QStringList{QStringLiteral("a")};
        QTest::newRow("data from a task on the same site, or from another site")
            << QStringLiteral("[tasks.a]\n%1outputs = [\"m.pt\"]\n"
                              "[tasks.b]\n%1after = [\"a\"]\n"
                              "[tasks.c]\n%1after = [\"b\"]\n"
                              "inputs = [{ from = \"a\", path = \"m.pt\" }]\n"
                              "[tasks.e]\nsite = \"d\"\ncommand = \"x\"\nafter = [\"a\"]\n"
                              "inputs = [{ from = \"a\", path = \"m.pt\" }]\n")
                   .arg(slurmC)
            << QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
    }

    void tasksForLaunch()
    {
        QFETCH(QString, tasks);
        QFETCH(QStringList, launched);
        auto wf = parseWorkflow((QStringLiteral("[workflow]\nname = \"g\"\n"
                                                "[sites.c]\nkind = \"slurm\"\nhost = \"h\"\n"
                                                "[sites.d]\nkind = \"slurm\"\nhost = \"h2\"\n"
                                                "[sites.l]\nkind = \"local\"\n") +
                                 tasks)
                                    .toUtf8(),
                                QStringLiteral("g.toml"));
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        QCOMPARE(Launcher::tasksForLaunch(*wf), launched);
    }

    void arrayTaskKeepsItsArray()
    {
        TaskSpec t;
        t.array = QStringLiteral("0-9%2");
        QCOMPARE(Launcher::arraySpec(t), QStringLiteral("0-9%2"));
        t.array.clear();
        QVERIFY(Launcher::arraySpec(t).isEmpty());
        QCOMPARE(Launcher::logPath(t, QStringLiteral("/d")), QStringLiteral("/d/output.log"));
    }

private:
    QTemporaryDir m_dir;
    QString m_runDir;
    QString m_helper;
};

QTEST_GUILESS_MAIN(TestWorkflowLaunch)
#include "tst_workflowlaunch.moc"
