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

// argv of the batched squeue query for the account's own jobs. With -r every
// element of an array is one line ("123_4"), so one query sees all of them.
QStringList squeueArgs();
Result<QList<JobInfo>> parseSqueue(const QByteArray &output);
// argv of the query before a submission (SlurmSite::findTaskJobs): every job
// the controller holds, queued or ended within MinJobAge (300 s by default;
// SLURM's accounting may not have those yet: slurmdbd lags by seconds), with
// its working directory, so that a run of the same id in another run root
// is not taken for this one.
QStringList squeueTaskArgs();
// Its lines: id, state, array ids, run, task and attempt (from the comment);
// `workDirectories` gets each job's working directory.
Result<QList<JobInfo>> parseSqueueTasks(const QByteArray &output, QStringList *workDirectories);

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
Result<qint64> parseDuration(QStringView text);

// "0:0" -> 0, "1:0" -> 1, "0:15" (killed by signal 15) -> 128 + 15.
int parseExitCode(const QString &text);

// "123_4" -> ("123", "4"); "123_[5-199%20]" -> ("123", "5-199%20"); false for
// a job id that is not an array element ("123").
bool splitArrayJobId(const QString &jobId, QString *arrayJobId, QString *arrayTaskId);

// A job id Vigil may hand to scancel/scontrol: "123" or "123_4" (digits only,
// so that nothing can be read as an option or a list).
bool isJobId(const QString &jobId);

// `scontrol hold|release -- ID`; `verb` is "hold" or "release".
QStringList controlArgs(const QString &verb, const QString &jobId);

// An sbatch --array value: comma-separated N, N-M or N-M:STEP, optionally
// followed by %LIMIT ("0-199%20", "1,3,5-9:2"). Indices up to 9 digits;
// the error says what is wrong with the spec.
Result<void> validateArraySpec(const QString &spec);

// The comment Vigil attaches to its jobs: "vigil/RUN/TASK", or
// "vigil/RUN/TASK/N" for attempt N (N >= 1, written when attempt > 0).
QString jobComment(const QString &runId, const QString &task, int attempt = 0);
// Reads both forms; *attempt is 0 for a comment that names no attempt.
bool parseJobComment(const QString &comment, QString *runId, QString *task, int *attempt);
// The same on views into `comment` (no allocation).
bool splitJobComment(QStringView comment, QStringView *runId, QStringView *task, int *attempt);
// Only "vigil/RUN/TASK": exactly what jobComment(runId, task) writes.
bool parseJobComment(const QString &comment, QString *runId, QString *task);

// sacct of every job named `jobName` since `since` (a date, YYYY-MM-DD, on
// the cluster's clock), with its working directory: the finished jobs of one
// task of one run, found by their name and run directory when accounting
// does not store comments.
QStringList sacctByNameArgs(const QString &jobName, const QString &since);
// Its output; each job's working directory in *workDirectories (same order).
Result<QList<JobInfo>> parseSacctByName(const QByteArray &output, QStringList *workDirectories);

} // namespace vigil::slurm
