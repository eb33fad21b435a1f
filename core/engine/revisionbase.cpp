// SPDX-License-Identifier: GPL-3.0-or-later
#include "revisionbase.h"

#include "localuser.h"
#include "planner.h"
#include "sites/site.h"
#include "supervisor.h"

#include <QSysInfo>

namespace vigil::engine {

namespace {

constexpr qint64 kMaxWorkflowBytes = 4 * 1024 * 1024;
constexpr qint64 kMaxJsonBytes = 1024 * 1024;

TaskState stateOfJob(const QString &slurmState)
{
    if (slurmState == QLatin1String("PENDING"))
        return TaskState::Pending;
    if (slurmState == QLatin1String("COMPLETED"))
        return TaskState::Done;
    if (slurmState == QLatin1String("RUNNING") || slurmState == QLatin1String("COMPLETING"))
        return TaskState::Running;
    return TaskState::Failed;
}

} // namespace

QMap<QString, TaskStatus> knownTaskStates(const std::optional<RunSummary> &summary,
                                          const QList<RunInfo> &parts, const QList<JobInfo> &jobs,
                                          const QString &runId)
{
    QMap<QString, TaskStatus> states;
    if (summary)
        for (const TaskStatus &s : summary->tasks)
            states.insert(s.task, s);
    auto submitted = [&](const QString &task, const QString &site, const QString &jobId,
                         TaskState state) {
        if (states.contains(task) && states.value(task).attempt > 0)
            return;
        TaskStatus s;
        s.task = task;
        s.site = site;
        s.jobId = jobId;
        s.attempt = 1;
        s.state = state;
        states.insert(task, s);
    };
    for (const RunInfo &r : parts)
        for (const TaskRunInfo &t : r.tasks)
            if (!t.jobId.isEmpty() || !t.state.isEmpty())
                submitted(t.name, r.site, t.jobId,
                          t.state == QLatin1String("completed") ? TaskState::Done
                          : t.state == QLatin1String("failed")  ? TaskState::Failed
                                                                : TaskState::Running);
    for (const JobInfo &j : jobs)
        if (j.runId == runId && !j.task.isEmpty())
            submitted(j.task, j.site, j.jobId, stateOfJob(j.state));
    return states;
}

RevisionProposal proposalFrom(const RevisionBase &base, const Workflow &proposed,
                              const QString &comment)
{
    RevisionProposal p;
    p.base = base.workflow;
    p.baseRevision = base.revision;
    p.proposed = proposed;
    p.states = base.states;
    p.refused = base.record.refusedRevisions;
    p.author = localUserName();
    p.host = QSysInfo::machineHostName();
    p.comment = comment;
    p.at = QDateTime::currentDateTimeUtc();
    return p;
}

void readRevisionBase(Supervisor *supervisor, const QString &runId, QObject *context,
                      Callback<RevisionBase> done)
{
    QList<RunInfo> parts;
    QStringList sites;
    for (const RunInfo &r : supervisor->runs())
        if (r.runId == runId) {
            parts << r;
            sites << r.site;
        }
    if (parts.isEmpty()) {
        done(Error(QStringLiteral("no run \"%1\" on the sites followed").arg(runId),
                   Error::Kind::NotFound));
        return;
    }
    auto base = std::make_shared<RevisionBase>();
    base->runId = runId;
    const QString found = parts.first().site;
    // 1. The launched workflow says where the home is.
    supervisor->readRunFile(
        found, runId, QStringLiteral("workflow.toml"), kMaxWorkflowBytes, context,
        [=](Result<QByteArray> bytes) {
            const QString where =
                QStringLiteral("workflow.toml of run %1 on site %2").arg(runId, found);
            auto launched = bytes ? parseWorkflow(*bytes, where) : Result<Workflow>(bytes.error());
            if (!launched) {
                done(Error(bytes ? launched.errorString()
                                 : QStringLiteral("%1: %2").arg(where, bytes.errorString())));
                return;
            }
            base->home = homeSiteOf(*launched);
            if (base->home.isEmpty() || !sites.contains(base->home)) {
                done(Error(
                    QStringLiteral("run %1: its revisions are kept on site %2, where it "
                                   "was not found")
                        .arg(runId, base->home.isEmpty() ? QStringLiteral("-") : base->home)));
                return;
            }
            const QString home = base->home;
            // 2. The engine's record: the revisions it refused.
            supervisor->readRunFile(
                home, runId, QLatin1String(kRecordFile), kMaxJsonBytes, context,
                [=](Result<QByteArray> data) {
                    if (data || data.error().kind != Error::Kind::NotFound) {
                        auto parsed = data ? parseRunRecord(*data, QLatin1String(kRecordFile))
                                           : Result<RunRecord>(data.error());
                        if (!parsed) {
                            done(Error(QStringLiteral("run %1 on site %2: %3: %4")
                                           .arg(runId, home, QLatin1String(kRecordFile),
                                                parsed.errorString())));
                            return;
                        }
                        base->record = *parsed;
                    }
                    Site *site = supervisor->site(home);
                    // 3. The latest revision, 4. the engine's summary.
                    readLatestRevision(
                        site->transport(), site->runDirectory(runId), base->record.refusedRevisions,
                        context, [=](Result<RunRevision> latest) {
                            if (!latest) {
                                done(Error(QStringLiteral("run %1 on site %2: %3")
                                               .arg(runId, home, latest.errorString())));
                                return;
                            }
                            base->revision = latest->revision;
                            base->workflow = latest->workflow;
                            supervisor->readRunFile(
                                home, runId, QLatin1String(kSummaryFile), kMaxJsonBytes, context,
                                [=](Result<QByteArray> s) {
                                    std::optional<RunSummary> summary;
                                    if (s) {
                                        auto parsed =
                                            parseRunSummary(*s, QLatin1String(kSummaryFile));
                                        if (!parsed) {
                                            done(
                                                Error(QStringLiteral("run %1 on site %2: %3")
                                                          .arg(runId, home, parsed.errorString())));
                                            return;
                                        }
                                        summary = *parsed;
                                    } else if (s.error().kind != Error::Kind::NotFound) {
                                        done(
                                            Error(QStringLiteral("run %1 on site %2: %3: %4")
                                                      .arg(runId, home, QLatin1String(kSummaryFile),
                                                           s.errorString())));
                                        return;
                                    }
                                    base->states =
                                        knownTaskStates(summary, parts, supervisor->jobs(), runId);
                                    done(*base);
                                });
                        });
                });
        });
}

RevisionPreview previewRevision(const RevisionBase &base, const Workflow &proposed)
{
    RevisionPreview p;
    p.number = nextRevisionNumber(base.revision, base.record.refusedRevisions);
    p.text = revisionText(base.workflow, proposed, base.revision, p.number);
    if (diffWorkflows(base.workflow, proposed).isEmpty())
        p.problems << QStringLiteral("no change from revision %1").arg(base.revision);
    else if (auto ok = checkRevision(base.workflow, proposed, base.states); !ok)
        p.problems = ok.errorString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return p;
}

void publishRevision(Supervisor *supervisor, const RevisionBase &base,
                     const RevisionProposal &proposal, QObject *context, Callback<int> done)
{
    Site *site = supervisor->site(base.home);
    if (!site) {
        done(Error(QStringLiteral("site %1 of run %2 is not followed").arg(base.home, base.runId)));
        return;
    }
    proposeRevision(site->transport(), site->runDirectory(base.runId), proposal, context,
                    std::move(done));
}

} // namespace vigil::engine
