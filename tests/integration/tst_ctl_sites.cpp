// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl's site registry against the sandbox cluster, no mocks: the real
// vigilctl, a private HOME and XDG_CONFIG_HOME, no ssh_config file and no
// workflow. A site added with its user, port, key and known_hosts is listed,
// tested (host key, login, SLURM tools, vigil-job), gets the helper deployed,
// runs a job that `jobs --site` and `cancel` see, and is removed. vigil_job.py
// goes with the helper and is replaced when it is broken. A site that
// cannot be reached, an unknown host key and a duplicate name fail clearly.
#include "../ssh/sshtesthelpers.h"
#include "vigilctlrunner.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <sys/stat.h>
#include <tuple>

using namespace vigil;
using namespace vigil::test;

class TestCtlSites : public QObject
{
    Q_OBJECT
private:
    SandboxEnv m_env;
    QTemporaryDir m_dir;
    QString m_registry;
    QString m_runRoot;

    // `site add NAME` for the sandbox with every connection field explicit.
    QStringList addArgs(const QString &name, int port, const QString &knownHosts) const
    {
        return {QStringLiteral("site"),
                QStringLiteral("add"),
                name,
                QStringLiteral("--kind"),
                QStringLiteral("slurm"),
                QStringLiteral("--host"),
                m_env.sshHost,
                QStringLiteral("--port"),
                QString::number(port),
                QStringLiteral("--user"),
                m_env.user,
                QStringLiteral("--identity"),
                m_env.key,
                QStringLiteral("--known-hosts"),
                knownHosts,
                QStringLiteral("--partition"),
                QStringLiteral("debug"),
                QStringLiteral("--run-root"),
                m_runRoot,
                QStringLiteral("--poll"),
                QStringLiteral("30")};
    }

    static QJsonObject findSite(const QJsonArray &sites, const QString &name)
    {
        for (const QJsonValue &v : sites)
            if (v.toObject().value(QStringLiteral("name")).toString() == name)
                return v.toObject();
        return {};
    }

    static QJsonObject findJob(const QJsonArray &jobs, const QString &id)
    {
        for (const QJsonValue &v : jobs)
            if (v.toObject().value(QStringLiteral("job")).toString() == id)
                return v.toObject();
        return {};
    }

    QString writeFile(const QString &name, const QByteArray &data)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        f.write(data);
        return f.fileName();
    }

private Q_SLOTS:
    void initTestCase()
    {
        VIGIL_REQUIRE_SANDBOX(m_env);
        QVERIFY(m_dir.isValid());
        // Nothing of the user's own: no ~/.ssh/config, no registry, no agent.
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("home"))));
        qputenv("HOME", m_dir.filePath(QStringLiteral("home")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        qunsetenv("SSH_AUTH_SOCK");
        m_registry = m_dir.filePath(QStringLiteral("config/vigil/sites.toml"));
        m_runRoot = QStringLiteral("vigil-test-ctl-sites");
    }

    // proxy_jump reaches the site through the sandbox's jump sshd, which may
    // forward only to the login node: a wrong jump host fails, the right one works.
    void siteThroughJumpHost()
    {
        const QString jumpPort = m_env.value(QStringLiteral("VIGIL_SANDBOX_JUMP_PORT"));
        QVERIFY(!jumpPort.isEmpty());
        for (const auto &[name, jump, ok] :
             {std::tuple{QStringLiteral("viajump"),
                         QStringLiteral("%1@%2:%3").arg(m_env.user, m_env.sshHost, jumpPort), true},
              std::tuple{QStringLiteral("viabadjump"),
                         QStringLiteral("%1@%2:1").arg(m_env.user, m_env.sshHost), false}}) {
            CtlResult add = runCtl(addArgs(name, m_env.sshPort, m_env.knownHosts) +
                                   QStringList{QStringLiteral("--proxy-jump"), jump});
            QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
            CtlResult list =
                runCtl({QStringLiteral("site"), QStringLiteral("list"), QStringLiteral("--json")});
            QCOMPARE(findSite(list.jsonObject().value(QStringLiteral("sites")).toArray(), name)
                         .value(QStringLiteral("proxy_jump"))
                         .toString(),
                     jump);
            CtlResult test = runCtl({QStringLiteral("site"), QStringLiteral("test"), name});
            if (ok) {
                QVERIFY2(test.exitCode == 0, qPrintable(test.describe()));
            } else {
                QCOMPARE(test.exitCode, 1);
                QVERIFY2(test.err.contains("jump host"), qPrintable(test.describe()));
            }
            CtlResult removed = runCtl({QStringLiteral("site"), QStringLiteral("remove"), name});
            QCOMPARE(removed.exitCode, 0);
        }
    }

    void addListTestDeployJobsRemove()
    {
        // add: the registry is made, private.
        CtlResult add = runCtl(addArgs(QStringLiteral("sbx"), m_env.sshPort, m_env.knownHosts));
        QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
        QVERIFY2(add.out.contains("added site sbx"), qPrintable(add.describe()));
        struct stat st
        {
        };
        QCOMPARE(::stat(QFile::encodeName(m_registry).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);

        // list --json: one document, every field as given.
        CtlResult list =
            runCtl({QStringLiteral("site"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(list.exitCode == 0, qPrintable(list.describe()));
        QCOMPARE(list.jsonObject().value(QStringLiteral("registry")).toString(), m_registry);
        const QJsonObject listed = findSite(
            list.jsonObject().value(QStringLiteral("sites")).toArray(), QStringLiteral("sbx"));
        QCOMPARE(listed.value(QStringLiteral("kind")).toString(), QStringLiteral("slurm"));
        QCOMPARE(listed.value(QStringLiteral("host")).toString(), m_env.sshHost);
        QCOMPARE(listed.value(QStringLiteral("port")).toInt(), m_env.sshPort);
        QCOMPARE(listed.value(QStringLiteral("user")).toString(), m_env.user);
        QCOMPARE(listed.value(QStringLiteral("identity_file")).toString(), m_env.key);
        QCOMPARE(listed.value(QStringLiteral("known_hosts")).toString(), m_env.knownHosts);
        QCOMPARE(listed.value(QStringLiteral("poll_interval")).toInt(), 30);
        QCOMPARE(listed.value(QStringLiteral("source")).toString(), QStringLiteral("registry"));

        // test: a real connection with those fields (there is no ssh_config).
        CtlResult test = runCtl({QStringLiteral("site"), QStringLiteral("test"),
                                 QStringLiteral("sbx"), QStringLiteral("--json")});
        QVERIFY2(test.exitCode == 0, qPrintable(test.describe()));
        QJsonObject t = test.jsonObject();
        QCOMPARE(t.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(t.value(QStringLiteral("connected")).toBool(), true);
        QCOMPARE(t.value(QStringLiteral("authenticated")).toBool(), true);
        QCOMPARE(t.value(QStringLiteral("remote_user")).toString(), m_env.user);
        const QJsonObject hostKey = t.value(QStringLiteral("host_key")).toObject();
        QCOMPARE(hostKey.value(QStringLiteral("state")).toString(), QStringLiteral("known"));
        QVERIFY2(hostKey.value(QStringLiteral("fingerprint"))
                     .toString()
                     .startsWith(QStringLiteral("SHA256:")),
                 qPrintable(test.describe()));
        QVERIFY(t.value(QStringLiteral("home")).toString().startsWith(QLatin1Char('/')));
        const double ms = t.value(QStringLiteral("exec_ms")).toDouble();
        QVERIFY2(ms > 0 && ms < 5000, qPrintable(test.describe()));
        const QJsonObject slurm = t.value(QStringLiteral("slurm")).toObject();
        for (const char *tool : {"sbatch", "squeue", "sacct"})
            QVERIFY2(slurm.value(QLatin1String(tool)).toString().startsWith(QLatin1Char('/')),
                     qPrintable(test.describe()));
        QVERIFY2(QStringList({QStringLiteral("current"), QStringLiteral("other"),
                              QStringLiteral("missing")})
                     .contains(t.value(QStringLiteral("helper"))
                                   .toObject()
                                   .value(QStringLiteral("state"))
                                   .toString()),
                 qPrintable(test.describe()));

        // The same in words.
        CtlResult words =
            runCtl({QStringLiteral("site"), QStringLiteral("test"), QStringLiteral("sbx")});
        QVERIFY2(words.exitCode == 0, qPrintable(words.describe()));
        for (const char *part : {"host key:       SHA256:", "known", "authentication: ok, as",
                                 "home:           /", "exec round trip:", "sbatch /"})
            QVERIFY2(words.out.contains(part), qPrintable(words.describe()));

        // helper deploy: vigil-job is on the site, in this build's version.
        CtlResult deploy =
            runCtl({QStringLiteral("helper"), QStringLiteral("deploy"), QStringLiteral("--site"),
                    QStringLiteral("sbx"), QStringLiteral("--json")});
        QVERIFY2(deploy.exitCode == 0, qPrintable(deploy.describe()));
        const QString helperPath = deploy.jsonObject().value(QStringLiteral("path")).toString();
        const QString version = deploy.jsonObject().value(QStringLiteral("version")).toString();
        QVERIFY2(version.startsWith(QStringLiteral("vigil-job ")), qPrintable(deploy.describe()));
        QVERIFY2(helperPath.contains(QStringLiteral("/.local/share/vigil/bin/vigil-job-")),
                 qPrintable(deploy.describe()));
        test = runCtl({QStringLiteral("site"), QStringLiteral("test"), QStringLiteral("sbx"),
                       QStringLiteral("--json")});
        QVERIFY2(test.exitCode == 0, qPrintable(test.describe()));
        const QJsonObject helper = test.jsonObject().value(QStringLiteral("helper")).toObject();
        QCOMPARE(helper.value(QStringLiteral("state")).toString(), QStringLiteral("current"));
        QCOMPARE(helper.value(QStringLiteral("path")).toString(), helperPath);
        QCOMPARE(helper.value(QStringLiteral("version")).toString(), version);

        // A job on the site: the workflow's [sites.sbx] is the registry's text, pasted.
        QFile reg(m_registry);
        QVERIFY(reg.open(QIODevice::ReadOnly));
        const QString wf =
            writeFile(QStringLiteral("sleep.toml"),
                      "[workflow]\nname = \"ctl-sites\"\n" + reg.readAll() +
                          "\n[tasks.nap]\nsite = \"sbx\"\ncommand = [\"sleep\", \"120\"]\n"
                          "[tasks.nap.resources]\ntime = \"00:05:00\"\n");
        CtlResult lw = runCtl({QStringLiteral("site"), QStringLiteral("list"),
                               QStringLiteral("--workflow"), wf, QStringLiteral("--json")});
        QVERIFY2(lw.exitCode == 0, qPrintable(lw.describe()));
        const QJsonArray both = lw.jsonObject().value(QStringLiteral("sites")).toArray();
        QCOMPARE(both.size(), 1); // the workflow's sbx wins over the registry's
        QCOMPARE(findSite(both, QStringLiteral("sbx")).value(QStringLiteral("source")).toString(),
                 QStringLiteral("workflow"));
        CtlResult launch = runCtl({QStringLiteral("launch"), wf, QStringLiteral("--json")});
        QVERIFY2(launch.exitCode == 0, qPrintable(launch.describe()));
        const QString job = launch.launchedJob(QStringLiteral("nap"));
        const QString run = launch.launchedRun();
        QVERIFY2(job.toInt() > 0, qPrintable(launch.describe()));

        // jobs --site --json: no workflow, the registry's site.
        CtlResult jobs = runCtl({QStringLiteral("jobs"), QStringLiteral("--site"),
                                 QStringLiteral("sbx"), QStringLiteral("--json")});
        QVERIFY2(jobs.exitCode == 0, qPrintable(jobs.describe()));
        const QJsonObject j = findJob(jobs.jsonArray(), job);
        QVERIFY2(!j.isEmpty(), qPrintable(jobs.describe()));
        QCOMPARE(j.value(QStringLiteral("site")).toString(), QStringLiteral("sbx"));
        QCOMPARE(j.value(QStringLiteral("run")).toString(), run);
        QCOMPARE(j.value(QStringLiteral("task")).toString(), QStringLiteral("nap"));
        QVERIFY2(QStringList({QStringLiteral("PENDING"), QStringLiteral("RUNNING")})
                     .contains(j.value(QStringLiteral("state")).toString()),
                 qPrintable(jobs.describe()));
        for (const char *key : {"reason", "exit_code", "elapsed", "time_left", "name"})
            QVERIFY2(j.contains(QLatin1String(key)), key);
        CtlResult other = runCtl({QStringLiteral("jobs"), QStringLiteral("--site"),
                                  QStringLiteral("nosuch"), QStringLiteral("--json")});
        QCOMPARE(other.exitCode, 1);
        QVERIFY2(other.err.contains("no site \"nosuch\"") &&
                     other.err.contains(m_registry.toUtf8()),
                 qPrintable(other.describe()));

        // cancel with the registry's only site, then the job has ended.
        CtlResult cancel = runCtl({QStringLiteral("cancel"), QStringLiteral("--job"), job});
        QVERIFY2(cancel.exitCode == 0, qPrintable(cancel.describe()));
        QVERIFY2(cancel.out.contains(QByteArray("cancelled job " + job.toUtf8() + " on sbx")),
                 qPrintable(cancel.describe()));
        QString state;
        QElapsedTimer timer;
        timer.start();
        while (state != QLatin1String("CANCELLED") && timer.elapsed() < 30000) {
            jobs = runCtl({QStringLiteral("jobs"), QStringLiteral("--site"), QStringLiteral("sbx"),
                           QStringLiteral("--json")});
            QVERIFY2(jobs.exitCode == 0, qPrintable(jobs.describe()));
            state = findJob(jobs.jsonArray(), job).value(QStringLiteral("state")).toString();
            if (state != QLatin1String("CANCELLED"))
                QThread::msleep(300);
        }
        QCOMPARE(state, QStringLiteral("CANCELLED"));

        // remove: gone from the file; a second remove says so.
        CtlResult rm =
            runCtl({QStringLiteral("site"), QStringLiteral("remove"), QStringLiteral("sbx")});
        QVERIFY2(rm.exitCode == 0, qPrintable(rm.describe()));
        list = runCtl({QStringLiteral("site"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY(findSite(list.jsonObject().value(QStringLiteral("sites")).toArray(),
                         QStringLiteral("sbx"))
                    .isEmpty());
        rm = runCtl({QStringLiteral("site"), QStringLiteral("remove"), QStringLiteral("sbx")});
        QCOMPARE(rm.exitCode, 1);
        QVERIFY2(rm.err.contains(QByteArray("no site \"sbx\" in " + m_registry.toUtf8())),
                 qPrintable(rm.describe()));
    }

    // A helper that differs from the one on the site is uploaded under its
    // own name (version + content hash) and then found by `site test`.
    void helperDeployUploadsADifferentBinary()
    {
        QVERIFY(runCtl(addArgs(QStringLiteral("up"), m_env.sshPort, m_env.knownHosts)).exitCode ==
                0);
        const QByteArray original = qgetenv("VIGIL_JOB_BINARY");
        QVERIFY2(!original.isEmpty(), "ctest sets VIGIL_JOB_BINARY");
        QFile in(QString::fromLocal8Bit(original));
        QVERIFY(in.open(QIODevice::ReadOnly));
        // Trailing bytes change the hash, not what the binary does.
        QByteArray data = in.readAll();
        data += "vigil-test-nonce-" + QByteArray::number(QRandomGenerator::global()->generate64());
        const QString copy = writeFile(QStringLiteral("vigil-job"), data);
        QVERIFY(QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                QFileDevice::ExeOwner));
        qputenv("VIGIL_JOB_BINARY", QFile::encodeName(copy));
        const CtlResult deploy = runCtl({QStringLiteral("helper"), QStringLiteral("deploy"),
                                         QStringLiteral("--site"), QStringLiteral("up")});
        const CtlResult again =
            runCtl({QStringLiteral("helper"), QStringLiteral("deploy"), QStringLiteral("--site"),
                    QStringLiteral("up"), QStringLiteral("--json")});
        const CtlResult test = runCtl({QStringLiteral("site"), QStringLiteral("test"),
                                       QStringLiteral("up"), QStringLiteral("--json")});
        qputenv("VIGIL_JOB_BINARY", original);
        const QString path = again.jsonObject().value(QStringLiteral("path")).toString();
        // Clean up the shared account before checking anything.
        if (path.contains(QStringLiteral("/vigil-job-"))) {
            SshTarget target = sandboxTarget(m_env);
            SshTransport ssh(target);
            const auto rm = execWait(
                ssh, {QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("--"), path});
            QVERIFY2(rm && rm->exitCode == 0,
                     rm ? rm->err.constData() : qPrintable(rm.errorString()));
        }
        QVERIFY2(deploy.exitCode == 0, qPrintable(deploy.describe()));
        QVERIFY2(deploy.out.contains("(uploaded)"), qPrintable(deploy.describe()));
        QVERIFY2(deploy.out.contains(path.toUtf8()), qPrintable(deploy.describe()));
        QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
        QCOMPARE(again.jsonObject().value(QStringLiteral("uploaded")).toBool(), false);
        QVERIFY2(again.jsonObject()
                     .value(QStringLiteral("version"))
                     .toString()
                     .startsWith(QStringLiteral("vigil-job ")),
                 qPrintable(again.describe()));
        QVERIFY2(test.exitCode == 0, qPrintable(test.describe()));
        const QJsonObject helper = test.jsonObject().value(QStringLiteral("helper")).toObject();
        QCOMPARE(helper.value(QStringLiteral("state")).toString(), QStringLiteral("current"));
        QCOMPARE(helper.value(QStringLiteral("path")).toString(), path);
        QVERIFY(runCtl({QStringLiteral("site"), QStringLiteral("remove"), QStringLiteral("up")})
                    .exitCode == 0);
    }

    // `helper deploy` also puts this build's vigil_job.py on the site, under
    // ~/.local/share/vigil/python/VERSION-HASH, mode 0644, byte for byte; a
    // second deploy writes nothing; a corrupted copy, or a symbolic link in
    // its place, is replaced (the link's target untouched); a symbolic link
    // for its directory is refused. The cases that break it use a twin of
    // their own (VIGIL_JOB_PYTHON), so that no other test sharing the sandbox
    // account sees a broken vigil_job.py.
    void pythonTwinGoesWithTheHelper()
    {
        QVERIFY(runCtl(addArgs(QStringLiteral("py"), m_env.sshPort, m_env.knownHosts)).exitCode ==
                0);
        SshTransport ssh(sandboxTarget(m_env));
        // stdout of a constant script run with `args` as $1...
        const auto sh = [&ssh](const char *script, const QStringList &args) -> QByteArray {
            const auto r =
                execWait(ssh, QStringList{QStringLiteral("sh"), QStringLiteral("-c"),
                                          QString::fromLatin1(script), QStringLiteral("sh")} +
                                  args);
            if (!r)
                return "<failed: " + r.errorString().toUtf8() + ">";
            return r->exitCode == 0 ? r->out : QByteArray("<failed: " + r->err + ">");
        };
        const QString home = QString::fromUtf8(sh("printf %s \"$HOME\"", {}));
        QVERIFY2(home.startsWith(QLatin1Char('/')), qPrintable(home));
        const auto twinPath = [&home](const QByteArray &data) -> QString {
            return home + QStringLiteral("/.local/share/vigil/python/%1-%2/vigil_job.py")
                              .arg(QStringLiteral(VIGIL_VERSION),
                                   QString::fromLatin1(
                                       QCryptographicHash::hash(data, QCryptographicHash::Sha256)
                                           .toHex()
                                           .left(12)));
        };
        const char *kStat = "stat -c '%i %Z %a %F' -- \"$1\"";
        const auto deploy = [this] {
            return runCtl({QStringLiteral("helper"), QStringLiteral("deploy"),
                           QStringLiteral("--site"), QStringLiteral("py")});
        };

        // This build's twin, as embedded in vigilctl.
        QFile source(qEnvironmentVariable("VIGIL_SOURCE_DIR") +
                     QStringLiteral("/python/vigil_job.py"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray shipped = source.readAll();
        CtlResult d = deploy();
        QVERIFY2(d.exitCode == 0, qPrintable(d.describe()));
        const QString path = twinPath(shipped);
        QCOMPARE(sh("cat -- \"$1\"", {path}), shipped);
        const QByteArray first = sh(kStat, {path});
        QVERIFY2(first.endsWith(" 644 regular file\n"), first.constData());
        d = deploy();
        QVERIFY2(d.exitCode == 0, qPrintable(d.describe()));
        QCOMPARE(sh(kStat, {path}), first); // same inode, not touched

        // A twin of this test's own.
        const QByteArray mine = shipped + "\n# vigil-test-nonce-" +
                                QByteArray::number(QRandomGenerator::global()->generate64()) + "\n";
        const QString minePath = twinPath(mine);
        const QString mineDir = QFileInfo(minePath).path();
        const QString decoy = mineDir + QStringLiteral(".decoy");
        const QByteArray original = qgetenv("VIGIL_JOB_PYTHON");
        qputenv("VIGIL_JOB_PYTHON", QFile::encodeName(writeFile(QStringLiteral("twin.py"), mine)));
        const auto cleanup = qScopeGuard([&] {
            if (original.isEmpty())
                qunsetenv("VIGIL_JOB_PYTHON");
            else
                qputenv("VIGIL_JOB_PYTHON", original);
            sh("rm -rf -- \"$1\" \"$1.real\" \"$2\"", {mineDir, decoy});
        });
        d = deploy();
        QVERIFY2(d.exitCode == 0, qPrintable(d.describe()));
        QCOMPARE(sh("cat -- \"$1\"", {minePath}), mine);
        const QByteArray uploaded = sh(kStat, {minePath});
        d = deploy();
        QVERIFY2(d.exitCode == 0, qPrintable(d.describe()));
        QCOMPARE(sh(kStat, {minePath}), uploaded);

        // Corrupted in place: replaced.
        QCOMPARE(sh("printf broken > \"$1\" && cat -- \"$1\"", {minePath}), QByteArray("broken"));
        d = deploy();
        QVERIFY2(d.exitCode == 0, qPrintable(d.describe()));
        QCOMPARE(sh("cat -- \"$1\"", {minePath}), mine);
        QVERIFY(sh(kStat, {minePath}).endsWith(" 644 regular file\n"));

        // A symbolic link in its place: replaced by the file, its target untouched.
        QCOMPARE(sh("printf decoy > \"$2\" && ln -sf -- \"$2\" \"$1\" && cat -- \"$1\"",
                    {minePath, decoy}),
                 QByteArray("decoy"));
        d = deploy();
        QVERIFY2(d.exitCode == 0, qPrintable(d.describe()));
        QCOMPARE(sh("cat -- \"$1\"", {minePath}), mine);
        QVERIFY(sh(kStat, {minePath}).endsWith(" 644 regular file\n"));
        QCOMPARE(sh("cat -- \"$1\"", {decoy}), QByteArray("decoy"));

        // Its directory a symbolic link: refused, nothing written through it.
        QCOMPARE(sh("mv -- \"$1\" \"$1.real\" && ln -s -- \"$1.real\" \"$1\" && "
                    "printf broken > \"$1.real/vigil_job.py\" && echo ok",
                    {mineDir}),
                 QByteArray("ok\n"));
        d = deploy();
        QCOMPARE(d.exitCode, 1);
        QVERIFY2(d.err.contains(QByteArray(mineDir.toUtf8() + " on py is a symbolic link")),
                 qPrintable(d.describe()));
        QCOMPARE(sh("cat -- \"$1.real/vigil_job.py\"", {mineDir}), QByteArray("broken"));
        QVERIFY(runCtl({QStringLiteral("site"), QStringLiteral("remove"), QStringLiteral("py")})
                    .exitCode == 0);
    }

    void unreachableSite()
    {
        // A port on loopback where nothing listens.
        QVERIFY(runCtl(addArgs(QStringLiteral("down"), 1, m_env.knownHosts)).exitCode == 0);
        CtlResult r =
            runCtl({QStringLiteral("site"), QStringLiteral("test"), QStringLiteral("down")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(
                     QByteArray("site down: cannot connect to " + m_env.sshHost.toUtf8() + ":1")) &&
                     r.err.toLower().contains("connection refused"),
                 qPrintable(r.describe()));
        r = runCtl({QStringLiteral("site"), QStringLiteral("test"), QStringLiteral("down"),
                    QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.jsonObject().value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(r.jsonObject().value(QStringLiteral("connected")).toBool(), false);
        QVERIFY2(r.jsonObject()
                     .value(QStringLiteral("error"))
                     .toString()
                     .contains(QStringLiteral("Connection refused"), Qt::CaseInsensitive),
                 qPrintable(r.describe()));
        // jobs over every site fails on it and says which.
        r = runCtl({QStringLiteral("jobs")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("site down:"), qPrintable(r.describe()));
        QVERIFY(runCtl({QStringLiteral("site"), QStringLiteral("remove"), QStringLiteral("down")})
                    .exitCode == 0);
    }

    void unknownHostKey()
    {
        const QString kh = m_dir.filePath(QStringLiteral("new_known_hosts"));
        QVERIFY(runCtl(addArgs(QStringLiteral("fresh"), m_env.sshPort, kh)).exitCode == 0);
        const QStringList test{QStringLiteral("site"), QStringLiteral("test"),
                               QStringLiteral("fresh"), QStringLiteral("--json")};
        CtlResult r = runCtl(test);
        QCOMPARE(r.exitCode, 1);
        QJsonObject key = r.jsonObject().value(QStringLiteral("host_key")).toObject();
        QCOMPARE(key.value(QStringLiteral("state")).toString(), QStringLiteral("unknown"));
        const QString fingerprint = key.value(QStringLiteral("fingerprint")).toString();
        QVERIFY2(fingerprint.startsWith(QStringLiteral("SHA256:")), qPrintable(r.describe()));
        QVERIFY2(r.err.contains("--accept-new-host-key") && r.err.contains(fingerprint.toUtf8()),
                 qPrintable(r.describe()));
        QVERIFY2(!QFile::exists(kh), "an unknown key must not be recorded unasked");

        r = runCtl(test + QStringList{QStringLiteral("--accept-new-host-key")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        key = r.jsonObject().value(QStringLiteral("host_key")).toObject();
        QCOMPARE(key.value(QStringLiteral("state")).toString(), QStringLiteral("added"));
        QCOMPARE(key.value(QStringLiteral("fingerprint")).toString(), fingerprint);
        QFile f(kh);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains(
            QStringLiteral("[%1]:%2 ").arg(m_env.sshHost).arg(m_env.sshPort).toUtf8()));

        r = runCtl(test);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        key = r.jsonObject().value(QStringLiteral("host_key")).toObject();
        QCOMPARE(key.value(QStringLiteral("state")).toString(), QStringLiteral("known"));
        QCOMPARE(key.value(QStringLiteral("fingerprint")).toString(), fingerprint);
        QVERIFY(runCtl({QStringLiteral("site"), QStringLiteral("remove"), QStringLiteral("fresh")})
                    .exitCode == 0);
    }

    void duplicatesAndUsage()
    {
        const QStringList add{QStringLiteral("site"), QStringLiteral("add"),
                              QStringLiteral("dup"),  QStringLiteral("--kind"),
                              QStringLiteral("ssh"),  QStringLiteral("--host"),
                              QStringLiteral("first")};
        QVERIFY(runCtl(add).exitCode == 0);
        CtlResult r = runCtl(add);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.err.contains(QByteArray("site \"dup\" already exists in " + m_registry.toUtf8())) &&
                r.err.contains("--replace"),
            qPrintable(r.describe()));
        r = runCtl({QStringLiteral("site"), QStringLiteral("add"), QStringLiteral("dup"),
                    QStringLiteral("--kind"), QStringLiteral("ssh"), QStringLiteral("--host"),
                    QStringLiteral("second"), QStringLiteral("--replace"),
                    QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.jsonObject().value(QStringLiteral("action")).toString(),
                 QStringLiteral("replaced"));
        CtlResult list =
            runCtl({QStringLiteral("site"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(findSite(list.jsonObject().value(QStringLiteral("sites")).toArray(),
                          QStringLiteral("dup"))
                     .value(QStringLiteral("host"))
                     .toString(),
                 QStringLiteral("second"));

        // Bad command lines: exit 2 and what was wrong.
        const QList<QPair<QStringList, QByteArray>> usage{
            {{QStringLiteral("site"), QStringLiteral("add"), QStringLiteral("x")}, "--kind"},
            {{QStringLiteral("site"), QStringLiteral("add"), QStringLiteral("x"),
              QStringLiteral("--kind"), QStringLiteral("slurm")},
             "needs --host"},
            {{QStringLiteral("site"), QStringLiteral("add"), QStringLiteral("a b"),
              QStringLiteral("--kind"), QStringLiteral("local")},
             "invalid site name \"a b\""},
            {{QStringLiteral("site"), QStringLiteral("add"), QStringLiteral("x"),
              QStringLiteral("--kind"), QStringLiteral("ssh"), QStringLiteral("--host"),
              QStringLiteral("h"), QStringLiteral("--port"), QStringLiteral("http")},
             "--port must be a number from 1 to 65535"},
            {{QStringLiteral("site"), QStringLiteral("add"), QStringLiteral("x"),
              QStringLiteral("--kind"), QStringLiteral("local"), QStringLiteral("--poll"),
              QStringLiteral("1")},
             "--poll must be a number of seconds from 5 to 3600"},
            {{QStringLiteral("site"), QStringLiteral("test")}, "site test takes one NAME"},
            {{QStringLiteral("site"), QStringLiteral("frobnicate")}, "unknown site command"},
            {{QStringLiteral("helper"), QStringLiteral("upload")}, "helper deploy --site"},
            {{QStringLiteral("launch")}, "launch needs a workflow file"},
        };
        for (const auto &[args, message] : usage) {
            r = runCtl(args);
            QVERIFY2(r.exitCode == 2 && r.err.contains(message),
                     qPrintable(args.join(QLatin1Char(' ')) + QLatin1Char('\n') + r.describe()));
        }
        QVERIFY(runCtl({QStringLiteral("site"), QStringLiteral("remove"), QStringLiteral("dup")})
                    .exitCode == 0);
    }

    void brokenRegistry()
    {
        QFile::remove(m_registry);
        QFile f(m_registry);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[sites.a]\nkind = \"ssh\"\nhost = \"h\"\npassword = \"hunter2\"\n");
        f.close();
        CtlResult r = runCtl({QStringLiteral("site"), QStringLiteral("list")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QByteArray(m_registry.toUtf8() +
                                           ":4:12: [sites.a].password: Vigil never "
                                           "stores secrets")),
                 qPrintable(r.describe()));
        // A site cannot be added to a file that does not load: it would be lost.
        r = runCtl({QStringLiteral("site"), QStringLiteral("add"), QStringLiteral("b"),
                    QStringLiteral("--kind"), QStringLiteral("local")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("hunter2")); // untouched, for its owner to fix
        f.close();
        QFile::remove(m_registry);
    }
};

QTEST_GUILESS_MAIN(TestCtlSites)
#include "tst_ctl_sites.moc"
