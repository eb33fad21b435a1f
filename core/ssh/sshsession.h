// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A connected, authenticated libssh session with its SFTP channel. Internal to
// core/ssh; used only on the transport's worker thread.

#include "core/result.h"
#include "libsshhandles.h"
#include "sshjump.h"

#include <QString>
#include <atomic>
#include <libssh/callbacks.h>

namespace vigil::ssh {

struct Session
{
    // The ProxyJump tunnel the connection runs through, if any: declared
    // first so that it outlives the libssh session that uses it.
    TunnelPtr tunnel;
    // libssh keeps a pointer to these for the session's life: declared before
    // the session so that they outlive it.
    ssh_callbacks_struct callbacks{};
    SessionPtr ssh; // destroyed after the SFTP session
    SftpPtr sftp;
    QString home;      // absolute home directory (sftp realpath of ".")
    QString hostLabel; // "host" or "[host]:port", as in known_hosts
    bool fsyncSupported = false;
    // Set by another thread to make long waits (exec) give up soon.
    const std::atomic<bool> *abort = nullptr;

    // Processes pending packets without waiting, then tells whether the
    // connection is still up (a server restart or a dropped link shows here).
    bool probeAlive();
    bool connected() const;

    // Absolute remote path: relative paths are taken from the home directory.
    QByteArray remotePath(const QString &path) const;

    // An error for a failed SSH-level operation: Network when the connection
    // is gone, Generic otherwise, with libssh's reason.
    Error sshError(const QString &what) const;
};

} // namespace vigil::ssh
