// SPDX-License-Identifier: GPL-3.0-or-later
// When vigil-job cannot run on a site, the desktop still sees the run
// directories by SFTP polling, on the sandbox cluster (real sshd, real SFTP
// server, real SLURM), no mocks:
//
//  - A run root made with the real vigil-job over exec: init-run, a task run
//    by task-exec (and one that failed), checkpoints pending, decided,
//    decided and acknowledged, refused (a decision written by the second
//    cluster user, who is no approver), refused and moved aside by the job,
//    a broken request.json, symlinks planted in checkpoint directories.
//    scanOverSftp (listings and reads only) gives the document
//    `vigil-job scan` gives, but for "scanned_at" (the clocks), "host" (the
//    machine's name vs the site's address: SFTP cannot ask) and
//    "helper_version" (null: no helper).
//  - A site whose helper really fails: VIGIL_JOB_BINARY is a script that
//    exits 126, so the uploaded "helper" fails its version probe. Site::scanRuns
//    says so once and lists the runs over SFTP; the helper is not retried
//    every cycle; the Supervisor lists runs and checkpoints, raises one
//    warning, shows the site as polled over SFTP and starts no watch.
#include "../common/sandboxenv.h"
#include "../ssh/sshtesthelpers.h"
#include "protocol/decision.h"
#include "protocol/request.h"
#include "runs/runinfo.h"
#include "runs/sftpscan.h"
#include "sites/site.h"
#include "supervisor.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>

using namespace vigil;
using namespace vigil::test;
using nlohmann::json;

namespace {

const QByteArray kBrokenHelper = "#!/bin/sh\n# not vigil-job: it never runs\nexit 126\n";

json stripped(const QByteArray &doc)
{
    json j = json::parse(doc.toStdString());
    for (const char *key : {"scanned_at", "helper_version", "host"})
        j.erase(key);
    return j;
}

} // namespace

class TestSftpScan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void sameDocumentAsTheHelper();
    void siteWithoutHelperScansOverSftp();
    void supervisorKeepsWorkingWithoutHelper();

private:
    // Runs argv on the sandbox as the sandbox user; true when it exits `expect`.
    bool remote(const QStringList &argv, int expect = 0, QByteArray *out = nullptr)
    {
        auto r = execWait(*m_t, argv);
        if (!r || r->exitCode != expect) {
            qWarning().noquote() << argv << (r ? QString::number(r->exitCode) : r.errorString())
                                 << (r ? QString::fromUtf8(r->err) : QString());
            return false;
        }
        if (out)
            *out = r->out;
        return true;
    }
    bool helper(const QStringList &args, int expect = 0, QByteArray *out = nullptr)
    {
        return remote(QStringList{m_helper} + args, expect, out);
    }
    bool checkpoint(const QString &id)
    {
        return helper({QStringLiteral("checkpoint"), QStringLiteral("--run-dir"), m_run,
                       QStringLiteral("--task"), QStringLiteral("train"), QStringLiteral("--id"),
                       id, QStringLiteral("--title"), QStringLiteral("Lower the rate?"),
                       QStringLiteral("--option"), QStringLiteral("keep"),
                       QStringLiteral("--option"), QStringLiteral("lower=Lower it"),
                       QStringLiteral("--param"), QStringLiteral("lr:number:0.001")});
    }
    // A decision as the desktop makes it, for the request now on the site.
    QByteArray decision(const QString &id, const std::string &option)
    {
        auto bytes = readWait(*m_t, cp(id) + QStringLiteral("/request.json"));
        if (!bytes)
            return {};
        auto request = protocol::parseRequest(bytes->data.toStdString());
        if (!request)
            return {};
        auto d = protocol::makeDecision(*request, option, json::object(), "from the test",
                                        m_env.user.toStdString(), "desk", "", protocol::now());
        return d ? QByteArray::fromStdString(protocol::serializeDecision(*d)) : QByteArray();
    }
    QString cp(const QString &id) const { return m_run + QStringLiteral("/checkpoints/") + id; }
    SiteSpec spec(const QString &name, SiteSpec::Kind kind) const
    {
        SiteSpec s;
        s.name = name;
        s.kind = kind;
        s.host = m_env.hostAlias;
        s.runRoot = m_rootName;
        s.partition = m_env.value(QStringLiteral("VIGIL_SANDBOX_PARTITION"));
        return s;
    }

    SandboxEnv m_env;
    QTemporaryDir m_tmp;
    QString m_helper; // the real vigil-job, run over exec
    std::unique_ptr<SshTransport> m_t;
    std::unique_ptr<SshTransport> m_t2; // the second cluster user
    quint32 m_uid2 = 0;
    QString m_rootName; // relative to the home directory
    QString m_root;     // absolute
    QString m_run;
    QString m_brokenRemote; // where a site uploads the broken helper
};

void TestSftpScan::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    const QString user2 = m_env.value(QStringLiteral("VIGIL_SANDBOX_USER2"));
    const QString alias2 = m_env.value(QStringLiteral("VIGIL_SANDBOX_HOST_ALIAS2"));
    const QString group = m_env.value(QStringLiteral("VIGIL_SANDBOX_GROUP"));
    QVERIFY2(!user2.isEmpty() && !alias2.isEmpty() && !group.isEmpty(),
             "the sandbox has no second user: run sandbox/vigil-sandbox start again");
    QVERIFY(m_tmp.isValid());

    // The real helper for the fixture; every Site of this process gets a
    // "helper" that is not one (read once per process, before any site).
    m_helper = qEnvironmentVariable("VIGIL_JOB_BINARY");
    QVERIFY(QFile::exists(m_helper));
    const QString broken = m_tmp.filePath(QStringLiteral("vigil-job"));
    QFile script(broken);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(kBrokenHelper);
    script.close();
    QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    qputenv("VIGIL_JOB_BINARY", QFile::encodeName(broken));
    QCOMPARE(Site::localHelperBinary(), broken);

    m_t = std::make_unique<SshTransport>(sandboxTarget(m_env));
    SshTarget second = sandboxTarget(m_env);
    second.host = alias2;
    m_t2 = std::make_unique<SshTransport>(second);
    m_t->open();
    m_t2->open();
    QByteArray out;
    QVERIFY(remote({QStringLiteral("true")}));
    auto id2 = execWait(*m_t2, {QStringLiteral("id"), QStringLiteral("-u")});
    VIGIL_VERIFY_OK(id2);
    m_uid2 = id2->out.trimmed().toUInt();
    QVERIFY(m_uid2 > 0);

    m_rootName = QStringLiteral("vigil-sftpscan-%1")
                     .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    m_root = m_t->homeDirectory() + QLatin1Char('/') + m_rootName;
    m_run = m_root + QStringLiteral("/run-1");
    m_brokenRemote = m_t->homeDirectory() +
                     QStringLiteral("/.local/share/vigil/bin/vigil-job-%1-%2")
                         .arg(QStringLiteral(VIGIL_VERSION),
                              QString::fromLatin1(QCryptographicHash::hash(
                                                      kBrokenHelper, QCryptographicHash::Sha256)
                                                      .toHex()
                                                      .left(12)));
    VIGIL_VERIFY_OK(mkdirWait(*m_t, m_root, 0700));

    // A group-readable run, so that the second user can reach a checkpoint.
    QVERIFY(helper({QStringLiteral("init-run"), QStringLiteral("--run-dir"), m_run,
                    QStringLiteral("--run-id"), QStringLiteral("run-1"),
                    QStringLiteral("--workflow-name"), QStringLiteral("sftp"),
                    QStringLiteral("--group-readable")}));
    for (const char *id : {"pending", "decided", "applied", "forged", "moved", "linked"})
        QVERIFY(checkpoint(QString::fromLatin1(id)));
    QVERIFY(helper({QStringLiteral("task-exec"), QStringLiteral("--run-dir"), m_run,
                    QStringLiteral("--task"), QStringLiteral("prep"), QStringLiteral("--"),
                    QStringLiteral("true")}));
    QVERIFY(helper({QStringLiteral("task-exec"), QStringLiteral("--run-dir"), m_run,
                    QStringLiteral("--task"), QStringLiteral("train"), QStringLiteral("--"),
                    QStringLiteral("sh"), QStringLiteral("-c"),
                    QStringLiteral("echo epoch 1 >\"$1\"; exit 3"), QStringLiteral("sh"),
                    m_run + QStringLiteral("/tasks/train/stdout.log")},
                   3));
    VIGIL_VERIFY_OK(
        writeWait(*m_t, m_run + QStringLiteral("/tasks/train/submission.json"),
                  R"({"format":{"name":"vigil.submission","version":"1.0"},"job_id":"4242",)"
                  R"("site":"sandbox","submitted_at":"2025-03-01T14:05:09Z"})",
                  0600));

    // Decisions the desktop's way (SFTP no-clobber create); one acknowledged.
    VIGIL_VERIFY_OK(createWait(*m_t,
                               cp(QStringLiteral("decided")) + QStringLiteral("/decision.json"),
                               decision(QStringLiteral("decided"), "lower"), 0640));
    VIGIL_VERIFY_OK(createWait(*m_t,
                               cp(QStringLiteral("applied")) + QStringLiteral("/decision.json"),
                               decision(QStringLiteral("applied"), "keep"), 0640));
    QVERIFY(helper({QStringLiteral("ack"), QStringLiteral("--run-dir"), m_run,
                    QStringLiteral("--id"), QStringLiteral("applied"), QStringLiteral("--outcome"),
                    QStringLiteral("kept the rate")}));

    // The second user, no approver, decides "forged" and "moved": shared with
    // the group as the helper shares a checkpoint with another approver.
    QVERIFY(remote({QStringLiteral("sh"), QStringLiteral("-c"),
                    QStringLiteral("chgrp \"$1\" \"$2\" && chmod 0750 \"$2\" && "
                                   "chgrp -R \"$1\" \"$3\" && chmod 01770 \"$4\" \"$5\""),
                    QStringLiteral("sh"), group, m_root, m_run, cp(QStringLiteral("forged")),
                    cp(QStringLiteral("moved"))}));
    for (const char *id : {"forged", "moved"}) {
        const QByteArray forged = decision(QString::fromLatin1(id), "lower");
        QVERIFY(!forged.isEmpty());
        VIGIL_VERIFY_OK(createWait(
            *m_t2, cp(QString::fromLatin1(id)) + QStringLiteral("/decision.json"), forged, 0644));
    }
    // The job refuses "moved" and moves it aside; then its owner decides.
    QVERIFY(helper({QStringLiteral("decision"), QStringLiteral("--run-dir"), m_run,
                    QStringLiteral("--id"), QStringLiteral("moved")},
                   3));
    VIGIL_VERIFY_OK(createWait(*m_t, cp(QStringLiteral("moved")) + QStringLiteral("/decision.json"),
                               decision(QStringLiteral("moved"), "keep"), 0640));

    // Hostile and broken entries.
    QVERIFY(remote({QStringLiteral("ln"), QStringLiteral("-s"), QStringLiteral("/etc/passwd"),
                    cp(QStringLiteral("linked")) + QStringLiteral("/decision.json")}));
    QVERIFY(remote({QStringLiteral("ln"), QStringLiteral("-s"), QStringLiteral("/tmp"),
                    cp(QStringLiteral("escape"))}));
    VIGIL_VERIFY_OK(mkdirWait(*m_t, cp(QStringLiteral("garbled")), 0750));
    VIGIL_VERIFY_OK(
        writeWait(*m_t, cp(QStringLiteral("garbled")) + QStringLiteral("/request.json"), "{oops"));
    VIGIL_VERIFY_OK(mkdirWait(*m_t, m_root + QStringLiteral("/not-a-run/checkpoints"), 0700));
}

void TestSftpScan::cleanupTestCase()
{
    if (!m_t)
        return;
    if (!m_root.isEmpty())
        (void)execWait(*m_t,
                       {QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), m_root});
    if (!m_brokenRemote.isEmpty())
        (void)execWait(*m_t, {QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("--"),
                              m_brokenRemote});
}

void TestSftpScan::sameDocumentAsTheHelper()
{
    QElapsedTimer timer;
    timer.start();
    QByteArray helperDoc;
    QVERIFY(helper({QStringLiteral("scan"), m_root}, 0, &helperDoc));
    const qint64 helperMs = timer.restart();

    const auto opsBefore = m_t->stats();
    auto got = await<SftpScanResult>([&](QObject *ctx, Callback<SftpScanResult> cb) {
        scanOverSftp(m_t.get(), {m_root, m_env.hostAlias, std::nullopt}, ctx, std::move(cb));
    });
    const qint64 sftpMs = timer.elapsed();
    VIGIL_VERIFY_OK(got);
    const auto opsAfter = m_t->stats();
    QCOMPARE(opsAfter.execs, opsBefore.execs); // no command ran
    QCOMPARE(opsAfter.fileOps - opsBefore.fileOps, quint64(got->listings + got->reads));

    const json mine = stripped(got->document);
    const json theirs = stripped(helperDoc);
    if (mine != theirs)
        qWarning().noquote() << "vigil-job scan:" << QString::fromStdString(theirs.dump(1))
                             << "\nover SFTP:" << QString::fromStdString(mine.dump(1));
    QVERIFY(mine == theirs);
    const json doc = json::parse(got->document.toStdString());
    QVERIFY(doc["helper_version"].is_null());
    QCOMPARE(QString::fromStdString(doc["host"].get<std::string>()), m_env.hostAlias);
    QVERIFY(!json::parse(helperDoc.toStdString())["helper_version"].is_null());

    // The fixture reaches what matters.
    const std::string text = mine.dump();
    const std::string refusedBy2 = "\"owner_uid\":" + std::to_string(m_uid2);
    for (const std::string &needle :
         {std::string("checkpoints/linked/decision.json: is a symbolic link: refused"),
          std::string("checkpoints/escape: is a symbolic link: refused"),
          std::string("checkpoints/garbled/request.json: not valid JSON"), refusedBy2,
          std::string("\"status\":\"refused\""), std::string("\"status\":\"valid\""),
          std::string("\"matches_decision\":true"), std::string("\"refused_count\":1"),
          std::string("\"file\":\"decision.refused-"), std::string("\"job_id\":\"4242\""),
          std::string("\"exit_code\":3")})
        QVERIFY2(text.find(needle) != std::string::npos, needle.c_str());

    qInfo().noquote() << QStringLiteral("vigil-job scan over exec: %1 ms; over SFTP: %2 ms, %3 "
                                        "listings, %4 reads, %5 passes")
                             .arg(helperMs)
                             .arg(sftpMs)
                             .arg(got->listings)
                             .arg(got->reads)
                             .arg(got->passes);
    // The root's parent, the root, run-1 and not-a-run, run-1's tasks/ and
    // checkpoints/, 2 task and 7 checkpoint directories (not the symlink).
    QCOMPARE(got->listings, 2 + 2 + 2 + 2 + 7);
    // run.json; 6 requests and the garbled one; decisions of decided,
    // applied, forged, moved, and moved's refused one; applied's ack; 2
    // state.json and train's submission.json.
    QCOMPARE(got->reads, 1 + 7 + 5 + 1 + 3);
}

void TestSftpScan::siteWithoutHelperScansOverSftp()
{
    ProcessSite site(spec(QStringLiteral("edge"), SiteSpec::Kind::Ssh),
                     new SshTransport(sandboxTarget(m_env)));
    QSignalSpy unavailable(&site, &Site::helperUnavailable);
    auto scan = [&] {
        return await<QByteArray>(
            [&](QObject *ctx, Callback<QByteArray> cb) { site.scanRuns(ctx, std::move(cb)); },
            60000);
    };

    auto first = scan();
    VIGIL_VERIFY_OK(first);
    QVERIFY(site.helperPath().isEmpty());
    QVERIFY(site.helperVersion().isEmpty());
    QCOMPARE(unavailable.size(), 1);
    const QString message = unavailable.first().first().toString();
    QVERIFY2(message.startsWith(QStringLiteral("vigil-job cannot run on edge (")),
             qPrintable(message));
    QVERIFY2(message.endsWith(QStringLiteral("): reading run directories over SFTP instead")),
             qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("exited with status 126")), qPrintable(message));
    QVERIFY(!site.helperProblem().isEmpty());
    // The broken "helper" was really uploaded and really failed.
    auto listed = listWait(*m_t, m_brokenRemote.section(QLatin1Char('/'), 0, -2));
    VIGIL_VERIFY_OK(listed);
    bool uploaded = false;
    for (const FileEntry &e : *listed)
        uploaded = uploaded || e.name == m_brokenRemote.section(QLatin1Char('/'), -1);
    QVERIFY(uploaded);

    // The runs and checkpoints, as the helper would have listed them.
    auto runs = parseScan(*first, site.name());
    VIGIL_VERIFY_OK(runs);
    QByteArray helperDoc;
    QVERIFY(helper({QStringLiteral("scan"), m_root}, 0, &helperDoc));
    QVERIFY(stripped(*first) == stripped(helperDoc));
    QCOMPARE(runs->size(), 1);
    QHash<QString, CheckpointInfo::Status> status;
    for (const CheckpointInfo &c : runs->first().checkpoints)
        status.insert(c.id, c.status);
    QCOMPARE(status.value(QStringLiteral("decided")), CheckpointInfo::Status::Decided);
    QCOMPARE(status.value(QStringLiteral("applied")), CheckpointInfo::Status::Applied);
    QCOMPARE(status.value(QStringLiteral("moved")), CheckpointInfo::Status::Decided);
    QCOMPARE(status.value(QStringLiteral("forged")), CheckpointInfo::Status::Refused);
    QCOMPARE(status.value(QStringLiteral("garbled")), CheckpointInfo::Status::Broken);
    QCOMPARE(runs->first().tasks.size(), 2);

    // The next cycles do not try the helper again (no command runs) and say nothing new.
    const auto before = site.transport()->stats();
    VIGIL_VERIFY_OK(scan());
    VIGIL_VERIFY_OK(scan());
    QCOMPARE(site.transport()->stats().execs, before.execs);
    QCOMPARE(unavailable.size(), 1);

    // Once the retry interval has passed, it is tried again (probe, upload,
    // probe) and still fails: the same reason is not said twice.
    site.setHelperRetryInterval(std::chrono::milliseconds(0));
    VIGIL_VERIFY_OK(scan());
    QVERIFY(site.transport()->stats().execs >= before.execs + 2);
    QCOMPARE(unavailable.size(), 1);
}

void TestSftpScan::supervisorKeepsWorkingWithoutHelper()
{
    SupervisorOptions options;
    options.sshConfigFile = m_env.sshConfig;
    options.hostKeyPolicy = HostKeyPolicy::Strict;
    options.pollSeconds = 3600;
    Supervisor supervisor(options);
    QSignalSpy refreshed(&supervisor, &Supervisor::refreshed);
    supervisor.addSite(spec(QStringLiteral("cluster"), SiteSpec::Kind::Slurm));
    supervisor.start();
    QTRY_VERIFY_WITH_TIMEOUT(!refreshed.isEmpty(), 60000);
    QCOMPARE(refreshed.first().at(0).toString(), QStringLiteral("cluster"));
    const SiteStatus status = supervisor.siteStatus(QStringLiteral("cluster"));
    QVERIFY2(refreshed.first().at(1).toBool(), qPrintable(status.lastError));
    QVERIFY(status.helperVersion.isEmpty());
    QVERIFY(!status.helperProblem.isEmpty());
    QVERIFY(status.lastError.isEmpty());
    QVERIFY(status.runsConfirmedAt.isValid());

    QCOMPARE(supervisor.runs().size(), 1);
    QCOMPARE(supervisor.runs().first().runId, QStringLiteral("run-1"));
    auto pending = supervisor.checkpoint(QStringLiteral("cluster"), QStringLiteral("run-1"),
                                         QStringLiteral("pending"));
    QVERIFY(pending.has_value());
    QCOMPARE(pending->title, QStringLiteral("Lower the rate?"));
    QCOMPARE(supervisor.checkpoints().size(), 7);

    int warnings = 0;
    for (const Issue &i : supervisor.issues())
        if (i.message.contains(QStringLiteral("reading run directories over SFTP instead"))) {
            ++warnings;
            QCOMPARE(i.severity, Issue::Severity::Warning);
            QCOMPARE(i.site, QStringLiteral("cluster"));
        }
    QCOMPARE(warnings, 1);

    // A second cycle: still over SFTP, no second warning, and no watch.
    supervisor.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() >= 2, 60000);
    QVERIFY(refreshed.at(1).at(1).toBool());
    QTest::qWait(500);
    QVERIFY(!supervisor.siteStatus(QStringLiteral("cluster")).watching);
    warnings = 0;
    for (const Issue &i : supervisor.issues())
        warnings += i.message.contains(QStringLiteral("over SFTP instead")) ? 1 : 0;
    QCOMPARE(warnings, 1);
}

QTEST_GUILESS_MAIN(TestSftpScan)
#include "tst_sftp_scan.moc"
