// SPDX-License-Identifier: GPL-3.0-or-later
// What the supervisor does on request: decisions, job control, run files.
#include "filetail.h"
#include "localuser.h"
#include "logging.h"
#include "protocol/decision.h"
#include "protocol/ids.h"
#include "protocol/random.h"
#include "protocol/request.h"
#include "protocol/text.h"
#include "sites/bundlesite.h"
#include "sites/site.h"
#include "ssh/sshtransport.h"
#include "store/store.h"
#include "supervisor.h"

#include <QJsonDocument>
#include <QSysInfo>
#include <algorithm>

namespace vigil {

namespace {

constexpr qint64 kMaxJsonBytes = 1024 * 1024;

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}
} // namespace

void Supervisor::cancelJob(const QString &siteName, const QString &jobId, QObject *context,
                           Callback<void> done)
{
    controlJob(&Site::cancel, tr("cancel job %1").arg(jobId), siteName, jobId, context,
               std::move(done));
}

void Supervisor::holdJob(const QString &siteName, const QString &jobId, QObject *context,
                         Callback<void> done)
{
    controlJob(&Site::hold, tr("hold job %1").arg(jobId), siteName, jobId, context,
               std::move(done));
}

void Supervisor::releaseJob(const QString &siteName, const QString &jobId, QObject *context,
                            Callback<void> done)
{
    controlJob(&Site::release, tr("release job %1").arg(jobId), siteName, jobId, context,
               std::move(done));
}

void Supervisor::controlJob(JobCall call, const QString &verb, const QString &siteName,
                            const QString &jobId, QObject *context, Callback<void> done)
{
    Site *s = site(siteName);
    if (!s) {
        done(Error(tr("no site named \"%1\"").arg(siteName), Error::Kind::NotFound));
        return;
    }
    if (auto *bundle = qobject_cast<BundleSite *>(s)) {
        done(bundle->readOnlyError()); // not listed as an issue: nothing went wrong
        return;
    }
    QPointer<QObject> ctx(context);
    (s->*call)(jobId, this, [this, verb, siteName, ctx, done](Result<void> r) {
        if (r) {
            qCInfo(lcEngine).noquote() << verb << "on" << siteName << "done";
            refresh(siteName);
        } else {
            raise(Issue::Severity::Error, siteName, verb, r.errorString());
        }
        if (ctx)
            done(r);
    });
}

void Supervisor::answerHostKey(const QString &siteName, bool trust)
{
    if (Site *s = site(siteName))
        if (auto *ssh = qobject_cast<SshTransport *>(s->transport()))
            ssh->answerHostKey(trust);
}

Result<QString> Supervisor::runFilePath(const QString &siteName, const QString &runId,
                                        const QString &relativePath) const
{
    Site *s = site(siteName);
    if (!s)
        return Error(tr("no site named \"%1\"").arg(siteName), Error::Kind::NotFound);
    if (auto r = protocol::validateId(runId.toStdString(), "run id"); !r)
        return Error(qs(r.errorString()), Error::Kind::Malformed);
    if (auto r = protocol::validateRelativePath(relativePath.toStdString(), "run file"); !r)
        return Error(qs(r.errorString()), Error::Kind::Malformed);
    return QString(s->runDirectory(runId) + QLatin1Char('/') + relativePath);
}

void Supervisor::readRunFile(const QString &siteName, const QString &runId,
                             const QString &relativePath, qint64 maxBytes, QObject *context,
                             Callback<QByteArray> done)
{
    Site *s = site(siteName);
    if (!s) {
        done(Error(tr("no site named \"%1\"").arg(siteName), Error::Kind::NotFound));
        return;
    }
    s->whenConnected(context, [=, this](Result<void> connected) {
        if (!connected)
            done(connected.error());
        else
            readRunFileConnected(siteName, runId, relativePath, maxBytes, context, done);
    });
}

void Supervisor::readRunFileConnected(const QString &siteName, const QString &runId,
                                      const QString &relativePath, qint64 maxBytes,
                                      QObject *context, Callback<QByteArray> done)
{
    auto path = runFilePath(siteName, runId, relativePath);
    if (!path) {
        done(path.error());
        return;
    }
    Transport *t = site(siteName)->transport();
    // The file itself is opened without following a link (Transport::readFile);
    // the directories on the way to it are checked first.
    QStringList dirs = relativePath.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    dirs.removeLast();
    checkNoLinksBelow(
        t, site(siteName)->runDirectory(runId), dirs, context,
        [t, maxBytes, p = *path, context, done = std::move(done)](Result<void> checked) {
            if (!checked) {
                done(checked.error());
                return;
            }
            t->readFile(p, 0, maxBytes + 1, context, [maxBytes, p, done](Result<FileChunk> r) {
                if (!r)
                    done(r.error());
                else if (r->data.size() > maxBytes)
                    done(Error(tr("%1 is larger than %2 bytes").arg(p).arg(maxBytes),
                               Error::Kind::TooLarge));
                else
                    done(r->data);
            });
        });
}

void Supervisor::checkNoLinksBelow(Transport *transport, const QString &base, QStringList below,
                                   QObject *context, Callback<void> done)
{
    if (below.isEmpty()) {
        done({});
        return;
    }
    const QString name = below.takeFirst();
    transport->listDirectory(
        base, context,
        [this, transport, base, name, below, context,
         done = std::move(done)](Result<QList<FileEntry>> listed) mutable {
            if (!listed) {
                done(listed.error());
                return;
            }
            const QString path = base + QLatin1Char('/') + name;
            const auto it = std::find_if(listed->cbegin(), listed->cend(),
                                         [&name](const FileEntry &e) { return e.name == name; });
            if (it == listed->cend())
                done(Error(tr("%1: no such directory").arg(path), Error::Kind::NotFound));
            else if (it->isSymlink)
                done(Error(tr("%1 is a symbolic link: refused (a run's files are read inside its "
                              "run directory only)")
                               .arg(path),
                           Error::Kind::Permission));
            else if (!it->isDir)
                done(Error(tr("%1 is not a directory").arg(path), Error::Kind::NotFound));
            else
                checkNoLinksBelow(transport, path, std::move(below), context, std::move(done));
        });
}

void Supervisor::decide(const DecisionInput &in, QObject *context, Callback<DecisionOutcome> done)
{
    Site *s = site(in.site);
    if (!s) {
        done(Error(tr("no site named \"%1\"").arg(in.site), Error::Kind::NotFound));
        return;
    }
    if (auto *bundle = qobject_cast<BundleSite *>(s)) {
        done(bundle->readOnlyError());
        return;
    }
    // The caller (a dialog) may close before the decision is written: the
    // work goes on regardless, and only the reply is dropped. A failure is
    // always listed as an issue, so it is never silent.
    QPointer<QObject> ctx(context);
    Callback<DecisionOutcome> reply = [this, in, ctx, done](Result<DecisionOutcome> r) {
        if (!r)
            raise(Issue::Severity::Error, in.site,
                  tr("decision on %1/%2").arg(in.runId, in.checkpointId), r.errorString());
        if (ctx)
            done(std::move(r));
    };
    const auto known = checkpoint(in.site, in.runId, in.checkpointId);
    if (known && known->status == CheckpointInfo::Status::Closed) {
        reply(Error(tr("checkpoint %1 of run %2 is closed: %3")
                        .arg(in.checkpointId, in.runId, known->problem)));
        return;
    }
    QString decisionId = in.decisionId;
    if (decisionId.isEmpty()) {
        auto id = protocol::makeNonce();
        if (!id) {
            reply(Error(qs(id.errorString())));
            return;
        }
        decisionId = qs(*id);
    } else if (!protocol::isLowerHex(decisionId.toStdString(), 32)) {
        reply(Error(tr("decision id \"%1\": expected 32 lower-case hex digits").arg(decisionId)));
        return;
    }
    OutboxEntry e;
    e.decisionId = decisionId;
    e.site = in.site;
    e.runId = in.runId;
    e.checkpointId = in.checkpointId;
    e.nonce = known ? known->nonce : QString();
    e.option = in.option;
    e.params = QString::fromUtf8(QJsonDocument(in.params).toJson(QJsonDocument::Compact));
    e.comment = in.comment;
    e.decidedBy = localUserName();
    e.clientHost = QSysInfo::machineHostName();
    e.evidenceSha256 = in.evidenceSha256;
    e.evidenceBytes = in.evidenceSha256.isEmpty() ? QString() : in.evidenceBytes;
    e.decidedAt = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
    m_sending.insert(e.decisionId); // a reconnection meanwhile must not send it too
    if (!m_store) {
        sendDecision(e, false, reply);
        return;
    }
    // Stored before it is sent: from here on it is never lost.
    m_store->queueDecision(e, this, [this, e, reply](Result<void> stored) {
        if (!stored)
            raise(Issue::Severity::Warning, e.site, tr("outbox"),
                  tr("the decision on %1/%2 is sent without the local outbox: %3")
                      .arg(e.runId, e.checkpointId, stored.errorString()));
        sendDecision(e, stored.ok(), reply);
    });
}

void Supervisor::flushOutbox(const QString &siteName)
{
    if (!m_store)
        return;
    m_store->unconfirmed(siteName, this, [this](Result<QList<OutboxEntry>> r) {
        if (!r)
            return; // logged by the store; its open error is an issue already
        for (const OutboxEntry &e : std::as_const(*r)) {
            if (m_sending.contains(e.decisionId) || !site(e.site))
                continue;
            qCInfo(lcEngine).noquote() << "sending decision" << e.decisionId << "from the outbox"
                                       << "for" << e.site << e.runId << e.checkpointId;
            m_sending.insert(e.decisionId);
            sendDecision(e, true, [this, e](Result<DecisionOutcome> o) {
                const QString subject = tr("decision on %1/%2").arg(e.runId, e.checkpointId);
                if (!o)
                    raise(Issue::Severity::Warning, e.site, subject, o.errorString());
                else if (!o->won)
                    raise(Issue::Severity::Warning, e.site, subject,
                          tr("%1 decided first (option %2): your decision (option %3) was not "
                             "applied")
                              .arg(o->decidedBy, o->option, e.option));
            });
        }
    });
}

void Supervisor::sendDecision(const OutboxEntry &e, bool tracked, Callback<DecisionOutcome> done)
{
    // Done: a later flush may take the entry up again if it is still unconfirmed.
    Callback<DecisionOutcome> finish = [this, e, tracked, done](Result<DecisionOutcome> r) {
        m_sending.remove(e.decisionId);
        if (!r && tracked && m_store) {
            // Only an answer that can never change ends the entry's life;
            // anything else (the network, above all) is tried again.
            const auto kind = r.error().kind;
            if (kind == Error::Kind::Malformed || kind == Error::Kind::NotFound) {
                m_store->markFailed(e.decisionId, r.errorString());
            } else {
                m_store->noteSendError(e.decisionId, r.errorString());
                r = Error(tr("%1 (the decision is kept in the outbox and sent again at each "
                             "refresh of %2 until it is written)")
                              .arg(r.errorString(), e.site),
                          kind);
            }
        }
        done(std::move(r));
    };
    Site *s = site(e.site);
    if (!s) {
        finish(Error(tr("no site named \"%1\"").arg(e.site), Error::Kind::Generic));
        return;
    }
    s->whenConnected(this, [=, this](Result<void> connected) {
        if (!connected)
            finish(connected.error());
        else
            decideConnected(e, tracked, finish);
    });
}

void Supervisor::decideConnected(const OutboxEntry &e, bool tracked, Callback<DecisionOutcome> done)
{
    auto dir = runFilePath(e.site, e.runId, QStringLiteral("checkpoints/") + e.checkpointId);
    if (auto r = protocol::validateId(e.checkpointId.toStdString(), "checkpoint id"); !r) {
        done(Error(qs(r.errorString()), Error::Kind::Malformed));
        return;
    }
    if (!dir) {
        done(dir.error());
        return;
    }
    Transport *t = site(e.site)->transport();
    const QString requestPath = *dir + QLatin1String("/request.json");
    const QString decisionPath = *dir + QLatin1String("/decision.json");

    // The checkpoint's directory must be the run's own: a decision is never
    // written through a symbolic link to another directory.
    checkNoLinksBelow(
        t, site(e.site)->runDirectory(e.runId), {QStringLiteral("checkpoints"), e.checkpointId},
        this, [this, e, tracked, t, requestPath, decisionPath, done](Result<void> checked) mutable {
            if (!checked) {
                done(checked.error());
                return;
            }
            readRequestThenWrite(e, tracked, t, requestPath, decisionPath, std::move(done));
        });
}

void Supervisor::readRequestThenWrite(const OutboxEntry &e, bool tracked, Transport *t,
                                      const QString &requestPath, const QString &decisionPath,
                                      Callback<DecisionOutcome> done)
{
    // Read the request as it is now (never a cached copy): the nonce and the
    // options must be the job's.
    t->readFile(
        requestPath, 0, kMaxJsonBytes + 1, this,
        [this, e, tracked, requestPath, decisionPath, done](Result<FileChunk> r) {
            if (!r) {
                done(r.error());
                return;
            }
            if (r->data.size() > kMaxJsonBytes) {
                done(Error(tr("%1 is larger than 1 MiB").arg(requestPath), Error::Kind::TooLarge));
                return;
            }
            auto request = protocol::parseRequest(r->data.toStdString(), requestPath.toStdString());
            if (!request) {
                done(Error(qs(request.errorString()), Error::Kind::Malformed));
                return;
            }
            if (!e.nonce.isEmpty() && e.nonce.toStdString() != request->nonce) {
                done(Error(tr("checkpoint %1 of run %2 was posted again after the "
                              "decision was taken: decide again")
                               .arg(e.checkpointId, e.runId),
                           Error::Kind::Malformed));
                return;
            }
            auto params = nlohmann::json::parse(e.params.toStdString(), nullptr, false);
            if (!params.is_object())
                params = nlohmann::json::object();
            auto decision = protocol::makeDecision(
                *request, e.option.toStdString(), std::move(params), e.comment.toStdString(),
                e.decidedBy.toStdString(), e.clientHost.toStdString(),
                e.evidenceSha256.toStdString(),
                protocol::TimePoint(std::chrono::seconds(e.decidedAt.toSecsSinceEpoch())));
            if (!decision) {
                done(Error(qs(decision.errorString()), Error::Kind::Malformed));
                return;
            }
            decision->decisionId = e.decisionId.toStdString(); // the outbox's, every try
            // The byte counts the hash covers, so that the job can check it
            // (none from an older row: the decision is sent as it was taken).
            if (!e.evidenceBytes.isEmpty() && !e.evidenceSha256.isEmpty()) {
                auto counts = nlohmann::json::parse(e.evidenceBytes.toStdString(), nullptr, false);
                if (!counts.is_array() ||
                    !std::all_of(counts.begin(), counts.end(),
                                 [](const nlohmann::json &n) { return n.is_number_integer(); })) {
                    done(Error(tr("decision %1: the stored evidence byte counts are not a list "
                                  "of integers: %2")
                                   .arg(e.decisionId, e.evidenceBytes),
                               Error::Kind::Malformed));
                    return;
                }
                decision->evidenceBytes = counts.get<std::vector<std::int64_t>>();
            }
            if (auto ok = protocol::checkDecision(*request, *decision); !ok) {
                done(Error(qs(ok.errorString()), Error::Kind::Malformed));
                return;
            }
            // When the request names approvers, the decider may not be the
            // job's owner: the job then reads the file through the run's group.
            const quint32 mode = request->approverUids.empty() ? 0600 : 0640;
            writeDecision(e, tracked, decisionPath,
                          QByteArray::fromStdString(protocol::serializeDecision(*decision)), mode,
                          done);
        });
}

void Supervisor::writeDecision(const OutboxEntry &e, bool tracked, const QString &decisionPath,
                               const QByteArray &bytes, quint32 mode,
                               Callback<DecisionOutcome> done)
{
    Transport *t = site(e.site)->transport();
    Store *store = tracked ? m_store.data() : nullptr;
    if (store)
        store->markSent(e.decisionId);
    const DecisionOutcome mine{true, e.decidedBy, e.option, e.decidedAt, e.decisionId};
    auto confirmed = [this, e, store, mine, done] {
        if (store)
            store->markConfirmed(e.decisionId, QDateTime::currentDateTimeUtc());
        qCInfo(lcEngine).noquote() << "decision" << e.decisionId << "(" << e.option
                                   << ") confirmed on" << e.site << e.runId << e.checkpointId;
        refresh(e.site);
        done(mine);
    };
    t->createExclusive(decisionPath, bytes, mode, this,
                       [this, e, t, store, decisionPath, confirmed, done](Result<void> w) {
                           if (w) {
                               confirmed();
                               return;
                           }
                           if (w.error().kind != Error::Kind::AlreadyExists) {
                               done(w.error());
                               return;
                           }
                           // A decision is there: ours from an earlier try, or someone else's.
                           t->readFile(
                               decisionPath, 0, kMaxJsonBytes, this,
                               [e, store, decisionPath, confirmed, done](Result<FileChunk> r) {
                                   if (!r) {
                                       done(r.error());
                                       return;
                                   }
                                   auto other = protocol::parseDecision(r->data.toStdString(),
                                                                        decisionPath.toStdString());
                                   if (!other) {
                                       done(Error(qs(other.errorString()), Error::Kind::Malformed));
                                       return;
                                   }
                                   if (qs(other->decisionId) == e.decisionId) {
                                       confirmed(); // sent before; applied once
                                       return;
                                   }
                                   OutboxEntry winner;
                                   winner.decisionId = qs(other->decisionId);
                                   winner.decidedBy = qs(other->decidedBy);
                                   winner.option = qs(other->option);
                                   winner.decidedAt = QDateTime::fromString(
                                       qs(protocol::formatUtc(other->decidedAt)), Qt::ISODate);
                                   if (store)
                                       store->markLost(e.decisionId, winner);
                                   done(DecisionOutcome{false, winner.decidedBy, winner.option,
                                                        winner.decidedAt, winner.decisionId});
                               });
                       });
}

Result<FileTail *> Supervisor::followRunFile(const QString &siteName, const QString &runId,
                                             const QString &relativePath, QObject *parent)
{
    auto path = runFilePath(siteName, runId, relativePath);
    if (!path)
        return path.error();
    return new FileTail(site(siteName)->transport(), *path, qint64(8) << 20, parent);
}

} // namespace vigil
