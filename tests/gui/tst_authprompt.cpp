// SPDX-License-Identifier: GPL-3.0-or-later
// The sign-in dialogs against the sandbox's sshd: the multi-factor account
// (its key, then a one-time code that PAM asks for by keyboard-interactive)
// and an encrypted copy of the sandbox key. What the test types goes through
// the dialog to the Supervisor and the site connects; a wrong code or Cancel
// leaves the site not connected with an issue, and no secret is logged.
#include "../common/sandboxenv.h"
#include "authprompt.h"
#include "sites/site.h"
#include "supervisor.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMutex>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

namespace {

// Every message of the process while a test runs, any thread.
QMutex s_logMutex;
QStringList s_log;
QtMessageHandler s_previousHandler = nullptr;

void keepMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        const QMutexLocker lock(&s_logMutex);
        s_log << message;
    }
    s_previousHandler(type, context, message);
}

bool logContains(const QString &text)
{
    const QMutexLocker lock(&s_logMutex);
    return s_log.join(QLatin1Char('\n')).contains(text);
}

QString randomCode()
{
    return QString::number(10000000 + QRandomGenerator::global()->bounded(90000000));
}

void clickButton(QDialog *dialog, QDialogButtonBox::StandardButton which)
{
    auto *box = dialog->findChild<QDialogButtonBox *>();
    QVERIFY(box);
    QTest::mouseClick(box->button(which), Qt::LeftButton);
}

// The issues of a site, as one text.
QString issuesOf(const Supervisor &supervisor, const QString &site)
{
    QStringList out;
    for (const Issue &i : supervisor.issues())
        if (i.site == site)
            out << i.message;
    return out.join(QLatin1Char('\n'));
}

} // namespace

class TestAuthPrompt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void codeTypedInTheDialogConnects();
    void wrongCodeLeavesTheSiteUnconnected();
    void cancelLeavesTheSiteUnconnected();
    void questionGoesWithItsConnection();
    void passphraseTypedInTheDialogConnects();
    void passphraseCancelledSkipsTheKey();
    void nobodyToAskIsCancelled();

private:
    struct Fixture
    {
        explicit Fixture(SupervisorOptions options)
            : supervisor(std::move(options)), prompter(&supervisor, &window)
        {
            window.show();
        }
        QWidget window;
        Supervisor supervisor;
        AuthPrompter prompter;
    };

    SupervisorOptions mfaOptions() const
    {
        SupervisorOptions o;
        o.sshConfigFile = m_env.sshConfig;
        o.hostKeyPolicy = HostKeyPolicy::Strict;
        return o;
    }
    SiteSpec mfaSite() const
    {
        SiteSpec s;
        s.name = QStringLiteral("mfa");
        s.kind = SiteSpec::Kind::Ssh;
        s.host = m_env.mfaAlias;
        s.runRoot = QStringLiteral("vigil-runs");
        return s;
    }
    bool writeCode(const QString &code) const
    {
        QFile f(m_env.mfaOtpFile);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
               f.write(code.toUtf8() + '\n') > 0;
    }
    // The sandbox key, encrypted with `passphrase`, reached without ssh_config.
    void lockedKeySite(const QString &passphrase, SupervisorOptions &options, SiteSpec &site);

    test::SandboxEnv m_env;
    QTemporaryDir m_tmp;
};

void TestAuthPrompt::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY2(!m_env.mfaAlias.isEmpty() && !m_env.mfaOtpFile.isEmpty(),
             "the sandbox has no multi-factor sshd: restart it with sandbox/vigil-sandbox start");
    QVERIFY(m_tmp.isValid());
    qunsetenv("SSH_AUTH_SOCK"); // only the keys a test names
    QLoggingCategory::setFilterRules(QStringLiteral("vigil.*.debug=true"));
    s_previousHandler = qInstallMessageHandler(keepMessage);
}

void TestAuthPrompt::cleanupTestCase()
{
    qInstallMessageHandler(s_previousHandler);
    QLoggingCategory::setFilterRules(QString());
}

void TestAuthPrompt::cleanup()
{
    QFile::remove(m_env.mfaOtpFile);
    const QMutexLocker lock(&s_logMutex);
    s_log.clear();
}

void TestAuthPrompt::codeTypedInTheDialogConnects()
{
    const QString code = randomCode();
    QVERIFY(writeCode(code));
    Fixture f(mfaOptions());
    QString sentName;
    QList<AuthPrompt> sent;
    connect(&f.supervisor, &Supervisor::authPromptsRequested, this,
            [&](const QString &site, const QString &name, const QString &,
                const QList<AuthPrompt> &prompts) {
                QCOMPARE(site, QStringLiteral("mfa"));
                sentName = name;
                sent = prompts;
            });
    f.supervisor.addSite(mfaSite());

    QTRY_VERIFY_WITH_TIMEOUT(f.prompter.dialog(QStringLiteral("mfa")), 20000);
    QDialog *dialog = f.prompter.dialog(QStringLiteral("mfa"));
    QCOMPARE(dialog->objectName(), QStringLiteral("authPrompt"));
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->isModal()); // the window stays usable
    QCOMPARE(f.supervisor.siteStatus(QStringLiteral("mfa")).connection,
             Transport::State::Connecting);
    // The server's own texts, one field per prompt, hidden as the server asks.
    QCOMPARE(sent.size(), 1);
    auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("answer0"));
    QVERIFY(field);
    QVERIFY(!dialog->findChild<QLineEdit *>(QStringLiteral("answer1")));
    QCOMPARE(field->echoMode(), sent.first().echo ? QLineEdit::Normal : QLineEdit::Password);
    QCOMPARE(field->echoMode(), QLineEdit::Password);
    QStringList labels;
    for (const QLabel *label : dialog->findChildren<QLabel *>())
        labels << label->text();
    QVERIFY2(labels.contains(sent.first().text.trimmed()), qPrintable(labels.join(u'|')));
    if (!sentName.isEmpty())
        QVERIFY2(labels.contains(sentName), qPrintable(labels.join(u'|')));
    qInfo().noquote() << "the dialog shows:" << labels.join(QStringLiteral(" | "));

    QTest::keyClicks(field, code);
    clickButton(dialog, QDialogButtonBox::Ok);
    QTRY_COMPARE_WITH_TIMEOUT(f.supervisor.siteStatus(QStringLiteral("mfa")).connection,
                              Transport::State::Connected, 20000);
    QVERIFY(!f.prompter.dialog(QStringLiteral("mfa")));
    QVERIFY2(!QFile::exists(m_env.mfaOtpFile), "the code was not used up by the login");
    QVERIFY2(!logContains(code), "the one-time code is in the log");
}

void TestAuthPrompt::wrongCodeLeavesTheSiteUnconnected()
{
    const QString code = randomCode();
    const QString wrong = QString::number(code.toLongLong() + 1);
    QVERIFY(writeCode(code));
    Fixture f(mfaOptions());
    int asked = 0;
    f.supervisor.addSite(mfaSite());
    // Asked again after each wrong answer, like OpenSSH, then given up.
    while (f.supervisor.siteStatus(QStringLiteral("mfa")).connection != Transport::State::Failed) {
        QTRY_VERIFY_WITH_TIMEOUT(f.prompter.dialog(QStringLiteral("mfa")) ||
                                     f.supervisor.siteStatus(QStringLiteral("mfa")).connection ==
                                         Transport::State::Failed,
                                 20000);
        QDialog *dialog = f.prompter.dialog(QStringLiteral("mfa"));
        if (!dialog)
            break;
        ++asked;
        QVERIFY(asked <= 3);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("answer0")), wrong);
        clickButton(dialog, QDialogButtonBox::Ok);
        QTRY_VERIFY(f.prompter.dialog(QStringLiteral("mfa")) != dialog);
    }
    QCOMPARE(asked, 3);
    QCOMPARE(f.supervisor.siteStatus(QStringLiteral("mfa")).connection, Transport::State::Failed);
    const QString issues = issuesOf(f.supervisor, QStringLiteral("mfa"));
    QVERIFY2(issues.contains(QLatin1String("answers refused 3 times")), qPrintable(issues));
    QVERIFY(QFile::exists(m_env.mfaOtpFile)); // no login happened
    QVERIFY2(!logContains(wrong), "the typed code is in the log");
}

void TestAuthPrompt::cancelLeavesTheSiteUnconnected()
{
    QVERIFY(writeCode(randomCode()));
    Fixture f(mfaOptions());
    f.supervisor.addSite(mfaSite());
    QTRY_VERIFY_WITH_TIMEOUT(f.prompter.dialog(QStringLiteral("mfa")), 20000);
    clickButton(f.prompter.dialog(QStringLiteral("mfa")), QDialogButtonBox::Cancel);
    QTRY_COMPARE_WITH_TIMEOUT(f.supervisor.siteStatus(QStringLiteral("mfa")).connection,
                              Transport::State::Failed, 20000);
    QVERIFY(!f.prompter.dialog(QStringLiteral("mfa")));
    const QString issues = issuesOf(f.supervisor, QStringLiteral("mfa"));
    QVERIFY2(issues.contains(QLatin1String("keyboard-interactive (cancelled)")),
             qPrintable(issues));
    QVERIFY(QFile::exists(m_env.mfaOtpFile));
}

void TestAuthPrompt::questionGoesWithItsConnection()
{
    // The attempt ends while its question is open (here the site is closed;
    // a server's LoginGraceTime does the same): the dialog goes, unanswered.
    QVERIFY(writeCode(randomCode()));
    Fixture f(mfaOptions());
    f.supervisor.addSite(mfaSite());
    QTRY_VERIFY_WITH_TIMEOUT(f.prompter.dialog(QStringLiteral("mfa")), 20000);
    QPointer<QDialog> dialog = f.prompter.dialog(QStringLiteral("mfa"));
    QSignalSpy answered(&f.prompter, &AuthPrompter::answered);
    f.supervisor.site(QStringLiteral("mfa"))->transport()->close();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog, 10000); // closed and deleted
    QVERIFY(!f.prompter.dialog(QStringLiteral("mfa")));
    QCOMPARE(answered.count(), 0);
}

void TestAuthPrompt::lockedKeySite(const QString &passphrase, SupervisorOptions &options,
                                   SiteSpec &site)
{
    const QString key = m_tmp.filePath(QStringLiteral("locked-%1").arg(passphrase.size()));
    QFile::remove(key);
    QVERIFY(QFile::copy(m_env.key, key));
    QVERIFY(QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner));
    QProcess keygen;
    keygen.start(QStringLiteral("ssh-keygen"),
                 {QStringLiteral("-q"), QStringLiteral("-p"), QStringLiteral("-P"), QString(),
                  QStringLiteral("-N"), passphrase, QStringLiteral("-f"), key});
    QVERIFY(keygen.waitForFinished(10000));
    QVERIFY2(keygen.exitCode() == 0, keygen.readAllStandardError().constData());
    const QString emptyConfig = m_tmp.filePath(QStringLiteral("empty_config"));
    QFile config(emptyConfig);
    QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
    config.close();

    options.sshConfigFile = emptyConfig;
    options.hostKeyPolicy = HostKeyPolicy::Strict;
    site.name = QStringLiteral("locked");
    site.kind = SiteSpec::Kind::Ssh;
    site.host = m_env.sshHost;
    site.port = m_env.sshPort;
    site.user = m_env.user;
    site.identityFile = key;
    site.knownHostsFile = m_env.knownHosts;
    site.runRoot = QStringLiteral("vigil-runs");
}

void TestAuthPrompt::passphraseTypedInTheDialogConnects()
{
    const QString passphrase = QStringLiteral("open sesame %1").arg(randomCode());
    SupervisorOptions options;
    SiteSpec site;
    lockedKeySite(passphrase, options, site);
    Fixture f(options);
    f.supervisor.addSite(site);
    QTRY_VERIFY_WITH_TIMEOUT(f.prompter.dialog(QStringLiteral("locked")), 20000);
    QDialog *dialog = f.prompter.dialog(QStringLiteral("locked"));
    QCOMPARE(dialog->objectName(), QStringLiteral("passphrasePrompt"));
    QStringList labels;
    for (const QLabel *label : dialog->findChildren<QLabel *>())
        labels << label->text();
    QVERIFY2(labels.join(u'\n').contains(site.identityFile), qPrintable(labels.join(u'|')));
    auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("passphrase"));
    QVERIFY(field);
    QCOMPARE(field->echoMode(), QLineEdit::Password);
    QTest::keyClicks(field, passphrase);
    clickButton(dialog, QDialogButtonBox::Ok);
    QTRY_COMPARE_WITH_TIMEOUT(f.supervisor.siteStatus(QStringLiteral("locked")).connection,
                              Transport::State::Connected, 20000);
    QVERIFY2(!logContains(passphrase), "the passphrase is in the log");
}

void TestAuthPrompt::passphraseCancelledSkipsTheKey()
{
    SupervisorOptions options;
    SiteSpec site;
    lockedKeySite(QStringLiteral("another secret"), options, site);
    Fixture f(options);
    f.supervisor.addSite(site);
    QTRY_VERIFY_WITH_TIMEOUT(f.prompter.dialog(QStringLiteral("locked")), 20000);
    clickButton(f.prompter.dialog(QStringLiteral("locked")), QDialogButtonBox::Cancel);
    QTRY_COMPARE_WITH_TIMEOUT(f.supervisor.siteStatus(QStringLiteral("locked")).connection,
                              Transport::State::Failed, 20000);
    const QString issues = issuesOf(f.supervisor, QStringLiteral("locked"));
    QVERIFY2(!issues.isEmpty(), "no issue listed");
    qInfo().noquote() << issues;
}

void TestAuthPrompt::nobodyToAskIsCancelled()
{
    // A Supervisor without dialogs (vigilctl) does not wait for an answer.
    QVERIFY(writeCode(randomCode()));
    Supervisor supervisor(mfaOptions());
    supervisor.addSite(mfaSite());
    QTRY_COMPARE_WITH_TIMEOUT(supervisor.siteStatus(QStringLiteral("mfa")).connection,
                              Transport::State::Failed, 20000);
    const QString issues = issuesOf(supervisor, QStringLiteral("mfa"));
    QVERIFY2(issues.contains(QLatin1String("keyboard-interactive (cancelled)")),
             qPrintable(issues));
}

QTEST_MAIN(TestAuthPrompt)
#include "tst_authprompt.moc"
