// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A gated workflow on the sandbox's SLURM site, for the engine's tests:
// prep -> gate (go enables train with a param lr, stop skips it) -> train.
// prep appends its job id to prep-runs.txt and train its VIGIL_PARAM_LR to
// train-lr.txt, in the run directory: one line per run of each.

#include "sandboxenv.h"

#include <QByteArray>
#include <QString>

namespace vigil::test {

inline QByteArray gatedWorkflowToml(const SandboxEnv &env, const QString &name,
                                    const QString &runRoot)
{
    return QStringLiteral(
               "[workflow]\nname = \"%1\"\n"
               "[sites.cluster]\nkind = \"slurm\"\nhost = \"%2\"\n"
               "partition = \"%3\"\nrun_root = \"%4\"\n"
               "[tasks.prep]\nsite = \"cluster\"\n"
               "command = [\"sh\", \"-c\", \"echo \\\"$SLURM_JOB_ID\\\" >> prep-runs.txt\"]\n"
               "[tasks.prep.resources]\ntime = \"00:05:00\"\n"
               "[tasks.gate]\nkind = \"gate\"\nafter = [\"prep\"]\nquestion = \"Train?\"\n"
               "options = [{ name = \"go\", enables = [\"train\"] },\n"
               "           { name = \"stop\", skips = [\"train\"] }]\n"
               "params = [{ name = \"lr\", type = \"number\", default = 0.01 }]\n"
               "[tasks.train]\nsite = \"cluster\"\nafter = [\"gate\"]\n"
               "command = [\"sh\", \"-c\", \"echo \\\"$VIGIL_PARAM_LR\\\" >> train-lr.txt\"]\n"
               "[tasks.train.resources]\ntime = \"00:05:00\"\n")
        .arg(name, env.hostAlias, env.value(QStringLiteral("VIGIL_SANDBOX_PARTITION")), runRoot)
        .toUtf8();
}

} // namespace vigil::test
