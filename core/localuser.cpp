// SPDX-License-Identifier: GPL-3.0-or-later
#include "localuser.h"

#include <QByteArray>
#include <cerrno>
#include <pwd.h>
#include <unistd.h>

namespace vigil {

QString localUserName()
{
    // getpwuid_r: every SSH worker thread asks (ssh_config's %u), at once.
    // A directory service's entry may not fit the suggested size: grown
    // while it does not, up to 1 MiB.
    const long suggested = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    QByteArray buffer(suggested > 0 ? qsizetype(suggested) : 16384, Qt::Uninitialized);
    struct passwd entry = {};
    struct passwd *pw = nullptr;
    int rc = 0;
    while ((rc = ::getpwuid_r(::getuid(), &entry, buffer.data(), std::size_t(buffer.size()),
                              &pw)) == ERANGE &&
           buffer.size() < (1 << 20))
        buffer.resize(buffer.size() * 2);
    if (rc == 0 && pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    for (const char *name : {"USER", "LOGNAME"})
        if (const QString u = qEnvironmentVariable(name); !u.isEmpty())
            return u;
    return QStringLiteral("uid-%1").arg(::getuid());
}

} // namespace vigil
