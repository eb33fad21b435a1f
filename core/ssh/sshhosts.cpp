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
        QList<qsizetype> &block = m_blocks[line.file];
        block.clear();
        // OpenSSH reads an Include inside a block only for the hosts the block
        // matches: only those of blocks that match every host ("Host *",
        // "Match all") can name an alias usable on its own.
        m_everyHost[line.file] = line.args == QStringList{QStringLiteral("*")} ||
                                 (line.keyword == QLatin1String("match") &&
                                  line.args == QStringList{QStringLiteral("all")});
        if (line.keyword != QLatin1String("host"))
            return m_everyHost.value(line.file); // other Match blocks are not evaluated here
        for (const QString &alias : line.args) {
            // An empty one ("Host \"\"") names no host one could connect to.
            if (alias.isEmpty() || isPattern(alias))
                continue;
            qsizetype index = indexOf(alias);
            if (index < 0) {
                hosts.append(SshConfigHost{alias, {}, {}, 0, line.where()});
                index = hosts.size() - 1;
            }
            block << index;
        }
        return true;
    }

    bool include(const ssh::ConfigLine &line) override
    {
        // Before the file's first Host or Match: every host's.
        return m_everyHost.value(line.file, true);
    }

    void option(const ssh::ConfigLine &line) override
    {
        // The block of this line's own file (none before its first Host: an
        // option there applies to every host); an Include's file has its own.
        const QList<qsizetype> block = m_blocks.value(line.file);
        const QString &value = line.args.first();
        for (const qsizetype index : block) {
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

    // Per file: the indexes in `hosts` of the aliases of its current Host line.
    QHash<QString, QList<qsizetype>> m_blocks;
    QHash<QString, bool> m_everyHost; // per file: its current block matches every host
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
