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
    QString qos;              // default SLURM QOS of the site's tasks
    // Default working directory of the site's tasks: absolute, or relative to
    // the run directory; empty: the run directory.
    QString workDirectory;

    bool operator==(const SiteSpec &) const = default;
};

struct TaskResources
{
    QString time; // SLURM time limit, e.g. "00:10:00"
    int cpus = 0; // per task
    int gpus = 0;
    QString memory; // e.g. "4G"
    int nodes = 0;
    QString partition;
    QString account;
    QString qos;
    // More sbatch arguments, each one argv word ("--constraint=a100"). The
    // ones Vigil sets itself (--dependency, --array, --output, --job-name,
    // --comment, --chdir, --hold, --parsable...) are refused on load.
    QStringList extraArgs;

    bool operator==(const TaskResources &) const = default;
};

// A typed parameter of a gate (the same types as a checkpoint's, see
// protocol/request.h). Values are kept as their TOML text so that a saved
// file reads as it was written.
struct ParamSpec
{
    enum class Type { Number, Integer, String, Boolean, Enum };
    QString name;
    QString label;
    Type type = Type::String;
    QString defaultValue; // required
    QString min;          // number, integer; empty: unbounded
    QString max;
    QStringList choices; // enum only

    bool operator==(const ParamSpec &) const = default;
};

// One answer of a gate and the branch it selects: the tasks it enables (they
// run once their other dependencies are done) and those it skips (with every
// task that depends on them).
struct GateOption
{
    QString name;
    QString label;
    QStringList enables;
    QStringList skips;

    bool operator==(const GateOption &) const = default;
};

// [tasks.NAME] kind = "gate": a question for a human. It holds no
// allocation: the engine posts it as a checkpoint of the run when the tasks
// it comes after are done, and acts on the decision.
struct GateSpec
{
    QString question;
    QString body; // Markdown
    QList<GateOption> options;
    QList<ParamSpec> params;
    QStringList approvers; // empty: the workflow's approvers
    QString deadline;      // a duration as written ("2h", "30m", "1d12h"); empty: none
    qint64 deadlineSeconds = 0;
    QString defaultOption; // taken when the deadline passes; empty: the first option

    bool operator==(const GateSpec &) const = default;
};

// A declared input of a task: a file next to the workflow file (fromTask
// empty) or an output of another task, possibly on another site, that the
// engine moves into this task's directory before it starts.
struct DataInput
{
    QString path;     // relative; the file next to the workflow, or the output of fromTask
    QString fromTask; // empty: next to the workflow file

    bool operator==(const DataInput &) const = default;
};

// An in-job checkpoint a task declares it will post, so that the editor and
// the inbox know it before it happens.
struct CheckpointDecl
{
    QString id;
    QString title;       // empty: not known in advance
    QStringList options; // empty: not known in advance

    bool operator==(const CheckpointDecl &) const = default;
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
    enum class Kind { Job, Gate };
    QString name;
    Kind kind = Kind::Job;
    QString site;        // jobs only
    QStringList command; // argv; or:
    QString script;      // a script file next to the workflow file, run with sh
    // Absolute, or relative to the run directory; empty: the site's, else the
    // run directory (where the inputs are).
    QString workDirectory;
    QStringList after;
    // Non-empty: the task is skipped, and why (`skip = "reason"`; a run-time
    // change adds it to skip a task that has not finished). Jobs and gates.
    QString skip;
    QList<DataInput> inputs;
    QStringList outputs; // paths relative to the task's working directory
    TaskResources resources;
    QMap<QString, QString> environment;
    QList<CheckpointDecl> checkpoints;
    int retries = 0; // submissions after a failure before the task is failed
    QString array;   // SLURM job array, e.g. "0-199%20"; empty: one job
    // A sweep: one task over a list of parameter sets, run as a job array
    // (element i gets sweep[i] as VIGIL_PARAM_<NAME> in its environment).
    QList<QMap<QString, QString>> sweep;
    int sweepParallel = 0; // at most this many elements at once (%N); 0: no limit
    ContainerSpec container;
    GateSpec gate;    // kind Gate only
    QPointF position; // editor position; null if never placed
    bool hasPosition = false;

    bool isGate() const { return kind == Kind::Gate; }
    bool operator==(const TaskSpec &) const = default;
};

struct Workflow
{
    QString name;
    QString description;
    QStringList approvers; // user names allowed to decide gates and checkpoints
    QString sourcePath;    // file it was loaded from
    QList<SiteSpec> sites;
    QList<TaskSpec> tasks;

    const SiteSpec *site(const QString &name) const;
    const TaskSpec *task(const QString &name) const;

    // Equal content; sourcePath (where it was read from) is not compared.
    bool operator==(const Workflow &other) const;
};

// One problem of a workflow file: where (1-based; line 0: the file as a
// whole) and what.
struct WorkflowProblem
{
    QString source;
    int line = 0;
    int column = 0;
    QString message;

    // "SOURCE:LINE:COLUMN: message" ("SOURCE: message" without a line).
    QString toString() const;
    bool operator==(const WorkflowProblem &) const = default;
};

// Every problem of a workflow file, in the order of the file (a TOML syntax
// error stops the reading: it is then the only one), and the workflow as far
// as it could be read (use it only when there is no problem).
struct WorkflowCheck
{
    Workflow workflow;
    QList<WorkflowProblem> problems;

    bool ok() const { return problems.isEmpty(); }
};

WorkflowCheck checkWorkflow(const QByteArray &toml, const QString &sourceName);
// Reads the file first: a missing or too large file is one problem.
WorkflowCheck checkWorkflowFile(const QString &path);

// Loads a workflow TOML file; the error is the first problem checkWorkflow
// finds, as FILE:LINE:COLUMN: what.
Result<Workflow> loadWorkflow(const QString &path);
Result<Workflow> parseWorkflow(const QByteArray &toml, const QString &sourceName);

QString siteKindName(SiteSpec::Kind kind);
// "number", "integer", "string", "boolean", "enum": as a workflow file writes it.
QString paramTypeName(ParamSpec::Type type);

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
