// SPDX-License-Identifier: GPL-3.0-or-later
// vigil: the desktop application.

#include "engine/enginehost.h"
#include "notify/secretstore.h"
#include "notify/webhookconfig.h"
#include "notify/webhookdispatcher.h"
#include "screenshot.h"
#include "sites/siteregistry.h"
#include "store/store.h"
#include "supervisor.h"
#include "ui/inbackground.h"
#include "ui/language.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QIcon>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>

using namespace vigil;

namespace {

struct Options
{
    QString workflow;
    QString sshConfig;
    bool acceptNewHostKey = false;
    int pollSeconds = 20;
    QString screenshot;
    int screenshotDelayMs = 15000;
    QString screenshotCheckpoint;
    int screenshotSettleMs = 400;
    bool exitAfterFirstPaint = false; // StartupProbe (screenshot.h)
    int exitAfterRuns = 0;
};

// Prints what is wrong and returns nothing when the arguments are not usable.
std::optional<Options> parseArguments(const QApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Supervise AI workflows on HPC clusters, SSH hosts and "
                                        "this computer."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("workflow"),
                                 QApplication::translate("main", "The workflow file (TOML)."),
                                 QStringLiteral("[WORKFLOW.toml]"));
    const QCommandLineOption sshConfig(
        {QStringLiteral("F"), QStringLiteral("ssh-config")},
        QApplication::translate("main", "Use this ssh_config file instead of ~/.ssh/config."),
        QStringLiteral("FILE"));
    const QCommandLineOption acceptNew(
        QStringLiteral("accept-new-host-key"),
        QApplication::translate("main", "Trust and remember host keys seen for the first time "
                                        "(like OpenSSH's accept-new); changed keys are still "
                                        "refused."));
    const QCommandLineOption poll(
        QStringLiteral("poll"),
        QApplication::translate("main", "Refresh every site every SECONDS (default 20)."),
        QStringLiteral("SECONDS"), QStringLiteral("20"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QApplication::translate("main", "Save a picture of the window to PATH once every site "
                                        "has been refreshed, then quit."),
        QStringLiteral("PATH"));
    const QCommandLineOption screenshotDelay(
        QStringLiteral("screenshot-delay-ms"),
        QApplication::translate("main", "Take the screenshot after N ms at the latest "
                                        "(default 15000)."),
        QStringLiteral("N"), QStringLiteral("15000"));
    const QCommandLineOption screenshotCheckpoint(
        QStringLiteral("screenshot-checkpoint"),
        QApplication::translate("main", "Wait with the screenshot until a checkpoint with this "
                                        "id is pending, and review that one."),
        QStringLiteral("ID"));
    const QCommandLineOption screenshotSettle(
        QStringLiteral("screenshot-settle-ms"),
        QApplication::translate("main", "Once ready, wait N ms more before the screenshot "
                                        "(default 400)."),
        QStringLiteral("N"), QStringLiteral("400"));
    // For bench/startupbench.cpp, not shown by --help (so not translated).
    QCommandLineOption firstPaint(QStringLiteral("exit-after-first-paint"),
                                  QStringLiteral("Print the start-up time and memory once the "
                                                 "window has been painted, then quit."));
    firstPaint.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption afterRuns(QStringLiteral("exit-after-runs"),
                                 QStringLiteral("With --exit-after-first-paint: go on until the "
                                                "Runs view lists N runs, print again, quit."),
                                 QStringLiteral("N"), QStringLiteral("0"));
    afterRuns.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({sshConfig, acceptNew, poll, screenshot, screenshotDelay,
                       screenshotCheckpoint, screenshotSettle, firstPaint, afterRuns});
    parser.process(app);

    Options o;
    const QStringList args = parser.positionalArguments();
    if (args.size() > 1) {
        std::fprintf(stderr, "vigil: %s\n",
                     qPrintable(QApplication::translate("main", "give at most one workflow file")));
        return std::nullopt;
    }
    o.workflow = args.value(0);
    o.sshConfig = parser.value(sshConfig);
    o.acceptNewHostKey = parser.isSet(acceptNew);
    // A whole number of the option within [min, max], else a message.
    const auto number = [&parser](const QCommandLineOption &option, int min, int max,
                                  const QString &message) -> std::optional<int> {
        bool ok = false;
        const int n = parser.value(option).toInt(&ok);
        if (ok && n >= min && n <= max)
            return n;
        std::fprintf(stderr, "vigil: %s\n", qPrintable(message));
        return std::nullopt;
    };
    const std::optional<int> pollSeconds = number(
        poll, 1, 86400,
        QApplication::translate("main", "--poll needs a number of seconds between 1 and 86400"));
    const std::optional<int> delayMs = number(
        screenshotDelay, 0, std::numeric_limits<int>::max(),
        QApplication::translate("main", "--screenshot-delay-ms needs a number of milliseconds"));
    const std::optional<int> settleMs = number(
        screenshotSettle, 0, std::numeric_limits<int>::max(),
        QApplication::translate("main", "--screenshot-settle-ms needs a number of milliseconds"));
    const std::optional<int> runs =
        number(afterRuns, 0, std::numeric_limits<int>::max(),
               QStringLiteral("--exit-after-runs needs a number of runs"));
    if (!pollSeconds || !delayMs || !settleMs || !runs)
        return std::nullopt;
    o.exitAfterFirstPaint = parser.isSet(firstPaint);
    o.exitAfterRuns = *runs;
    o.pollSeconds = *pollSeconds;
    o.screenshot = parser.value(screenshot);
    o.screenshotDelayMs = *delayMs;
    o.screenshotCheckpoint = parser.value(screenshotCheckpoint);
    o.screenshotSettleMs = *settleMs;
    return o;
}

} // namespace

int main(int argc, char *argv[])
{
    // Start-up time as --exit-after-first-paint reports it: from here.
    QElapsedTimer sinceMain;
    sinceMain.start();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Vigil"));
    QApplication::setApplicationName(QStringLiteral("vigil"));
    QApplication::setApplicationDisplayName(QStringLiteral("Vigil"));
    QApplication::setApplicationVersion(QStringLiteral(VIGIL_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("vigil"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("vigil"),
                                                 QIcon(QStringLiteral(":/vigil/icons/vigil.svg"))));
    // The language chosen in View > Language, else the system's.
    installTranslations(&app, interfaceLocale());

    const std::optional<Options> parsed = parseArguments(app);
    if (!parsed)
        return 2;
    const Options &options = *parsed;

    // The local store opens on its own thread; a problem with it is listed
    // as an issue by the supervisor, and Vigil goes on without it.
    Store store;
    SupervisorOptions so;
    so.store = &store;
    so.sshConfigFile = options.sshConfig;
    so.hostKeyPolicy = options.acceptNewHostKey ? HostKeyPolicy::AcceptNew : HostKeyPolicy::Ask;
    so.pollSeconds = options.pollSeconds;
    Supervisor supervisor(so);
    // The engines of the runs this desktop follows (kept in the store).
    engine::EngineHost engines(&supervisor, &store);

    // Phone notifications: the webhooks of webhooks.toml, their secrets in
    // the system keyring (docs/notifications.md).
    KeychainSecretStore secrets;
    WebhookDispatcher webhooks(&supervisor, &secrets);
    inBackground<Result<QList<WebhookTarget>>>(
        &webhooks, [] { return webhookconfig::load(webhookconfig::defaultPath()); },
        [&supervisor, &webhooks](const Result<QList<WebhookTarget>> &targets) {
            if (targets)
                webhooks.setTargets(*targets);
            else
                supervisor.raise(Issue::Severity::Error, QString(),
                                 QApplication::translate("main", "webhooks"),
                                 targets.errorString());
        });

    MainWindow window(&supervisor, &engines);
    window.setWebhooks(&secrets, &webhooks);
    const auto report = [&window](const QString &subject, const QString &message) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(message));
        Issue issue;
        issue.severity = Issue::Severity::Error;
        issue.subject = subject;
        issue.message = message;
        issue.when = QDateTime::currentDateTimeUtc();
        window.reportIssue(issue);
    };
    // Both files are small and read once, before the window is shown.
    QList<SiteSpec> sites;
    if (!options.workflow.isEmpty()) {
        const Result<Workflow> wf = loadWorkflow(options.workflow);
        if (wf) {
            window.setWorkflow(*wf);
            sites = wf->sites;
        } else {
            report(QApplication::translate("main", "workflow"), wf.errorString());
        }
    }
    // The user's own sites (vigilctl site add): a workflow's win on a name clash.
    SiteRegistry registry;
    if (const Result<void> loaded = registry.load(); loaded)
        sites = mergeSites(sites, registry.sites());
    else
        report(QApplication::translate("main", "sites"), loaded.errorString());
    for (const SiteSpec &site : std::as_const(sites))
        supervisor.addSite(site);

    std::unique_ptr<ScreenshotTaker> shot;
    if (!options.screenshot.isEmpty())
        shot = std::make_unique<ScreenshotTaker>(
            &supervisor, &window, options.screenshot, options.screenshotDelayMs,
            options.screenshotCheckpoint, options.screenshotSettleMs);
    std::unique_ptr<StartupProbe> probe;
    if (options.exitAfterFirstPaint)
        probe = std::make_unique<StartupProbe>(&window, sinceMain, options.exitAfterRuns);
    supervisor.start();
    engines.restore();
    window.show();
    return app.exec();
}
