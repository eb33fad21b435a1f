// SPDX-License-Identifier: GPL-3.0-or-later
// The file system authenticates the decider (DESIGN.md, principle 4), on the
// sandbox cluster with no mocks:
//
//  - vigilctl launches a real SLURM job as the sandbox user. The job makes a
//    group-readable run next to its own (`vigil-job init-run --group-readable`:
//    the launcher cannot make one yet) and posts a checkpoint there whose only
//    approver is the job owner, then keeps working and polls for a decision.
//  - The job owner shares the run with the sandbox group, and opens the
//    checkpoint directory as the helper does for a second approver (01770).
//  - A second cluster user, a member of that group, reads the request (and so
//    the nonce) and writes a well-formed decision.json ("stop") over SSH: a
//    plain file, created the protocol's way (temporary + link).
//  - The job refuses it (decision_refused naming the forger's uid, the file
//    moved aside), does not stop, keeps polling; the checkpoint is pending.
//  - `vigilctl decide` as the job owner is accepted: the job stops early and
//    acknowledges it.
#include "../common/sandboxenv.h"
#include "vigilctlrunner.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <sys/stat.h>

using namespace vigil::test;

namespace {

// One word for a POSIX shell: ssh joins its arguments into one command line
// that the remote shell parses again, so every argument is quoted.
QString shellWord(const QString &s)
{
    QString q = s;
    q.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

struct SshResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString describe() const
    {
        return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
            .arg(exitCode)
            .arg(QString::fromUtf8(out), QString::fromUtf8(err));
    }
};

QList<QJsonObject> eventsOf(const QString &runDir, const QString &type)
{
    QList<QJsonObject> out;
    for (const QByteArray &line : readLocal(runDir + QStringLiteral("/events.jsonl")).split('\n')) {
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        if (e.value(QStringLiteral("type")).toString() == type)
            out << e;
    }
    return out;
}

// The job's progress file: one line "step N" per poll.
int lastStep(const QString &path)
{
    const QList<QByteArray> lines = readLocal(path).trimmed().split('\n');
    return lines.isEmpty() ? 0
                           : QString::fromUtf8(lines.last()).section(QLatin1Char(' '), 1).toInt();
}

} // namespace

class TestForgedDecision : public QObject
{
    Q_OBJECT
private:
    SandboxEnv m_env;
    QString m_user2, m_alias2, m_group;
    QTemporaryDir m_dir;
    QString m_workflow;
    static constexpr auto kRunRoot = "vigil-forge-runs";

    QStringList ctl(const QString &command, const QStringList &more = {}) const
    {
        return QStringList{QStringLiteral("-F"), m_env.sshConfig, command, m_workflow} + more;
    }

    // Runs argv on the sandbox as the user of the ssh_config's Host `alias`.
    SshResult ssh(const QString &alias, const QStringList &argv, const QByteArray &input = {}) const
    {
        QStringList words;
        for (const QString &a : argv)
            words << shellWord(a);
        QProcess p;
        p.start(QStringLiteral("ssh"), {QStringLiteral("-F"), m_env.sshConfig, QStringLiteral("-o"),
                                        QStringLiteral("BatchMode=yes"), alias,
                                        QStringLiteral("--"), words.join(QLatin1Char(' '))});
        SshResult r;
        if (!p.waitForStarted(10000)) {
            r.err = "could not start ssh: " + p.errorString().toUtf8();
            return r;
        }
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished();
            r.err = "ssh timed out";
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    QString jobState(const QString &job) const
    {
        const CtlResult jobs = runCtl(ctl(QStringLiteral("jobs"), {QStringLiteral("--json")}));
        for (const QJsonValue &v : jobs.jsonArray())
            if (v.toObject().value(QStringLiteral("job")).toString() == job)
                return v.toObject().value(QStringLiteral("state")).toString();
        return QStringLiteral("(not listed: %1)").arg(jobs.describe());
    }

private Q_SLOTS:
    void initTestCase()
    {
        VIGIL_REQUIRE_SANDBOX(m_env);
        m_user2 = m_env.value(QStringLiteral("VIGIL_SANDBOX_USER2"));
        m_alias2 = m_env.value(QStringLiteral("VIGIL_SANDBOX_HOST_ALIAS2"));
        m_group = m_env.value(QStringLiteral("VIGIL_SANDBOX_GROUP"));
        QVERIFY2(!m_user2.isEmpty() && !m_alias2.isEmpty() && !m_group.isEmpty(),
                 "the sandbox has no second user: run sandbox/vigil-sandbox start again "
                 "(it adds VIGIL_SANDBOX_USER2 to a running sandbox)");
        QVERIFY(m_dir.isValid());

        // The job: a group-readable run beside its own, one checkpoint whose
        // only approver is the job owner, then a poll every 0.25 s for at most
        // 60 s. It stops early only on an accepted "stop".
        QFile job(m_dir.filePath(QStringLiteral("job.sh")));
        QVERIFY(job.open(QIODevice::WriteOnly));
        job.write(R"SH(#!/bin/sh
set -u
shared="$(dirname "$VIGIL_RUN_DIR")/$VIGIL_RUN_ID-g"
progress="$VIGIL_RUN_DIR/progress.txt"
"$VIGIL_JOB" init-run --run-dir "$shared" --run-id "$VIGIL_RUN_ID-g" \
    --workflow-name forge-shared --group-readable >/dev/null || exit 10
"$VIGIL_JOB" checkpoint --run-dir "$shared" --id gate --title "Keep going?" \
    --option continue --option stop --default continue \
    --approver "$(id -un)" --task "$VIGIL_TASK" >/dev/null || exit 11
step=0
while [ "$step" -lt 240 ]; do
    step=$((step + 1))
    echo "step $step" >>"$progress"
    option=$("$VIGIL_JOB" decision --run-dir "$shared" --id gate)
    rc=$?
    if [ "$rc" -eq 0 ]; then
        if [ "$option" = stop ]; then
            "$VIGIL_JOB" ack --run-dir "$shared" --id gate \
                --outcome "stopped early after step $step" || exit 12
            exit 0
        fi
        "$VIGIL_JOB" ack --run-dir "$shared" --id gate --outcome "continued" || exit 12
        break
    elif [ "$rc" -ne 3 ]; then
        echo "vigil-job decision: exit $rc" >&2
    fi
    sleep 0.25
done
echo "ran to the end" >>"$progress"
)SH");
        job.close();

        m_workflow = m_dir.filePath(QStringLiteral("workflow.toml"));
        QFile wf(m_workflow);
        QVERIFY(wf.open(QIODevice::WriteOnly));
        wf.write(QStringLiteral(
                     "[workflow]\nname = \"forge\"\n"
                     "[sites.cluster]\nkind = \"slurm\"\nhost = \"%1\"\npartition = \"debug\"\n"
                     "run_root = \"%2\"\n"
                     "[tasks.work]\nsite = \"cluster\"\n"
                     "command = [\"sh\", \"job.sh\"]\n"
                     "inputs = [\"job.sh\"]\n[tasks.work.resources]\ntime = \"00:03:00\"\n")
                     .arg(m_env.hostAlias, QLatin1String(kRunRoot))
                     .toUtf8());
    }

    void forgedDecisionIsRefused()
    {
        QElapsedTimer total;
        total.start();
        const QString home = QStringLiteral("/home/") + m_env.user;
        const QString root = home + QLatin1Char('/') + QLatin1String(kRunRoot);

        // 1. Submit the job with sbatch over SSH.
        const CtlResult launch = runCtl(ctl(QStringLiteral("launch"), {QStringLiteral("--json")}));
        QVERIFY2(launch.exitCode == 0, qPrintable(launch.describe()));
        const QString run = launch.launchedRun();
        const QString job = launch.launchedJob(QStringLiteral("work"));
        QVERIFY2(!run.isEmpty() && job.toInt() > 0, qPrintable(launch.describe()));
        const QString shared = run + QStringLiteral("-g");
        const QString sharedDir = root + QLatin1Char('/') + shared;
        const QString cpDir = sharedDir + QStringLiteral("/checkpoints/gate");
        const QString progress = root + QLatin1Char('/') + run + QStringLiteral("/progress.txt");

        // 2. The job posts the checkpoint in its group-readable run.
        QJsonObject pending;
        QElapsedTimer timer;
        timer.start();
        while (pending.isEmpty() && timer.elapsed() < 45000) {
            const CtlResult cps =
                runCtl(ctl(QStringLiteral("checkpoints"),
                           {QStringLiteral("--json"), QStringLiteral("--run"), shared}));
            for (const QJsonValue &v : cps.jsonArray())
                if (v.toObject().value(QStringLiteral("id")).toString() == QLatin1String("gate"))
                    pending = v.toObject();
            if (pending.isEmpty())
                QThread::msleep(300);
        }
        QVERIFY2(!pending.isEmpty(),
                 qPrintable(QStringLiteral("the job never posted its checkpoint; "
                                           "job %1 is %2")
                                .arg(job, jobState(job))));
        QCOMPARE(pending.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        const QJsonObject run0 =
            QJsonDocument::fromJson(readLocal(sharedDir + QStringLiteral("/run.json"))).object();
        QCOMPARE(run0.value(QStringLiteral("group_readable")).toBool(), true);
        const QJsonObject request =
            QJsonDocument::fromJson(readLocal(cpDir + QStringLiteral("/request.json"))).object();
        QCOMPARE(request.value(QStringLiteral("approvers")).toArray(),
                 (QJsonArray{m_env.user})); // only the job owner may decide
        const int ownerUid = request.value(QStringLiteral("created_by_uid")).toInt();

        // 3. The job owner shares the run with the group, and opens the
        //    checkpoint directory to it as the helper does for another
        //    approver (01770: group-writable, sticky).
        const SshResult share = ssh(
            m_env.hostAlias,
            {QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral("chgrp \"$1\" \"$2\" && chmod 0750 \"$2\" && chgrp -R \"$1\" \"$3\" && "
                            "chmod 01770 \"$4\""),
             QStringLiteral("sh"), m_group, root, sharedDir, cpDir});
        QVERIFY2(share.exitCode == 0, qPrintable(share.describe()));

        // 4. The second user (same group, not an approver) reads the request,
        //    so it knows the nonce, and writes a well-formed "stop" decision:
        //    a plain file of its own, created with a temporary and a link.
        const SshResult peek =
            ssh(m_alias2, {QStringLiteral("cat"), cpDir + QStringLiteral("/request.json")});
        QVERIFY2(peek.exitCode == 0, qPrintable(peek.describe()));
        const QString nonce =
            QJsonDocument::fromJson(peek.out).object().value(QStringLiteral("nonce")).toString();
        QCOMPARE(nonce, request.value(QStringLiteral("nonce")).toString());
        const QString forgedId = QStringLiteral("f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0");
        const QJsonObject forged{
            {QStringLiteral("format"),
             QJsonObject{{QStringLiteral("name"), QStringLiteral("vigil.decision")},
                         {QStringLiteral("version"), QStringLiteral("1.0")}}},
            {QStringLiteral("checkpoint"), QStringLiteral("gate")},
            {QStringLiteral("nonce"), nonce},
            {QStringLiteral("decision_id"), forgedId},
            {QStringLiteral("option"), QStringLiteral("stop")},
            {QStringLiteral("params"), QJsonObject{}},
            {QStringLiteral("comment"), QStringLiteral("forged")},
            {QStringLiteral("decided_by"), m_env.user}, // a lie: the field is not trusted
            {QStringLiteral("decided_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
            {QStringLiteral("client_host"), QStringLiteral("sandbox")},
            {QStringLiteral("evidence_sha256"), QString()},
            {QStringLiteral("kind"), QStringLiteral("human")},
        };
        const SshResult forge = ssh(
            m_alias2,
            {QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral("t=\"$1/.decision.json.tmp-forged\"; umask 022; "
                            "cat >\"$t\" && ln \"$t\" \"$1/decision.json\"; rc=$?; rm -f \"$t\"; "
                            "exit $rc"),
             QStringLiteral("sh"), cpDir},
            QJsonDocument(forged).toJson());
        QVERIFY2(forge.exitCode == 0, qPrintable(forge.describe()));
        struct stat st
        {
        };
        QVERIFY(::stat(QFile::encodeName(cpDir + QStringLiteral("/decision.json")).constData(),
                       &st) == 0 ||
                !eventsOf(sharedDir, QStringLiteral("decision_refused")).isEmpty());
        const int forgerUid = static_cast<int>(
            QString::fromUtf8(ssh(m_alias2, {QStringLiteral("id"), QStringLiteral("-u")}).out)
                .trimmed()
                .toInt());
        QVERIFY(forgerUid > 0 && forgerUid != ownerUid);

        // 5. The job refuses it at its next poll, logs it and moves it aside.
        QList<QJsonObject> refused;
        timer.restart();
        while (refused.isEmpty() && timer.elapsed() < 15000) {
            refused = eventsOf(sharedDir, QStringLiteral("decision_refused"));
            if (refused.isEmpty())
                QThread::msleep(100);
        }
        QVERIFY2(!refused.isEmpty(), "the job never refused the forged decision");
        QCOMPARE(refused.size(), 1);
        const QJsonObject ev = refused.first();
        QCOMPARE(ev.value(QStringLiteral("checkpoint")).toString(), QStringLiteral("gate"));
        QCOMPARE(ev.value(QStringLiteral("owner_uid")).toInt(), forgerUid);
        QCOMPARE(ev.value(QStringLiteral("decision_id")).toString(), forgedId);
        QVERIFY2(ev.value(QStringLiteral("reason")).toString().contains(QString::number(forgerUid)),
                 qPrintable(ev.value(QStringLiteral("reason")).toString()));
        const QString movedTo = ev.value(QStringLiteral("moved_to")).toString();
        QVERIFY2(movedTo.startsWith(QStringLiteral("decision.refused-")), qPrintable(movedTo));
        QVERIFY(!QFile::exists(cpDir + QStringLiteral("/decision.json")));
        QVERIFY(::stat(QFile::encodeName(cpDir + QLatin1Char('/') + movedTo).constData(), &st) ==
                0);
        QCOMPARE(static_cast<int>(st.st_uid), forgerUid); // the forger's own file, kept as evidence
        QVERIFY(eventsOf(sharedDir, QStringLiteral("ack_written")).isEmpty());

        // The job did not stop: it is still running and still polling.
        const int stepAtRefusal = lastStep(progress);
        timer.restart();
        while (lastStep(progress) < stepAtRefusal + 3 && timer.elapsed() < 10000)
            QThread::msleep(100);
        QVERIFY2(lastStep(progress) >= stepAtRefusal + 3,
                 qPrintable(QStringLiteral("the job stopped polling after the forged decision: ") +
                            QString::fromUtf8(readLocal(progress))));
        QCOMPARE(jobState(job), QStringLiteral("RUNNING"));
        QVERIFY(!QFile::exists(cpDir + QStringLiteral("/ack.json")));
        const CtlResult still =
            runCtl(ctl(QStringLiteral("checkpoints"),
                       {QStringLiteral("--json"), QStringLiteral("--run"), shared}));
        QVERIFY2(still.exitCode == 0 && still.jsonArray().size() == 1,
                 qPrintable(still.describe()));
        QCOMPARE(still.jsonArray().first().toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("pending"));

        // 6. The rightful approver decides through core (SFTP): accepted.
        const CtlResult decide =
            runCtl(ctl(QStringLiteral("decide"),
                       {QStringLiteral("--run"), shared, QStringLiteral("--checkpoint"),
                        QStringLiteral("gate"), QStringLiteral("--option"), QStringLiteral("stop"),
                        QStringLiteral("--comment"), QStringLiteral("the real one")}));
        QVERIFY2(decide.exitCode == 0, qPrintable(decide.describe()));

        const CtlResult wait =
            runCtl(ctl(QStringLiteral("wait"),
                       {QStringLiteral("--run"), run, QStringLiteral("--task"),
                        QStringLiteral("work"), QStringLiteral("--timeout"), QStringLiteral("60")}),
                   90000);
        QVERIFY2(wait.exitCode == 0, qPrintable(wait.describe()));
        QVERIFY2(wait.out.contains("task work completed (exit 0)"), qPrintable(wait.describe()));

        const CtlResult after = runCtl(
            ctl(QStringLiteral("checkpoints"), {QStringLiteral("--json"), QStringLiteral("--all"),
                                                QStringLiteral("--run"), shared}));
        QVERIFY2(after.exitCode == 0, qPrintable(after.describe()));
        QCOMPARE(after.jsonArray().size(), 1);
        const QJsonObject applied = after.jsonArray().first().toObject();
        QCOMPARE(applied.value(QStringLiteral("status")).toString(), QStringLiteral("applied"));
        QCOMPARE(applied.value(QStringLiteral("option")).toString(), QStringLiteral("stop"));
        // decided_by is the desktop's local user name (informative only); the
        // file's owner, checked below, is what the helper trusts.
        QVERIFY(!applied.value(QStringLiteral("decided_by")).toString().isEmpty());
        const QString outcome = applied.value(QStringLiteral("outcome")).toString();
        QVERIFY2(outcome.startsWith(QStringLiteral("stopped early after step ")),
                 qPrintable(outcome));
        QVERIFY2(outcome.section(QLatin1Char(' '), -1).toInt() > stepAtRefusal,
                 qPrintable(outcome));

        // The run directory agrees: the applied decision is the owner's, not
        // the forger's, and the forged one was refused exactly once.
        QVERIFY(::stat(QFile::encodeName(cpDir + QStringLiteral("/decision.json")).constData(),
                       &st) == 0);
        QCOMPARE(static_cast<int>(st.st_uid), ownerUid);
        const QJsonObject ack =
            QJsonDocument::fromJson(readLocal(cpDir + QStringLiteral("/ack.json"))).object();
        QVERIFY(ack.value(QStringLiteral("decision_id")).toString() != forgedId);
        QCOMPARE(eventsOf(sharedDir, QStringLiteral("decision_refused")).size(), 1);
        QVERIFY(!readLocal(progress).contains("ran to the end"));
        qInfo("forged decision refused, owner's applied, in %lld ms", total.elapsed());
    }
};

QTEST_GUILESS_MAIN(TestForgedDecision)
#include "tst_forged_decision.moc"
