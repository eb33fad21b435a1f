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
        QCOMPARE(t.inputs, QStringList{QStringLiteral("train.py")});
        QCOMPARE(t.resources.cpus, 1);
        QCOMPARE(t.checkpoints, QStringList{QStringLiteral("epoch-3")});
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
            << QStringLiteral("cpus must be a positive integer");
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
