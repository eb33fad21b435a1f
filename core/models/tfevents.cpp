// SPDX-License-Identifier: GPL-3.0-or-later
#include "tfevents.h"

#include <QtEndian>
#include <array>
#include <cstring>

namespace vigil::tfevents {

namespace {

constexpr std::array<quint32, 256> makeCrcTable()
{
    std::array<quint32, 256> table{};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        table[i] = c;
    }
    return table;
}

constexpr std::array<quint32, 256> kCrcTable = makeCrcTable();

quint32 le32(const char *p)
{
    return qFromLittleEndian<quint32>(p);
}

quint64 le64(const char *p)
{
    return qFromLittleEndian<quint64>(p);
}

Error recordError(qint64 at, const QString &what)
{
    return Error(QStringLiteral("record at byte %1: %2").arg(at).arg(what), Error::Kind::Malformed);
}

// Protobuf wire format, read defensively: every read checks what is left.
enum WireType : quint32 { Varint = 0, Fixed64 = 1, Bytes = 2, Fixed32 = 5 };

class Reader
{
public:
    explicit Reader(QByteArrayView data) : m_d(data) {}

    bool atEnd() const { return m_pos >= m_d.size(); }

    bool varint(quint64 &v)
    {
        v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_d.size())
                return false;
            const auto b = static_cast<quint8>(m_d[m_pos++]);
            v |= quint64(b & 0x7f) << shift;
            if (!(b & 0x80))
                return true;
        }
        return false; // more than 10 bytes
    }

    // A little-endian quint32 or quint64 (wire types 5 and 1).
    template <typename T> bool fixed(T &v)
    {
        if (m_d.size() - m_pos < qsizetype(sizeof(T)))
            return false;
        v = qFromLittleEndian<T>(m_d.data() + m_pos);
        m_pos += qsizetype(sizeof(T));
        return true;
    }

    bool bytes(QByteArrayView &out)
    {
        quint64 len = 0;
        if (!varint(len) || len > quint64(m_d.size() - m_pos))
            return false;
        out = m_d.sliced(m_pos, qsizetype(len));
        m_pos += qsizetype(len);
        return true;
    }

    // The next field's number and wire type; false at a malformed key.
    bool key(quint64 &field, quint32 &wire)
    {
        quint64 k = 0;
        if (!varint(k))
            return false;
        field = k >> 3;
        wire = quint32(k & 7);
        return field != 0;
    }

    bool skip(quint32 wire)
    {
        quint64 v = 0;
        quint32 v32 = 0;
        QByteArrayView b;
        switch (wire) {
        case Varint:
            return varint(v);
        case Fixed64:
            return fixed(v);
        case Bytes:
            return bytes(b);
        case Fixed32:
            return fixed(v32);
        default:
            return false; // groups (3, 4) and reserved types
        }
    }

private:
    QByteArrayView m_d;
    qsizetype m_pos = 0;
};

float asFloat(quint32 bits)
{
    float f = 0;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

double asDouble(quint64 bits)
{
    double d = 0;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

enum DataType : quint64 { DtFloat = 1, DtDouble = 2, DtInt32 = 3, DtInt64 = 9 };

// The first element of a repeated numeric field, packed or not.
bool firstValue(Reader &r, quint32 wire, quint32 element, quint64 dtype, bool &has, double &out)
{
    auto decode = [&](Reader &from) -> bool {
        quint64 v = 0;
        quint32 v32 = 0;
        double d = 0;
        if (element == Fixed32) {
            if (!from.fixed(v32))
                return false;
            d = asFloat(v32);
        } else if (element == Fixed64) {
            if (!from.fixed(v))
                return false;
            d = asDouble(v);
        } else {
            if (!from.varint(v))
                return false;
            d = dtype == DtInt32 ? double(qint32(quint32(v))) : double(qint64(v));
        }
        if (!has) {
            has = true;
            out = d;
        }
        return true;
    };
    if (wire == element)
        return decode(r);
    if (wire != Bytes)
        return r.skip(wire);
    QByteArrayView packed;
    if (!r.bytes(packed))
        return false;
    Reader p(packed);
    while (!p.atEnd())
        if (!decode(p))
            return false;
    return true;
}

// Calls handle(reader, field, wireType) for each field of a message; the
// handler reads the field (or skips it) and says whether that worked.
template <typename Handler> bool forEachField(QByteArrayView message, Handler &&handle)
{
    Reader r(message);
    quint64 field = 0;
    quint32 wire = 0;
    while (!r.atEnd())
        if (!r.key(field, wire) || !handle(r, field, wire))
            return false;
    return true;
}

// TensorShapeProto: 1 for a scalar, -1 when not known, 0 or 2 for anything else.
bool shapeElements(QByteArrayView shape, qint64 &elements)
{
    elements = 1;
    return forEachField(shape, [&](Reader &r, quint64 field, quint32 wire) {
        quint64 v = 0;
        QByteArrayView dim;
        if (field == 3 && wire == Varint) { // unknown_rank
            if (!r.varint(v))
                return false;
            if (v)
                elements = -1;
            return true;
        }
        if (field != 2 || wire != Bytes) // not a dim
            return r.skip(wire);
        qint64 size = 0;
        const bool ok = r.bytes(dim) && forEachField(dim, [&](Reader &d, quint64 f, quint32 w) {
                            if (f != 1 || w != Varint)
                                return d.skip(w);
                            const bool read = d.varint(v);
                            size = qint64(v);
                            return read;
                        });
        if (size < 0 || elements < 0)
            elements = -1;
        else if (size != 1)
            elements = size == 0 ? 0 : 2;
        return ok;
    });
}

// TensorProto holding one float, double, int32 or int64: its value.
bool tensorScalar(QByteArrayView tensor, bool &isScalar, double &value)
{
    quint64 dtype = 0;
    qint64 elements = 1;
    QByteArrayView content;
    bool has = false;
    double first = 0;
    const bool ok = forEachField(tensor, [&](Reader &r, quint64 field, quint32 wire) {
        QByteArrayView b;
        if (field == 1 && wire == Varint)
            return r.varint(dtype);
        if (field == 2 && wire == Bytes)
            return r.bytes(b) && shapeElements(b, elements);
        if (field == 4 && wire == Bytes)
            return r.bytes(content);
        if (field == 5)
            return firstValue(r, wire, Fixed32, dtype, has, first);
        if (field == 6)
            return firstValue(r, wire, Fixed64, dtype, has, first);
        if (field == 7 || field == 10)
            return firstValue(r, wire, Varint, dtype, has, first);
        return r.skip(wire);
    });
    if (!ok)
        return false;
    isScalar = false;
    if (elements != 1)
        return true;
    const qsizetype size = dtype == DtDouble || dtype == DtInt64 ? 8 : 4;
    if (dtype != DtFloat && dtype != DtDouble && dtype != DtInt32 && dtype != DtInt64)
        return true;
    if (!content.isEmpty()) {
        if (content.size() != size)
            return true;
        const char *p = content.data();
        switch (dtype) {
        case DtFloat:
            value = asFloat(le32(p));
            break;
        case DtDouble:
            value = asDouble(le64(p));
            break;
        case DtInt32:
            value = double(qint32(le32(p)));
            break;
        default:
            value = double(qint64(le64(p)));
            break;
        }
        isScalar = true;
    } else if (has) {
        value = first;
        isScalar = true;
    }
    return true;
}

// Summary.Value: a scalar when it has one.
bool summaryValue(QByteArrayView bytes, QList<Scalar> &scalars)
{
    Scalar s;
    bool isScalar = false;
    const bool ok = forEachField(bytes, [&](Reader &r, quint64 field, quint32 wire) {
        QByteArrayView b;
        quint32 v32 = 0;
        if (field == 1 && wire == Bytes) {
            const bool read = r.bytes(b);
            s.tag = QString::fromUtf8(b);
            return read;
        }
        if (field == 2 && wire == Fixed32) {
            const bool read = r.fixed(v32);
            s.value = asFloat(v32);
            isScalar = true;
            return read;
        }
        if (field == 8 && wire == Bytes)
            return r.bytes(b) && tensorScalar(b, isScalar, s.value);
        return r.skip(wire);
    });
    if (ok && isScalar && !s.tag.isEmpty())
        scalars << s;
    return ok;
}

bool summary(QByteArrayView bytes, QList<Scalar> &scalars)
{
    return forEachField(bytes, [&](Reader &r, quint64 field, quint32 wire) {
        QByteArrayView b;
        return field == 1 && wire == Bytes ? r.bytes(b) && summaryValue(b, scalars) : r.skip(wire);
    });
}

} // namespace

quint32 crc32c(QByteArrayView data)
{
    quint32 crc = 0xFFFFFFFFu;
    for (const char ch : data)
        crc = kCrcTable[(crc ^ static_cast<quint8>(ch)) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

quint32 maskedCrc32c(QByteArrayView data)
{
    const quint32 crc = crc32c(data);
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

bool looksLikeRecord(QByteArrayView buffer)
{
    return buffer.size() >= kHeaderSize && maskedCrc32c(buffer.first(8)) == le32(buffer.data() + 8);
}

QByteArray frameRecord(QByteArrayView data)
{
    QByteArray out(kHeaderSize, Qt::Uninitialized);
    qToLittleEndian<quint64>(quint64(data.size()), out.data());
    qToLittleEndian<quint32>(maskedCrc32c(QByteArrayView(out).first(8)), out.data() + 8);
    out += data;
    QByteArray crc(kFooterSize, Qt::Uninitialized);
    qToLittleEndian<quint32>(maskedCrc32c(data), crc.data());
    return out + crc;
}

Result<Records> readRecords(QByteArrayView buffer, qsizetype from, qint64 base)
{
    Records out;
    qsizetype pos = qBound(qsizetype(0), from, buffer.size());
    out.end = pos;
    while (pos < buffer.size()) {
        const qsizetype left = buffer.size() - pos;
        if (left < kHeaderSize) {
            out.incomplete = true;
            break;
        }
        const char *p = buffer.data() + pos;
        if (maskedCrc32c(QByteArrayView(p, 8)) != le32(p + 8))
            return recordError(base + pos, QStringLiteral("length CRC mismatch"));
        const quint64 length = le64(p);
        if (length > kMaxRecordLength)
            return recordError(base + pos, QStringLiteral("length %1 is over the limit of %2 bytes")
                                               .arg(length)
                                               .arg(kMaxRecordLength));
        const qsizetype total = kHeaderSize + qsizetype(length) + kFooterSize;
        if (left < total) {
            out.incomplete = true;
            break;
        }
        const QByteArrayView data(p + kHeaderSize, qsizetype(length));
        if (maskedCrc32c(data) != le32(p + kHeaderSize + length))
            return recordError(base + pos, QStringLiteral("data CRC mismatch"));
        out.records << data.toByteArray();
        pos += total;
        out.end = pos;
    }
    return out;
}

Result<Event> parseEvent(QByteArrayView record)
{
    Event e;
    const bool ok = forEachField(record, [&](Reader &r, quint64 field, quint32 wire) {
        QByteArrayView b;
        quint64 v = 0;
        bool read = true;
        if (field == 1 && wire == Fixed64) {
            read = r.fixed(v);
            e.wallTime = asDouble(v);
        } else if (field == 2 && wire == Varint) {
            read = r.varint(v);
            e.step = qint64(v);
        } else if (field == 3 && wire == Bytes) {
            read = r.bytes(b);
            e.fileVersion = QString::fromUtf8(b);
        } else if (field == 5 && wire == Bytes) {
            read = r.bytes(b) && summary(b, e.scalars);
        } else {
            read = r.skip(wire);
        }
        return read;
    });
    if (!ok)
        return Error(QStringLiteral("malformed event (a field is truncated or invalid)"),
                     Error::Kind::Malformed);
    return e;
}

} // namespace vigil::tfevents
