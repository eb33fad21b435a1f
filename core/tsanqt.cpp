// SPDX-License-Identifier: GPL-3.0-or-later
//
// ThreadSanitizer builds only (VIGIL_SANITIZE=thread, ./dev tsan): linked into
// every Qt executable of such a build, never into a release.
//
// Debian's Qt is not built with TSan. A queued call from one thread to
// another (a queued signal, QMetaObject::invokeMethod) is handed over under
// Qt's own lock, inside libQt6Core, where TSan cannot see it; every such call
// would then look like a race between what the caller wrote and what the
// receiving thread reads. This file tells TSan about that one edge:
//
// - sending: QMetaObject::activate (every signal emitted by code outside
//   libQt6Core, which includes all of Vigil's), QMetaObject::invokeMethodImpl
//   (every functor invokeMethod) and QObject::deleteLater release one
//   synchronisation object before Qt copies the arguments and posts the
//   call. The definitions below take the place of libQt6Core's for the
//   executable's own calls and those of Qt's other libraries;
//   dlsym(RTLD_NEXT) finds Qt's. libQt6Core's calls to itself stay direct
//   and are not seen.
// - receiving: Qt's event-notification callback acquires it on the receiving
//   thread before a queued call (QEvent::MetaCall) or a deferred delete runs.
//
// The cost is precision: one object for every hand-over means a thread that
// receives any queued call is ordered after every signal any thread emitted
// before it. A race whose two sides are separated only by an unrelated queued
// call is hidden; races with no queued call in between are still reported.

#include "core/tsan.h"

#include <QCoreApplication>
#include <QEvent>
#include <QObject>
#include <dlfcn.h>

#if !defined(__SANITIZE_THREAD__)
#error "tsanqt.cpp belongs in ThreadSanitizer builds only"
#endif

namespace {

char g_queuedCall; // the one synchronisation object

// VIGIL_TSAN_NO_QT_HOOKS=1 turns the edges off, to show what they hide
// (tests/tsan: tst_tsan_control_unhooked).
const bool g_hooked = qEnvironmentVariableIsEmpty("VIGIL_TSAN_NO_QT_HOOKS");

void handOver()
{
    if (g_hooked)
        vigil::tsan::release(&g_queuedCall);
}

template <typename Fn> Fn qtCore(const char *symbol)
{
    void *fn = dlsym(RTLD_NEXT, symbol);
    if (!fn)
        qFatal("tsanqt: %s is not in libQt6Core: %s", symbol, dlerror());
    return reinterpret_cast<Fn>(fn);
}

bool beforeEvent(void **data)
{
    const auto *event = static_cast<const QEvent *>(data[1]);
    if (g_hooked && (event->type() == QEvent::MetaCall || event->type() == QEvent::DeferredDelete))
        vigil::tsan::acquire(&g_queuedCall);
    return false; // deliver it as usual
}

const bool g_registered = QInternal::registerCallback(QInternal::EventNotifyCallback, beforeEvent);

} // namespace

void QMetaObject::activate(QObject *sender, const QMetaObject *m, int local_signal_index,
                           void **argv)
{
    using Fn = void (*)(QObject *, const QMetaObject *, int, void **);
    static const Fn real = qtCore<Fn>("_ZN11QMetaObject8activateEP7QObjectPKS_iPPv");
    handOver();
    real(sender, m, local_signal_index, argv);
}

bool QMetaObject::invokeMethodImpl(QObject *object, QtPrivate::QSlotObjectBase *slot,
                                   Qt::ConnectionType type, void *ret)
{
    using Fn = bool (*)(QObject *, QtPrivate::QSlotObjectBase *, Qt::ConnectionType, void *);
    static const Fn real = qtCore<Fn>(
        "_ZN11QMetaObject16invokeMethodImplEP7QObjectPN9QtPrivate15QSlotObjectBaseEN2Qt14"
        "ConnectionTypeEPv");
    handOver();
    return real(object, slot, type, ret);
}

void QObject::deleteLater()
{
    using Fn = void (*)(QObject *);
    static const Fn real = qtCore<Fn>("_ZN7QObject11deleteLaterEv");
    handOver();
    real(this);
}
