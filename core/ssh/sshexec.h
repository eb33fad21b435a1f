// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/transport.h"

namespace vigil::ssh {

struct Session;

// Most output (stdout + stderr) one exec collects before it gives up.
inline constexpr qint64 kMaxExecOutput = qint64(64) << 20;

// Runs shellJoin(argv) on a new channel of the session, writes standardInput,
// sends EOF and collects stdout, stderr and the exit status.
Result<ExecResult> runExec(Session &session, const QStringList &argv,
                           const QByteArray &standardInput, qint64 maxOutput = kMaxExecOutput);

} // namespace vigil::ssh
