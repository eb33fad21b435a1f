// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One run of an example of examples/ on the sandbox cluster, driven as a
// supervisor would: the example's workflow.toml is loaded from the source
// tree, its SLURM sites are pointed at the sandbox (its local site stays
// local, with a temporary run root), the Launcher starts the run, an Engine
// in this process follows it on the Supervisor's refreshes, and decisions are
// written through Supervisor::decide, as `vigilctl decide` writes them.
// Header-only; used by tst_example_*.cpp.

#include "../common/sandboxenv.h"
#include "../ssh/sshtesthelpers.h"
#include "engine/engine.h"
#include "engine/launcher.h"
#include "sites/site.h"
#include "supervisor.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace vigil::exampletest {

using vigil::test::await;

inline QString sourceDir()
{
    return qEnvironmentVariable("VIGIL_SOURCE_DIR");
}

inline QString exampleDir(const QString &name)
{
    return sourceDir() + QStringLiteral("/examples/") + name;
}

// Copies the example's files, as a user would, into `stage`; loads the
// workflow from there. vigil_job.py is not among them: Vigil deploys it to
// each site with the helper and puts it on the jobs' PYTHONPATH.
inline Result<Workflow> stageExample(const QString &name, const QString &stage)
{
    QStringList files;
    const QDir dir(exampleDir(name));
    for (const QFileInfo &f : dir.entryInfoList(QDir::Files | QDir::NoDotAndDotDot))
        files << f.absoluteFilePath();
    for (const QString &f : std::as_const(files)) {
        const QString to = stage + QLatin1Char('/') + QFileInfo(f).fileName();
        if (!QFile::copy(f, to))
            return Error(QStringLiteral("cannot copy %1 to %2").arg(f, to));
    }
    if (files.size() < 3)
        return Error(
            QStringLiteral("%1 has no files (VIGIL_SOURCE_DIR=%2)").arg(dir.path(), sourceDir()));
    return loadWorkflow(stage + QStringLiteral("/workflow.toml"));
}

// The example's SLURM sites on the sandbox; local sites under `localRoot`.
inline void mapSites(Workflow &wf, const test::SandboxEnv &env, const QString &localRoot)
{
    for (SiteSpec &s : wf.sites) {
        if (s.kind == SiteSpec::Kind::Local) {
            s.runRoot = localRoot;
            continue;
        }
        s.host = env.hostAlias;
        s.partition = env.value(QStringLiteral("VIGIL_SANDBOX_PARTITION"));
        s.runRoot = QStringLiteral("vigil-test-examples");
    }
}

// A run of one example: stage, supervisor, launch, engine, decisions, files.
class ExampleRun
{
public:
    // Loads the sandbox, stages and maps the example. error() says what failed.
    explicit ExampleRun(const QString &example)
    {
        m_env = test::SandboxEnv::load();
        if (!m_env.ok()) {
            m_error = m_env.error;
            return;
        }
        if (!m_stage.isValid() || !m_localRoot.isValid()) {
            m_error = QStringLiteral("cannot make temporary directories");
            return;
        }
        auto wf = stageExample(example, m_stage.path());
        if (!wf) {
            m_error = wf.errorString();
            return;
        }
        m_workflow = *wf;
        mapSites(m_workflow, m_env, m_localRoot.path());
        m_runId = Launcher::makeRunId(m_workflow.name);
        SupervisorOptions options;
        options.sshConfigFile = m_env.sshConfig;
        options.hostKeyPolicy = HostKeyPolicy::Strict;
        options.pollSeconds = 1;
        m_supervisor = std::make_unique<Supervisor>(options);
        m_clock.start();
    }
    ~ExampleRun()
    {
        if (m_engine)
            m_engine->stop();
        m_engine.reset();
        m_supervisor.reset();
    }

    QString error() const { return m_error; }
    const Workflow &workflow() const { return m_workflow; }
    QString runId() const { return m_runId; }
    Supervisor *supervisor() const { return m_supervisor.get(); }
    engine::Engine *engine() const { return m_engine.get(); }
    // What the engine said went wrong (failed actions, problems).
    QStringList failures() const { return m_failures; }
    QString failureText() const
    {
        return m_failures.isEmpty() ? QStringLiteral("none")
                                    : m_failures.join(QStringLiteral("; "));
    }

    // Launches the run with the Launcher, then starts the engine on it.
    Result<LaunchResult> launch()
    {
        Launcher launcher(m_supervisor.get(), m_workflow);
        auto launched = await<LaunchResult>(
            [&](QObject *c, Callback<LaunchResult> cb) {
                Q_UNUSED(c);
                launcher.start(m_runId, cb);
            },
            120000);
        if (!launched)
            return launched;
        m_supervisor->start();
        engine::EngineOptions options;
        options.workflow = m_workflow;
        options.lease.heartbeat = std::chrono::seconds(4);
        m_engine = std::make_unique<engine::Engine>(m_supervisor.get(), m_runId, options);
        QObject::connect(m_engine.get(), &engine::Engine::actionFailed, m_engine.get(),
                         [this](const QString &, const QString &e) { m_failures << e; });
        QObject::connect(m_engine.get(), &engine::Engine::problem, m_engine.get(),
                         [this](const QString &e) { m_failures << e; });
        QObject::connect(m_engine.get(), &engine::Engine::runFinished, m_engine.get(),
                         [this](const QString &outcome, const QString &reason) {
                             m_outcome = outcome;
                             m_outcomeReason = reason;
                         });
        m_engine->start();
        return launched;
    }

    // Launches, then waits until checkpoint `id` waits for a decision on
    // `site`. Empty when it does, else what went wrong.
    QString launchUntilCheckpoint(const QString &site, const QString &id, int timeoutMs)
    {
        if (!m_error.isEmpty())
            return m_error;
        auto launched = launch();
        if (!launched)
            return QStringLiteral("launch failed: ") + launched.errorString();
        if (!waitForCheckpoint(site, id, timeoutMs))
            return QStringLiteral("checkpoint %1 did not arrive on %2 within %3 s; engine "
                                  "failures: %4")
                .arg(id, site)
                .arg(timeoutMs / 1000)
                .arg(failureText());
        return {};
    }

    // Seconds since the run was made.
    double elapsed() const { return m_clock.elapsed() / 1000.0; }

    // Waits until checkpoint `id` of the run waits for a decision on `site`.
    bool waitForCheckpoint(const QString &site, const QString &id, int timeoutMs)
    {
        return QTest::qWaitFor(
            [&] {
                const auto cp = m_supervisor->checkpoint(site, m_runId, id);
                return cp && cp->status == CheckpointInfo::Status::Pending;
            },
            timeoutMs);
    }

    std::optional<CheckpointInfo> checkpoint(const QString &site, const QString &id) const
    {
        return m_supervisor->checkpoint(site, m_runId, id);
    }

    // Decides as `vigilctl decide` does: through the Supervisor.
    Result<DecisionOutcome> decide(const QString &site, const QString &checkpoint,
                                   const QString &option, const QJsonObject &params = {})
    {
        DecisionInput in;
        in.site = site;
        in.runId = m_runId;
        in.checkpointId = checkpoint;
        in.option = option;
        in.params = params;
        in.comment =
            QStringLiteral("decided by %1").arg(QLatin1String(QTest::currentTestFunction()));
        return await<DecisionOutcome>(
            [&](QObject *c, Callback<DecisionOutcome> cb) { m_supervisor->decide(in, c, cb); });
    }

    // Decides and checks that this decision holds: empty, else why not.
    QString decideFirst(const QString &site, const QString &checkpoint, const QString &option,
                        const QJsonObject &params = {})
    {
        auto out = decide(site, checkpoint, option, params);
        if (!out)
            return out.errorString();
        if (!out->won)
            return QStringLiteral("%1 decided %2 first").arg(out->decidedBy, out->option);
        return {};
    }

    // Waits until the run finishes "done": empty when it does, else how it
    // ended (or that it did not) and what the engine said went wrong.
    QString waitUntilDone(int timeoutMs)
    {
        if (!QTest::qWaitFor([this] { return !m_outcome.isEmpty(); }, timeoutMs))
            return QStringLiteral("the run did not finish within %1 s; engine failures: %2")
                .arg(timeoutMs / 1000)
                .arg(failureText());
        if (m_outcome != QLatin1String("done"))
            return QStringLiteral("the run finished %1 (%2); engine failures: %3")
                .arg(m_outcome, m_outcomeReason, failureText());
        return {};
    }

    QString runDir(const QString &site) const
    {
        Site *s = m_supervisor->site(site);
        return s ? s->runDirectory(m_runId) : QString();
    }

    // A file of the run directory on `site` (relative path), up to 1 MiB.
    Result<QByteArray> read(const QString &site, const QString &relativePath)
    {
        Site *s = m_supervisor->site(site);
        if (!s)
            return Error(QStringLiteral("no site %1").arg(site));
        const QString path = runDir(site) + QLatin1Char('/') + relativePath;
        return await<QByteArray>([&](QObject *c, Callback<QByteArray> cb) {
            s->transport()->readFile(path, 0, 1 << 20, c, [cb](Result<FileChunk> r) {
                if (r)
                    cb(r->data);
                else
                    cb(r.error());
            });
        });
    }

    // A JSON object file of the run directory; an empty object (and a
    // warning) when it cannot be read.
    QJsonObject readJson(const QString &site, const QString &relativePath)
    {
        auto bytes = read(site, relativePath);
        if (!bytes) {
            qWarning().noquote() << site << relativePath << bytes.errorString();
            return {};
        }
        return QJsonDocument::fromJson(*bytes).object();
    }

    // Every job of a task the site knows (queued, or finished per accounting).
    Result<QList<JobInfo>> jobsOf(const QString &site, const QString &task)
    {
        Site *s = m_supervisor->site(site);
        if (!s)
            return Error(QStringLiteral("no site %1").arg(site));
        const QString dir = runDir(site);
        const JobLookup lookup{m_runId, task, dir, dir + QStringLiteral("/tasks/") + task,
                               QDateTime::currentDateTimeUtc().addDays(-1)};
        return await<QList<JobInfo>>(
            [&](QObject *c, Callback<QList<JobInfo>> cb) { s->findTaskJobs(lookup, c, cb); });
    }

    engine::TaskState state(const QString &task) const
    {
        return m_engine ? m_engine->states().value(task).state : engine::TaskState::Pending;
    }

private:
    test::SandboxEnv m_env;
    QTemporaryDir m_stage;
    QTemporaryDir m_localRoot;
    Workflow m_workflow;
    QString m_runId;
    QString m_error;
    std::unique_ptr<Supervisor> m_supervisor;
    std::unique_ptr<engine::Engine> m_engine;
    QStringList m_failures;
    QString m_outcome;
    QString m_outcomeReason;
    QElapsedTimer m_clock;
};

} // namespace vigil::exampletest
