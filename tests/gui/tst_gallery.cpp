// SPDX-License-Identifier: GPL-3.0-or-later
// Renders the main window and the review dialog with sample data, in a light
// and a dark palette. It checks that they render; with VIGIL_GALLERY_DIR set
// it also saves the pictures there, for a person to look at.
#include "../common/testfiles.h"
#include "models/checkpointsmodel.h"
#include "models/sitesmodel.h"
#include "models/supervisorfeed.h"
#include "notify/secretstore.h"
#include "notify/webhookdispatcher.h"
#include "supervisor.h"
#include "ui/checkpointdialog.h"
#include "ui/mainwindow.h"
#include "ui/webhooksdialog.h"
#include "ui/workflowview.h"

#include <QApplication>
#include <QDir>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

namespace {

const QDateTime kNow = QDateTime::currentDateTimeUtc();

Workflow sampleWorkflow()
{
    Workflow wf;
    wf.name = QStringLiteral("edge-retrain");
    wf.description =
        QStringLiteral("Field inference, human validation, retraining on MareNostrum 5");
    for (const auto &[name, site, after] :
         {std::tuple{QStringLiteral("infer"), QStringLiteral("edge"), QStringList()},
          std::tuple{QStringLiteral("validate"), QStringLiteral("edge"),
                     QStringList{QStringLiteral("infer")}},
          std::tuple{QStringLiteral("retrain"), QStringLiteral("mn5"),
                     QStringList{QStringLiteral("validate")}},
          std::tuple{QStringLiteral("evaluate"), QStringLiteral("mn5"),
                     QStringList{QStringLiteral("retrain")}},
          std::tuple{QStringLiteral("report"), QStringLiteral("mn5"),
                     QStringList{QStringLiteral("retrain")}},
          std::tuple{QStringLiteral("deploy"), QStringLiteral("edge"),
                     QStringList{QStringLiteral("evaluate"), QStringLiteral("report")}}}) {
        TaskSpec t;
        t.name = name;
        t.site = site;
        t.after = after;
        wf.tasks << t;
    }
    return wf;
}

CheckpointInfo sampleCheckpoint(const QString &id, const QString &task, int minutesAgo)
{
    CheckpointInfo c;
    c.site = QStringLiteral("mn5");
    c.runId = QStringLiteral("edge-retrain-20250301-0915-a1b2");
    c.id = id;
    c.task = task;
    c.jobId = QStringLiteral("4817231");
    c.title = QStringLiteral("Validation loss 0.081 after epoch 3: keep training?");
    c.body = QStringLiteral("The model is still improving slowly.\n\n"
                            "* **Continue** trains to epoch 60 (about 2 h)\n"
                            "* **Stop** keeps the current weights and frees the allocation");
    c.createdAt = kNow.addSecs(-60 * minutesAgo);
    c.deadline = kNow.addSecs(60 * 25);
    c.defaultOnTimeout = QStringLiteral("continue");
    CheckpointOption cont{QStringLiteral("continue"), QStringLiteral("Continue training"), true};
    CheckpointOption stop{QStringLiteral("stop"), QStringLiteral("Stop early"), false};
    c.options << cont << stop;
    MetricRef m;
    m.file = QStringLiteral("metrics/train.csv");
    m.x = QStringLiteral("epoch");
    m.columns = QStringList{QStringLiteral("loss"), QStringLiteral("val_loss")};
    c.metrics << m;
    return c;
}

void feed(Supervisor &supervisor, MainWindow &window)
{
    SiteStatus mn5;
    mn5.name = QStringLiteral("mn5");
    mn5.kind = QStringLiteral("slurm");
    mn5.address = QStringLiteral("glogin1.bsc.es");
    mn5.connection = Transport::State::Connected;
    mn5.lastRefresh = kNow.addSecs(-4);
    mn5.helperVersion = QStringLiteral("vigil-job 0.1.0");
    mn5.activeJobs = 3;
    mn5.pendingCheckpoints = 2;
    SiteStatus edge = mn5;
    edge.name = QStringLiteral("edge");
    edge.kind = QStringLiteral("ssh");
    edge.address = QStringLiteral("field-unit-07");
    edge.lastRefresh = kNow.addSecs(-95);
    edge.activeJobs = 0;
    edge.pendingCheckpoints = 0;
    edge.connection = Transport::State::Failed;
    edge.lastError = QStringLiteral("field-unit-07: connection timed out after 10 s");
    window.feed()->sites()->setSites({mn5, edge});

    const QString run = QStringLiteral("edge-retrain-20250301-0915-a1b2");
    const auto job = [&](const QString &id, const QString &task, const QString &state,
                         qint64 elapsed, qint64 left, const QString &reason = QString()) {
        JobInfo j;
        j.jobId = id;
        j.name = QStringLiteral("vigil-") + task;
        j.runId = run;
        j.task = task;
        j.state = state;
        j.elapsedSeconds = elapsed;
        j.timeLeftSeconds = left;
        j.reason = reason;
        return j;
    };
    Q_EMIT supervisor.jobsChanged(
        QStringLiteral("mn5"),
        {job(QStringLiteral("4817231"), QStringLiteral("retrain"), QStringLiteral("RUNNING"),
             3 * 3600 + 125, 20 * 3600 + 1800),
         job(QStringLiteral("4817232"), QStringLiteral("evaluate"), QStringLiteral("PENDING"), 0,
             2 * 3600, QStringLiteral("Dependency")),
         job(QStringLiteral("4817233"), QStringLiteral("report"), QStringLiteral("PENDING"), 0,
             1800, QStringLiteral("Dependency")),
         job(QStringLiteral("4816990"), QStringLiteral("retrain"), QStringLiteral("FAILED"),
             26 * 3600 + 61, -1)});
    RunInfo r;
    r.site = QStringLiteral("mn5");
    r.runId = run;
    r.workflowName = QStringLiteral("edge-retrain");
    r.createdAt = kNow.addSecs(-4 * 3600);
    for (const auto &[task, state] :
         {std::pair{QStringLiteral("infer"), QStringLiteral("completed")},
          std::pair{QStringLiteral("validate"), QStringLiteral("completed")}}) {
        TaskRunInfo t;
        t.name = task;
        t.state = state;
        t.exitCode = 0;
        r.tasks << t;
    }
    r.checkpoints << sampleCheckpoint(QStringLiteral("epoch-3"), QStringLiteral("retrain"), 12);
    CheckpointInfo older =
        sampleCheckpoint(QStringLiteral("lr-drop"), QStringLiteral("retrain"), 50);
    older.title = QStringLiteral("Loss plateaued: lower the learning rate?");
    older.deadline = QDateTime();
    r.checkpoints << older;
    CheckpointInfo done =
        sampleCheckpoint(QStringLiteral("detections"), QStringLiteral("validate"), 190);
    done.title = QStringLiteral("Review 112 field detections");
    done.status = CheckpointInfo::Status::Applied;
    done.decidedBy = QStringLiteral("marta");
    done.decidedOption = QStringLiteral("reject");
    done.decidedAt = kNow.addSecs(-170 * 60);
    r.checkpoints << done;
    Q_EMIT supervisor.runsChanged(QStringLiteral("mn5"), {r});

    Issue issue;
    issue.severity = Issue::Severity::Error;
    issue.site = QStringLiteral("edge");
    issue.subject = QStringLiteral("refresh");
    issue.message = edge.lastError;
    issue.when = kNow.addSecs(-95);
    window.reportIssue(issue);
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3b));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0x55, 0x57, 0x5c));
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x37, 0x3b));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    return p;
}

void save(const QPixmap &shot, const QString &name)
{
    const QString dir = qEnvironmentVariable("VIGIL_GALLERY_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QVERIFY(shot.save(dir + QLatin1Char('/') + name));
}

} // namespace

class TestGallery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void render_data();
    void render();
};

void TestGallery::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
}

void TestGallery::render_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestGallery::render()
{
    QFETCH(bool, dark);
    QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());

    SupervisorOptions options;
    options.hostKeyPolicy = HostKeyPolicy::Strict;
    Supervisor supervisor(options);
    MainWindow window(&supervisor);
    window.setWorkflow(sampleWorkflow());
    feed(supervisor, window);
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.workflowView()->nodeCount(), 6);
    const QPixmap shot = window.grab();
    QVERIFY(!shot.isNull());
    save(shot, dark ? QStringLiteral("main-dark.png") : QStringLiteral("main-light.png"));

    const std::optional<CheckpointInfo> c = window.feed()->checkpoints()->checkpoint(
        QStringLiteral("mn5/edge-retrain-20250301-0915-a1b2/epoch-3"));
    QVERIFY(c);
    CheckpointDialog dialog(*c);
    QByteArray csv = "epoch,loss,val_loss\n";
    for (int e = 1; e <= 30; ++e)
        csv += QByteArray::number(e) + ',' + QByteArray::number(0.9 / e + 0.05) + ',' +
               QByteArray::number(1.0 / e + 0.07 + (e % 3) * 0.004) + '\n';
    dialog.setRunFileFetcher(
        [csv](const QString &, QObject *, Callback<QByteArray> done) { done(csv); });
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    save(dialog.grab(),
         dark ? QStringLiteral("review-dark.png") : QStringLiteral("review-light.png"));

    // Phone Notifications with one ntfy webhook of a webhooks.toml.
    QTemporaryDir config;
    QVERIFY(config.isValid());
    const QString toml = config.filePath(QStringLiteral("webhooks.toml"));
    QVERIFY(test::writeFile(toml, "[webhooks.phone]\nkind = \"ntfy\"\n"
                                  "url = \"https://ntfy.sh/vigil-mn5-supervisor\"\n"
                                  "priority = 4\nsites = [\"mn5\"]\n"));
    MemorySecretStore secrets;
    WebhookDispatcher webhooks(&supervisor, &secrets);
    WebhooksDialog phone(&secrets, &webhooks, nullptr, toml);
    QSignalSpy loaded(&phone, &WebhooksDialog::loaded);
    phone.show();
    QVERIFY(QTest::qWaitForWindowExposed(&phone));
    QTRY_COMPARE(loaded.size(), 1);
    const auto targets = phone.targets();
    QVERIFY2(targets.ok(), qPrintable(targets.errorString()));
    QCOMPARE(targets->size(), 1);
    QCOMPARE(targets->first().url, QStringLiteral("https://ntfy.sh/vigil-mn5-supervisor"));
    save(phone.grab(),
         dark ? QStringLiteral("webhooks-dark.png") : QStringLiteral("webhooks-light.png"));
}

QTEST_MAIN(TestGallery)
#include "tst_gallery.moc"
