// SPDX-License-Identifier: GPL-3.0-or-later
// What vigilctl prints of hostile remote content, over the sandbox's real
// sshd and SLURM:
//
//  - request.json text fields with hostile text come back intact from
//    `vigilctl checkpoints --json`; one-line fields with control characters
//    (C0, DEL, C1) make the request broken, naming the field;
//  - the plain-text listings (checkpoints, runs) never print a raw terminal
//    control byte: the job's outcome, run directory names that are no ids and
//    the problems found are shown escaped;
//  - entries of tasks/ that are no tasks are problems, not nameless tasks, and
//    dot-names (temporaries: no id starts with '.') are neither created nor
//    listed.
#include "hostilefixture.h"
#include "protocol/ids.h"

#include <QJsonDocument>

using namespace vigil;
using namespace Qt::StringLiterals;
using namespace vigil::test;

class TestHostileListings : public HostileFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { setUpSandbox(); }
    void cleanupTestCase() { tearDownSandbox(); }
    void requestTextFieldsStayIntact();
    void listingsOfHostileDirectoryNames();
    void nothingWasExecuted() { VERIFY_NO_MARKERS(); }
    // Last: the snapshot taken in initTestCase() against the file system now.
    void nothingWrittenOutsideTheTestDirectory() { VERIFY_NOTHING_WRITTEN_OUTSIDE(); }
};

void TestHostileListings::requestTextFieldsStayIntact()
{
    const QString rootRel = m_rel + u"/requests"_s;
    const QString runDir = m_t->homeDirectory() + QLatin1Char('/') + rootRel + u"/run-1"_s;
    VIGIL_VERIFY_OK(mkdirWait(*m_t, rootRel, 0700));
    auto init = helper({u"init-run"_s, u"--run-dir"_s, runDir, u"--run-id"_s, u"run-1"_s});
    VIGIL_VERIFY_OK(init);
    QVERIFY2(init->exitCode == 0, init->err.constData());
    const QString wf = siteWorkflow(u"requests"_s, rootRel);

    const QString legal = u"it's \"q\" $(touch %1-t) `id` ; ñ 訓練 🚀 \\ <b>"_s.arg(m_marker);
    const QString escape = u"\x1b]0;title\x07"_s;
    const QString c1 = u"red \u009b31m alert \u009b0m"_s;
    // Posted by the helper with plain text, then edited as a hostile job would.
    auto post = [&](const QString &id, const std::function<void(QJsonObject &)> &edit) {
        auto r = helper({u"checkpoint"_s, u"--run-dir"_s, runDir, u"--id"_s, id, u"--title"_s,
                         u"plain"_s, u"--option"_s, u"ok=fine"_s, u"--option"_s, u"no=nope"_s,
                         u"--metrics"_s, u"metrics/m.csv,x=step,columns=a:b"_s});
        if (!r || r->exitCode != 0)
            return false;
        const QString path = runDir + u"/checkpoints/"_s + id + u"/request.json"_s;
        auto file = readWait(*m_t, path);
        if (!file)
            return false;
        QJsonObject req = QJsonDocument::fromJson(file->data).object();
        edit(req);
        return writeWait(*m_t, path, QJsonDocument(req).toJson(), 0600).ok();
    };
    auto setLabel = [](QJsonObject &req, const QString &label) {
        QJsonArray options = req.value(u"options"_s).toArray();
        QJsonObject first = options.at(0).toObject();
        first.insert(u"label"_s, label);
        options.replace(0, first);
        req.insert(u"options"_s, options);
    };
    auto setMetric = [](QJsonObject &req, const QString &x, const QStringList &columns) {
        QJsonArray metrics = req.value(u"metrics"_s).toArray();
        QJsonObject m = metrics.at(0).toObject();
        m.insert(u"x"_s, x);
        m.insert(u"columns"_s, QJsonArray::fromStringList(columns));
        metrics.replace(0, m);
        req.insert(u"metrics"_s, metrics);
    };
    QVERIFY(post(u"legal"_s, [&](QJsonObject &req) {
        req.insert(u"title"_s, legal);
        req.insert(u"body"_s, QString(u"multi\nline "_s + escape + legal));
        setLabel(req, legal);
        setMetric(req, legal, {legal, u"ñ 訓練"_s, u"-rf"_s});
    }));
    QVERIFY(post(u"esc-title"_s, [&](QJsonObject &req) { req.insert(u"title"_s, escape); }));
    QVERIFY(post(u"esc-label"_s, [&](QJsonObject &req) { setLabel(req, escape); }));
    QVERIFY(post(u"esc-metric"_s, [&](QJsonObject &req) { setMetric(req, u"step"_s, {escape}); }));
    QVERIFY(post(u"c1-title"_s, [&](QJsonObject &req) { req.insert(u"title"_s, c1); }));
    QVERIFY(post(u"c1-label"_s, [&](QJsonObject &req) { setLabel(req, c1); }));
    QVERIFY(post(u"acked"_s, [&](QJsonObject &req) { req.insert(u"title"_s, legal); }));

    // A decision (on the evidence of the metrics file), then the job's
    // acknowledgement with an escape sequence in it.
    auto metrics = helper({u"log-metrics"_s, u"--run-dir"_s, runDir, u"--file"_s,
                           u"metrics/m.csv"_s, u"--step"_s, u"0"_s, u"a=1"_s, u"b=2"_s});
    VIGIL_VERIFY_OK(metrics);
    QVERIFY2(metrics->exitCode == 0, metrics->err.constData());
    const CtlResult decide = runCtl(
        ctlArgs(u"decide"_s, wf,
                {u"--run"_s, u"run-1"_s, u"--checkpoint"_s, u"acked"_s, u"--option"_s, u"ok"_s}));
    QVERIFY2(decide.exitCode == 0, qPrintable(decide.describe()));
    // The outcome is free text (several lines, anything): kept exactly in
    // JSON, escaped in plain text.
    const QString outcome = u"done "_s + escape + u"\nsecond line "_s + legal + u"\t"_s + c1;
    auto ack =
        helper({u"ack"_s, u"--run-dir"_s, runDir, u"--id"_s, u"acked"_s, u"--outcome"_s, outcome});
    VIGIL_VERIFY_OK(ack);
    QVERIFY2(ack->exitCode == 0, ack->err.constData());

    // JSON: every value intact; a file with control characters (C0, DEL or
    // C1) where one line is required is broken, and says which field.
    const CtlResult json = runCtl(ctlArgs(u"checkpoints"_s, wf, {u"--json"_s, u"--all"_s}));
    QVERIFY2(json.exitCode == 0, qPrintable(json.describe()));
    QHash<QString, QJsonObject> byId;
    for (const QJsonValue &v : json.jsonArray())
        byId.insert(v.toObject().value(u"id"_s).toString(), v.toObject());
    QCOMPARE(byId.size(), 7);
    QCOMPARE(byId[u"legal"_s].value(u"status"_s).toString(), u"pending"_s);
    QCOMPARE(byId[u"legal"_s].value(u"title"_s).toString(), legal);
    QCOMPARE(byId[u"acked"_s].value(u"status"_s).toString(), u"applied"_s);
    QCOMPARE(byId[u"acked"_s].value(u"outcome"_s).toString(), outcome);
    for (const auto &[id, field] :
         {std::pair{"esc-title", "\"title\""}, std::pair{"esc-label", "\"options[0].label\""},
          std::pair{"esc-metric", "\"metrics[0].columns[0]\""}, std::pair{"c1-title", "\"title\""},
          std::pair{"c1-label", "\"options[0].label\""}}) {
        const QJsonObject c = byId[QLatin1String(id)];
        QCOMPARE(c.value(u"status"_s).toString(), u"broken"_s);
        const QString problem = c.value(u"problem"_s).toString();
        QVERIFY2(problem.contains(QLatin1String(field)) &&
                     problem.contains(QLatin1String("control characters")),
                 qPrintable(problem));
        QVERIFY2(!problem.contains(QChar(0x1b)) && !problem.contains(QChar(0x9b)),
                 qPrintable(problem));
        QCOMPARE(c.value(u"title"_s).toString(), QString()); // nothing of a broken request
    }

    // vigilctl shows neither labels nor metrics: the scan the desktop reads
    // carries them, intact.
    auto scan = helper({u"scan"_s, runDir.section(QLatin1Char('/'), 0, -2)});
    VIGIL_VERIFY_OK(scan);
    QVERIFY2(scan->exitCode == 0, scan->err.constData());
    QJsonObject request;
    const QJsonArray scanned = QJsonDocument::fromJson(scan->out)
                                   .object()
                                   .value(u"runs"_s)
                                   .toArray()
                                   .at(0)
                                   .toObject()
                                   .value(u"checkpoints"_s)
                                   .toArray();
    for (const QJsonValue &c : scanned)
        if (c.toObject().value(u"id"_s).toString() == QLatin1String("legal"))
            request = c.toObject().value(u"request"_s).toObject();
    QCOMPARE(request.value(u"options"_s).toArray().at(0).toObject().value(u"label"_s).toString(),
             legal);
    const QJsonObject metric = request.value(u"metrics"_s).toArray().at(0).toObject();
    QCOMPARE(metric.value(u"x"_s).toString(), legal);
    QCOMPARE(metric.value(u"columns"_s).toArray(),
             QJsonArray::fromStringList({legal, u"ñ 訓練"_s, u"-rf"_s}));
    QCOMPARE(request.value(u"body"_s).toString(), QString(u"multi\nline "_s + escape + legal));

    // Plain text, as a terminal would get it: no raw control bytes.
    const CtlResult plain = runCtl(ctlArgs(u"checkpoints"_s, wf, {u"--all"_s}));
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.describe()));
    QVERIFY2(plain.out.contains(legal.toUtf8()), qPrintable(plain.describe()));
    for (const QByteArray &line : plain.out.split('\n'))
        QVERIFY2(rawControlByte(line).isEmpty(), qPrintable(rawControlByte(line)));
    // The outcome is there, escaped on its one line: \e, \x07, \n, \t, \x9b.
    const QByteArray shown = (u"\t[applied: done \\e]0;title\\x07\\nsecond line "_s + legal +
                              u"\\tred \\x9b31m alert \\x9b0m]"_s)
                                 .toUtf8();
    QVERIFY2(plain.out.contains(shown), qPrintable(plain.describe()));
    // A broken request's line names the field, escaped too.
    QVERIFY2(plain.out.contains("\tc1-title\tbroken\t"), qPrintable(plain.describe()));
    VERIFY_NO_MARKERS();
}

void TestHostileListings::listingsOfHostileDirectoryNames()
{
    // Directories a job (or anyone who can write the run root) may make.
    const QString rootRel = m_rel + u"/names"_s;
    const QString root = m_t->homeDirectory() + QLatin1Char('/') + rootRel;
    VIGIL_VERIFY_OK(mkdirWait(*m_t, rootRel, 0700));
    const QString wf = siteWorkflow(u"names"_s, rootRel);
    const QString escape = u"\x1b]0;PWNED\x07"_s;
    // Names starting with '.' are the temporaries': no id starts with '.', so
    // vigil-job makes no run and no checkpoint of that name.
    const QString dotRule = u"it must not start with '.'"_s;
    auto dotRun = helper(
        {u"init-run"_s, u"--run-dir"_s, root + u"/.hidden-run"_s, u"--run-id"_s, u".hidden-run"_s});
    VIGIL_VERIFY_OK(dotRun);
    QVERIFY2(dotRun->exitCode != 0 && QString::fromUtf8(dotRun->err).contains(dotRule),
             dotRun->err.constData());

    const QStringList runNames{u"run-1"_s, u".hidden-run"_s, u"bad"_s + escape};
    for (const QString &run : runNames) {
        const QString dir = root + QLatin1Char('/') + run;
        const bool validId = protocol::isValidId(run.toStdString());
        auto init = helper({u"init-run"_s, u"--run-dir"_s, validId ? dir : root + u"/tmp-run"_s,
                            u"--run-id"_s, validId ? run : u"tmp-run"_s});
        VIGIL_VERIFY_OK(init);
        QVERIFY2(init->exitCode == 0, init->err.constData());
        if (!validId) // a run directory renamed, by hand or by a job, to a name that is no id
            VIGIL_VERIFY_OK(execWait(*m_t, {u"mv"_s, u"--"_s, root + u"/tmp-run"_s, dir}));
    }
    VIGIL_VERIFY_OK(mkdirWait(*m_t, root + u"/run-1/tasks/esc"_s + escape, 0700));
    VIGIL_VERIFY_OK(mkdirWait(*m_t, root + u"/run-1/tasks/.tmp"_s, 0700));
    auto hidden = helper({u"checkpoint"_s, u"--run-dir"_s, root + u"/run-1"_s, u"--id"_s,
                          u".hidden"_s, u"--title"_s, u"t"_s, u"--option"_s, u"ok"_s});
    VIGIL_VERIFY_OK(hidden);
    QVERIFY2(hidden->exitCode != 0 && QString::fromUtf8(hidden->err).contains(dotRule),
             hidden->err.constData());
    auto cps = listWait(*m_t, root + u"/run-1/checkpoints"_s);
    VIGIL_VERIFY_OK(cps);
    QCOMPARE(cps->size(), 0);
    // A hidden directory made by hand (as a temporary would be) is skipped.
    VIGIL_VERIFY_OK(mkdirWait(*m_t, root + u"/run-1/checkpoints/.hidden"_s, 0700));

    const CtlResult runs = runCtl(ctlArgs(u"runs"_s, wf));
    QVERIFY2(runs.exitCode == 0, qPrintable(runs.describe()));
    for (const QByteArray &line : runs.out.split('\n'))
        QVERIFY2(rawControlByte(line).isEmpty(), qPrintable(rawControlByte(line)));
    // The runs, in name order: the one whose name is no id by its escaped
    // name, with the rule it breaks; the tasks/ entry that is no task is a
    // problem (escaped), not a nameless task; dot-names are not listed.
    const QString rule = u"is not allowed (use A-Z a-z 0-9 . _ -)"_s;
    const QByteArray expected =
        (u"sbx\t\"bad\\x1b]0;PWNED\\x07\"\t\n"
         "  problem: invalid run directory name \"bad\\x1b]0;PWNED\\x07\": byte 0x1b at "
         "position 3 %1\n"
         "sbx\trun-1\t\n"
         "  problem: tasks: invalid name \"esc\\x1b]0;PWNED\\x07\": byte 0x1b at position 3 %1\n"_s)
            .arg(rule)
            .toUtf8();
    QCOMPARE(runs.out, expected);

    const CtlResult all = runCtl(ctlArgs(u"checkpoints"_s, wf, {u"--json"_s, u"--all"_s}));
    QVERIFY2(all.exitCode == 0, qPrintable(all.describe()));
    QCOMPARE(all.jsonArray().size(), 0);
    VERIFY_NO_MARKERS();
}

QTEST_GUILESS_MAIN(TestHostileListings)
#include "tst_hostile_listings.moc"
