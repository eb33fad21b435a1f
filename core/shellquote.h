// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QString>
#include <QStringList>

namespace vigil {

// POSIX sh quoting of one word: the result is read back by any POSIX shell as
// exactly `word`, whatever bytes it contains (quotes, $(), newlines, ...).
QString shellQuote(const QString &word);

// Joins argv into one command line for `sh -c` (what an SSH exec channel runs).
// The first word is always read as the program's name: one that sh would take
// for an assignment ("A=b") or a reserved word ("if", "time") is quoted too.
QString shellJoin(const QStringList &argv);

// The words of a command line typed by a person, as sh splits them (single
// and double quotes, backslashes; no expansion of $, globs or ~): the
// reverse of shellJoin(). An unterminated quote is an error that says where.
Result<QStringList> shellSplit(const QString &line);

} // namespace vigil
