// SPDX-License-Identifier: GPL-3.0-or-later
// The Add Site dialog, driven with the keyboard and mouse: a Host of a private
// ssh_config (one of its own blocks, one from an Include) picked and saved to
// the site registry (XDG_CONFIG_HOME points into the test's directory), then
// connected by the Supervisor to the sandbox's sshd; a typed address; bad
// input shown in the dialog with nothing written; the window's action.
#include "../common/sandboxenv.h"
#include "../common/testfiles.h"
#include "addsitedialog.h"
#include "authprompt.h"
#include "mainwindow.h"
#include "sites/siteregistry.h"
#include "supervisor.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

using vigil::test::readAll;
using vigil::test::writeFile;

namespace {

template <typename T> T *child(QWidget *parent, const char *name)
{
    auto *w = parent->findChild<T *>(QLatin1String(name));
    if (!w)
        qWarning("no child %s", name);
    return w;
}

// Replaces the text of a line edit the way a person does.
void retype(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

} // namespace

class TestAddSite : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void offersTheHostsOfTheConfigFile();
    void pickedHostIsSavedAndConnects();
    void typedAddressIsSaved();
    void nameIsSuggestedFromTheHost_data();
    void nameIsSuggestedFromTheHost();
    void badInputIsShownAndNothingWritten_data();
    void badInputIsShownAndNothingWritten();
    void nameInTheRegistryIsRefusedOnSave();
    void localSiteNeedsNoHost();
    void windowHasTheActionAndThePrompts();
    void newHostKeyIsAskedChangedKeyRefused();

private:
    SupervisorOptions options() const
    {
        SupervisorOptions o;
        o.sshConfigFile = m_config;
        o.hostKeyPolicy = HostKeyPolicy::Strict;
        return o;
    }
    QString registryPath() const { return m_tmp.filePath(QStringLiteral("xdg/vigil/sites.toml")); }
    // A dialog with its hosts loaded, shown.
    std::unique_ptr<AddSiteDialog> openDialog(Supervisor *supervisor);
    void pressOk(AddSiteDialog *dialog);

    test::SandboxEnv m_env;
    QTemporaryDir m_tmp;
    QString m_config;
};

void TestAddSite::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY(m_tmp.isValid());
    qunsetenv("SSH_AUTH_SOCK");
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_tmp.filePath(QStringLiteral("xdg"))));
    QCOMPARE(SiteRegistry::defaultPath(), registryPath());

    // A private ssh_config: a block of its own for the sandbox's login node,
    // a pattern (not offered), and a file it includes.
    const QString included = m_tmp.filePath(QStringLiteral("config.d/extra.conf"));
    QVERIFY(QDir().mkpath(m_tmp.filePath(QStringLiteral("config.d"))));
    QVERIFY(writeFile(included, "Host vtest-included\n    HostName included.example.org\n"
                                "    User ann\n"));
    m_config = m_tmp.filePath(QStringLiteral("ssh_config"));
    QVERIFY(writeFile(m_config, QStringLiteral("Host vtest-box\n"
                                               "    HostName %1\n"
                                               "    Port %2\n"
                                               "    User %3\n"
                                               "    IdentityFile %4\n"
                                               "    IdentitiesOnly yes\n"
                                               "    UserKnownHostsFile %5\n"
                                               "Host *.example.org\n"
                                               "    User nobody\n"
                                               "Host *\n"
                                               "Include %6/config.d/*.conf\n")
                                    .arg(m_env.sshHost)
                                    .arg(m_env.sshPort)
                                    .arg(m_env.user, m_env.key, m_env.knownHosts, m_tmp.path())
                                    .toUtf8()));
    // The same server with a known_hosts that does not know it yet, and with
    // one that holds another key for it.
    QProcess keygen;
    const QString impostor = m_tmp.filePath(QStringLiteral("impostor"));
    keygen.start(QStringLiteral("ssh-keygen"),
                 {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                  QStringLiteral("-N"), QString(), QStringLiteral("-f"), impostor});
    QVERIFY(keygen.waitForFinished(10000) && keygen.exitCode() == 0);
    const QByteArray pub =
        readAll(impostor + QStringLiteral(".pub")).split(' ').mid(0, 2).join(' ');
    QVERIFY(writeFile(m_tmp.filePath(QStringLiteral("known_changed")),
                      QStringLiteral("[%1]:%2 ").arg(m_env.sshHost).arg(m_env.sshPort).toUtf8() +
                          pub + '\n'));
    QFile config(m_config);
    QVERIFY(config.open(QIODevice::Append));
    for (const char *which : {"new", "changed"})
        config.write(QStringLiteral("Host vtest-%1\n    HostName %2\n    Port %3\n"
                                    "    User %4\n    IdentityFile %5\n"
                                    "    IdentitiesOnly yes\n"
                                    "    UserKnownHostsFile %6/known_%1\n")
                         .arg(QLatin1String(which), m_env.sshHost)
                         .arg(m_env.sshPort)
                         .arg(m_env.user, m_env.key, m_tmp.path())
                         .toUtf8());
}

void TestAddSite::init()
{
    QFile::remove(registryPath());
}

std::unique_ptr<AddSiteDialog> TestAddSite::openDialog(Supervisor *supervisor)
{
    auto dialog = std::make_unique<AddSiteDialog>(supervisor);
    QSignalSpy loaded(dialog.get(), &AddSiteDialog::hostsLoaded);
    dialog->show();
    if (!QTest::qWaitForWindowExposed(dialog.get()) || (loaded.isEmpty() && !loaded.wait(10000)))
        qWarning("the dialog did not load its hosts");
    return dialog;
}

void TestAddSite::pressOk(AddSiteDialog *dialog)
{
    auto *buttons = dialog->findChild<QDialogButtonBox *>();
    QVERIFY(buttons);
    QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
}

void TestAddSite::offersTheHostsOfTheConfigFile()
{
    Supervisor supervisor(options());
    auto dialog = openDialog(&supervisor);
    auto *host = child<QComboBox>(dialog.get(), "siteHost");
    QVERIFY(host);
    QStringList offered;
    for (int i = 0; i < host->count(); ++i)
        offered << host->itemText(i);
    QCOMPARE(offered, (QStringList{QStringLiteral("vtest-box"), QStringLiteral("vtest-included"),
                                   QStringLiteral("vtest-new"), QStringLiteral("vtest-changed")}));
    QCOMPARE(host->currentText(), QString()); // nothing picked for the user

    // Picking one shows where it goes.
    host->setFocus();
    QTest::keyClick(host, Qt::Key_Down);
    QTest::keyClick(host, Qt::Key_Down);
    QCOMPARE(host->currentText(), QStringLiteral("vtest-included"));
    auto *hint = child<QLabel>(dialog.get(), "hostHint");
    QVERIFY2(hint->text().startsWith(QLatin1String("ann@included.example.org, from ")),
             qPrintable(hint->text()));
    QVERIFY2(hint->text().contains(QLatin1String("extra.conf line 1")), qPrintable(hint->text()));
}

void TestAddSite::pickedHostIsSavedAndConnects()
{
    Supervisor supervisor(options());
    auto dialog = openDialog(&supervisor);
    auto *kind = child<QComboBox>(dialog.get(), "siteKind");
    kind->setFocus();
    QTest::keyClick(kind, Qt::Key_Down); // SLURM cluster -> SSH host
    QCOMPARE(kind->currentText(), QStringLiteral("SSH host"));
    auto *host = child<QComboBox>(dialog.get(), "siteHost");
    host->setFocus();
    QTest::keyClick(host, Qt::Key_Down);
    QCOMPARE(host->currentText(), QStringLiteral("vtest-box"));
    auto *name = child<QLineEdit>(dialog.get(), "siteName");
    QCOMPARE(name->text(), QStringLiteral("vtest-box")); // suggested from the host
    retype(name, QStringLiteral("box1"));
    auto *poll = child<QSpinBox>(dialog.get(), "pollInterval");
    poll->setFocus();
    poll->selectAll();
    QTest::keyClicks(poll, QStringLiteral("45"));
    QCOMPARE(poll->value(), 45);

    QSignalSpy added(dialog.get(), &AddSiteDialog::siteAdded);
    pressOk(dialog.get());
    QVERIFY2(added.wait(10000), qPrintable(dialog->errorText()));
    QCOMPARE(added.first().first().toString(), QStringLiteral("box1"));
    QVERIFY(!dialog->isVisible());

    // In the registry file...
    SiteRegistry registry(registryPath());
    QVERIFY(registry.load().ok());
    QCOMPARE(registry.sites().size(), 1);
    const SiteSpec *saved = registry.site(QStringLiteral("box1"));
    QVERIFY(saved);
    QCOMPARE(saved->kind, SiteSpec::Kind::Ssh);
    QCOMPARE(saved->host, QStringLiteral("vtest-box"));
    QCOMPARE(saved->user, QString()); // from ssh_config when connecting
    QCOMPARE(saved->port, 0);
    QCOMPARE(saved->pollSeconds, 45);
    // ...and in the Supervisor, which connects through the config's block.
    QVERIFY(supervisor.site(QStringLiteral("box1")));
    QTRY_COMPARE_WITH_TIMEOUT(supervisor.siteStatus(QStringLiteral("box1")).connection,
                              Transport::State::Connected, 20000);
}

void TestAddSite::typedAddressIsSaved()
{
    Supervisor supervisor(options());
    auto dialog = openDialog(&supervisor);
    auto *host = child<QComboBox>(dialog.get(), "siteHost");
    host->setFocus();
    QTest::keyClicks(host->lineEdit(), QStringLiteral("ann@gpu7.example.org:2200"));
    auto *name = child<QLineEdit>(dialog.get(), "siteName");
    QCOMPARE(name->text(), QStringLiteral("gpu7"));
    QTest::keyClicks(child<QLineEdit>(dialog.get(), "identityFile"),
                     QStringLiteral("~/.ssh/id_gpu7"));
    QSignalSpy added(dialog.get(), &AddSiteDialog::siteAdded);
    pressOk(dialog.get());
    QVERIFY2(added.wait(10000), qPrintable(dialog->errorText()));

    SiteRegistry registry(registryPath());
    QVERIFY(registry.load().ok());
    const SiteSpec *saved = registry.site(QStringLiteral("gpu7"));
    QVERIFY(saved);
    QCOMPARE(saved->kind, SiteSpec::Kind::Slurm); // the first kind offered
    QCOMPARE(saved->user, QStringLiteral("ann"));
    QCOMPARE(saved->host, QStringLiteral("gpu7.example.org"));
    QCOMPARE(saved->port, 2200);
    QCOMPARE(saved->identityFile, QStringLiteral("~/.ssh/id_gpu7"));
    QCOMPARE(saved->pollSeconds, 0); // the program's interval
    QVERIFY(supervisor.site(QStringLiteral("gpu7")));
}

void TestAddSite::nameIsSuggestedFromTheHost_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("name");
    QTest::newRow("alias") << "vtest-box"
                           << "vtest-box";
    QTest::newRow("host:port") << "gpu1:22"
                               << "gpu1";
    QTest::newRow("user@fqdn") << "ann@login1.mn5.bsc.es"
                               << "login1";
    QTest::newRow("ipv4") << "10.0.0.7:2200"
                          << "10.0.0.7";
    QTest::newRow("ipv6") << "[fe80::1]:22"
                          << "fe80--1";
    QTest::newRow("bad port") << "gpu1:99999"
                              << "";
}

void TestAddSite::nameIsSuggestedFromTheHost()
{
    QFETCH(QString, typed);
    Supervisor supervisor(options());
    auto dialog = openDialog(&supervisor);
    QTest::keyClicks(child<QComboBox>(dialog.get(), "siteHost")->lineEdit(), typed);
    QTEST(child<QLineEdit>(dialog.get(), "siteName")->text(), "name");
    // Once the user typed a name, it stays.
    retype(child<QLineEdit>(dialog.get(), "siteName"), QStringLiteral("mine"));
    QTest::keyClicks(child<QComboBox>(dialog.get(), "siteHost")->lineEdit(), QStringLiteral("x"));
    QCOMPARE(child<QLineEdit>(dialog.get(), "siteName")->text(), QStringLiteral("mine"));
}

void TestAddSite::badInputIsShownAndNothingWritten_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("identity");
    QTest::addColumn<QString>("error");

    QTest::newRow("port out of range") << "gpu1:99999"
                                       << "gpu1"
                                       << ""
                                       << "Host: port 99999 is out of range 1-65535";
    QTest::newRow("empty host") << ""
                                << "gpu1"
                                << ""
                                << "Host: no host given";
    QTest::newRow("existing name") << "gpu1"
                                   << "taken"
                                   << ""
                                   << "A site named \"taken\" already exists: choose another name.";
    QTest::newRow("bad name") << "gpu1"
                              << "my site"
                              << ""
                              << "site name \"my site\"";
    QTest::newRow("relative key") << "gpu1"
                                  << "gpu1"
                                  << "id_rsa"
                                  << "identity_file must be an absolute path or start with ~/";
}

void TestAddSite::badInputIsShownAndNothingWritten()
{
    QFETCH(QString, host);
    QFETCH(QString, name);
    QFETCH(QString, identity);
    QFETCH(QString, error);
    const QByteArray before = "# a person's file\n";
    QVERIFY(QDir().mkpath(QFileInfo(registryPath()).path()));
    QVERIFY(writeFile(registryPath(), before));

    Supervisor supervisor(options());
    SiteSpec taken;
    taken.name = QStringLiteral("taken");
    taken.runRoot = QStringLiteral("vigil-runs");
    supervisor.addSite(taken);
    auto dialog = openDialog(&supervisor);
    QTest::keyClicks(child<QComboBox>(dialog.get(), "siteHost")->lineEdit(), host);
    retype(child<QLineEdit>(dialog.get(), "siteName"), name);
    QTest::keyClicks(child<QLineEdit>(dialog.get(), "identityFile"), identity);
    QSignalSpy added(dialog.get(), &AddSiteDialog::siteAdded);
    pressOk(dialog.get());

    // Checked before anything is written: the answer is there at once.
    QVERIFY2(dialog->errorText().contains(error), qPrintable(dialog->errorText()));
    QVERIFY(child<QLabel>(dialog.get(), "addSiteError")->isVisible());
    QVERIFY(dialog->isVisible());
    QVERIFY(child<QLineEdit>(dialog.get(), "siteName")->isEnabled()); // not saving
    QCOMPARE(added.size(), 0);
    QCOMPARE(readAll(registryPath()), before);
    QCOMPARE(supervisor.sites().size(), 1);

    // Typing again clears the message.
    QTest::keyClicks(child<QLineEdit>(dialog.get(), "siteName"), QStringLiteral("x"));
    QCOMPARE(dialog->errorText(), QString());
}

void TestAddSite::nameInTheRegistryIsRefusedOnSave()
{
    // The registry has the name, this Supervisor does not (a site added by
    // vigilctl since the window opened): refused when saving.
    SiteRegistry registry(registryPath());
    SiteSpec other;
    other.name = QStringLiteral("gpu1");
    other.kind = SiteSpec::Kind::Ssh;
    other.host = QStringLiteral("elsewhere");
    other.runRoot = QStringLiteral("vigil-runs");
    QVERIFY(registry.add(other).ok());
    QVERIFY(registry.save().ok());
    const QByteArray before = readAll(registryPath());

    Supervisor supervisor(options());
    auto dialog = openDialog(&supervisor);
    QTest::keyClicks(child<QComboBox>(dialog.get(), "siteHost")->lineEdit(),
                     QStringLiteral("gpu1"));
    QSignalSpy failed(dialog.get(), &AddSiteDialog::saveFailed);
    pressOk(dialog.get());
    QVERIFY(failed.wait(10000));
    QVERIFY2(dialog->errorText().contains(QLatin1String("already has a site named \"gpu1\"")),
             qPrintable(dialog->errorText()));
    QVERIFY(dialog->isVisible());
    QCOMPARE(readAll(registryPath()), before);
    QVERIFY(supervisor.sites().isEmpty());
}

void TestAddSite::localSiteNeedsNoHost()
{
    Supervisor supervisor(options());
    auto dialog = openDialog(&supervisor);
    auto *kind = child<QComboBox>(dialog.get(), "siteKind");
    kind->setFocus();
    QTest::keyClick(kind, Qt::Key_End);
    QCOMPARE(kind->currentText(), QStringLiteral("This computer"));
    QVERIFY(!child<QComboBox>(dialog.get(), "siteHost")->isEnabled());
    QCOMPARE(child<QLineEdit>(dialog.get(), "siteName")->text(), QStringLiteral("local"));
    QSignalSpy added(dialog.get(), &AddSiteDialog::siteAdded);
    pressOk(dialog.get());
    QVERIFY2(added.wait(10000), qPrintable(dialog->errorText()));
    SiteRegistry registry(registryPath());
    QVERIFY(registry.load().ok());
    QVERIFY(registry.site(QStringLiteral("local")));
    QCOMPARE(registry.site(QStringLiteral("local"))->kind, SiteSpec::Kind::Local);
    QTRY_COMPARE_WITH_TIMEOUT(supervisor.siteStatus(QStringLiteral("local")).connection,
                              Transport::State::Connected, 10000);
}

void TestAddSite::windowHasTheActionAndThePrompts()
{
    Supervisor supervisor(options());
    MainWindow window(&supervisor);
    window.show();
    QVERIFY(window.findChild<AuthPrompter *>());
    auto *action = window.findChild<QAction *>(QStringLiteral("addSiteAction"));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    // Also in the Sites dock's context menu.
    auto *sitesView = window.findChild<QTableView *>(QStringLiteral("sitesView"));
    QVERIFY(sitesView);
    QVERIFY(sitesView->actions().contains(action));
    QCOMPARE(sitesView->contextMenuPolicy(), Qt::ActionsContextMenu);

    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTest::keySequence(&window, action->shortcut());
    QTRY_VERIFY(window.findChild<AddSiteDialog *>());
    auto *dialog = window.findChild<AddSiteDialog *>();
    QTRY_VERIFY(dialog->isVisible());
    QVERIFY(!dialog->isModal());
    dialog->reject();
}

void TestAddSite::newHostKeyIsAskedChangedKeyRefused()
{
    SupervisorOptions o = options();
    o.hostKeyPolicy = HostKeyPolicy::Ask;
    Supervisor supervisor(o);
    MainWindow window(&supervisor);
    window.show();
    const auto addFromWindow = [&](const QString &alias) {
        window.findChild<QAction *>(QStringLiteral("addSiteAction"))->trigger();
        AddSiteDialog *dialog = nullptr;
        for (AddSiteDialog *d : window.findChildren<AddSiteDialog *>())
            if (d->isVisible())
                dialog = d;
        QVERIFY(dialog);
        QTest::keyClicks(child<QComboBox>(dialog, "siteHost")->lineEdit(), alias);
        QSignalSpy added(dialog, &AddSiteDialog::siteAdded);
        pressOk(dialog);
        QVERIFY2(added.wait(10000), qPrintable(dialog->errorText()));
    };

    // Unknown: the window asks with the SHA256 fingerprint; trusted, it connects.
    addFromWindow(QStringLiteral("vtest-new"));
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QMessageBox *>(QStringLiteral("hostKeyPrompt")),
                             20000);
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("hostKeyPrompt"));
    QVERIFY2(box->informativeText().contains(QLatin1String("SHA256:")),
             qPrintable(box->informativeText()));
    QVERIFY(box->text().contains(QLatin1String("vtest-new")));
    const auto buttons = box->buttons();
    for (QAbstractButton *b : buttons)
        if (box->buttonRole(b) == QMessageBox::AcceptRole)
            QTest::mouseClick(b, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(supervisor.siteStatus(QStringLiteral("vtest-new")).connection,
                              Transport::State::Connected, 20000);
    QVERIFY(readAll(m_tmp.filePath(QStringLiteral("known_new"))).contains("[127.0.0.1]:"));

    // Changed: refused, with an issue that says so; nothing is asked.
    addFromWindow(QStringLiteral("vtest-changed"));
    QTRY_COMPARE_WITH_TIMEOUT(supervisor.siteStatus(QStringLiteral("vtest-changed")).connection,
                              Transport::State::Failed, 20000);
    QString issues;
    for (const Issue &i : supervisor.issues())
        if (i.site == QLatin1String("vtest-changed"))
            issues += i.message;
    QVERIFY2(issues.contains(QLatin1String("CHANGED")), qPrintable(issues));
    QVERIFY(!window.findChild<QMessageBox *>(QStringLiteral("hostKeyPrompt")));
    qInfo().noquote() << issues;
}

QTEST_MAIN(TestAddSite)
#include "tst_addsite.moc"
