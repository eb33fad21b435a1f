// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Reads the sandbox cluster's description for integration tests:
// $VIGIL_SANDBOX_DIR/sandbox.env (default /var/tmp/vigil-sandbox), KEY=VALUE lines
// written by `sandbox/vigil-sandbox start`. Header-only; any test may use it.
//
//     void MyTest::initTestCase()
//     {
//         VIGIL_REQUIRE_SANDBOX(m_sandbox);   // QFAILs if the sandbox is not running
//     }

#include <QFile>
#include <QHash>
#include <QProcess>
#include <QRandomGenerator>
#include <QString>
#include <QTest>
#include <pwd.h>

namespace vigil::test {

struct SandboxEnv
{
    QString dir;                    // VIGIL_SANDBOX_DIR
    QString hostAlias;              // VIGIL_SANDBOX_HOST_ALIAS: a Host block of sshConfig
    QString sshHost;                // VIGIL_SANDBOX_SSH_HOST
    int sshPort = 0;                // VIGIL_SANDBOX_SSH_PORT
    QString user;                   // VIGIL_SANDBOX_USER
    QString key;                    // VIGIL_SANDBOX_KEY: private key, no passphrase
    QString knownHosts;             // VIGIL_SANDBOX_KNOWN_HOSTS
    QString sshConfig;              // VIGIL_SANDBOX_SSH_CONFIG
    QString slurmConf;              // VIGIL_SANDBOX_SLURM_CONF
    QString sshdPidFile;            // VIGIL_SANDBOX_SSHD_PID_FILE: the login node's sshd
    int jumpPort = 0;               // VIGIL_SANDBOX_JUMP_PORT: the jump host / MFA sshd
    QString jumpAlias;              // VIGIL_SANDBOX_JUMP_ALIAS: the jump host itself
    QString viaJumpAlias;           // VIGIL_SANDBOX_VIA_JUMP_ALIAS: the login node via the jump
    QString jumpPidFile;            // VIGIL_SANDBOX_JUMP_PID_FILE
    QString mfaAlias;               // VIGIL_SANDBOX_MFA_ALIAS: key + one-time code
    QString mfaUser;                // VIGIL_SANDBOX_MFA_USER
    QString mfaKey;                 // VIGIL_SANDBOX_MFA_KEY
    QString mfaOtpFile;             // VIGIL_SANDBOX_MFA_OTP_FILE: a test writes the code here
    QString script;                 // VIGIL_SANDBOX_SCRIPT: sandbox/vigil-sandbox (sshd-stop ...)
    QHash<QString, QString> values; // every line of the file
    QString error;                  // why it could not be read; empty when ok

    bool ok() const { return error.isEmpty(); }

    // Runs sandbox/vigil-sandbox COMMAND (sshd-stop, sshd-freeze,
    // slurmctld-start, ...), its output logged; true when it succeeded.
    bool command(const QString &command) const
    {
        QProcess p;
        p.start(script.isEmpty() ? qEnvironmentVariable("VIGIL_SOURCE_DIR") +
                                       QStringLiteral("/sandbox/vigil-sandbox")
                                 : script,
                {command});
        const bool ok = p.waitForFinished(60000) && p.exitCode() == 0;
        qInfo().noquote() << "vigil-sandbox" << command << "->"
                          << p.readAllStandardOutput().trimmed()
                          << p.readAllStandardError().trimmed();
        return ok;
    }
    QString value(const QString &name) const { return values.value(name); }

    // A fresh run root for one test: "PREFIX-<random hex>" in the sandbox
    // user's home (run_root in a workflow takes the name; the test reads
    // and removes the absolute path). Empty when the user is unknown.
    struct RunRoot
    {
        QString name;     // relative to the home
        QString absolute; // as root sees it
    };
    RunRoot freshRunRoot(const QString &prefix) const
    {
        const passwd *pw = ::getpwnam(user.toLocal8Bit().constData());
        if (!pw)
            return {};
        const QString name =
            prefix + QStringLiteral("-%1").arg(QRandomGenerator::global()->generate(), 8, 16,
                                               QLatin1Char('0'));
        return {name, QString::fromLocal8Bit(pw->pw_dir) + QLatin1Char('/') + name};
    }

    static QString directory()
    {
        const QString dir = qEnvironmentVariable("VIGIL_SANDBOX_DIR");
        return dir.isEmpty() ? QStringLiteral("/var/tmp/vigil-sandbox") : dir;
    }

    static SandboxEnv load()
    {
        SandboxEnv env;
        env.dir = directory();
        QFile file(env.dir + QStringLiteral("/sandbox.env"));
        if (!file.open(QIODevice::ReadOnly)) {
            env.error = QStringLiteral("sandbox cluster not running: start it with ./dev sandbox "
                                       "start (no %1: %2)")
                            .arg(file.fileName(), file.errorString());
            return env;
        }
        for (const QByteArray &raw : file.readAll().split('\n')) {
            const QString line = QString::fromUtf8(raw).trimmed();
            if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
                continue;
            const qsizetype eq = line.indexOf(QLatin1Char('='));
            if (eq <= 0)
                continue;
            QString value = line.mid(eq + 1);
            if (value.size() >= 2 &&
                (value.startsWith(QLatin1Char('"')) || value.startsWith(QLatin1Char('\''))) &&
                value.endsWith(value.front()))
                value = value.mid(1, value.size() - 2);
            env.values.insert(line.left(eq), value);
        }
        env.hostAlias = env.value(QStringLiteral("VIGIL_SANDBOX_HOST_ALIAS"));
        env.sshHost = env.value(QStringLiteral("VIGIL_SANDBOX_SSH_HOST"));
        env.sshPort = env.value(QStringLiteral("VIGIL_SANDBOX_SSH_PORT")).toInt();
        env.user = env.value(QStringLiteral("VIGIL_SANDBOX_USER"));
        env.key = env.value(QStringLiteral("VIGIL_SANDBOX_KEY"));
        env.knownHosts = env.value(QStringLiteral("VIGIL_SANDBOX_KNOWN_HOSTS"));
        env.sshConfig = env.value(QStringLiteral("VIGIL_SANDBOX_SSH_CONFIG"));
        env.slurmConf = env.value(QStringLiteral("VIGIL_SANDBOX_SLURM_CONF"));
        env.sshdPidFile = env.value(QStringLiteral("VIGIL_SANDBOX_SSHD_PID_FILE"));
        env.jumpPort = env.value(QStringLiteral("VIGIL_SANDBOX_JUMP_PORT")).toInt();
        env.jumpAlias = env.value(QStringLiteral("VIGIL_SANDBOX_JUMP_ALIAS"));
        env.viaJumpAlias = env.value(QStringLiteral("VIGIL_SANDBOX_VIA_JUMP_ALIAS"));
        env.jumpPidFile = env.value(QStringLiteral("VIGIL_SANDBOX_JUMP_PID_FILE"));
        env.mfaAlias = env.value(QStringLiteral("VIGIL_SANDBOX_MFA_ALIAS"));
        env.mfaUser = env.value(QStringLiteral("VIGIL_SANDBOX_MFA_USER"));
        env.mfaKey = env.value(QStringLiteral("VIGIL_SANDBOX_MFA_KEY"));
        env.mfaOtpFile = env.value(QStringLiteral("VIGIL_SANDBOX_MFA_OTP_FILE"));
        env.script = env.value(QStringLiteral("VIGIL_SANDBOX_SCRIPT"));
        QStringList missing;
        if (env.hostAlias.isEmpty())
            missing << QStringLiteral("VIGIL_SANDBOX_HOST_ALIAS");
        if (env.sshHost.isEmpty())
            missing << QStringLiteral("VIGIL_SANDBOX_SSH_HOST");
        if (env.sshPort <= 0)
            missing << QStringLiteral("VIGIL_SANDBOX_SSH_PORT");
        if (env.user.isEmpty())
            missing << QStringLiteral("VIGIL_SANDBOX_USER");
        if (env.key.isEmpty())
            missing << QStringLiteral("VIGIL_SANDBOX_KEY");
        if (env.sshConfig.isEmpty())
            missing << QStringLiteral("VIGIL_SANDBOX_SSH_CONFIG");
        if (!missing.isEmpty())
            env.error = QStringLiteral("sandbox cluster not running: start it with ./dev sandbox "
                                       "start (%1 lacks %2)")
                            .arg(file.fileName(), missing.join(QStringLiteral(", ")));
        return env;
    }
};

} // namespace vigil::test

// Loads the sandbox description into `var` (a SandboxEnv) or fails the test.
// Use in a void test function (initTestCase() is the usual place).
#define VIGIL_REQUIRE_SANDBOX(var)                                                                 \
    do {                                                                                           \
        var = ::vigil::test::SandboxEnv::load();                                                   \
        if (!var.ok())                                                                             \
            QFAIL(qPrintable(var.error));                                                          \
    } while (false)
