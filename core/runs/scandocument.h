// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QByteArray>
#include <memory>

namespace vigil {

// A `vigil.scan` document kept up to date by the lines of `vigil-job watch`
// (docs/protocol.md): a snapshot replaces it, `run`, `task` and
// `checkpoint` lines replace one entry, the `*_removed` lines drop one.
// Entries stay sorted by name, as `scan` prints them.
class ScanDocument
{
public:
    ScanDocument();
    ~ScanDocument();
    ScanDocument(const ScanDocument &) = delete;
    ScanDocument &operator=(const ScanDocument &) = delete;

    enum class Change { None, Scan, Event, Metrics, Heartbeat };
    struct Applied
    {
        Change change = Change::None;
        QString cursor; // the line's cursor; empty when it had none
        QString run;
        QString file;       // metrics: the file; event: empty
        qint64 offset = -1; // event: the line's offset in events.jsonl
        qint64 size = -1;   // metrics: the file's size
        QByteArray event;   // event: the record
        QString problem;    // event_error, events_truncated: what to tell
    };

    // Applies one line of the watch. An error says what is wrong with it;
    // the document is unchanged then.
    Result<Applied> apply(const QByteArray &line);

    bool hasSnapshot() const;
    QByteArray toJson() const;

private:
    struct Data;
    std::unique_ptr<Data> d;
};

} // namespace vigil
