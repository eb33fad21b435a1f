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
};

struct TaskResources
{
    QString time; // SLURM time limit, e.g. "00:10:00"
    int cpus = 0;
    QString memory;
    QString partition;
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
    QPointF position;        // editor position; null if never placed
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

} // namespace vigil
