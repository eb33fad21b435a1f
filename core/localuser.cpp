// SPDX-License-Identifier: GPL-3.0-or-later
#include "localuser.h"

#include <QByteArray>
#include <pwd.h>
#include <unistd.h>

namespace vigil {

QString localUserName()
{
    // getpwuid_r: every SSH worker thread asks (ssh_config's %u), at once.
    long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    QByteArray buffer(size > 0 ? qsizetype(size) : 16384, Qt::Uninitialized);
    struct passwd entry = {};
    struct passwd *pw = nullptr;
    if (::getpwuid_r(::getuid(), &entry, buffer.data(), std::size_t(buffer.size()), &pw) == 0 &&
        pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    for (const char *name : {"USER", "LOGNAME"})
        if (const QString u = qEnvironmentVariable(name); !u.isEmpty())
            return u;
    return QStringLiteral("uid-%1").arg(::getuid());
}

} // namespace vigil
