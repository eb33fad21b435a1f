// SPDX-License-Identifier: GPL-3.0-or-later
#include "metricsfeed.h"

#include "filetail.h"

namespace vigil {

MetricsFeed::MetricsFeed(FileTail *tail, MetricRef ref, qint64 maxBytes, QObject *parent)
    : QObject(parent), m_tail(tail), m_ref(std::move(ref)), m_maxBytes(maxBytes),
      m_accumulator(m_ref)
{
    tail->setParent(this);
    tail->setFraming(FileTail::Framing::Bytes);
    connect(&m_timer, &QTimer::timeout, this, &MetricsFeed::poll);
}

MetricsFeed::~MetricsFeed() = default;

void MetricsFeed::start(std::chrono::milliseconds interval)
{
    if (m_ended)
        return;
    m_timer.start(interval);
    poll();
}

void MetricsFeed::stop()
{
    m_timer.stop();
}

QByteArray MetricsFeed::evidence() const
{
    return m_hasTable ? m_bytes.left(m_tableBytes) : QByteArray();
}

void MetricsFeed::restart()
{
    m_accumulator = MetricsAccumulator(m_ref);
    m_bytes.clear();
    m_table = MetricTable();
    m_hasTable = false;
    m_tableBytes = 0;
}

void MetricsFeed::end(const QString &message)
{
    m_ended = true;
    m_timer.stop();
    Q_EMIT problem(message, true);
}

void MetricsFeed::poll()
{
    if (m_ended || !m_tail || m_tail->busy())
        return;
    FileTail *tail = m_tail;
    tail->poll(this, [this, tail](Result<FileTail::Update> r) {
        if (m_ended)
            return;
        if (!r) {
            Q_EMIT problem(r.error().kind == Error::Kind::NotFound
                               ? tr("Waiting for %1 to be written…").arg(m_ref.file)
                               : tr("Could not read %1: %2").arg(m_ref.file, r.errorString()),
                           false);
            return;
        }
        m_bytesRead += r->lines.size();
        if (r->restarted)
            restart();
        if (r->lines.isEmpty() && !r->restarted)
            return; // nothing new
        if (m_bytes.size() + r->lines.size() > m_maxBytes) {
            end(tr("%1 grew past %2 bytes, the most shown: the chart stops here")
                    .arg(m_ref.file)
                    .arg(m_maxBytes));
            return;
        }
        m_bytes += r->lines;
        const qint64 before = m_accumulator.consumed();
        if (auto appended = m_accumulator.append(r->lines); !appended) {
            end(appended.errorString());
            return;
        }
        if (m_accumulator.consumed() == before && !r->restarted && m_hasTable) {
            if (tail->hasMore())
                QTimer::singleShot(0, this, &MetricsFeed::poll);
            return; // only the start of a line or record: nothing to draw yet
        }
        auto table = m_accumulator.table();
        if (!table) {
            // Too early to tell (no header yet), or columns that never
            // appear: said, and read again as the file grows.
            Q_EMIT problem(table.errorString(), false);
        } else {
            m_table = *table;
            m_hasTable = true;
            m_tableBytes = m_accumulator.consumed();
            Q_EMIT tableChanged(m_table);
        }
        if (tail->hasMore())
            QTimer::singleShot(0, this, &MetricsFeed::poll); // a large file: the rest now
    });
}

} // namespace vigil
