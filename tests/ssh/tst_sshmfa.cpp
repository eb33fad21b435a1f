// SPDX-License-Identifier: GPL-3.0-or-later
// Multi-factor login against the sandbox's second sshd: for the MFA user it
// wants publickey, then keyboard-interactive, where PAM asks for a one-time
// code that this test writes into VIGIL_SANDBOX_MFA_OTP_FILE (the sandbox's
// checker uses a code up at the login it opens).

#include "sshtesthelpers.h"

#include <QFile>
#include <QLoggingCategory>
#include <QMutex>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

namespace {

// Everything logged while a test runs, from any thread.
class LogCapture
{
public:
    LogCapture()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("vigil.ssh*.debug=true"));
        s_self = this;
        m_previous = qInstallMessageHandler(&LogCapture::handler);
    }
    ~LogCapture()
    {
        qInstallMessageHandler(m_previous);
        s_self = nullptr;
        QLoggingCategory::setFilterRules(QString());
    }
    Q_DISABLE_COPY_MOVE(LogCapture)

    QString text() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_lines.join(QLatin1Char('\n'));
    }
    qsizetype lines() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_lines.size();
    }

private:
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (LogCapture *self = s_self) {
            {
                const QMutexLocker lock(&self->m_mutex);
                self->m_lines << QStringLiteral("%1: %2").arg(
                    QString::fromUtf8(context.category ? context.category : ""), message);
            }
            if (self->m_previous)
                self->m_previous(type, context, message);
        }
    }

    static inline LogCapture *s_self = nullptr;
    QtMessageHandler m_previous = nullptr;
    mutable QMutex m_mutex;
    QStringList m_lines;
};

QString randomCode()
{
    return QString::number(10000000 + QRandomGenerator::global()->bounded(90000000));
}

} // namespace

class TestSshMfa : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void keyAndCodeConnectOncePerSession();
    void wrongCodeIsRefusedAndNeverLogged();
    void noPromptHandlerIsCancelled();
    void keyAloneIsNotEnough();
    void otherUsersNeedOnlyTheKey();

private:
    SshTarget mfaTarget() const
    {
        SshTarget target;
        target.host = m_env.mfaAlias;
        target.configFile = m_env.sshConfig;
        target.hostKeyPolicy = HostKeyPolicy::Strict;
        return target;
    }
    bool writeCode(const QString &code) const
    {
        QFile f(m_env.mfaOtpFile);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
               f.write(code.toUtf8() + '\n') > 0;
    }
    QString account() const
    {
        return QStringLiteral("%1 on [127.0.0.1]:%2").arg(m_env.mfaUser).arg(m_env.jumpPort);
    }

    SandboxEnv m_env;
};

void TestSshMfa::initTestCase()
{
    VIGIL_REQUIRE_SANDBOX(m_env);
    QVERIFY2(!m_env.mfaAlias.isEmpty() && !m_env.mfaOtpFile.isEmpty() && m_env.jumpPort > 0,
             "the sandbox has no multi-factor sshd: restart it with sandbox/vigil-sandbox start");
    qunsetenv("SSH_AUTH_SOCK");
}

void TestSshMfa::cleanup()
{
    QFile::remove(m_env.mfaOtpFile);
}

void TestSshMfa::keyAndCodeConnectOncePerSession()
{
    const QString code = randomCode();
    QVERIFY(writeCode(code));
    LogCapture log;
    SshTransport t(mfaTarget());
    int asked = 0;
    connect(&t, &SshTransport::authPromptsRequested, &t,
            [&](const QString &name, const QString &, const QList<AuthPrompt> &prompts) {
                ++asked;
                QVERIFY2(name.contains(account()), qPrintable(name)); // whose login it is
                QCOMPARE(prompts.size(), 1);
                QVERIFY(!prompts.first().echo);
                t.answerAuthPrompts({code});
            });

    // Several operations of each kind: one login, one code.
    for (int i = 0; i < 3; ++i) {
        auto r = execWait(t, {QStringLiteral("id"), QStringLiteral("-un")});
        VIGIL_VERIFY_OK(r);
        QCOMPARE(r->out.trimmed(), m_env.mfaUser.toUtf8());
    }
    const QString path = QStringLiteral("vigil-mfa-test.txt");
    VIGIL_VERIFY_OK(writeWait(t, path, "second factor\n"));
    auto back = readWait(t, path);
    VIGIL_VERIFY_OK(back);
    QCOMPARE(back->data, QByteArray("second factor\n"));
    VIGIL_VERIFY_OK(listWait(t, QStringLiteral(".")));
    VIGIL_VERIFY_OK(execWait(t, {QStringLiteral("rm"), QStringLiteral("-f"), path}));
    QCOMPARE(asked, 1);
    QCOMPARE(t.state(), Transport::State::Connected);
    QVERIFY2(!QFile::exists(m_env.mfaOtpFile), "the code was not used up by the login");

    QVERIFY(log.lines() > 0);
    QVERIFY2(log.text().contains(QLatin1String("partial authentication")),
             "no partial success logged");
    QVERIFY2(!log.text().contains(code), "the one-time code is in the log");

    // A new session needs a new code: the used one is refused.
    t.close();
    QTRY_COMPARE_WITH_TIMEOUT(t.state(), Transport::State::Disconnected, 10000);
    auto again = execWait(t, {QStringLiteral("true")});
    QVERIFY(!again.ok());
    QCOMPARE(again.error().kind, Error::Kind::Auth);
    QVERIFY(asked > 1);
    QVERIFY2(!log.text().contains(code), "the one-time code is in the log");
}

void TestSshMfa::wrongCodeIsRefusedAndNeverLogged()
{
    const QString code = randomCode();
    QString wrong = randomCode();
    if (wrong == code)
        wrong = code + QLatin1Char('1');
    QVERIFY(writeCode(code));
    LogCapture log;
    SshTransport t(mfaTarget());
    int asked = 0;
    connect(&t, &SshTransport::authPromptsRequested, &t, [&] {
        ++asked;
        t.answerAuthPrompts({wrong});
    });
    auto r = execWait(t, {QStringLiteral("true")});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Auth);
    QCOMPARE(asked, 3); // asked again, like OpenSSH, then given up
    QVERIFY2(r.errorString().contains(account()), qPrintable(r.errorString()));
    QVERIFY2(
        r.errorString().contains(QLatin1String("keyboard-interactive (answers refused 3 times)")),
        qPrintable(r.errorString()));
    QVERIFY2(r.errorString().contains(QLatin1String(
                 "publickey accepted, but the server also requires keyboard-interactive")),
             qPrintable(r.errorString()));
    QVERIFY(QFile::exists(m_env.mfaOtpFile)); // still unused
    QVERIFY(log.lines() > 0);
    QVERIFY2(!log.text().contains(wrong), "the typed code is in the log");
    QVERIFY2(!log.text().contains(code), "the one-time code is in the log");
    qInfo().noquote() << r.errorString();
}

void TestSshMfa::noPromptHandlerIsCancelled()
{
    QVERIFY(writeCode(randomCode()));
    SshTransport t(mfaTarget()); // nobody to ask
    auto r = execWait(t, {QStringLiteral("true")});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Cancelled);
    QVERIFY2(
        r.errorString().startsWith(QStringLiteral("authentication as %1 cancelled").arg(account())),
        qPrintable(r.errorString()));
    QVERIFY2(r.errorString().contains(QLatin1String("keyboard-interactive (cancelled)")),
             qPrintable(r.errorString()));
    QCOMPARE(t.state(), Transport::State::Failed);
    qInfo().noquote() << r.errorString();
}

void TestSshMfa::keyAloneIsNotEnough()
{
    // The key is accepted, and the server still asks: the person declines.
    QVERIFY(writeCode(randomCode()));
    SshTransport t(mfaTarget());
    QSignalSpy asked(&t, &SshTransport::authPromptsRequested);
    connect(&t, &SshTransport::authPromptsRequested, &t, [&t] { t.answerAuthPrompts({}); });
    auto r = execWait(t, {QStringLiteral("true")});
    QVERIFY(!r.ok());
    QCOMPARE(asked.size(), 1);
    QVERIFY2(r.errorString().contains(QLatin1String(
                 "publickey accepted, but the server also requires keyboard-interactive")),
             qPrintable(r.errorString()));
    QVERIFY2(r.errorString().contains(QLatin1String("tried publickey (identity files) (accepted), "
                                                    "keyboard-interactive (cancelled)")),
             qPrintable(r.errorString()));
    QVERIFY(QFile::exists(m_env.mfaOtpFile)); // no login happened
}

void TestSshMfa::otherUsersNeedOnlyTheKey()
{
    // Same server, another user: publickey alone, no prompt.
    SshTarget target = mfaTarget();
    target.host = m_env.jumpAlias;
    SshTransport t(target);
    QSignalSpy asked(&t, &SshTransport::authPromptsRequested);
    auto r = execWait(t, {QStringLiteral("id"), QStringLiteral("-un")});
    VIGIL_VERIFY_OK(r);
    QCOMPARE(r->out.trimmed(), m_env.user.toUtf8());
    QCOMPARE(asked.size(), 0);
}

QTEST_GUILESS_MAIN(TestSshMfa)
#include "tst_sshmfa.moc"
