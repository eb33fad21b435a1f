// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <memory>

class QThread; // a pointer is enough here: store.h includes this header

namespace vigil {

// A new, not yet started QThread named `name` (the OS thread name).
QThread *newThread(const QString &name);

// Starts `thread`, after its owner made its connections to finished(). For
// ThreadSanitizer, which cannot see the hand-overs inside Qt: what the owner
// did before quitThread() happens before the thread's end, and the thread's
// end (its last slot of finished()) happens before joinThread() returns.
void startThread(QThread *thread);

// Ends `thread`'s event loop.
void quitThread(QThread *thread);

// Waits for `thread` to finish, then deletes it.
void joinThread(QThread *thread);

// A thread that is stopped and joined when its owner lets go of it: quit()
// ends its event loop, joinThread() joins it. Objects living in the thread
// are deleted there if they were connected to finished() -> deleteLater().
struct ThreadDeleter
{
    void operator()(QThread *thread) const
    {
        quitThread(thread);
        joinThread(thread);
    }
};
using ThreadPtr = std::unique_ptr<QThread, ThreadDeleter>;

// A thread whose event loop is ended by the last call queued to it: joined
// only, so that every call queued before that one still runs.
struct ThreadJoiner
{
    void operator()(QThread *thread) const { joinThread(thread); }
};

} // namespace vigil
