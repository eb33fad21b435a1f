// SPDX-License-Identifier: GPL-3.0-or-later
// Run-time changes in the run directory: revisions/NNNN.{toml,diff,json},
// publishing a revision no-clobber, reading the latest one.
#include "protocol/text.h"
#include "revision.h"
#include "runrecordio.h"
#include "transport.h"
#include "workflow/writer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <algorithm>

namespace vigil::engine {

namespace {

const char kRevisionFormat[] = "vigil.workflow-revision";
constexpr qint64 kMaxWorkflowBytes = 4 * 1024 * 1024;

QString joinPath(const QString &dir, const QString &rel)
{
    return dir + QLatin1Char('/') + rel;
}

} // namespace

QString revisionPath(int revision, const QString &extension)
{
    return QStringLiteral("%1/%2.%3")
        .arg(QLatin1String(kRevisionsDir))
        .arg(revision, 4, 10, QLatin1Char('0'))
        .arg(extension);
}

QList<int> publishedRevisions(const QList<FileEntry> &listing)
{
    static const QRegularExpression re(QStringLiteral("^([0-9]{4})\\.toml$"));
    QList<int> out;
    for (const FileEntry &e : listing) {
        if (e.isDir || e.isSymlink)
            continue;
        const auto m = re.match(e.name);
        const int n = m.hasMatch() ? m.captured(1).toInt() : 0;
        if (n >= 2)
            out << n;
    }
    std::sort(out.begin(), out.end());
    return out;
}

QByteArray serializeRevisionInfo(const RevisionInfo &info)
{
    QJsonObject o{
        {QStringLiteral("format"),
         QJsonObject{{QStringLiteral("name"), QLatin1String(kRevisionFormat)},
                     {QStringLiteral("version"), QStringLiteral("1.0")}}},
        {QStringLiteral("revision"), info.revision},
        {QStringLiteral("base_revision"), info.baseRevision},
        {QStringLiteral("author"), info.author},
        {QStringLiteral("host"), info.host},
        {QStringLiteral("created_at"), info.createdAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("comment"), info.comment},
        {QStringLiteral("summary"), QJsonArray::fromStringList(info.summary)},
    };
    if (!info.decisionId.isEmpty())
        o.insert(QStringLiteral("with_decision"),
                 QJsonObject{{QStringLiteral("checkpoint"), info.checkpoint},
                             {QStringLiteral("decision_id"), info.decisionId}});
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Result<RevisionInfo> parseRevisionInfo(const QByteArray &data, const QString &file)
{
    auto doc = openJsonFile(data, file, kRevisionFormat);
    if (!doc)
        return doc.error();
    const QJsonObject o = *doc;
    RevisionInfo info;
    info.revision = o.value(QStringLiteral("revision")).toInt();
    info.baseRevision = o.value(QStringLiteral("base_revision")).toInt();
    if (info.revision < 2 || info.revision > kMaxRevision || info.baseRevision < 1 ||
        info.baseRevision >= info.revision)
        return Error(QStringLiteral("%1: revision %2 based on %3: expected 2-%4, based on an "
                                    "earlier one")
                         .arg(file)
                         .arg(info.revision)
                         .arg(info.baseRevision)
                         .arg(kMaxRevision),
                     Error::Kind::Malformed);
    info.author = o.value(QStringLiteral("author")).toString();
    info.host = o.value(QStringLiteral("host")).toString();
    info.createdAt =
        QDateTime::fromString(o.value(QStringLiteral("created_at")).toString(), Qt::ISODateWithMs);
    info.comment = o.value(QStringLiteral("comment")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("summary")).toArray())
        info.summary << v.toString();
    if (const QJsonValue with = o.value(QStringLiteral("with_decision")); !with.isUndefined()) {
        const QJsonObject w = with.toObject();
        info.checkpoint = w.value(QStringLiteral("checkpoint")).toString();
        info.decisionId = w.value(QStringLiteral("decision_id")).toString();
        if (!with.isObject() || info.checkpoint.isEmpty() ||
            !protocol::isLowerHex(info.decisionId.toStdString(), 32))
            return Error(QStringLiteral("%1: with_decision: expected {\"checkpoint\": ID, "
                                        "\"decision_id\": 32 hex digits}")
                             .arg(file),
                         Error::Kind::Malformed);
    }
    return info;
}

int nextRevisionNumber(int baseRevision, const QList<int> &refused)
{
    int highest = baseRevision;
    for (int n : refused)
        highest = std::max(highest, n);
    return highest + 1;
}

void proposeRevision(Transport *transport, const QString &runDirectory, const RevisionProposal &p,
                     QObject *context, Callback<int> done)
{
    const QList<WorkflowChange> changes = diffWorkflows(p.base, p.proposed);
    if (changes.isEmpty()) {
        done(Error(QStringLiteral("run %1: the proposed workflow is the same as revision %2: no "
                                  "change")
                       .arg(runDirectory)
                       .arg(p.baseRevision)));
        return;
    }
    if (auto ok = checkRevision(p.base, p.proposed, p.states); !ok) {
        done(Error(QStringLiteral("the change is refused:\n%1").arg(ok.errorString())));
        return;
    }
    const int number = nextRevisionNumber(p.baseRevision, p.refused);
    if (p.baseRevision < 1 || number > kMaxRevision) {
        done(Error(QStringLiteral("revision %1 cannot follow revision %2 (2-%3)")
                       .arg(number)
                       .arg(p.baseRevision)
                       .arg(kMaxRevision)));
        return;
    }
    RevisionInfo info;
    info.revision = number;
    info.baseRevision = p.baseRevision;
    info.author = p.author;
    info.host = p.host;
    info.createdAt = p.at;
    info.comment = p.comment;
    info.checkpoint = p.checkpoint;
    info.decisionId = p.decisionId;
    for (const WorkflowChange &c : changes)
        info.summary << describeChange(c);
    const QByteArray toml = workflowToToml(p.proposed);
    const QByteArray diff = revisionText(p.base, p.proposed, p.baseRevision, number).toUtf8();
    const QByteArray json = serializeRevisionInfo(info);
    const QString dir = joinPath(runDirectory, QLatin1String(kRevisionsDir));
    auto path = [=](const QString &ext) {
        return joinPath(runDirectory, revisionPath(number, ext));
    };
    // The readable diff, once the .toml is published; the revision counts without it.
    auto writeRest = [=](QObject *ctx) {
        transport->writeFileAtomic(
            path(QStringLiteral("diff")), diff, 0644, ctx, [=](Result<void> d) {
                if (d)
                    done(number);
                else
                    done(Error(QStringLiteral("revision %1 is published (%2), but its diff could "
                                              "not be written: %3")
                                   .arg(number)
                                   .arg(path(QStringLiteral("toml")), d.errorString())));
            });
    };
    auto lost = [=](const QString &file) {
        return Error(QStringLiteral("revision %1 was published by someone else first (%2): look "
                                    "at it and propose against it")
                         .arg(number)
                         .arg(file),
                     Error::Kind::AlreadyExists);
    };
    transport->makeDirectories(dir, 0755, context, [=](Result<void> mk) {
        if (!mk) {
            done(Error(QStringLiteral("cannot make %1: %2").arg(dir, mk.errorString())));
            return;
        }
        transport->listDirectory(dir, context, [=](Result<QList<FileEntry>> list) {
            if (!list) {
                done(Error(QStringLiteral("cannot list %1: %2").arg(dir, list.errorString())));
                return;
            }
            const QList<int> published = publishedRevisions(*list);
            int latest = 1;
            for (int n : published)
                if (!p.refused.contains(n))
                    latest = std::max(latest, n);
            const int highest = published.isEmpty() ? 1 : published.last();
            if (latest != p.baseRevision || highest >= number) {
                done(Error(QStringLiteral("revision %1 was published meanwhile (this change was "
                                          "made from revision %2): look at it and propose "
                                          "against it")
                               .arg(latest)
                               .arg(p.baseRevision),
                           Error::Kind::AlreadyExists));
                return;
            }
            // The description claims N; the workflow then publishes it.
            auto failed = [=](const QString &file, const Error &e) {
                done(e.kind == Error::Kind::AlreadyExists
                         ? lost(file)
                         : Error(QStringLiteral("cannot publish %1: %2").arg(file, e.message),
                                 e.kind));
            };
            transport->createExclusive(
                path(QStringLiteral("json")), json, 0644, context, [=](Result<void> claimed) {
                    if (!claimed) {
                        failed(path(QStringLiteral("json")), claimed.error());
                        return;
                    }
                    transport->createExclusive(
                        path(QStringLiteral("toml")), toml, 0644, context, [=](Result<void> c) {
                            if (!c) {
                                failed(path(QStringLiteral("toml")), c.error());
                                return;
                            }
                            writeRest(context);
                        });
                });
        });
    });
}

void readLatestRevision(Transport *transport, const QString &runDirectory,
                        const QList<int> &refused, QObject *context, Callback<RunRevision> done)
{
    const QString dir = joinPath(runDirectory, QLatin1String(kRevisionsDir));
    transport->listDirectory(dir, context, [=](Result<QList<FileEntry>> list) {
        if (!list && list.error().kind != Error::Kind::NotFound) {
            done(Error(QStringLiteral("cannot list %1: %2").arg(dir, list.errorString())));
            return;
        }
        int latest = 1;
        for (int n : list ? publishedRevisions(*list) : QList<int>())
            if (!refused.contains(n))
                latest = n;
        const QString file =
            latest == 1 ? joinPath(runDirectory, QStringLiteral("workflow.toml"))
                        : joinPath(runDirectory, revisionPath(latest, QStringLiteral("toml")));
        transport->readFile(file, 0, kMaxWorkflowBytes + 1, context, [=](Result<FileChunk> r) {
            if (!r) {
                done(Error(QStringLiteral("cannot read %1: %2").arg(file, r.errorString()),
                           r.error().kind));
                return;
            }
            if (r->data.size() > kMaxWorkflowBytes) {
                done(Error(
                    QStringLiteral("%1 is larger than %2 bytes").arg(file).arg(kMaxWorkflowBytes),
                    Error::Kind::TooLarge));
                return;
            }
            auto wf = parseWorkflow(r->data, file);
            if (!wf) {
                done(wf.error());
                return;
            }
            done(RunRevision{latest, *wf});
        });
    });
}

} // namespace vigil::engine
