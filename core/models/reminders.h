// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runs/runinfo.h"

#include <QDateTime>
#include <QHash>
#include <QList>

namespace vigil {

// Reminders of pending checkpoints as their deadline nears. Pure: given the
// pending checkpoints and the time now, due() says which reminders are due,
// and remembers them so that each is given once.
//
// The schedule of one checkpoint, as time left before its deadline: half the
// time it was given (deadline - createdAt), 1 h, 10 min and 1 min; a point
// that is not before the deadline's whole span is dropped, and so is a second
// point at the same time. Urgency rises with it: more than 1 h left is Low,
// more than 10 min Normal, else Critical. When several points have passed
// since the last call, one reminder is given: the latest. Points that had
// already passed when a checkpoint was first seen are not reminded (its
// arrival notification stands for them); after the deadline there is none
// (vigil-job commits the default itself).
class Reminders
{
public:
    enum class Urgency { Low, Normal, Critical };

    struct Reminder
    {
        QString key; // CheckpointInfo::key()
        QString runId;
        int stage = 0;          // index in schedule(): rises for one checkpoint
        qint64 secondsLeft = 0; // until the deadline, at the time of due()
        Urgency urgency = Urgency::Low;
    };

    // Seconds before the deadline at which reminders fall due, largest
    // first; empty without a deadline.
    static QList<qint64> schedule(const CheckpointInfo &checkpoint);
    static Urgency urgencyFor(qint64 secondsLeft);
    // The urgency of a checkpoint at `now`: Normal without a deadline.
    static Urgency urgencyAt(const CheckpointInfo &checkpoint, const QDateTime &now);

    // `pending`: every checkpoint waiting for a decision now. Checkpoints
    // not in it are forgotten.
    QList<Reminder> due(const QList<CheckpointInfo> &pending, const QDateTime &now);

private:
    QHash<QString, int> m_given; // key -> stages given or skipped (the next one's index)
};

} // namespace vigil
