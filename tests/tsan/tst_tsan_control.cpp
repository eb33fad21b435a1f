// SPDX-License-Identifier: GPL-3.0-or-later
// The controls of ./dev tsan (ThreadSanitizer builds only; core/tsanqt.cpp):
//
//   tst_tsan_control handover   Vigil's pattern: the caller writes, queues a
//                               call to a worker thread; the worker reads it,
//                               writes, emits a queued signal; the caller
//                               reads that. No report: core/tsanqt.cpp tells
//                               TSan about Qt's hand-overs (without it, TSan
//                               reports this as a race).
//   tst_tsan_control race       the bug such hooks must not hide: the caller
//                               reads what the worker writes without waiting
//                               for its answer. TSan must report it.
#include "core/workerthread.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QObject>
#include <QThread>
#include <cstdio>

using namespace vigil;

namespace {

struct Shared
{
    QByteArray request;
    qsizetype answer = 0;
};

class Worker : public QObject
{
    Q_OBJECT
public:
    explicit Worker(Shared *shared) : m_shared(shared) {}

    void work()
    {
        m_shared->answer = m_shared->request.size();
        Q_EMIT done(m_shared->request + " done");
    }

Q_SIGNALS:
    void done(const QByteArray &reply);

private:
    Shared *m_shared;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QByteArray scenario = argc > 1 ? QByteArray(argv[1]) : QByteArray();
    if (scenario != "handover" && scenario != "race") {
        std::fprintf(stderr, "usage: tst_tsan_control handover|race\n");
        return 2;
    }

    Shared shared;
    ThreadPtr thread(newThread(QStringLiteral("tsan-control")));
    auto *worker = new Worker(&shared);
    worker->moveToThread(thread.get());
    QObject::connect(thread.get(), &QThread::finished, worker, &QObject::deleteLater);
    startThread(thread.get());

    int status = 1;
    QObject::connect(worker, &Worker::done, &app, [&](const QByteArray &reply) {
        if (scenario == "handover") {
            std::printf("reply \"%s\", answer %lld\n", reply.constData(),
                        static_cast<long long>(shared.answer));
            status = reply == "request done" && shared.answer == 7 ? 0 : 1;
        }
        app.quit();
    });
    shared.request = "request";
    QMetaObject::invokeMethod(
        worker, [worker] { worker->work(); }, Qt::QueuedConnection);
    if (scenario == "race") {
        // No event, no lock: nothing orders this read after the worker's write.
        QThread::msleep(300);
        std::printf("answer read without waiting: %lld\n", static_cast<long long>(shared.answer));
        status = 0;
    }
    app.exec();
    thread.reset();
    return status;
}

#include "tst_tsan_control.moc"
