// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl: Vigil's core from a terminal (no display needed).
#include "ctlcommands.h"
#include "protocol/format.h"
#include "store/store.h"

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
    parser.setApplicationDescription(vigil::ctl::commandsHelp());
    parser.addHelpOption();
    parser.addVersionOption();
    vigil::ctl::addOptions(parser);
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QStringLiteral("What to do (see above)."));
    parser.addPositionalArgument(
        QStringLiteral("arguments"),
        QStringLiteral(
            "A workflow TOML file; status, follow and audit: RUN; decide: RUN CHECKPOINT; "
            "revise: RUN FILE; or the site command and its NAME."),
        QStringLiteral("[WORKFLOW] [RUN [CHECKPOINT]] | RUN FILE | site add|list|remove|test "
                       "[NAME] | helper deploy"));
    parser.process(app);
    // The developer log stays quiet unless asked for: what went wrong is the
    // command's own message on stderr.
    if (!parser.isSet(QStringLiteral("verbose")))
        QLoggingCategory::setFilterRules(
            QStringLiteral("vigil.*.info=false\nvigil.*.warning=false"));

    const QStringList args = parser.positionalArguments();
    if (args.isEmpty()) {
        std::fprintf(stderr, "vigilctl: expected a COMMAND (see --help)\n");
        return vigil::ctl::Usage;
    }
    // The store shared with the GUI ($VIGIL_STORE_PATH to use another): the
    // supervisors of the commands find it as the application's store. Its
    // destructor, after the event loop, finishes every write already made.
    vigil::Store store;
    vigil::Store::setApplicationStore(&store);
    auto *cmd = new vigil::ctl::Command(parser, args, &app);
    QObject::connect(cmd, &vigil::ctl::Command::finished, &app,
                     [](int code) { QCoreApplication::exit(code); });
    QTimer::singleShot(0, cmd, &vigil::ctl::Command::run);
    return app.exec();
}
