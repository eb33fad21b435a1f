// SPDX-License-Identifier: GPL-3.0-or-later
// No secret in logs, settings or stores after a whole session (docs/security.md,
// "A lost laptop"). Runs under tests/notify/with-keyring.sh: a private HOME and
// XDG directories, a private D-Bus session with GNOME Keyring. With every
// logging category at debug (QT_LOGGING_RULES=*.debug=true, the `.trace` wire
// dumps and libssh's own messages included), all of it written to a log file,
// the window (MainWindow, offscreen) runs one session against the sandbox:
//   - an encrypted copy of the sandbox key, its passphrase typed into the
//     window's passphrase dialog; a SLURM run launched with it;
//   - the multi-factor account (key, then a one-time code typed into the
//     keyboard-interactive dialog), a site added with `vigilctl site add`;
//   - two webhooks typed into Phone Notifications…: an ntfy topic with an
//     access token, a Slack-style URL whose path is the credential; both kept
//     in the keyring, both delivered to a recording HTTP server;
//   - the checkpoint reviewed and decided in the review dialog, sent through
//     the store's outbox and applied by the job; the window closed (settings).
// Then every file under HOME (settings, webhooks.toml, sites.toml, the store
// and its journal, the keyring, the log, vigilctl's output, TMPDIR) and every
// file of the run directory on the cluster is searched for each secret, raw,
// in base64 (any alignment, both alphabets), percent- and form-encoded, hex and
// UTF-16: none may hold one. Positive controls: the token and the URL reached
// the server, the log has the trace lines, each kind of file exists.

#include "../common/httprecorder.h"
#include "../ssh/sshtesthelpers.h"
#include "core/logging.h"
#include "engine/launcher.h"
#include "notify/notifylog.h"
#include "notify/secretstore.h"
#include "notify/webhookdispatcher.h"
#include "sites/site.h"
#include "sites/siteregistry.h"
#include "store/store.h"
#include "supervisor.h"
#include "ui/checkpointdialog.h"
#include "ui/mainwindow.h"
#include "ui/webhooksdialog.h"
#include "workflow/workflow.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLineEdit>
#include <QMutex>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>
#include <memory>
#include <optional>

using namespace vigil;
using namespace vigil::test;

namespace {

// Every message of the process, any thread, into one file (and the test's own
// lines and warnings also to stderr).
QMutex s_logMutex;
QFile *s_logFile = nullptr;
qint64 s_logLines = 0;
QtMessageHandler s_previousHandler = nullptr;

void logToFile(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QByteArray category(context.category ? context.category : "");
    {
        const QMutexLocker lock(&s_logMutex);
        if (s_logFile) {
            s_logFile->write(category + ": " + message.toUtf8() + '\n');
            s_logFile->flush();
            ++s_logLines;
        }
    }
    const bool quiet = type == QtDebugMsg || type == QtInfoMsg;
    if (s_previousHandler && (!quiet || category == "default"))
        s_previousHandler(type, context, message);
}

QString randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return QString::fromLatin1(raw.toHex());
}

// The characters of base64(prefix + secret) that depend on the secret's bytes
// alone, for a prefix of 0, 1 and 2 bytes: the secret inside any larger
// base64 text shows one of these three.
QList<QByteArray> base64Forms(const QByteArray &secret, QByteArray::Base64Options alphabet)
{
    QList<QByteArray> forms;
    for (int shift = 0; shift < 3; ++shift) {
        const QByteArray encoded = QByteArray(QByteArray(shift, '\0') + secret)
                                       .toBase64(alphabet | QByteArray::OmitTrailingEquals);
        const qsizetype first = (8 * shift + 5) / 6;
        const qsizetype last = (8 * (shift + secret.size()) - 6) / 6;
        forms << encoded.mid(first, last - first + 1);
    }
    return forms;
}

struct Form
{
    QString name; // "raw", "base64 (shift 1)" ...
    QByteArray bytes;
};

// Every form of `secret` searched for.
QList<Form> formsOf(const QString &secret)
{
    const QByteArray utf8 = secret.toUtf8();
    QList<Form> forms{
        {QStringLiteral("raw"), utf8},
        {QStringLiteral("percent-encoded"), QUrl::toPercentEncoding(secret)},
        {QStringLiteral("percent-encoded, lower case"), QUrl::toPercentEncoding(secret).toLower()},
        {QStringLiteral("form-encoded"), QUrl::toPercentEncoding(secret, " ").replace(' ', '+')},
        {QStringLiteral("hex"), utf8.toHex()},
        {QStringLiteral("UTF-16"),
         QByteArray(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2)}};
    for (const auto &[alphabet, name] :
         {std::pair{QByteArray::Base64Encoding, QStringLiteral("base64")},
          std::pair{QByteArray::Base64UrlEncoding, QStringLiteral("base64url")}}) {
        const QList<QByteArray> b64 = base64Forms(utf8, alphabet);
        for (qsizetype i = 0; i < b64.size(); ++i)
            forms << Form{QStringLiteral("%1 (shift %2)").arg(name).arg(i), b64.at(i)};
    }
    return forms;
}

struct Found
{
    QString file;
    QString secret;
    QString form;
};

// Searches every regular file below `root` (links not followed) for every
// form of every secret; counts the files read, lists those it could not read.
QList<Found> search(const QString &root, const QHash<QString, QString> &secrets, QStringList *files,
                    QStringList *unreadable)
{
    QList<std::pair<QString, Form>> needles;
    for (auto it = secrets.cbegin(); it != secrets.cend(); ++it)
        for (const Form &f : formsOf(it.value()))
            needles.append({it.key(), f});
    QList<Found> found;
    QDirIterator dirs(root, QDir::Files | QDir::Hidden | QDir::System | QDir::NoSymLinks,
                      QDirIterator::Subdirectories);
    while (dirs.hasNext()) {
        const QString path = dirs.next();
        if (!dirs.fileInfo().isFile())
            continue; // sockets, fifos
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            *unreadable << QStringLiteral("%1 (%2)").arg(path, f.errorString());
            continue;
        }
        const QByteArray bytes = f.readAll();
        *files << QStringLiteral("%1 (%2 bytes)").arg(path).arg(bytes.size());
        for (const auto &[secret, form] : needles)
            if (bytes.contains(form.bytes))
                found.append({path, secret, form.name});
    }
    return found;
}

QString describe(const QList<Found> &found)
{
    QStringList lines;
    for (const Found &f : found)
        lines << QStringLiteral("%1 holds the %2 (%3)").arg(f.file, f.secret, f.form);
    return lines.join(QLatin1Char('\n'));
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The open dialog of the window with this object name, or null.
QDialog *openDialog(QWidget &window, const QString &objectName)
{
    for (QDialog *d : window.findChildren<QDialog *>(objectName))
        if (d->isVisible())
            return d;
    return nullptr;
}

// Types `text` into the field of the open dialog OBJECTNAME and clicks OK; the
// dialog closes.
void typeAndOk(QWidget &window, const QString &objectName, const QString &field,
               const QString &text)
{
    QTRY_VERIFY_WITH_TIMEOUT(openDialog(window, objectName), 20000);
    const QPointer<QDialog> dialog = openDialog(window, objectName);
    auto *edit = dialog->findChild<QLineEdit *>(field);
    QVERIFY2(edit, qPrintable(field));
    QTest::keyClicks(edit, text);
    auto *box = dialog->findChild<QDialogButtonBox *>();
    QVERIFY(box);
    QTest::mouseClick(box->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog, 5000); // closed and deleted
}

} // namespace

class TestNoSecrets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void searchFindsEveryForm();
    void wholeSession();
    void noFileHoldsASecret();

private:
    QString home(const QString &relative = QString()) const
    {
        return relative.isEmpty() ? m_home : m_home + QLatin1Char('/') + relative;
    }
    // Runs vigilctl with ARGS (the test's HOME and XDG directories), its
    // output kept in HOME/NAME.out; the exit code, -1 when it did not end.
    int vigilctl(const QString &name, const QStringList &args);

    SandboxEnv m_env;
    QString m_home;
    QString m_runRoot;     // relative to the sandbox user's home
    QString m_runRootPath; // absolute, on this machine
    QString m_mfaRunRoot;  // the same for the multi-factor user
    QString m_mfaRunRootPath;
    QString m_lockedKey;
    QString m_runId;
    QHash<QString, QString> m_secrets; // what -> the secret
    QList<RecordedRequest> m_requests; // what the webhook server received
    bool m_sessionDone = false;
    bool m_homeIsPrivate = false; // HOME is with-keyring.sh's temporary directory
};

void TestNoSecrets::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY2(!m_env.mfaAlias.isEmpty() && m_env.jumpPort > 0,
             "the sandbox has no multi-factor sshd: restart it with sandbox/vigil-sandbox start");
    QVERIFY2(qEnvironmentVariableIsSet("VIGIL_TEST_KEYRING"),
             "run under tests/notify/with-keyring.sh (ctest -R tst_no_secrets does)");
    QVERIFY2(!qEnvironmentVariableIsEmpty("VIGILCTL"), "VIGILCTL (the vigilctl binary) is not set");
    // Every category at debug, the wire dumps too: the log has all there is.
    QVERIFY2(lcSshTrace().isDebugEnabled() && lcNotify().isDebugEnabled() &&
                 QLoggingCategory("qt.network.access").isDebugEnabled(),
             "QT_LOGGING_RULES must enable every category at debug (*.debug=true)");

    // Everything the session writes on this machine goes below HOME (the
    // private one of with-keyring.sh): temporary files too.
    m_home = QDir(qEnvironmentVariable("HOME")).absolutePath();
    QVERIFY2(m_home.startsWith(QDir::tempPath()) || m_home.startsWith(QLatin1String("/tmp/")),
             qPrintable(QStringLiteral("HOME %1 is not a private temporary one").arg(m_home)));
    m_homeIsPrivate = true;
    QVERIFY(QDir().mkpath(home(QStringLiteral("tmp"))));
    qputenv("TMPDIR", home(QStringLiteral("tmp")).toUtf8());
    for (const char *dir : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"})
        QVERIFY2(qEnvironmentVariable(dir).startsWith(m_home), dir);
    qputenv("XDG_CACHE_HOME", home(QStringLiteral("cache")).toUtf8());
    qputenv("XDG_STATE_HOME", home(QStringLiteral("state")).toUtf8());
    qunsetenv("VIGIL_STORE_PATH"); // the store where the window keeps it
    qunsetenv("SSH_AUTH_SOCK");    // only the keys the test names
    QApplication::setOrganizationName(QStringLiteral("Vigil"));
    QApplication::setApplicationName(QStringLiteral("vigil"));

    s_logFile = new QFile(home(QStringLiteral("vigil-session.log")));
    QVERIFY(s_logFile->open(QIODevice::WriteOnly | QIODevice::Truncate));
    s_previousHandler = qInstallMessageHandler(logToFile);

    // Each secret is random and long: no file holds it by chance. The
    // passphrase has a space and a slash so that its encodings differ.
    m_secrets.insert(QStringLiteral("key passphrase"),
                     QStringLiteral("pass phrase/%1").arg(randomHex(12)));
    m_secrets.insert(QStringLiteral("wrong passphrase"),
                     QStringLiteral("pass phrase/%1").arg(randomHex(12)));
    m_secrets.insert(QStringLiteral("one-time code"), QStringLiteral("otp%1").arg(randomHex(10)));
    m_secrets.insert(QStringLiteral("wrong code"), QStringLiteral("otp%1").arg(randomHex(10)));
    m_secrets.insert(QStringLiteral("ntfy token"), QStringLiteral("tk_%1").arg(randomHex(16)));
    m_secrets.insert(QStringLiteral("webhook URL path"),
                     QStringLiteral("T%1/B%2/%3").arg(randomHex(5), randomHex(5), randomHex(12)));

    // An encrypted copy of the sandbox key: the same public key, already in
    // the sandbox user's authorized_keys. In HOME, like a user's own key.
    QVERIFY(QDir().mkpath(home(QStringLiteral(".ssh"))));
    m_lockedKey = home(QStringLiteral(".ssh/id_locked"));
    QVERIFY(QFile::copy(m_env.key, m_lockedKey));
    QVERIFY(QFile::setPermissions(m_lockedKey, QFile::ReadOwner | QFile::WriteOwner));
    QProcess keygen;
    keygen.start(QStringLiteral("ssh-keygen"),
                 {QStringLiteral("-q"), QStringLiteral("-p"), QStringLiteral("-P"), QString(),
                  QStringLiteral("-N"), m_secrets.value(QStringLiteral("key passphrase")),
                  QStringLiteral("-f"), m_lockedKey});
    QVERIFY(keygen.waitForFinished(10000));
    QVERIFY2(keygen.exitCode() == 0, keygen.readAllStandardError().constData());
    QVERIFY2(readAll(m_lockedKey) != readAll(m_env.key), "the key copy was not encrypted");

    const QString suffix = randomHex(4);
    m_runRoot = QStringLiteral("vigil-nosecrets-%1").arg(suffix);
    m_mfaRunRoot = QStringLiteral("vigil-nosecrets-mfa-%1").arg(suffix);
}

void TestNoSecrets::cleanupTestCase()
{
    for (const QString &dir : {m_runRootPath, m_mfaRunRootPath})
        if (!dir.isEmpty() && dir.contains(QLatin1String("/vigil-nosecrets-")))
            QDir(dir).removeRecursively();
    if (!m_env.mfaOtpFile.isEmpty())
        QFile::remove(m_env.mfaOtpFile); // unused when the login failed
    // The handler stays: from now on it passes on warnings only.
    {
        const QMutexLocker lock(&s_logMutex);
        delete s_logFile;
        s_logFile = nullptr;
    }
    // with-keyring.sh's own clean-up does not run (its `exec` drops the trap):
    // the private HOME, with the encrypted key copy, goes here.
    if (m_homeIsPrivate)
        QDir(m_home).removeRecursively();
}

int TestNoSecrets::vigilctl(const QString &name, const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setStandardOutputFile(home(name + QStringLiteral(".out")));
    p.start(qEnvironmentVariable("VIGILCTL"), QStringList{QStringLiteral("--verbose")} + args);
    if (!p.waitForFinished(60000))
        return -1;
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

void TestNoSecrets::searchFindsEveryForm()
{
    // The search itself: a secret hidden in each form inside other text is found.
    const QString secret = QStringLiteral("pass phrase/0123abcd");
    for (const Form &form : formsOf(secret)) {
        QTemporaryDir dir(home(QStringLiteral("tmp/search-XXXXXX")));
        QFile f(dir.filePath(QStringLiteral("probe")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("xx" + form.bytes + "yy");
        f.close();
        QStringList files;
        QStringList unreadable;
        const QList<Found> found =
            search(dir.path(), {{QStringLiteral("probe"), secret}}, &files, &unreadable);
        QCOMPARE(files.size(), 1);
        QVERIFY2(!found.isEmpty(), qPrintable(form.name));
    }
    // Base64 of a longer text, the secret at each offset.
    for (int offset = 0; offset < 3; ++offset) {
        const QByteArray text = QByteArray(offset + 4, 'a') + secret.toUtf8() + "bbbb";
        bool hit = false;
        for (const Form &form : formsOf(secret))
            hit = hit || text.toBase64().contains(form.bytes);
        QVERIFY2(hit, qPrintable(QStringLiteral("base64 at offset %1").arg(offset)));
    }
}

void TestNoSecrets::wholeSession()
{
    const QString passphrase = m_secrets.value(QStringLiteral("key passphrase"));
    const QString code = m_secrets.value(QStringLiteral("one-time code"));
    const QString token = m_secrets.value(QStringLiteral("ntfy token"));
    HttpRecorder http;
    QVERIFY(http.listen());
    const QString slackUrl =
        http.url(QLatin1String("/hooks/") + m_secrets.value(QStringLiteral("webhook URL path")));

    // The multi-factor site, added as a user would: `vigilctl site add`.
    QCOMPARE(vigilctl(QStringLiteral("vigilctl-site-add"),
                      {QStringLiteral("site"), QStringLiteral("add"), QStringLiteral("mfa"),
                       QStringLiteral("--kind"), QStringLiteral("ssh"), QStringLiteral("--host"),
                       m_env.mfaAlias, QStringLiteral("--run-root"), m_mfaRunRoot}),
             0);
    SiteRegistry registry;
    VIGIL_VERIFY_OK(registry.load());
    QCOMPARE(registry.sites().size(), 1);

    // The workflow: a SLURM site reached with the encrypted key.
    QFile wfFile(home(QStringLiteral("workflow/workflow.toml")));
    QVERIFY(QDir().mkpath(home(QStringLiteral("workflow"))));
    QVERIFY(QFile::copy(qEnvironmentVariable("VIGIL_SOURCE_DIR") +
                            QStringLiteral("/examples/train-review/train.py"),
                        home(QStringLiteral("workflow/train.py"))));
    QVERIFY(wfFile.open(QIODevice::WriteOnly));
    wfFile.write(QStringLiteral("[workflow]\nname = \"no-secrets\"\n"
                                "[sites.cluster]\nkind = \"slurm\"\nhost = \"%1\"\nport = %2\n"
                                "user = \"%3\"\nidentity_file = \"%4\"\nknown_hosts = \"%5\"\n"
                                "run_root = \"%6\"\n"
                                "[tasks.train]\nsite = \"cluster\"\ninputs = [\"train.py\"]\n"
                                "command = [\"python3\", \"train.py\", \"--epochs\", \"60\", "
                                "\"--epoch-seconds\", \"0.3\"]\n")
                     .arg(m_env.sshHost)
                     .arg(m_env.sshPort)
                     .arg(m_env.user, m_lockedKey, m_env.knownHosts, m_runRoot)
                     .toUtf8());
    wfFile.close();
    const Result<Workflow> workflow = loadWorkflow(wfFile.fileName());
    VIGIL_VERIFY_OK(workflow);

    {
        // As app/gui/main.cpp composes the window.
        Store store;
        QCOMPARE(store.path(), Store::defaultPath());
        SupervisorOptions so;
        so.store = &store;
        so.sshConfigFile = m_env.sshConfig;
        so.hostKeyPolicy = HostKeyPolicy::Strict;
        so.pollSeconds = 1;
        Supervisor supervisor(so);
        KeychainSecretStore secrets;
        WebhookDispatcherOptions wo;
        wo.retryDelayMs = [](int) { return 200; };
        WebhookDispatcher webhooks(&supervisor, &secrets, wo);
        QSignalSpy delivered(&webhooks, &WebhookDispatcher::delivered);
        auto window = std::make_unique<MainWindow>(&supervisor);
        window->setWebhooks(&secrets, &webhooks);
        window->setWorkflow(*workflow);
        window->show();

        // Phone Notifications…: an ntfy topic with a token, a Slack-style
        // URL; Send Test, then Save (keyring + webhooks.toml + dispatcher).
        {
            WebhooksDialog d(&secrets, &webhooks, window.get());
            QSignalSpy loaded(&d, &WebhooksDialog::loaded);
            QVERIFY(loaded.wait(5000));
            // The form's line edits in creation order: name, url, token, click, sites, runs.
            const auto edit = [&d](int i) { return d.findChildren<QLineEdit *>().at(i); };
            d.addWebhook();
            edit(0)->setText(QStringLiteral("phone"));
            d.findChildren<QComboBox *>().at(0)->setCurrentIndex(0); // ntfy
            edit(1)->setText(http.url(QStringLiteral("/vigil-topic")));
            QTest::keyClicks(edit(2), token);
            QSignalSpy tested(&d, &WebhooksDialog::testFinished);
            d.sendTest();
            QVERIFY(tested.wait(10000));
            QVERIFY2(tested.first().at(0).toBool(), qPrintable(tested.first().at(1).toString()));
            d.addWebhook();
            edit(0)->setText(QStringLiteral("team"));
            d.findChildren<QComboBox *>().at(0)->setCurrentIndex(1); // Slack/Mattermost
            edit(1)->setText(slackUrl);
            d.sendTest();
            QVERIFY(tested.wait(10000));
            QVERIFY2(tested.last().at(0).toBool(), qPrintable(tested.last().at(1).toString()));
            QSignalSpy saved(&d, &WebhooksDialog::saved);
            d.save();
            QVERIFY2(saved.wait(20000), qPrintable(d.statusText()));
            QCOMPARE(webhooks.targets().size(), 2);
        }

        // The sites: the workflow's and the registry's, as main.cpp adds them.
        {
            QFile otp(m_env.mfaOtpFile);
            QVERIFY(otp.open(QIODevice::WriteOnly | QIODevice::Truncate));
            otp.write(code.toUtf8() + '\n');
        }
        const QList<SiteSpec> sites = mergeSites(workflow->sites, registry.sites());
        QCOMPARE(sites.size(), 2);
        // The first post of each webhook's "arrived" fails (HTTP 503, an
        // issue, a warning in the log) and is sent again.
        http.statuses = {503, 503};
        QSignalSpy failed(&webhooks, &WebhookDispatcher::attemptFailed);
        for (const SiteSpec &s : sites)
            supervisor.addSite(s);

        // The passphrase and the code, typed into the window's sign-in dialogs.
        // A wrong answer first (asked again, like OpenSSH), then the right one.
        typeAndOk(*window, QStringLiteral("passphrasePrompt"), QStringLiteral("passphrase"),
                  m_secrets.value(QStringLiteral("wrong passphrase")));
        typeAndOk(*window, QStringLiteral("passphrasePrompt"), QStringLiteral("passphrase"),
                  passphrase);
        typeAndOk(*window, QStringLiteral("authPrompt"), QStringLiteral("answer0"),
                  m_secrets.value(QStringLiteral("wrong code")));
        typeAndOk(*window, QStringLiteral("authPrompt"), QStringLiteral("answer0"), code);
        if (QTest::currentTestFailed())
            return;
        QTRY_COMPARE_WITH_TIMEOUT(supervisor.siteStatus(QStringLiteral("cluster")).connection,
                                  Transport::State::Connected, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(supervisor.siteStatus(QStringLiteral("mfa")).connection,
                                  Transport::State::Connected, 20000);
        QVERIFY2(!QFile::exists(m_env.mfaOtpFile), "the one-time code was not used by the login");
        const QString clusterHome =
            supervisor.site(QStringLiteral("cluster"))->transport()->homeDirectory();
        const QString mfaHome =
            supervisor.site(QStringLiteral("mfa"))->transport()->homeDirectory();
        QVERIFY(!clusterHome.isEmpty() && !mfaHome.isEmpty());
        m_runRootPath = clusterHome + QLatin1Char('/') + m_runRoot;
        m_mfaRunRootPath = mfaHome + QLatin1Char('/') + m_mfaRunRoot;

        // A run on SLURM; its checkpoint arrives, both webhooks hear of it.
        Launcher launcher(&supervisor, *workflow);
        std::optional<Result<LaunchResult>> launched;
        launcher.start(QString(), [&](Result<LaunchResult> r) { launched.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(launched.has_value(), 60000);
        VIGIL_VERIFY_OK(*launched);
        m_runId = (*launched)->runId;
        supervisor.start();
        const QString key = QStringLiteral("cluster/%1/epoch-3").arg(m_runId);
        auto status = [&] {
            auto c = supervisor.checkpoint(QStringLiteral("cluster"), m_runId,
                                           QStringLiteral("epoch-3"));
            return c ? c->status : CheckpointInfo::Status::Broken;
        };
        QTRY_VERIFY_WITH_TIMEOUT(status() == CheckpointInfo::Status::Pending, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 20000);

        // Reviewed and decided in the window; the job applies it.
        window->openCheckpoint(key);
        QTRY_VERIFY_WITH_TIMEOUT(window->findChild<CheckpointDialog *>(), 10000);
        CheckpointDialog *review = window->findChild<CheckpointDialog *>();
        review->setComment(QStringLiteral("stopping: enough"));
        QPushButton *stop = review->optionButton(QStringLiteral("stop"));
        QVERIFY(stop);
        stop->click();
        QTRY_VERIFY_WITH_TIMEOUT(status() == CheckpointInfo::Status::Applied, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 4, 20000);
        QCOMPARE(failed.size(), 2);
        // The job ends (its last writes in the run directory).
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(m_runRootPath + QLatin1Char('/') + m_runId +
                                               QStringLiteral("/tasks/train/train.done")),
                                 30000);
        window->close(); // saves the settings
        window.reset();
        m_requests = http.requests;
    } // the store finishes its writes and closes

    // vigilctl reads the same store.
    QCOMPARE(vigilctl(QStringLiteral("vigilctl-audit"), {QStringLiteral("audit"), m_runId}), 0);
    QVERIFY2(readAll(home(QStringLiteral("vigilctl-audit.out"))).contains("stop"),
             readAll(home(QStringLiteral("vigilctl-audit.out"))).constData());
    m_sessionDone = true;
}

void TestNoSecrets::noFileHoldsASecret()
{
    QVERIFY2(m_sessionDone, "the session did not complete");
    // Positive controls: the secrets were used...
    const QString token = m_secrets.value(QStringLiteral("ntfy token"));
    const QByteArray slackPath =
        "/hooks/" + m_secrets.value(QStringLiteral("webhook URL path")).toUtf8();
    int withToken = 0;
    int toSlack = 0;
    for (const RecordedRequest &r : std::as_const(m_requests)) {
        withToken += r.header("Authorization") == "Bearer " + token.toUtf8() ? 1 : 0;
        toSlack += r.path == slackPath ? 1 : 0;
    }
    // Each: Send Test, "arrived" refused with 503, sent again, "decided".
    QCOMPARE(withToken, 4);
    QCOMPARE(toSlack, 4);
    // ... and the places searched hold what a session leaves.
    const QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    for (const QString &path :
         QStringList{config + QStringLiteral("/Vigil/vigil.conf"),
                     config + QStringLiteral("/vigil/sites.toml"),
                     config + QStringLiteral("/vigil/webhooks.toml"), Store::defaultPath(),
                     home(QStringLiteral("vigilctl-site-add.out")),
                     m_runRootPath + QLatin1Char('/') + m_runId +
                         QStringLiteral("/checkpoints/epoch-3/decision.json")})
        QVERIFY2(QFileInfo(path).size() > 0, qPrintable(path + QStringLiteral(" is missing")));
    QVERIFY2(readAll(config + QStringLiteral("/vigil/webhooks.toml")).contains("vigil-topic"),
             "webhooks.toml lacks the ntfy webhook");
    QVERIFY2(readAll(config + QStringLiteral("/Vigil/vigil.conf")).contains("geometry"),
             "the window saved no settings");
    const QByteArray log = readAll(home(QStringLiteral("vigil-session.log")));
    qInfo().noquote() << "log:" << s_logLines << "lines," << log.size() << "bytes";
    QVERIFY(s_logLines > 100);
    for (const char *line :
         {"vigil.ssh.trace: libssh:", "vigil.ssh.trace: exec", "vigil.ssh: authenticated as",
          "vigil.ssh: partial authentication", "vigil.ssh: wrong passphrase for",
          "denied; asking again", "vigil.notify: delivered", "failed: HTTP 503", "vigil.store:"})
        QVERIFY2(log.contains(line), line);

    // The search: everything below HOME, both run roots on the cluster.
    QStringList files;
    QStringList unreadable;
    QList<Found> found;
    for (const QString &root : {m_home, m_runRootPath, m_mfaRunRootPath})
        found << search(root, m_secrets, &files, &unreadable);
    qInfo().noquote() << "searched" << files.size() << "files for" << m_secrets.size()
                      << "secrets in" << formsOf(QStringLiteral("x")).size() << "forms each";
    QVERIFY2(unreadable.isEmpty(), qPrintable(unreadable.join(QLatin1Char('\n'))));
    qInfo().noquote() << files.join(QLatin1Char('\n'));
    QVERIFY(files.size() > 20);
    QVERIFY2(found.isEmpty(), qPrintable(describe(found)));
}

QTEST_MAIN(TestNoSecrets)
#include "tst_no_secrets.moc"
