// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// TensorBoard event files (events.out.tfevents.*): TFRecord framing with its
// CRC-32C checks, and the scalar summaries of the tensorflow.Event protobuf.
// Pure functions over bytes: no I/O, nothing read outside the buffer given.

#include "result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace vigil::tfevents {

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as TFRecord uses it.
quint32 crc32c(QByteArrayView data);
// The masked form stored in a TFRecord: ((crc >> 15) | (crc << 17)) + 0xa282ead8.
quint32 maskedCrc32c(QByteArrayView data);

// A record is at most this long; a longer length field is an error, not an allocation.
constexpr quint64 kMaxRecordLength = 64 * 1024 * 1024;
// uint64 length + uint32 CRC of the length, before the data; uint32 CRC after it.
constexpr qsizetype kHeaderSize = 12;
constexpr qsizetype kFooterSize = 4;

struct Records
{
    QList<QByteArray> records; // the data of each complete record, in order
    qsizetype end = 0;         // offset in the buffer after the last complete record
    bool incomplete = false;   // bytes after `end` start a record that is not whole yet
};

// Reads the complete records of `buffer` from `from`. A partial record at the
// end is not an error (more bytes may come): `incomplete` says so. A CRC
// mismatch or an absurd length is an error naming the record's place in the
// file: `base` is the file offset of buffer[0] ("record at byte 1234: data
// CRC mismatch").
Result<Records> readRecords(QByteArrayView buffer, qsizetype from = 0, qint64 base = 0);

// True when `buffer` starts with a record header whose length CRC checks.
bool looksLikeRecord(QByteArrayView buffer);

// Encodes one record (length, masked CRCs, data): for tests and fixtures.
QByteArray frameRecord(QByteArrayView data);

struct Scalar
{
    QString tag;
    double value = 0;
};

// What Vigil reads of a tensorflow.Event.
struct Event
{
    double wallTime = 0;
    qint64 step = 0;
    QString fileVersion;
    // From Summary.Value.simple_value, or a tensor of one float, double, int32
    // or int64 element; other values (histograms, images, text) are skipped.
    QList<Scalar> scalars;
};

// Decodes a tensorflow.Event. Unknown fields are skipped by wire type; every
// length is checked against the record. Errors say what is malformed.
Result<Event> parseEvent(QByteArrayView record);

} // namespace vigil::tfevents
