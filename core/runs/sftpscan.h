// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The `vigil.scan` document of a run root built from directory listings and
// file reads alone (SFTP on a remote site), for sites where vigil-job cannot
// run: a home mounted noexec, a CPU the static helper was not built for, an
// upload refused. Every file is judged by the same code as `vigil-job scan`
// (protocol::scanRuns over a ScanSource), so the document is the helper's,
// with these differences:
//
//   "helper_version"  null: no helper made it
//   "host"            the site's address as configured (SFTP cannot ask the
//                     machine's host name)
//   "uid"             the owner of the run root (SFTP cannot ask for the
//                     account's uid; Vigil creates the run root as the
//                     account), null when the root's parent cannot be listed
//   "scanned_at"      the desktop's clock
//
// and one limit of SFTP listings: they say directory, symbolic link or
// "something else", so a FIFO or device named like a task marker or log
// counts as a file (the helper ignores it). Such a file is never read: the
// read refuses anything but a regular file.
//
// Round trips: each directory the document needs is listed once (the run
// root, every directory in it, tasks/, checkpoints/, each task and
// checkpoint directory) and only the files the document needs are read
// (run.json, each task's state.json and submission.json, each checkpoint's
// request.json, decision.json, ack.json and its 16 most recent refused
// decisions), one request after the other.

#include "result.h"
#include "transport.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace vigil {

struct SftpScanOptions
{
    QString root; // absolute path of the run root on the site
    QString host; // the document's "host"
    // The document's "uid". Unknown (nullopt): the root's parent is listed
    // once to learn the root's owner (SftpScanResult::uid gives it back).
    std::optional<quint32> uid;
};

struct SftpScanResult
{
    QByteArray document; // one line, as `vigil-job scan` prints it
    std::optional<quint32> uid;
    int listings = 0; // directories listed
    int reads = 0;    // files read
    int passes = 0;   // times the document was built (each pass asks for what the last one lacked)
};

// Scans `options.root` over `transport`. `done` runs on the transport's
// thread, unless `context` (which must live there) is destroyed first. Fails
// when the root cannot be listed or the connection drops; a broken or
// unreadable file is an "error" entry, as in `vigil-job scan`.
void scanOverSftp(Transport *transport, SftpScanOptions options, QObject *context,
                  Callback<SftpScanResult> done);

} // namespace vigil
