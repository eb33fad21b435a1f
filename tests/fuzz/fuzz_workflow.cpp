// SPDX-License-Identifier: GPL-3.0-or-later
// Workflow TOML files (toml++): vigil::checkWorkflow, and saving what it
// accepts: parse(save(w)) == w and save(parse(save(w))) == save(w).

#include "fuzzcheck.h"
#include "workflow/workflow.h"
#include "workflow/writer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const vigil::WorkflowCheck check = vigil::checkWorkflow(input, QStringLiteral("fuzz.toml"));
    for (const vigil::WorkflowProblem &p : check.problems)
        FUZZ_CHECK(!p.message.isEmpty() && p.line >= 0 && p.column >= 0);
    if (!check.ok())
        return 0;
    const vigil::Workflow &wf = check.workflow;
    for (const vigil::TaskSpec &task : wf.tasks) {
        // Every job names a site the workflow declares; dependencies exist.
        FUZZ_CHECK(wf.task(task.name) != nullptr);
        FUZZ_CHECK(task.isGate() || wf.site(task.site) != nullptr);
        for (const QString &dep : task.after)
            FUZZ_CHECK(wf.task(dep) != nullptr);
    }
    const QByteArray saved = vigil::workflowToToml(wf);
    auto again = vigil::parseWorkflow(saved, QStringLiteral("saved.toml"));
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(*again == wf);
    FUZZ_CHECK(vigil::workflowToToml(*again) == saved);
    return 0;
}
