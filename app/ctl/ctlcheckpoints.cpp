// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl: checkpoints, decide, status, audit and wait.
#include "ctlcommands.h"
#include "ctloutput.h"
#include "protocol/ids.h"
#include "protocol/random.h"
#include "runs/evidence.h"
#include "sites/site.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <memory>

namespace vigil::ctl {

namespace {

// Why `value` (an option's value) breaks the id rule, naming it escaped; ""
// when it is a valid id.
QString idProblem(const QString &value, std::string_view what)
{
    const auto r = protocol::validateId(value.toStdString(), what);
    return r ? QString() : QString::fromStdString(r.errorString());
}

// What decide says of the params: those given, and that the others (when
// there are any) are the job's defaults.
QString paramsNote(const CheckpointInfo &c, const QJsonObject &params)
{
    if (c.params.isEmpty())
        return {};
    if (params.isEmpty())
        return QStringLiteral(" (every parameter at its default)");
    return QStringLiteral(" (params: %1%2)")
        .arg(printable(paramsText(params)), params.size() < c.params.size()
                                                ? QStringLiteral("; the others at their defaults")
                                                : QString());
}

} // namespace

void Command::doCheckpoints()
{
    const bool all = m_parser.isSet(QStringLiteral("all"));
    const bool pendingOnly = m_parser.isSet(QStringLiteral("pending"));
    if (all && pendingOnly) {
        fail(QStringLiteral("checkpoints: --all and --pending exclude each other"), Usage);
        return;
    }
    if (!m_run.isEmpty()) {
        if (const QString why = idProblem(m_run, "run id"); !why.isEmpty()) {
            fail(why);
            return;
        }
    }
    refreshAll([this, all, pendingOnly] {
        const bool json = m_parser.isSet(QStringLiteral("json"));
        QJsonArray arr;
        if (!json)
            out(QStringLiteral("SITE\tRUN\tCHECKPOINT\tSTATUS\tOPTIONS\tPARAMS\tTITLE"));
        for (const CheckpointInfo &c : m_supervisor->checkpoints()) {
            // Default: what needs a person (waiting, or broken); --pending:
            // only what still waits for a decision; --all: everything.
            const bool pending = c.status == CheckpointInfo::Status::Pending;
            const bool broken = c.status == CheckpointInfo::Status::Broken;
            if (pendingOnly ? !pending : !(all || pending || broken))
                continue;
            if (!m_run.isEmpty() && c.runId != m_run)
                continue;
            if (json)
                arr << checkpointJson(c);
            else
                out(checkpointLine(c, true));
        }
        if (json)
            outJson(QJsonDocument(arr));
        finish(Ok);
    });
}

Result<QJsonObject> Command::decisionParams(const CheckpointInfo &c) const
{
    const QString where = QStringLiteral("checkpoint %1 of run %2").arg(c.id, c.runId);
    QJsonObject params;
    for (const QString &given : m_parser.values(QStringLiteral("param"))) {
        // NAME=VALUE, split at the first '=' (checked before any connection).
        const QString name = given.section(QLatin1Char('='), 0, 0);
        const QString text = given.section(QLatin1Char('='), 1);
        const CheckpointParam *p = c.findParam(name);
        if (!p) {
            QStringList names;
            for (const CheckpointParam &d : c.params)
                names << d.name;
            return Error(names.isEmpty()
                             ? QStringLiteral("%1 takes no parameters (--param %2)")
                                   .arg(where, printable(given))
                             : QStringLiteral("%1 has no parameter \"%2\" (it has: %3)")
                                   .arg(where, printable(name), names.join(QStringLiteral(", "))));
        }
        auto value = paramValueFromText(*p, text);
        if (!value)
            return Error(QStringLiteral("%1: parameter %2 (%3): %4")
                             .arg(where, name, p->type, printable(value.errorString())));
        params.insert(name, *value);
    }
    return params;
}

void Command::doDecide()
{
    const QString run = m_run;
    const QString cp = m_checkpoint;
    const QString opt = option(QStringLiteral("option"));
    if (run.isEmpty() || cp.isEmpty() || opt.isEmpty()) {
        fail(QStringLiteral("decide needs RUN, CHECKPOINT and --option: vigilctl decide RUN "
                            "CHECKPOINT --option O [--param NAME=VALUE ...]"),
             Usage);
        return;
    }
    // The id rule first: a value that breaks it names no checkpoint, and the
    // rule's message shows it escaped.
    for (const auto &[value, what] : {std::pair{run, "run id"}, std::pair{cp, "checkpoint id"},
                                      std::pair{opt, "option name"}}) {
        if (const QString why = idProblem(value, what); !why.isEmpty()) {
            fail(why);
            return;
        }
    }
    if (auto syntax = checkParamArguments(m_parser.values(QStringLiteral("param"))); !syntax) {
        fail(syntax.errorString(), Usage);
        return;
    }
    if (isSet(QStringLiteral("revise"))) {
        // Every problem of the revision before anything is connected or written.
        const QString path = option(QStringLiteral("revise"));
        const WorkflowCheck check = checkWorkflowFile(path);
        if (!check.ok()) {
            for (const QString &line : workflowCheckLines(check))
                diagnostic(line);
            fail(QStringLiteral("decide --revise: %1 is not a valid workflow; nothing written")
                     .arg(printable(path)));
            return;
        }
        m_proposedPath = path;
        m_proposed = check.workflow;
    }
    refreshAll([this, run, cp, opt] {
        // Find the checkpoint on whichever site holds the run.
        std::optional<CheckpointInfo> found;
        for (const CheckpointInfo &c : m_supervisor->checkpoints())
            if (c.runId == run && c.id == cp)
                found = c;
        if (!found) {
            fail(QStringLiteral("no checkpoint \"%1\" in run \"%2\" on the sites of %3")
                     .arg(cp, run, whereSitesAre()));
            return;
        }
        const CheckpointInfo c = *found;
        // Nothing is written (not even to the outbox) unless the job's
        // question allows the answer.
        if (c.status == CheckpointInfo::Status::Pending &&
            std::none_of(c.options.cbegin(), c.options.cend(),
                         [&](const CheckpointOption &o) { return o.name == opt; })) {
            QStringList names;
            for (const CheckpointOption &o : c.options)
                names << o.name;
            fail(QStringLiteral("checkpoint %1 of run %2 has no option \"%3\" (it has: %4)")
                     .arg(cp, run, opt, printable(names.join(QStringLiteral(", ")))));
            return;
        }
        const auto params = decisionParams(c);
        if (!params) {
            fail(params.errorString());
            return;
        }
        // The evidence: the metric files as the decider's tool read them now.
        auto evidence = std::make_shared<QList<std::pair<QString, QByteArray>>>();
        auto files = std::make_shared<QStringList>();
        for (const MetricRef &m : c.metrics)
            *files << m.file;
        auto sendNow = [this, c, opt, evidence, params = *params](const QString &decisionId,
                                                                  int revision) {
            DecisionInput in{c.site,
                             c.runId,
                             c.id,
                             opt,
                             option(QStringLiteral("comment")),
                             evidenceSha256(*evidence),
                             params,
                             decisionId,
                             evidenceBytes(*evidence)};
            m_supervisor->decide(in, this, [this, c, params, revision](Result<DecisionOutcome> r) {
                if (!r) {
                    fail(r.errorString());
                    return;
                }
                if (!r->won) {
                    out(QStringLiteral("checkpoint %1 was already decided by %2 at %3: option %4")
                            .arg(c.id, printable(r->decidedBy), r->decidedAt.toString(Qt::ISODate),
                                 printable(r->option)));
                    if (revision > 0)
                        out(QStringLiteral("revision %1 came with this decision: the engine "
                                           "refuses it")
                                .arg(revision));
                    finish(Lost);
                    return;
                }
                out(QStringLiteral("decision \"%1\" written for %2/%3/%4%5")
                        .arg(printable(r->option), c.site, c.runId, c.id, paramsNote(c, params)));
                finish(Ok);
            });
        };
        // With --revise: the revision first, naming the decision about to be
        // written, so that the engine never acts on the decision without it.
        auto sendDecision = [this, c, sendNow] {
            if (!m_proposed) {
                sendNow(QString(), 0);
                return;
            }
            auto id = protocol::makeNonce();
            if (!id) {
                fail(QString::fromStdString(id.errorString()));
                return;
            }
            m_withCheckpoint = c.id;
            m_withDecisionId = QString::fromStdString(*id);
            m_afterPublish = [this, sendNow](int revision) { sendNow(m_withDecisionId, revision); };
            findRevisionHome(false);
        };
        auto next = std::make_shared<std::function<void()>>();
        *next = [this, c, files, evidence, next, sendDecision] {
            if (files->isEmpty()) {
                // Clearing *next breaks the cycle and destroys this lambda
                // with its captures: keep what runs next on the stack.
                const auto send = sendDecision;
                const auto keep = next;
                *next = nullptr;
                send();
                return;
            }
            const QString f = files->takeFirst();
            m_supervisor->readRunFile(c.site, c.runId, f, kMaxEvidenceBytes, this,
                                      [this, f, evidence, next](Result<QByteArray> data) {
                                          if (!data) {
                                              fail(QStringLiteral("cannot read the evidence %1: %2")
                                                       .arg(printable(f), data.errorString()));
                                              return;
                                          }
                                          evidence->append({f, *data});
                                          (*next)();
                                      });
        };
        (*next)();
    });
}

bool Command::checkRunArgument()
{
    if (m_run.isEmpty()) {
        fail(QStringLiteral("%1 needs a RUN: vigilctl %1 RUN").arg(m_name), Usage);
        return false;
    }
    if (const QString why = idProblem(m_run, "run id"); !why.isEmpty()) {
        fail(why);
        return false;
    }
    return true;
}

QList<RunInfo> Command::runParts()
{
    QList<RunInfo> parts;
    for (const RunInfo &r : m_supervisor->runs())
        if (r.runId == m_run)
            parts << r;
    if (parts.isEmpty())
        fail(QStringLiteral("no run \"%1\" on the sites of %2").arg(m_run, whereSitesAre()));
    return parts;
}

// One run's tasks and checkpoints, as the run directories (every site the run
// uses) and the schedulers say after one refresh.
void Command::doStatus()
{
    if (!checkRunArgument())
        return;
    refreshAll([this] {
        const QList<RunInfo> parts = runParts();
        if (parts.isEmpty())
            return;
        const QList<JobInfo> jobs = m_supervisor->jobs();
        // The scheduler's job of a task: the one the run directory names, else
        // the newest the scheduler tags with the run and task.
        auto jobOf = [&](const QString &site, const TaskRunInfo &t) -> const JobInfo * {
            const JobInfo *found = nullptr;
            for (const JobInfo &j : jobs) {
                if (j.site != site || j.runId != m_run || j.task != t.name)
                    continue;
                if (!t.jobId.isEmpty() && (j.jobId == t.jobId || j.submittedId() == t.jobId))
                    return &j;
                if (!found || j.jobId.toLongLong() > found->jobId.toLongLong())
                    found = &j;
            }
            return t.jobId.isEmpty() ? found : nullptr;
        };
        QJsonArray sites, tasks, checkpoints, problems;
        QStringList taskLines, checkpointLines;
        QString workflow;
        QDateTime created;
        for (const RunInfo &r : std::as_const(parts)) {
            sites << r.site;
            workflow = workflow.isEmpty() ? r.workflowName : workflow;
            if (r.createdAt.isValid() && (!created.isValid() || r.createdAt < created))
                created = r.createdAt;
            QSet<QString> seen;
            for (const TaskRunInfo &t : r.tasks) {
                seen.insert(t.name);
                tasks << taskStatusJson(r.site, t, jobOf(r.site, t));
                taskLines << taskStatusLine(r.site, t, jobOf(r.site, t));
            }
            // Jobs of the run whose task has not written to the run directory yet.
            for (const JobInfo &j : jobs) {
                if (j.site != r.site || j.runId != m_run || j.task.isEmpty() ||
                    seen.contains(j.task))
                    continue;
                seen.insert(j.task);
                TaskRunInfo t;
                t.name = j.task;
                tasks << taskStatusJson(r.site, t, jobOf(r.site, t));
                taskLines << taskStatusLine(r.site, t, jobOf(r.site, t));
            }
            for (const CheckpointInfo &c : r.checkpoints) {
                checkpoints << checkpointJson(c);
                checkpointLines << checkpointLine(c, false);
            }
            for (const QString &p : r.problems)
                problems << QStringLiteral("%1: %2").arg(r.site, p);
        }
        if (m_parser.isSet(QStringLiteral("json"))) {
            outJson(QJsonDocument(QJsonObject{{QStringLiteral("run"), m_run},
                                              {QStringLiteral("workflow"), workflow},
                                              {QStringLiteral("created_at"), isoTime(created)},
                                              {QStringLiteral("sites"), sites},
                                              {QStringLiteral("tasks"), tasks},
                                              {QStringLiteral("checkpoints"), checkpoints},
                                              {QStringLiteral("problems"), problems}}));
            finish(Ok);
            return;
        }
        QStringList siteNames;
        for (const QJsonValue &v : std::as_const(sites))
            siteNames << v.toString();
        out(QStringLiteral("run %1\tworkflow %2\tcreated %3\tsites %4")
                .arg(printable(m_run), printable(orDash(workflow)), isoOrDash(created),
                     siteNames.join(QLatin1Char(','))));
        out(QStringLiteral("TASK\tSITE\tSTATE\tJOB\tSCHEDULER\tEXIT\tSTARTED\tENDED"));
        for (const QString &l : std::as_const(taskLines))
            out(l);
        if (!checkpointLines.isEmpty()) {
            out(QStringLiteral("RUN\tCHECKPOINT\tSTATUS\tOPTIONS\tPARAMS\tTITLE"));
            for (const QString &l : std::as_const(checkpointLines))
                out(l);
        }
        for (const QJsonValue &p : std::as_const(problems))
            out(QStringLiteral("problem: %1").arg(printable(p.toString())));
        finish(Ok);
    });
}

// The local store's audit log of a run, oldest first: no site is needed.
void Command::doAudit()
{
    if (!checkRunArgument())
        return;
    Store *store = Store::applicationStore();
    if (!store) {
        fail(QStringLiteral("no local store"));
        return;
    }
    store->auditLog(m_run, this, [this, store](Result<QList<AuditEntry>> r) {
        if (!r) {
            fail(QStringLiteral("the local store %1: %2").arg(store->path(), r.errorString()));
            return;
        }
        if (m_parser.isSet(QStringLiteral("json"))) {
            QJsonArray arr;
            for (const AuditEntry &e : std::as_const(*r))
                arr << auditJson(e);
            outJson(QJsonDocument(arr));
        } else if (r->isEmpty()) {
            err(QStringLiteral("no decision on run %1 in the audit log of %2")
                    .arg(m_run, store->path()));
        } else {
            out(QStringLiteral("DECIDED\tSITE\tCHECKPOINT\tOPTION\tPARAMS\tBY\tEVIDENCE\tCOMMENT"));
            for (const AuditEntry &e : std::as_const(*r))
                out(auditLine(e));
        }
        finish(Ok);
    });
}

void Command::doWait()
{
    const QString run = option(QStringLiteral("run"));
    const QString task = option(QStringLiteral("task"));
    if (run.isEmpty() || task.isEmpty()) {
        fail(QStringLiteral("wait needs --run and --task"), Usage);
        return;
    }
    for (const auto &[value, what] : {std::pair{run, "run id"}, std::pair{task, "task name"}}) {
        if (const QString why = idProblem(value, what); !why.isEmpty()) {
            fail(why);
            return;
        }
    }
    m_deadline.setInterval(std::max(1, option(QStringLiteral("timeout")).toInt()) * 1000);
    connect(&m_deadline, &QTimer::timeout, this, [this, run, task] {
        fail(QStringLiteral("task %1 of run %2 has not ended in time").arg(task, run), TimedOut);
    });
    m_deadline.start();
    connect(m_supervisor, &Supervisor::refreshed, this, [this, run, task](const QString &, bool) {
        for (const RunInfo &r : m_supervisor->runs()) {
            if (r.runId != run)
                continue;
            for (const TaskRunInfo &t : r.tasks) {
                if (t.name != task)
                    continue;
                if (t.state == QLatin1String("completed") || t.state == QLatin1String("failed")) {
                    m_deadline.stop();
                    out(QStringLiteral("task %1 %2 (exit %3)")
                            .arg(task, printable(t.state))
                            .arg(t.exitCode));
                    finish(t.state == QLatin1String("completed") ? Ok : Failed);
                    return;
                }
            }
        }
        // A job that ended without its task ever reporting (cancelled while
        // pending, killed by the scheduler before the helper ran).
        for (const JobInfo &j : m_supervisor->jobs()) {
            // EXITED (a process site) is final only once the run directory
            // says how it ended: the next cycle tells.
            if (j.runId == run && j.task == task && j.isFinished() &&
                j.state != QLatin1String("COMPLETED") && j.state != QLatin1String("EXITED")) {
                bool reported = false;
                for (const RunInfo &r : m_supervisor->runs())
                    for (const TaskRunInfo &t : r.tasks)
                        reported = reported || (r.runId == run && t.name == task &&
                                                (t.state == QLatin1String("completed") ||
                                                 t.state == QLatin1String("failed")));
                if (!reported) {
                    m_deadline.stop();
                    out(QStringLiteral("task %1 job %2 ended %3")
                            .arg(task, printable(j.jobId), printable(j.state)));
                    finish(Failed);
                    return;
                }
            }
        }
    });
    m_supervisor->start();
}

} // namespace vigil::ctl
