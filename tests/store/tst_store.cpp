// SPDX-License-Identifier: GPL-3.0-or-later
// The local store on real SQLite files: schema, migrations from version 1,
// refusal of newer and damaged files, the outbox's state machine, the inbox,
// the job-state history, and two connections writing one file at once.

#include "../ssh/sshtesthelpers.h"
#include "rawdb.h"
#include "store/store.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

namespace {

OutboxEntry decision(const QString &id, const QString &option = QStringLiteral("go"))
{
    OutboxEntry e;
    e.decisionId = id;
    e.site = QStringLiteral("cluster");
    e.runId = QStringLiteral("run-1");
    e.checkpointId = QStringLiteral("epoch-3");
    e.nonce = QStringLiteral("0123456789abcdef0123456789abcdef");
    e.option = option;
    e.params = QStringLiteral("{\"lr\":0.01}");
    e.comment = QStringLiteral("plateau");
    e.decidedBy = QStringLiteral("ana");
    e.clientHost = QStringLiteral("laptop-7");
    e.evidenceSha256 = QString(64, QLatin1Char('a'));
    e.evidenceBytes = QStringLiteral("[120,4096]");
    e.decidedAt = QDateTime(QDate(2026, 3, 1), QTime(14, 5, 9), Qt::UTC);
    return e;
}

CheckpointInfo checkpointInfo(CheckpointInfo::Status status, const QString &kind = {})
{
    CheckpointInfo c;
    c.site = QStringLiteral("cluster");
    c.runId = QStringLiteral("run-1");
    c.id = QStringLiteral("epoch-3");
    c.task = QStringLiteral("train");
    c.title = QStringLiteral("Go on?");
    c.status = status;
    c.decisionKind = kind;
    if (status != CheckpointInfo::Status::Pending) {
        c.decidedBy = kind.isEmpty() ? QStringLiteral("ana") : QStringLiteral("vigil-job");
        c.decidedOption = QStringLiteral("go");
        c.decisionId = QString(32, QLatin1Char('d'));
        c.decidedAt = QDateTime::currentDateTimeUtc();
    }
    return c;
}

JobInfo job(const QString &id, const QString &state)
{
    JobInfo j;
    j.site = QStringLiteral("cluster");
    j.jobId = id;
    j.state = state;
    j.runId = QStringLiteral("run-1");
    j.task = QStringLiteral("train");
    return j;
}

#define STORE_AWAIT(T, call) await<T>([&](QObject *ctx_, Callback<T> cb_) { call; }, 20000)

} // namespace

class TestStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("store-%1.sqlite").arg(++m_count));
    }

    void defaultPathFollowsTheEnvironment()
    {
        qputenv("VIGIL_STORE_PATH", "/tmp/somewhere/else.sqlite");
        QCOMPARE(Store::defaultPath(), QStringLiteral("/tmp/somewhere/else.sqlite"));
        qunsetenv("VIGIL_STORE_PATH");
        QVERIFY(Store::defaultPath().endsWith(QLatin1String("/Vigil/vigil/store.sqlite")));
    }

    void newDatabaseHasTheSchema()
    {
        {
            Store store(m_dir.filePath(QStringLiteral("a/b/new.sqlite"))); // makes the directories
            VIGIL_VERIFY_OK(STORE_AWAIT(void, store.whenOpen(ctx_, cb_)));
        }
        RawDb raw(m_dir.filePath(QStringLiteral("a/b/new.sqlite")));
        QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), Store::kSchemaVersion);
        QCOMPARE(raw.value(QStringLiteral("PRAGMA journal_mode")).toString(),
                 QStringLiteral("wal"));
        for (const char *table :
             {"sites", "runs", "job_states", "inbox", "outbox", "audit", "followed_runs"})
            QVERIFY2(raw.value(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = "
                                              "'table' AND name = '%1'")
                                   .arg(QLatin1String(table)))
                             .toInt() == 1,
                     table);
    }

    void upgradesFromVersion1()
    {
        {
            RawDb raw(m_path);
            for (const char *sql : kVersion1)
                QVERIFY(raw.exec(QLatin1String(sql)));
            QVERIFY(raw.exec(
                QStringLiteral(
                    "INSERT INTO outbox (decision_id, site, run_id, checkpoint_id, option, "
                    "decided_by, "
                    "client_host, decided_at, state, attempts, updated_at) VALUES ('%1', "
                    "'cluster', "
                    "'run-1', 'epoch-3', 'stop', 'ana', 'laptop-7', '2026-03-01T14:05:09.000Z', "
                    "'sent', 1, '2026-03-01T14:05:10.000Z')")
                    .arg(QString(32, QLatin1Char('1')))));
            QVERIFY(raw.exec(QStringLiteral(
                "INSERT INTO job_states (site, job_id, state, observed_at) VALUES ('cluster', "
                "'42', 'RUNNING', '2026-03-01T14:00:00.000Z')")));
            QVERIFY(raw.exec(QStringLiteral(
                "INSERT INTO inbox (site, run_id, checkpoint_id, status, is_read, first_seen, "
                "updated_at) VALUES ('cluster', 'run-1', 'epoch-3', 'pending', 1, "
                "'2026-03-01T14:00:00.000Z', '2026-03-01T14:00:00.000Z')")));
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 1")));
        }
        Store store(m_path);
        VIGIL_VERIFY_OK(STORE_AWAIT(void, store.whenOpen(ctx_, cb_)));

        // The rows are kept...
        auto out = STORE_AWAIT(QList<OutboxEntry>, store.outbox(ctx_, cb_));
        VIGIL_VERIFY_OK(out);
        QCOMPARE(out->size(), 1);
        QCOMPARE(out->first().option, QStringLiteral("stop"));
        QCOMPARE(out->first().state, OutboxEntry::State::Sent);
        QCOMPARE(out->first().attempts, 1);
        QCOMPARE(out->first().decidedAt, QDateTime(QDate(2026, 3, 1), QTime(14, 5, 9), Qt::UTC));
        QVERIFY(out->first().winnerBy.isEmpty());
        QVERIFY(out->first().evidenceBytes.isEmpty()); // none recorded before version 4
        auto history =
            STORE_AWAIT(QList<JobStateChange>, store.jobHistory(QStringLiteral("cluster"),
                                                                QStringLiteral("42"), ctx_, cb_));
        VIGIL_VERIFY_OK(history);
        QCOMPARE(history->size(), 1);
        auto inbox = STORE_AWAIT(QList<InboxEntry>, store.inbox(ctx_, cb_));
        VIGIL_VERIFY_OK(inbox);
        QCOMPARE(inbox->size(), 1);
        QVERIFY(inbox->first().read);

        // ...and the columns of version 2 work on them.
        OutboxEntry winner;
        winner.decidedBy = QStringLiteral("bo");
        winner.option = QStringLiteral("go");
        winner.decisionId = QString(32, QLatin1Char('2'));
        VIGIL_VERIFY_OK(
            STORE_AWAIT(void, store.markLost(QString(32, QLatin1Char('1')), winner, ctx_, cb_)));
        out = STORE_AWAIT(QList<OutboxEntry>, store.outbox(ctx_, cb_));
        VIGIL_VERIFY_OK(out);
        QCOMPARE(out->first().state, OutboxEntry::State::Lost);
        QCOMPARE(out->first().winnerBy, QStringLiteral("bo"));
        // The same job state observed again adds nothing (the index of v2 is used).
        auto added = STORE_AWAIT(
            int, store.recordJobStates(QStringLiteral("cluster"),
                                       {job(QStringLiteral("42"), QStringLiteral("RUNNING"))},
                                       QDateTime::currentDateTimeUtc(), ctx_, cb_));
        VIGIL_VERIFY_OK(added);
        QCOMPARE(*added, 0);
        RawDb raw(m_path);
        QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), Store::kSchemaVersion);
        QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = "
                                          "'job_states_by_job'"))
                     .toInt(),
                 1);
        // Version 3's table works on the upgraded file.
        VIGIL_VERIFY_OK(STORE_AWAIT(
            void, store.followRun(QStringLiteral("run-1"), QStringLiteral("cluster"), ctx_, cb_)));
        auto followed = STORE_AWAIT(QList<FollowedRun>, store.followedRuns(ctx_, cb_));
        VIGIL_VERIFY_OK(followed);
        QCOMPARE(followed->size(), 1);
    }

    void followedRunsPersist()
    {
        {
            Store store(m_path);
            VIGIL_VERIFY_OK(
                STORE_AWAIT(void, store.followRun(QStringLiteral("run-a"),
                                                  QStringLiteral("cluster"), ctx_, cb_)));
            VIGIL_VERIFY_OK(
                STORE_AWAIT(void, store.followRun(QStringLiteral("run-b"), QString(), ctx_, cb_)));
            // Again without a site: the site known stays; the time it was first followed too.
            auto before = STORE_AWAIT(QList<FollowedRun>, store.followedRuns(ctx_, cb_));
            VIGIL_VERIFY_OK(before);
            VIGIL_VERIFY_OK(
                STORE_AWAIT(void, store.followRun(QStringLiteral("run-a"), QString(), ctx_, cb_)));
            VIGIL_VERIFY_OK(STORE_AWAIT(
                void, store.followRun(QStringLiteral("run-b"), QStringLiteral("edge"), ctx_, cb_)));
            auto after = STORE_AWAIT(QList<FollowedRun>, store.followedRuns(ctx_, cb_));
            VIGIL_VERIFY_OK(after);
            QCOMPARE(after->size(), 2);
            QCOMPARE(after->at(0).runId, QStringLiteral("run-a"));
            QCOMPARE(after->at(0).site, QStringLiteral("cluster"));
            QCOMPARE(after->at(0).since, before->at(0).since);
            QVERIFY(after->at(0).since.isValid());
            QCOMPARE(after->at(1).site, QStringLiteral("edge"));
            VIGIL_VERIFY_OK(
                STORE_AWAIT(void, store.unfollowRun(QStringLiteral("run-b"), ctx_, cb_)));
        }
        // Another program opening the file later sees what was left.
        Store again(m_path);
        auto left = STORE_AWAIT(QList<FollowedRun>, again.followedRuns(ctx_, cb_));
        VIGIL_VERIFY_OK(left);
        QCOMPARE(left->size(), 1);
        QCOMPARE(left->first().runId, QStringLiteral("run-a"));
    }

    void refusesANewerVersion()
    {
        {
            RawDb raw(m_path);
            QVERIFY(raw.exec(QStringLiteral("CREATE TABLE future (x TEXT)")));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO future VALUES ('keep me')")));
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 99")));
        }
        const QByteArray before = sha(m_path);
        {
            Store store(m_path);
            auto opened = STORE_AWAIT(void, store.whenOpen(ctx_, cb_));
            QVERIFY(!opened);
            qInfo().noquote() << opened.errorString();
            QVERIFY2(opened.errorString().contains(m_path), qPrintable(opened.errorString()));
            QVERIFY2(opened.errorString().contains(QLatin1String("newer Vigil")),
                     qPrintable(opened.errorString()));
            QVERIFY(opened.errorString().contains(QLatin1String("99")));
            // Every later call fails the same way, and writes nothing.
            auto queued = STORE_AWAIT(
                void, store.queueDecision(decision(QString(32, QLatin1Char('3'))), ctx_, cb_));
            QVERIFY(!queued);
            QCOMPARE(queued.errorString(), opened.errorString());
        }
        QCOMPARE(sha(m_path), before);
        QVERIFY(!QFile::exists(m_path + QStringLiteral("-wal")));
        RawDb raw(m_path);
        QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), 99);
        QCOMPARE(raw.value(QStringLiteral("SELECT x FROM future")).toString(),
                 QStringLiteral("keep me"));
    }

    void refusesADamagedFile_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("text") << QByteArray("[sites]\nname = \"not a database\"\n").repeated(100)
                              << QStringLiteral("damaged or not a Vigil store");
        QByteArray header("SQLite format 3\0", 16);
        QByteArray junk;
        for (int i = 0; i < 8192; ++i)
            junk.append(char((i * 7919) % 251));
        QTest::newRow("sqlite header, junk pages")
            << header + junk << QStringLiteral("damaged or not a Vigil store");
        QTest::newRow("random bytes") << junk << QStringLiteral("damaged or not a Vigil store");
        // A real store whose pages after the first (the tables' roots) are junk.
        const QString real = m_dir.filePath(QStringLiteral("damaged-pages.sqlite"));
        {
            Store store(real);
            QVERIFY(await<void>([&](QObject *ctx, Callback<void> cb) { store.whenOpen(ctx, cb); }));
        }
        QFile f(real);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray pages = f.readAll();
        QVERIFY(pages.size() > 8192);
        pages.replace(4096, junk.size(), junk.left(pages.size() - 4096));
        QTest::newRow("store, damaged pages")
            << pages << QStringLiteral("damaged or not a Vigil store");
    }

    void refusesADamagedFile()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        {
            QFile f(m_path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        {
            Store store(m_path);
            auto opened = STORE_AWAIT(void, store.whenOpen(ctx_, cb_));
            QVERIFY(!opened);
            qInfo().noquote() << opened.errorString();
            QVERIFY2(opened.errorString().startsWith(m_path), qPrintable(opened.errorString()));
            QVERIFY2(opened.errorString().contains(expected), qPrintable(opened.errorString()));
        }
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), content); // untouched
    }

    void refusesAForeignDatabase()
    {
        {
            RawDb raw(m_path);
            QVERIFY(raw.exec(QStringLiteral("CREATE TABLE contacts (name TEXT)")));
        }
        Store store(m_path);
        auto opened = STORE_AWAIT(void, store.whenOpen(ctx_, cb_));
        QVERIFY(!opened);
        QVERIFY2(opened.errorString().contains(QLatin1String("not a Vigil store")),
                 qPrintable(opened.errorString()));
    }

    void outboxStateMachine()
    {
        Store store(m_path);
        const QString a(32, QLatin1Char('a'));
        const QString b(32, QLatin1Char('b'));
        const QString c(32, QLatin1Char('c'));
        VIGIL_VERIFY_OK(STORE_AWAIT(void, store.queueDecision(decision(a), ctx_, cb_)));
        VIGIL_VERIFY_OK(
            STORE_AWAIT(void, store.queueDecision(decision(b, QStringLiteral("stop")), ctx_, cb_)));
        VIGIL_VERIFY_OK(STORE_AWAIT(void, store.queueDecision(decision(c), ctx_, cb_)));

        // The same decision id twice: refused, the first is kept.
        auto again =
            STORE_AWAIT(void, store.queueDecision(decision(a, QStringLiteral("stop")), ctx_, cb_));
        QVERIFY(!again);
        QCOMPARE(again.error().kind, Error::Kind::AlreadyExists);

        // queued cannot be confirmed: it was never sent.
        auto early =
            STORE_AWAIT(void, store.markConfirmed(a, QDateTime::currentDateTimeUtc(), ctx_, cb_));
        QVERIFY(!early);
        QVERIFY2(early.errorString().contains(QLatin1String("queued, it cannot become confirmed")),
                 qPrintable(early.errorString()));

        // a: queued -> sent (twice: a retry) -> confirmed, with one audit row.
        VIGIL_VERIFY_OK(STORE_AWAIT(void, store.markSent(a, ctx_, cb_)));
        VIGIL_VERIFY_OK(STORE_AWAIT(void, store.markSent(a, ctx_, cb_)));
        const QDateTime confirmedAt = QDateTime::currentDateTimeUtc();
        VIGIL_VERIFY_OK(STORE_AWAIT(void, store.markConfirmed(a, confirmedAt, ctx_, cb_)));
        auto twice = STORE_AWAIT(void, store.markConfirmed(a, confirmedAt, ctx_, cb_));
        QVERIFY(!twice);
        QVERIFY(twice.errorString().contains(QLatin1String("is confirmed")));
        QVERIFY(!STORE_AWAIT(void, store.markLost(a, decision(b), ctx_, cb_)));
        QVERIFY(!STORE_AWAIT(void, store.markSent(a, ctx_, cb_)));

        // b: queued -> sent -> lost, with who won.
        VIGIL_VERIFY_OK(STORE_AWAIT(void, store.markSent(b, ctx_, cb_)));
        OutboxEntry winner = decision(a);
        winner.decidedBy = QStringLiteral("bo");
        VIGIL_VERIFY_OK(STORE_AWAIT(void, store.markLost(b, winner, ctx_, cb_)));

        auto pending = STORE_AWAIT(QList<OutboxEntry>,
                                   store.unconfirmed(QStringLiteral("cluster"), ctx_, cb_));
        VIGIL_VERIFY_OK(pending);
        QCOMPARE(pending->size(), 1);
        QCOMPARE(pending->first().decisionId, c);
        auto otherSite =
            STORE_AWAIT(QList<OutboxEntry>, store.unconfirmed(QStringLiteral("edge"), ctx_, cb_));
        VIGIL_VERIFY_OK(otherSite);
        QVERIFY(otherSite->isEmpty());

        // c: queued -> failed; final.
        VIGIL_VERIFY_OK(STORE_AWAIT(
            void, store.markFailed(c, QStringLiteral("the checkpoint is closed"), ctx_, cb_)));
        QVERIFY(!STORE_AWAIT(void, store.markSent(c, ctx_, cb_)));

        auto all = STORE_AWAIT(QList<OutboxEntry>, store.outbox(ctx_, cb_));
        VIGIL_VERIFY_OK(all);
        QCOMPARE(all->size(), 3);
        QHash<QString, OutboxEntry> byId;
        for (const OutboxEntry &e : std::as_const(*all))
            byId.insert(e.decisionId, e);
        QCOMPARE(byId[a].state, OutboxEntry::State::Confirmed);
        QCOMPARE(byId[a].attempts, 2);
        QCOMPARE(byId[a].option, QStringLiteral("go"));
        QCOMPARE(byId[b].state, OutboxEntry::State::Lost);
        QCOMPARE(byId[b].winnerBy, QStringLiteral("bo"));
        QCOMPARE(byId[b].winnerDecisionId, a);
        QCOMPARE(byId[c].state, OutboxEntry::State::Failed);
        QCOMPARE(byId[c].lastError, QStringLiteral("the checkpoint is closed"));

        auto audit =
            STORE_AWAIT(QList<AuditEntry>, store.auditLog(QStringLiteral("run-1"), ctx_, cb_));
        VIGIL_VERIFY_OK(audit);
        QCOMPARE(audit->size(), 1);
        const AuditEntry &row = audit->first();
        QCOMPARE(row.decisionId, a);
        QCOMPARE(row.decidedBy, QStringLiteral("ana"));
        QCOMPARE(row.clientHost, QStringLiteral("laptop-7"));
        QCOMPARE(row.evidenceSha256, QString(64, QLatin1Char('a')));
        QCOMPARE(row.evidenceBytes, QStringLiteral("[120,4096]")); // with the hash they describe
        QCOMPARE(row.params, QStringLiteral("{\"lr\":0.01}"));
        QCOMPARE(row.comment, QStringLiteral("plateau"));
        QCOMPARE(row.decidedAt, QDateTime(QDate(2026, 3, 1), QTime(14, 5, 9), Qt::UTC));
        QCOMPARE(row.confirmedAt.toMSecsSinceEpoch(), confirmedAt.toMSecsSinceEpoch());
        auto noRun =
            STORE_AWAIT(QList<AuditEntry>, store.auditLog(QStringLiteral("run-2"), ctx_, cb_));
        VIGIL_VERIFY_OK(noRun);
        QVERIFY(noRun->isEmpty());
    }

    // vigil and vigilctl (and more) opening a store file that does not exist
    // yet, at the same moment: every one opens it, none takes the file being
    // created by another for someone else's database. 20 rounds of 6.
    void manyOpenANewFileAtOnce()
    {
        for (int round = 0; round < 20; ++round) {
            const QString path = m_dir.filePath(QStringLiteral("race-%1.sqlite").arg(round));
            std::vector<std::unique_ptr<Store>> stores;
            for (int i = 0; i < 6; ++i)
                stores.push_back(std::make_unique<Store>(path));
            for (const auto &store : stores) {
                auto opened = STORE_AWAIT(void, store->whenOpen(ctx_, cb_));
                QVERIFY2(opened.ok(),
                         qPrintable(
                             QStringLiteral("round %1: %2").arg(round).arg(opened.errorString())));
            }
        }
    }

    // Two programs confirm the same decision (both sent it): one audit row.
    void confirmedOnceAcrossConnections()
    {
        Store one(m_path);
        Store two(m_path);
        const QString id(32, QLatin1Char('e'));
        VIGIL_VERIFY_OK(STORE_AWAIT(void, one.queueDecision(decision(id), ctx_, cb_)));
        VIGIL_VERIFY_OK(STORE_AWAIT(void, one.markSent(id, ctx_, cb_)));
        VIGIL_VERIFY_OK(STORE_AWAIT(void, two.markSent(id, ctx_, cb_)));
        const auto now = QDateTime::currentDateTimeUtc();
        auto first = STORE_AWAIT(void, two.markConfirmed(id, now, ctx_, cb_));
        auto second = STORE_AWAIT(void, one.markConfirmed(id, now, ctx_, cb_));
        VIGIL_VERIFY_OK(first);
        QVERIFY(!second);
        auto audit = STORE_AWAIT(QList<AuditEntry>, one.auditLog(QString(), ctx_, cb_));
        VIGIL_VERIFY_OK(audit);
        QCOMPARE(audit->size(), 1);
    }

    void inboxTransitions()
    {
        Store store(m_path);
        using S = CheckpointInfo::Status;
        auto update = [&](const CheckpointInfo &c) {
            auto r = STORE_AWAIT(int, store.updateInbox({c}, ctx_, cb_));
            return r ? *r : -1;
        };
        auto entry = [&]() {
            auto r = STORE_AWAIT(QList<InboxEntry>, store.inbox(ctx_, cb_));
            return r && r->size() == 1 ? r->first() : InboxEntry();
        };
        QCOMPARE(update(checkpointInfo(S::Pending)), 1);
        QCOMPARE(entry().status, QStringLiteral("pending"));
        QVERIFY(!entry().read);
        const QDateTime firstUpdate = entry().updatedAt;
        QCOMPARE(update(checkpointInfo(S::Pending)), 0); // no change, nothing written
        QCOMPARE(entry().updatedAt, firstUpdate);

        VIGIL_VERIFY_OK(
            STORE_AWAIT(void, store.setRead(QStringLiteral("cluster"), QStringLiteral("run-1"),
                                            QStringLiteral("epoch-3"), true, ctx_, cb_)));
        QVERIFY(entry().read);
        QCOMPARE(update(checkpointInfo(S::Decided)), 1);
        QCOMPARE(entry().status, QStringLiteral("decided"));
        QCOMPARE(entry().decidedBy, QStringLiteral("ana"));
        QVERIFY(entry().read); // a status change keeps the read mark
        QCOMPARE(update(checkpointInfo(S::Applied)), 1);
        QCOMPARE(entry().status, QStringLiteral("applied"));

        CheckpointInfo timedOut = checkpointInfo(S::Decided, QStringLiteral("timeout-default"));
        timedOut.id = QStringLiteral("epoch-9");
        QCOMPARE(update(timedOut), 1);
        auto all = STORE_AWAIT(QList<InboxEntry>, store.inbox(ctx_, cb_));
        VIGIL_VERIFY_OK(all);
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->last().status, QStringLiteral("defaulted"));
        QCOMPARE(all->last().decidedBy, QStringLiteral("vigil-job"));

        auto unknown =
            STORE_AWAIT(void, store.setRead(QStringLiteral("cluster"), QStringLiteral("run-1"),
                                            QStringLiteral("nope"), true, ctx_, cb_));
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().kind, Error::Kind::NotFound);
    }

    void jobHistoryOnlyOnChange()
    {
        Store store(m_path);
        const QString site = QStringLiteral("cluster");
        auto record = [&](const QList<JobInfo> &jobs) {
            auto r = STORE_AWAIT(
                int, store.recordJobStates(site, jobs, QDateTime::currentDateTimeUtc(), ctx_, cb_));
            return r ? *r : -1;
        };
        const QString a = QStringLiteral("101");
        const QString b = QStringLiteral("102");
        QCOMPARE(record({job(a, QStringLiteral("PENDING")), job(b, QStringLiteral("PENDING"))}), 2);
        QCOMPARE(record({job(a, QStringLiteral("PENDING")), job(b, QStringLiteral("PENDING"))}), 0);
        QCOMPARE(record({job(a, QStringLiteral("RUNNING")), job(b, QStringLiteral("PENDING"))}), 1);
        QCOMPARE(record({job(a, QStringLiteral("RUNNING"))}), 0);
        QCOMPARE(record({job(a, QStringLiteral("COMPLETED")), job(b, QStringLiteral("RUNNING"))}),
                 2);
        auto history = STORE_AWAIT(QList<JobStateChange>, store.jobHistory(site, a, ctx_, cb_));
        VIGIL_VERIFY_OK(history);
        QStringList states;
        for (const JobStateChange &c : std::as_const(*history))
            states << c.state;
        QCOMPARE(states, (QStringList{QStringLiteral("PENDING"), QStringLiteral("RUNNING"),
                                      QStringLiteral("COMPLETED")}));
        QCOMPARE(history->first().task, QStringLiteral("train"));
        // The same job id on another site is another job.
        auto other = STORE_AWAIT(QList<JobStateChange>,
                                 store.jobHistory(QStringLiteral("edge"), a, ctx_, cb_));
        VIGIL_VERIFY_OK(other);
        QVERIFY(other->isEmpty());
    }

    // Another program holds the write lock: the store waits (busy timeout),
    // then writes; two stores writing at once lose nothing.
    void concurrentConnections()
    {
        Store one(m_path);
        VIGIL_VERIFY_OK(STORE_AWAIT(void, one.whenOpen(ctx_, cb_)));
        {
            RawDb other(m_path);
            QVERIFY(other.exec(QStringLiteral("BEGIN IMMEDIATE")));
            QVERIFY(other.exec(QStringLiteral(
                "INSERT INTO sites (name, kind, first_seen, last_seen) VALUES ('x', 'ssh', "
                "'2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')")));
            std::optional<Result<int>> got;
            QObject ctx;
            one.recordJobStates(QStringLiteral("cluster"),
                                {job(QStringLiteral("1"), QStringLiteral("RUNNING"))},
                                QDateTime::currentDateTimeUtc(), &ctx,
                                [&](Result<int> r) { got.emplace(std::move(r)); });
            QTest::qWait(700);
            QVERIFY2(!got, "the store wrote while another connection held the lock");
            QVERIFY(other.exec(QStringLiteral("COMMIT")));
            QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 15000);
            VIGIL_VERIFY_OK(*got);
            QCOMPARE(**got, 1);
        }

        Store two(m_path);
        int answered = 0;
        int failed = 0;
        QObject ctx;
        for (int i = 0; i < 50; ++i)
            for (Store *s : {&one, &two})
                s->recordJobStates(QStringLiteral("cluster"),
                                   {job(QStringLiteral("job-%1-%2").arg(i).arg(s == &one),
                                        QStringLiteral("RUNNING"))},
                                   QDateTime::currentDateTimeUtc(), &ctx, [&](Result<int> r) {
                                       ++answered;
                                       failed += r ? 0 : 1;
                                   });
        QTRY_COMPARE_WITH_TIMEOUT(answered, 100, 30000);
        QCOMPARE(failed, 0);
        RawDb raw(m_path);
        QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM job_states")).toInt(), 101);
    }

    // The destructor runs every call made before it: nothing queued is lost.
    void destructionFinishesQueuedWrites()
    {
        {
            Store store(m_path);
            for (int i = 0; i < 20; ++i)
                store.recordJobStates(QStringLiteral("cluster"),
                                      {job(QString::number(i), QStringLiteral("PENDING"))},
                                      QDateTime::currentDateTimeUtc());
            store.queueDecision(decision(QString(32, QLatin1Char('f'))), nullptr, {});
        }
        RawDb raw(m_path);
        QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM job_states")).toInt(), 20);
        QCOMPARE(raw.value(QStringLiteral("SELECT state FROM outbox")).toString(),
                 QStringLiteral("queued"));
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_count = 0;
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
