// SPDX-License-Identifier: GPL-3.0-or-later
#include "runwatch.h"

#include "logging.h"
#include "runs/scandocument.h"
#include "site.h"

namespace vigil {

namespace {
constexpr int kFirstBackoffMs = 1000;
constexpr int kMaxBackoffMs = 12000; // a site that comes back is seen within about 25 s (issue 9)
constexpr qsizetype kMaxLine = 16 * 1024 * 1024; // a snapshot of many runs is one line
} // namespace

RunWatch::RunWatch(Site *site, QObject *parent)
    : QObject(parent), m_name(site->name()), m_site(site), m_transport(site->transport()),
      m_doc(std::make_unique<ScanDocument>())
{
    m_restart.setSingleShot(true);
    connect(&m_restart, &QTimer::timeout, this, &RunWatch::startStream);
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(kCoalesceMs);
    connect(&m_coalesce, &QTimer::timeout, this, [this] { Q_EMIT scanChanged(m_doc->toJson()); });
    m_watchdog.setInterval(kHeartbeatSeconds * 1000);
    connect(&m_watchdog, &QTimer::timeout, this, &RunWatch::checkHeartbeat);
}

RunWatch::~RunWatch()
{
    stop();
}

QByteArray RunWatch::document() const
{
    return m_doc->toJson();
}

void RunWatch::start()
{
    if (m_running)
        return;
    m_running = true;
    startStream();
}

void RunWatch::stop()
{
    m_running = false;
    m_restart.stop();
    m_watchdog.stop();
    if (m_stream && m_transport)
        m_transport->stopStream(m_stream);
    m_stream = 0;
    setLive(false);
}

void RunWatch::startStream()
{
    if (!m_running || m_stream || !m_site || !m_transport)
        return;
    m_site->ensureHelper(this, [this](Result<QString> helper) {
        if (!m_running || m_stream || !m_site || !m_transport)
            return;
        if (!helper) {
            scheduleRestart(helper.errorString());
            return;
        }
        QStringList argv{
            *helper,           QStringLiteral("watch"),       QStringLiteral("--root"),
            m_site->runRoot(), QStringLiteral("--heartbeat"), QString::number(kHeartbeatSeconds)};
        if (!m_cursor.isEmpty())
            argv << QStringLiteral("--since") << m_cursor;
        m_partial.clear();
        ++m_starts;
        m_lastHeard = QDateTime::currentDateTimeUtc();
        m_watchdog.start();
        qCInfo(lcSite).noquote() << m_name << "watching" << m_site->runRoot()
                                 << (m_cursor.isEmpty() ? QString()
                                                        : QStringLiteral("since ") + m_cursor);
        m_stream = m_transport->startStream(
            argv, this, [this](const QByteArray &chunk) { onOutput(chunk); },
            [this](Result<ExecResult> r) { onFinished(std::move(r)); });
    });
}

void RunWatch::onOutput(const QByteArray &chunk)
{
    m_lastHeard = QDateTime::currentDateTimeUtc();
    m_partial += chunk;
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_partial.indexOf('\n', start);
        if (nl < 0)
            break;
        handleLine(m_partial.mid(start, nl - start));
        start = nl + 1;
        if (!m_stream)
            return; // stopped by a handler
    }
    m_partial.remove(0, start);
    if (m_partial.size() > kMaxLine) {
        Q_EMIT problem(QStringLiteral("%1: vigil-job watch wrote a line over %2 MiB: restarting it")
                           .arg(m_name)
                           .arg(kMaxLine >> 20));
        m_transport->stopStream(m_stream);
        m_stream = 0;
        scheduleRestart(QStringLiteral("line too long"));
    }
}

void RunWatch::handleLine(const QByteArray &line)
{
    if (line.trimmed().isEmpty())
        return;
    Result<ScanDocument::Applied> applied = m_doc->apply(line);
    if (!applied) {
        qCWarning(lcSite).noquote() << m_name << applied.errorString();
        Q_EMIT problem(QStringLiteral("%1: %2").arg(m_name, applied.errorString()));
        return;
    }
    if (!applied->cursor.isEmpty())
        m_cursor = applied->cursor;
    if (!applied->problem.isEmpty())
        Q_EMIT problem(QStringLiteral("%1: %2").arg(m_name, applied->problem));
    switch (applied->change) {
    case ScanDocument::Change::Scan:
        if (!m_live) {
            m_backoffMs = 0; // a stream that delivered a snapshot counts as a success
            setLive(true);
            Q_EMIT scanChanged(m_doc->toJson()); // the first one at once
        } else if (!m_coalesce.isActive()) {
            m_coalesce.start();
        }
        break;
    case ScanDocument::Change::Event:
        Q_EMIT eventArrived(applied->run, applied->offset, applied->event);
        break;
    case ScanDocument::Change::Metrics:
        Q_EMIT metricsGrew(applied->run, applied->file, applied->size);
        break;
    case ScanDocument::Change::Heartbeat:
    case ScanDocument::Change::None:
        break;
    }
}

void RunWatch::onFinished(Result<ExecResult> result)
{
    m_stream = 0;
    setLive(false);
    if (!m_running)
        return;
    QString why;
    if (!result)
        why = result.errorString();
    else
        why = QStringLiteral("vigil-job watch exited with status %1%2")
                  .arg(result->exitCode)
                  .arg(result->err.isEmpty()
                           ? QString()
                           : QStringLiteral(": ") + QString::fromUtf8(result->err).trimmed());
    // A dropped connection is expected now and then; a watch that cannot run is not.
    if (result || result.error().kind != Error::Kind::Network)
        Q_EMIT problem(QStringLiteral("%1: %2").arg(m_name, why));
    scheduleRestart(why);
}

void RunWatch::scheduleRestart(const QString &why)
{
    if (!m_running)
        return;
    m_watchdog.stop();
    m_backoffMs = m_backoffMs > 0 ? std::min(2 * m_backoffMs, kMaxBackoffMs) : kFirstBackoffMs;
    qCInfo(lcSite).noquote() << m_name << "watch ended (" << why << "); again in" << m_backoffMs
                             << "ms";
    m_restart.start(m_backoffMs);
}

void RunWatch::setLive(bool live)
{
    if (m_live == live)
        return;
    m_live = live;
    Q_EMIT liveChanged(live);
}

void RunWatch::checkHeartbeat()
{
    if (!m_stream || !m_lastHeard.isValid() || !m_transport)
        return;
    const qint64 silent = m_lastHeard.secsTo(QDateTime::currentDateTimeUtc());
    if (silent < 3 * kHeartbeatSeconds)
        return;
    qCWarning(lcSite).noquote() << m_name << "watch silent for" << silent << "s";
    m_lastHeard = QDateTime::currentDateTimeUtc(); // once per silence
    m_transport->reconnect(
        QStringLiteral("no word from vigil-job watch for %1 s: the connection seems dead")
            .arg(silent));
}

} // namespace vigil
