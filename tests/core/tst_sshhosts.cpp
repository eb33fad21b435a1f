// SPDX-License-Identifier: GPL-3.0-or-later
// What the Add Site dialog offers and reads: the Host aliases of an ssh_config
// file (with Include), and addresses typed as [user@]host[:port].
#include "../common/testfiles.h"
#include "ssh/sshhosts.h"
#include "ssh/sshjumpconfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using vigil::test::writeFile;

class TestSshHosts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listHosts_data();
    void listHosts();
    void missingFileIsEmpty();
    void malformedLineIsRefused_data();
    void malformedLineIsRefused();
    void starInTheNameIsNotLiteral_data();
    void starInTheNameIsNotLiteral();
    void parseAddress_data();
    void parseAddress();
    void parseAddressKeepsTheDraft();
};

void TestSshHosts::listHosts_data()
{
    // %DIR% is the test's directory; included.conf is written there.
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QByteArray>("included");
    // alias|summary per host, in order
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("plain blocks") << QByteArray("Host mn5\n"
                                                "    HostName glogin1.bsc.es\n"
                                                "    User bsc123\n"
                                                "    Port 2222\n"
                                                "Host edge\n"
                                                "    HostName 10.0.0.7\n")
                                  << QByteArray()
                                  << QStringList{QStringLiteral("mn5|bsc123@glogin1.bsc.es:2222"),
                                                 QStringLiteral("edge|10.0.0.7")};
    QTest::newRow("patterns are not hosts")
        << QByteArray("Host *\n    User everyone\nHost gpu? !bad *.example.org lab\n"
                      "    Port 2200\n")
        << QByteArray() << QStringList{QStringLiteral("lab|lab:2200")};
    // Found by fuzz_ssh_config (a ./dev test run, 2026-11-28): "" was listed.
    QTest::newRow("an empty alias is not a host")
        << QByteArray("Host a* \"\"\"\" b\n    Port 2200\n") << QByteArray()
        << QStringList{QStringLiteral("b|b:2200")};
    QTest::newRow("several aliases share a block")
        << QByteArray("Host a b\n  hostname=%h.example.org\n") << QByteArray()
        << QStringList{QStringLiteral("a|a.example.org"), QStringLiteral("b|b.example.org")};
    QTest::newRow("first value wins, as in ssh")
        << QByteArray("Host x\n  User first\nHost x y\n  User second\n  Port 23\n") << QByteArray()
        << QStringList{QStringLiteral("x|first@x:23"), QStringLiteral("y|second@y:23")};
    QTest::newRow("escaped quotes and spaces, as in OpenSSH")
        << QByteArray("Host esc\n  HostName \"a\\\"b\" # closed\nHost sp\\ ace\n  Port 2201\n")
        << QByteArray()
        << QStringList{QStringLiteral("esc|a\"b"), QStringLiteral("sp ace|sp ace:2201")};
    QTest::newRow("quotes, comments, equals")
        << QByteArray("# a comment\nHost \"quoted\" # trailing comment\n"
                      "\tHostName = q.example.org\n")
        << QByteArray() << QStringList{QStringLiteral("quoted|q.example.org")};
    QTest::newRow("include is followed")
        << QByteArray("Include %DIR%/incl*.conf\nHost after\n")
        << QByteArray("User global\nHost inside\n  HostName in.example.org\n")
        << QStringList{QStringLiteral("inside|in.example.org"), QStringLiteral("after|")};
    QTest::newRow("include in a host's block is that host's only")
        << QByteArray("Host *.example.org\n  User nobody\n  Include %DIR%/incl*.conf\n"
                      "Host after\n")
        << QByteArray("Host inside\n  HostName in.example.org\n")
        << QStringList{QStringLiteral("after|")};
    QTest::newRow("include under Host * is every host's")
        << QByteArray("Host *\n  Include %DIR%/incl*.conf\nHost after\n  Port 2200\n")
        << QByteArray("Host inside\n  HostName in.example.org\n")
        << QStringList{QStringLiteral("inside|in.example.org"), QStringLiteral("after|after:2200")};
    QTest::newRow("an included file's options stay in it")
        << QByteArray("Include %DIR%/incl*.conf\n  Port 2201\nHost after\n")
        << QByteArray("Host inside\n")
        << QStringList{QStringLiteral("inside|"), QStringLiteral("after|")};
    QTest::newRow("match blocks are skipped") << QByteArray("Match host x\n  User nobody\nHost z\n")
                                              << QByteArray() << QStringList{QStringLiteral("z|")};
    QTest::newRow("alias named twice is listed once")
        << QByteArray("Host dup\nHost other dup\n  Port 99\n") << QByteArray()
        << QStringList{QStringLiteral("dup|dup:99"), QStringLiteral("other|other:99")};
}

void TestSshHosts::listHosts()
{
    QFETCH(QByteArray, config);
    QFETCH(QByteArray, included);
    QFETCH(QStringList, expected);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    config.replace("%DIR%", QFile::encodeName(dir.path()));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("config")), config));
    if (!included.isEmpty())
        QVERIFY(writeFile(dir.filePath(QStringLiteral("included.conf")), included));

    const auto hosts = listSshConfigHosts(dir.filePath(QStringLiteral("config")));
    QVERIFY2(hosts.ok(), qPrintable(hosts.errorString()));
    QStringList got;
    for (const SshConfigHost &h : *hosts) {
        got << h.alias + QLatin1Char('|') + h.summary();
        QVERIFY2(h.where.contains(QLatin1String(" line ")), qPrintable(h.where));
    }
    QCOMPARE(got, expected);
}

void TestSshHosts::missingFileIsEmpty()
{
    QTemporaryDir dir;
    const auto hosts = listSshConfigHosts(dir.filePath(QStringLiteral("none")));
    QVERIFY(hosts.ok());
    QVERIFY(hosts->isEmpty());
}

// Found by fuzz_ssh_config: a quote left open took the rest of the line, its
// newline included, as the word ("quoted alias\n" was listed as a host).
// OpenSSH refuses such a file ("invalid quotes"), whatever block the line is
// in; and a line whose keyword is empty ("Bad configuration option").
void TestSshHosts::malformedLineIsRefused_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QString>("where"); // "line N"
    QTest::addColumn<QString>("problem");
    const QString unclosed = QStringLiteral("a quote is not closed");
    QTest::newRow("host alias") << QByteArray("Host \"quoted alias\n    User carol\n")
                                << QStringLiteral("line 1") << unclosed;
    QTest::newRow("single quote in a value")
        << QByteArray("Host a\n    HostName a.example.org\n    User 'carol\n")
        << QStringLiteral("line 3") << unclosed;
    QTest::newRow("in a block of another host")
        << QByteArray("Host a\nHost b\n    ProxyJump \"gw\nHost c\n") << QStringLiteral("line 3")
        << unclosed;
    // Found by fuzz_ssh_config in the fresh-clone CI: quotes around nothing
    // made an empty keyword, which OpenSSH refuses as a bad option.
    const QString empty = QStringLiteral("the keyword is empty");
    QTest::newRow("empty quotes as the keyword")
        << QByteArray("Host a\n \"\"\"\"   User = \"carol smith\"\n") << QStringLiteral("line 2")
        << empty;
    QTest::newRow("empty keyword before the first host")
        << QByteArray("'' yes\nHost a\n") << QStringLiteral("line 1") << empty;
}

void TestSshHosts::malformedLineIsRefused()
{
    QFETCH(QByteArray, config);
    QFETCH(QString, where);
    QFETCH(QString, problem);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("config"));
    QVERIFY(writeFile(path, config));
    const QString expected = QStringLiteral("%1 %2: %3").arg(path, where, problem);

    const auto hosts = listSshConfigHosts(path);
    QVERIFY(!hosts.ok());
    QCOMPARE(hosts.errorString(), expected);
    QCOMPARE(hosts.error().kind, Error::Kind::Malformed);
    // The connection's reader of the same file says the same.
    const auto proxy = ssh::readProxySetting(QStringLiteral("a"), path);
    QVERIFY(!proxy.ok());
    QCOMPARE(proxy.errorString(), expected);
}

// Found by fuzz_ssh_config: a '*' of the pattern was compared with a '*' of
// the name before being taken as a wildcard, so "*" did not match "*x".
void TestSshHosts::starInTheNameIsNotLiteral_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<bool>("match");
    QTest::newRow("star matches a star") << "*x"
                                         << "*" << true;
    QTest::newRow("then the rest") << "a*b.example.org"
                                   << "a*.example.org" << true;
    QTest::newRow("star then literal") << "*x"
                                       << "*y" << false;
    QTest::newRow("question matches a star") << "a*"
                                             << "a?" << true;
}

void TestSshHosts::starInTheNameIsNotLiteral()
{
    QFETCH(QString, name);
    QFETCH(QString, pattern);
    QTEST(ssh::matchHostPattern(name, pattern), "match");
}

void TestSshHosts::parseAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error"); // empty: parses
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");

    QTest::newRow("host") << "glogin1.bsc.es"
                          << ""
                          << ""
                          << "glogin1.bsc.es" << 0;
    QTest::newRow("alias") << "mn5"
                           << ""
                           << ""
                           << "mn5" << 0;
    QTest::newRow("space in the user (fuzz_ssh_config)") << "SSH:// a@bca"
                                                         << "invalid user name \" a\""
                                                         << ""
                                                         << "" << 0;
    QTest::newRow("user like an option") << "-oProxyCommand=x@gpu1"
                                         << "a user name must not start with '-'"
                                         << ""
                                         << "" << 0;
    QTest::newRow("user@host") << "ann@gpu1"
                               << ""
                               << "ann"
                               << "gpu1" << 0;
    QTest::newRow("host:port") << "gpu1:2222"
                               << ""
                               << ""
                               << "gpu1" << 2222;
    QTest::newRow("user@host:port") << "ann@10.0.0.1:22"
                                    << ""
                                    << "ann"
                                    << "10.0.0.1" << 22;
    QTest::newRow("spaces around") << "  ann@gpu1  "
                                   << ""
                                   << "ann"
                                   << "gpu1" << 0;
    QTest::newRow("v6 with port") << "[fe80::1]:2200"
                                  << ""
                                  << ""
                                  << "fe80::1" << 2200;
    QTest::newRow("user@v6 with port") << "ann@[::1]:22"
                                       << ""
                                       << "ann"
                                       << "::1" << 22;
    QTest::newRow("bare v6") << "fe80::1"
                             << ""
                             << ""
                             << "fe80::1" << 0;
    QTest::newRow("uri") << "ssh://ann@gpu1:2201/"
                         << ""
                         << "ann"
                         << "gpu1" << 2201;
    QTest::newRow("port out of range") << "gpu1:70000"
                                       << "port 70000 is out of range 1-65535"
                                       << ""
                                       << "" << 0;
    QTest::newRow("port 0") << "gpu1:0"
                            << "port 0 is out of range 1-65535"
                            << ""
                            << "" << 0;
    QTest::newRow("port huge") << "gpu1:99999999999"
                               << "port 99999999999 is out of range 1-65535"
                               << ""
                               << "" << 0;
    QTest::newRow("port not a number") << "gpu1:ssh"
                                       << "port \"ssh\" is not a number"
                                       << ""
                                       << "" << 0;
    QTest::newRow("empty port") << "gpu1:"
                                << "no port after ':'"
                                << ""
                                << "" << 0;
    QTest::newRow("empty") << ""
                           << "no host given"
                           << ""
                           << "" << 0;
    QTest::newRow("blank") << "   "
                           << "no host given"
                           << ""
                           << "" << 0;
    QTest::newRow("user only") << "ann@"
                               << "no host given"
                               << ""
                               << "" << 0;
    QTest::newRow("empty user") << "@gpu1"
                                << "the user name before @ is empty"
                                << ""
                                << "" << 0;
    QTest::newRow("space in host") << "gpu 1"
                                   << "invalid host name \"gpu 1\""
                                   << ""
                                   << "" << 0;
    QTest::newRow("option-like host") << "-oProxyCommand=x"
                                      << "a host name must not start with '-'"
                                      << ""
                                      << "" << 0;
    QTest::newRow("unclosed bracket") << "[::1:22"
                                      << "no closing ] after the address"
                                      << ""
                                      << "" << 0;
    QTest::newRow("text after bracket") << "[::1]22"
                                        << "unexpected text after ]"
                                        << ""
                                        << "" << 0;
    QTest::newRow("uri with path") << "ssh://gpu1/x"
                                   << "an ssh:// address has no path"
                                   << ""
                                   << "" << 0;
}

void TestSshHosts::parseAddress()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto r = parseSiteAddress(text);
    if (!error.isEmpty()) {
        QVERIFY(!r.ok());
        QCOMPARE(r.errorString(), error);
        QCOMPARE(r.error().kind, Error::Kind::Malformed);
        return;
    }
    QVERIFY2(r.ok(), qPrintable(r.errorString()));
    QTEST(r->user, "user");
    QTEST(r->host, "host");
    QTEST(r->port, "port");
}

void TestSshHosts::parseAddressKeepsTheDraft()
{
    SiteSpec draft;
    draft.name = QStringLiteral("gpu");
    draft.kind = SiteSpec::Kind::Ssh;
    draft.user = QStringLiteral("old");
    draft.port = 2022;
    draft.pollSeconds = 30;
    const auto r = parseSiteAddress(QStringLiteral("gpu1"), draft);
    QVERIFY(r.ok());
    QCOMPARE(r->name, draft.name);
    QCOMPARE(r->kind, SiteSpec::Kind::Ssh);
    QCOMPARE(r->pollSeconds, 30);
    QCOMPARE(r->host, QStringLiteral("gpu1"));
    // What was not typed is not kept: the typed address is the whole address.
    QCOMPARE(r->user, QString());
    QCOMPARE(r->port, 0);
}

QTEST_GUILESS_MAIN(TestSshHosts)
#include "tst_sshhosts.moc"
