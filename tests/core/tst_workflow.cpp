// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow/workflow.h"

#include <QTest>

using namespace vigil;

class TestWorkflow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void loadsTheExamples()
    {
        const QString dir =
            qEnvironmentVariable("VIGIL_SOURCE_DIR") + QStringLiteral("/examples/train-review/");
        auto wf = loadWorkflow(dir + QStringLiteral("workflow.toml"));
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        QCOMPARE(wf->name, QStringLiteral("train-review"));
        QCOMPARE(wf->sites.size(), 1);
        QCOMPARE(wf->sites[0].kind, SiteSpec::Kind::Slurm);
        QCOMPARE(wf->sites[0].host, QStringLiteral("vigil-sandbox"));
        QCOMPARE(wf->sites[0].runRoot, QStringLiteral("vigil-runs"));
        QCOMPARE(wf->tasks.size(), 1);
        const TaskSpec &t = wf->tasks[0];
        QCOMPARE(t.command.first(), QStringLiteral("python3"));
        QCOMPARE(t.inputs.size(), 1);
        QCOMPARE(t.inputs[0].path, QStringLiteral("train.py"));
        QVERIFY(t.inputs[0].fromTask.isEmpty());
        QCOMPARE(t.resources.cpus, 1);
        QCOMPARE(t.checkpoints.size(), 1);
        QCOMPARE(t.checkpoints[0].id, QStringLiteral("epoch-3"));
        auto local = loadWorkflow(dir + QStringLiteral("workflow-local.toml"));
        QVERIFY2(local.ok(), qPrintable(local.errorString()));
        QCOMPARE(local->sites[0].kind, SiteSpec::Kind::Local);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("toml");
        QTest::addColumn<QString>("expected");
        const QByteArray head = "[workflow]\nname = \"w\"\n[sites.s]\nkind = \"local\"\n";
        QTest::newRow("syntax") << QByteArray("[workflow\nname=1") << QStringLiteral("wf.toml:1:");
        QTest::newRow("no tasks") << head << QStringLiteral("no [tasks.NAME]");
        QTest::newRow("unknown key") << head + "[tasks.a]\nsite=\"s\"\ncommand=[\"x\"]\ncomand=1\n"
                                     << QStringLiteral("wf.toml:8:1: unknown key \"comand\"");
        QTest::newRow("unknown site") << head + "[tasks.a]\nsite=\"nope\"\ncommand=[\"x\"]\n"
                                      << QStringLiteral("uses site \"nope\"");
        QTest::newRow("unknown dep")
            << head + "[tasks.a]\nsite=\"s\"\ncommand=[\"x\"]\nafter=[\"b\"]\n"
            << QStringLiteral("runs after \"b\", which is not a task");
        QTest::newRow("cycle") << head + "[tasks.a]\nsite=\"s\"\ncommand=[\"x\"]\nafter=[\"b\"]\n"
                                         "[tasks.b]\nsite=\"s\"\ncommand=[\"x\"]\nafter=[\"a\"]\n"
                               << QStringLiteral("dependency cycle: a -> b -> a");
        QTest::newRow("hostile task name")
            << head + "[tasks.\"a;rm -rf\"]\nsite=\"s\"\ncommand=[\"x\"]\n"
            << QStringLiteral("task name");
        QTest::newRow("input escapes")
            << head + "[tasks.a]\nsite=\"s\"\ncommand=[\"x\"]\ninputs=[\"../x\"]\n"
            << QStringLiteral("must be a relative path inside");
        QTest::newRow("bad kind") << QByteArray("[workflow]\nname=\"w\"\n[sites.s]\nkind=\"pbs\"\n")
                                  << QStringLiteral("wf.toml:4:6: [sites.s].kind is \"pbs\"");
        QTest::newRow("ssh without host")
            << QByteArray("[workflow]\nname=\"w\"\n[sites.s]\nkind=\"ssh\"\n")
            << QStringLiteral("needs \"host\"");
        QTest::newRow("host like an option")
            << QByteArray(
                   "[workflow]\nname=\"w\"\n[sites.s]\nkind=\"ssh\"\nhost=\"-oProxyCommand=x\"\n")
            << QStringLiteral("must not start with '-'");
        QTest::newRow("bad env name")
            << head +
                   "[tasks.a]\nsite=\"s\"\ncommand=[\"x\"]\n[tasks.a.environment]\n\"A-B\"=\"1\"\n"
            << QStringLiteral("not a valid variable name");
        QTest::newRow("cpus")
            << head + "[tasks.a]\nsite=\"s\"\ncommand=[\"x\"]\n[tasks.a.resources]\ncpus=0\n"
            << QStringLiteral(
                   "wf.toml:9:6: [tasks.a].resources.cpus must be an integer from 1 to 100000");
        const QByteArray task = head + "[tasks.a]\nsite=\"s\"\ncommand=[\"x\"]\n";
        const QByteArray slurm = "[workflow]\nname = \"w\"\n[sites.s]\nkind = \"slurm\"\nhost = "
                                 "\"h\"\n[tasks.a]\nsite=\"s\"\ncommand=[\"x\"]\n";
        QTest::newRow("array on a local site")
            << task + "array=\"0-9\"\n"
            << QStringLiteral("wf.toml:8:7: [tasks.a].array needs a SLURM site; site \"s\" is of "
                              "kind local");
        QTest::newRow("array not a string")
            << slurm + "array=9\n"
            << QStringLiteral("wf.toml:9:7: [tasks.a].array must be a string");
        QTest::newRow("array injection")
            << slurm + "array=\"0-9 --wrap=id\"\n"
            << QStringLiteral("wf.toml:9:7: [tasks.a].array: invalid array \"0-9 --wrap=id\"");
        QTest::newRow("array reversed")
            << slurm + "array=\"9-0\"\n"
            << QStringLiteral("the range \"9-0\" ends before it starts");
        QTest::newRow("container not a table")
            << task + "container=\"img\"\n"
            << QStringLiteral("wf.toml:8:11: [tasks.a].container must be a table");
        QTest::newRow("container without image")
            << task + "container={runtime=\"podman\"}\n"
            << QStringLiteral("[tasks.a].container needs \"image\"");
        QTest::newRow("container unknown key")
            << task + "container={image=\"i\", bind=[\"/a\"]}\n"
            << QStringLiteral("wf.toml:8:23: unknown key \"bind\" in [tasks.a].container");
        QTest::newRow("image like an option")
            << task + "container={image=\"--privileged\"}\n"
            << QStringLiteral("wf.toml:8:18: [tasks.a].container.image: invalid container image "
                              "\"--privileged\": it starts with '-'");
        QTest::newRow("image with a newline")
            << task + "container={image=\"ubuntu\\nrm -rf /\"}\n"
            << QStringLiteral("character U+000A at position 6 is not allowed");
        QTest::newRow("image with a command substitution")
            << task + "container={image=\"$(reboot)\"}\n"
            << QStringLiteral("character U+0024 at position 0 is not allowed");
        QTest::newRow("image with backticks") << task + "container={image=\"img`id`\"}\n"
                                              << QStringLiteral("character U+0060 at position 3");
        QTest::newRow("image with a space") << task + "container={image=\"img --rm\"}\n"
                                            << QStringLiteral("U+0020 at position 3");
        QTest::newRow("image with unicode") << task + "container={image=\"caf\u00e9.sif\"}\n"
                                            << QStringLiteral("U+00E9 at position 3");
        QTest::newRow("unknown runtime")
            << task + "container={image=\"i\", runtime=\"lxc\"}\n"
            << QStringLiteral("wf.toml:8:31: [tasks.a].container.runtime: unknown container "
                              "runtime \"lxc\"");
        QTest::newRow("relative bind")
            << task + "container={image=\"i\", binds=[\"data:/data\"]}\n"
            << QStringLiteral("wf.toml:8:30: [tasks.a].container.binds: invalid container bind "
                              "\"data:/data\": \"data\" is not an absolute path");
        QTest::newRow("bind like an option")
            << task + "container={image=\"i\", binds=[\"/a\", \"--privileged\"]}\n"
            << QStringLiteral("wf.toml:8:36: [tasks.a].container.binds: invalid container bind "
                              "\"--privileged\"");
        QTest::newRow("bind with a comma")
            << task + "container={image=\"i\", binds=[\"/a,/etc:/x\"]}\n"
            << QStringLiteral("',' at position 2 is not allowed");
        QTest::newRow("bind with a newline")
            << task + "container={image=\"i\", binds=[\"/a\\n/b\"]}\n"
            << QStringLiteral("U+000A at position 2 is not allowed (a control character)");
        QTest::newRow("bind option") << task + "container={image=\"i\", binds=[\"/a:/b:z\"]}\n"
                                     << QStringLiteral("the option \"z\" is not ro or rw");
        QTest::newRow("bind with four parts")
            << task + "container={image=\"i\", binds=[\"/a:/b:ro:x\"]}\n"
            << QStringLiteral("expected SRC[:DST[:ro|rw]]");
        QTest::newRow("backslash in a SLURM run root")
            << QByteArray("[workflow]\nname=\"w\"\n[sites.s]\nkind=\"slurm\"\nhost=\"h\"\n"
                          "run_root=\"a\\\\b\"\n[tasks.a]\nsite=\"s\"\ncommand=[\"x\"]\n")
            << QStringLiteral("wf.toml:6:10: [sites.s].run_root must not contain a backslash");
        QTest::newRow("site runtime")
            << head + "container_runtime=\"rkt\"\n[tasks.a]\nsite=\"s\"\ncommand=[\"x\"]\n"
            << QStringLiteral("wf.toml:5:19: [sites.s].container_runtime: unknown container "
                              "runtime \"rkt\"");
    }
    void errors()
    {
        QFETCH(QByteArray, toml);
        QFETCH(QString, expected);
        auto wf = parseWorkflow(toml, QStringLiteral("wf.toml"));
        QVERIFY(!wf.ok());
        QVERIFY2(wf.errorString().contains(expected), qPrintable(wf.errorString()));
        QVERIFY2(wf.errorString().startsWith(QStringLiteral("wf.toml")),
                 qPrintable(wf.errorString()));
    }

    // A SLURM run root may hold '%' (sbatchArgs escapes it) but no backslash,
    // whether the site comes from a workflow or from the command line.
    void slurmRunRootRules()
    {
        auto wf =
            parseWorkflow("[workflow]\nname=\"w\"\n[sites.s]\nkind=\"slurm\"\nhost=\"h\"\n"
                          "run_root=\"100% done\"\n[sites.l]\nkind=\"local\"\n"
                          "run_root=\"/tmp/a\\\\b\"\n[tasks.a]\nsite=\"s\"\ncommand=[\"x\"]\n",
                          QStringLiteral("wf.toml"));
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        SiteSpec site;
        site.name = QStringLiteral("s");
        site.kind = SiteSpec::Kind::Slurm;
        site.host = QStringLiteral("h");
        site.runRoot = QStringLiteral("runs %j");
        QVERIFY2(validateSite(site).ok(), qPrintable(validateSite(site).errorString()));
        site.runRoot = QStringLiteral("runs\\x");
        const auto bad = validateSite(site);
        QVERIFY(!bad.ok());
        QVERIFY2(
            bad.errorString().contains(QStringLiteral("run_root must not contain a backslash")),
            qPrintable(bad.errorString()));
    }

    void stringCommandRunsInShell()
    {
        auto wf = parseWorkflow("[workflow]\nname=\"w\"\n[sites.s]\nkind=\"local\"\n"
                                "[tasks.a]\nsite=\"s\"\ncommand=\"echo hi | wc -c\"\n",
                                QStringLiteral("wf.toml"));
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        QCOMPARE(wf->tasks[0].command, (QStringList{QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                                                    QStringLiteral("echo hi | wc -c")}));
    }
};

QTEST_GUILESS_MAIN(TestWorkflow)
#include "tst_workflow.moc"
