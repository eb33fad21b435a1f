// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// For the bundle tests: an export waited for, and a tool run to completion.

#include "../ssh/sshtesthelpers.h"
#include "bundle/bundleexport.h"

#include <QProcess>

namespace vigil::test {

inline Result<bundle::Manifest> exportWait(Site *site, const QString &run,
                                           bundle::ExportOptions options)
{
    bundle::Export e(site, run, std::move(options));
    return await<bundle::Manifest>(
        [&](QObject *, Callback<bundle::Manifest> cb) { e.start(std::move(cb)); }, 60000);
}

struct ToolRun
{
    int exitCode = -1;
    QByteArray out;
};

// `program args` in `dir` (empty: here), with `env` (empty: this process's);
// its exit code and output (stdout and stderr).
inline ToolRun tool(const QString &program, const QStringList &args, const QString &dir = {},
                    const QProcessEnvironment &env = {})
{
    QProcess p;
    if (!env.isEmpty())
        p.setProcessEnvironment(env);
    if (!dir.isEmpty())
        p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit)
        return {};
    return {p.exitCode(), p.readAllStandardOutput()};
}

} // namespace vigil::test
