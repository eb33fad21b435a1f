// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl follow RUN (and launch --follow): the engine without a display.
// One line per event on stdout (--json: one JSON object per line); SIGINT and
// SIGTERM stop the engine, which releases the lease, then vigilctl exits
// 130 / 143.
#include "ctlcommands.h"
#include "ctloutput.h"
#include "engine/runfollower.h"
#include "store/store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace vigil::ctl {

namespace {

// The self-pipe: the handler only writes the signal's number into it; the
// event loop reads it through a QSocketNotifier.
int g_signalPipe[2] = {-1, -1};

extern "C" void onStopSignal(int signal)
{
    const char byte = char(signal);
    const ssize_t written = ::write(g_signalPipe[1], &byte, 1);
    (void)written; // a full pipe already holds a stop request
}

Result<void> catchStopSignals()
{
    if (g_signalPipe[0] < 0 && ::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return Error(QStringLiteral("cannot make the pipe for SIGINT and SIGTERM: %1")
                         .arg(QString::fromLocal8Bit(std::strerror(errno))));
    struct sigaction sa = {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (::sigaction(SIGINT, &sa, nullptr) != 0 || ::sigaction(SIGTERM, &sa, nullptr) != 0)
        return Error(QStringLiteral("cannot catch SIGINT and SIGTERM: %1")
                         .arg(QString::fromLocal8Bit(std::strerror(errno))));
    return {};
}

// One event: a JSON object on one line, or a line for people.
class EventPrinter
{
public:
    explicit EventPrinter(bool json) : m_json(json) {}

    void say(const QString &event, QJsonObject fields, const QString &text) const
    {
        if (m_json) {
            fields.insert(QStringLiteral("event"), event);
            fields.insert(QStringLiteral("at"), isoTime(QDateTime::currentDateTimeUtc()));
            outJson(QJsonDocument(fields));
        } else {
            out(text);
        }
    }

private:
    bool m_json;
};

} // namespace

Result<int> Command::leaseHeartbeatOption() const
{
    if (!isSet(QStringLiteral("lease-heartbeat")))
        return 0;
    bool ok = false;
    const int ms = option(QStringLiteral("lease-heartbeat")).toInt(&ok);
    if (!ok || ms < 200 || ms > 600000)
        return Error(
            QStringLiteral("--lease-heartbeat %1: expected milliseconds from 200 to 600000")
                .arg(printable(option(QStringLiteral("lease-heartbeat")))));
    return ms;
}

void Command::doFollow()
{
    if (!checkRunArgument())
        return;
    startSupervisor(m_sites);
    followRun(m_run, std::nullopt);
}

void Command::followRun(const QString &runId, std::optional<Workflow> workflow)
{
    if (auto caught = catchStopSignals(); !caught) {
        fail(caught.errorString());
        return;
    }
    engine::FollowOptions options;
    options.site = option(QStringLiteral("site"));
    options.workflow = std::move(workflow);
    if (const auto beat = leaseHeartbeatOption(); beat && *beat > 0)
        options.lease.heartbeat = std::chrono::milliseconds(*beat);
    auto *follower = new engine::RunFollower(m_supervisor, runId, options, this);
    const EventPrinter printer(isSet(QStringLiteral("json")));
    auto exitCode = std::make_shared<int>(Failed);

    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, this);
    connect(notifier, &QSocketNotifier::activated, this, [follower, exitCode, runId] {
        char byte = 0;
        while (::read(g_signalPipe[0], &byte, 1) == 1) {
            if (*exitCode == Interrupted || *exitCode == Terminated)
                continue; // stopping already
            *exitCode = byte == SIGINT ? Interrupted : Terminated;
            err(QStringLiteral("%1: stopping the engine on run %2 (the lease is released)")
                    .arg(byte == SIGINT ? QStringLiteral("SIGINT") : QStringLiteral("SIGTERM"),
                         printable(runId)));
            follower->stop();
        }
    });

    connect(follower, &engine::RunFollower::failed, this,
            [this](const QString &message) { fail(message); });
    connect(follower, &engine::RunFollower::runEnded, this,
            [printer, runId, exitCode](const QString &outcome, const QString &reason) {
                if (*exitCode != Interrupted && *exitCode != Terminated)
                    *exitCode = outcome == QLatin1String("done") ? Ok : Failed;
                // Over: the desktop of this machine need not follow it any more.
                if (Store *store = Store::applicationStore())
                    store->unfollowRun(runId);
                printer.say(QStringLiteral("ended"),
                            {{QStringLiteral("run"), runId},
                             {QStringLiteral("outcome"), outcome},
                             {QStringLiteral("reason"), reason}},
                            QStringLiteral("run %1 ended: %2%3")
                                .arg(printable(runId), printable(outcome),
                                     reason.isEmpty()
                                         ? QString()
                                         : QStringLiteral(" (%1)").arg(printable(reason))));
            });
    connect(follower, &engine::RunFollower::stopped, this, [this, exitCode] { finish(*exitCode); });
    connect(
        follower, &engine::RunFollower::engineReady, this,
        [follower, printer, runId](engine::Engine *e) {
            connect(e, &engine::Engine::started, follower, [follower, printer, runId, e] {
                printer.say(QStringLiteral("following"),
                            {{QStringLiteral("run"), runId},
                             {QStringLiteral("site"), follower->site()},
                             {QStringLiteral("home"), e->homeSite()}},
                            QStringLiteral("following run %1 (found on %2; lease and record "
                                           "on %3)")
                                .arg(printable(runId), follower->site(), e->homeSite()));
            });
            connect(e, &engine::Engine::problem, follower,
                    [follower, printer](const QString &message) {
                        if (follower->isFollowing()) // else failed() says it
                            printer.say(QStringLiteral("problem"),
                                        {{QStringLiteral("message"), message}},
                                        QStringLiteral("problem: %1").arg(printable(message)));
                    });
            connect(e, &engine::Engine::leaseAcquired, follower, [printer, e] {
                const QString holder = e->lease() ? e->lease()->holderId() : QString();
                printer.say(QStringLiteral("lease"),
                            {{QStringLiteral("lease"), QStringLiteral("acquired")},
                             {QStringLiteral("holder"), holder}},
                            QStringLiteral("lease acquired by %1: this engine acts")
                                .arg(printable(holder)));
            });
            connect(
                e, &engine::Engine::leaseHeldElsewhere, follower, [printer](const QString &holder) {
                    printer.say(
                        QStringLiteral("lease"),
                        {{QStringLiteral("lease"), QStringLiteral("elsewhere")},
                         {QStringLiteral("holder"), holder}},
                        QStringLiteral("lease held by %1: observing only").arg(printable(holder)));
                });
            connect(e, &engine::Engine::leaseLost, follower, [printer](const QString &why) {
                printer.say(QStringLiteral("lease"),
                            {{QStringLiteral("lease"), QStringLiteral("lost")},
                             {QStringLiteral("why"), why}},
                            QStringLiteral("lease lost: %1").arg(printable(why)));
            });
            connect(e, &engine::Engine::revisionApplied, follower,
                    [printer](int revision, const QString &summary) {
                        printer.say(
                            QStringLiteral("revision"),
                            {{QStringLiteral("revision"), QString::number(revision)},
                             {QStringLiteral("applied"), true},
                             {QStringLiteral("summary"), summary}},
                            QStringLiteral("revision %1 applied: %2")
                                .arg(revision)
                                .arg(printable(summary.split(QLatin1Char('\n'), Qt::SkipEmptyParts)
                                                   .join(QStringLiteral("; ")))));
                    });
            connect(e, &engine::Engine::revisionRefused, follower,
                    [printer](int revision, const QString &why) {
                        printer.say(
                            QStringLiteral("revision"),
                            {{QStringLiteral("revision"), QString::number(revision)},
                             {QStringLiteral("applied"), false},
                             {QStringLiteral("why"), why}},
                            QStringLiteral("revision %1 refused: %2")
                                .arg(revision)
                                .arg(printable(why.split(QLatin1Char('\n'), Qt::SkipEmptyParts)
                                                   .join(QStringLiteral("; ")))));
                    });
            connect(e, &engine::Engine::taskStateChanged, follower,
                    [printer](const QString &task, engine::TaskState state, const QDateTime &since,
                              const QString &reason) {
                        const QString name = engine::taskStateName(state);
                        printer.say(QStringLiteral("task"),
                                    {{QStringLiteral("task"), task},
                                     {QStringLiteral("state"), name},
                                     {QStringLiteral("since"), isoTime(since)},
                                     {QStringLiteral("reason"), reason}},
                                    QStringLiteral("task %1: %2 since %3%4")
                                        .arg(printable(task), name, isoOrDash(since),
                                             reason.isEmpty()
                                                 ? QString()
                                                 : QStringLiteral(" (%1)").arg(printable(reason))));
                    });
            connect(e, &engine::Engine::actionDone, follower,
                    [printer](const QString &action, const QString &what) {
                        printer.say(
                            QStringLiteral("action"),
                            {{QStringLiteral("action"), action},
                             {QStringLiteral("ok"), true},
                             {QStringLiteral("what"), what}},
                            QStringLiteral("done: %1: %2").arg(printable(action), printable(what)));
                    });
            connect(
                e, &engine::Engine::actionFailed, follower,
                [printer](const QString &action, const QString &error) {
                    printer.say(
                        QStringLiteral("action"),
                        {{QStringLiteral("action"), action},
                         {QStringLiteral("ok"), false},
                         {QStringLiteral("error"), error}},
                        QStringLiteral("failed: %1: %2").arg(printable(action), printable(error)));
                });
        });
    m_supervisor->start();
    follower->start();
}

} // namespace vigil::ctl
