// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Writing a workflow as TOML in one stable layout, so that saved files diff
// well: [workflow], then each [sites.NAME], then each [tasks.NAME] with its
// [tasks.NAME.resources] and [tasks.NAME.environment], in the workflow's
// order, every table's keys in a fixed order (docs/workflow-format.md lists
// it). Unset keys (empty, 0, the default) are left out. Comments of a file
// written by hand are not kept (the TOML reader does not see them).

#include "result.h"
#include "workflow.h"

#include <QByteArray>

namespace vigil {

QByteArray workflowToToml(const Workflow &workflow);
// One [sites.NAME] table in the same layout (the site registry's format is
// made of these).
QString siteToToml(const SiteSpec &site);

// Writes workflowToToml() to `path` atomically (QSaveFile: a temporary file,
// then a rename), so that a failure never leaves a half-written file.
Result<void> saveWorkflow(const Workflow &workflow, const QString &path);

} // namespace vigil
