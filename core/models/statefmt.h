// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <functional>

namespace vigil {

struct JobInfo;

// Coarse class of a job or task state: what a view colours and filters by.
enum class StateClass {
    Unknown,    // no information
    NotStarted, // the task has no job yet
    Pending,    // queued, held, requeued
    Running,    // running, completing, configuring
    Suspended,  // suspended or stopped by the scheduler
    Succeeded,  // completed with exit code 0
    Failed,     // failed, timeout, out of memory, node failure, ...
    Cancelled,  // cancelled by a person or the scheduler
    Finished,   // ended, outcome unknown
};

StateClass classifyJob(const JobInfo &job);
StateClass classifyJobState(const QString &state, int exitCode = -1);
// Task states written by vigil-job into state.json: running, completed, failed.
StateClass classifyTaskState(const QString &state, int exitCode = -1);
bool isActiveClass(StateClass c);
bool isFinishedClass(StateClass c);
// Translated short name ("Running", "Failed").
QString stateClassName(StateClass c);

// The time now; tests install a fixed clock.
using Clock = std::function<QDateTime()>;
Clock systemClock();

// Durations in SLURM's style: "1-02:03:04", "2:03:04", "12:34"; an em dash for
// a negative (unknown) value.
QString formatDuration(qint64 seconds);
// "in 12 min", "3 h ago", "now"; an em dash for an invalid time.
QString formatRelative(const QDateTime &when, const QDateTime &now);
// "12 s", "4 min", "2 h": how old something is; an em dash when negative.
QString formatAge(qint64 seconds);
// A local date and time for tooltips and dialogs.
QString formatDateTime(const QDateTime &when);

QString emDash();

} // namespace vigil
