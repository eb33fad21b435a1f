// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile values where a name must be an id (task, site, run, checkpoint,
// option, approver), over the sandbox's real sshd and SLURM: each is refused
// by vigil-job, vigilctl validate/launch/decide with the id rule's message,
// which names the value escaped; valid ids at the edges of the rule are kept
// exactly; nothing is executed (hostilefixture.h has the values).
#include "hostilefixture.h"
#include "protocol/ids.h"

#include <QJsonDocument>

using namespace vigil;
using namespace Qt::StringLiterals;
using namespace vigil::test;

class TestHostileIds : public HostileFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { setUpSandbox(); }
    void cleanupTestCase() { tearDownSandbox(); }
    void idFields_data();
    void idFields();
    void decideRefusesBadNames();
    void nothingWasExecuted() { VERIFY_NO_MARKERS(); }
    // Last: the snapshot taken in initTestCase() against the file system now.
    void nothingWrittenOutsideTheTestDirectory() { VERIFY_NOTHING_WRITTEN_OUTSIDE(); }
};

void TestHostileIds::idFields_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QList<std::pair<QByteArray, QString>> values = hostileValues(m_marker);
    values << std::pair<QByteArray, QString>{"65 characters", QString(65, QLatin1Char('x'))};
    for (const QString &field :
         {u"checkpoint id"_s, u"option name"_s, u"run id"_s, u"launch run id"_s, u"task name"_s,
          u"site name"_s, u"approver"_s}) {
        for (const auto &[row, value] : values) {
            if (field == QLatin1String("launch run id") && value.isEmpty())
                continue; // no --run value: vigilctl makes a run id itself
            if (field == QLatin1String("option name") && value.contains(QLatin1Char('=')))
                continue; // NAME=LABEL: the name ends at the first '='
            QTest::addRow("%s: %s", qPrintable(field), row.constData()) << field << value << false;
        }
        if (field == QLatin1String("launch run id"))
            continue; // a valid one launches: see runRootWithSpacesAndQuotesEndToEnd
        if (field == QLatin1String("approver")) {
            QTest::addRow("approver: existing user") << field << m_env.user << true;
            continue;
        }
        for (const auto &[row, value] : edgeIds())
            QTest::addRow("%s: %s", qPrintable(field), row.constData()) << field << value << true;
    }
}

void TestHostileIds::idFields()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(bool, valid);
    static int n = 0;
    const QString runDir = m_abs + u"/ids/run-%1"_s.arg(++n);
    QByteArray err;
    int exitCode = -1;
    QByteArray out;
    QString expected; // the message that names the value and the rule
    const std::string v = value.toStdString();

    if (field == QLatin1String("task name") || field == QLatin1String("site name")) {
        const bool task = field == QLatin1String("task name");
        const QString site = task ? u"here"_s : value;
        const QString wf = writeWorkflow(
            u"ids-%1.toml"_s.arg(n),
            QStringLiteral("[workflow]\nname = \"ids\"\n[sites.%1]\nkind = \"local\"\n"
                           "[tasks.%2]\nsite = %3\ncommand = [\"true\"]\n")
                .arg(tomlString(site), tomlString(task ? value : u"t"_s), tomlString(site))
                .toUtf8());
        const CtlResult r = runCtl({u"validate"_s, wf});
        exitCode = r.exitCode;
        out = r.out;
        err = r.err;
        if (!valid)
            expected = qs(protocol::validateId(v, field.toStdString()).errorString());
    } else if (field == QLatin1String("launch run id")) {
        const CtlResult r = runCtl(ctlArgs(
            u"launch"_s, siteWorkflow(u"launch"_s, m_rel + u"/launch"_s), {u"--run"_s, value}));
        exitCode = r.exitCode;
        err = r.err;
        expected = qs(protocol::validateId(v, "run id").errorString());
    } else {
        VIGIL_VERIFY_OK(mkdirWait(*m_t, runDir.section(QLatin1Char('/'), 0, -2), 0700));
        QStringList args;
        if (field == QLatin1String("run id")) {
            args = {u"init-run"_s, u"--run-dir"_s, runDir, u"--run-id"_s, value};
            expected = qs(protocol::validateId(v, "run id").errorString());
        } else {
            auto init =
                helper({u"init-run"_s, u"--run-dir"_s, runDir, u"--run-id"_s, u"run-%1"_s.arg(n)});
            VIGIL_VERIFY_OK(init);
            QVERIFY2(init->exitCode == 0, init->err.constData());
            args = {u"checkpoint"_s, u"--run-dir"_s, runDir, u"--title"_s, u"t"_s};
            if (field == QLatin1String("checkpoint id")) {
                args << u"--id"_s << value << u"--option"_s << u"ok"_s;
                expected = qs(protocol::validateId(v, "checkpoint id").errorString());
            } else if (field == QLatin1String("option name")) {
                args << u"--id"_s << u"c"_s << u"--option"_s << value;
                expected = qs(protocol::validateId(v, "option name").errorString());
            } else {
                args << u"--id"_s << u"c"_s << u"--option"_s << u"ok"_s << u"--approver"_s << value;
                // A name the rule accepts ("..") must still resolve to a uid.
                const auto rule = protocol::validateUserName(v);
                expected = rule ? u"cannot resolve user "_s + qs(protocol::quote(v))
                                : qs(rule.errorString());
            }
        }
        auto r = helper(args);
        VIGIL_VERIFY_OK(r);
        exitCode = r->exitCode;
        out = r->out;
        err = r->err;
    }

    if (valid) {
        QVERIFY2(exitCode == 0, err.constData());
        if (field == QLatin1String("checkpoint id"))
            QCOMPARE(QJsonDocument::fromJson(out).object().value(u"id"_s).toString(), value);
        else if (field == QLatin1String("run id"))
            QCOMPARE(QJsonDocument::fromJson(out).object().value(u"run_id"_s).toString(), value);
        return;
    }
    QVERIFY2(exitCode != 0, out.constData());
    QVERIFY2(!expected.isEmpty(), "the rule itself accepts the value");
    // Every refusal names the value (quoted and escaped) and the rule.
    QVERIFY2(expected.contains(qs(protocol::quote(v))), qPrintable(expected));
    QVERIFY2(QString::fromUtf8(err).contains(expected),
             qPrintable(u"expected \"%1\" in: %2"_s.arg(expected, QString::fromUtf8(err))));
    QVERIFY2(rawControlByte(withoutFinalNewline(err)).isEmpty(), qPrintable(rawControlByte(err)));
    VERIFY_NO_MARKERS();
}

void TestHostileIds::decideRefusesBadNames()
{
    const QString wf = siteWorkflow(u"decide"_s, m_rel + u"/decide"_s);
    // The id rule comes first: no value below reaches a site.
    for (const auto &[row, value] : hostileValues(m_marker)) {
        if (value.isEmpty())
            continue; // "decide needs --run, --checkpoint and --option"
        for (const QString &what : {u"run"_s, u"checkpoint"_s}) {
            const QStringList args{u"--run"_s,        what == QLatin1String("run") ? value : u"r"_s,
                                   u"--checkpoint"_s, what == QLatin1String("run") ? u"c"_s : value,
                                   u"--option"_s,     u"ok"_s};
            const CtlResult r = runCtl(ctlArgs(u"decide"_s, wf, args));
            QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
            const QString expected =
                qs(protocol::validateId(value.toStdString(),
                                        what == QLatin1String("run") ? "run id" : "checkpoint id")
                       .errorString());
            QVERIFY2(rawControlByte(withoutFinalNewline(r.err)).isEmpty(),
                     qPrintable(QString::fromLatin1(row) + u": "_s + rawControlByte(r.err)));
            QVERIFY2(QString::fromUtf8(r.err).contains(expected),
                     qPrintable(QString::fromLatin1(row) + u": "_s + r.describe()));
        }
    }
    VERIFY_NO_MARKERS();
}

QTEST_GUILESS_MAIN(TestHostileIds)
#include "tst_hostile_ids.moc"
