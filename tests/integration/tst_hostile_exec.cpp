// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile values as command arguments and file names, over the sandbox's real
// sshd and SLURM: quotes, $(), backticks, ';', newlines, tabs, unicode,
// leading dashes and dots, "..", '/', '%', empty and very long values,
// control characters (hostilefixture.h has the list).
//
//  - exec: every value travels as one argv element and comes back byte for
//    byte; nothing in it is ever run (the /tmp/pwned-* markers it would
//    create never appear);
//  - file names (everything POSIX allows, up to the longest, 255 bytes) are
//    created, read, listed, replaced and no-clobber-created over SFTP, and
//    made by `mkdir -p`;
//  - a run root with spaces, quotes, $() or '%' works: a SLURM task is
//    launched with hostile arguments and environment, completes, and its run
//    and checkpoint are listed; one with a backslash (which sbatch --output
//    cannot express) is refused when the workflow is loaded.
#include "hostilefixture.h"
#include "protocol/ids.h"

#include <QJsonDocument>

using namespace vigil;
using namespace Qt::StringLiterals;
using namespace vigil::test;

class TestHostileExec : public HostileFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { setUpSandbox(); }
    void cleanupTestCase() { tearDownSandbox(); }
    void markerCheckWorks();
    void execArgvRoundTrip_data();
    void execArgvRoundTrip();
    void commandNameIsNeverAnAssignment();
    void commandLineOverTheKernelLimit();
    void fileNames_data();
    void fileNames();
    void unusableFileNamesAreRefused();
    void longestFileNames_data();
    void longestFileNames();
    void runRootWithSpacesAndQuotesEndToEnd_data();
    void runRootWithSpacesAndQuotesEndToEnd();
    void runRootWithBackslashIsRefused();
    void nothingWasExecuted() { VERIFY_NO_MARKERS(); }
    // Last: the snapshot taken in initTestCase() against the file system now.
    void nothingWrittenOutsideTheTestDirectory() { VERIFY_NOTHING_WRITTEN_OUTSIDE(); }
};

void TestHostileExec::markerCheckWorks()
{
    // The check below would see a value that got executed.
    VERIFY_NO_MARKERS();
    VIGIL_VERIFY_OK(execWait(*m_t, {u"touch"_s, m_marker + u"-control"_s}));
    QCOMPARE(markersFound(), QStringList{m_marker + u"-control"_s});
    VIGIL_VERIFY_OK(execWait(*m_t, {u"rm"_s, u"--"_s, m_marker + u"-control"_s}));
    VERIFY_NO_MARKERS();
}

void TestHostileExec::execArgvRoundTrip_data()
{
    QTest::addColumn<QString>("value");
    for (const auto &[row, value] : hostileValues(m_marker))
        QTest::newRow(row.constData()) << value;
}

void TestHostileExec::execArgvRoundTrip()
{
    QFETCH(QString, value);
    // Directly as arguments, and once more through a second shell's "$@".
    const QStringList direct{u"printf"_s, u"%s\\0"_s, value, u"end"_s};
    auto r = execWait(*m_t, direct);
    VIGIL_VERIFY_OK(r);
    QCOMPARE(r->exitCode, 0);
    QCOMPARE(r->out, nulJoined({value, u"end"_s}));

    const QStringList nested{u"sh"_s, u"-c"_s, u"printf '%s\\0' \"$@\""_s, u"sh"_s, value, value};
    r = execWait(*m_t, nested);
    VIGIL_VERIFY_OK(r);
    QCOMPARE(r->exitCode, 0);
    QCOMPARE(r->out, nulJoined({value, value}));
    VERIFY_NO_MARKERS();
}

void TestHostileExec::commandNameIsNeverAnAssignment()
{
    // Unquoted, "NAME=value env" would run env with NAME set; the first word
    // must be the program's name, and there is no program of that name.
    auto r = execWait(*m_t, {u"VIGIL_HOSTILE_X=1"_s, u"env"_s});
    VIGIL_VERIFY_OK(r);
    QVERIFY2(!r->out.contains("VIGIL_HOSTILE_X"), r->out.constData());
    QCOMPARE(r->exitCode, 127);
    // A reserved word is only a program name too.
    r = execWait(*m_t, {u"if"_s, u"true;"_s});
    VIGIL_VERIFY_OK(r);
    QCOMPARE(r->exitCode, 127);
    QVERIFY2(r->err.contains("not found"), r->err.constData());
}

void TestHostileExec::commandLineOverTheKernelLimit()
{
    // The remote shell gets the whole command line as one argument, which
    // Linux limits to 128 KiB: a longer one fails cleanly, it never hangs.
    const QString big(200 * 1024, QLatin1Char('y'));
    auto r = execWait(*m_t, {u"printf"_s, u"%s"_s, big});
    VIGIL_VERIFY_OK(r);
    QVERIFY2(r->exitCode != 0 && r->err.contains("Argument list too long"), r->err.constData());
    // A NUL cannot travel in a command line: the command fails, and nothing
    // of it runs (the marker would be created by a truncated command).
    const QString withNul = m_marker + u"-nul"_s + QChar(0) + u"tail"_s;
    r = execWait(*m_t, {u"touch"_s, withNul});
    QVERIFY(!r || r->exitCode != 0);
    VERIFY_NO_MARKERS();
    // The connection is still usable afterwards.
    r = execWait(*m_t, {u"printf"_s, u"%s"_s, QString(100 * 1024, QLatin1Char('y'))});
    VIGIL_VERIFY_OK(r);
    QCOMPARE(r->out.size(), 100 * 1024);
}

void TestHostileExec::fileNames_data()
{
    QTest::addColumn<QString>("name");
    for (const auto &[row, value] : hostileValues(m_markerName)) {
        // POSIX file names hold anything but '/' and NUL, at most 255 bytes;
        // "", "." and ".." name no new file.
        if (value.contains(QLatin1Char('/')) || value.isEmpty() || value == QLatin1String("..") ||
            value.toUtf8().size() > 200)
            continue;
        QTest::newRow(row.constData()) << value;
    }
    QTest::newRow("dots") << u"..."_s;
    QTest::newRow("200 bytes") << u"ñ"_s.repeated(100);
}

void TestHostileExec::fileNames()
{
    QFETCH(QString, name);
    static int n = 0;
    const QString dir = m_abs + u"/files-%1"_s.arg(++n);
    VIGIL_VERIFY_OK(mkdirWait(*m_t, dir, 0700));
    const QString path = dir + QLatin1Char('/') + name;
    const QByteArray first = "first " + name.toUtf8();
    const QByteArray second = "second " + name.toUtf8();

    // SFTP: no-clobber create, a second create refused, read, list.
    VIGIL_VERIFY_OK(createWait(*m_t, path, first, 0600));
    auto again = createWait(*m_t, path, second, 0600);
    QVERIFY(!again);
    QCOMPARE(again.error().kind, Error::Kind::AlreadyExists);
    auto read = readWait(*m_t, path);
    VIGIL_VERIFY_OK(read);
    QCOMPARE(read->data, first);
    auto list = listWait(*m_t, dir);
    VIGIL_VERIFY_OK(list);
    QCOMPARE(list->size(), 1);
    QCOMPARE(list->first().name, name);

    // Replaced atomically (the rename runs over exec with the quoted path).
    VIGIL_VERIFY_OK(writeWait(*m_t, path, second, 0600));
    read = readWait(*m_t, path);
    VIGIL_VERIFY_OK(read);
    QCOMPARE(read->data, second);

    // Directories of that name: over SFTP, and with mkdir -p over exec.
    VIGIL_VERIFY_OK(mkdirWait(*m_t, dir + u"/sftp-"_s + name + QLatin1Char('/') + name, 0700));
    auto mk = execWait(
        *m_t, {u"mkdir"_s, u"-p"_s, u"--"_s, dir + u"/exec-"_s + name + QLatin1Char('/') + name});
    VIGIL_VERIFY_OK(mk);
    QVERIFY2(mk->exitCode == 0, mk->err.constData());
    for (const QString &parent : {u"/sftp-"_s, u"/exec-"_s}) {
        auto sub = listWait(*m_t, dir + parent + name);
        VIGIL_VERIFY_OK(sub);
        QCOMPARE(sub->size(), 1);
        QCOMPARE(sub->first().name, name);
        QVERIFY(sub->first().isDir);
    }

    // The shell side sees the same names: cat reads the file, find lists it.
    auto cat = execWait(*m_t, {u"cat"_s, u"--"_s, path});
    VIGIL_VERIFY_OK(cat);
    QCOMPARE(cat->out, second);
    auto found = execWait(*m_t, {u"find"_s, dir, u"-mindepth"_s, u"1"_s, u"-maxdepth"_s, u"1"_s,
                                 u"-type"_s, u"f"_s, u"-printf"_s, u"%f\\0"_s});
    VIGIL_VERIFY_OK(found);
    QCOMPARE(found->out, nulJoined({name}));
    VERIFY_NO_MARKERS();
}

void TestHostileExec::unusableFileNamesAreRefused()
{
    const QString dir = m_abs + u"/unusable"_s;
    VIGIL_VERIFY_OK(mkdirWait(*m_t, dir, 0700));
    for (const QString &bad : {u"/.."_s, u"/."_s, u"/"_s}) {
        auto c = createWait(*m_t, dir + bad, "x");
        QVERIFY2(!c && c.errorString().contains(QLatin1String("invalid file name")),
                 qPrintable(c.errorString()));
        auto w = writeWait(*m_t, dir + bad, "x");
        QVERIFY2(!w && (w.errorString().contains(QLatin1String("invalid file name")) ||
                        w.errorString().contains(QLatin1String("directory"))),
                 qPrintable(w.errorString()));
    }
    auto mk = mkdirWait(*m_t, QString());
    QVERIFY2(!mk && mk.errorString().contains(QLatin1String("empty")),
             qPrintable(mk.errorString()));
    // A name longer than a file system allows: a clear error, nothing left.
    auto tooLong = createWait(*m_t, dir + QLatin1Char('/') + QString(256, QLatin1Char('n')), "x");
    QVERIFY(!tooLong);
    QVERIFY2(tooLong.errorString().contains(dir), qPrintable(tooLong.errorString()));
    auto list = listWait(*m_t, dir);
    VIGIL_VERIFY_OK(list);
    QCOMPARE(list->size(), 0);
}

void TestHostileExec::longestFileNames_data()
{
    // The temporary ".NAME.tmp-XXXXXXXXXXXX" is 18 bytes longer than NAME:
    // from 238 bytes on it must be made shorter, in the same directory.
    QTest::addColumn<QString>("name");
    QTest::newRow("237 bytes") << QString(237, QLatin1Char('k'));
    QTest::newRow("238 bytes") << QString(238, QLatin1Char('l'));
    QTest::newRow("255 bytes") << QString(255, QLatin1Char('m'));
    // Shell syntax, a newline and two-byte characters, 237 bytes into which
    // fall in the middle of a character: the cut must not split it.
    QString hostile = u"$(touch %1-long)';\n"_s.arg(m_markerName);
    if ((237 - hostile.toUtf8().size()) % 2 == 0)
        hostile += QLatin1Char('a');
    while (hostile.toUtf8().size() + 2 <= 255)
        hostile += u"ñ"_s;
    while (hostile.toUtf8().size() < 255)
        hostile += QLatin1Char('x');
    QTest::newRow("255 bytes of UTF-8, hostile") << hostile;
}

void TestHostileExec::longestFileNames()
{
    QFETCH(QString, name);
    static int n = 0;
    const QString dir = m_abs + u"/long-%1"_s.arg(++n);
    VIGIL_VERIFY_OK(mkdirWait(*m_t, dir, 0700));
    QVERIFY(name.toUtf8().size() <= 255);
    const QString path = dir + QLatin1Char('/') + name;
    // No-clobber create, a second create refused, atomic replace, read back.
    VIGIL_VERIFY_OK(createWait(*m_t, path, "first", 0600));
    auto again = createWait(*m_t, path, "again", 0600);
    QVERIFY(!again);
    QCOMPARE(again.error().kind, Error::Kind::AlreadyExists);
    VIGIL_VERIFY_OK(writeWait(*m_t, path, "second", 0600));
    auto read = readWait(*m_t, path);
    VIGIL_VERIFY_OK(read);
    QCOMPARE(read->data, QByteArray("second"));
    // A fresh file by atomic write too; no temporary is left behind.
    const QString other = dir + QLatin1Char('/') + name.chopped(1) + QLatin1Char('z');
    VIGIL_VERIFY_OK(writeWait(*m_t, other, "third", 0600));
    auto list = listWait(*m_t, dir);
    VIGIL_VERIFY_OK(list);
    QStringList names;
    for (const FileEntry &e : std::as_const(*list))
        names << e.name;
    names.sort();
    QStringList expected{name, name.chopped(1) + QLatin1Char('z')};
    expected.sort();
    QCOMPARE(names, expected);
    VERIFY_NO_MARKERS();
}

void TestHostileExec::runRootWithSpacesAndQuotesEndToEnd_data()
{
    QTest::addColumn<QString>("runRoot"); // below the test's directory
    QTest::newRow("spaces, quotes, $(), tab")
        << u"run root's \"q\" $(touch %1-rr) `x` ñ\tz"_s.arg(m_marker);
    // sbatch --output is a filename pattern: these must not be expanded.
    QTest::newRow("percent signs") << u"100%j %x %% %a"_s;
}

void TestHostileExec::runRootWithSpacesAndQuotesEndToEnd()
{
    // A hostile run root; edge-of-rule site, task, run and checkpoint ids;
    // hostile arguments and environment.
    QFETCH(QString, runRoot);
    runRoot = m_rel + QLatin1Char('/') + runRoot;
    const QString runId =
        u"h4.e2e_%1-"_s.arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    const QString run = runId + QString(64 - runId.size(), QLatin1Char('x'));
    const QString site = u"sbx.1_-"_s;
    const QString task = u"t.1_-x"_s;
    const QString checkpoint = u"cp..1_-"_s;
    const QString env = u"$(touch %1-env) `touch %1-env2` it's \"x\" \\ ñ"_s.arg(m_marker);
    const QString title = u"it's \"q\" $(touch %1-title) `id` ; ñ 訓練 🚀 \\"_s.arg(m_marker);
    QStringList args;
    for (const auto &[row, value] : hostileValues(m_marker))
        args << value;
    const QString script =
        QStringLiteral(
            "printf '%s\\0' \"$HOSTILE\" \"$@\" > \"$VIGIL_RUN_DIR/argv.bin\" && "
            "\"$VIGIL_JOB\" checkpoint --id '%1' --title \"$TITLE\" --option \"ok=$TITLE\"")
            .arg(checkpoint);
    QStringList command{tomlString(u"sh"_s), tomlString(u"-c"_s), tomlString(script),
                        tomlString(u"sh"_s)};
    for (const QString &a : std::as_const(args))
        command << tomlString(a);
    const QString wf = writeWorkflow(
        u"e2e.toml"_s,
        QStringLiteral(
            "[workflow]\nname = \"hostile-e2e\"\n[sites.%1]\nkind = \"slurm\"\nhost = %2\n"
            "partition = \"debug\"\nrun_root = %3\n[tasks.%4]\nsite = %5\ncommand = [%6]\n"
            "[tasks.%4.environment]\nHOSTILE = %7\nTITLE = %8\n[tasks.%4.resources]\ntime = "
            "\"00:02:00\"\n")
            .arg(tomlString(site), tomlString(m_env.hostAlias), tomlString(runRoot),
                 tomlString(task), tomlString(site), command.join(u", "_s), tomlString(env),
                 tomlString(title))
            .toUtf8());

    const CtlResult launch = runCtl(ctlArgs(u"launch"_s, wf, {u"--json"_s, u"--run"_s, run}));
    QVERIFY2(launch.exitCode == 0, qPrintable(launch.describe()));
    QCOMPARE(launch.launchedRun(), run);
    QVERIFY2(launch.launchedJob(task).toInt() > 0, qPrintable(launch.describe()));
    const CtlResult wait = runCtl(ctlArgs(u"wait"_s, wf,
                                          {u"--run"_s, run, u"--task"_s, task, u"--timeout"_s,
                                           u"120"_s, u"--poll"_s, u"1"_s}),
                                  150000);
    QVERIFY2(wait.exitCode == 0, qPrintable(wait.describe()));
    QVERIFY2(wait.out.contains(u"task %1 completed (exit 0)"_s.arg(task).toUtf8()),
             qPrintable(wait.describe()));

    // The job saw every argument and the environment byte for byte.
    const QString runDir =
        m_t->homeDirectory() + QLatin1Char('/') + runRoot + QLatin1Char('/') + run;
    auto argv = readWait(*m_t, runDir + u"/argv.bin"_s, 0, 4 << 20);
    VIGIL_VERIFY_OK(argv);
    QVERIFY2(argv->data == nulJoined(QStringList{env} + args),
             "the job's argv differs from the workflow's");
    auto log = readWait(*m_t, runDir + u"/tasks/"_s + task + u"/output.log"_s);
    VIGIL_VERIFY_OK(log);
    QVERIFY2(log->data.contains(u"\"id\":\"%1\""_s.arg(checkpoint).toUtf8()),
             log->data.constData());

    // vigilctl lists the run, its task and its checkpoint with the exact names.
    const CtlResult runs = runCtl(ctlArgs(u"runs"_s, wf));
    QVERIFY2(runs.exitCode == 0, qPrintable(runs.describe()));
    QVERIFY2(runs.out.contains(u"%1\t%2\thostile-e2e\n"_s.arg(site, run).toUtf8()),
             qPrintable(runs.describe()));
    QVERIFY2(runs.out.contains(u"  task %1\tcompleted\t"_s.arg(task).toUtf8()),
             qPrintable(runs.describe()));
    const QJsonObject cp = checkpointJson(wf, run, checkpoint);
    QVERIFY2(!cp.isEmpty(), "the checkpoint is not listed");
    QCOMPARE(cp.value(u"title"_s).toString(), title);
    QCOMPARE(cp.value(u"site"_s).toString(), site);
    VERIFY_NO_MARKERS();
}

void TestHostileExec::runRootWithBackslashIsRefused()
{
    // sbatch --output drops every backslash of its pattern (and stops
    // expanding): a log below such a run root cannot be named. The workflow
    // is refused where the run root is written, before anything is made.
    const QString runRoot = m_rel + u"/back\\slash"_s;
    const QString wf = writeWorkflow(
        u"backslash.toml"_s,
        QStringLiteral("[workflow]\nname = \"w\"\n[sites.sbx]\nkind = \"slurm\"\nhost = %1\n"
                       "partition = \"debug\"\nrun_root = %2\n"
                       "[tasks.t]\nsite = \"sbx\"\ncommand = [\"true\"]\n")
            .arg(tomlString(m_env.hostAlias), tomlString(runRoot))
            .toUtf8());
    const QString expected =
        wf + u":7:12: [sites.sbx].run_root must not contain a backslash on a SLURM site"_s;
    for (const QString &command : {u"validate"_s, u"launch"_s}) {
        const CtlResult r = runCtl(command == QLatin1String("validate")
                                       ? QStringList{command, wf}
                                       : ctlArgs(command, wf, {u"--run"_s, u"r1"_s}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(QString::fromUtf8(r.err).contains(expected), qPrintable(r.describe()));
    }
    auto list = listWait(*m_t, m_abs);
    VIGIL_VERIFY_OK(list);
    for (const FileEntry &e : std::as_const(*list))
        QVERIFY2(!e.name.startsWith(u"back"_s), qPrintable(e.name));
}

QTEST_GUILESS_MAIN(TestHostileExec)
#include "tst_hostile_exec.moc"
