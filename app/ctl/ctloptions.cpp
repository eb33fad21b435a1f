// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl's command line: the options and the command list of --help.
#include "ctlcommands.h"
#include "ctloutput.h"

#include <QSet>

namespace vigil::ctl {

QString commandsHelp()
{
    return QStringLiteral(
               "Supervise Vigil workflows from a terminal.\n\n"
               "Sites come from the site registry (%1) and, with a workflow\n"
               "(WORKFLOW or --workflow FILE), from its [sites.NAME] tables, which win on a name\n"
               "clash. --site NAME limits a command to one site.\n\n"
               "Workflows and runs:\n"
               "  validate WORKFLOW [--json]        check a workflow file: every problem as\n"
               "                                    FILE:LINE:COLUMN: what (connects to no site)\n"
               "  launch WORKFLOW [--follow]        start a run; prints the run id and job ids\n"
               "                                    (--follow: then follow it, as below;\n"
               "                                    --resume --run RUN: finish an interrupted\n"
               "                                    launch of RUN)\n"
               "  follow [WORKFLOW] RUN [--site S]  run the engine on a run until it ends: one "
               "line\n"
               "                                    per task state, action and lease change; "
               "exit 0\n"
               "                                    done, 1 failed or cancelled, 130/143 "
               "SIGINT/SIGTERM\n"
               "  jobs [WORKFLOW]                   jobs on the sites (one query per site)\n"
               "  runs [WORKFLOW]                   runs and task states on the sites\n"
               "  status [WORKFLOW] RUN             one run: its tasks (state, job, scheduler, "
               "exit\n"
               "                                    code, times) and checkpoints; exit 1: no such "
               "run\n"
               "  checkpoints [WORKFLOW] [--pending | --all] [--run R]\n"
               "                                    checkpoints that need a person (--pending: "
               "only\n"
               "                                    those waiting for a decision; --all: every "
               "one)\n"
               "  decide [WORKFLOW] RUN CHECKPOINT --option O [--param NAME=VALUE ...] [--comment "
               "T]\n"
               "                                    decide (the first decider wins); each --param "
               "is\n"
               "                                    checked against the checkpoint's declared "
               "params\n"
               "                                    before anything is written; a param left out "
               "takes\n"
               "                                    its default (also: --run R --checkpoint C);\n"
               "                                    --revise FILE: a revision that applies with "
               "this\n"
               "                                    decision only (see revise)\n"
               "  revise RUN FILE [--dry-run] [--comment C]\n"
               "                                    change a running run: FILE (the whole "
               "workflow)\n"
               "                                    becomes its next revision; prints the diff; "
               "exit 1:\n"
               "                                    refused (each problem on stderr), 3: another "
               "revision\n"
               "                                    was published meanwhile\n"
               "  revise RUN --list                 the run's revisions and which is in effect\n"
               "  audit RUN                         the decisions on a run from the local audit "
               "log\n"
               "                                    (who, when, from where, evidence; no site "
               "needed)\n"
               "  wait [WORKFLOW] --run R --task T [--timeout S]   until the task has ended\n"
               "  cancel [WORKFLOW] --job ID [--site S]            cancel a job\n\n"
               "Review bundles:\n"
               "  export SITE RUN [-o FILE] [--zip] write the run as a review bundle (default\n"
               "                                    RUN.tar.zst here; --zip or FILE.zip: a zip)\n"
               "  bundle verify FILE                check every entry and checksum of a bundle;\n"
               "                                    prints its summary; exit 1 on any problem\n\n"
               "Sites:\n"
               "  site add NAME --kind slurm|ssh|local [--host H] [--user U] [--port P]\n"
               "      [--identity FILE] [--known-hosts FILE] [--proxy-jump [USER@]HOST[:PORT]]\n"
               "      [--run-root DIR] [--partition P] [--account A] [--poll SECONDS] [--replace]\n"
               "                                    add a site to the registry\n"
               "  site list                         the sites and where they come from\n"
               "  site remove NAME                  remove a site from the registry\n"
               "  site test NAME                    connect and check host key, login, SLURM, "
               "vigil-job\n"
               "  helper deploy --site S            upload vigil-job if missing or different\n\n"
               "--json prints one JSON document on stdout (follow: one JSON object per line).\n"
               "Exit codes: 0 ok, 1 failed, 2 bad command line, 3 decision lost to an earlier\n"
               "one (revise: a revision published meanwhile), 4 timed out, 130/143 follow stopped "
               "by SIGINT/SIGTERM.")
        .arg(SiteRegistry::defaultPath());
}

void addOptions(QCommandLineParser &p)
{
    p.addOptions({
        {{QStringLiteral("F"), QStringLiteral("ssh-config")},
         QStringLiteral("ssh_config file to read instead of ~/.ssh/config."),
         QStringLiteral("file")},
        {{QStringLiteral("w"), QStringLiteral("workflow")},
         QStringLiteral("Workflow file whose sites are used too (instead of WORKFLOW)."),
         QStringLiteral("file")},
        {QStringLiteral("accept-new-host-key"),
         QStringLiteral("Trust and record the host key of a server not yet in known_hosts "
                        "(a changed key is always refused).")},
        {QStringLiteral("run"), QStringLiteral("Run id."), QStringLiteral("id")},
        {QStringLiteral("checkpoint"), QStringLiteral("Checkpoint id."), QStringLiteral("id")},
        {QStringLiteral("option"), QStringLiteral("Option to choose."), QStringLiteral("name")},
        {QStringLiteral("comment"), QStringLiteral("Comment stored with the decision."),
         QStringLiteral("text")},
        {QStringLiteral("param"),
         QStringLiteral("decide: a parameter of the checkpoint, NAME=VALUE (repeat for more; "
                        "one left out takes its default)."),
         QStringLiteral("name=value")},
        {QStringLiteral("task"), QStringLiteral("Task name."), QStringLiteral("name")},
        {QStringLiteral("timeout"), QStringLiteral("Give up after this many seconds (wait)."),
         QStringLiteral("seconds"), QStringLiteral("600")},
        {QStringLiteral("poll"),
         QStringLiteral("wait: seconds between refreshes (default: a site's poll_interval, "
                        "else 2; given, it wins). site add: the site's poll interval, 5-3600 "
                        "(default 20)."),
         QStringLiteral("seconds"), QStringLiteral("2")},
        {QStringLiteral("all"), QStringLiteral("checkpoints: list decided ones too.")},
        {QStringLiteral("pending"),
         QStringLiteral("checkpoints: only those still waiting for a decision.")},
        {QStringLiteral("job"), QStringLiteral("Job id (cancel)."), QStringLiteral("id")},
        {QStringLiteral("site-override"),
         QStringLiteral("With a workflow: its site NAME is the registry's site SITE instead "
                        "(connection and defaults; repeatable). launch records the result in "
                        "the run's workflow.toml."),
         QStringLiteral("NAME=SITE")},
        {QStringLiteral("site"),
         QStringLiteral("Only this site (cancel and helper deploy: default the only site)."),
         QStringLiteral("name")},
        {QStringLiteral("kind"), QStringLiteral("site add: slurm, ssh or local."),
         QStringLiteral("kind")},
        {QStringLiteral("host"), QStringLiteral("site add: ssh_config alias or host name."),
         QStringLiteral("host")},
        {QStringLiteral("user"), QStringLiteral("site add: user name (default: ssh_config)."),
         QStringLiteral("name")},
        {QStringLiteral("port"), QStringLiteral("site add: SSH port (default: ssh_config, 22)."),
         QStringLiteral("port")},
        {QStringLiteral("identity"),
         QStringLiteral("site add: private key file (its passphrase is never stored)."),
         QStringLiteral("file")},
        {QStringLiteral("known-hosts"), QStringLiteral("site add: known_hosts file."),
         QStringLiteral("file")},
        {QStringLiteral("proxy-jump"),
         QStringLiteral("site add: jump host, [user@]host[:port], or none."),
         QStringLiteral("host")},
        {QStringLiteral("run-root"),
         QStringLiteral("site add: directory of the runs (default vigil-runs in the home)."),
         QStringLiteral("dir")},
        {QStringLiteral("partition"), QStringLiteral("site add: default SLURM partition."),
         QStringLiteral("name")},
        {QStringLiteral("account"), QStringLiteral("site add: SLURM account."),
         QStringLiteral("name")},
        {QStringLiteral("replace"), QStringLiteral("site add: replace a site of that name.")},
        {QStringLiteral("follow"),
         QStringLiteral("launch: then follow the new run (the engine, as `follow RUN`).")},
        {QStringLiteral("resume"),
         QStringLiteral("launch --run RUN: resume an interrupted launch of RUN (the same "
                        "workflow); each task is looked up before it is submitted, so none is "
                        "submitted twice.")},
        {QStringLiteral("lease-heartbeat"),
         QStringLiteral("follow: the engine's lease heartbeat in milliseconds, 200-600000 "
                        "(default 10000; another engine takes a lease over after 3 missed "
                        "heartbeats). Shorter: faster takeovers, more writes."),
         QStringLiteral("ms")},
        {QStringLiteral("revise"),
         QStringLiteral("decide: FILE (the whole workflow) becomes the run's next revision, "
                        "applied only with this decision: a task added, params changed, a "
                        "step skipped."),
         QStringLiteral("file")},
        {QStringLiteral("dry-run"),
         QStringLiteral("revise: print the diff and check the change; publish nothing.")},
        {QStringLiteral("list"),
         QStringLiteral("revise: list the run's revisions (in effect, refused, published).")},
        {{QStringLiteral("o"), QStringLiteral("output")},
         QStringLiteral("export: the bundle file to write (default RUN.tar.zst here)."),
         QStringLiteral("file")},
        {QStringLiteral("zip"), QStringLiteral("export: write a .zip (default .tar.zst).")},
        {QStringLiteral("json"), QStringLiteral("Machine-readable output.")},
        // No short form: -v is --version (QCommandLineParser::addVersionOption).
        {QStringLiteral("verbose"),
         QStringLiteral("Print the developer log (connections, submissions) on stderr.")},
    });
}

Result<QString> Command::takeArguments()
{
    QStringList rest = m_args.mid(1);
    m_run = option(QStringLiteral("run"));
    m_checkpoint = option(QStringLiteral("checkpoint"));
    if (m_name == QLatin1String("revise"))
        return takeReviseArguments(rest);
    // The command's own arguments come last; given as options, there are none.
    const bool decide = m_name == QLatin1String("decide");
    const bool ownRun = m_name == QLatin1String("status") || m_name == QLatin1String("audit") ||
                        m_name == QLatin1String("follow");
    const int own = decide ? 2 : ownRun ? 1 : 0;
    const bool byOption = !m_run.isEmpty() || (decide && !m_checkpoint.isEmpty());
    if (own > 0 && !byOption && rest.size() >= own) {
        m_run = rest[rest.size() - own];
        if (decide)
            m_checkpoint = rest.last();
        rest.resize(rest.size() - own);
    }
    // What is left: the workflow (the original `COMMAND WORKFLOW` form, or --workflow FILE).
    const qsizetype maxLeft = m_name == QLatin1String("audit") ? 0 : 1;
    if (rest.size() > maxLeft)
        return Error(
            QStringLiteral("%1: unexpected argument \"%2\" (see --help)").arg(m_name, rest.last()));
    QString path = option(QStringLiteral("workflow"));
    if (!rest.isEmpty()) {
        if (!path.isEmpty())
            return Error(
                QStringLiteral("%1: give the workflow once, as WORKFLOW or with --workflow")
                    .arg(m_name));
        path = rest.first();
    }
    return path;
}

// revise RUN FILE, or revise RUN --list [--workflow FILE]: FILE is the
// revision, and its sites are used to find the run.
Result<QString> Command::takeReviseArguments(QStringList rest)
{
    const bool list = isSet(QStringLiteral("list"));
    if (m_run.isEmpty() && !rest.isEmpty())
        m_run = rest.takeFirst();
    QString path = option(QStringLiteral("workflow"));
    if (!list) {
        if (!path.isEmpty())
            return Error(QStringLiteral("revise: the sites come from FILE; --workflow goes with "
                                        "--list only"));
        if (rest.isEmpty())
            return Error(QStringLiteral("revise needs RUN and FILE: vigilctl revise RUN FILE "
                                        "[--dry-run] [--comment C] (or RUN --list)"));
        path = rest.takeFirst();
    }
    if (!rest.isEmpty())
        return Error(
            QStringLiteral("revise: unexpected argument \"%1\" (see --help)").arg(rest.first()));
    return path;
}

Result<void> checkParamArguments(const QStringList &params)
{
    QSet<QString> names;
    for (const QString &given : params) {
        const QString name = given.section(QLatin1Char('='), 0, 0);
        if (!given.contains(QLatin1Char('=')) || name.isEmpty())
            return Error(QStringLiteral("--param %1: expected NAME=VALUE").arg(printable(given)));
        if (names.contains(name))
            return Error(QStringLiteral("--param %1 is given twice").arg(printable(name)));
        names.insert(name);
    }
    return {};
}

} // namespace vigil::ctl
