// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshhosts.h"

#include "sshjumpconfig.h"

#include <QDir>

namespace vigil {

namespace {

bool isPattern(const QString &alias)
{
    return alias.contains(QLatin1Char('*')) || alias.contains(QLatin1Char('?')) ||
           alias.startsWith(QLatin1Char('!'));
}

// Collects the aliases of Host lines and the options of their blocks.
class HostLister final : public ssh::ConfigVisitor
{
public:
    QList<SshConfigHost> hosts;

    bool section(const ssh::ConfigLine &line) override
    {
        m_block.clear();
        m_blockFile = line.file;
        if (line.keyword != QLatin1String("host"))
            return false; // Match blocks are not evaluated here
        for (const QString &alias : line.args) {
            if (isPattern(alias))
                continue;
            qsizetype index = indexOf(alias);
            if (index < 0) {
                hosts.append(SshConfigHost{alias, {}, {}, 0, line.where()});
                index = hosts.size() - 1;
            }
            m_block << index;
        }
        return true; // Include lines in any Host block are followed
    }

    void option(const ssh::ConfigLine &line) override
    {
        if (line.file != m_blockFile)
            return; // before the first Host of an included file: applies to every host
        const QString &value = line.args.first();
        for (const qsizetype index : std::as_const(m_block)) {
            SshConfigHost &h = hosts[index];
            if (line.keyword == QLatin1String("hostname") && h.hostName.isEmpty())
                h.hostName = ssh::expandHostName(value, h.alias);
            else if (line.keyword == QLatin1String("user") && h.user.isEmpty())
                h.user = value;
            else if (line.keyword == QLatin1String("port") && h.port == 0)
                h.port = value.toInt();
        }
    }

private:
    qsizetype indexOf(const QString &alias) const
    {
        for (qsizetype i = 0; i < hosts.size(); ++i)
            if (hosts.at(i).alias == alias)
                return i;
        return -1;
    }

    QList<qsizetype> m_block; // indexes in hosts of the current Host line's aliases
    QString m_blockFile;
};

} // namespace

QString SshConfigHost::summary() const
{
    ssh::JumpHost address{user, hostName, port};
    if (address.host.isEmpty()) {
        if (address.user.isEmpty() && address.port == 0)
            return QString();
        address.host = alias;
    }
    return address.toString();
}

Result<QList<SshConfigHost>> listSshConfigHosts(const QString &configFile)
{
    HostLister lister;
    const QString path =
        configFile.isEmpty() ? QDir::homePath() + QStringLiteral("/.ssh/config") : configFile;
    if (Result<void> r = ssh::readSshConfig(path, lister); !r)
        return r.error();
    return lister.hosts;
}

Result<SiteSpec> parseSiteAddress(const QString &text, SiteSpec draft)
{
    Result<ssh::JumpHost> address = ssh::parseHostAddress(text);
    if (!address)
        return address.error();
    draft.user = address->user;
    draft.host = address->host;
    draft.port = address->port;
    return draft;
}

} // namespace vigil
