// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "workflow/workflow.h"

#include <QList>
#include <QString>

namespace vigil {

// The user's own sites, apart from any workflow: $XDG_CONFIG_HOME/vigil/sites.toml
// (~/.config/vigil/sites.toml). The file holds only [sites.NAME] tables with
// the keys and rules of a workflow's, so a site can be pasted between the two.
// It never holds a secret: no passwords, passphrases or one-time codes (keys
// that look like one are refused); a private key is named by its file only.
//
// A plain value: load() and save() do file I/O on the calling thread, so a
// GUI calls them from a worker. save() replaces the file atomically (QSaveFile),
// mode 0600; comments a person wrote into the file are not kept.
class SiteRegistry
{
public:
    // $XDG_CONFIG_HOME/vigil/sites.toml; ~/.config when the variable is unset
    // or not an absolute path (as the XDG Base Directory spec says).
    static QString defaultPath();

    explicit SiteRegistry(QString path = defaultPath());

    QString path() const { return m_path; }

    // Reads the file; a missing file is an empty registry. On error the
    // registry is unchanged and the error says FILE:LINE:COL: what.
    [[nodiscard]] Result<void> load();
    // Writes every site (creating the directory, mode 0700 when it is made).
    [[nodiscard]] Result<void> save() const;

    const QList<SiteSpec> &sites() const { return m_sites; }
    const SiteSpec *site(const QString &name) const;

    // Adds a site after validateSite(); an existing name is refused with
    // Error::Kind::AlreadyExists unless `replace`.
    [[nodiscard]] Result<void> add(const SiteSpec &site, bool replace = false);
    // Error::Kind::NotFound when there is no such site.
    [[nodiscard]] Result<void> remove(const QString &name);

    // The TOML text of these sites: a comment, then each site as the workflow
    // writer makes a [sites.NAME] table (siteToToml), every key the reader knows.
    static QByteArray format(const QList<SiteSpec> &sites);

private:
    QString m_path;
    QList<SiteSpec> m_sites;
};

// `preferred`, then those of `sites` whose name is not among them (a
// workflow's sites win over the registry's).
QList<SiteSpec> mergeSites(const QList<SiteSpec> &preferred, const QList<SiteSpec> &sites);

} // namespace vigil
