// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QThread>
#include <memory>

namespace vigil::ssh {

// A QThread that is stopped and joined when its owner lets go of it:
// quit() ends its event loop, wait() joins it. Objects living in the thread
// are deleted there if they were connected to finished() -> deleteLater().
struct ThreadDeleter
{
    void operator()(QThread *thread) const
    {
        thread->quit();
        thread->wait();
        delete thread;
    }
};
using ThreadPtr = std::unique_ptr<QThread, ThreadDeleter>;

} // namespace vigil::ssh
