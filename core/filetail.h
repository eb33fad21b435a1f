// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "transport.h"

#include <QObject>
#include <QPointer>

namespace vigil {

// Follows a growing file (a metrics CSV, a job log) over a Transport: every
// poll reads only what was appended since the last one, so following a 100 MB
// file costs the bytes it grows by. Only complete lines are handed on: a line
// still being written waits for its newline. A file that became shorter than
// what was read (truncated or replaced) is read again from the start, and the
// update says so. With Framing::Bytes every appended byte is handed on at
// once (binary files, or readers that keep partial records themselves).
class FileTail : public QObject
{
    Q_OBJECT
public:
    struct Update
    {
        QByteArray lines;       // complete lines appended since the last update
        bool restarted = false; // the file shrank: `lines` starts from its beginning
        qint64 fileSize = 0;    // as the read saw it
    };

    // maxBytesPerPoll bounds one poll's read; a poll that hits it leaves the
    // rest for the next one (hasMore()).
    FileTail(Transport *transport, QString path, qint64 maxBytesPerPoll = qint64(8) << 20,
             QObject *parent = nullptr);

    enum class Framing { Lines, Bytes };
    void setFraming(Framing framing) { m_framing = framing; }

    void poll(QObject *context, Callback<Update> done);

    QString path() const { return m_path; }
    qint64 offset() const { return m_offset; } // bytes consumed so far
    bool hasMore() const { return m_fileSize > m_offset; }
    bool busy() const { return m_busy; }

private:
    void read(bool restarted, QPointer<QObject> context, Callback<Update> done);

    QPointer<Transport> m_transport;
    QString m_path;
    qint64 m_maxBytes;
    qint64 m_offset = 0;
    qint64 m_fileSize = 0;
    QByteArray m_partial; // the start of an unfinished last line
    bool m_busy = false;
    Framing m_framing = Framing::Lines;
};

} // namespace vigil
