// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace vigil {

// The name of the account this program runs as: what a decision, a revision
// or an engine's lease records as "who". From the password database (the
// user's own, by uid), else $USER / $LOGNAME, else "uid-N". Safe to call
// from any thread.
QString localUserName();

} // namespace vigil
