// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "webhook.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace vigil {

// The user's phone-notification webhooks: $XDG_CONFIG_HOME/vigil/webhooks.toml
// (~/.config/vigil/webhooks.toml, next to sites.toml), one [webhooks.NAME]
// table each:
//
//   [webhooks.phone]
//   kind = "ntfy"                       # or "slack" (Slack and Mattermost)
//   url = "https://ntfy.sh/my-topic"    # ntfy only: a Slack URL is a secret
//   priority = 4                        # 1-5 or min, low, default, high, max, urgent
//   click = "https://vigil.example/{site}/{run}/{checkpoint}"   # optional
//   events = ["arrived", "deadline", "decided"]                 # default: all
//   sites = ["mn5"]                     # default: every site
//   runs = []                           # default: every run
//
// Never a secret: tokens and Slack/Mattermost URLs live in the system keyring
// (SecretStore); keys that look like one are refused. Pure file I/O on the
// calling thread: a GUI calls load() and save() from a worker.
namespace webhookconfig {

// $XDG_CONFIG_HOME/vigil/webhooks.toml, as SiteRegistry::defaultPath() makes sites.toml.
QString defaultPath();

// The webhooks of a TOML text; an error says SOURCE:LINE:COL: what, naming the key.
Result<QList<WebhookTarget>> parse(const QByteArray &toml, const QString &sourceName);
// The webhooks of a file; a missing file has none.
Result<QList<WebhookTarget>> load(const QString &path);
// The TOML text of `targets` (never a secret).
QByteArray format(const QList<WebhookTarget> &targets);
// Checks one webhook as parse() would (name, URL, priority). An ntfy URL
// with a user name, password or query string is refused: a token goes to the
// keyring (the dialog's Access token field), never into the file.
Result<void> validate(const WebhookTarget &target);
// Replaces the file atomically (QSaveFile), mode 0600.
Result<void> save(const QString &path, const QList<WebhookTarget> &targets);

} // namespace webhookconfig

} // namespace vigil
