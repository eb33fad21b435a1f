// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QElapsedTimer>

namespace vigil::engine {

// The engine's clock seam: the wall clock for the times it writes, and a
// monotonic clock for what it measures itself (a lease's staleness is judged
// on the reader's own monotonic clock, never by comparing two machines').
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0;
    virtual qint64 monotonicMs() const = 0;

    // The process's real clock.
    static const Clock *system();
};

// A clock that moves only when told to (tests).
class ManualClock final : public Clock
{
public:
    explicit ManualClock(QDateTime start = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC))
        : m_now(std::move(start))
    {}
    QDateTime now() const override { return m_now.addMSecs(m_ms); }
    qint64 monotonicMs() const override { return m_ms; }
    void advance(qint64 ms) { m_ms += ms; }

private:
    QDateTime m_now;
    qint64 m_ms = 0;
};

} // namespace vigil::engine
