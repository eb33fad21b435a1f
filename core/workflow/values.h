// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The value rules of a workflow file that are more than a type: durations,
// SLURM time limits, memory sizes, sbatch words. Pure functions; the errors
// say what is wrong with the value (the caller adds where).

#include "result.h"

#include <QString>
#include <QStringList>

namespace vigil::workflowvalues {

// A duration such as "90m", "2h", "1d12h", "45s": numbers each followed by
// d, h, m or s, the units in that order and each at most once; more than 0
// and at most 366 days. Returns seconds.
Result<qint64> parseDuration(const QString &text);

// A SLURM time limit as sbatch --time takes it: "MM", "MM:SS", "HH:MM:SS",
// "D-HH", "D-HH:MM", "D-HH:MM:SS" (minutes, seconds below 60 after the first
// field), or "UNLIMITED"/"INFINITE". Returns seconds (-1: unlimited).
Result<qint64> parseTimeLimit(const QString &text);

// A memory size as sbatch --mem takes it: a positive integer with an optional
// unit K, M, G or T (megabytes without one).
Result<void> validateMemory(const QString &text);

// A partition, account or QOS name: not empty, no spaces, commas or control
// characters, not starting with '-'.
Result<void> validateSlurmName(const QString &text);

// One word of resources.extra: "--name" or "--name=value", not one of the
// options Vigil sets itself or that have their own resources key.
Result<void> validateExtraArg(const QString &word);

// A TOML scalar kept as text (sweep values, param defaults): true when `text`
// is an integer, float or boolean exactly as the reader writes those (so the
// writer can leave it unquoted and read back the same text).
bool isPlainScalar(const QString &text);

// The shortest text that reads back as the same double ("0.1", "1e-05", "2").
QString formatDouble(double value);

} // namespace vigil::workflowvalues
