// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl's command line: the options and the command list of --help.
#include "ctlcommands.h"

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
               "  launch WORKFLOW                   start a run; prints the run id and job ids\n"
               "  jobs [WORKFLOW]                   jobs on the sites (one query per site)\n"
               "  runs [WORKFLOW]                   runs and task states on the sites\n"
               "  checkpoints [WORKFLOW] [--all]    pending checkpoints (--all: decided ones too)\n"
               "  decide [WORKFLOW] --run R --checkpoint C --option O [--comment T]\n"
               "  wait [WORKFLOW] --run R --task T [--timeout S]   until the task has ended\n"
               "  cancel [WORKFLOW] --job ID [--site S]            cancel a job\n\n"
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
               "--json prints one JSON document on stdout. Exit codes: 0 ok, 1 failed,\n"
               "2 bad command line, 3 decision lost to an earlier one, 4 timed out.")
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
        {QStringLiteral("task"), QStringLiteral("Task name."), QStringLiteral("name")},
        {QStringLiteral("timeout"), QStringLiteral("Give up after this many seconds (wait)."),
         QStringLiteral("seconds"), QStringLiteral("600")},
        {QStringLiteral("poll"),
         QStringLiteral("wait: seconds between refreshes (default: a site's poll_interval, "
                        "else 2; given, it wins). site add: the site's poll interval, 5-3600 "
                        "(default 20)."),
         QStringLiteral("seconds"), QStringLiteral("2")},
        {QStringLiteral("all"), QStringLiteral("checkpoints: list decided ones too.")},
        {QStringLiteral("job"), QStringLiteral("Job id (cancel)."), QStringLiteral("id")},
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
        {QStringLiteral("json"), QStringLiteral("Machine-readable output.")},
        // No short form: -v is --version (QCommandLineParser::addVersionOption).
        {QStringLiteral("verbose"),
         QStringLiteral("Print the developer log (connections, submissions) on stderr.")},
    });
}

} // namespace vigil::ctl
