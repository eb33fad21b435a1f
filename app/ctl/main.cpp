// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl: Vigil's core from a terminal (no display needed).
#include "ctlcommands.h"
#include "protocol/format.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTimer>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("vigilctl"));
    QCoreApplication::setOrganizationName(QStringLiteral("Vigil"));
    QCoreApplication::setApplicationVersion(QStringLiteral(VIGIL_VERSION));
    vigil::protocol::setReaderName("Vigil");

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Supervise Vigil workflows from a terminal.\n\n"
        "Commands:\n"
        "  validate WORKFLOW                 check a workflow file\n"
        "  launch WORKFLOW                   start a run; prints the run id and job ids\n"
        "  jobs WORKFLOW                     jobs on the workflow's sites (one query per site)\n"
        "  runs WORKFLOW                     runs and task states on the workflow's sites\n"
        "  checkpoints WORKFLOW [--all]      pending checkpoints (--all: decided ones too)\n"
        "  decide WORKFLOW --run R --checkpoint C --option O [--comment T]\n"
        "  wait WORKFLOW --run R --task T [--timeout S]   until the task has ended\n"
        "  cancel WORKFLOW --job ID [--site S]            cancel a job"));
    parser.addHelpOption();
    parser.addVersionOption();
    vigil::ctl::addOptions(parser);
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QStringLiteral("What to do (see above)."));
    parser.addPositionalArgument(QStringLiteral("workflow"),
                                 QStringLiteral("A workflow TOML file."));
    parser.process(app);
    // The developer log stays quiet unless asked for: what went wrong is the
    // command's own message on stderr.
    if (!parser.isSet(QStringLiteral("verbose")))
        QLoggingCategory::setFilterRules(
            QStringLiteral("vigil.*.info=false\nvigil.*.warning=false"));

    const QStringList args = parser.positionalArguments();
    if (args.size() != 2) {
        std::fprintf(stderr, "vigilctl: expected COMMAND WORKFLOW (see --help)\n");
        return 2;
    }
    auto *cmd = new vigil::ctl::Command(parser, args[0], args[1], &app);
    QObject::connect(cmd, &vigil::ctl::Command::finished, &app,
                     [](int code) { QCoreApplication::exit(code); });
    QTimer::singleShot(0, cmd, &vigil::ctl::Command::run);
    return app.exec();
}
