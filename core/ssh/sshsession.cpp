// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshsession.h"

namespace vigil::ssh {

bool Session::connected() const
{
    return ssh && ssh_is_connected(ssh.get()) && sftp && sftp->channel &&
           ssh_channel_is_open(sftp->channel) && !ssh_channel_is_eof(sftp->channel);
}

bool Session::probeAlive()
{
    if (!connected())
        return false;
    // Non-blocking: reads whatever the socket has (EOF, a disconnect message).
    if (ssh_channel_poll(sftp->channel, 0) == SSH_ERROR)
        return false;
    return connected();
}

QByteArray Session::remotePath(const QString &path) const
{
    if (path.startsWith(QLatin1Char('/')) || home.isEmpty())
        return path.toUtf8();
    if (path.isEmpty() || path == QLatin1String("."))
        return home.toUtf8();
    return (home + QLatin1Char('/') + path).toUtf8();
}

Error Session::sshError(const QString &what) const
{
    QString reason = ssh ? QString::fromUtf8(ssh_get_error(ssh.get())) : QString();
    if (const QString jump = tunnel ? tunnelFailure(*tunnel) : QString(); !jump.isEmpty())
        reason = reason.isEmpty() ? jump : reason + QStringLiteral("; ") + jump;
    if (!ssh || !ssh_is_connected(ssh.get()))
        return Error(QStringLiteral("%1: connection to %2 lost%3")
                         .arg(what, hostLabel,
                              reason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(reason)),
                     Error::Kind::Network);
    return Error(QStringLiteral("%1: %2").arg(what, reason.isEmpty() ? QStringLiteral("SSH error")
                                                                     : reason));
}

} // namespace vigil::ssh
