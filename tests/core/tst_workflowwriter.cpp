// SPDX-License-Identifier: GPL-3.0-or-later
// Reading every key of the workflow format, and saving: parse(save(w)) == w
// and save(parse(save(w))) == save(w), byte for byte, for every example and
// test workflow; the layout itself; the atomic save.
#include "workflow/workflow.h"
#include "workflow/writer.h"

#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

// Every table and key of the format, once at least (at the end of the file:
// moc does not read raw strings).
extern const char *const kEveryKey;

namespace {

QStringList tomlFiles(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, {QStringLiteral("*.toml")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    out.sort();
    return out;
}

} // namespace

class TestWorkflowWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsEveryKey()
    {
        const WorkflowCheck check = checkWorkflow(kEveryKey, QStringLiteral("every.toml"));
        QStringList problems;
        for (const auto &p : check.problems)
            problems << p.toString();
        QVERIFY2(check.ok(), qPrintable(problems.join(QLatin1Char('\n'))));
        const Workflow &wf = check.workflow;
        QCOMPARE(wf.name, QStringLiteral("every-key"));
        QCOMPARE(wf.description, QStringLiteral("A workflow with \"every\" key"));
        QCOMPARE(wf.approvers, (QStringList{QStringLiteral("ann"), QStringLiteral("bob@lab")}));

        // Sites and tasks keep the order of the file.
        QCOMPARE(wf.sites.size(), 2);
        QCOMPARE(wf.sites[0].name, QStringLiteral("cluster"));
        const SiteSpec &c = wf.sites[0];
        QCOMPARE(c.kind, SiteSpec::Kind::Slurm);
        QCOMPARE(c.port, 2222);
        QCOMPARE(c.proxyJump, QStringLiteral("gw.example.org"));
        QCOMPARE(c.qos, QStringLiteral("normal"));
        QCOMPARE(c.workDirectory, QStringLiteral("work"));
        QCOMPARE(c.containerRuntime, QStringLiteral("apptainer"));
        QCOMPARE(c.pollSeconds, 30);
        QCOMPARE(wf.sites[1].runRoot, QStringLiteral("vigil-runs"));
        QStringList names;
        for (const TaskSpec &t : wf.tasks)
            names << t.name;
        QCOMPARE(names, (QStringList{QStringLiteral("prepare"), QStringLiteral("train"),
                                     QStringLiteral("review"), QStringLiteral("retrain"),
                                     QStringLiteral("deploy")}));

        const TaskSpec &prep = wf.tasks[0];
        QCOMPARE(prep.kind, TaskSpec::Kind::Job);
        QCOMPARE(prep.script, QStringLiteral("prepare.sh"));
        QVERIFY(prep.command.isEmpty());
        QCOMPARE(prep.workDirectory, QStringLiteral("/tmp/prepare"));
        QCOMPARE(prep.outputs,
                 (QStringList{QStringLiteral("clean.csv"), QStringLiteral("stats/summary.json")}));
        QCOMPARE(prep.environment.value(QStringLiteral("SEED")), QStringLiteral("42"));
        QCOMPARE(prep.position, QPointF(10, 20.5));
        QVERIFY(prep.hasPosition);

        const TaskSpec &train = wf.tasks[1];
        QCOMPARE(train.inputs.size(), 2);
        QCOMPARE(train.inputs[1],
                 (DataInput{QStringLiteral("clean.csv"), QStringLiteral("prepare")}));
        QCOMPARE(train.retries, 2);
        QCOMPARE(train.checkpoints.size(), 2);
        QCOMPARE(train.checkpoints[0].id, QStringLiteral("epoch-1"));
        QCOMPARE(train.checkpoints[1].title, QStringLiteral("Stop early?"));
        QCOMPARE(train.checkpoints[1].options,
                 (QStringList{QStringLiteral("stop"), QStringLiteral("go-on")}));
        QCOMPARE(train.container.runtime, QStringLiteral("podman"));
        QCOMPARE(train.sweep.size(), 3);
        QCOMPARE(train.sweep[0].value(QStringLiteral("lr")), QStringLiteral("0.1"));
        QCOMPARE(train.sweep[1].value(QStringLiteral("lr")), QStringLiteral("1e-05"));
        QCOMPARE(train.sweep[1].value(QStringLiteral("depth")), QStringLiteral("4"));
        QCOMPARE(train.sweep[1].value(QStringLiteral("name")), QStringLiteral("big one"));
        QCOMPARE(train.sweepParallel, 2);
        const TaskResources &r = train.resources;
        QCOMPARE(r.time, QStringLiteral("1-00:00:00"));
        QCOMPARE(r.cpus, 4);
        QCOMPARE(r.gpus, 1);
        QCOMPARE(r.memory, QStringLiteral("16G"));
        QCOMPARE(r.nodes, 1);
        QCOMPARE(r.partition, QStringLiteral("a100"));
        QCOMPARE(r.account, QStringLiteral("proj2"));
        QCOMPARE(r.qos, QStringLiteral("high"));
        QCOMPARE(r.extraArgs,
                 (QStringList{QStringLiteral("--constraint=a100"), QStringLiteral("--exclusive")}));

        const TaskSpec &review = wf.tasks[2];
        QVERIFY(review.isGate());
        const GateSpec &g = review.gate;
        QCOMPARE(g.question, QStringLiteral("Deploy the model?"));
        QCOMPARE(g.body, QStringLiteral("The **loss** went down.\nCheck \"the plots\" \\ first."));
        QCOMPARE(g.options.size(), 3);
        QCOMPARE(g.options[0], (GateOption{QStringLiteral("deploy"),
                                           QStringLiteral("Deploy it"),
                                           {QStringLiteral("deploy")},
                                           {QStringLiteral("retrain")}}));
        QCOMPARE(g.params.size(), 5);
        QCOMPARE(g.params[0].type, ParamSpec::Type::Number);
        QCOMPARE(g.params[0].defaultValue, QStringLiteral("0.01"));
        QCOMPARE(g.params[0].min, QStringLiteral("0"));
        QCOMPARE(g.params[0].max, QStringLiteral("1"));
        QCOMPARE(g.params[1].type, ParamSpec::Type::Integer);
        QCOMPARE(g.params[3].defaultValue, QStringLiteral("true"));
        QCOMPARE(g.params[4].choices, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(g.approvers, QStringList{QStringLiteral("carol")});
        QCOMPARE(g.deadline, QStringLiteral("1d12h"));
        QCOMPARE(g.deadlineSeconds, qint64(129600));
        QCOMPARE(g.defaultOption, QStringLiteral("stop"));

        QCOMPARE(wf.tasks[3].command.first(), QStringLiteral("/bin/sh"));
        QCOMPARE(wf.tasks[3].array, QStringLiteral("0-3%2"));
        QCOMPARE(wf.tasks[4].inputs[0].fromTask, QStringLiteral("train"));
    }

    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("toml");
        QTest::newRow("every key") << QByteArray(kEveryKey);
        const QString src = qEnvironmentVariable("VIGIL_SOURCE_DIR");
        const QStringList files = tomlFiles(src + QStringLiteral("/examples"));
        QVERIFY(!files.isEmpty());
        for (const QString &path : files) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QTest::newRow(qPrintable(path.mid(src.size() + 1))) << f.readAll();
        }
        QTest::newRow("quoting") << QByteArray(
            "[workflow]\nname = \"q\"\ndescription = 'back\\slash \"quotes\" and \\u00e9'\n"
            "[sites.\"x.y\"]\nkind = \"local\"\n"
            "[tasks.\"a.b\"]\nsite = \"x.y\"\ncommand = [\"printf\", \"%s\\n\\u0001\", "
            "\"'$HOME'\"]\n"
            "environment = { A = \"multi\\nline\", B = \"\\\"\\\"\\\"\" }\n");
        // The complete example of the format's reference.
        QFile doc(src + QStringLiteral("/docs/workflow-format.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QByteArray md = doc.readAll();
        const qsizetype from = md.indexOf("```toml\n") + 8;
        QVERIFY(from > 8);
        QTest::newRow("docs/workflow-format.md") << md.mid(from, md.indexOf("```", from) - from);
        // Strings that look like numbers stay strings; numbers keep one text.
        QTest::newRow("scalars") << QByteArray(
            "[workflow]\nname = \"n\"\n[sites.c]\nkind = \"slurm\"\nhost = \"h\"\n"
            "[tasks.t]\nsite = \"c\"\ncommand = \"true\"\nsweep = [{ a = \"1e5\", b = \"+1\", "
            "c = \"-0\", d = \"007\", e = 1e5, f = -0.0, g = \"true\", h = 1.5e300, i = -7, j = "
            "\"a\\nb\" }]\n");
        // A run-time change's skip, on a job and on a gate.
        QTest::newRow("skip") << QByteArray(
            "[workflow]\nname = \"s\"\n[sites.c]\nkind = \"local\"\n"
            "[tasks.a]\nsite = \"c\"\ncommand = \"true\"\nskip = \"not \\\"needed\\\"\"\n"
            "[tasks.g]\nkind = \"gate\"\nafter = [\"a\"]\nskip = \"by mail\"\nquestion = "
            "\"ok?\"\noptions = [{ name = \"y\" }]\n");
        QTest::newRow("order kept") << QByteArray(
            "[workflow]\nname = \"o\"\n[sites.z]\nkind = \"local\"\n[sites.a]\nkind = \"local\"\n"
            "[tasks.zeta]\nsite = \"z\"\ncommand = \"true\"\n[tasks.alpha]\nsite = \"a\"\n"
            "command = \"true\"\nafter = [\"zeta\"]\n");
    }
    void roundTrip()
    {
        QFETCH(QByteArray, toml);
        auto w = parseWorkflow(toml, QStringLiteral("in.toml"));
        QVERIFY2(w.ok(), qPrintable(w.errorString()));
        const QByteArray saved = workflowToToml(*w);
        auto again = parseWorkflow(saved, QStringLiteral("saved.toml"));
        QVERIFY2(again.ok(),
                 qPrintable(again.errorString() + QStringLiteral("\n") + QString::fromUtf8(saved)));
        QVERIFY2(*again == *w, saved.constData());
        QCOMPARE(workflowToToml(*again), saved);
    }

    // The layout: tables and keys in the documented order, unset keys left out.
    void layout()
    {
        Workflow wf;
        wf.name = QStringLiteral("w");
        SiteSpec s;
        s.name = QStringLiteral("c");
        s.kind = SiteSpec::Kind::Slurm;
        s.host = QStringLiteral("h");
        s.runRoot = QStringLiteral("vigil-runs");
        s.qos = QStringLiteral("q");
        wf.sites << s;
        TaskSpec t;
        t.name = QStringLiteral("t");
        t.site = QStringLiteral("c");
        t.command = {QStringLiteral("echo"), QStringLiteral("a b")};
        t.resources.gpus = 2;
        t.environment.insert(QStringLiteral("Z"), QStringLiteral("1"));
        t.environment.insert(QStringLiteral("A"), QStringLiteral("2"));
        wf.tasks << t;
        TaskSpec g;
        g.name = QStringLiteral("g");
        g.kind = TaskSpec::Kind::Gate;
        g.after = {QStringLiteral("t")};
        g.gate.question = QStringLiteral("ok?");
        g.gate.options << GateOption{QStringLiteral("yes"), {}, {}, {}};
        wf.tasks << g;
        const QByteArray expected = "[workflow]\n"
                                    "name = \"w\"\n"
                                    "\n"
                                    "[sites.c]\n"
                                    "kind = \"slurm\"\n"
                                    "host = \"h\"\n"
                                    "qos = \"q\"\n"
                                    "\n"
                                    "[tasks.t]\n"
                                    "site = \"c\"\n"
                                    "command = [\"echo\", \"a b\"]\n"
                                    "\n"
                                    "[tasks.t.resources]\n"
                                    "gpus = 2\n"
                                    "\n"
                                    "[tasks.t.environment]\n"
                                    "A = \"2\"\n"
                                    "Z = \"1\"\n"
                                    "\n"
                                    "[tasks.g]\n"
                                    "kind = \"gate\"\n"
                                    "after = [\"t\"]\n"
                                    "question = \"ok?\"\n"
                                    "options = [\n"
                                    "    { name = \"yes\" },\n"
                                    "]\n";
        QCOMPARE(workflowToToml(wf), expected);
        QCOMPARE(siteToToml(s),
                 QStringLiteral("[sites.c]\nkind = \"slurm\"\nhost = \"h\"\nqos = \"q\"\n"));
    }

    void savesAtomically()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto w = parseWorkflow(kEveryKey, QStringLiteral("in.toml"));
        QVERIFY(w.ok());
        const QString path = dir.filePath(QStringLiteral("w.toml"));
        QVERIFY(saveWorkflow(*w, path).ok());
        auto loaded = loadWorkflow(path);
        QVERIFY2(loaded.ok(), qPrintable(loaded.errorString()));
        QVERIFY(*loaded == *w);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("w.toml")});
        // A directory that does not exist: an error, and nothing written.
        const auto bad = saveWorkflow(*w, dir.filePath(QStringLiteral("no/such/w.toml")));
        QVERIFY(!bad.ok());
        QVERIFY2(bad.errorString().contains(QStringLiteral("cannot write workflow")),
                 qPrintable(bad.errorString()));
    }
};

const char *const kEveryKey = R"(# Every key.
[workflow]
name = "every-key"
description = "A workflow with \"every\" key"
approvers = ["ann", "bob@lab"]

[sites.cluster]
kind = "slurm"
host = "login.example.org"
user = "ann"
port = 2222
identity_file = "~/.ssh/id_ed25519"
known_hosts = "/etc/ssh/known"
proxy_jump = "gw.example.org"
run_root = "/scratch/ann/runs"
partition = "gpu"
account = "proj1"
qos = "normal"
work_dir = "work"
container_runtime = "apptainer"
poll_interval = 30

[sites.field]
kind = "local"

[tasks.prepare]
site = "field"
script = "prepare.sh"
work_dir = "/tmp/prepare"
inputs = ["data/raw.csv"]
outputs = ["clean.csv", "stats/summary.json"]
environment = { SEED = "42", MODE = "fast" }
position = [10, 20.5]

[tasks.train]
site = "cluster"
command = ["python3", "train.py", "--epochs", "3"]
after = ["prepare"]
inputs = ["train.py", { from = "prepare", path = "clean.csv" }]
outputs = ["model.pt"]
retries = 2
checkpoints = ["epoch-1", { id = "early-stop", title = "Stop early?", options = ["stop", "go-on"] }]
container = { image = "docker://python:3.11", runtime = "podman", binds = ["/data:/data:ro"] }
sweep = [
  { lr = 0.1, depth = 2, name = "small" },
  { lr = 1e-5, depth = 4, name = "big one" },
  { lr = 0.5, depth = 8, name = "x\ty" },
]
sweep_parallel = 2

[tasks.train.resources]
time = "1-00:00:00"
cpus = 4
gpus = 1
memory = "16G"
nodes = 1
partition = "a100"
account = "proj2"
qos = "high"
extra = ["--constraint=a100", "--exclusive"]

[tasks.review]
kind = "gate"
after = ["train"]
question = "Deploy the model?"
body = """
The **loss** went down.
Check "the plots" \\ first."""
options = [
  { name = "deploy", label = "Deploy it", enables = ["deploy"], skips = ["retrain"] },
  { name = "retrain", enables = ["retrain"], skips = ["deploy"] },
  { name = "stop" },
]
params = [
  { name = "lr", label = "Learning rate", type = "number", default = 0.01, min = 0, max = 1 },
  { name = "epochs", type = "integer", default = 10, min = 1 },
  { name = "note", type = "string", default = "none" },
  { name = "fast", type = "boolean", default = true },
  { name = "mode", type = "enum", default = "b", choices = ["a", "b"] },
]
approvers = ["carol"]
deadline = "1d12h"
default = "stop"
position = [300, 40]

[tasks.retrain]
site = "cluster"
command = "python3 train.py --again"
after = ["review"]
array = "0-3%2"

[tasks.deploy]
site = "field"
command = ["cp", "model.pt", "/opt/model.pt"]
after = ["review"]
inputs = [{ from = "train", path = "model.pt" }]
)";

QTEST_GUILESS_MAIN(TestWorkflowWriter)
#include "tst_workflowwriter.moc"
