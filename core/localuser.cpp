// SPDX-License-Identifier: GPL-3.0-or-later
#include "localuser.h"

#include <pwd.h>
#include <unistd.h>

namespace vigil {

QString localUserName()
{
    if (const struct passwd *pw = ::getpwuid(::getuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    for (const char *name : {"USER", "LOGNAME"})
        if (const QString u = qEnvironmentVariable(name); !u.isEmpty())
            return u;
    return QStringLiteral("uid-%1").arg(::getuid());
}

} // namespace vigil
