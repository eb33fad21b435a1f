// SPDX-License-Identifier: GPL-3.0-or-later
// Container tasks: the argv each runtime gets, the checks on images and
// binds, and the job script that runs it, executed by a real /bin/sh with
// hostile values to prove that every argument arrives exactly as written.
#include "engine/launcher.h"
#include "sites/container.h"
#include "workflow/workflow.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using container::Runtime;

namespace {

const QString kRun = QStringLiteral("/home/u/vigil-runs/r1");
const QString kHelper = QStringLiteral("/home/u/.local/share/vigil/bin/vigil-job-0.1.0-abc");

container::RunContext context(QStringList pass = {})
{
    return {kRun, kHelper, QStringLiteral("r1"), QStringLiteral("train"), std::move(pass)};
}

ContainerSpec spec(const QString &image, const QString &runtime = {}, const QStringList &binds = {})
{
    return ContainerSpec{image, runtime, binds};
}

SiteSpec site(SiteSpec::Kind kind, const QString &runtime = {})
{
    SiteSpec s;
    s.name = QStringLiteral("s");
    s.kind = kind;
    s.containerRuntime = runtime;
    return s;
}

} // namespace

class TestContainer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void apptainerArgv()
    {
        const ContainerSpec c{
            QStringLiteral("/shared/img/torch.sif"),
            {},
            {QStringLiteral("/scratch/data:/data:ro"), QStringLiteral("/models")}};
        auto argv = container::wrapCommand(c, Runtime::Apptainer, context(),
                                           {QStringLiteral("python3"), QStringLiteral("train.py")});
        QVERIFY2(argv.ok(), qPrintable(argv.errorString()));
        QCOMPARE(*argv, (QStringList{
                            QStringLiteral("apptainer"), QStringLiteral("exec"),
                            QStringLiteral("--bind"), kRun, QStringLiteral("--bind"),
                            QStringLiteral("/home/u/.local/share/vigil/bin:/home/u/.local/"
                                           "share/vigil/bin:ro"),
                            QStringLiteral("--bind"), QStringLiteral("/scratch/data:/data:ro"),
                            QStringLiteral("--bind"), QStringLiteral("/models"),
                            QStringLiteral("--pwd"), kRun, QStringLiteral("/shared/img/torch.sif"),
                            QStringLiteral("python3"), QStringLiteral("train.py")}));
        auto singularity =
            container::wrapCommand(c, Runtime::Singularity, context(), {QStringLiteral("true")});
        QVERIFY(singularity.ok());
        QCOMPARE(singularity->first(), QStringLiteral("singularity"));
        QCOMPARE(singularity->at(1), QStringLiteral("exec"));
    }

    void podmanArgv()
    {
        const ContainerSpec c{
            QStringLiteral("docker.io/library/python:3.12-slim"), {}, {QStringLiteral("/data")}};
        auto argv = container::wrapCommand(c, Runtime::Podman, context({QStringLiteral("LR")}),
                                           {QStringLiteral("python3"), QStringLiteral("train.py")});
        QVERIFY2(argv.ok(), qPrintable(argv.errorString()));
        QCOMPARE(*argv,
                 (QStringList{QStringLiteral("podman"),
                              QStringLiteral("run"),
                              QStringLiteral("--rm"),
                              QStringLiteral("--network=host"),
                              QStringLiteral("--volume"),
                              kRun + QLatin1Char(':') + kRun,
                              QStringLiteral("--volume"),
                              QStringLiteral("/home/u/.local/share/vigil/bin:/home/u/.local/share/"
                                             "vigil/bin:ro"),
                              QStringLiteral("--volume"),
                              QStringLiteral("/data:/data"), // never an anonymous volume
                              QStringLiteral("--workdir"),
                              kRun,
                              QStringLiteral("--env"),
                              QStringLiteral("VIGIL_RUN_DIR=") + kRun,
                              QStringLiteral("--env"),
                              QStringLiteral("VIGIL_RUN_ID=r1"),
                              QStringLiteral("--env"),
                              QStringLiteral("VIGIL_TASK=train"),
                              QStringLiteral("--env"),
                              QStringLiteral("VIGIL_JOB=") + kHelper,
                              QStringLiteral("--env"),
                              QStringLiteral("LR"),
                              QStringLiteral("docker.io/library/python:3.12-slim"),
                              QStringLiteral("python3"),
                              QStringLiteral("train.py")}));
        auto docker = container::wrapCommand(c, Runtime::Docker, context(), {QStringLiteral("x")});
        QVERIFY(docker.ok());
        QCOMPARE(docker->first(), QStringLiteral("docker"));
    }

    void helperInsideTheRunIsNotBoundTwice()
    {
        container::RunContext ctx = context();
        ctx.helperPath = kRun + QStringLiteral("/bin/vigil-job");
        auto argv = container::wrapCommand(spec(QStringLiteral("i")), Runtime::Apptainer, ctx,
                                           {QStringLiteral("x")});
        QVERIFY(argv.ok());
        QCOMPARE(argv->count(QStringLiteral("--bind")), 1);
    }

    void refusals()
    {
        auto noCommand =
            container::wrapCommand(spec(QStringLiteral("i")), Runtime::Podman, context(), {});
        QVERIFY(!noCommand.ok());
        container::RunContext colon = context();
        colon.runDir = QStringLiteral("/runs/a:b");
        auto c = container::wrapCommand(spec(QStringLiteral("i")), Runtime::Podman, colon,
                                        {QStringLiteral("x")});
        QVERIFY(!c.ok());
        QVERIFY2(c.errorString().contains(QStringLiteral("contains ':' or ','")),
                 qPrintable(c.errorString()));
        // The builder checks again what the loader checked.
        auto dash = container::wrapCommand(spec(QStringLiteral("-v")), Runtime::Podman, context(),
                                           {QStringLiteral("x")});
        QVERIFY(!dash.ok());
        auto bind = container::wrapCommand(spec(QStringLiteral("i"), {}, {QStringLiteral("rel")}),
                                           Runtime::Podman, context(), {QStringLiteral("x")});
        QVERIFY(!bind.ok());
    }

    void images_data()
    {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QString>("error"); // empty: accepted
        QTest::newRow("sif path") << QStringLiteral("/shared/img/torch-2.3.sif") << QString();
        QTest::newRow("relative sif") << QStringLiteral("img/app.sif") << QString();
        QTest::newRow("docker uri")
            << QStringLiteral("docker://nvcr.io/nvidia/pytorch:24.01-py3") << QString();
        QTest::newRow("digest") << QStringLiteral("python@sha256:0123abcd") << QString();
        QTest::newRow("local tag") << QStringLiteral("localhost/vigil-test:1") << QString();
        QTest::newRow("empty") << QString() << QStringLiteral("it is empty");
        QTest::newRow("option") << QStringLiteral("--privileged")
                                << QStringLiteral("starts with '-'");
        QTest::newRow("short option") << QStringLiteral("-v") << QStringLiteral("starts with '-'");
        QTest::newRow("space") << QStringLiteral("img --privileged")
                               << QStringLiteral("U+0020 at position 3");
        QTest::newRow("single quote") << QStringLiteral("img'x") << QStringLiteral("U+0027");
        QTest::newRow("double quote") << QStringLiteral("img\"x") << QStringLiteral("U+0022");
        QTest::newRow("substitution") << QStringLiteral("$(reboot)") << QStringLiteral("U+0024");
        QTest::newRow("backticks") << QStringLiteral("`id`") << QStringLiteral("U+0060");
        QTest::newRow("semicolon") << QStringLiteral("a;b") << QStringLiteral("U+003B");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("U+000A");
        QTest::newRow("nul") << QString(QStringLiteral("a") + QChar(0) + QStringLiteral("b"))
                             << QStringLiteral("U+0000");
        QTest::newRow("unicode") << QStringLiteral("caf\u00e9") << QStringLiteral("U+00E9");
        QTest::newRow("long") << QString(1025, QLatin1Char('a')) << QStringLiteral("longer than");
    }
    void images()
    {
        QFETCH(QString, image);
        QFETCH(QString, error);
        const auto r = container::validateImage(image);
        if (error.isEmpty()) {
            QVERIFY2(r.ok(), qPrintable(r.errorString()));
            return;
        }
        QVERIFY(!r.ok());
        QVERIFY2(r.errorString().contains(error), qPrintable(r.errorString()));
        QCOMPARE(r.error().kind, Error::Kind::Malformed);
    }

    void binds_data()
    {
        QTest::addColumn<QString>("bind");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("target");
        QTest::addColumn<bool>("readOnly");
        QTest::addColumn<QString>("error");
        QTest::newRow("same path") << QStringLiteral("/data") << QStringLiteral("/data")
                                   << QStringLiteral("/data") << false << QString();
        QTest::newRow("moved ro") << QStringLiteral("/scratch/x:/data:ro")
                                  << QStringLiteral("/scratch/x") << QStringLiteral("/data") << true
                                  << QString();
        QTest::newRow("rw") << QStringLiteral("/a:/b:rw") << QStringLiteral("/a")
                            << QStringLiteral("/b") << false << QString();
        // Legal path characters stay: the job script quotes every argument.
        QTest::newRow("spaces and quotes")
            << QStringLiteral("/data/my \"set\" 'v2' $(x) `y`")
            << QStringLiteral("/data/my \"set\" 'v2' $(x) `y`")
            << QStringLiteral("/data/my \"set\" 'v2' $(x) `y`") << false << QString();
        QTest::newRow("unicode") << QStringLiteral("/données/é:/d") << QStringLiteral("/données/é")
                                 << QStringLiteral("/d") << false << QString();
        QTest::newRow("relative") << QStringLiteral("data") << QString() << QString() << false
                                  << QStringLiteral("\"data\" is not an absolute path");
        QTest::newRow("option") << QStringLiteral("--privileged") << QString() << QString() << false
                                << QStringLiteral("is not an absolute path");
        QTest::newRow("option target") << QStringLiteral("/a:-v") << QString() << QString() << false
                                       << QStringLiteral("\"-v\" is not an absolute path");
        QTest::newRow("comma") << QStringLiteral("/a,/etc") << QString() << QString() << false
                               << QStringLiteral("',' at position 2");
        QTest::newRow("newline") << QStringLiteral("/a\n/b") << QString() << QString() << false
                                 << QStringLiteral("a control character");
        QTest::newRow("line separator") << QStringLiteral("/a\u2028b") << QString() << QString()
                                        << false << QStringLiteral("U+2028");
        QTest::newRow("bad option") << QStringLiteral("/a:/b:z") << QString() << QString() << false
                                    << QStringLiteral("\"z\" is not ro or rw");
        QTest::newRow("too many parts") << QStringLiteral("/a:/b:ro:x") << QString() << QString()
                                        << false << QStringLiteral("expected SRC[:DST[:ro|rw]]");
        QTest::newRow("empty") << QString() << QString() << QString() << false
                               << QStringLiteral("it is empty");
    }
    void binds()
    {
        QFETCH(QString, bind);
        QFETCH(QString, source);
        QFETCH(QString, target);
        QFETCH(bool, readOnly);
        QFETCH(QString, error);
        const auto b = container::parseBind(bind);
        if (!error.isEmpty()) {
            QVERIFY(!b.ok());
            QVERIFY2(b.errorString().contains(error), qPrintable(b.errorString()));
            QVERIFY(!container::validateBind(bind).ok());
            return;
        }
        QVERIFY2(b.ok(), qPrintable(b.errorString()));
        QCOMPARE(b->source, source);
        QCOMPARE(b->target, target);
        QCOMPARE(b->readOnly, readOnly);
    }

    void runtimes()
    {
        using K = SiteSpec::Kind;
        const ContainerSpec plain = spec(QStringLiteral("i"));
        QCOMPARE(*container::effectiveRuntime(plain, site(K::Slurm)), Runtime::Apptainer);
        QCOMPARE(*container::effectiveRuntime(plain, site(K::Ssh)), Runtime::Podman);
        QCOMPARE(*container::effectiveRuntime(plain, site(K::Local)), Runtime::Podman);
        QCOMPARE(*container::effectiveRuntime(plain, site(K::Slurm, QStringLiteral("singularity"))),
                 Runtime::Singularity);
        const ContainerSpec own = spec(QStringLiteral("i"), QStringLiteral("docker"));
        QCOMPARE(*container::effectiveRuntime(own, site(K::Slurm, QStringLiteral("singularity"))),
                 Runtime::Docker);
        QVERIFY(!container::effectiveRuntime(spec(QStringLiteral("i"), QStringLiteral("lxc")),
                                             site(K::Local))
                     .ok());
        for (Runtime r :
             {Runtime::Apptainer, Runtime::Singularity, Runtime::Podman, Runtime::Docker})
            QCOMPARE(*container::parseRuntime(container::runtimeName(r)), r);
    }

    // The loader fills TaskSpec from [tasks.X] and SiteSpec.containerRuntime.
    void loads()
    {
        auto wf = parseWorkflow(
            "[workflow]\nname=\"w\"\n"
            "[sites.hpc]\nkind=\"slurm\"\nhost=\"h\"\ncontainer_runtime=\"singularity\"\n"
            "[tasks.sweep]\nsite=\"hpc\"\ncommand=[\"python3\",\"t.py\"]\narray=\"0-199%20\"\n"
            "container={image=\"/img/t.sif\", binds=[\"/scratch:/scratch:ro\", \"/d\"]}\n"
            "[tasks.plain]\nsite=\"hpc\"\ncommand=[\"true\"]\n",
            QStringLiteral("wf.toml"));
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        QCOMPARE(wf->site(QStringLiteral("hpc"))->containerRuntime, QStringLiteral("singularity"));
        const TaskSpec *t = wf->task(QStringLiteral("sweep"));
        QCOMPARE(t->array, QStringLiteral("0-199%20"));
        QCOMPARE(t->container.image, QStringLiteral("/img/t.sif"));
        QVERIFY(t->container.runtime.isEmpty());
        QCOMPARE(t->container.binds,
                 (QStringList{QStringLiteral("/scratch:/scratch:ro"), QStringLiteral("/d")}));
        QCOMPARE(*container::effectiveRuntime(t->container, *wf->site(t->site)),
                 Runtime::Singularity);
        QVERIFY(wf->task(QStringLiteral("plain"))->container.isEmpty());
        QVERIFY(wf->task(QStringLiteral("plain"))->array.isEmpty());
        QCOMPARE(Launcher::logPath(*t, QStringLiteral("/r/tasks/sweep")),
                 QStringLiteral("/r/tasks/sweep/output_%a.log"));
        QCOMPARE(
            Launcher::logPath(*wf->task(QStringLiteral("plain")), QStringLiteral("/r/tasks/p")),
            QStringLiteral("/r/tasks/p/output.log"));
    }

    // The job script is run by /bin/sh with a stand-in vigil-job that prints
    // its argv: every hostile value arrives as exactly one argument.
    void jobScriptQuotesEverything_data()
    {
        QTest::addColumn<QString>("runtime");
        QTest::newRow("podman") << QStringLiteral("podman");
        QTest::newRow("apptainer") << QStringLiteral("apptainer");
    }
    void jobScriptQuotesEverything()
    {
        QFETCH(QString, runtime);
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        // A run directory and a helper directory with spaces, quotes, $ and backticks.
        const QString runDir = tmp.filePath(QStringLiteral("run dir 'q' \"dq\" $(id) `id` é"));
        const QString binDir = tmp.filePath(QStringLiteral("bin $HOME"));
        QVERIFY(QDir().mkpath(runDir));
        QVERIFY(QDir().mkpath(binDir));
        const QString fake = binDir + QStringLiteral("/vigil-job");
        QFile f(fake);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done\n"
                "printf 'ENV=%s\\0' \"$HOSTILE\"\n");
        f.close();
        QVERIFY(f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));

        TaskSpec task;
        task.name = QStringLiteral("train");
        task.command = {QStringLiteral("/bin/sh"),
                        QStringLiteral("-c"),
                        QStringLiteral("echo \"$1\" '$(rm -rf ~)' `id`; exit 3"),
                        QStringLiteral("--rm"),
                        QStringLiteral("-v"),
                        QStringLiteral("x; reboot"),
                        QStringLiteral("é ü \u4e2d")};
        task.environment.insert(QStringLiteral("HOSTILE"), QStringLiteral("a'b\"c $(d) `e`\nf"));
        task.container.image = QStringLiteral("localhost/img:1");
        task.container.runtime = runtime;
        task.container.binds = {QStringLiteral("/data/my 'set' $(x) `y`:/data:ro"),
                                QStringLiteral("/ünï")};
        auto script = Launcher::jobScript(task, site(SiteSpec::Kind::Local), QStringLiteral("r1"),
                                          runDir, fake);
        QVERIFY2(script.ok(), qPrintable(script.errorString()));
        const QString scriptPath = tmp.filePath(QStringLiteral("job.sh"));
        QFile s(scriptPath);
        QVERIFY(s.open(QIODevice::WriteOnly));
        s.write(*script);
        s.close();

        QProcess sh;
        sh.start(QStringLiteral("/bin/sh"), {scriptPath});
        QVERIFY(sh.waitForFinished(10000));
        QCOMPARE(sh.exitCode(), 0);
        QList<QByteArray> got = sh.readAllStandardOutput().split('\0');
        QCOMPARE(got.takeLast(), QByteArray()); // after the last NUL
        QCOMPARE(got.takeLast(), QByteArray("ENV=a'b\"c $(d) `e`\nf"));
        QStringList argv;
        for (const QByteArray &a : got)
            argv << QString::fromUtf8(a);

        container::RunContext ctx{
            runDir, fake, QStringLiteral("r1"), task.name, {QStringLiteral("HOSTILE")}};
        auto wrapped = container::wrapCommand(task.container, *container::parseRuntime(runtime),
                                              ctx, task.command);
        QVERIFY(wrapped.ok());
        const QStringList expected =
            QStringList{QStringLiteral("task-exec"), QStringLiteral("--task"),
                        QStringLiteral("train"), QStringLiteral("--")} +
            *wrapped;
        QCOMPARE(argv, expected);
        // The pieces that matter, spelled out.
        QVERIFY(argv.contains(QStringLiteral("/data/my 'set' $(x) `y`:/data:ro")));
        QVERIFY(argv.contains(runDir));
        QVERIFY(argv.contains(QStringLiteral("x; reboot")));
        QVERIFY(argv.contains(QStringLiteral("é ü \u4e2d")));
        QCOMPARE(argv.at(argv.indexOf(QStringLiteral("localhost/img:1")) + 1),
                 QStringLiteral("/bin/sh"));
    }
};

QTEST_GUILESS_MAIN(TestContainer)
#include "tst_container.moc"
