// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// TensorBoard event files for tests, written without TensorFlow: a small
// protobuf writer for tensorflow.Event with scalar summaries, framed as
// TFRecord by the reader's own frameRecord (whose CRCs tst_metricformats
// checks against a golden record computed independently).
#include "models/tfevents.h"

#include <QByteArray>
#include <QtEndian>
#include <cstring>

namespace vigil::test {

// A small protobuf writer: enough of tensorflow.Event to write fixtures.
inline QByteArray varint(quint64 v)
{
    QByteArray out;
    do {
        out += char((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    return out;
}

inline QByteArray key(int field, int wire)
{
    return varint(quint64(field) << 3 | quint64(wire));
}

inline QByteArray bytesField(int field, const QByteArray &value)
{
    return key(field, 2) + varint(quint64(value.size())) + value;
}

inline QByteArray fixed64Field(int field, double value)
{
    QByteArray b(8, Qt::Uninitialized);
    quint64 bits = 0;
    std::memcpy(&bits, &value, 8);
    qToLittleEndian(bits, b.data());
    return key(field, 1) + b;
}

inline QByteArray floatBytes(float value)
{
    QByteArray b(4, Qt::Uninitialized);
    quint32 bits = 0;
    std::memcpy(&bits, &value, 4);
    qToLittleEndian(bits, b.data());
    return b;
}

inline QByteArray eventBytes(double wallTime, qint64 step, const QByteArray &summaryValues)
{
    QByteArray e = fixed64Field(1, wallTime) + key(2, 0) + varint(quint64(step));
    if (!summaryValues.isEmpty())
        e += bytesField(5, summaryValues);
    return e;
}

// Summary.value with simple_value.
inline QByteArray simpleValue(const QByteArray &tag, float v)
{
    return bytesField(1, bytesField(1, tag) + key(2, 5) + floatBytes(v));
}

// Summary.value with a scalar tensor (no dims) of DT_FLOAT, float_val packed,
// as SummaryWriter(new_style=True) and tf.summary write it.
inline QByteArray floatTensorValue(const QByteArray &tag, float v)
{
    const QByteArray tensor =
        key(1, 0) + varint(1) + bytesField(2, {}) + bytesField(5, floatBytes(v));
    return bytesField(1, bytesField(1, tag) + bytesField(8, tensor));
}

// A DT_DOUBLE scalar in tensor_content.
inline QByteArray doubleContentValue(const QByteArray &tag, double v)
{
    QByteArray raw = fixed64Field(1, v).mid(1);
    const QByteArray tensor = key(1, 0) + varint(2) + bytesField(4, raw);
    return bytesField(1, bytesField(1, tag) + bytesField(8, tensor));
}

// A tensor of 3 floats (not a scalar): skipped.
inline QByteArray vectorValue(const QByteArray &tag)
{
    const QByteArray dim = key(1, 0) + varint(3);
    const QByteArray tensor = key(1, 0) + varint(1) + bytesField(2, bytesField(2, dim)) +
                              bytesField(5, floatBytes(1) + floatBytes(2) + floatBytes(3));
    return bytesField(1, bytesField(1, tag) + bytesField(8, tensor));
}

} // namespace vigil::test
