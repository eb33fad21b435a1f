// SPDX-License-Identifier: GPL-3.0-or-later
// A real container task, no mocks: the test builds a busybox image with
// `podman import`, vigilctl launches a workflow whose task runs in it on the
// local site, and the task's output, metrics written by vigil-job inside the
// container, exit code and markers are read back from the run directory.
//
// Needs rootful podman (the test runs as root, like CI): `./dev test`
// installs CONTAINER_PKGS (podman, runc, busybox-static). The podman
// configuration is private to the test (its own storage, runc, file events,
// cgroupfs and explicit ulimits), so that it works on a machine without
// systemd and without CAP_SYS_RESOURCE, and touches nothing of the host's.
#include "../common/testfiles.h"
#include "vigilctlrunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace vigil::test;

using vigil::test::readAll;
using vigil::test::writeFile;

namespace {

const QString kImage = QStringLiteral("localhost/vigil-test-busybox:1");

struct Ran
{
    int exitCode = -1;
    QByteArray out;
};

Ran runTool(const QString &program, const QStringList &args, const QStringList &env = {},
            int timeoutMs = 120000)
{
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const QString &kv : env)
        e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    p.setProcessEnvironment(e);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    Ran r;
    if (!p.waitForStarted(10000)) {
        r.out = "cannot start " + program.toUtf8() + ": " + p.errorString().toUtf8();
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.out = program.toUtf8() + " timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAll();
    return r;
}

} // namespace

class TestContainerRun : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    QString m_podman;
    QStringList m_podmanEnv; // CONTAINERS_CONF=..., CONTAINERS_STORAGE_CONF=...

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_podman = QStandardPaths::findExecutable(QStringLiteral("podman"));
        QVERIFY2(!m_podman.isEmpty(),
                 "podman is not installed: ./dev test installs CONTAINER_PKGS (podman runc "
                 "busybox-static)");
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("runc")).isEmpty(),
                 "runc is not installed (CONTAINER_PKGS)");
        QVERIFY2(QFileInfo(QStringLiteral("/bin/busybox")).isExecutable(),
                 "/bin/busybox is missing (busybox-static, CONTAINER_PKGS)");

        // A private podman: storage, run state, configuration.
        const QString root = m_tmp.filePath(QStringLiteral("podman"));
        QVERIFY(QDir().mkpath(root));
        const QString conf = root + QStringLiteral("/containers.conf");
        const QString storage = root + QStringLiteral("/storage.conf");
        QVERIFY(writeFile(conf, "[containers]\n"
                                "default_ulimits = [\"nofile=1024:1024\", \"nproc=4096:4096\"]\n"
                                "[engine]\nruntime = \"runc\"\ncgroup_manager = \"cgroupfs\"\n"
                                "events_logger = \"file\"\n"));
        QVERIFY(writeFile(storage, QStringLiteral("[storage]\ndriver = \"vfs\"\nrunroot = "
                                                  "\"%1/run\"\ngraphroot = \"%1/storage\"\n")
                                       .arg(root)
                                       .toUtf8()));
        m_podmanEnv = {QStringLiteral("CONTAINERS_CONF=") + conf,
                       QStringLiteral("CONTAINERS_STORAGE_CONF=") + storage};

        // The image: a static busybox and a file that only the image has.
        const QString rootfs = m_tmp.filePath(QStringLiteral("rootfs"));
        for (const char *d : {"bin", "etc", "tmp", "proc", "sys", "dev"})
            QVERIFY(QDir().mkpath(rootfs + QLatin1Char('/') + QLatin1String(d)));
        QVERIFY(
            QFile::copy(QStringLiteral("/bin/busybox"), rootfs + QStringLiteral("/bin/busybox")));
        for (const char *tool : {"sh", "cat", "echo", "ls", "sleep", "test", "id", "env", "pwd"})
            QVERIFY(::symlink("busybox", QFile::encodeName(rootfs + QStringLiteral("/bin/") +
                                                           QLatin1String(tool))
                                             .constData()) == 0);
        QVERIFY(writeFile(rootfs + QStringLiteral("/etc/vigil-image"), "vigil-test-image\n"));
        const QString tar = m_tmp.filePath(QStringLiteral("rootfs.tar"));
        Ran t = runTool(QStringLiteral("tar"), {QStringLiteral("-C"), rootfs, QStringLiteral("-cf"),
                                                tar, QStringLiteral(".")});
        QVERIFY2(t.exitCode == 0, t.out.constData());
        Ran imp = runTool(m_podman, {QStringLiteral("import"), tar, kImage}, m_podmanEnv);
        QVERIFY2(imp.exitCode == 0, imp.out.constData());
        // The runtime itself works here before Vigil is involved.
        Ran probe = runTool(m_podman,
                            {QStringLiteral("run"), QStringLiteral("--rm"), kImage,
                             QStringLiteral("/bin/cat"), QStringLiteral("/etc/vigil-image")},
                            m_podmanEnv);
        QVERIFY2(probe.exitCode == 0 && probe.out.contains("vigil-test-image"),
                 probe.out.constData());
    }

    void taskRunsInPodman()
    {
        const QString data = m_tmp.filePath(QStringLiteral("data dir"));
        QVERIFY(QDir().mkpath(data));
        QVERIFY(writeFile(data + QStringLiteral("/in.txt"), "hello from the host\n"));
        const QString runRoot = m_tmp.filePath(QStringLiteral("runs"));
        QString toml = QStringLiteral(
            "[workflow]\nname = \"container-test\"\n"
            "[sites.here]\nkind = \"local\"\nrun_root = \"%1\"\n"
            "[tasks.boxed]\nsite = \"here\"\n"
            "command = [\"/bin/sh\", \"-c\", \"cat /etc/vigil-image /data/in.txt; "
            "echo \\\"arg=$1 pwd=$(pwd)\\\"; \\\"$VIGIL_JOB\\\" log-metrics loss=0.5 --step 1 "
            "&& exit 7\", \"sh\", \"$(not run) 'q'\"]\n"
            "container = { image = \"%2\", binds = [\"%3:/data:ro\"] }\n"
            "[tasks.boxed.environment]\n");
        toml = toml.arg(runRoot, kImage, data);
        for (const QString &kv : std::as_const(m_podmanEnv))
            toml += QStringLiteral("%1 = \"%2\"\n")
                        .arg(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
        const QString wf = m_tmp.filePath(QStringLiteral("workflow.toml"));
        QVERIFY(writeFile(wf, toml.toUtf8()));

        const CtlResult launch = runCtl({QStringLiteral("launch"), wf, QStringLiteral("--json")});
        QVERIFY2(launch.exitCode == 0, qPrintable(launch.describe()));
        const QString run = launch.launchedRun();
        QVERIFY2(!run.isEmpty(), qPrintable(launch.describe()));
        const QString taskDir = runRoot + QLatin1Char('/') + run + QStringLiteral("/tasks/boxed");
        const QString script = QString::fromUtf8(readAll(taskDir + QStringLiteral("/job.sh")));
        QVERIFY2(script.contains(QStringLiteral("-- podman run --rm --network=host --volume ")),
                 qPrintable(script));

        // The task ends: task-exec (outside the container) writes the marker.
        const QString failed = taskDir + QStringLiteral("/boxed.failed");
        QVERIFY2(QTest::qWaitFor([&] { return QFileInfo::exists(failed); }, 90000),
                 readAll(taskDir + QStringLiteral("/output.log")).constData());
        QCOMPARE(readAll(failed), QByteArray("7\n"));
        QVERIFY(!QFileInfo::exists(taskDir + QStringLiteral("/boxed.done")));
        const QJsonObject state =
            QJsonDocument::fromJson(readAll(taskDir + QStringLiteral("/state.json"))).object();
        QCOMPARE(state.value(QStringLiteral("exit_code")).toInt(), 7);
        QCOMPARE(state.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));

        const QByteArray out = readAll(taskDir + QStringLiteral("/output.log"));
        QVERIFY2(out.contains("vigil-test-image\n"), out.constData());    // ran in the image
        QVERIFY2(out.contains("hello from the host\n"), out.constData()); // the bind
        const QByteArray expectArg =
            "arg=$(not run) 'q' pwd=" + (runRoot + QLatin1Char('/') + run).toUtf8() + "\n";
        QVERIFY2(out.contains(expectArg), out.constData());
        // vigil-job ran inside the container (its directory and the run are bound).
        const QByteArray metrics =
            readAll(runRoot + QLatin1Char('/') + run + QStringLiteral("/metrics/metrics.csv"));
        QCOMPARE(metrics, QByteArray("step,loss\n1,0.5\n"));
        qInfo("%s", out.constData());
    }
};

QTEST_GUILESS_MAIN(TestContainerRun)
#include "tst_container_run.moc"
