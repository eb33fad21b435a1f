// SPDX-License-Identifier: GPL-3.0-or-later
// The system keyring through the real QtKeychain. With VIGIL_TEST_KEYRING set
// (tests/notify/with-keyring.sh: a private session bus and GNOME Keyring),
// secrets are written, read back, replaced and removed. Without it (no bus
// reachable), every call fails with an error that says no keyring answers,
// and nothing falls back to a plain file.

#include "secretstore.h"

#include <QDir>
#include <QDirIterator>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;

namespace {

template <typename T> Result<T> wait(std::function<void(QObject *, Callback<T>)> call)
{
    std::optional<Result<T>> out;
    QObject ctx;
    call(&ctx, [&](Result<T> r) { out = std::move(r); });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 20000))
        return Error(QStringLiteral("no answer within 20 s"));
    return *out;
}

bool withKeyring()
{
    return qEnvironmentVariableIsSet("VIGIL_TEST_KEYRING");
}

} // namespace

class TestSecretStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void setGetRemove();
    void missingSecretIsNotFound();
    void noKeyringGivesAClearError();
    void memoryStore();

private:
    KeychainSecretStore m_store{nullptr, QStringLiteral("vigil-test")};
};

void TestSecretStore::setGetRemove()
{
    if (!withKeyring())
        QSKIP("runs under with-keyring.sh (ctest: tst_secretstore_keyring)");
    const QString key = QStringLiteral("webhook/phone");
    const QString secret = QStringLiteral("tk_AbC123-\u00e4");
    auto w = wait<void>([&](QObject *c, Callback<void> cb) { m_store.write(key, secret, c, cb); });
    QVERIFY2(w.ok(), qPrintable(w.errorString()));
    auto r = wait<QString>([&](QObject *c, Callback<QString> cb) { m_store.read(key, c, cb); });
    QVERIFY2(r.ok(), qPrintable(r.errorString()));
    QCOMPARE(*r, secret);

    // A second store object (as after a restart) reads what the first wrote.
    KeychainSecretStore other(nullptr, QStringLiteral("vigil-test"));
    w = wait<void>(
        [&](QObject *c, Callback<void> cb) { other.write(key, QStringLiteral("tk_new"), c, cb); });
    QVERIFY2(w.ok(), qPrintable(w.errorString()));
    r = wait<QString>([&](QObject *c, Callback<QString> cb) { m_store.read(key, c, cb); });
    QVERIFY2(r.ok(), qPrintable(r.errorString()));
    QCOMPARE(*r, QStringLiteral("tk_new"));

    // Kept by the keyring, not by Vigil: no file under the private HOME other
    // than the keyring's own holds the secret in the clear.
    QDirIterator it(QDir::homePath(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            QVERIFY2(!f.readAll().contains("tk_new"), qPrintable(f.fileName()));
    }

    w = wait<void>([&](QObject *c, Callback<void> cb) { m_store.remove(key, c, cb); });
    QVERIFY2(w.ok(), qPrintable(w.errorString()));
    r = wait<QString>([&](QObject *c, Callback<QString> cb) { m_store.read(key, c, cb); });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::NotFound);
    // Removing what is not there succeeds.
    w = wait<void>([&](QObject *c, Callback<void> cb) { m_store.remove(key, c, cb); });
    QVERIFY2(w.ok(), qPrintable(w.errorString()));
}

void TestSecretStore::missingSecretIsNotFound()
{
    if (!withKeyring())
        QSKIP("runs under with-keyring.sh (ctest: tst_secretstore_keyring)");
    auto r = wait<QString>([&](QObject *c, Callback<QString> cb) {
        m_store.read(QStringLiteral("webhook/never-set"), c, cb);
    });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::NotFound);
}

void TestSecretStore::noKeyringGivesAClearError()
{
    if (withKeyring())
        QSKIP("runs without a keyring (ctest: tst_secretstore)");
    auto w = wait<void>([&](QObject *c, Callback<void> cb) {
        m_store.write(QStringLiteral("webhook/phone"), QStringLiteral("tk_nowhere"), c, cb);
    });
    QVERIFY(!w.ok());
    QVERIFY2(w.errorString().startsWith(QStringLiteral("no system keyring is reachable")),
             qPrintable(w.errorString()));
    QVERIFY2(!w.errorString().contains(QStringLiteral("tk_nowhere")), qPrintable(w.errorString()));
    auto r = wait<QString>([&](QObject *c, Callback<QString> cb) {
        m_store.read(QStringLiteral("webhook/phone"), c, cb);
    });
    QVERIFY(!r.ok());
    QVERIFY(r.error().kind != Error::Kind::NotFound);
    QVERIFY2(r.errorString().contains(QStringLiteral("no system keyring is reachable")),
             qPrintable(r.errorString()));
}

void TestSecretStore::memoryStore()
{
    MemorySecretStore m;
    auto w = wait<void>([&](QObject *c, Callback<void> cb) {
        m.write(QStringLiteral("k"), QStringLiteral("v"), c, cb);
    });
    QVERIFY(w.ok());
    auto r = wait<QString>(
        [&](QObject *c, Callback<QString> cb) { m.read(QStringLiteral("k"), c, cb); });
    QCOMPARE(r.value(), QStringLiteral("v"));
    m.unreachable = QStringLiteral("no keyring");
    r = wait<QString>(
        [&](QObject *c, Callback<QString> cb) { m.read(QStringLiteral("k"), c, cb); });
    QCOMPARE(r.errorString(), QStringLiteral("no keyring"));
}

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
