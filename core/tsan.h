// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Happens-before edges that ThreadSanitizer cannot see by itself, because they
// pass through Qt, which Debian does not build with TSan (docs/reliability.md,
// "ThreadSanitizer"). In other builds these are empty and compile to nothing.

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);
#endif

namespace vigil::tsan {

// Everything this thread did before release(key) happens before whatever a
// thread does after a later acquire(key) with the same key.
inline void release([[maybe_unused]] const void *key)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_release(const_cast<void *>(key));
#endif
}

inline void acquire([[maybe_unused]] const void *key)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_acquire(const_cast<void *>(key));
#endif
}

} // namespace vigil::tsan
