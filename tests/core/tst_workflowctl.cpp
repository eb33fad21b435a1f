// SPDX-License-Identifier: GPL-3.0-or-later
// `vigilctl validate FILE [--json]`, the real binary ($VIGILCTL): the summary
// line, every problem as FILE:LINE:COLUMN, exit codes, JSON; no site is
// contacted (the registry points nowhere and the sites do not exist).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Ctl
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Ctl runCtl(const QStringList &args, const QString &home)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("VIGILCTL"), args);
    p.waitForFinished(30000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

} // namespace

class TestWorkflowCtl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!qEnvironmentVariable("VIGILCTL").isEmpty());
        QVERIFY(m_dir.isValid());
    }

    void validFile()
    {
        const QString path =
            write("good.toml", "[workflow]\nname = \"w\"\n"
                               "[sites.c]\nkind = \"slurm\"\nhost = \"no-such-host.invalid\"\n"
                               "[sites.l]\nkind = \"local\"\n"
                               "[tasks.a]\nsite = \"c\"\ncommand = \"x\"\n"
                               "[tasks.g]\nkind = \"gate\"\nafter = [\"a\"]\nquestion = \"q\"\n"
                               "options = [{ name = \"y\", enables = [\"b\"] }]\n"
                               "[tasks.b]\nsite = \"l\"\ncommand = \"x\"\nafter = [\"g\"]\n");
        Ctl r = runCtl({QStringLiteral("validate"), path}, m_dir.path());
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QString::fromUtf8(r.out),
                 path + QStringLiteral(": ok: 3 tasks (1 gates), 2 sites\n"));
        r = runCtl({QStringLiteral("validate"), path, QStringLiteral("--json")}, m_dir.path());
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("file")).toString(), path);
        QCOMPARE(o.value(QStringLiteral("tasks")).toInt(), 3);
        QCOMPARE(o.value(QStringLiteral("gates")).toInt(), 1);
        QCOMPARE(o.value(QStringLiteral("sites")).toInt(), 2);
        QVERIFY(o.value(QStringLiteral("problems")).toArray().isEmpty());
    }

    void everyProblem()
    {
        const QString path = write("bad.toml", "[workflow]\nname = \"w\"\n"
                                               "[sites.l]\nkind = \"local\"\n"
                                               "[tasks.a]\nsite = \"l\"\ncommand = \"x\"\n"
                                               "retries = 99\n"
                                               "[tasks.b]\nsite = \"m\"\ncommand = \"x\"\n");
        Ctl r = runCtl({QStringLiteral("validate"), path}, m_dir.path());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.isEmpty(), r.out.constData()); // problems go to stderr
        const QStringList lines =
            QString::fromUtf8(r.err).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[0].startsWith(path + QStringLiteral(":8:11: [tasks.a].retries")),
                 qPrintable(lines[0]));
        QVERIFY2(lines[1].startsWith(path + QStringLiteral(":10:8: [tasks.b] uses site \"m\"")),
                 qPrintable(lines[1]));
        r = runCtl({QStringLiteral("validate"), QStringLiteral("--json"), path}, m_dir.path());
        QCOMPARE(r.exitCode, 1);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("ok")).toBool(), false);
        const QJsonArray problems = o.value(QStringLiteral("problems")).toArray();
        QCOMPARE(problems.size(), 2);
        QCOMPARE(problems[1].toObject().value(QStringLiteral("line")).toInt(), 10);
        QCOMPARE(problems[1].toObject().value(QStringLiteral("column")).toInt(), 8);
        QVERIFY(problems[1]
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("uses site \"m\"")));
    }

    void missingFileAndUsage()
    {
        const QString path = m_dir.filePath(QStringLiteral("none.toml"));
        Ctl r = runCtl({QStringLiteral("validate"), path}, m_dir.path());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith((path + QStringLiteral(": cannot open the workflow")).toUtf8()),
                 r.err.constData());
        r = runCtl({QStringLiteral("validate")}, m_dir.path());
        QCOMPARE(r.exitCode, 2);
    }

private:
    QString write(const char *name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(QString::fromLatin1(name));
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(text);
        return path;
    }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestWorkflowCtl)
#include "tst_workflowctl.moc"
