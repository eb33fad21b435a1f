// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jobinfo.h"
#include "result.h"

#include <QByteArray>
#include <QStringList>

// Pure parsers for SLURM command output. Every query asks for an explicit,
// delimited format; nothing here reads human-formatted columns.
namespace vigil::slurm {

// Field separator asked of squeue and sacct (ASCII unit separator): it cannot
// appear in job names a user can type in a terminal.
inline constexpr char16_t kSep = u'\x1f';

// argv of the batched squeue query for the account's own jobs.
QStringList squeueArgs();
Result<QList<JobInfo>> parseSqueue(const QByteArray &output);

// argv of sacct for the given job ids (finished jobs that left squeue).
QStringList sacctArgs(const QStringList &jobIds);
Result<QList<JobInfo>> parseSacct(const QByteArray &output);

// `scontrol show job -o` (all jobs still in slurmctld's memory): the fallback
// when the cluster has no accounting.
Result<QList<JobInfo>> parseScontrolJobs(const QByteArray &output);

// "sbatch --parsable" prints "ID" or "ID;CLUSTER".
Result<QString> parseSbatch(const QByteArray &output);

// SLURM durations: "45", "1:23", "12:34:56", "1-02:03:04", "1-02".
// Returns -1 for UNLIMITED / INVALID / NOT_SET / N/A.
Result<qint64> parseDuration(const QString &text);

// "0:0" -> 0, "1:0" -> 1, "0:15" (killed by signal 15) -> 128 + 15.
int parseExitCode(const QString &text);

// The comment Vigil attaches to its jobs: "vigil/RUN/TASK".
QString jobComment(const QString &runId, const QString &task);
bool parseJobComment(const QString &comment, QString *runId, QString *task);

} // namespace vigil::slurm
