// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/checkpointsmodel.h"
#include "models/runsmodel.h"
#include "models/supervisorfeed.h"
#include "models/workflowstatus.h"
#include "supervisor.h"
#include "ui/checkpointdialog.h"
#include "ui/hostkeyprompt.h"
#include "ui/language.h"
#include "ui/mainwindow.h"
#include "ui/metricschart.h"
#include "ui/runspanel.h"
#include "ui/settings.h"
#include "ui/workflowitems.h"
#include "ui/workflowlayout.h"
#include "ui/workflowview.h"

#include <QApplication>
#include <QDockWidget>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

using namespace vigil;

namespace {

// a -> b, a -> c, b -> d, c -> d: four tasks, four dependencies, three layers.
Workflow diamond()
{
    Workflow wf;
    wf.name = QStringLiteral("diamond");
    SiteSpec local;
    local.name = QStringLiteral("here");
    local.kind = SiteSpec::Kind::Local;
    wf.sites << local;
    const auto task = [](const QString &name, const QStringList &after) {
        TaskSpec t;
        t.name = name;
        t.site = QStringLiteral("here");
        t.after = after;
        return t;
    };
    wf.tasks << task(QStringLiteral("a"), {}) << task(QStringLiteral("b"), {QStringLiteral("a")})
             << task(QStringLiteral("c"), {QStringLiteral("a")})
             << task(QStringLiteral("d"), {QStringLiteral("b"), QStringLiteral("c")});
    return wf;
}

CheckpointInfo checkpoint()
{
    CheckpointInfo c;
    c.site = QStringLiteral("mn5");
    c.runId = QStringLiteral("20250301-120000-abcd");
    c.id = QStringLiteral("validate-1");
    c.task = QStringLiteral("train");
    c.jobId = QStringLiteral("4242");
    c.title = QStringLiteral("Accept the new model?");
    c.body = QStringLiteral("# Results\n\nAccuracy went **up** to 0.91.");
    c.createdAt = QDateTime::currentDateTimeUtc().addSecs(-120);
    c.deadline = QDateTime::currentDateTimeUtc().addSecs(12 * 60);
    c.defaultOnTimeout = QStringLiteral("continue");
    for (const auto &[name, label, def] :
         {std::tuple{QStringLiteral("continue"), QStringLiteral("Continue"), true},
          std::tuple{QStringLiteral("retrain"), QStringLiteral("Retrain"), false},
          std::tuple{QStringLiteral("stop"), QString(), false}}) {
        CheckpointOption o;
        o.name = name;
        o.label = label;
        o.isDefault = def;
        c.options << o;
    }
    return c;
}

} // namespace

class TestWidgets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void layeredLayout();
    void workflowViewNodesAndEdges();
    void dialogOneButtonPerOption();
    void dialogEmitsDecision();
    void dialogOutcomes();
    void dialogDecidedElsewhere();
    void dialogMetrics();
    void hostKeyPrompt();
    void mainWindowComposesDocks();
    void runsPanelActions();
    void languageChoice();
};

void TestWidgets::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("VigilTest"));
    QApplication::setApplicationName(QStringLiteral("tst_widgets"));
}

void TestWidgets::layeredLayout()
{
    const Workflow wf = diamond();
    const QHash<QString, int> layers = workflowLayers(wf);
    QCOMPARE(layers.value(QStringLiteral("a")), 0);
    QCOMPARE(layers.value(QStringLiteral("b")), 1);
    QCOMPARE(layers.value(QStringLiteral("c")), 1);
    QCOMPARE(layers.value(QStringLiteral("d")), 2);
    const auto pos = layoutWorkflow(wf, QSizeF(100, 50), QSizeF(20, 10));
    QVERIFY(pos.value(QStringLiteral("a")).x() < pos.value(QStringLiteral("b")).x());
    QCOMPARE(pos.value(QStringLiteral("b")).x(), pos.value(QStringLiteral("c")).x());
    QVERIFY(pos.value(QStringLiteral("b")).y() != pos.value(QStringLiteral("c")).y());
    QVERIFY(pos.value(QStringLiteral("c")).x() < pos.value(QStringLiteral("d")).x());
}

void TestWidgets::workflowViewNodesAndEdges()
{
    WorkflowStatus status;
    WorkflowView view(&status);
    QCOMPARE(view.nodeCount(), 0);
    status.setWorkflow(diamond());
    QCOMPARE(view.nodeCount(), 4);
    QCOMPARE(view.edgeCount(), 4);
    int nodes = 0, edges = 0;
    for (QGraphicsItem *item : view.scene()->items()) {
        nodes += item->type() == TaskNodeItem::Type;
        edges += item->type() == DependencyEdgeItem::Type;
    }
    QCOMPARE(nodes, 4);
    QCOMPARE(edges, 4);

    RunInfo run;
    run.site = QStringLiteral("here");
    run.runId = QStringLiteral("r1");
    run.workflowName = QStringLiteral("diamond");
    run.createdAt = QDateTime::currentDateTimeUtc();
    CheckpointInfo c;
    c.runId = run.runId;
    c.id = QStringLiteral("check");
    c.task = QStringLiteral("b");
    run.checkpoints << c;
    JobInfo j;
    j.site = QStringLiteral("here");
    j.jobId = QStringLiteral("7");
    j.state = QStringLiteral("RUNNING");
    j.runId = run.runId;
    j.task = QStringLiteral("b");
    status.setRuns(QStringLiteral("here"), {run});
    status.setJobs(QStringLiteral("here"), {j});
    TaskNodeItem *b = view.node(QStringLiteral("b"));
    QVERIFY(b);
    QCOMPARE(b->status().pendingCheckpoints, 1);
    QCOMPARE(b->status().stateClass, StateClass::Running);
    QVERIFY(b->toolTip().contains(QLatin1String("RUNNING")));
    QCOMPARE(view.node(QStringLiteral("d"))->status().stateClass, StateClass::NotStarted);

    QSignalSpy activated(&view, &WorkflowView::taskActivated);
    view.resize(900, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QPoint at = view.mapFromScene(b->nodeRect().center());
    QTest::mouseDClick(view.viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("b"));
}

void TestWidgets::dialogOneButtonPerOption()
{
    CheckpointDialog d(checkpoint());
    QCOMPARE(d.optionButtons().size(), 3);
    QPushButton *cont = d.optionButton(QStringLiteral("continue"));
    QVERIFY(cont);
    QVERIFY(cont->text().contains(QLatin1String("default")));
    QVERIFY(!d.optionButton(QStringLiteral("retrain"))->text().contains(QLatin1String("default")));
    QCOMPARE(d.optionButton(QStringLiteral("stop"))->text(), QStringLiteral("stop"));
    for (QPushButton *b : d.optionButtons())
        QVERIFY(b->isEnabled());
    auto *body = d.findChild<QTextBrowser *>(QStringLiteral("checkpointBody"));
    QVERIFY(body);
    QVERIFY(body->toPlainText().contains(QLatin1String("Accuracy went up")));
    QVERIFY(d.charts().isEmpty());
}

void TestWidgets::dialogEmitsDecision()
{
    CheckpointDialog d(checkpoint());
    d.show();
    // The job's log is one click away.
    QSignalSpy log(&d, &CheckpointDialog::logRequested);
    QVERIFY(d.logButton()->isEnabled());
    QTest::mouseClick(d.logButton(), Qt::LeftButton);
    QCOMPARE(log.count(), 1);
    QSignalSpy decided(&d, &CheckpointDialog::decisionRequested);
    d.setComment(QStringLiteral("  looks wrong  "));
    QTest::mouseClick(d.optionButton(QStringLiteral("retrain")), Qt::LeftButton);
    QCOMPARE(decided.count(), 1);
    const auto input = decided.at(0).at(0).value<DecisionInput>();
    QCOMPARE(input.option, QStringLiteral("retrain"));
    QCOMPARE(input.comment, QStringLiteral("looks wrong"));
    QCOMPARE(input.site, QStringLiteral("mn5"));
    QCOMPARE(input.runId, QStringLiteral("20250301-120000-abcd"));
    QCOMPARE(input.checkpointId, QStringLiteral("validate-1"));
    // While it is being sent, no second decision.
    for (QPushButton *b : d.optionButtons())
        QVERIFY(!b->isEnabled());
    QTest::mouseClick(d.optionButton(QStringLiteral("stop")), Qt::LeftButton);
    QCOMPARE(decided.count(), 1);

    // Ctrl+1 is the first option.
    CheckpointDialog d2(checkpoint());
    d2.show();
    QVERIFY(QTest::qWaitForWindowActive(&d2));
    QSignalSpy decided2(&d2, &CheckpointDialog::decisionRequested);
    QTest::keyClick(&d2, Qt::Key_1, Qt::ControlModifier);
    QTRY_COMPARE(decided2.count(), 1); // a shortcut animates the click first
    QCOMPARE(decided2.at(0).at(0).value<DecisionInput>().option, QStringLiteral("continue"));
}

void TestWidgets::dialogOutcomes()
{
    CheckpointDialog d(checkpoint());
    QTest::mouseClick(d.optionButton(QStringLiteral("continue")), Qt::LeftButton);
    d.showOutcome(Error(QStringLiteral("network is down"), Error::Kind::Network));
    QVERIFY(d.statusText().contains(QLatin1String("network is down")));
    for (QPushButton *b : d.optionButtons())
        QVERIFY(b->isEnabled()); // may try again

    QTest::mouseClick(d.optionButton(QStringLiteral("continue")), Qt::LeftButton);
    DecisionOutcome won;
    won.option = QStringLiteral("continue");
    won.decidedBy = QStringLiteral("me");
    d.showOutcome(won);
    QVERIFY(d.statusText().startsWith(QLatin1String("Decision sent")));
    for (QPushButton *b : d.optionButtons())
        QVERIFY(!b->isEnabled());

    CheckpointDialog late(checkpoint());
    QTest::mouseClick(late.optionButton(QStringLiteral("stop")), Qt::LeftButton);
    DecisionOutcome lost;
    lost.won = false;
    lost.decidedBy = QStringLiteral("ana");
    lost.option = QStringLiteral("retrain");
    lost.decidedAt = QDateTime::currentDateTimeUtc();
    late.showOutcome(lost);
    QVERIFY(late.statusText().startsWith(QLatin1String("Already decided by ana")));
    QVERIFY(late.statusText().contains(QLatin1String("retrain")));
}

void TestWidgets::dialogDecidedElsewhere()
{
    CheckpointDialog d(checkpoint());
    CheckpointInfo c = checkpoint();
    c.status = CheckpointInfo::Status::Applied;
    c.decidedBy = QStringLiteral("ana");
    c.decidedOption = QStringLiteral("stop");
    c.decidedAt = QDateTime::currentDateTimeUtc();
    d.setCheckpoint(c);
    for (QPushButton *b : d.optionButtons())
        QVERIFY(!b->isEnabled());
    QVERIFY(d.statusText().contains(QLatin1String("ana")));
    QVERIFY(d.findChild<QPlainTextEdit *>(QStringLiteral("decisionComment"))->isReadOnly());
}

void TestWidgets::dialogMetrics()
{
    CheckpointInfo c = checkpoint();
    MetricRef ok;
    ok.file = QStringLiteral("metrics/train.csv");
    ok.x = QStringLiteral("epoch");
    MetricRef missing;
    missing.file = QStringLiteral("metrics/gone.csv");
    c.metrics << ok << missing;
    CheckpointDialog d(c);
    QCOMPARE(d.charts().size(), 2);
    QStringList asked;
    d.setRunFileFetcher([&asked](const QString &path, QObject *, Callback<QByteArray> done) {
        asked << path;
        if (path.endsWith(QLatin1String("train.csv")))
            done(QByteArray("epoch,loss,acc\n1,0.9,0.5\n2,0.5,0.7\n"));
        else
            done(Error(QStringLiteral("no such file"), Error::Kind::NotFound));
    });
    QCOMPARE(asked, (QStringList{ok.file, missing.file}));
    QCOMPARE(d.charts().at(0)->seriesCount(), 2);
    QCOMPARE(d.charts().at(1)->seriesCount(), 0);
    QVERIFY(d.charts().at(1)->chart()->title().contains(QLatin1String("no such file")));
}

void TestWidgets::hostKeyPrompt()
{
    QWidget window;
    HostKeyPrompt prompt(nullptr, &window);
    QSignalSpy answered(&prompt, &HostKeyPrompt::answered);
    QMessageBox *box = prompt.ask(QStringLiteral("mn5"), QStringLiteral("login.mn5"),
                                  QStringLiteral("SHA256:abcdef"));
    QVERIFY(box);
    QVERIFY(box->informativeText().contains(QLatin1String("SHA256:abcdef")));
    QCOMPARE(prompt.ask(QStringLiteral("mn5"), QStringLiteral("login.mn5"),
                        QStringLiteral("SHA256:abcdef")),
             box); // one question per site
    QPushButton *trust = nullptr;
    for (QAbstractButton *b : box->buttons())
        if (box->buttonRole(b) == QMessageBox::AcceptRole)
            trust = qobject_cast<QPushButton *>(b);
    QVERIFY(trust);
    trust->click();
    QCOMPARE(answered.count(), 1);
    QCOMPARE(answered.at(0).at(0).toString(), QStringLiteral("mn5"));
    QCOMPARE(answered.at(0).at(1).toBool(), true);

    QMessageBox *again = prompt.ask(QStringLiteral("edge"), QStringLiteral("edge.local"),
                                    QStringLiteral("SHA256:0123"));
    again->button(QMessageBox::Cancel)->click();
    QCOMPARE(answered.count(), 2);
    QCOMPARE(answered.at(1).at(1).toBool(), false);
}

void TestWidgets::mainWindowComposesDocks()
{
    SupervisorOptions options;
    options.hostKeyPolicy = HostKeyPolicy::Strict;
    Supervisor supervisor(options);
    MainWindow window(&supervisor);
    window.setWorkflow(diamond());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    for (const char *name : {"sitesDock", "jobsDock", "inboxDock", "issuesDock"}) {
        auto *dock = window.findChild<QDockWidget *>(QString::fromLatin1(name));
        QVERIFY2(dock, name);
        QVERIFY2(dock->widget(), name);
    }
    QVERIFY(window.findChild<QTableView *>(QStringLiteral("jobsView")));
    QVERIFY(window.findChild<QListView *>(QStringLiteral("inboxView")));
    QCOMPARE(window.centralWidget(), window.workflowView());
    QCOMPARE(window.workflowView()->nodeCount(), 4);
    QCOMPARE(window.workflowView()->edgeCount(), 4);
    QVERIFY(window.windowTitle().contains(QLatin1String("diamond")));

    // Checkpoints fed to the models appear in the inbox and open a dialog.
    CheckpointInfo c = checkpoint();
    window.feed()->checkpoints()->setCheckpoints(c.site, {c});
    auto *inbox = window.findChild<QListView *>(QStringLiteral("inboxView"));
    QCOMPARE(inbox->model()->rowCount(), 1);
    window.openCheckpoint(c.key());
    auto *dialog = window.findChild<CheckpointDialog *>();
    QVERIFY(dialog);
    QCOMPARE(dialog->optionButtons().size(), 3);

    // A refresh action with F5.
    auto *refresh = window.findChild<QAction *>(QStringLiteral("refreshAction"));
    QVERIFY(refresh);
    QCOMPARE(refresh->shortcut(), QKeySequence(QKeySequence::Refresh));

    Issue issue;
    issue.subject = QStringLiteral("workflow");
    issue.message = QStringLiteral("bad file");
    window.reportIssue(issue);
    QCOMPARE(window.findChild<QTableView *>(QStringLiteral("issuesView"))->model()->rowCount(), 1);
    window.close();
}

// The Runs dock's actions follow the selected run: Follow / Stop Following
// by the engine host's state, Mute by the notifier's.
void TestWidgets::runsPanelActions()
{
    RunsModel model;
    RunInfo r;
    r.site = QStringLiteral("mn5");
    r.runId = QStringLiteral("r1");
    r.workflowName = QStringLiteral("retrain");
    model.setRuns(QStringLiteral("mn5"), {r});
    RunsPanel panel(&model);
    QVERIFY(panel.selectRun(QStringLiteral("r1")));
    QVERIFY(panel.followAction()->isEnabled());
    QVERIFY(!panel.unfollowAction()->isEnabled());
    QSignalSpy follow(&panel, &RunsPanel::followRequested);
    panel.followAction()->trigger();
    QCOMPARE(follow.size(), 1);
    QCOMPARE(follow.first().at(0).toString(), QStringLiteral("r1"));
    QCOMPARE(follow.first().at(1).toString(), QStringLiteral("mn5"));
    engine::HostedRun hosted;
    hosted.runId = QStringLiteral("r1");
    hosted.state = engine::HostedRun::State::Acting;
    model.setHosted(hosted);
    QVERIFY(!panel.followAction()->isEnabled());
    QVERIFY(panel.unfollowAction()->isEnabled());

    QSignalSpy mute(&panel, &RunsPanel::muteRunRequested);
    QVERIFY(!panel.muteAction()->isChecked());
    panel.muteAction()->trigger();
    QCOMPARE(mute.size(), 1);
    QCOMPARE(mute.first().at(1).toBool(), true);
    panel.setRunMuted(QStringLiteral("r1"), false); // the notifier says: not muted
    QVERIFY(!panel.muteAction()->isChecked());
    panel.setRunMuted(QStringLiteral("r1"), true);
    QVERIFY(panel.muteAction()->isChecked());
    // Without engines, Follow is not offered at all.
    panel.setFollowingEnabled(false);
    QVERIFY(!panel.followAction()->isVisible());
}

void TestWidgets::languageChoice()
{
    // The system's language unless one of Vigil's is chosen.
    settings::language.set(QString());
    QCOMPARE(interfaceLocale(), QLocale());
    settings::language.set(QStringLiteral("ca"));
    QCOMPARE(interfaceLocale().language(), QLocale::Catalan);
    settings::language.set(QStringLiteral("xx"));
    QCOMPARE(interfaceLocale(), QLocale());
    settings::language.set(QString());

    // View > Language: the system's default and each language, one checked;
    // a choice is saved and said to take effect at the next start.
    Supervisor supervisor(SupervisorOptions{});
    MainWindow window(&supervisor);
    window.show();
    auto *menu = window.findChild<QMenu *>(QStringLiteral("languageMenu"));
    QVERIFY(menu);
    QStringList codes;
    for (QAction *a : menu->actions())
        if (a->isCheckable())
            codes << a->data().toString();
    QCOMPARE(codes, (QStringList{QString(), QStringLiteral("en"), QStringLiteral("es"),
                                 QStringLiteral("ca")}));
    auto *system = menu->findChild<QAction *>(QStringLiteral("language-system"));
    QVERIFY(system && system->isChecked());
    auto *catalan = menu->findChild<QAction *>(QStringLiteral("language-ca"));
    QVERIFY(catalan);
    catalan->trigger();
    QCOMPARE(settings::language.value(), QStringLiteral("ca"));
    QVERIFY(catalan->isChecked() && !system->isChecked());
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("languageChangedBox"));
    QVERIFY(box);
    QVERIFY2(box->text().contains(QStringLiteral("Català")), qPrintable(box->text()));
    settings::language.set(QString());
}

QTEST_MAIN(TestWidgets)
#include "tst_widgets.moc"
