// SPDX-License-Identifier: GPL-3.0-or-later
#include "secretstore.h"

#include "notifylog.h"

#include <QPointer>
#include <QTimer>
#include <qt6keychain/keychain.h>

namespace vigil {

namespace {

Error keychainError(const QKeychain::Job &job, const QString &key)
{
    if (job.error() == QKeychain::EntryNotFound)
        return Error(QStringLiteral("no secret \"%1\" in the system keyring").arg(key),
                     Error::Kind::NotFound);
    if (job.error() == QKeychain::AccessDeniedByUser || job.error() == QKeychain::AccessDenied)
        return Error(QStringLiteral("the system keyring refused access to \"%1\": %2")
                         .arg(key, job.errorString()),
                     Error::Kind::Permission);
    return Error(QStringLiteral("no system keyring is reachable (%1). Vigil keeps webhook "
                                "secrets only there: start a Secret Service such as GNOME "
                                "Keyring or KeePassXC, or KWallet, and unlock it")
                     .arg(job.errorString()),
                 Error::Kind::Generic);
}

// Runs `job` (deleted when finished) and hands its outcome to `done` on `context`.
template <typename Job, typename T>
void run(Job *job, const QString &key, QObject *context, Callback<T> done,
         std::function<T(Job *)> value)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    QPointer<QObject> ctx(context);
    QObject::connect(job, &QKeychain::Job::finished, context,
                     [job, key, ctx, done = std::move(done), value = std::move(value)] {
                         if (!ctx)
                             return;
                         if (job->error() != QKeychain::NoError) {
                             const Error e = keychainError(*job, key);
                             if (e.kind != Error::Kind::NotFound)
                                 qCWarning(lcNotify).noquote() << "keyring:" << e.message;
                             done(e);
                             return;
                         }
                         done(value(job));
                     });
    job->start();
}

template <typename T> void later(QObject *context, Callback<T> done, Result<T> r)
{
    QTimer::singleShot(0, context, [done = std::move(done), r = std::move(r)] { done(r); });
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QObject *parent, QString service)
    : SecretStore(parent), m_service(std::move(service))
{}

void KeychainSecretStore::read(const QString &key, QObject *context, Callback<QString> done)
{
    run<QKeychain::ReadPasswordJob, QString>(
        new QKeychain::ReadPasswordJob(m_service, this), key, context, std::move(done),
        [](QKeychain::ReadPasswordJob *j) { return j->textData(); });
}

void KeychainSecretStore::write(const QString &key, const QString &secret, QObject *context,
                                Callback<void> done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setTextData(secret);
    run<QKeychain::WritePasswordJob, bool>(
        job, key, context,
        [done = std::move(done)](Result<bool> r) {
            if (r)
                done(Result<void>());
            else
                done(r.error());
        },
        [](QKeychain::WritePasswordJob *) { return true; });
}

void KeychainSecretStore::remove(const QString &key, QObject *context, Callback<void> done)
{
    run<QKeychain::DeletePasswordJob, bool>(
        new QKeychain::DeletePasswordJob(m_service, this), key, context,
        [done = std::move(done)](Result<bool> r) {
            if (r || r.error().kind == Error::Kind::NotFound)
                done(Result<void>());
            else
                done(r.error());
        },
        [](QKeychain::DeletePasswordJob *) { return true; });
}

void MemorySecretStore::read(const QString &key, QObject *context, Callback<QString> done)
{
    if (!unreachable.isEmpty())
        return later<QString>(context, std::move(done), Error(unreachable));
    if (!secrets.contains(key))
        return later<QString>(
            context, std::move(done),
            Error(QStringLiteral("no secret \"%1\"").arg(key), Error::Kind::NotFound));
    later<QString>(context, std::move(done), secrets.value(key));
}

void MemorySecretStore::write(const QString &key, const QString &secret, QObject *context,
                              Callback<void> done)
{
    if (!unreachable.isEmpty())
        return later<void>(context, std::move(done), Error(unreachable));
    secrets.insert(key, secret);
    later<void>(context, std::move(done), {});
}

void MemorySecretStore::remove(const QString &key, QObject *context, Callback<void> done)
{
    if (!unreachable.isEmpty())
        return later<void>(context, std::move(done), Error(unreachable));
    secrets.remove(key);
    later<void>(context, std::move(done), {});
}

} // namespace vigil
