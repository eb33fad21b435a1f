// SPDX-License-Identifier: GPL-3.0-or-later
#include "reminders.h"

#include <QSet>

namespace vigil {

namespace {
constexpr qint64 kHour = 3600;
constexpr qint64 kTenMinutes = 600;
constexpr qint64 kMinute = 60;

// How many points of `schedule` have passed with `left` seconds to go.
int passedStages(const QList<qint64> &schedule, qint64 left)
{
    int n = 0;
    while (n < schedule.size() && left <= schedule.at(n))
        ++n;
    return n;
}
} // namespace

QList<qint64> Reminders::schedule(const CheckpointInfo &c)
{
    if (!c.deadline.isValid())
        return {};
    const qint64 span = c.createdAt.isValid() ? c.createdAt.secsTo(c.deadline) : -1;
    QList<qint64> points;
    if (span > 0)
        points << span / 2;
    for (qint64 p : {kHour, kTenMinutes, kMinute})
        if (span < 0 || p < span)
            points << p;
    std::sort(points.begin(), points.end(), std::greater<>());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    points.removeIf([](qint64 p) { return p <= 0; });
    return points;
}

Reminders::Urgency Reminders::urgencyFor(qint64 secondsLeft)
{
    if (secondsLeft > kHour)
        return Urgency::Low;
    if (secondsLeft > kTenMinutes)
        return Urgency::Normal;
    return Urgency::Critical;
}

Reminders::Urgency Reminders::urgencyAt(const CheckpointInfo &c, const QDateTime &now)
{
    if (!c.deadline.isValid())
        return Urgency::Normal;
    return urgencyFor(now.secsTo(c.deadline));
}

QList<Reminders::Reminder> Reminders::due(const QList<CheckpointInfo> &pending,
                                          const QDateTime &now)
{
    QList<Reminder> out;
    QSet<QString> seen;
    for (const CheckpointInfo &c : pending) {
        const QString key = c.key();
        seen.insert(key);
        const QList<qint64> points = schedule(c);
        if (points.isEmpty())
            continue;
        const qint64 left = now.secsTo(c.deadline);
        const int passed = left > 0 ? passedStages(points, left) : int(points.size());
        const auto given = m_given.constFind(key);
        if (given == m_given.cend()) {
            m_given.insert(key, passed); // first seen: what has passed is not reminded
            continue;
        }
        if (passed <= *given)
            continue;
        m_given[key] = passed;
        if (left <= 0)
            continue; // the deadline passed: the job takes the default
        const int stage = passed - 1;
        out.append(Reminder{key, c.runId, stage, left, urgencyFor(points.at(stage))});
    }
    m_given.removeIf([&seen](const auto &it) { return !seen.contains(it.key()); });
    return out;
}

} // namespace vigil
