// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The workflow the editor's tests edit: a local and a SLURM site;
// prep -> train -> review (a gate choosing report) -> report.

#include "workflow/workflow.h"

namespace vigil::test {

inline Workflow editorSample()
{
    const QByteArray toml = "[workflow]\nname = \"edit\"\n"
                            "[sites.here]\nkind = \"local\"\n"
                            "[sites.cluster]\nkind = \"slurm\"\nhost = \"mn5\"\n"
                            "[tasks.prep]\nsite = \"here\"\ncommand = [\"true\"]\n"
                            "[tasks.train]\nsite = \"cluster\"\nafter = [\"prep\"]\n"
                            "command = [\"python3\", \"train.py\"]\n"
                            "[tasks.review]\nkind = \"gate\"\nafter = [\"train\"]\n"
                            "question = \"Report?\"\n"
                            "options = [{ name = \"yes\", enables = [\"report\"] },\n"
                            "           { name = \"no\", skips = [\"report\"] }]\n"
                            "[tasks.report]\nsite = \"here\"\nafter = [\"review\"]\n"
                            "command = [\"true\"]\n";
    const WorkflowCheck check = checkWorkflow(toml, QStringLiteral("sample"));
    if (!check.ok())
        qWarning("editor sample: %s", qPrintable(check.problems.first().toString()));
    return check.workflow;
}

} // namespace vigil::test
