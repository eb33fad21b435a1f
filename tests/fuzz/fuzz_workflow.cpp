// SPDX-License-Identifier: GPL-3.0-or-later
// Workflow TOML files (toml++): vigil::parseWorkflow.

#include "fuzzcheck.h"
#include "workflow/workflow.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    if (auto wf = vigil::parseWorkflow(input, QStringLiteral("fuzz.toml"))) {
        for (const vigil::TaskSpec &task : wf->tasks) {
            // Every task names a site the workflow declares, and its dependencies exist.
            FUZZ_CHECK(wf->task(task.name) != nullptr);
            (void)wf->site(task.site);
        }
    } else {
        FUZZ_CHECK(!wf.errorString().isEmpty());
    }
    return 0;
}
