// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundleexport.h"

#include "bundlecheck.h"
#include "bundlestore.h"
#include "localuser.h"
#include "models/operationsmodel.h"
#include "sites/site.h"
#include "store/store.h"

#include <QDateTime>
#include <algorithm>

namespace vigil::bundle {

namespace {
constexpr qint64 kChunk = qint64(4) << 20;
constexpr int kMaxDepth = 32;
} // namespace

Export::Export(Site *site, QString runId, ExportOptions options, QObject *parent)
    : QObject(parent), m_site(site), m_runId(std::move(runId)), m_options(std::move(options))
{
    m_pool.setMaxThreadCount(1);
}

Export::~Export()
{
    m_cancel->store(true);
    m_pool.waitForDone(); // a file being compressed: never longer than one file
    if (m_row && m_options.operations)
        m_options.operations->remove(m_row);
}

bool Export::isLog(const QString &rel)
{
    return rel.endsWith(QLatin1String(".log")) || rel.endsWith(QLatin1String(".out")) ||
           rel.endsWith(QLatin1String(".err"));
}

void Export::start(Callback<Manifest> done)
{
    m_done = std::move(done);
    if (m_options.operations) {
        Operation op;
        op.site = m_site ? m_site->name() : QString();
        op.run = m_runId;
        op.title = tr("Exporting %1").arg(m_runId);
        op.cancel = [cancel = m_cancel] { cancel->store(true); };
        m_row = m_options.operations->add(std::move(op));
    }
    if (!m_site) {
        fail(Error(tr("no such site")));
        return;
    }
    m_site->whenConnected(this, [this](Result<void> connected) {
        if (!connected) {
            fail(connected.error());
            return;
        }
        m_runDir = m_site->runDirectory(m_runId);
        walk(QString(), 0);
    });
}

void Export::cancel()
{
    m_cancel->store(true);
}

void Export::walk(const QString &rel, int depth)
{
    ++m_pendingLists;
    const QString dir = rel.isEmpty() ? m_runDir : m_runDir + QLatin1Char('/') + rel;
    m_site->transport()->listDirectory(dir, this, [=, this](Result<QList<FileEntry>> listed) {
        --m_pendingLists;
        if (m_finished)
            return;
        if (m_cancel->load()) {
            fail(Error(tr("the export was cancelled"), Error::Kind::Cancelled));
            return;
        }
        if (!listed) {
            if (rel.isEmpty()) {
                fail(
                    Error(tr("run %1 on %2: %3").arg(m_runId, m_site->name(), listed.errorString()),
                          listed.error().kind));
                return;
            }
            m_omitted.append({rel, 0, tr("cannot be listed: %1").arg(listed.errorString())});
        }
        for (const FileEntry &e : listed ? *listed : QList<FileEntry>()) {
            if (e.name == QLatin1String(".") || e.name == QLatin1String(".."))
                continue;
            const QString child = rel.isEmpty() ? e.name : rel + QLatin1Char('/') + e.name;
            if (!pathProblem(child, false).isEmpty() || e.name.contains(QLatin1Char('/')))
                m_omitted.append({child, e.size, tr("its name cannot go into a bundle")});
            else if (e.isSymlink)
                m_omitted.append({child, e.size, tr("symbolic link")});
            else if (e.isDir && depth + 1 >= kMaxDepth)
                m_omitted.append({child, 0, tr("nested too deep")});
            else if (e.isDir)
                walk(child, depth + 1);
            else if (isLog(child) && e.size > m_options.logTailBytes)
                m_items.append({child, e.size, e.mtime, e.size - m_options.logTailBytes});
            else if (e.size > m_options.maxFileBytes)
                m_omitted.append({child, e.size,
                                  tr("over the size cap of %1 bytes").arg(m_options.maxFileBytes)});
            else
                m_items.append({child, e.size, e.mtime, 0});
        }
        if (m_items.size() > m_options.maxFiles) {
            fail(Error(tr("run %1 has more than %2 files").arg(m_runId).arg(m_options.maxFiles),
                       Error::Kind::TooLarge));
            return;
        }
        if (m_pendingLists == 0)
            walked();
    });
}

void Export::walked()
{
    std::sort(m_items.begin(), m_items.end(),
              [](const Item &a, const Item &b) { return a.rel < b.rel; });
    std::sort(m_omitted.begin(), m_omitted.end(),
              [](const OmittedFile &a, const OmittedFile &b) { return a.path < b.path; });
    for (const Item &i : std::as_const(m_items))
        m_total += i.size - i.offset;
    step(0);
    readStore();
}

void Export::readStore()
{
    Store *store = m_options.store;
    const QString site = m_site->name();
    auto jobsDone = [this](QList<JobStateChange> history) {
        m_storeFiles.append({kJobsFile, jobsJson(m_options.jobs, history)});
        openWriter();
    };
    if (!store) {
        jobsDone({});
        return;
    }
    store->auditLog(m_runId, this, [=, this](Result<QList<AuditEntry>> audit) {
        if (!audit) {
            fail(audit.error());
            return;
        }
        m_storeFiles.append({kAuditFile, auditJsonl(*audit)});
        store->outbox(this, [=, this](Result<QList<OutboxEntry>> outbox) {
            if (!outbox) {
                fail(outbox.error());
                return;
            }
            QList<OutboxEntry> mine;
            for (const OutboxEntry &e : std::as_const(*outbox))
                if (e.runId == m_runId && e.site == site)
                    mine.append(e);
            m_storeFiles.append({kDecisionsFile, decisionsJsonl(mine)});
            // Each job's history, one after the other.
            auto history = std::make_shared<QList<JobStateChange>>();
            auto next = std::make_shared<std::function<void(int)>>();
            *next = [=, this](int i) {
                if (i >= m_options.jobs.size()) {
                    jobsDone(*history);
                    *next = nullptr; // breaks the cycle
                    return;
                }
                store->jobHistory(site, m_options.jobs.at(i).jobId, this,
                                  [=](Result<QList<JobStateChange>> h) {
                                      if (h)
                                          *history += *h;
                                      (*next)(i + 1);
                                  });
            };
            (*next)(0);
        });
    });
}

void Export::openWriter()
{
    if (m_cancel->load()) {
        fail(Error(tr("the export was cancelled"), Error::Kind::Cancelled));
        return;
    }
    m_pool.start([this, target = m_options.target, format = m_options.format, run = m_runId] {
        auto made = Writer::create(target, format, run);
        std::shared_ptr<Writer> writer = made ? std::shared_ptr<Writer>(std::move(*made)) : nullptr;
        Error error = made ? Error() : made.error();
        QMetaObject::invokeMethod(
            this,
            [this, writer, error] {
                if (!writer) {
                    fail(error);
                    return;
                }
                m_writer = writer;
                nextItem();
            },
            Qt::QueuedConnection);
    });
}

void Export::nextItem()
{
    if (m_cancel->load()) {
        fail(Error(tr("the export was cancelled"), Error::Kind::Cancelled));
        return;
    }
    if (!m_items.isEmpty()) {
        readChunk(m_items.first(), QByteArray());
        return;
    }
    if (!m_storeFiles.isEmpty()) {
        auto [rel, data] = m_storeFiles.takeFirst();
        write(rel, data, QDateTime::currentSecsSinceEpoch(), -1, [this] { nextItem(); });
        return;
    }
    finish();
}

void Export::readChunk(const Item &item, QByteArray data)
{
    const qint64 want = item.size - item.offset - data.size();
    const QString path = m_runDir + QLatin1Char('/') + item.rel;
    // Read before `data` is moved into the callback: the order in which the
    // arguments are evaluated is unspecified.
    const qint64 at = item.offset + data.size();
    m_site->transport()->readFile(
        path, at, std::min(want, kChunk), this,
        [this, item, data = std::move(data), want](Result<FileChunk> chunk) mutable {
            if (m_finished)
                return;
            if (m_cancel->load()) {
                fail(Error(tr("the export was cancelled"), Error::Kind::Cancelled));
                return;
            }
            if (!chunk) {
                // Gone or replaced by a link since it was listed: left out.
                m_omitted.append({item.rel, item.size, chunk.errorString()});
                step(want);
                m_items.removeFirst();
                nextItem();
                return;
            }
            data += chunk->data;
            step(chunk->data.size());
            if (!chunk->data.isEmpty() && data.size() < item.size - item.offset) {
                readChunk(item, std::move(data));
                return;
            }
            step(item.size - item.offset - data.size()); // shrank: counted as done
            m_items.removeFirst();
            write(runPrefix(m_runId) + QLatin1Char('/') + item.rel, std::move(data), item.mtime,
                  item.offset > 0 ? item.size : -1, [this] { nextItem(); });
        });
}

void Export::write(const QString &rel, QByteArray data, qint64 mtime, qint64 truncatedFrom,
                   std::function<void()> then)
{
    m_pool.start([this, writer = m_writer, rel, data = std::move(data), mtime, truncatedFrom,
                  then = std::move(then)] {
        auto added = writer->addFile(rel, data, mtime, truncatedFrom);
        QMetaObject::invokeMethod(
            this,
            [this, added, then] {
                if (!added)
                    fail(added.error());
                else
                    then();
            },
            Qt::QueuedConnection);
    });
}

void Export::finish()
{
    Manifest m;
    m.created = QDateTime::currentDateTimeUtc();
    m.createdBy = m_options.createdBy.isEmpty() ? localUserName() : m_options.createdBy;
    m.site = m_site->name();
    m.runId = m_runId;
    m.omitted = m_omitted;
    m_pool.start([this, writer = std::move(m_writer), m] {
        auto written = writer->finish(m);
        QMetaObject::invokeMethod(
            this,
            [this, written] {
                if (!written) {
                    fail(written.error());
                    return;
                }
                m_finished = true;
                if (m_row && m_options.operations)
                    m_options.operations->remove(std::exchange(m_row, 0));
                if (m_done)
                    std::exchange(m_done, nullptr)(written);
            },
            Qt::QueuedConnection);
    });
}

void Export::fail(const Error &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_cancel->store(true);
    // The writer goes on its own thread, after any write under way: its
    // temporary file is removed before `done` hears of the failure.
    m_pool.start([this, writer = std::move(m_writer), error]() mutable {
        writer.reset();
        QMetaObject::invokeMethod(
            this,
            [this, error] {
                if (m_row && m_options.operations)
                    m_options.operations->remove(std::exchange(m_row, 0));
                if (m_done)
                    std::exchange(m_done, nullptr)(error);
            },
            Qt::QueuedConnection);
    });
}

void Export::step(qint64 bytes)
{
    m_bytesDone += bytes;
    Q_EMIT progress(m_bytesDone, m_total);
    if (m_row && m_options.operations)
        m_options.operations->setProgress(m_row, m_bytesDone, m_total);
}

} // namespace vigil::bundle
