// SPDX-License-Identifier: GPL-3.0-or-later
#include "workerthread.h"

#include "tsan.h"

#include <QThread>

namespace vigil {

QThread *newThread(const QString &name)
{
    auto *thread = new QThread;
    thread->setObjectName(name);
    return thread;
}

void startThread(QThread *thread)
{
#if defined(__SANITIZE_THREAD__)
    // finished() is emitted on the thread itself, after its last event or the
    // end of its function, and before the objects deleteLater() gave it go.
    // Connected last, this runs after the owner's slots (deleteLater()).
    QObject::connect(
        thread, &QThread::finished, thread,
        [thread] {
            tsan::acquire(thread); // what the owner did before quitThread()
            tsan::release(thread); // for joinThread()
        },
        Qt::DirectConnection);
#endif
    thread->start();
}

void quitThread(QThread *thread)
{
    tsan::release(thread);
    thread->quit();
}

void joinThread(QThread *thread)
{
    thread->wait();
    tsan::acquire(thread);
    delete thread;
}

} // namespace vigil
