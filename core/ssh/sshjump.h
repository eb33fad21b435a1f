// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A ProxyJump tunnel: an authenticated session to the jump host with one
// direct-tcpip channel to the target, and a socket pair whose other end the
// target's libssh session uses as its connection (SSH_OPTIONS_FD). A thread
// of its own pumps bytes between the channel and the socket pair, so the
// tunnel keeps flowing while the target session's thread waits (a long
// exec): libssh sessions are used by one thread at a time, and the jump
// session is used only by the pump once the tunnel starts.
//
// The tunnel belongs to the target's Session and ends with it: when the
// target closes its end, the pump closes the channel and the jump session;
// destroying the tunnel stops the pump, joins its thread and closes every
// descriptor. When the jump connection drops, the pump closes its end of the
// socket pair, the target sees end-of-file, and failure() tells why.
// Internal to core/ssh.

#include "core/result.h"

#include <QString>
#include <memory>

namespace vigil::ssh {

struct Session;
class Tunnel;

struct TunnelDeleter
{
    void operator()(Tunnel *tunnel) const;
};
using TunnelPtr = std::unique_ptr<Tunnel, TunnelDeleter>;

// Opens a direct-tcpip channel to targetHost:targetPort on `jump` (connected
// and authenticated, used by this thread until now) and starts the pump.
// Labels name the hosts in messages.
Result<TunnelPtr> openTunnel(std::unique_ptr<Session> jump, const QString &targetHost,
                             int targetPort, const QString &targetLabel);

// The end of the socket pair for the target session (SSH_OPTIONS_FD). libssh
// closes it with the session once ssh_connect() took it; otherwise the
// tunnel closes it when it ends.
int tunnelTargetFd(const Tunnel &tunnel);

// Why the tunnel ended on the jump side ("the jump host ... closed the
// connection: ..."), naming the jump host; empty while it runs, and when it
// ended because the target closed.
QString tunnelFailure(const Tunnel &tunnel);

// The name of the pump threads, as the system shows them (/proc/self/task/*/comm).
inline constexpr char kTunnelThreadName[] = "vigil-ssh-jump";

} // namespace vigil::ssh
