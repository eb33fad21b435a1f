// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QHash>
#include <QObject>
#include <QString>

namespace vigil {

// Secrets (webhook tokens and URLs) by key, asynchronously. A missing secret
// is an Error of kind NotFound; any other error means the store could not be
// asked, and says why.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // `done` runs on `context`'s thread, unless context is gone first.
    virtual void read(const QString &key, QObject *context, Callback<QString> done) = 0;
    virtual void write(const QString &key, const QString &secret, QObject *context,
                       Callback<void> done) = 0;
    // Removing a missing secret succeeds.
    virtual void remove(const QString &key, QObject *context, Callback<void> done) = 0;
};

// The system keyring through QtKeychain (Secret Service, e.g. GNOME Keyring
// or KeePassXC; KWallet), service "vigil". Never an insecure fallback: when
// no keyring answers, every call fails with an error that says so.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(QObject *parent = nullptr,
                                 QString service = QStringLiteral("vigil"));

    void read(const QString &key, QObject *context, Callback<QString> done) override;
    void write(const QString &key, const QString &secret, QObject *context,
               Callback<void> done) override;
    void remove(const QString &key, QObject *context, Callback<void> done) override;

private:
    QString m_service;
};

// In memory, for tests; answers on the next event-loop turn, like a keyring.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    using SecretStore::SecretStore;

    void read(const QString &key, QObject *context, Callback<QString> done) override;
    void write(const QString &key, const QString &secret, QObject *context,
               Callback<void> done) override;
    void remove(const QString &key, QObject *context, Callback<void> done) override;

    QHash<QString, QString> secrets;
    QString unreachable; // non-empty: every call fails with this error
};

} // namespace vigil
