// SPDX-License-Identifier: GPL-3.0-or-later
// How the launcher compiles workflow tasks: the job script of script, sweep
// and work_dir tasks (run for real with /bin/sh), arrays of sweeps, and what
// gates do to the jobs after them (held, depending on the jobs before).
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

Ran runScript(const QByteArray &script, const QString &dir, const QString &arrayIndex)
{
    QFile f(dir + QStringLiteral("/job.sh"));
    if (!f.open(QIODevice::WriteOnly) || f.write(script) != script.size())
        return {};
    f.close();
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!arrayIndex.isEmpty())
        env.insert(QStringLiteral("SLURM_ARRAY_TASK_ID"), arrayIndex);
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

    // Gates are not jobs: a job after a gate depends on the jobs before the
    // gate, and is held; one after that job is held too.
    void gatesHoldWhatComesAfter()
    {
        auto wf =
            parseWorkflow("[workflow]\nname = \"g\"\n[sites.c]\nkind = \"slurm\"\nhost = \"h\"\n"
                          "[tasks.a]\nsite = \"c\"\ncommand = \"a\"\n"
                          "[tasks.b]\nsite = \"c\"\ncommand = \"b\"\n"
                          "[tasks.g]\nkind = \"gate\"\nafter = [\"a\", \"b\"]\nquestion = \"q\"\n"
                          "options = [{ name = \"go\", enables = [\"c\"] }]\n"
                          "[tasks.c]\nsite = \"c\"\ncommand = \"c\"\nafter = [\"g\"]\n"
                          "[tasks.d]\nsite = \"c\"\ncommand = \"d\"\nafter = [\"c\", \"a\"]\n",
                          QStringLiteral("g.toml"));
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        const auto task = [&](const char *n) { return *wf->task(QString::fromLatin1(n)); };
        QCOMPARE(Launcher::jobDependencies(*wf, task("c")),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(Launcher::jobDependencies(*wf, task("d")),
                 (QStringList{QStringLiteral("c"), QStringLiteral("a")}));
        QVERIFY(Launcher::comesAfterGate(*wf, task("c")));
        QVERIFY(Launcher::comesAfterGate(*wf, task("d")));
        QVERIFY(!Launcher::comesAfterGate(*wf, task("a")));
        QVERIFY(Launcher::jobDependencies(*wf, task("a")).isEmpty());
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
