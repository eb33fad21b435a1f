// SPDX-License-Identifier: GPL-3.0-or-later
#include "filetail.h"

namespace vigil {

namespace {
constexpr qsizetype kMaxLine = 1024 * 1024;
} // namespace

FileTail::FileTail(Transport *transport, QString path, qint64 maxBytesPerPoll, QObject *parent)
    : QObject(parent), m_transport(transport), m_path(std::move(path)),
      m_maxBytes(std::max<qint64>(1, maxBytesPerPoll))
{}

void FileTail::poll(QObject *context, Callback<Update> done)
{
    if (m_busy) {
        done(Error(QStringLiteral("%1 is already being read").arg(m_path)));
        return;
    }
    if (!m_transport) {
        done(Error(QStringLiteral("cannot read %1: the connection is gone").arg(m_path),
                   Error::Kind::Cancelled));
        return;
    }
    m_busy = true;
    read(false, QPointer<QObject>(context), std::move(done));
}

void FileTail::read(bool restarted, QPointer<QObject> context, Callback<Update> done)
{
    m_transport->readFile(
        m_path, m_offset, m_maxBytes, this,
        [this, restarted, context, done = std::move(done)](Result<FileChunk> chunk) mutable {
            if (!chunk) {
                m_busy = false;
                if (context)
                    done(chunk.error());
                return;
            }
            if (chunk->fileSize < m_offset) {
                // Shorter than what was read: truncated or replaced. From the start.
                m_offset = 0;
                m_partial.clear();
                if (!restarted && m_transport) {
                    read(true, context, std::move(done));
                    return;
                }
            }
            m_offset += chunk->data.size();
            m_fileSize = chunk->fileSize;
            QByteArray data = m_partial + chunk->data;
            qsizetype end = data.lastIndexOf('\n') + 1;
            if (m_framing == Framing::Bytes || data.size() - end > kMaxLine)
                end = data.size(); // not a line file: hand it on as it is
            m_partial = data.mid(end);
            data.truncate(end);
            m_busy = false;
            if (context)
                done(Update{std::move(data), restarted, chunk->fileSize});
        });
}

} // namespace vigil
