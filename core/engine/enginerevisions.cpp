// SPDX-License-Identifier: GPL-3.0-or-later
// The executor's run-time changes: the revision in effect read back at
// start, one listing of revisions/ per cycle, a new revision checked against
// the task states and taken whole, or refused whole.

#include "engine.h"
#include "logging.h"
#include "revision.h"
#include "sites/site.h"
#include "supervisor.h"

#include <utility>

namespace vigil::engine {

namespace {
constexpr qint64 kMaxWorkflowBytes = 4 * 1024 * 1024;
constexpr qint64 kMaxJsonBytes = 1024 * 1024;
} // namespace

// A restarted engine goes on with the revision its record says is in effect
// (the whole workflow is in revisions/NNNN.toml).
void Engine::loadRevision(Next next, std::function<void(const QString &)> failed)
{
    if (!failed)
        failed = [this](const QString &why) { cannotStart(why); };
    if (m_record.revision <= 1) {
        next();
        return;
    }
    Site *home = siteOf(m_home);
    const QString path =
        runDir(home) + QLatin1Char('/') + revisionPath(m_record.revision, QStringLiteral("toml"));
    readSiteFile(home, path, kMaxWorkflowBytes, [this, path, next, failed](Result<QByteArray> r) {
        auto wf = r ? parseWorkflow(*r, path) : Result<Workflow>(r.error());
        if (!wf) {
            failed(tr("cannot read its workflow revision %1, which its record says is in "
                      "effect: %2")
                       .arg(m_record.revision)
                       .arg(wf.errorString()));
            return;
        }
        m_workflow = *wf;
        if (auto ok = followSites(); !ok) {
            failed(ok.errorString());
            return;
        }
        qCInfo(lcEngine).noquote() << "run" << m_runId << "follows revision" << m_record.revision;
        next();
    });
}

// One listing of revisions/ on the home site; the next revision after the
// one in effect (refused ones left out) is read, to be taken at this cycle's
// derivation.
void Engine::fetchRevision(Next next)
{
    if (m_fetchedRevision) {
        next();
        return;
    }
    Site *home = siteOf(m_home);
    const QString dir = runDir(home) + QLatin1Char('/') + QLatin1String(kRevisionsDir);
    home->transport()->listDirectory(dir, this, [=, this](Result<QList<FileEntry>> list) {
        if (!list) {
            if (list.error().kind != Error::Kind::NotFound)
                qCDebug(lcEngine).noquote()
                    << "run" << m_runId << "revisions not listed:" << list.errorString();
            next();
            return;
        }
        int number = 0;
        for (int n : publishedRevisions(*list))
            if (n > m_record.revision && !m_record.refusedRevisions.contains(n)) {
                number = n;
                break;
            }
        if (!number) {
            next();
            return;
        }
        const QString path =
            runDir(home) + QLatin1Char('/') + revisionPath(number, QStringLiteral("toml"));
        readSiteFile(home, path, kMaxWorkflowBytes, [=, this](Result<QByteArray> r) {
            FetchedRevision fetched;
            fetched.number = number;
            if (!r) {
                // Not readable now (a network error): tried again next cycle.
                if (r.error().kind != Error::Kind::TooLarge &&
                    r.error().kind != Error::Kind::Malformed) {
                    raiseProblem(tr("run %1: revision %2 cannot be read (tried again): %3")
                                     .arg(m_runId)
                                     .arg(number)
                                     .arg(r.errorString()));
                    next();
                    return;
                }
                fetched.error = r.errorString();
            } else if (auto wf = parseWorkflow(*r, path); wf) {
                fetched.workflow = *wf;
            } else {
                fetched.error = wf.errorString();
            }
            if (!fetched.error.isEmpty()) {
                m_fetchedRevision = fetched;
                next();
                return;
            }
            readDescription(home, number, std::move(fetched), next);
        });
    });
}

// revisions/NNNN.json: who proposed it, and the decision it may come with.
// A revision published without one (by hand, or by an older Vigil) has none.
void Engine::readDescription(Site *home, int number, FetchedRevision fetched, Next next)
{
    const QString path =
        runDir(home) + QLatin1Char('/') + revisionPath(number, QStringLiteral("json"));
    readSiteFile(home, path, kMaxJsonBytes, [=, this](Result<QByteArray> r) mutable {
        if (!r && r.error().kind == Error::Kind::NotFound) {
            m_fetchedRevision = fetched;
        } else if (!r && r.error().kind != Error::Kind::TooLarge) {
            raiseProblem(tr("run %1: revision %2 cannot be read (tried again): %3")
                             .arg(m_runId)
                             .arg(number)
                             .arg(r.errorString()));
        } else if (auto info = r ? parseRevisionInfo(*r, path) : Result<RevisionInfo>(r.error());
                   !info) {
            fetched.error = info.errorString();
            m_fetchedRevision = fetched;
        } else {
            fetched.info = *info;
            m_fetchedRevision = fetched;
        }
        next();
    });
}

std::optional<QString> Engine::decisionProblem(const RevisionInfo &info) const
{
    std::optional<CheckpointInfo> found;
    for (const RunInfo &run : m_supervisor->runs())
        if (run.runId == m_runId && m_sites.contains(run.site))
            for (const CheckpointInfo &c : run.checkpoints)
                if (c.id == info.checkpoint)
                    found = c;
    const QString came =
        tr("it came with decision %1 on checkpoint %2").arg(info.decisionId, info.checkpoint);
    if (!found) {
        // A gate not posted yet: its decision cannot be there.
        const TaskSpec *gate = m_workflow.task(info.checkpoint);
        const TaskState state = m_states.value(info.checkpoint).state;
        if (gate && gate->isGate() && !isTerminal(state))
            return std::nullopt;
        return tr("%1, which this run does not have").arg(came);
    }
    switch (found->status) {
    case CheckpointInfo::Status::Pending:
        return std::nullopt;
    case CheckpointInfo::Status::Closed:
    case CheckpointInfo::Status::Broken:
        return tr("%1, which closed without it").arg(came);
    case CheckpointInfo::Status::Decided:
    case CheckpointInfo::Status::Applied:
    case CheckpointInfo::Status::Refused:
        break;
    }
    if (found->decisionId == info.decisionId)
        return QString();
    return tr("%1, but %2 decided first (option %3)")
        .arg(came, found->decidedBy.isEmpty() ? tr("someone") : found->decidedBy,
             found->decidedOption);
}

bool Engine::takeRevision(const QMap<QString, TaskStatus> &states)
{
    if (!m_fetchedRevision)
        return false;
    const FetchedRevision fetched = *std::exchange(m_fetchedRevision, std::nullopt);
    QString why = fetched.error;
    if (why.isEmpty() && fetched.info && !fetched.info->decisionId.isEmpty()) {
        const std::optional<QString> problem = decisionProblem(*fetched.info);
        if (!problem) {
            // Its decision is not there yet: kept, and checked again next cycle.
            qCDebug(lcEngine).noquote() << "run" << m_runId << "revision" << fetched.number
                                        << "waits for decision" << fetched.info->decisionId;
            m_fetchedRevision = fetched;
            return false;
        }
        why = *problem;
    }
    if (why.isEmpty())
        if (auto ok = checkRevision(m_workflow, *fetched.workflow, states); !ok)
            why = ok.errorString();
    if (why.isEmpty()) {
        const Workflow before = m_workflow;
        m_workflow = *fetched.workflow;
        if (auto ok = followSites(); !ok) {
            m_workflow = before;
            why = ok.errorString();
        } else {
            QStringList summary;
            for (const WorkflowChange &c : diffWorkflows(before, m_workflow))
                summary << describeChange(c);
            m_record.revision = fetched.number;
            m_recordDirty = true;
            qCInfo(lcEngine).noquote() << "run" << m_runId << "revision" << fetched.number
                                       << "applied:" << summary.join(QStringLiteral("; "));
            Q_EMIT revisionApplied(fetched.number, summary.join(QLatin1Char('\n')));
            return true;
        }
    }
    m_record.refusedRevisions << fetched.number;
    m_recordDirty = true;
    raiseProblem(tr("run %1: revision %2 is refused, nothing of it applies:\n%3")
                     .arg(m_runId)
                     .arg(fetched.number)
                     .arg(why));
    Q_EMIT revisionRefused(fetched.number, why);
    return false;
}

} // namespace vigil::engine
