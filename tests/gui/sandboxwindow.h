// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The window on a workflow whose sites are the sandbox cluster's, with a run
// of it launched: what the window tests against the sandbox share.

#include "../common/sandboxenv.h"
#include "engine/launcher.h"
#include "mainwindow.h"
#include "store/store.h"
#include "supervisor.h"
#include "workflow/workflow.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <optional>

namespace vigil::test {

class SandboxWindow
{
public:
    // Writes `workflowToml` ("%1" stands for the sandbox's Host alias) into a
    // temporary directory with copies of `inputs` (paths below the source
    // tree), opens the window on it (with a local store when `withStore`),
    // launches a run and starts the Supervisor's refresh cycles (every 1 s).
    // False with `error` set when any step fails.
    bool start(const QString &workflowToml, const QStringList &inputs = {}, bool withStore = false)
    {
        env = SandboxEnv::load();
        if (!env.ok())
            return fail(env.error);
        for (const QString &input : inputs) {
            const QString from =
                qEnvironmentVariable("VIGIL_SOURCE_DIR") + QLatin1Char('/') + input;
            if (!QFile::copy(from, dir.filePath(input.section(QLatin1Char('/'), -1))))
                return fail(QStringLiteral("cannot copy %1").arg(from));
        }
        QFile f(dir.filePath(QStringLiteral("workflow.toml")));
        if (!f.open(QIODevice::WriteOnly) || f.write(workflowToml.arg(env.hostAlias).toUtf8()) < 0)
            return fail(QStringLiteral("cannot write %1").arg(f.fileName()));
        f.close();
        Result<Workflow> wf = loadWorkflow(f.fileName());
        if (!wf)
            return fail(wf.errorString());
        workflow = *wf;

        SupervisorOptions options;
        if (withStore) {
            store = std::make_unique<Store>(dir.filePath(QStringLiteral("store.sqlite")));
            options.store = store.get();
        }
        options.sshConfigFile = env.sshConfig;
        options.hostKeyPolicy = HostKeyPolicy::Strict;
        options.pollSeconds = 1;
        supervisor = std::make_unique<Supervisor>(options);
        for (const SiteSpec &s : workflow.sites)
            supervisor->addSite(s);
        window = std::make_unique<MainWindow>(supervisor.get());
        window->setWorkflow(workflow);
        window->show();

        Launcher launcher(supervisor.get(), workflow);
        std::optional<Result<LaunchResult>> result;
        launcher.start(QString(), [&](Result<LaunchResult> r) { result.emplace(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 30000))
            return fail(QStringLiteral("the launch did not end within 30 s"));
        if (!*result)
            return fail(result->errorString());
        launched = **result;
        supervisor->start();
        return true;
    }

    SandboxEnv env;
    QTemporaryDir dir;
    Workflow workflow;
    std::unique_ptr<Store> store;
    std::unique_ptr<Supervisor> supervisor;
    std::unique_ptr<MainWindow> window; // after supervisor and store: destroyed before them
    LaunchResult launched;
    QString error;

private:
    bool fail(const QString &why)
    {
        error = why;
        return false;
    }
};

} // namespace vigil::test
