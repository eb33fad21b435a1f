// SPDX-License-Identifier: GPL-3.0-or-later
// The executor's actions: each one asynchronous, against the run's sites.

#include "engine.h"
#include "launcher.h"
#include "logging.h"
#include "protocol/format.h"
#include "protocol/ids.h"
#include "runrecordio.h"
#include "sites/datamover.h"
#include "sites/site.h"
#include "submitter.h"
#include "supervisor.h"

#include <QFileInfo>
#include <nlohmann/json.hpp>

namespace vigil::engine {

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

// tasks/<task>/submission.json, as the launcher writes it, with the attempt.
QByteArray submissionJson(const QString &site, const QString &jobId, int attempt,
                          const QDateTime &at)
{
    const nlohmann::json doc = {
        {"format", protocol::formatHeader(protocol::kSubmissionFormat)},
        {"job_id", jobId.toStdString()},
        {"site", site.toStdString()},
        {"attempt", attempt},
        {"submitted_at", protocol::formatUtc(protocolTime(at))},
    };
    return QByteArray::fromStdString(protocol::dumpFile(doc));
}

} // namespace

void Engine::execute(QList<Action> actions, Next finished)
{
    if (actions.isEmpty() || !isActing()) {
        finished();
        return;
    }
    const Action a = actions.takeFirst();
    if (a.kind == Action::Kind::MoveInput &&
        m_cancelledMoves.contains(a.task + QLatin1Char('/') + a.input.path)) {
        // The supervisor cancelled it: it waits until the run is followed anew.
        execute(actions, finished);
        return;
    }
    qCInfo(lcEngine).noquote() << "run" << m_runId << ":" << describe(a);
    Next next = [this, actions, finished] { execute(actions, finished); };
    switch (a.kind) {
    case Action::Kind::Submit:
    case Action::Kind::Retry:
        submit(a, next);
        return;
    case Action::Kind::Release:
    case Action::Kind::Cancel:
        control(a, next);
        return;
    case Action::Kind::Skip:
        skip(a, next);
        return;
    case Action::Kind::PostGate:
        postGate(a, next);
        return;
    case Action::Kind::TakeGateDefault:
        takeDefault(a, next);
        return;
    case Action::Kind::MoveInput:
        moveInput(a, next);
        return;
    case Action::Kind::FinishRun:
        finish(a, next);
        return;
    }
    next();
}

void Engine::done(const Action &action, const QString &what, Next next)
{
    qCInfo(lcEngine).noquote() << "run" << m_runId << ":" << describe(action) << "->" << what;
    Q_EMIT actionDone(describe(action), what);
    next();
}

void Engine::failed(const Action &action, const QString &site, const QString &error, Next next)
{
    const QString message =
        action.task.isEmpty()
            ? tr("run %1: %2 failed: %3").arg(m_runId, actionKindName(action.kind), error)
            : tr("run %1, task %2 on site %3: %4 failed: %5")
                  .arg(m_runId, action.task, site, actionKindName(action.kind), error);
    qCWarning(lcEngine).noquote() << message;
    Q_EMIT actionFailed(describe(action), message);
    next();
}

void Engine::writeFile(Site *site, const QString &path, const QByteArray &bytes, quint32 mode,
                       Callback<void> finished)
{
    Transport *t = site->transport();
    t->makeDirectories(QFileInfo(path).path(), 0700, this,
                       [this, t, path, bytes, mode, finished](Result<void> mk) {
                           if (!mk)
                               finished(mk.error());
                           else
                               t->writeFileAtomic(path, bytes, mode, this, finished);
                       });
}

void Engine::writeRecord(Callback<void> finished)
{
    Site *home = siteOf(m_home);
    const QByteArray bytes = serializeRunRecord(m_runId, m_record);
    m_recordDirty = true;
    writeFile(home, runDir(home) + QLatin1Char('/') + QLatin1String(kRecordFile), bytes, 0600,
              [=, this](Result<void> w) {
                  if (w && bytes == serializeRunRecord(m_runId, m_record))
                      m_recordDirty = false;
                  finished(w);
              });
}

void Engine::recordThen(const Action &a, const QString &site, const QString &what, Next next)
{
    writeRecord([=, this](Result<void> r) {
        if (!r)
            failed(a, site,
                   tr("%1, but the engine's record could not be written (it is tried again): %2")
                       .arg(what, r.errorString()),
                   next);
        else
            done(a, what, next);
    });
}

void Engine::submit(const Action &a, Next next)
{
    const TaskSpec *task = m_workflow.task(a.task);
    Site *site = task ? siteOf(task->site) : nullptr;
    if (!site) {
        failed(a, task ? task->site : QString(), tr("the site is not known"), next);
        return;
    }
    site->ensureHelper(this, [this, a, task, site, next](Result<QString> helper) {
        if (!helper) {
            failed(a, site->name(), helper.errorString(), next);
            return;
        }
        const QString dir = runDir(site);
        const QString taskDir = dir + QStringLiteral("/tasks/") + task->name;
        // The gates' params join the task's own environment in its job script
        // (one script per attempt: a queued attempt's script is never changed).
        TaskSpec spec = *task;
        for (auto it = a.environment.cbegin(); it != a.environment.cend(); ++it)
            spec.environment.insert(it.key(), it.value());
        const auto script =
            Launcher::jobScript(spec, site->spec(), m_runId, dir, *helper, site->pythonDirectory());
        if (!script) {
            failed(a, site->name(), script.errorString(), next);
            return;
        }
        const QString scriptPath = taskDir + QStringLiteral("/job-%1.sh").arg(a.attempt);
        writeFile(site, scriptPath, *script, 0700, [=, this](Result<void> w) {
            if (!w) {
                failed(a, site->name(), w.errorString(), next);
                return;
            }
            const TaskRecord rec = m_record.tasks.value(task->name);
            // A first attempt the launcher (or an engine that lost its
            // record) submitted is in the run directory already.
            if (a.attempt == 1 && rec.attempts.isEmpty() && m_scanJobIds.contains(task->name)) {
                submitted(a, site, taskDir, m_scanJobIds.value(task->name), true, next);
                return;
            }
            Submission s;
            s.runId = m_runId;
            s.task = task->name;
            s.scriptPath = scriptPath;
            s.workDirectory = dir;
            s.logPath = Launcher::logPath(*task, taskDir);
            s.array = Launcher::arraySpec(*task);
            s.resources = task->resources;
            if (s.resources.qos.isEmpty())
                s.resources.qos = site->spec().qos;
            s.attempt = a.attempt;
            s.recordDirectory = taskDir;
            for (const QString &dep : a.afterOk)
                if (const AttemptRecord *cur = m_record.tasks.value(dep).current())
                    s.afterOk << cur->jobId;
            QStringList others;
            for (const AttemptRecord &r : rec.attempts)
                if (r.attempt != a.attempt)
                    others << r.jobId;
            const JobLookup lookup{m_runId, task->name, dir, taskDir,
                                   m_createdAt.isValid() ? m_createdAt
                                                         : m_options.clock->now().addDays(-2)};
            submitOnce(site, s, lookup, others, this, [=, this](Result<SubmitOutcome> out) {
                if (!out) {
                    failed(a, site->name(), out.errorString(), next);
                    return;
                }
                submitted(a, site, taskDir, out->jobId, out->adopted, next);
            });
        });
    });
}

void Engine::submitted(const Action &a, Site *site, const QString &taskDir, const QString &jobId,
                       bool adopted, Next next)
{
    const QDateTime now = m_options.clock->now();
    AttemptRecord rec;
    rec.attempt = a.attempt;
    rec.site = site->name();
    rec.jobId = jobId;
    rec.submittedAt = now;
    rec.reason = a.kind == Action::Kind::Retry ? AttemptRecord::Reason::Retry
                 : a.attempt > 1               ? AttemptRecord::Reason::Resubmit
                                               : AttemptRecord::Reason::Launch;
    TaskRecord &task = m_record.tasks[a.task];
    while (!task.attempts.isEmpty() && task.attempts.last().attempt >= a.attempt)
        task.attempts.removeLast();
    task.attempts << rec;
    actedOn(site->name());
    const QString what =
        adopted ? tr("job %1 on %2 adopted (it was submitted already)").arg(jobId, site->name())
                : tr("submitted as job %1 on %2").arg(jobId, site->name());
    // The record first (a restarted engine must know the job), then the
    // run directory's submission.json (so that every desktop tracks it).
    writeRecord([=, this](Result<void> w) {
        if (!w) {
            failed(a, site->name(),
                   tr("%1, but the engine's record could not be written (it is tried again): %2")
                       .arg(what, w.errorString()),
                   next);
            return;
        }
        site->transport()->writeFileAtomic(
            taskDir + QStringLiteral("/submission.json"),
            submissionJson(site->name(), jobId, a.attempt, now), 0600, this,
            [=, this](Result<void> sub) {
                actedOn(site->name());
                if (!sub) {
                    failed(a, site->name(),
                           tr("%1, but its submission.json could not be written: %2")
                               .arg(what, sub.errorString()),
                           next);
                    return;
                }
                done(a, what, next);
            });
    });
}

void Engine::control(const Action &a, Next next)
{
    const AttemptRecord *cur = m_record.tasks.value(a.task).current();
    Site *site = cur ? siteOf(cur->site) : nullptr;
    if (!site) {
        failed(a, cur ? cur->site : QString(), tr("no job of this task is recorded"), next);
        return;
    }
    const QString jobId = cur->jobId;
    const bool release = a.kind == Action::Kind::Release;
    auto reply = [=, this](Result<void> r) {
        actedOn(site->name());
        if (!r)
            failed(a, site->name(), r.errorString(), next);
        else if (release)
            done(a, tr("job %1 released").arg(jobId), next);
        else
            done(a, tr("job %1 cancelled (%2)").arg(jobId, a.reason), next);
    };
    if (release)
        site->release(jobId, this, reply);
    else
        site->cancel(jobId, this, reply);
}

void Engine::skip(const Action &a, Next next)
{
    const TaskSpec *task = m_workflow.task(a.task);
    Site *site = task ? siteOf(taskSite(*task)) : nullptr;
    if (!site) {
        failed(a, QString(), tr("the task's site is not known"), next);
        return;
    }
    const QDateTime now = m_options.clock->now();
    const QString marker = runDir(site) + QStringLiteral("/tasks/") + task->name +
                           QLatin1Char('/') + skipMarkerName(task->name);
    writeFile(site, marker, serializeSkipMarker(task->name, a.reason, now), 0600,
              [=, this](Result<void> w) {
                  if (!w) {
                      failed(a, site->name(), w.errorString(), next);
                      return;
                  }
                  TaskRecord &rec = m_record.tasks[a.task];
                  rec.skipReason = a.reason;
                  rec.skippedAt = now;
                  recordThen(a, site->name(), tr("skipped: %1").arg(a.reason), next);
              });
}

void Engine::moveInput(const Action &a, Next next)
{
    const TaskSpec *task = m_workflow.task(a.task);
    const TaskSpec *producer = m_workflow.task(a.input.fromTask);
    Site *from = siteOf(a.fromSite);
    Site *to = siteOf(a.toSite);
    if (!task || !producer || !from || !to) {
        failed(a, a.toSite, tr("the input's task or sites are not known"), next);
        return;
    }
    if (auto ok = protocol::validateRelativePath(a.input.path.toStdString()); !ok) {
        failed(a, a.toSite, qs(ok.errorString()), next);
        return;
    }
    const QString source = workDirectory(*producer, from) + QLatin1Char('/') + a.input.path;
    const QString target = workDirectory(*task, to) + QLatin1Char('/') + a.input.path;
    DataMoveOptions options;
    options.sshConfigFile = m_supervisor->options().sshConfigFile;
    options.maxSftpBytes = m_options.maxInputBytes;
    auto *mover = new DataMover(options, this);
    const QString key = a.task + QLatin1Char('/') + a.input.path;
    m_movers.insert(key, mover);
    connect(mover, &DataMover::progress, this, [this, a](qint64 done, qint64 total) {
        Q_EMIT inputProgress(a.task, a.input.path, done, total);
    });
    Q_EMIT inputMoveStarted(a.task, a.input.path, a.fromSite, a.toSite);
    mover->move(from, source, to, target, [=, this](Result<DataMoveResult> moved) {
        mover->deleteLater();
        m_movers.remove(key);
        Q_EMIT inputMoveEnded(a.task, a.input.path);
        if (!moved) {
            const bool cancelled = moved.error().kind == Error::Kind::Cancelled;
            failed(a, a.toSite,
                   tr("moving %1 from %2 to %3: %4%5")
                       .arg(a.input.path, a.fromSite, a.toSite, moved.errorString(),
                            cancelled ? tr(" (not moved again until the run is followed anew)")
                                      : QString()),
                   next);
            return;
        }
        TaskRecord &rec = m_record.tasks[a.task];
        if (!rec.movedInputs.contains(a.input.path))
            rec.movedInputs << a.input.path;
        const QString how = moved->method == DataMoveResult::Method::Rsync
                                ? tr("by rsync")
                                : tr("through the connections (%1)").arg(moved->whyNotRsync);
        recordThen(a, a.toSite,
                   tr("%1 (%2 bytes) moved from %3 to %4 %5")
                       .arg(a.input.path)
                       .arg(moved->bytes)
                       .arg(a.fromSite, a.toSite, how),
                   next);
    });
}

bool Engine::cancelInputMove(const QString &task, const QString &path)
{
    const QString key = task + QLatin1Char('/') + path;
    DataMover *mover = m_movers.value(key);
    if (!mover || !mover->isMoving())
        return false;
    qCInfo(lcEngine).noquote() << "run" << m_runId << ": the move of" << path << "for task" << task
                               << "is cancelled";
    m_cancelledMoves.insert(key);
    mover->cancel();
    return true;
}

void Engine::finish(const Action &a, Next next)
{
    m_record.finished = taskStateName(a.outcome);
    writeRecord([=, this](Result<void> r) {
        if (!r) {
            m_record.finished.clear(); // planned again next cycle
            failed(a, m_home, r.errorString(), next);
            return;
        }
        if (!m_finishedSaid) {
            m_finishedSaid = true;
            Q_EMIT runFinished(m_record.finished, a.reason);
        }
        done(a, tr("run %1 finished: %2").arg(m_runId, m_record.finished), next);
    });
}

} // namespace vigil::engine
