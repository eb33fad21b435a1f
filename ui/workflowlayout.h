// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "workflow/workflow.h"

#include <QHash>
#include <QPointF>
#include <QSizeF>

namespace vigil {

// Top-left corners of the task nodes. When every task has an editor position,
// those are used; otherwise a layered left-to-right layout: a task's layer is
// the length of the longest `after` chain leading to it, each layer is a
// column ordered by the mean row of its predecessors, and columns are centred
// on y = 0.
QHash<QString, QPointF> layoutWorkflow(const Workflow &workflow, QSizeF node, QSizeF gap);

// The layer of every task (0 for tasks without dependencies).
QHash<QString, int> workflowLayers(const Workflow &workflow);

} // namespace vigil
