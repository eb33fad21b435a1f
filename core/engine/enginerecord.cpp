// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's record: read at the start, and again each time the lease is
// taken (another engine may have acted meanwhile).
#include "engine.h"
#include "logging.h"
#include "runrecordio.h"
#include "sites/site.h"
#include "supervisor.h"

namespace vigil::engine {

namespace {
constexpr qint64 kMaxRecordBytes = 1024 * 1024;
}

void Engine::loadRecord(Next next)
{
    m_home = m_options.homeSite.isEmpty() ? homeSiteOf(m_workflow) : m_options.homeSite;
    if (!m_home.isEmpty() && !m_sites.contains(m_home))
        m_sites << m_home;
    if (auto ok = followSites(); !ok) {
        cannotStart(ok.errorString());
        return;
    }
    Site *home = siteOf(m_home);
    if (!home) {
        cannotStart(tr("its workflow has no job, so no site to follow"));
        return;
    }
    const QString path = runDir(home) + QLatin1Char('/') + QLatin1String(kRecordFile);
    readSiteFile(home, path, kMaxRecordBytes, [this, path, next](Result<QByteArray> r) {
        if (!r && r.error().kind == Error::Kind::NotFound) {
            next(); // a new run: nothing recorded yet
            return;
        }
        auto record = r ? parseRunRecord(*r, path) : Result<RunRecord>(r.error());
        if (!record) {
            // Acting without the record could submit what was submitted.
            cannotStart(tr("cannot read the engine's record, so the engine does not act: %1")
                            .arg(record.errorString()));
            return;
        }
        m_record = *record;
        qCInfo(lcEngine).noquote() << "run" << m_runId << "record read:" << path;
        next();
    });
}

void Engine::rereadRecord()
{
    Site *home = siteOf(m_home);
    if (m_rereading || !home)
        return;
    m_rereading = true;
    const QString path = runDir(home) + QLatin1Char('/') + QLatin1String(kRecordFile);
    readSiteFile(home, path, kMaxRecordBytes, [this, path](Result<QByteArray> r) {
        if (!r && r.error().kind == Error::Kind::NotFound) {
            m_rereading = false;
            m_recordChecked = true; // nothing recorded by anyone yet
            scheduleCycle();
            return;
        }
        auto record = r ? parseRunRecord(*r, path) : Result<RunRecord>(r.error());
        if (!record) {
            m_rereading = false;
            raiseProblem(tr("run %1: the lease is held but the engine's record cannot be read "
                            "again, so the engine does not act: %2")
                             .arg(m_runId, record.errorString()));
            return;
        }
        // What this engine learnt while observing and the other did not
        // record: a cancel asked here, revisions taken or refused here.
        RunRecord merged = *record;
        merged.cancelRequested = merged.cancelRequested || m_record.cancelRequested;
        for (int n : std::as_const(m_record.refusedRevisions))
            if (!merged.refusedRevisions.contains(n))
                merged.refusedRevisions << n;
        const bool newerHere = m_record.revision > merged.revision;
        if (newerHere)
            merged.revision = m_record.revision; // its workflow is the one in memory
        const int revisionHere = m_record.revision;
        const bool newerThere = merged.revision > revisionHere;
        m_recordDirty = m_recordDirty || newerHere ||
                        merged.cancelRequested != record->cancelRequested ||
                        merged.refusedRevisions != record->refusedRevisions;
        m_record = merged;
        auto done = [this] {
            m_rereading = false;
            m_recordChecked = true;
            qCInfo(lcEngine).noquote()
                << "run" << m_runId << "record read again:" << m_record.revision;
            scheduleCycle();
        };
        if (!newerThere)
            return done();
        loadRevision(done, [this, revisionHere](const QString &why) {
            m_rereading = false;
            m_record.revision = revisionHere; // its workflow is still the one in memory
            raiseProblem(
                tr("run %1: the lease is held, but %2; the engine does not act").arg(m_runId, why));
        });
    });
}

} // namespace vigil::engine
