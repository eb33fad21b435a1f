// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metricsaccumulator.h"
#include "metricstable.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <chrono>

namespace vigil {

class FileTail;

// Follows one metrics file of a run while it grows, for a chart: every poll
// reads only the bytes appended since the last one (FileTail) and hands them
// to a MetricsAccumulator, so a 100 MB file costs what it grew by. The bytes
// the table is made of are kept (a decision's evidence is their hash), up to
// maxBytes: a file that grows past it is no longer followed and the table
// stays as it was, said through problem().
//
// A file that does not exist yet is waited for; a connection problem is said
// and the next poll tries again; a file that shrank (replaced) is read anew
// from its start. A broken record or line ends the following: the table then
// stays what it was before it, if anything.
class MetricsFeed : public QObject
{
    Q_OBJECT
public:
    // Takes `tail` over (it becomes a child), reading it whole-byte.
    MetricsFeed(FileTail *tail, MetricRef ref, qint64 maxBytes, QObject *parent = nullptr);
    ~MetricsFeed() override;

    // Polls now, then every `interval` until stop() or the end of following.
    void start(std::chrono::milliseconds interval);
    void stop();
    void poll();

    const MetricRef &ref() const { return m_ref; }
    bool following() const { return !m_ended; }
    // The table so far; false before the first one.
    bool hasTable() const { return m_hasTable; }
    const MetricTable &table() const { return m_table; }
    // The bytes of the file that make the table, from its start (empty
    // without a table): a decision's evidence, taken when it is made.
    QByteArray evidence() const;
    // Bytes read from the file so far (appended bytes only).
    qint64 bytesRead() const { return m_bytesRead; }

Q_SIGNALS:
    // The table grew (or the file was read anew): a newer state of the same file.
    void tableChanged(const vigil::MetricTable &table);
    // Something to say instead of, or beside, the table: waiting for the
    // file, a connection problem, a broken record, a file too large.
    // `ended`: following stopped for good.
    void problem(const QString &message, bool ended);

private:
    void end(const QString &message);
    void restart();

    QPointer<FileTail> m_tail; // child
    MetricRef m_ref;
    qint64 m_maxBytes;
    MetricsAccumulator m_accumulator;
    QByteArray m_bytes; // read from the file's start; the accumulator took consumed() of them
    MetricTable m_table;
    bool m_hasTable = false;
    qint64 m_tableBytes = 0; // of m_bytes, read into m_table
    bool m_ended = false;
    qint64 m_bytesRead = 0;
    QTimer m_timer;
};

} // namespace vigil
