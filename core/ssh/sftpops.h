// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// File operations over the session's SFTP channel. Internal to core/ssh; they
// run on the worker thread and block it (never the caller's thread).

#include "core/transport.h"

namespace vigil::ssh {

struct Session;

// Most bytes one readFile() returns.
inline constexpr qint64 kMaxReadBytes = qint64(64) << 20;

Result<FileChunk> readFile(Session &session, const QString &path, qint64 offset, qint64 maxBytes);
// How often writeFileAtomic() reports progress: every this many bytes and at
// the end. Here `control.progress` runs on the worker thread (SshTransport
// makes it queue the caller's function to the caller's thread); `cancel` is
// checked between chunks.
inline constexpr qint64 kProgressStep = qint64(1) << 20;

Result<void> writeFileAtomic(Session &session, const QString &path, const QByteArray &data,
                             quint32 permissions, const WriteControl &control = {});
Result<void> createExclusive(Session &session, const QString &path, const QByteArray &data,
                             quint32 permissions);
Result<QList<FileEntry>> listDirectory(Session &session, const QString &path);
Result<void> makeDirectories(Session &session, const QString &path, quint32 permissions);

// The error of the last failed SFTP request, with what was done and the path.
Error sftpError(Session &session, const QString &action, const QString &path);

} // namespace vigil::ssh
