// SPDX-License-Identifier: GPL-3.0-or-later
// The examples' files as shipped: each workflow.toml passes validation with
// no problem and has the shape its README describes, every input it names
// next to it is there, every Python script
// parses, and cif-ship-detection's factory model is what ships.py makes.
#include "workflow/workflow.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

using namespace vigil;

namespace {

QString exampleDir(const QString &name)
{
    return qEnvironmentVariable("VIGIL_SOURCE_DIR") + QStringLiteral("/examples/") + name;
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// python3 with `args` in `dir`, writing no byte code into the source tree.
Run python(const QStringList &args, const QString &dir)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("python3"), args);
    Run r;
    if (!p.waitForFinished(60000)) {
        r.err = "python3 did not finish: " + p.errorString().toUtf8();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class TestExampleFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validates_data();
    void validates();
    void scriptsParse_data();
    void scriptsParse();
    void factoryModelIsUpToDate();
};

void TestExampleFiles::validates_data()
{
    QTest::addColumn<QString>("example");
    QTest::addColumn<int>("jobs");
    QTest::addColumn<QStringList>("gates");
    QTest::addColumn<QStringList>("sites"); // NAME:KIND
    QTest::newRow("cif-ship-detection")
        << QStringLiteral("cif-ship-detection") << 4 << QStringList{QStringLiteral("validate")}
        << QStringList{QStringLiteral("field:local"), QStringLiteral("cluster:slurm")};
    QTest::newRow("sweep-and-pick")
        << QStringLiteral("sweep-and-pick") << 2 << QStringList{QStringLiteral("pick")}
        << QStringList{QStringLiteral("cluster:slurm")};
}

void TestExampleFiles::validates()
{
    QFETCH(QString, example);
    QFETCH(int, jobs);
    QFETCH(QStringList, gates);
    QFETCH(QStringList, sites);
    const QString dir = exampleDir(example);
    const WorkflowCheck check = checkWorkflowFile(dir + QStringLiteral("/workflow.toml"));
    QStringList problems;
    for (const WorkflowProblem &p : check.problems)
        problems << p.toString();
    QVERIFY2(check.ok(), qPrintable(problems.join(QLatin1Char('\n'))));
    const Workflow &wf = check.workflow;
    QCOMPARE(wf.name, example);

    QStringList siteKinds;
    for (const SiteSpec &s : wf.sites)
        siteKinds << s.name + QLatin1Char(':') + siteKindName(s.kind);
    QCOMPARE(siteKinds, sites);
    QStringList gateNames;
    int jobCount = 0;
    for (const TaskSpec &t : wf.tasks) {
        if (t.isGate()) {
            gateNames << t.name;
            // Each gate has a typed param that flows into the tasks after it.
            QCOMPARE(t.gate.params.size(), 1);
            QVERIFY(t.gate.params.first().type == ParamSpec::Type::Integer ||
                    t.gate.params.first().type == ParamSpec::Type::Number);
            continue;
        }
        ++jobCount;
        // Every file input is next to the workflow.
        for (const DataInput &in : t.inputs) {
            if (!in.fromTask.isEmpty())
                continue;
            const QString path = dir + QLatin1Char('/') + in.path;
            QVERIFY2(QFileInfo(path).isFile() && !QFileInfo(path).isSymLink(),
                     qPrintable(t.name + QStringLiteral(": ") + path));
        }
    }
    QCOMPARE(jobCount, jobs);
    QCOMPARE(gateNames, gates);
    QVERIFY(QFile::exists(dir + QStringLiteral("/README.md")));
}

void TestExampleFiles::scriptsParse_data()
{
    QTest::addColumn<QString>("example");
    QTest::addColumn<QString>("script");
    for (const QString &example :
         {QStringLiteral("cif-ship-detection"), QStringLiteral("sweep-and-pick")})
        for (const QString &f : QDir(exampleDir(example)).entryList({QStringLiteral("*.py")}))
            QTest::newRow(qPrintable(example + QLatin1Char('/') + f)) << example << f;
}

void TestExampleFiles::scriptsParse()
{
    QFETCH(QString, example);
    QFETCH(QString, script);
    const Run r = python({QStringLiteral("-c"),
                          QStringLiteral("import ast, sys; ast.parse(open(sys.argv[1]).read(), "
                                         "sys.argv[1])"),
                          script},
                         exampleDir(example));
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void TestExampleFiles::factoryModelIsUpToDate()
{
    const QString dir = exampleDir(QStringLiteral("cif-ship-detection"));
    const Run r = python({QStringLiteral("ships.py"), QStringLiteral("baseline")}, dir);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QFile shipped(dir + QStringLiteral("/baseline-model.json"));
    QVERIFY(shipped.open(QIODevice::ReadOnly));
    QCOMPARE(r.out, shipped.readAll());
}

QTEST_GUILESS_MAIN(TestExampleFiles)
#include "tst_example_files.moc"
