// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the SSH integration tests: a target for the sandbox, and a way to
// wait for one asynchronous Transport result while the test's event loop runs.

#include "../common/sandboxenv.h"
#include "core/ssh/sshtransport.h"

#include <QObject>
#include <QProcess>
#include <QTest>
#include <optional>

namespace vigil::test {

// The sandbox reached through its ssh_config alias (HostName, Port, User,
// IdentityFile and UserKnownHostsFile all come from the config file).
inline SshTarget sandboxTarget(const SandboxEnv &env, HostKeyPolicy policy = HostKeyPolicy::Strict)
{
    SshTarget target;
    target.host = env.hostAlias;
    target.configFile = env.sshConfig;
    target.hostKeyPolicy = policy;
    return target;
}

// Calls start(context, callback) and waits (spinning the event loop, never
// blocking it) until the callback has run.
template <typename T, typename Start> Result<T> await(Start start, int timeoutMs = 30000)
{
    std::optional<Result<T>> got;
    QObject context;
    start(&context, [&got](Result<T> r) { got.emplace(std::move(r)); });
    if (!QTest::qWaitFor([&] { return got.has_value(); }, timeoutMs))
        return Error(QStringLiteral("no answer within %1 ms").arg(timeoutMs), Error::Kind::Generic);
    return std::move(*got);
}

inline Result<ExecResult> execWait(Transport &t, const QStringList &argv,
                                   const QByteArray &input = {})
{
    return await<ExecResult>(
        [&](QObject *ctx, Callback<ExecResult> cb) { t.exec(argv, input, ctx, std::move(cb)); });
}

inline Result<FileChunk> readWait(Transport &t, const QString &path, qint64 offset = 0,
                                  qint64 maxBytes = 1 << 20)
{
    return await<FileChunk>([&](QObject *ctx, Callback<FileChunk> cb) {
        t.readFile(path, offset, maxBytes, ctx, std::move(cb));
    });
}

inline Result<void> writeWait(Transport &t, const QString &path, const QByteArray &data,
                              quint32 permissions = 0644)
{
    return await<void>([&](QObject *ctx, Callback<void> cb) {
        t.writeFileAtomic(path, data, permissions, ctx, std::move(cb));
    });
}

inline Result<void> createWait(Transport &t, const QString &path, const QByteArray &data,
                               quint32 permissions = 0644)
{
    return await<void>([&](QObject *ctx, Callback<void> cb) {
        t.createExclusive(path, data, permissions, ctx, std::move(cb));
    });
}

inline Result<QList<FileEntry>> listWait(Transport &t, const QString &path)
{
    return await<QList<FileEntry>>([&](QObject *ctx, Callback<QList<FileEntry>> cb) {
        t.listDirectory(path, ctx, std::move(cb));
    });
}

inline Result<void> mkdirWait(Transport &t, const QString &path, quint32 permissions = 0755)
{
    return await<void>([&](QObject *ctx, Callback<void> cb) {
        t.makeDirectories(path, permissions, ctx, std::move(cb));
    });
}

// Runs a local tool (ssh-keygen) to completion; returns its stdout.
inline QByteArray runLocal(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        qWarning().noquote() << program << args << "failed:" << p.readAllStandardError();
    return p.readAllStandardOutput();
}

} // namespace vigil::test

// Evaluates `result` once (it may be a call that does something).
#define VIGIL_VERIFY_OK(result)                                                                    \
    do {                                                                                           \
        const auto &vigilResult_ = (result);                                                       \
        QVERIFY2(vigilResult_.ok(),                                                                \
                 qPrintable(QStringLiteral("error: ") + vigilResult_.errorString()));              \
    } while (false)
