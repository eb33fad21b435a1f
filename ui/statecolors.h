// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/statefmt.h"
#include "transport.h"

#include <QColor>
#include <QIcon>

namespace vigil {

// Mid-tone colours for states, readable on light and dark palettes alike.
// An invalid colour means "no state colour": use the palette.
QColor stateColor(StateClass state);
QColor connectionColor(Transport::State state);
// The colour for "needs attention" (pending checkpoints, stale data).
QColor attentionColor();

// A small filled circle in `color` (cached).
QIcon dotIcon(const QColor &color);

} // namespace vigil
