// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPromise>
#include <QThreadPool>
#include <functional>
#include <memory>

namespace vigil {

// Runs `work` (file I/O, decoding) on the global thread pool and hands its
// result to `done` on `context`'s thread, unless `context` is destroyed first:
// the watcher that delivers it is context's child, so it goes with it. No
// pointer to `context` is touched off its thread.
template <typename T>
void inBackground(QObject *context, std::function<T()> work, std::function<void(T)> done)
{
    auto promise = std::make_shared<QPromise<T>>();
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcher<T>::finished, watcher,
                     [watcher, done = std::move(done)] {
                         if (watcher->future().resultCount() > 0)
                             done(watcher->future().takeResult());
                         watcher->deleteLater();
                     });
    watcher->setFuture(promise->future());
    QThreadPool::globalInstance()->start([promise, work = std::move(work)] {
        promise->start();
        promise->addResult(work());
        promise->finish();
    });
}

} // namespace vigil
