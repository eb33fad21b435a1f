// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Exports one run as a review bundle (docs/bundles.md): the run directory's
// files read over the site's transport (never through a symbolic link, never
// out of the run directory; logs as their last bytes; files over a cap left
// out and listed as omitted), and the local store's audit log, decision
// records and the run's job history. Reading happens on the transport's
// thread, compressing and writing on a worker thread of the export's own:
// the caller's thread only passes the pieces along. The bundle is written to
// a temporary file beside the target and renamed into place at the end: a
// cancel or an error leaves no file. Listed with its progress and Cancel in
// an OperationsModel ("Exporting RUN").

#include "bundlewriter.h"
#include "sites/jobinfo.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <atomic>
#include <memory>

namespace vigil {
class OperationsModel;
class Site;
class Store;
struct FileEntry;
} // namespace vigil

namespace vigil::bundle {

struct ExportOptions
{
    QString target; // the bundle file to write
    Format format = Format::TarZstd;
    qint64 maxFileBytes = qint64(64) << 20; // larger files are omitted (logs are tailed)
    qint64 logTailBytes = qint64(4) << 20;  // the last bytes kept of each log
    int maxFiles = 50000;
    Store *store = nullptr;                // audit, decisions, job history; null: none
    QList<JobInfo> jobs;                   // the run's jobs (store/jobs.json)
    QString createdBy;                     // empty: the local user
    OperationsModel *operations = nullptr; // null: not listed
};

class Export : public QObject
{
    Q_OBJECT
public:
    Export(Site *site, QString runId, ExportOptions options, QObject *parent = nullptr);
    ~Export() override;

    // Starts; `done` gets the manifest written, or the error (Cancelled after
    // cancel()), on this object's thread, once.
    void start(Callback<Manifest> done);
    void cancel();

    // Whether a file of the run is a log, kept as its tail.
    static bool isLog(const QString &relativePath);

Q_SIGNALS:
    void progress(qint64 done, qint64 total);

private:
    struct Item
    {
        QString rel; // in the run directory
        qint64 size = 0;
        qint64 mtime = 0;
        qint64 offset = 0; // > 0: a tail
    };
    void walk(const QString &rel, int depth);
    void walked();
    void readStore();
    void openWriter();
    void nextItem();
    void readChunk(const Item &item, QByteArray data);
    void write(const QString &rel, QByteArray data, qint64 mtime, qint64 truncatedFrom,
               std::function<void()> then);
    void finish();
    void fail(const Error &error);
    void step(qint64 bytes);

    QPointer<Site> m_site;
    QString m_runId;
    ExportOptions m_options;
    QString m_runDir;
    Callback<Manifest> m_done;
    std::shared_ptr<std::atomic_bool> m_cancel = std::make_shared<std::atomic_bool>(false);
    QThreadPool m_pool; // one thread: the writer's
    std::shared_ptr<Writer> m_writer;
    int m_pendingLists = 0;
    QList<Item> m_items;
    QList<OmittedFile> m_omitted;
    QList<std::pair<QString, QByteArray>> m_storeFiles;
    qint64 m_bytesDone = 0;
    qint64 m_total = 0;
    quint64 m_row = 0;
    bool m_finished = false;
};

} // namespace vigil::bundle
