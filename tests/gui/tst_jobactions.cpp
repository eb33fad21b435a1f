// SPDX-License-Identifier: GPL-3.0-or-later
// The Jobs dock's job actions against the sandbox cluster (real sshd +
// SLURM): a task waiting behind another is held from the context menu's
// action and stays held after its dependency ended, then released and run;
// the log tail window shows the lines a running job prints as it prints them.
#include "engine/launcher.h"
#include "jobspanel.h"
#include "logtaildialog.h"
#include "mainwindow.h"
#include "models/jobsmodel.h"
#include "models/supervisorfeed.h"
#include "sandboxwindow.h"
#include "supervisor.h"

#include <QAction>
#include <QFile>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

class TestJobActions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void holdReleaseAndLogTail()
    {
        // `first` prints a line every half second for 20 s; `second` waits
        // for it (a SLURM dependency) and prints one line.
        test::SandboxWindow w;
        QVERIFY2(w.start(QStringLiteral(
                     "[workflow]\nname = \"jobactions-test\"\n"
                     "[sites.cluster]\nkind = \"slurm\"\nhost = \"%1\"\n"
                     "run_root = \"vigil-test-runs\"\n"
                     "[tasks.first]\nsite = \"cluster\"\n"
                     "command = [\"sh\", \"-c\", \"for i in $(seq 1 40); do echo tick $i; "
                     "sleep 0.5; done; echo first-done\"]\n"
                     "[tasks.second]\nsite = \"cluster\"\nafter = [\"first\"]\n"
                     "command = [\"sh\", \"-c\", \"echo second-ran\"]\n")),
                 qPrintable(w.error));
        Supervisor &supervisor = *w.supervisor;
        MainWindow &window = *w.window;
        JobsPanel *panel = window.findChild<JobsPanel *>();
        QVERIFY(panel);
        const QString first = w.launched.jobIds.value(QStringLiteral("first"));
        const QString second = w.launched.jobIds.value(QStringLiteral("second"));
        QVERIFY(!first.isEmpty() && !second.isEmpty());

        JobsModel *jobs = window.feed()->jobs();
        auto job = [&](const QString &id) -> JobInfo {
            const int row = jobs->rowOf(QStringLiteral("cluster"), id);
            return row < 0 ? JobInfo() : jobs->job(row);
        };
        auto select = [&](const QString &id) {
            const QModelIndexList hits = jobs->match(jobs->index(0, JobsModel::JobId),
                                                     JobsModel::JobIdRole, id, 1, Qt::MatchExactly);
            if (!hits.isEmpty())
                panel->view()->setCurrentIndex(hits.first());
            return !hits.isEmpty();
        };

        // `second` waits for `first`: it can be held, not released.
        QTRY_COMPARE_WITH_TIMEOUT(job(first).state, QStringLiteral("RUNNING"), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(job(second).state, QStringLiteral("PENDING"), 10000);
        QCOMPARE(job(second).runId, w.launched.runId);
        QVERIFY(select(second));
        QVERIFY(panel->holdAction()->isEnabled());
        QVERIFY(!panel->releaseAction()->isEnabled());
        panel->holdAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(job(second).reason, QStringLiteral("JobHeldUser"), 15000);
        QTRY_VERIFY(panel->releaseAction()->isEnabled());
        QVERIFY(!panel->holdAction()->isEnabled());

        // A running job: neither hold nor release; its log, as it grows.
        QVERIFY(select(first));
        QVERIFY(!panel->holdAction()->isEnabled());
        QVERIFY(!panel->releaseAction()->isEnabled());
        QVERIFY(panel->logTailAction()->isEnabled());
        panel->logTailAction()->trigger();
        auto *log = window.findChild<LogTailDialog *>();
        QVERIFY(log);
        QVERIFY(log->isVisible());
        QVERIFY(!log->isModal());
        QCOMPARE(log->path(), QStringLiteral("tasks/first/output.log"));
        log->setPollInterval(300);
        QTRY_VERIFY_WITH_TIMEOUT(log->text().contains(QStringLiteral("tick 2\n")), 20000);
        // Seen while the job still runs (it prints for 20 s).
        QVERIFY2(!log->text().contains(QStringLiteral("first-done")), qPrintable(log->text()));
        QCOMPARE(job(first).state, QStringLiteral("RUNNING"));
        QTRY_VERIFY_WITH_TIMEOUT(log->text().contains(QStringLiteral("first-done")), 60000);
        // Every line once, in order: only the appended bytes were added.
        QStringList expected;
        for (int i = 1; i <= 40; ++i)
            expected << QStringLiteral("tick %1").arg(i);
        expected << QStringLiteral("first-done");
        QCOMPARE(log->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts), expected);

        // `first` ended: `second` stays held until released, then runs.
        QTRY_COMPARE_WITH_TIMEOUT(job(first).state, QStringLiteral("COMPLETED"), 60000);
        // Two more answers of the scheduler: a held job that started would show it.
        QSignalSpy refreshed(&supervisor, &Supervisor::refreshed);
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() >= 2, 20000);
        QCOMPARE(job(second).state, QStringLiteral("PENDING"));
        QCOMPARE(job(second).reason, QStringLiteral("JobHeldUser"));
        QVERIFY(select(second));
        QVERIFY(panel->releaseAction()->isEnabled());
        panel->releaseAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(job(second).state, QStringLiteral("COMPLETED"), 60000);
        window.close();
    }
};

QTEST_MAIN(TestJobActions)
#include "tst_jobactions.moc"
