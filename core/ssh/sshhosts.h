// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What a person picks or types to add a site: the Host aliases of an
// ssh_config file, and an address typed as [user@]host[:port]. Pure
// functions apart from reading the config files.

#include "core/result.h"
#include "workflow/workflow.h"

#include <QList>
#include <QString>

namespace vigil {

// A Host alias of ssh_config, with what its own blocks say (for display:
// the connection itself reads the file again). Empty / 0: not given.
struct SshConfigHost
{
    QString alias;
    QString hostName; // %h expanded
    QString user;
    int port = 0;
    QString where; // "FILE line N" of its first Host line

    // "user@hostname:port" with what is given; empty when nothing is.
    QString summary() const;
    bool operator==(const SshConfigHost &) const = default;
};

// The Host aliases of `configFile` (empty: ~/.ssh/config) and of the files it
// includes, in file order, each once. Patterns (with *, ? or a leading !)
// are not hosts and are left out. The first HostName, User and Port given in
// a block naming the alias are taken, as ssh takes the first value; Match
// blocks are not evaluated. A missing file gives an empty list.
Result<QList<SshConfigHost>> listSshConfigHosts(const QString &configFile = QString());

// A site draft from what was typed: "host", "user@host", "host:port",
// "user@host:port" or "[v6addr]:port" (ssh://... too) fills host, user and
// port of `draft`. The error says what is wrong: "port 70000 is out of range
// 1-65535".
Result<SiteSpec> parseSiteAddress(const QString &text, SiteSpec draft = SiteSpec());

} // namespace vigil
