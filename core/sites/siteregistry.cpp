// SPDX-License-Identifier: GPL-3.0-or-later
#include "siteregistry.h"

#include "logging.h"
#include "workflow/writer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace vigil {

namespace {

constexpr qint64 kMaxRegistryBytes = 1024 * 1024;

} // namespace

QString SiteRegistry::defaultPath()
{
    QString base = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (!QDir::isAbsolutePath(base))
        base = QDir::homePath() + QLatin1String("/.config");
    return base + QLatin1String("/vigil/sites.toml");
}

SiteRegistry::SiteRegistry(QString path) : m_path(std::move(path)) {}

const SiteSpec *SiteRegistry::site(const QString &name) const
{
    for (const SiteSpec &s : m_sites)
        if (s.name == name)
            return &s;
    return nullptr;
}

Result<void> SiteRegistry::load()
{
    QFile f(m_path);
    if (!f.exists()) {
        m_sites.clear();
        return {};
    }
    if (!f.open(QIODevice::ReadOnly))
        return Error(
            QStringLiteral("cannot read the site registry %1: %2").arg(m_path, f.errorString()),
            Error::Kind::Permission);
    if (f.size() > kMaxRegistryBytes)
        return Error(QStringLiteral("the site registry %1 is larger than 1 MiB").arg(m_path),
                     Error::Kind::TooLarge);
    auto sites = parseSiteTables(f.read(kMaxRegistryBytes), m_path);
    if (!sites)
        return sites.error();
    m_sites = *sites;
    qCInfo(lcSite).noquote() << "site registry" << m_path << "has" << m_sites.size() << "site(s)";
    return {};
}

QByteArray SiteRegistry::format(const QList<SiteSpec> &sites)
{
    QString t = QStringLiteral(
        "# Vigil's sites (vigilctl site add / remove rewrite this file).\n"
        "# The keys of a workflow's [sites.NAME] tables. Never a secret here: no\n"
        "# password, passphrase or one-time code; name a key file with identity_file.\n");
    // The workflow writer's tables, every key the reader knows: the registry
    // and a workflow never disagree on what a site is.
    for (const SiteSpec &s : sites)
        t += QLatin1Char('\n') + siteToToml(s);
    return t.toUtf8();
}

Result<void> SiteRegistry::save() const
{
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!QFileInfo::exists(dir)) {
        if (!QDir().mkpath(dir))
            return Error(
                QStringLiteral("cannot create the directory %1 for the site registry").arg(dir),
                Error::Kind::Permission);
        QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                       QFileDevice::ExeOwner);
    }
    QSaveFile f(m_path);
    if (!f.open(QIODevice::WriteOnly))
        return Error(
            QStringLiteral("cannot write the site registry %1: %2").arg(m_path, f.errorString()),
            Error::Kind::Permission);
    // Before a byte is written: the temporary file becomes the registry.
    if (!f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return Error(QStringLiteral("cannot make the site registry %1 private (mode 0600): %2")
                         .arg(m_path, f.errorString()),
                     Error::Kind::Permission);
    const QByteArray data = format(m_sites);
    if (f.write(data) != data.size() || !f.commit())
        return Error(
            QStringLiteral("cannot write the site registry %1: %2").arg(m_path, f.errorString()),
            Error::Kind::Generic);
    qCInfo(lcSite).noquote() << "site registry" << m_path << "saved with" << m_sites.size()
                             << "site(s)";
    return {};
}

Result<void> SiteRegistry::add(const SiteSpec &site, bool replace)
{
    if (auto r = validateSite(site); !r)
        return r;
    for (SiteSpec &s : m_sites) {
        if (s.name != site.name)
            continue;
        if (!replace)
            return Error(QStringLiteral("site \"%1\" already exists in %2 (replace it with "
                                        "--replace, or remove it first)")
                             .arg(site.name, m_path),
                         Error::Kind::AlreadyExists);
        s = site;
        return {};
    }
    m_sites << site;
    return {};
}

Result<void> SiteRegistry::remove(const QString &name)
{
    for (qsizetype i = 0; i < m_sites.size(); ++i) {
        if (m_sites[i].name == name) {
            m_sites.removeAt(i);
            return {};
        }
    }
    return Error(QStringLiteral("no site \"%1\" in %2").arg(name, m_path), Error::Kind::NotFound);
}

QList<SiteSpec> mergeSites(const QList<SiteSpec> &preferred, const QList<SiteSpec> &sites)
{
    QList<SiteSpec> out = preferred;
    for (const SiteSpec &s : sites) {
        bool shadowed = false;
        for (const SiteSpec &p : preferred)
            shadowed = shadowed || p.name == s.name;
        if (!shadowed)
            out << s;
    }
    return out;
}

} // namespace vigil
