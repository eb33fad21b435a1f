// SPDX-License-Identifier: GPL-3.0-or-later
#include "launcher.h"

#include "logging.h"
#include "protocol/format.h"
#include "protocol/ids.h"
#include "protocol/run.h"
#include "protocol/timeutil.h"
#include "shellquote.h"
#include "sites/container.h"
#include "sites/site.h"
#include "submitter.h"
#include "supervisor.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <nlohmann/json.hpp>

namespace vigil {

namespace {
constexpr qint64 kMaxInputBytes = 256 * 1024 * 1024;

QByteArray submissionJson(const QString &site, const QString &jobId)
{
    nlohmann::json doc = {
        {"format", protocol::formatHeader(protocol::kSubmissionFormat)},
        {"job_id", jobId.toStdString()},
        {"site", site.toStdString()},
        {"submitted_at", protocol::formatUtc(protocol::now())},
    };
    return QByteArray::fromStdString(protocol::dumpFile(doc));
}

QList<TaskSpec> topologicalOrder(const Workflow &wf)
{
    QList<TaskSpec> order;
    QSet<QString> placed;
    while (order.size() < wf.tasks.size()) {
        bool progressed = false;
        for (const TaskSpec &t : wf.tasks) {
            if (placed.contains(t.name))
                continue;
            bool ready = true;
            for (const QString &d : t.after)
                ready = ready && placed.contains(d);
            if (ready) {
                order << t;
                placed.insert(t.name);
                progressed = true;
            }
        }
        if (!progressed)
            break; // a cycle: loadWorkflow refuses those already
    }
    return order;
}

// The directory a task runs in, as a shell word: the task's work_dir, else
// the site's, else the run directory; a relative one is inside the run
// directory.
QString workDirectoryWord(const TaskSpec &task, const SiteSpec &site)
{
    const QString dir = task.workDirectory.isEmpty() ? site.workDirectory : task.workDirectory;
    if (dir.isEmpty())
        return QStringLiteral("\"$VIGIL_RUN_DIR\"");
    if (dir.startsWith(QLatin1Char('/')))
        return shellQuote(dir);
    return QStringLiteral("\"$VIGIL_RUN_DIR\"/") + shellQuote(dir);
}
} // namespace

QStringList Launcher::tasksForLaunch(const Workflow &wf)
{
    QSet<QString> chosen; // named by an option of a gate: the gate's decision comes first
    for (const TaskSpec &g : wf.tasks)
        if (g.isGate())
            for (const GateOption &o : g.gate.options)
                for (const QString &t : o.enables + o.skips)
                    chosen.insert(t);
    QStringList out;
    for (const TaskSpec &t : topologicalOrder(wf)) {
        const SiteSpec *site = wf.site(t.site);
        if (t.isGate() || chosen.contains(t.name) || !site)
            continue;
        // SLURM chains `after` edges inside one site; a process site has no
        // scheduler to wait for anything.
        bool alone = site->kind == SiteSpec::Kind::Slurm || t.after.isEmpty();
        for (const QString &d : t.after) {
            const TaskSpec *dep = wf.task(d);
            alone = alone && dep && out.contains(d) && dep->site == t.site;
        }
        // Another task's output: in this run directory once that task has
        // run, if the launcher chains it before this one (the loader makes
        // sure the producer comes before); else the engine moves it.
        for (const DataInput &in : t.inputs)
            alone = alone && (in.fromTask.isEmpty() || out.contains(in.fromTask));
        if (alone)
            out << t.name;
    }
    return out;
}

QString Launcher::arraySpec(const TaskSpec &task)
{
    if (task.sweep.isEmpty())
        return task.array;
    QString spec = QStringLiteral("0-%1").arg(task.sweep.size() - 1);
    if (task.sweepParallel > 0)
        spec += QLatin1Char('%') + QString::number(task.sweepParallel);
    return spec;
}

Launcher::Launcher(Supervisor *supervisor, Workflow workflow, QObject *parent)
    : QObject(parent), m_supervisor(supervisor), m_workflow(std::move(workflow))
{}

QString Launcher::makeRunId(const QString &workflowName)
{
    const QString stamp =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QString suffix = QString::number(QRandomGenerator::global()->bounded(0x10000), 16)
                               .rightJustified(4, QLatin1Char('0'));
    // Keep within the 64-character id limit.
    return workflowName.left(64 - 21) + QLatin1Char('-') + stamp + QLatin1Char('-') + suffix;
}

QString Launcher::logPath(const TaskSpec &task, const QString &taskDir)
{
    return taskDir + (arraySpec(task).isEmpty() ? QStringLiteral("/output.log")
                                                : QStringLiteral("/output_%a.log"));
}

Result<QByteArray> Launcher::jobScript(const TaskSpec &task, const SiteSpec &site,
                                       const QString &runId, const QString &runDir,
                                       const QString &helperPath, const QString &pythonDirectory)
{
    if (pythonDirectory.contains(QLatin1Char(':')))
        return Error(tr("task %1: the directory of vigil_job.py, %2, contains ':', which "
                        "PYTHONPATH cannot hold")
                         .arg(task.name, pythonDirectory),
                     Error::Kind::Malformed);
    // A script next to the workflow was uploaded into the run directory.
    QStringList command =
        task.script.isEmpty()
            ? task.command
            : QStringList{QStringLiteral("sh"), runDir + QLatin1Char('/') + task.script};
    if (!task.container.isEmpty()) {
        auto runtime = container::effectiveRuntime(task.container, site);
        if (!runtime)
            return Error(tr("task %1: %2").arg(task.name, runtime.errorString()),
                         Error::Kind::Malformed);
        container::RunContext ctx{runDir, helperPath, runId, task.name, task.environment.keys()};
        if (!task.sweep.isEmpty())
            for (const QString &name : task.sweep.first().keys())
                ctx.passEnvironment << QStringLiteral("VIGIL_PARAM_") + name.toUpper();
        if (site.kind == SiteSpec::Kind::Slurm)
            ctx.passEnvironment << container::slurmEnvironment();
        auto wrapped = container::wrapCommand(task.container, *runtime, ctx, command);
        if (!wrapped)
            return Error(tr("task %1: %2").arg(task.name, wrapped.errorString()),
                         Error::Kind::Malformed);
        command = *wrapped;
    }
    QString s;
    s += QStringLiteral("#!/bin/sh\n# Written by Vigil for run %1, task %2.\n")
             .arg(runId, task.name);
    s += QStringLiteral("export VIGIL_RUN_DIR=%1\n").arg(shellQuote(runDir));
    s += QStringLiteral("export VIGIL_RUN_ID=%1\n").arg(shellQuote(runId));
    s += QStringLiteral("export VIGIL_TASK=%1\n").arg(shellQuote(task.name));
    s += QStringLiteral("export VIGIL_JOB=%1\n").arg(shellQuote(helperPath));
    for (auto it = task.environment.cbegin(); it != task.environment.cend(); ++it)
        s += QStringLiteral("export %1=%2\n")
                 .arg(it.key(), shellQuote(it.value())); // key validated on load
    // vigil_job.py first; the task's own PYTHONPATH, or the one the job
    // inherits, after it.
    if (!pythonDirectory.isEmpty())
        s += QStringLiteral("export PYTHONPATH=%1\"${PYTHONPATH:+:$PYTHONPATH}\"\n")
                 .arg(shellQuote(pythonDirectory));
    if (!task.sweep.isEmpty()) {
        // Element i of the job array gets sweep set i (names checked on load).
        s += QStringLiteral("case \"${SLURM_ARRAY_TASK_ID:-}\" in\n");
        for (qsizetype i = 0; i < task.sweep.size(); ++i) {
            s += QStringLiteral("%1)").arg(i);
            const auto &set = task.sweep[i];
            for (auto it = set.cbegin(); it != set.cend(); ++it)
                s += QStringLiteral(" export VIGIL_PARAM_%1=%2;")
                         .arg(it.key().toUpper(), shellQuote(it.value()));
            s += QStringLiteral(" ;;\n");
        }
        s += QStringLiteral("*) echo \"vigil: no sweep set for array element "
                            "${SLURM_ARRAY_TASK_ID:-?}\" >&2; exit 1 ;;\nesac\n");
    }
    const QString workDir = workDirectoryWord(task, site);
    s += QStringLiteral("mkdir -p -- %1 && cd -- %1 || exit 1\n").arg(workDir);
    // The declared outputs' directories exist before the command runs.
    QStringList outputDirs;
    for (const QString &out : task.outputs)
        if (const QString d = QFileInfo(out).path();
            d != QLatin1String(".") && !outputDirs.contains(d))
            outputDirs << d;
    if (!outputDirs.isEmpty())
        s += QStringLiteral("mkdir -p -- %1 || exit 1\n").arg(shellJoin(outputDirs));
    QStringList argv{QStringLiteral("task-exec"), QStringLiteral("--task"), task.name,
                     QStringLiteral("--")};
    argv << command;
    s += QStringLiteral("exec \"$VIGIL_JOB\" %1\n").arg(shellJoin(argv));
    return s.toUtf8();
}

void Launcher::start(const QString &runId, Callback<LaunchResult> done)
{
    m_done = std::move(done);
    if (m_resume && runId.isEmpty()) {
        fail(Error(tr("resuming a launch needs the run id of the interrupted launch"),
                   Error::Kind::Malformed));
        return;
    }
    m_result.runId = runId.isEmpty() ? makeRunId(m_workflow.name) : runId;
    if (auto ok = protocol::validateId(m_result.runId.toStdString(), "run id"); !ok) {
        fail(Error(QString::fromStdString(ok.errorString()), Error::Kind::Malformed));
        return;
    }
    m_order = topologicalOrder(m_workflow);
    m_launch = tasksForLaunch(m_workflow);
    for (const TaskSpec &t : std::as_const(m_order)) {
        if (t.isGate())
            continue; // not submitted: see submitTask()
        if (!m_siteNames.contains(t.site))
            m_siteNames << t.site;
        if (!m_launch.contains(t.name))
            m_result.engineTasks << t.name;
    }
    for (const QString &name : std::as_const(m_siteNames)) {
        if (!m_supervisor->site(name))
            m_supervisor->addSite(*m_workflow.site(name));
    }
    // Said first: a launch interrupted after this line is resumed by this id.
    Q_EMIT progress(tr("Launching run %1").arg(m_result.runId));
    prepareSites(0);
}

void Launcher::fail(const Error &error)
{
    Error e = error;
    if (!m_result.jobIds.isEmpty()) {
        QStringList submitted;
        for (auto it = m_result.jobIds.cbegin(); it != m_result.jobIds.cend(); ++it)
            submitted << QStringLiteral("%1 (job %2)").arg(it.key(), it.value());
        e.message += tr(" (run %1 already has these tasks submitted: %2)")
                         .arg(m_result.runId, submitted.join(QStringLiteral(", ")));
    }
    if (auto done = std::exchange(m_done, nullptr))
        done(e);
}

void Launcher::prepareSites(int index)
{
    if (index >= m_siteNames.size()) {
        submitTask(0);
        return;
    }
    Site *site = m_supervisor->site(m_siteNames[index]);
    Q_EMIT progress(tr("Preparing site %1").arg(site->name()));
    site->ensureHelper(this, [this, site, index](Result<QString> helper) {
        if (!helper) {
            fail(helper.error());
            return;
        }
        const QString dir = site->runDirectory(m_result.runId);
        m_supervisor->site(site->name())
            ->transport()
            ->makeDirectories(site->runRoot(), 0700, this, [=, this](Result<void> mk) {
                if (!mk) {
                    fail(mk.error());
                    return;
                }
                const QStringList argv{*helper,
                                       QStringLiteral("init-run"),
                                       QStringLiteral("--run-dir"),
                                       dir,
                                       QStringLiteral("--run-id"),
                                       m_result.runId,
                                       QStringLiteral("--workflow-name"),
                                       m_workflow.name};
                site->transport()->exec(argv, {}, this, [=, this](Result<ExecResult> r) {
                    if (!r || r->exitCode != 0) {
                        fail(r ? Error(tr("cannot create the run directory %1 on %2: %3")
                                           .arg(dir, site->name(),
                                                QString::fromUtf8(r->err).trimmed()))
                               : r.error());
                        return;
                    }
                    // A run id names one run: never launch into an existing
                    // one, but for resuming its own interrupted launch.
                    const auto out = nlohmann::json::parse(r->out.toStdString(), nullptr, false);
                    if (!out.is_object() || !out.contains("created")) {
                        fail(Error(tr("cannot create the run directory %1 on %2: vigil-job "
                                      "printed \"%3\"")
                                       .arg(dir, site->name(),
                                            QString::fromUtf8(r->out.left(200)).trimmed()),
                                   Error::Kind::Malformed));
                        return;
                    }
                    const bool created = out.value("created", false);
                    if (!created && !m_resume) {
                        fail(Error(tr("run %1 already exists on %2 (%3): choose another run id, "
                                      "or resume its interrupted launch (vigilctl launch "
                                      "--resume --run %1)")
                                       .arg(m_result.runId, site->name(), dir),
                                   Error::Kind::AlreadyExists));
                        return;
                    }
                    QStringList files{QFileInfo(m_workflow.sourcePath).fileName()};
                    for (const TaskSpec &t : std::as_const(m_order)) {
                        if (t.isGate() || t.site != site->name())
                            continue;
                        if (!t.script.isEmpty() && !files.contains(t.script))
                            files << t.script;
                        for (const DataInput &in : t.inputs)
                            if (in.fromTask.isEmpty() && !files.contains(in.path))
                                files << in.path;
                    }
                    auto upload = [this, site, files, index] {
                        uploadInputs(site, files, [this, index] { prepareSites(index + 1); });
                    };
                    if (created) {
                        if (!m_createdAt.isValid())
                            m_createdAt = QDateTime::currentDateTimeUtc();
                        upload();
                    } else {
                        checkResumable(site, upload);
                    }
                });
            });
    });
}

void Launcher::checkResumable(Site *site, std::function<void()> next)
{
    Q_EMIT progress(tr("Resuming the launch of run %1 on %2").arg(m_result.runId, site->name()));
    m_supervisor->readRunFile(
        site->name(), m_result.runId, QStringLiteral("run.json"), 1024 * 1024, this,
        [this, site, next = std::move(next)](Result<QByteArray> text) {
            if (!text) {
                fail(text.error());
                return;
            }
            const auto info = protocol::parseRunInfo(text->toStdString());
            if (!info) {
                fail(Error(QString::fromStdString(info.errorString()), Error::Kind::Malformed));
                return;
            }
            if (QString::fromStdString(info->workflowName) != m_workflow.name) {
                fail(Error(tr("run %1 on %2 is a run of workflow \"%3\", not of \"%4\": it "
                              "cannot be resumed with this workflow")
                               .arg(m_result.runId, site->name(),
                                    QString::fromStdString(info->workflowName), m_workflow.name),
                           Error::Kind::AlreadyExists));
                return;
            }
            const QDateTime created =
                QDateTime::fromSecsSinceEpoch(info->createdAt.time_since_epoch().count(), Qt::UTC);
            if (!m_createdAt.isValid() || created < m_createdAt)
                m_createdAt = created;
            next();
        });
}

void Launcher::uploadInputs(Site *site, QStringList files, std::function<void()> next)
{
    if (files.isEmpty()) {
        next();
        return;
    }
    const QString rel = files.takeFirst();
    const QDir base = QFileInfo(m_workflow.sourcePath).absoluteDir();
    QFile f(base.filePath(rel));
    // The workflow itself travels as workflow.toml: the run's revision.
    const bool isWorkflow =
        rel == QFileInfo(m_workflow.sourcePath).fileName() &&
        QFileInfo(f).canonicalFilePath() == QFileInfo(m_workflow.sourcePath).canonicalFilePath();
    if (QFileInfo(f).isSymLink() || !f.open(QIODevice::ReadOnly) || f.size() > kMaxInputBytes) {
        fail(Error(tr("cannot read input %1: %2")
                       .arg(f.fileName(), f.size() > kMaxInputBytes ? tr("larger than 256 MiB")
                                                                    : f.errorString())));
        return;
    }
    const QByteArray data = isWorkflow && !m_workflowText.isEmpty() ? m_workflowText : f.readAll();
    const QString dir = site->runDirectory(m_result.runId);
    const QString target =
        dir + QLatin1Char('/') + (isWorkflow ? QStringLiteral("workflow.toml") : rel);
    const quint32 mode = QFileInfo(f).isExecutable() ? 0700 : 0600;
    if (isWorkflow && m_resume) {
        // The run's first revision: uploaded once; a resumed launch must be
        // of the same text (every engine follows what was uploaded).
        const QString local = f.fileName();
        m_supervisor->readRunFile(
            site->name(), m_result.runId, QStringLiteral("workflow.toml"), kMaxInputBytes, this,
            [=, this](Result<QByteArray> remote) {
                if (remote && *remote != data) {
                    fail(Error(tr("run %1 on %2 was launched from another version of the "
                                  "workflow (its workflow.toml differs from %3): it cannot be "
                                  "resumed with this one")
                                   .arg(m_result.runId, site->name(), local),
                               Error::Kind::AlreadyExists));
                } else if (remote) {
                    uploadInputs(site, files, next); // there already
                } else if (remote.error().kind != Error::Kind::NotFound) {
                    fail(remote.error());
                } else {
                    upload(site, target, data, mode,
                           [=, this] { uploadInputs(site, files, next); });
                }
            });
        return;
    }
    Q_EMIT progress(tr("Uploading %1 to %2").arg(rel, site->name()));
    upload(site, target, data, mode, [=, this] { uploadInputs(site, files, next); });
}

void Launcher::upload(Site *site, const QString &target, const QByteArray &data, quint32 mode,
                      std::function<void()> next)
{
    const QString parent = QFileInfo(target).path();
    site->transport()->makeDirectories(parent, 0700, this, [=, this](Result<void> mk) {
        if (!mk) {
            fail(mk.error());
            return;
        }
        site->transport()->writeFileAtomic(target, data, mode, this, [=, this](Result<void> w) {
            if (!w) {
                fail(w.error());
                return;
            }
            next();
        });
    });
}

void Launcher::submitTask(int index)
{
    if (index >= m_order.size()) {
        if (auto done = std::exchange(m_done, nullptr))
            done(m_result);
        return;
    }
    const TaskSpec task = m_order[index];
    // The launcher submits what SLURM carries alone. A gate is the engine's:
    // it posts the question when the tasks before it are done and acts on
    // the decision; so are the tasks after it (submitted with the gate's
    // params), cross-site edges and ordered tasks on process sites.
    if (!m_launch.contains(task.name)) {
        submitTask(index + 1);
        return;
    }
    Site *site = m_supervisor->site(task.site);
    const QString dir = site->runDirectory(m_result.runId);
    const QString taskDir = dir + QStringLiteral("/tasks/") + task.name;
    const QString script = taskDir + QStringLiteral("/job.sh");
    const auto made = jobScript(task, site->spec(), m_result.runId, dir, site->helperPath(),
                                site->pythonDirectory());
    if (!made) {
        fail(made.error());
        return;
    }
    const QByteArray body = *made;
    site->transport()->makeDirectories(taskDir, 0700, this, [=, this](Result<void> mk) {
        if (!mk) {
            fail(mk.error());
            return;
        }
        site->transport()->writeFileAtomic(script, body, 0700, this, [=, this](Result<void> w) {
            if (!w) {
                fail(w.error());
                return;
            }
            Submission s;
            s.runId = m_result.runId;
            s.task = task.name;
            s.scriptPath = script;
            s.workDirectory = dir;
            s.logPath = logPath(task, taskDir);
            s.array = arraySpec(task);
            s.resources = task.resources;
            if (s.resources.qos.isEmpty())
                s.resources.qos = site->spec().qos; // sbatchArgs takes no site defaults for it
            for (const QString &dep : task.after)   // each submitted before, on this site
                s.afterOk << m_result.jobIds.value(dep);
            // A process site records the start (attempt-0.pid, created
            // no-clobber): a resumed launch finds it instead of starting
            // the task again.
            s.recordDirectory = taskDir;
            Q_EMIT progress(tr("Submitting %1 to %2").arg(task.name, site->name()));
            if (!m_resume) {
                site->submit(s, this, [=, this](Result<QString> id) {
                    if (!id) {
                        fail(Error(tr("submitting task %1 to %2 failed: %3")
                                       .arg(task.name, site->name(), id.errorString())));
                        return;
                    }
                    submitted(index, site, taskDir, *id, false);
                });
                return;
            }
            const JobLookup lookup{m_result.runId, task.name, dir, taskDir,
                                   m_createdAt.addSecs(-60)};
            engine::submitOnce(
                site, s, lookup, {}, this, [=, this](Result<engine::SubmitOutcome> out) {
                    if (!out) {
                        fail(Error(tr("submitting task %1 to %2 failed: %3")
                                       .arg(task.name, site->name(), out.errorString())));
                        return;
                    }
                    submitted(index, site, taskDir, out->jobId, out->adopted);
                });
        });
    });
}

void Launcher::submitted(int index, Site *site, const QString &taskDir, const QString &jobId,
                         bool adopted)
{
    const QString task = m_order[index].name;
    if (adopted)
        Q_EMIT progress(tr("Task %1 is job %2 on %3 already: adopted, not submitted again")
                            .arg(task, jobId, site->name()));
    else
        qCInfo(lcEngine).noquote()
            << "submitted" << task << "as job" << jobId << "on" << site->name();
    m_result.jobIds.insert(task, jobId);
    // The run directory records the job id at once, so that every desktop
    // can follow the job before the task itself reports.
    site->transport()->writeFileAtomic(
        taskDir + QStringLiteral("/submission.json"), submissionJson(site->name(), jobId), 0600,
        this, [=, this](Result<void> rec) {
            if (!rec) {
                fail(Error(tr("task %1 was submitted as job %2 on %3, but recording it in the "
                              "run directory failed: %4")
                               .arg(task, jobId, site->name(), rec.errorString())));
                return;
            }
            submitTask(index + 1);
        });
}

} // namespace vigil
