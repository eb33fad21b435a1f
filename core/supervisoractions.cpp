// SPDX-License-Identifier: GPL-3.0-or-later
// What the supervisor does on request: decisions, cancellations, run files.
#include "filetail.h"
#include "logging.h"
#include "protocol/decision.h"
#include "protocol/ids.h"
#include "protocol/request.h"
#include "sites/site.h"
#include "ssh/sshtransport.h"
#include "supervisor.h"

#include <pwd.h>
#include <unistd.h>

namespace vigil {

namespace {
constexpr qint64 kMaxJsonBytes = 1024 * 1024;

// The local account name of the person deciding (recorded in decided_by).
QString userName()
{
    if (const struct passwd *pw = ::getpwuid(::getuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    const QString u = qEnvironmentVariable("USER");
    return u.isEmpty() ? QStringLiteral("uid-%1").arg(::getuid()) : u;
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}
} // namespace

void Supervisor::cancelJob(const QString &siteName, const QString &jobId, QObject *context,
                           Callback<void> done)
{
    Site *s = site(siteName);
    if (!s) {
        done(Error(tr("no site named \"%1\"").arg(siteName), Error::Kind::NotFound));
        return;
    }
    QPointer<QObject> ctx(context);
    s->cancel(jobId, this, [this, siteName, jobId, ctx, done](Result<void> r) {
        if (r) {
            qCInfo(lcEngine).noquote() << "cancelled job" << jobId << "on" << siteName;
            refresh(siteName);
        } else {
            raise(Issue::Severity::Error, siteName, tr("cancel job %1").arg(jobId),
                  r.errorString());
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
    site(siteName)->transport()->readFile(
        *path, 0, maxBytes + 1, context,
        [maxBytes, p = *path, done = std::move(done)](Result<FileChunk> r) {
            if (!r)
                done(r.error());
            else if (r->data.size() > maxBytes)
                done(Error(tr("%1 is larger than %2 bytes").arg(p).arg(maxBytes),
                           Error::Kind::TooLarge));
            else
                done(r->data);
        });
}

void Supervisor::decide(const DecisionInput &in, QObject *context, Callback<DecisionOutcome> done)
{
    Site *s = site(in.site);
    if (!s) {
        done(Error(tr("no site named \"%1\"").arg(in.site), Error::Kind::NotFound));
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
    if (auto known = checkpoint(in.site, in.runId, in.checkpointId);
        known && known->status == CheckpointInfo::Status::Closed) {
        reply(Error(tr("checkpoint %1 of run %2 is closed: %3")
                        .arg(in.checkpointId, in.runId, known->problem)));
        return;
    }
    s->whenConnected(this, [=, this](Result<void> connected) {
        if (!connected)
            reply(connected.error());
        else
            decideConnected(in, this, reply);
    });
}

void Supervisor::decideConnected(const DecisionInput &in, QObject *context,
                                 Callback<DecisionOutcome> done)
{
    auto dir = runFilePath(in.site, in.runId, QStringLiteral("checkpoints/") + in.checkpointId);
    if (auto r = protocol::validateId(in.checkpointId.toStdString(), "checkpoint id"); !r) {
        done(Error(qs(r.errorString()), Error::Kind::Malformed));
        return;
    }
    if (!dir) {
        done(dir.error());
        return;
    }
    Transport *t = site(in.site)->transport();
    const QString requestPath = *dir + QLatin1String("/request.json");
    const QString decisionPath = *dir + QLatin1String("/decision.json");
    Q_UNUSED(context);

    // Read the request as it is now (never a cached copy): the nonce and the
    // options must be the job's.
    t->readFile(
        requestPath, 0, kMaxJsonBytes + 1, this,
        [this, in, t, requestPath, decisionPath, done](Result<FileChunk> r) {
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
            auto decision =
                protocol::makeDecision(*request, in.option.toStdString(), nlohmann::json::object(),
                                       in.comment.toStdString(), userName().toStdString(),
                                       QSysInfo::machineHostName().toStdString(),
                                       in.evidenceSha256.toStdString(), protocol::now());
            if (!decision) {
                done(Error(qs(decision.errorString()), Error::Kind::Malformed));
                return;
            }
            if (auto ok = protocol::checkDecision(*request, *decision); !ok) {
                done(Error(qs(ok.errorString()), Error::Kind::Malformed));
                return;
            }
            const QByteArray bytes =
                QByteArray::fromStdString(protocol::serializeDecision(*decision));
            const DecisionOutcome mine{true, qs(decision->decidedBy), qs(decision->option),
                                       QDateTime::currentDateTimeUtc()};
            // When the request names approvers, the decider may not be the job's
            // owner: the job then reads the file through the run's group.
            const quint32 mode = request->approverUids.empty() ? 0600 : 0640;
            t->createExclusive(
                decisionPath, bytes, mode, this,
                [this, in, t, decisionPath, done, mine](Result<void> w) {
                    if (w) {
                        qCInfo(lcEngine).noquote() << "decision" << mine.option << "sent for"
                                                   << in.site << in.runId << in.checkpointId;
                        refresh(in.site);
                        done(mine);
                        return;
                    }
                    if (w.error().kind != Error::Kind::AlreadyExists) {
                        done(w.error());
                        return;
                    }
                    // Someone decided first: tell who.
                    t->readFile(
                        decisionPath, 0, kMaxJsonBytes, this,
                        [decisionPath, done](Result<FileChunk> e) {
                            if (!e) {
                                done(e.error());
                                return;
                            }
                            auto other = protocol::parseDecision(e->data.toStdString(),
                                                                 decisionPath.toStdString());
                            if (!other) {
                                done(Error(qs(other.errorString()), Error::Kind::Malformed));
                                return;
                            }
                            DecisionOutcome o;
                            o.won = false;
                            o.decidedBy = qs(other->decidedBy);
                            o.option = qs(other->option);
                            o.decidedAt = QDateTime::fromString(
                                qs(protocol::formatUtc(other->decidedAt)), Qt::ISODate);
                            done(o);
                        });
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
