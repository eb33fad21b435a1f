// SPDX-License-Identifier: GPL-3.0-or-later
// The window against the real sandbox cluster: it lists the site, the job
// with its live SLURM state and the pending checkpoint, and a click on an
// option in the review dialog sends the decision that the job then applies;
// the decision goes through the local store's outbox (confirmed, audited).
#include "checkpointdialog.h"
#include "engine/launcher.h"
#include "logtaildialog.h"
#include "mainwindow.h"
#include "models/checkpointsmodel.h"
#include "models/jobsmodel.h"
#include "models/sitesmodel.h"
#include "models/supervisorfeed.h"
#include "sandboxwindow.h"
#include "store/store.h"
#include "supervisor.h"

#include <QFile>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

class TestWindowSandbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decideFromTheWindow()
    {
        test::SandboxWindow w;
        QVERIFY2(
            w.start(QStringLiteral("[workflow]\nname = \"window-test\"\n"
                                   "[sites.cluster]\nkind = \"slurm\"\nhost = \"%1\"\n"
                                   "run_root = \"vigil-test-runs\"\n"
                                   "[tasks.train]\nsite = \"cluster\"\ninputs = [\"train.py\"]\n"
                                   "command = [\"python3\", \"train.py\", \"--epochs\", \"60\", "
                                   "\"--epoch-seconds\", \"0.5\"]\n"),
                    {QStringLiteral("examples/train-review/train.py")}, true),
            qPrintable(w.error));
        Supervisor &supervisor = *w.supervisor;
        MainWindow &window = *w.window;
        Store &store = *w.store;
        const QString run = w.launched.runId;
        const QString job = w.launched.jobIds.value(QStringLiteral("train"));

        // The site, connected, with data.
        SitesModel *sites = window.feed()->sites();
        QTRY_VERIFY_WITH_TIMEOUT(
            sites->rowCount() == 1 &&
                supervisor.siteStatus(QStringLiteral("cluster")).lastRefresh.isValid(),
            30000);
        QCOMPARE(sites->index(0, 0).data().toString(), QStringLiteral("cluster"));

        // The job with its live SLURM state.
        JobsModel *jobs = window.feed()->jobs();
        auto jobState = [&]() -> QString {
            for (int row = 0; row < jobs->rowCount(); ++row) {
                const QModelIndex i = jobs->index(row, 0);
                if (i.data(JobsModel::JobIdRole).toString() == job)
                    return i.data(JobsModel::StateRole).toString();
            }
            return {};
        };
        QTRY_COMPARE_WITH_TIMEOUT(jobState(), QStringLiteral("RUNNING"), 30000);

        // The pending checkpoint in the inbox.
        const QString key = QStringLiteral("cluster/%1/epoch-3").arg(run);
        auto status = [&]() {
            auto c =
                supervisor.checkpoint(QStringLiteral("cluster"), run, QStringLiteral("epoch-3"));
            return c ? c->status : CheckpointInfo::Status::Broken;
        };
        QTRY_VERIFY_WITH_TIMEOUT(status() == CheckpointInfo::Status::Pending, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(window.feed()->checkpoints()->checkpoint(key).has_value(), 10000);

        // Review and click "Stop early".
        window.openCheckpoint(key);
        CheckpointDialog *dialog = nullptr;
        for (CheckpointDialog *d : window.findChildren<CheckpointDialog *>())
            dialog = d;
        QVERIFY(dialog);
        // The job's log, from the review dialog, while the job runs.
        dialog->logButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(
            window.findChild<LogTailDialog *>() &&
                window.findChild<LogTailDialog *>()->text().contains(QStringLiteral("epoch 3")),
            30000);
        QPushButton *stop = dialog->optionButton(QStringLiteral("stop"));
        QVERIFY(stop);
        stop->click();

        // The job applies it: the checkpoint becomes "applied" and the job ends.
        QTRY_VERIFY_WITH_TIMEOUT(status() == CheckpointInfo::Status::Applied, 60000);
        const auto c =
            supervisor.checkpoint(QStringLiteral("cluster"), run, QStringLiteral("epoch-3"));
        QCOMPARE(c->decidedOption, QStringLiteral("stop"));
        QVERIFY2(c->outcome.startsWith(QStringLiteral("stopped early after epoch")),
                 qPrintable(c->outcome));
        QTRY_COMPARE_WITH_TIMEOUT(jobState(), QStringLiteral("COMPLETED"), 60000);

        // The decision went through the outbox: confirmed by the site, and audited.
        auto outbox = [&store] {
            std::optional<Result<QList<OutboxEntry>>> got;
            QObject ctx;
            store.outbox(&ctx, [&](Result<QList<OutboxEntry>> r) { got.emplace(r); });
            if (!QTest::qWaitFor([&] { return got.has_value(); }, 10000) || !got->ok())
                return QList<OutboxEntry>{};
            return **got;
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            outbox().size() == 1 && outbox().first().state == OutboxEntry::State::Confirmed, 20000);
        const OutboxEntry sent = outbox().first();
        QCOMPARE(sent.checkpointId, QStringLiteral("epoch-3"));
        QCOMPARE(sent.option, QStringLiteral("stop"));
        QCOMPARE(sent.decisionId, c->decisionId);
        std::optional<Result<QList<AuditEntry>>> audit;
        store.auditLog(run, &window, [&](Result<QList<AuditEntry>> r) { audit.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(audit.has_value(), 10000);
        QVERIFY2(audit->ok(), qPrintable(audit->errorString()));
        QCOMPARE((*audit)->size(), 1);
        QCOMPARE((*audit)->first().decisionId, c->decisionId);
        window.close();
    }
};

QTEST_MAIN(TestWindowSandbox)
#include "tst_window_sandbox.moc"
