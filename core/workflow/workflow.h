// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QList>
#include <QMap>
#include <QPointF>
#include <QString>
#include <QStringList>

namespace vigil {

struct SiteSpec
{
    enum class Kind { Slurm, Ssh, Local };
    QString name;
    Kind kind = Kind::Local;
    QString host;    // ssh_config alias or host name (slurm, ssh)
    QString runRoot; // relative to the account's home unless absolute
    QString partition;
    QString account;
    // How to connect (slurm, ssh). Empty / 0: from the ssh_config file, then
    // libssh's defaults. Never a secret: a key is named by its file only.
    QString user;
    int port = 0;
    QString identityFile;   // private key file (absolute or ~/...)
    QString knownHostsFile; // known_hosts file (absolute or ~/...)
    QString proxyJump;      // [user@]host[:port] of a jump host; "none": no jump host
    // Seconds between two scheduler queries of this site; 0: the program's
    // interval (20 s unless told otherwise).
    int pollSeconds = 0;
    static constexpr int kDefaultPollSeconds = 20;
    static constexpr int kMinPollSeconds = 5;
    static constexpr int kMaxPollSeconds = 3600;
    QString containerRuntime; // default runtime of this site's container tasks; empty: by kind
};

struct TaskResources
{
    QString time; // SLURM time limit, e.g. "00:10:00"
    int cpus = 0;
    QString memory;
    QString partition;
};

// A task that runs in a container: `container = { image = "...", runtime =
// "apptainer|singularity|podman|docker", binds = ["/src:/dst[:ro]", ...] }`.
// Validated on load (sites/container.h); an empty image: no container.
struct ContainerSpec
{
    QString image;
    QString runtime; // empty: the site's container_runtime, else by site kind
    QStringList binds;

    bool isEmpty() const { return image.isEmpty(); }
    bool operator==(const ContainerSpec &) const = default;
};

struct TaskSpec
{
    QString name;
    QString site;
    QStringList command; // argv
    QStringList after;
    QStringList inputs; // files next to the workflow file, copied into the run dir
    TaskResources resources;
    QMap<QString, QString> environment;
    QStringList checkpoints; // ids the task declares it will post
    QString array;           // SLURM job array, e.g. "0-199%20"; empty: one job
    ContainerSpec container;
    QPointF position; // editor position; null if never placed
    bool hasPosition = false;
};

struct Workflow
{
    QString name;
    QString description;
    QString sourcePath; // file it was loaded from
    QList<SiteSpec> sites;
    QList<TaskSpec> tasks;

    const SiteSpec *site(const QString &name) const;
    const TaskSpec *task(const QString &name) const;
};

// Loads a workflow TOML file; errors say FILE:LINE:COLUMN: what.
Result<Workflow> loadWorkflow(const QString &path);
Result<Workflow> parseWorkflow(const QByteArray &toml, const QString &sourceName);

QString siteKindName(SiteSpec::Kind kind);

// Checks a site made outside a TOML file (vigilctl site add, the site
// registry) against the rules of a [sites.NAME] table: a valid name, a host
// for slurm and ssh, port 1-65535, poll interval 5-3600 s, key and
// known_hosts files given as absolute or ~/ paths.
Result<void> validateSite(const SiteSpec &site);

// Parses a document made only of [sites.NAME] tables, with the same keys and
// rules as a workflow's (the site registry's format: a workflow's [sites]
// part can be pasted in and out). Errors say SOURCE:LINE:COLUMN: what.
Result<QList<SiteSpec>> parseSiteTables(const QByteArray &toml, const QString &sourceName);

} // namespace vigil
