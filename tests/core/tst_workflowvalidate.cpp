// SPDX-License-Identifier: GPL-3.0-or-later
// Validation of workflow files: every problem, each with its FILE:LINE:COLUMN,
// all of a file's problems at once, and the value rules (durations, time
// limits, memory, sbatch words).
#include "workflow/values.h"
#include "workflow/workflow.h"

#include <QTest>

using namespace vigil;

namespace {

// Lines 1-7: a workflow with a SLURM site "c" and a local site "l"; the rows'
// text starts at line 8.
const QByteArray kHead = "[workflow]\n"
                         "name = \"w\"\n"
                         "[sites.c]\n"
                         "kind = \"slurm\"\n"
                         "host = \"h\"\n"
                         "[sites.l]\n"
                         "kind = \"local\"\n";

// A job on the SLURM site: 3 lines.
QByteArray job(const char *name, const char *extra = "")
{
    return QByteArray("[tasks.") + name + "]\nsite = \"c\"\ncommand = [\"x\"]\n" + extra;
}

} // namespace

class TestWorkflowValidate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void problems_data()
    {
        QTest::addColumn<QByteArray>("toml");
        QTest::addColumn<QString>("where"); // "LINE:COLUMN"
        QTest::addColumn<QString>("what");

        // The graph.
        QTest::newRow("cycle of three")
            << job("a", "after = [\"c\"]\n") + job("b", "after = [\"a\"]\n") +
                   job("c", "after = [\"b\"]\n")
            << "15:10"
            << "dependency cycle: a -> c -> b -> a";
        QTest::newRow("runs after itself") << job("a", "after = [\"a\"]\n") << "11:10"
                                           << "[tasks.a] runs after itself";
        QTest::newRow("unknown site")
            << QByteArray("[tasks.a]\nsite = \"cluster\"\ncommand = \"x\"\n") << "9:8"
            << "uses site \"cluster\", which is not defined";
        QTest::newRow("unknown task in after")
            << job("a", "after = [\"B\"]\n") + job("b") << "11:10"
            << "runs after \"B\", which is not a task (did you mean \"b\"?)";

        // Unknown keys.
        QTest::newRow("unknown key, near one")
            << job("a", "retires = 2\n") << "11:1"
            << "unknown key \"retires\" in [tasks.a]: did you mean \"retries\"?";
        QTest::newRow("unknown key, none near")
            << job("a", "colour = \"red\"\n") << "11:1"
            << "unknown key \"colour\" in [tasks.a] (allowed: kind, site, command, script";
        QTest::newRow("unknown resources key")
            << job("a", "resources = { mem = \"4G\" }\n") << "11:15"
            << "unknown key \"mem\" in [tasks.a].resources: did you mean \"memory\"?";
        QTest::newRow("unknown workflow key")
            << QByteArray("[workflow]\nname = \"w\"\napprover = [\"ann\"]\n[sites.l]\nkind = "
                          "\"local\"\n[tasks.a]\nsite = \"l\"\ncommand = \"x\"\n")
            << "3:1"
            << "unknown key \"approver\" in [workflow]: did you mean \"approvers\"?";
        QTest::newRow("unknown top-level table")
            << job("a") + "[task.b]\nsite = \"c\"\n"
            << "11:2"
            << "unknown key \"task\" in the file: did you mean \"tasks\"?";

        // Durations, time limits, resources.
        QTest::newRow("bad deadline")
            << job("a") + "[tasks.g]\nkind = \"gate\"\nafter = [\"a\"]\nquestion = \"q\"\n"
                          "options = [{ name = \"ok\" }]\ndeadline = \"2 hours\"\n"
            << "16:12"
            << "[tasks.g].deadline: \"2 hours\" is not a duration";
        QTest::newRow("deadline units out of order")
            << job("a") + "[tasks.g]\nkind = \"gate\"\nafter = [\"a\"]\nquestion = \"q\"\n"
                          "options = [{ name = \"ok\" }]\ndeadline = \"30m2h\"\n"
            << "16:12"
            << "is not a duration such as \"90m\"";
        QTest::newRow("bad time limit")
            << job("a", "resources = { time = \"10 minutes\" }\n") << "11:22"
            << "[tasks.a].resources.time: \"10 minutes\" is not a SLURM time limit";
        QTest::newRow("time limit with 60 minutes")
            << job("a", "resources = { time = \"1:60:00\" }\n") << "11:22"
            << "\"1:60:00\" is not a SLURM time limit";
        QTest::newRow("bad memory") << job("a", "resources = { memory = \"4GB\" }\n") << "11:24"
                                    << "[tasks.a].resources.memory: \"4GB\" is not a memory size";
        QTest::newRow("negative gpus")
            << job("a", "resources = { gpus = -1 }\n") << "11:22"
            << "[tasks.a].resources.gpus must be an integer from 0 to 1024";
        QTest::newRow("zero nodes") << job("a", "resources = { nodes = 0 }\n") << "11:23"
                                    << "[tasks.a].resources.nodes must be an integer from 1";
        QTest::newRow("cpus as a string") << job("a", "resources = { cpus = \"4\" }\n") << "11:22"
                                          << "[tasks.a].resources.cpus must be an integer";
        QTest::newRow("partition like an option")
            << job("a", "resources = { partition = \"-x\" }\n") << "11:27"
            << "[tasks.a].resources.partition: \"-x\" must not";
        QTest::newRow("gpus on a local site")
            << QByteArray("[tasks.a]\nsite = \"l\"\ncommand = \"x\"\nresources = { gpus = 1 }\n")
            << "11:22"
            << "[tasks.a].resources.gpus applies only to SLURM sites; site \"l\" is "
               "of kind local";
        QTest::newRow("qos on a local site")
            << QByteArray("[tasks.a]\nsite = \"l\"\ncommand = \"x\"\n[tasks.a.resources]\nqos = "
                          "\"high\"\n")
            << "12:7"
            << "resources.qos applies only to SLURM sites";
        QTest::newRow("extra sets the dependency")
            << job("a", "resources = { extra = [\"--dependency=afterok:1\"] }\n") << "11:24"
            << "[tasks.a].resources.extra: --dependency is set by Vigil itself";
        QTest::newRow("extra with its own key")
            << job("a", "resources = { extra = [\"--mem=4G\"] }\n") << "11:24"
            << "--mem has its own key: use resources.memory";
        QTest::newRow("extra not an option")
            << job("a", "resources = { extra = [\"--constraint\", \"a100\"] }\n") << "11:40"
            << "\"a100\" must be one sbatch option as --name or --name=value";
        QTest::newRow("empty skip") << job("a", "skip = \" \"\n") << "11:8"
                                    << "[tasks.a].skip must say why the task is skipped";
        QTest::newRow("skip not a string") << job("a", "skip = true\n") << "11:8"
                                           << "[tasks.a].skip must be a string";
        QTest::newRow("retries") << job("a", "retries = 11\n") << "11:11"
                                 << "[tasks.a].retries must be an integer from 0 to 10";
        QTest::newRow("bad site qos")
            << QByteArray("[workflow]\nname = \"w\"\n[sites.c]\nkind = \"slurm\"\nhost = "
                          "\"h\"\nqos = \"a b\"\n") +
                   job("a")
            << "6:7"
            << "[sites.c].qos: \"a b\" must not";
        QTest::newRow("site work_dir with ..")
            << QByteArray("[workflow]\nname = \"w\"\n[sites.c]\nkind = \"slurm\"\nhost = "
                          "\"h\"\nwork_dir = \"../x\"\n") +
                   job("a")
            << "6:12"
            << "[sites.c].work_dir: \"../x\" must be an absolute path";

        // Jobs.
        QTest::newRow("job without command") << QByteArray("[tasks.a]\nsite = \"c\"\n") << "8:1"
                                             << "[tasks.a] needs \"command\" or \"script\"";
        QTest::newRow("job with command and script")
            << job("a", "script = \"run.sh\"\n") << "11:10"
            << "[tasks.a] has both \"command\" and \"script\"";
        QTest::newRow("script outside the directory")
            << QByteArray("[tasks.a]\nsite = \"c\"\nscript = \"/etc/run.sh\"\n") << "10:10"
            << "[tasks.a].script: \"/etc/run.sh\" must be a relative path";
        QTest::newRow("work_dir with ..") << job("a", "work_dir = \"a/../../b\"\n") << "11:12"
                                          << "[tasks.a].work_dir: \"a/../../b\" must be";
        QTest::newRow("output outside") << job("a", "outputs = [\"ok\", \"../out\"]\n") << "11:18"
                                        << "[tasks.a].outputs: \"../out\" must be a relative path";
        QTest::newRow("job with a gate key")
            << job("a", "question = \"go?\"\n") << "11:12"
            << "[tasks.a].question is a key of gates (kind = \"gate\"), not of jobs";
        QTest::newRow("unknown kind") << job("a", "kind = \"human\"\n") << "11:8"
                                      << "[tasks.a].kind is \"human\"; expected job or gate";
        QTest::newRow("input from an unknown task")
            << job("a", "inputs = [{ from = \"trian\", path = \"m.pt\" }]\n") << "11:20"
            << "[tasks.a].inputs: \"trian\" is not a task";
        QTest::newRow("input not declared")
            << job("t", "outputs = [\"model.pt\"]\n") +
                   job("a", "after = [\"t\"]\ninputs = [{ from = \"t\", path = \"model.bin\" }]\n")
            << "16:32"
            << "task \"t\" does not declare the output \"model.bin\" (its outputs: model.pt)";
        QTest::newRow("input from a task that runs later")
            << job("a", "inputs = [{ from = \"t\", path = \"m\" }]\n") +
                   job("t", "outputs = [\"m\"]\n")
            << "11:20"
            << "[tasks.a].inputs: task \"t\" does not run before it";
        QTest::newRow("input table with an unknown key")
            << job("a", "inputs = [{ task = \"t\", path = \"m\" }]\n") << "11:13"
            << "unknown key \"task\" in [tasks.a].inputs";
        QTest::newRow("checkpoint id") << job("a", "checkpoints = [\"ok\", \"a b\"]\n") << "11:22"
                                       << "[tasks.a].checkpoints";

        // Sweeps.
        QTest::newRow("sweep with array")
            << job("a", "array = \"0-3\"\nsweep = [{ lr = 0.1 }]\n") << "11:9"
            << "has both \"sweep\" and \"array\"";
        QTest::newRow("sweep on a local site")
            << QByteArray("[tasks.a]\nsite = \"l\"\ncommand = \"x\"\nsweep = [{ lr = 0.1 }]\n")
            << "11:9"
            << "[tasks.a].sweep needs a SLURM site; site \"l\" is of kind local";
        QTest::newRow("sweep sets with other keys")
            << job("a", "sweep = [\n  { lr = 0.1, depth = 2 },\n  { lr = 0.2, width = 3 },\n]\n")
            << "13:3"
            << "set 2 has the keys lr, width but set 1 has depth, lr";
        QTest::newRow("sweep name")
            << job("a", "sweep = [{ \"learning-rate\" = 0.1 }]\n") << "11:30"
            << "\"learning-rate\" is not a valid parameter name";
        QTest::newRow("sweep names that clash")
            << job("a", "sweep = [{ lr = 0.1, LR = 0.2 }]\n") << "11:17"
            << "[tasks.a].sweep: \"LR\" and \"lr\" both become VIGIL_PARAM_LR";
        QTest::newRow("sweep_parallel without sweep") << job("a", "sweep_parallel = 2\n") << "11:18"
                                                      << "[tasks.a].sweep_parallel needs a sweep";

        // Gates.
        const QByteArray gate = job("a") + "[tasks.g]\nkind = \"gate\"\nafter = [\"a\"]\nquestion "
                                           "= \"Go on?\"\n"; // lines 11-14
        QTest::newRow("gate without options") << gate << "11:1"
                                              << "[tasks.g]: a gate needs options";
        QTest::newRow("gate with no option") << gate + "options = []\n"
                                             << "15:11"
                                             << "[tasks.g]: a gate needs options";
        QTest::newRow("gate default not an option")
            << gate + "options = [{ name = \"yes\" }, { name = \"no\" }]\ndefault = \"maybe\"\n"
            << "16:11"
            << "[tasks.g].default \"maybe\" is not one of the gate's options (yes, no)";
        QTest::newRow("gate with a site") << gate + "options = [{ name = \"yes\" }]\nsite = \"c\"\n"
                                          << "16:8"
                                          << "[tasks.g].site: a gate has no site (it runs no job)";
        QTest::newRow("gate with a command")
            << gate + "options = [{ name = \"yes\" }]\ncommand = \"x\"\n"
            << "16:11"
            << "[tasks.g].command: a gate has no command";
        QTest::newRow("gate without question")
            << job("a") + "[tasks.g]\nkind = \"gate\"\noptions = [{ name = \"y\" }]\n"
            << "11:1"
            << "[tasks.g] needs \"question\"";
        QTest::newRow("enables an unknown task")
            << gate + "options = [{ name = \"yes\", enables = [\"deploy\"] }]\n"
            << "15:39"
            << "[tasks.g] option \"yes\" enables \"deploy\", which is not a task";
        QTest::newRow("skips a task before the gate")
            << gate + "options = [{ name = \"no\", skips = [\"a\"] }]\n"
            << "15:36"
            << "option \"no\" skips \"a\", which does not come after the gate";
        QTest::newRow("enables a task after another branch")
            << gate + "options = [{ name = \"yes\", enables = [\"d\"] }]\n" + job("b") +
                   job("d", "after = [\"b\"]\n")
            << "15:39"
            << "enables \"d\", which does not come after the gate";
        QTest::newRow("enables and skips one task")
            << gate + "options = [{ name = \"yes\", enables = [\"d\"], skips = [\"d\"] }]\n" +
                   job("d", "after = [\"g\"]\n")
            << "15:53"
            << "option \"yes\" both enables and skips task \"d\"";
        QTest::newRow("option name") << gate + "options = [{ name = \"y es\" }]\n"
                                     << "15:21"
                                     << "[tasks.g].options.name";
        QTest::newRow("option twice") << gate + "options = [{ name = \"y\" }, { name = \"y\" }]\n"
                                      << "15:28"
                                      << "\"y\" is there twice";
        QTest::newRow("param default of another type")
            << gate + "options = [{ name = \"y\" }]\nparams = [{ name = \"lr\", type = "
                      "\"number\", default = \"0.1\" }]\n"
            << "16:53"
            << "[tasks.g].params.default must be a number (the param is of type number)";
        QTest::newRow("integer param given a float")
            << gate + "options = [{ name = \"y\" }]\nparams = [{ name = \"n\", type = "
                      "\"integer\", default = 2.5 }]\n"
            << "16:53"
            << "default must be an integer";
        QTest::newRow("param default out of bounds")
            << gate + "options = [{ name = \"y\" }]\nparams = [{ name = \"lr\", type = "
                      "\"number\", default = 2, min = 0, max = 1 }]\n"
            << "16:53"
            << "[tasks.g].params.default 2 is outside [0, 1]";
        QTest::newRow("param max below min")
            << gate + "options = [{ name = \"y\" }]\nparams = [{ name = \"n\", type = "
                      "\"integer\", default = 2, min = 5, max = 1 }]\n"
            << "16:71"
            << "max 1 is below min 5";
        QTest::newRow("enum default not a choice")
            << gate + "options = [{ name = \"y\" }]\nparams = [{ name = \"m\", type = \"enum\", "
                      "default = \"c\", choices = [\"a\", \"b\"] }]\n"
            << "16:50"
            << "default \"c\" is not one of the choices (a, b)";
        QTest::newRow("param type")
            << gate + "options = [{ name = \"y\" }]\nparams = [{ name = \"m\", type = \"float\", "
                      "default = 1.0 }]\n"
            << "16:32"
            << "[tasks.g].params.type is \"float\"; expected number";
        QTest::newRow("param name")
            << gate + "options = [{ name = \"y\" }]\nparams = [{ name = \"-m\", type = \"string\", "
                      "default = \"\" }]\n"
            << "16:20"
            << "[tasks.g].params.name";
        QTest::newRow("param without default")
            << gate + "options = [{ name = \"y\" }]\nparams = [{ name = \"m\", type = \"string\" "
                      "}]\n"
            << "16:11"
            << "[tasks.g].params needs \"default\"";
        QTest::newRow("min on a string param")
            << gate + "options = [{ name = \"y\" }]\nparams = [{ name = \"m\", type = \"string\", "
                      "default = \"\", min = 1 }]\n"
            << "16:62"
            << "[tasks.g].params.min applies only to number and integer params";
        QTest::newRow("gate approver")
            << gate + "options = [{ name = \"y\" }]\napprovers = [\"ann\", \"-root\"]\n"
            << "16:21"
            << "[tasks.g].approvers:";

        // Names.
        QTest::newRow("site name") << QByteArray("[workflow]\nname = \"w\"\n[sites.\"a b\"]\nkind "
                                                 "= \"local\"\n[tasks.a]\nsite = \"a b\"\n"
                                                 "command = \"x\"\n")
                                   << "3:1"
                                   << "site name";
        QTest::newRow("task name") << job("\"a;b\"") << "8:1"
                                   << "task name";
        QTest::newRow("workflow name")
            << QByteArray("[workflow]\nname = \"my flow\"\n[sites.l]\nkind = \"local\"\n"
                          "[tasks.a]\nsite = \"l\"\ncommand = \"x\"\n")
            << "2:8"
            << "[workflow].name";
    }
    void problems()
    {
        QFETCH(QByteArray, toml);
        QFETCH(QString, where);
        QFETCH(QString, what);
        // The rows that define their own [workflow] come without the head.
        const QByteArray text = toml.startsWith("[workflow]") ? toml : kHead + toml;
        const WorkflowCheck check = checkWorkflow(text, QStringLiteral("wf.toml"));
        QStringList all;
        for (const WorkflowProblem &p : check.problems)
            all << p.toString();
        const QString expected = QStringLiteral("wf.toml:%1: ").arg(where);
        bool found = false;
        for (const QString &p : std::as_const(all))
            found = found || (p.startsWith(expected) && p.contains(what));
        QVERIFY2(found, qPrintable(QStringLiteral("expected %1...%2 in:\n%3")
                                       .arg(expected, what, all.join(QLatin1Char('\n')))));
        // loadWorkflow's Result carries the first problem.
        const auto wf = parseWorkflow(text, QStringLiteral("wf.toml"));
        QVERIFY(!wf.ok());
        QCOMPARE(wf.errorString(), all.first());
    }

    // A file with several problems gives them all, in the order of the file.
    void collectsEveryProblem()
    {
        const QByteArray text = kHead + "[tasks.a]\n"               // 8
                                        "site = \"nowhere\"\n"      // 9
                                        "command = \"x\"\n"         // 10
                                        "retries = -1\n"            // 11
                                        "[tasks.b]\n"               // 12
                                        "site = \"c\"\n"            // 13
                                        "comand = \"x\"\n"          // 14
                                        "after = [\"a\", \"z\"]\n"; // 15
        const WorkflowCheck check = checkWorkflow(text, QStringLiteral("f.toml"));
        QStringList got;
        for (const WorkflowProblem &p : check.problems)
            got << QStringLiteral("%1:%2").arg(p.line).arg(p.column);
        QCOMPARE(got, (QStringList{QStringLiteral("9:8"), QStringLiteral("11:11"),
                                   QStringLiteral("12:1"), QStringLiteral("14:1"),
                                   QStringLiteral("15:15")}));
        QVERIFY(check.problems[2].message.contains(QStringLiteral("needs \"command\"")));
        QVERIFY(check.problems[3].message.contains(QStringLiteral("did you mean \"command\"")));
        QVERIFY(check.problems[4].message.contains(QStringLiteral("\"z\", which is not a task")));
    }

    void syntaxErrorIsTheOnlyProblem()
    {
        const WorkflowCheck check =
            checkWorkflow("[workflow]\nname = \"w\n", QStringLiteral("f.toml"));
        QCOMPARE(check.problems.size(), 1);
        QCOMPARE(check.problems[0].line, 2);
        QVERIFY(check.problems[0].toString().startsWith(QStringLiteral("f.toml:2:")));
    }

    void missingFile()
    {
        const WorkflowCheck check = checkWorkflowFile(QStringLiteral("/nonexistent/w.toml"));
        QCOMPARE(check.problems.size(), 1);
        QCOMPARE(check.problems[0].line, 0);
        QVERIFY(check.problems[0].toString().startsWith(
            QStringLiteral("/nonexistent/w.toml: cannot open the workflow")));
    }

    void durations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("seconds"); // -1: refused
        QTest::newRow("minutes") << "90m" << qint64(5400);
        QTest::newRow("hours") << "2h" << qint64(7200);
        QTest::newRow("day and a half") << "1d12h" << qint64(129600);
        QTest::newRow("all units") << "1d1h1m1s" << qint64(90061);
        QTest::newRow("seconds") << "45s" << qint64(45);
        QTest::newRow("zero") << "0m" << qint64(-1);
        QTest::newRow("empty") << "" << qint64(-1);
        QTest::newRow("no unit") << "90" << qint64(-1);
        QTest::newRow("out of order") << "12h1d" << qint64(-1);
        QTest::newRow("space") << "1h 30m" << qint64(-1);
        QTest::newRow("too long") << "400d" << qint64(-1);
        QTest::newRow("negative") << "-1h" << qint64(-1);
    }
    void durations()
    {
        QFETCH(QString, text);
        QFETCH(qint64, seconds);
        const auto r = workflowvalues::parseDuration(text);
        QCOMPARE(r.ok(), seconds >= 0);
        if (r)
            QCOMPARE(*r, seconds);
    }

    void timeLimits_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("seconds"); // -2: refused; -1 unlimited
        QTest::newRow("MM") << "30" << qint64(1800);
        QTest::newRow("MM:SS") << "30:15" << qint64(1815);
        QTest::newRow("HH:MM:SS") << "00:10:00" << qint64(600);
        QTest::newRow("long HH") << "100:00:00" << qint64(360000);
        QTest::newRow("D-HH") << "2-12" << qint64(216000);
        QTest::newRow("D-HH:MM") << "1-00:30" << qint64(88200);
        QTest::newRow("D-HH:MM:SS") << "1-00:00:01" << qint64(86401);
        QTest::newRow("unlimited") << "UNLIMITED" << qint64(-1);
        QTest::newRow("zero") << "0" << qint64(-2);
        QTest::newRow("seconds 60") << "10:60" << qint64(-2);
        QTest::newRow("hours 24 after days") << "1-24" << qint64(-2);
        QTest::newRow("words") << "1h" << qint64(-2);
        QTest::newRow("option") << "--wrap" << qint64(-2);
        QTest::newRow("four fields") << "1:2:3:4" << qint64(-2);
    }
    void timeLimits()
    {
        QFETCH(QString, text);
        QFETCH(qint64, seconds);
        const auto r = workflowvalues::parseTimeLimit(text);
        QCOMPARE(r.ok(), seconds != -2);
        if (r)
            QCOMPARE(*r, seconds);
    }

    void memory_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::newRow("G") << "4G" << true;
        QTest::newRow("M") << "500M" << true;
        QTest::newRow("plain") << "4096" << true;
        QTest::newRow("T") << "1T" << true;
        QTest::newRow("GB") << "4GB" << false;
        QTest::newRow("lower case") << "4g" << false;
        QTest::newRow("zero") << "0" << false;
        QTest::newRow("negative") << "-4G" << false;
        QTest::newRow("fraction") << "1.5G" << false;
    }
    void memory()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QCOMPARE(workflowvalues::validateMemory(text).ok(), ok);
    }
};

QTEST_GUILESS_MAIN(TestWorkflowValidate)
#include "tst_workflowvalidate.moc"
