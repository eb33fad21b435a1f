// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/store.h"

#include "store/storedb.h"
#include "transport.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QThread>
#include <optional>

Q_LOGGING_CATEGORY(lcStore, "vigil.store", QtInfoMsg)

namespace vigil {

// Lives on the store's thread and owns its connection. Opening is the first
// call it runs; every later call gets the opening error if it failed.
class StoreWorker : public QObject
{
public:
    StoreDb db;
    std::optional<Error> openError;
};

namespace {
QPointer<Store> g_applicationStore;
} // namespace

Store::Store(QString path, QObject *parent)
    : QObject(parent), m_path(std::move(path)), m_worker(new StoreWorker),
      m_thread(newThread(QStringLiteral("vigil-store")))
{
    m_worker->moveToThread(m_thread.get());
    startThread(m_thread.get());
    StoreWorker *w = m_worker;
    QMetaObject::invokeMethod(
        w,
        [w, path = m_path] {
            if (auto r = w->db.open(path); !r) {
                w->openError = r.error();
                qCWarning(lcStore).noquote() << r.errorString();
            } else {
                qCInfo(lcStore).noquote() << "store" << path << "open";
            }
        },
        Qt::QueuedConnection);
}

Store::~Store()
{
    if (g_applicationStore == this)
        g_applicationStore = nullptr;
    StoreWorker *w = m_worker;
    QThread *t = m_thread.get();
    QMetaObject::invokeMethod(
        w,
        [w, t] {
            w->db.close();
            delete w;
            t->quit();
        },
        Qt::QueuedConnection);
    m_thread.reset();
}

QString Store::defaultPath()
{
    const QString env = qEnvironmentVariable("VIGIL_STORE_PATH");
    if (!env.isEmpty())
        return env;
    // The application-data directory of the GUI (organization Vigil,
    // application vigil), whichever program asks: vigilctl uses the same file.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QLatin1String("/Vigil/vigil/store.sqlite");
}

Store *Store::applicationStore()
{
    return g_applicationStore;
}

void Store::setApplicationStore(Store *store)
{
    g_applicationStore = store;
}

template <typename T>
void Store::call(QObject *context, Callback<T> done, std::function<Result<T>(StoreDb &)> work)
{
    QPointer<QObject> ctx(context);
    const bool wanted = context && done;
    QMetaObject::invokeMethod(
        m_worker,
        [this, w = m_worker, ctx = std::move(ctx), wanted, done = std::move(done),
         work = std::move(work)]() mutable {
            Result<T> r = w->openError ? Result<T>(*w->openError) : work(w->db);
            if (!r && !w->openError)
                qCWarning(lcStore).noquote() << r.errorString();
            // `this` lives until this thread has run every call: delivering to
            // it is safe; a reply that arrives after it died is dropped.
            if (wanted)
                deliver<T>(this, std::move(ctx), std::move(done), std::move(r));
        },
        Qt::QueuedConnection);
}

void Store::endAttempt(const QString &decisionId, QObject *context, Callback<void> done,
                       std::function<Result<void>(StoreDb &)> work)
{
    QPointer<QObject> ctx(context);
    const bool wanted = context && done;
    call<void>(
        this,
        [this, decisionId, ctx, wanted, done = std::move(done)](Result<void> r) {
            if (wanted && ctx)
                done(std::move(r));
            Q_EMIT sendAttemptEnded(decisionId);
        },
        std::move(work));
}

void Store::whenOpen(QObject *context, Callback<void> done)
{
    call<void>(context, std::move(done), [](StoreDb &) { return Result<void>(); });
}

void Store::recordSite(const QString &name, const QString &kind, const QString &address)
{
    call<void>(nullptr, {}, [=](StoreDb &db) { return db.recordSite(name, kind, address); });
}

void Store::recordRuns(const QString &site, const QList<RunInfo> &runs)
{
    call<void>(nullptr, {}, [=](StoreDb &db) { return db.recordRuns(site, runs); });
}

void Store::runs(QObject *context, Callback<QList<StoredRun>> done)
{
    call<QList<StoredRun>>(context, std::move(done), [](StoreDb &db) { return db.runs(); });
}

void Store::followRun(const QString &runId, const QString &site, QObject *context,
                      Callback<void> done)
{
    call<void>(context, std::move(done), [=](StoreDb &db) { return db.followRun(runId, site); });
}

void Store::unfollowRun(const QString &runId, QObject *context, Callback<void> done)
{
    call<void>(context, std::move(done), [=](StoreDb &db) { return db.unfollowRun(runId); });
}

void Store::followedRuns(QObject *context, Callback<QList<FollowedRun>> done)
{
    call<QList<FollowedRun>>(context, std::move(done),
                             [](StoreDb &db) { return db.followedRuns(); });
}

void Store::recordJobStates(const QString &site, const QList<JobInfo> &jobs,
                            const QDateTime &observedAt, QObject *context, Callback<int> done)
{
    call<int>(context, std::move(done),
              [=](StoreDb &db) { return db.recordJobStates(site, jobs, observedAt); });
}

void Store::jobHistory(const QString &site, const QString &jobId, QObject *context,
                       Callback<QList<JobStateChange>> done)
{
    call<QList<JobStateChange>>(context, std::move(done),
                                [=](StoreDb &db) { return db.jobHistory(site, jobId); });
}

void Store::updateInbox(const QList<CheckpointInfo> &checkpoints, QObject *context,
                        Callback<int> done)
{
    call<int>(context, std::move(done), [=](StoreDb &db) { return db.updateInbox(checkpoints); });
}

void Store::setRead(const QString &site, const QString &runId, const QString &checkpointId,
                    bool read, QObject *context, Callback<void> done)
{
    call<void>(context, std::move(done),
               [=](StoreDb &db) { return db.setRead(site, runId, checkpointId, read); });
}

void Store::inbox(QObject *context, Callback<QList<InboxEntry>> done)
{
    call<QList<InboxEntry>>(context, std::move(done), [](StoreDb &db) { return db.inbox(); });
}

void Store::queueDecision(const OutboxEntry &entry, QObject *context, Callback<void> done)
{
    call<void>(context, std::move(done), [=](StoreDb &db) { return db.queueDecision(entry); });
}

void Store::markSent(const QString &decisionId, QObject *context, Callback<void> done)
{
    call<void>(context, std::move(done), [=](StoreDb &db) { return db.markSent(decisionId); });
}

void Store::markConfirmed(const QString &decisionId, const QDateTime &at, QObject *context,
                          Callback<void> done)
{
    endAttempt(decisionId, context, std::move(done),
               [=](StoreDb &db) { return db.markConfirmed(decisionId, at); });
}

void Store::markLost(const QString &decisionId, const OutboxEntry &winner, QObject *context,
                     Callback<void> done)
{
    endAttempt(decisionId, context, std::move(done),
               [=](StoreDb &db) { return db.markLost(decisionId, winner); });
}

void Store::markFailed(const QString &decisionId, const QString &why, QObject *context,
                       Callback<void> done)
{
    endAttempt(decisionId, context, std::move(done),
               [=](StoreDb &db) { return db.markFailed(decisionId, why); });
}

void Store::noteSendError(const QString &decisionId, const QString &why)
{
    endAttempt(decisionId, nullptr, {},
               [=](StoreDb &db) { return db.noteSendError(decisionId, why); });
}

void Store::unconfirmed(const QString &site, QObject *context, Callback<QList<OutboxEntry>> done)
{
    call<QList<OutboxEntry>>(context, std::move(done),
                             [=](StoreDb &db) { return db.outbox(true, site); });
}

void Store::outbox(QObject *context, Callback<QList<OutboxEntry>> done)
{
    call<QList<OutboxEntry>>(context, std::move(done),
                             [](StoreDb &db) { return db.outbox(false, QString()); });
}

void Store::auditLog(const QString &runId, QObject *context, Callback<QList<AuditEntry>> done)
{
    call<QList<AuditEntry>>(context, std::move(done),
                            [=](StoreDb &db) { return db.auditLog(runId); });
}

} // namespace vigil
