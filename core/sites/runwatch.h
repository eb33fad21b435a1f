// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "transport.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <memory>

namespace vigil {

class Site;
class ScanDocument;

// One long-lived `vigil-job watch --root RUNROOT` stream per site: the run
// directories' changes arrive as they happen instead of being polled file by
// file (docs/protocol.md, "watch").
//
// The watch's first line is a snapshot (the `scan` document); later lines
// patch it. scanChanged() hands on the patched document, at most once per
// kCoalesceMs, so that the desktop parses one scan however many lines came.
// When the stream ends (a dropped connection, a restarted sshd) it starts
// again with `--since CURSOR`, so that no event line is lost or repeated. A
// watch that stays silent for three heartbeats is taken for a dead link: the
// transport is told to reconnect.
class RunWatch : public QObject
{
    Q_OBJECT
public:
    static constexpr int kHeartbeatSeconds = 10;
    static constexpr int kCoalesceMs = 100;

    explicit RunWatch(Site *site, QObject *parent = nullptr);
    ~RunWatch() override;

    void start();
    void stop();

    // A snapshot has arrived and the stream is open.
    bool isLive() const { return m_live; }
    // Resume point: RUN=OFFSET,... of events.jsonl lines delivered so far.
    QString cursor() const { return m_cursor; }
    // When the watch last said anything (a heartbeat counts).
    QDateTime lastHeard() const { return m_lastHeard; }
    int starts() const { return m_starts; }
    // The scan document as patched so far (empty before the first snapshot).
    QByteArray document() const;

Q_SIGNALS:
    void liveChanged(bool live);
    // The patched scan document (vigil.scan, as `vigil-job scan` prints it).
    void scanChanged(const QByteArray &scanDocument);
    // A new line of a run's events.jsonl (re-serialised by the helper).
    void eventArrived(const QString &run, qint64 offset, const QByteArray &eventJson);
    // A metrics file of a run grew: a review window tails it.
    void metricsGrew(const QString &run, const QString &file, qint64 size);
    // Something the user should know: the watch cannot start, a line is broken.
    void problem(const QString &message);

private:
    void startStream();
    void onOutput(const QByteArray &chunk);
    void onFinished(Result<ExecResult> result);
    void handleLine(const QByteArray &line);
    void setLive(bool live);
    void scheduleRestart(const QString &why);
    void checkHeartbeat();

    QString m_name;                  // the site's
    QPointer<Site> m_site;           // may go first when their owner is destroyed
    QPointer<Transport> m_transport; // the site's
    std::unique_ptr<ScanDocument> m_doc;
    StreamId m_stream = 0;
    bool m_running = false; // between start() and stop()
    bool m_live = false;
    QByteArray m_partial; // an incomplete last line
    QString m_cursor;
    QDateTime m_lastHeard;
    int m_starts = 0;
    int m_backoffMs = 0;
    QTimer m_restart;
    QTimer m_coalesce;
    QTimer m_watchdog;
};

} // namespace vigil
