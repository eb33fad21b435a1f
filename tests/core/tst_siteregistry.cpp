// SPDX-License-Identifier: GPL-3.0-or-later
// The site registry (~/.config/vigil/sites.toml) and the [sites.NAME] keys it
// shares with workflows: round trip, errors with FILE:LINE:COL, names, mode
// 0600, no secrets.
#include "sites/siteregistry.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace vigil;

Q_DECLARE_METATYPE(vigil::SiteSpec)

namespace {

int mode(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

SiteSpec fullSite()
{
    SiteSpec s;
    s.name = QStringLiteral("mn5.login-1");
    s.kind = SiteSpec::Kind::Slurm;
    s.host = QStringLiteral("glogin1.bsc.es");
    s.user = QStringLiteral("bsc123456");
    s.port = 2222;
    s.identityFile = QStringLiteral("~/.ssh/id_ed25519 \"work\" \\ caf\u00e9");
    s.knownHostsFile = QStringLiteral("/etc/vigil/known_hosts");
    s.runRoot = QStringLiteral("/gpfs/projects/x/vigil runs");
    s.partition = QStringLiteral("gpp");
    s.account = QStringLiteral("bsc99");
    s.pollSeconds = 45;
    return s;
}

void compareSites(const SiteSpec &a, const SiteSpec &b)
{
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.kind, b.kind);
    QCOMPARE(a.host, b.host);
    QCOMPARE(a.user, b.user);
    QCOMPARE(a.port, b.port);
    QCOMPARE(a.identityFile, b.identityFile);
    QCOMPARE(a.knownHostsFile, b.knownHostsFile);
    QCOMPARE(a.runRoot, b.runRoot);
    QCOMPARE(a.partition, b.partition);
    QCOMPARE(a.account, b.account);
    QCOMPARE(a.pollSeconds, b.pollSeconds);
    QCOMPARE(a.containerRuntime, b.containerRuntime);
    QCOMPARE(a.qos, b.qos);
    QCOMPARE(a.workDirectory, b.workDirectory);
    QVERIFY2(a == b, "a field that compareSites does not name differs");
}

} // namespace

class TestSiteRegistry : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        f.write(text);
        return path;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void defaultPathHonoursXdg()
    {
        const QByteArray oldXdg = qgetenv("XDG_CONFIG_HOME");
        const QByteArray oldHome = qgetenv("HOME");
        qputenv("HOME", m_dir.path().toUtf8());
        qputenv("XDG_CONFIG_HOME", "/somewhere/config");
        QCOMPARE(SiteRegistry::defaultPath(), QStringLiteral("/somewhere/config/vigil/sites.toml"));
        // A relative value is not a base directory (XDG Base Directory spec).
        qputenv("XDG_CONFIG_HOME", "relative/config");
        QCOMPARE(SiteRegistry::defaultPath(),
                 m_dir.path() + QStringLiteral("/.config/vigil/sites.toml"));
        qunsetenv("XDG_CONFIG_HOME");
        QCOMPARE(SiteRegistry::defaultPath(),
                 m_dir.path() + QStringLiteral("/.config/vigil/sites.toml"));
        qputenv("HOME", oldHome);
        if (!oldXdg.isEmpty())
            qputenv("XDG_CONFIG_HOME", oldXdg);
    }

    void missingFileIsEmpty()
    {
        SiteRegistry reg(m_dir.filePath(QStringLiteral("none/sites.toml")));
        QVERIFY2(reg.load().ok(), "a missing registry is an empty one");
        QVERIFY(reg.sites().isEmpty());
    }

    void roundTrip()
    {
        const QString path = m_dir.filePath(QStringLiteral("rt/vigil/sites.toml"));
        SiteRegistry reg(path);
        SiteSpec local;
        local.name = QStringLiteral("laptop");
        local.kind = SiteSpec::Kind::Local;
        local.runRoot = QStringLiteral("vigil-runs");
        SiteSpec edge;
        edge.name = QStringLiteral("edge_unit-7");
        edge.kind = SiteSpec::Kind::Ssh;
        edge.host = QStringLiteral("field-7");
        edge.runRoot = QStringLiteral("vigil-runs");
        edge.containerRuntime = QStringLiteral("podman");
        for (const SiteSpec &s : {fullSite(), local, edge})
            QVERIFY2(reg.add(s).ok(), qPrintable(s.name));
        const auto saved = reg.save();
        QVERIFY2(saved.ok(), qPrintable(saved.errorString()));

        SiteRegistry again(path);
        const auto loaded = again.load();
        QVERIFY2(loaded.ok(), qPrintable(loaded.errorString()));
        QCOMPARE(again.sites().size(), 3);
        for (const SiteSpec &s : reg.sites()) {
            const SiteSpec *back = again.site(s.name);
            QVERIFY2(back, qPrintable(s.name));
            compareSites(*back, s);
        }

        // The same text is a workflow's [sites] part: paste it into one.
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        for (const QByteArray &line : text.split('\n'))
            QVERIFY2(line.startsWith('#') || (!line.contains("pass") && !line.contains("secret")),
                     line.constData());
        const QByteArray workflow = "[workflow]\nname = \"w\"\n" + text +
                                    "\n[tasks.t]\nsite = \"laptop\"\ncommand = [\"true\"]\n";
        const auto wf = parseWorkflow(workflow, QStringLiteral("pasted.toml"));
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        QCOMPARE(wf->sites.size(), 3);
        for (const SiteSpec &s : reg.sites())
            compareSites(*wf->site(s.name), s);
    }

    // Each field of a site, set alone on a plain site, survives save + load
    // (and the same text read as a workflow's [sites] part). A row per field
    // the reader knows; the last row sets them all at once.
    void everyFieldRoundTrips_data()
    {
        QTest::addColumn<SiteSpec>("site");
        QTest::addColumn<QByteArray>("line"); // what the file must say
        SiteSpec base;
        base.name = QStringLiteral("one");
        base.kind = SiteSpec::Kind::Slurm;
        base.host = QStringLiteral("login.example.org");
        base.runRoot = QStringLiteral("vigil-runs");
        const auto with = [&base](auto change) {
            SiteSpec s = base;
            change(s);
            return s;
        };
        QTest::newRow("kind ssh") << with([](SiteSpec &s) { s.kind = SiteSpec::Kind::Ssh; })
                                  << QByteArray("kind = \"ssh\"");
        QTest::newRow("kind local") << with([](SiteSpec &s) {
            s.kind = SiteSpec::Kind::Local;
            s.host.clear();
        }) << QByteArray("kind = \"local\"");
        QTest::newRow("host") << base << QByteArray("host = \"login.example.org\"");
        QTest::newRow("user") << with([](SiteSpec &s) { s.user = QStringLiteral("bsc123"); })
                              << QByteArray("user = \"bsc123\"");
        QTest::newRow("port") << with([](SiteSpec &s) { s.port = 2222; })
                              << QByteArray("port = 2222");
        QTest::newRow("identity_file")
            << with([](SiteSpec &s) { s.identityFile = QStringLiteral("~/.ssh/id_ed25519"); })
            << QByteArray("identity_file = \"~/.ssh/id_ed25519\"");
        QTest::newRow("known_hosts")
            << with([](SiteSpec &s) { s.knownHostsFile = QStringLiteral("/etc/vigil/kh"); })
            << QByteArray("known_hosts = \"/etc/vigil/kh\"");
        QTest::newRow("proxy_jump")
            << with([](SiteSpec &s) { s.proxyJump = QStringLiteral("me@gate.example.org:22"); })
            << QByteArray("proxy_jump = \"me@gate.example.org:22\"");
        QTest::newRow("run_root") << with([](SiteSpec &s) {
            s.runRoot = QStringLiteral("/scratch/vigil");
        }) << QByteArray("run_root = \"/scratch/vigil\"");
        QTest::newRow("partition") << with([](SiteSpec &s) { s.partition = QStringLiteral("gpp"); })
                                   << QByteArray("partition = \"gpp\"");
        QTest::newRow("account") << with([](SiteSpec &s) { s.account = QStringLiteral("bsc99"); })
                                 << QByteArray("account = \"bsc99\"");
        QTest::newRow("qos") << with([](SiteSpec &s) { s.qos = QStringLiteral("acc_debug"); })
                             << QByteArray("qos = \"acc_debug\"");
        QTest::newRow("work_dir absolute")
            << with([](SiteSpec &s) { s.workDirectory = QStringLiteral("/gpfs/scratch/x"); })
            << QByteArray("work_dir = \"/gpfs/scratch/x\"");
        QTest::newRow("work_dir relative")
            << with([](SiteSpec &s) { s.workDirectory = QStringLiteral("work/data"); })
            << QByteArray("work_dir = \"work/data\"");
        QTest::newRow("container_runtime")
            << with([](SiteSpec &s) { s.containerRuntime = QStringLiteral("podman"); })
            << QByteArray("container_runtime = \"podman\"");
        QTest::newRow("poll_interval")
            << with([](SiteSpec &s) { s.pollSeconds = 45; }) << QByteArray("poll_interval = 45");
        SiteSpec all = fullSite();
        all.proxyJump = QStringLiteral("gate.example.org");
        all.qos = QStringLiteral("normal");
        all.workDirectory = QStringLiteral("runs/work");
        all.containerRuntime = QStringLiteral("apptainer");
        QTest::newRow("every field") << all << QByteArray("work_dir = \"runs/work\"");
    }

    void everyFieldRoundTrips()
    {
        QFETCH(SiteSpec, site);
        QFETCH(QByteArray, line);
        const QString path = m_dir.filePath(
            QStringLiteral("fields/%1.toml")
                .arg(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-')));
        SiteRegistry reg(path);
        QVERIFY2(reg.add(site).ok(), QTest::currentDataTag());
        const auto saved = reg.save();
        QVERIFY2(saved.ok(), qPrintable(saved.errorString()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY2(text.split('\n').contains(line), text.constData());

        SiteRegistry again(path);
        const auto loaded = again.load();
        QVERIFY2(loaded.ok(), qPrintable(loaded.errorString()));
        QCOMPARE(again.sites().size(), 1);
        compareSites(again.sites().first(), site);
        // Saved again: the same bytes.
        QCOMPARE(SiteRegistry::format(again.sites()), text);
        // The same table in a workflow.
        const QByteArray task =
            "\n[tasks.t]\nsite = \"" + site.name.toUtf8() + "\"\ncommand = [\"true\"]\n";
        const auto wf = parseWorkflow("[workflow]\nname = \"w\"\n" + text + task,
                                      QStringLiteral("pasted.toml"));
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        QCOMPARE(wf->sites.size(), 1);
        compareSites(wf->sites.first(), site);
    }

    void workflowTakesTheConnectionKeys()
    {
        const auto wf = parseWorkflow(
            "[workflow]\nname = \"w\"\n[sites.c]\nkind = \"slurm\"\nhost = \"10.0.0.5\"\n"
            "user = \"ana\"\nport = 2200\nidentity_file = \"~/.ssh/cluster\"\n"
            "known_hosts = \"/tmp/kh\"\npoll_interval = 60\n"
            "[tasks.t]\nsite = \"c\"\ncommand = [\"true\"]\n",
            QStringLiteral("wf.toml"));
        QVERIFY2(wf.ok(), qPrintable(wf.errorString()));
        const SiteSpec &s = wf->sites.first();
        QCOMPARE(s.user, QStringLiteral("ana"));
        QCOMPARE(s.port, 2200);
        QCOMPARE(s.identityFile, QStringLiteral("~/.ssh/cluster"));
        QCOMPARE(s.knownHostsFile, QStringLiteral("/tmp/kh"));
        QCOMPARE(s.pollSeconds, 60);
        // Unset: 0 and empty, for ssh_config and the program's interval to decide.
        const auto bare =
            parseWorkflow("[workflow]\nname = \"w\"\n[sites.c]\nkind = \"ssh\"\n"
                          "host = \"h\"\n[tasks.t]\nsite = \"c\"\ncommand = [\"x\"]\n",
                          QStringLiteral("wf.toml"));
        QVERIFY2(bare.ok(), qPrintable(bare.errorString()));
        QCOMPARE(bare->sites.first().port, 0);
        QCOMPARE(bare->sites.first().pollSeconds, 0);
        QVERIFY(bare->sites.first().user.isEmpty());
        // A workflow's site with a bad port says where, like every other error.
        const auto bad = parseWorkflow("[workflow]\nname = \"w\"\n[sites.c]\nkind = \"ssh\"\n"
                                       "host = \"h\"\nport = 0\n[tasks.t]\nsite = \"c\"\n"
                                       "command = [\"x\"]\n",
                                       QStringLiteral("wf.toml"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.errorString(),
                 QStringLiteral("wf.toml:6:8: [sites.c].port must be an integer from 1 to 65535"));
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("toml");
        QTest::addColumn<QString>("expected");
        const QByteArray ssh = "[sites.a]\nkind = \"ssh\"\nhost = \"h\"\n";
        QTest::newRow("syntax") << QByteArray("[sites.a]\nkind = \"ssh\nhost = \"h\"\n")
                                << QStringLiteral("sites.toml:2:");
        QTest::newRow("unknown key")
            << ssh + "hostname = \"x\"\n"
            << QStringLiteral("sites.toml:4:1: unknown key \"hostname\" in [sites.a]");
        QTest::newRow("not sites")
            << QByteArray("[workflow]\nname = \"w\"\n")
            << QStringLiteral("sites.toml:1:2: unknown key \"workflow\" in a file of [sites.NAME] "
                              "tables");
        QTest::newRow("site not a table")
            << QByteArray("[sites]\na = 1\n")
            << QStringLiteral("sites.toml:2:5: [sites.a] must be a table");
        QTest::newRow("bad name") << QByteArray("[sites.\"a b\"]\nkind = \"local\"\n")
                                  << QStringLiteral("sites.toml:1:1: invalid site name \"a b\"");
        QTest::newRow("name like an option")
            << QByteArray("[sites.-x]\nkind = \"local\"\n")
            << QStringLiteral("invalid site name \"-x\": it must not start with '-'");
        QTest::newRow("no host") << QByteArray("[sites.a]\nkind = \"slurm\"\n")
                                 << QStringLiteral("sites.toml:1:1: [sites.a] of kind slurm needs "
                                                   "\"host\"");
        QTest::newRow("host like an option")
            << QByteArray("[sites.a]\nkind = \"ssh\"\nhost = \"-oProxyCommand=x\"\n")
            << QStringLiteral("sites.toml:3:8: [sites.a].host must not start with '-'");
        QTest::newRow("port too big")
            << ssh + "port = 70000\n"
            << QStringLiteral("sites.toml:4:8: [sites.a].port must be an integer from 1 to 65535");
        QTest::newRow("port a string")
            << ssh + "port = \"22\"\n"
            << QStringLiteral("sites.toml:4:8: [sites.a].port must be an integer from 1 to 65535");
        QTest::newRow("poll too short")
            << ssh + "poll_interval = 1\n"
            << QStringLiteral("sites.toml:4:17: [sites.a].poll_interval must be an integer from 5 "
                              "to 3600");
        QTest::newRow("poll too long") << ssh + "poll_interval = 7200\n"
                                       << QStringLiteral("sites.toml:4:17:");
        QTest::newRow("poll a float") << ssh + "poll_interval = 20.5\n"
                                      << QStringLiteral("sites.toml:4:17:");
        QTest::newRow("user like an option")
            << ssh + "user = \"-l\"\n"
            << QStringLiteral("sites.toml:4:8: [sites.a].user must not start with '-'");
        QTest::newRow("relative key file")
            << ssh + "identity_file = \"id_rsa\"\n"
            << QStringLiteral("sites.toml:4:17: [sites.a].identity_file must be an absolute path "
                              "or start with ~/");
        QTest::newRow("known_hosts with a newline")
            << ssh + "known_hosts = \"/a\\nb\"\n"
            << QStringLiteral("sites.toml:4:15: [sites.a].known_hosts must be an absolute path");
        QTest::newRow("user on a local site")
            << QByteArray("[sites.a]\nkind = \"local\"\nuser = \"x\"\n")
            << QStringLiteral("sites.toml:3:8: [sites.a].user does not apply to a site of kind "
                              "local");
        // Secrets get their own message, wherever they are and however spelt.
        QTest::newRow("password") << ssh + "password = \"hunter2\"\n"
                                  << QStringLiteral("sites.toml:4:12: [sites.a].password: Vigil "
                                                    "never stores secrets");
        QTest::newRow("passphrase") << ssh + "key_passphrase = \"x\"\n"
                                    << QStringLiteral("[sites.a].key_passphrase: Vigil never "
                                                      "stores secrets");
        QTest::newRow("otp") << ssh + "OTP = 123456\n"
                             << QStringLiteral("[sites.a].OTP: Vigil never stores secrets");
        QTest::newRow("token") << ssh + "api_token = \"t\"\n"
                               << QStringLiteral("never stores secrets");
        QTest::newRow("inline private key")
            << ssh + "private_key = \"-----BEGIN OPENSSH PRIVATE KEY-----\"\n"
            << QStringLiteral("never stores secrets");
    }

    void badFiles()
    {
        QFETCH(QByteArray, toml);
        QFETCH(QString, expected);
        const QString path = write(QStringLiteral("sites.toml"), toml);
        SiteRegistry reg(path);
        // What was loaded before stays when the file turns out broken.
        QVERIFY(reg.add(fullSite()).ok());
        const auto r = reg.load();
        QVERIFY2(!r.ok(), "a bad registry must not load");
        QVERIFY2(r.errorString().startsWith(path + QLatin1Char(':')), qPrintable(r.errorString()));
        QVERIFY2(r.errorString().contains(expected), qPrintable(r.errorString()));
        QCOMPARE(reg.sites().size(), 1);
        // The same table in a workflow fails the same way.
        const auto wf = parseWorkflow("[workflow]\nname=\"w\"\n" + toml, QStringLiteral("wf.toml"));
        QVERIFY(!wf.ok());
    }

    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << QStringLiteral("cluster") << true;
        QTest::newRow("dots dashes") << QStringLiteral("mn5.gpp-login_1") << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("space") << QStringLiteral("my cluster") << false;
        QTest::newRow("option") << QStringLiteral("-F") << false;
        QTest::newRow("dotdot") << QStringLiteral("..") << false;
        QTest::newRow("slash") << QStringLiteral("a/b") << false;
        QTest::newRow("semicolon") << QStringLiteral("a;id") << false;
        QTest::newRow("quote") << QStringLiteral("a\"b") << false;
        QTest::newRow("too long") << QString(65, QLatin1Char('a')) << false;
    }

    void names()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        SiteSpec s;
        s.name = name;
        s.kind = SiteSpec::Kind::Local;
        SiteRegistry reg(m_dir.filePath(QStringLiteral("names.toml")));
        const auto r = reg.add(s);
        QCOMPARE(r.ok(), valid);
        if (!valid) {
            QVERIFY2(r.errorString().contains(QStringLiteral("site name")),
                     qPrintable(r.errorString()));
            return;
        }
        // A valid name survives the file (quoted where TOML needs it).
        QVERIFY(reg.save().ok());
        SiteRegistry again(reg.path());
        QVERIFY2(again.load().ok(), SiteRegistry::format(reg.sites()).constData());
        QCOMPARE(again.sites().first().name, name);
    }

    void addReplaceRemove()
    {
        SiteRegistry reg(m_dir.filePath(QStringLiteral("arr.toml")));
        SiteSpec s = fullSite();
        QVERIFY(reg.add(s).ok());
        s.host = QStringLiteral("other");
        const auto dup = reg.add(s);
        QVERIFY(!dup.ok());
        QCOMPARE(dup.error().kind, Error::Kind::AlreadyExists);
        QVERIFY2(dup.errorString().contains(QStringLiteral("already exists")),
                 qPrintable(dup.errorString()));
        QCOMPARE(reg.site(s.name)->host, fullSite().host);
        QVERIFY(reg.add(s, true).ok());
        QCOMPARE(reg.site(s.name)->host, QStringLiteral("other"));
        QCOMPARE(reg.sites().size(), 1);
        // The command line's sites follow the file's rules.
        SiteSpec noHost = s;
        noHost.name = QStringLiteral("b");
        noHost.host.clear();
        QVERIFY(reg.add(noHost).errorString().contains(QStringLiteral("needs \"host\"")));
        SiteSpec badPoll = s;
        badPoll.name = QStringLiteral("c");
        badPoll.pollSeconds = 4;
        QVERIFY(reg.add(badPoll).errorString().contains(QStringLiteral("from 5 to 3600")));
        const auto missing = reg.remove(QStringLiteral("nope"));
        QCOMPARE(missing.error().kind, Error::Kind::NotFound);
        QVERIFY(reg.remove(s.name).ok());
        QVERIFY(reg.sites().isEmpty());
    }

    void privateFile()
    {
        const QString dir = m_dir.filePath(QStringLiteral("private/vigil"));
        const QString path = dir + QStringLiteral("/sites.toml");
        SiteRegistry reg(path);
        QVERIFY(reg.add(fullSite()).ok());
        QVERIFY(reg.save().ok());
        QCOMPARE(mode(path), 0600);
        QCOMPARE(mode(dir), 0700);
        // A file someone made world-readable is private again after a save.
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);
        QVERIFY(reg.save().ok());
        QCOMPARE(mode(path), 0600);
    }
};

QTEST_GUILESS_MAIN(TestSiteRegistry)
#include "tst_siteregistry.moc"
