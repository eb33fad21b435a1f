// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl revise RUN FILE: a run-time change published as a workflow
// revision in the run directory of the run's home site (docs/engine.md,
// "Run-time changes"); revise RUN --list: the run's revisions.
#include "ctlcommands.h"
#include "ctloutput.h"
#include "engine/planner.h"
#include "engine/revision.h"
#include "engine/revisionbase.h"
#include "engine/runrecordio.h"
#include "sites/site.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <memory>

namespace vigil::ctl {

namespace {

constexpr qint64 kMaxJsonBytes = 1024 * 1024;

QString revisionName(int revision)
{
    return revision <= 1 ? QStringLiteral("workflow.toml")
                         : engine::revisionPath(revision, QStringLiteral("toml"));
}

// Where a revision stands for `revise --list`.
QString revisionState(int revision, const engine::RunRecord &record)
{
    if (record.refusedRevisions.contains(revision))
        return QStringLiteral("refused");
    if (revision == record.revision)
        return QStringLiteral("in-effect");
    return revision < record.revision ? QStringLiteral("superseded") : QStringLiteral("published");
}

} // namespace

void Command::doRevise(const QString &path)
{
    if (!checkRunArgument())
        return;
    const bool list = isSet(QStringLiteral("list"));
    if (list && (isSet(QStringLiteral("dry-run")) || isSet(QStringLiteral("comment")))) {
        fail(QStringLiteral("revise --list takes no --dry-run or --comment"), Usage);
        return;
    }
    if (!list) {
        // Every problem of the file, as validate gives them: nothing is read
        // or connected for a file that cannot be a workflow.
        const WorkflowCheck check = checkWorkflowFile(path);
        if (!check.ok()) {
            const QStringList lines = workflowCheckLines(check);
            if (isSet(QStringLiteral("json"))) {
                outJson(QJsonDocument(
                    QJsonObject{{QStringLiteral("run"), m_run},
                                {QStringLiteral("published"), false},
                                {QStringLiteral("problems"), QJsonArray::fromStringList(lines)}}));
            } else {
                for (const QString &line : lines)
                    diagnostic(line);
            }
            err(QStringLiteral("revise: %1 is not a valid workflow; nothing published")
                    .arg(printable(path)));
            finish(Failed);
            return;
        }
        m_workflowPath = path;
        m_workflow = check.workflow;
        m_proposedPath = path;
        m_proposed = check.workflow;
    } else if (!path.isEmpty() && !loadWorkflowFile(path)) {
        return;
    }
    if (!resolveSites())
        return;
    startSupervisor(m_sites);
    refreshAll([this, list] { findRevisionHome(list); });
}

// The run's home site, the engine's record there, the latest revision and
// the task states known: then the list, or the proposal.
void Command::findRevisionHome(bool list)
{
    if (runParts().isEmpty())
        return;
    engine::readRevisionBase(
        m_supervisor, m_run, this, [this, list](Result<engine::RevisionBase> base) {
            if (!base) {
                fail(base.errorString());
                return;
            }
            if (list) {
                listRevisions(base->home, base->record);
                return;
            }
            engine::RevisionProposal p =
                engine::proposalFrom(*base, *m_proposed, option(QStringLiteral("comment")));
            p.checkpoint = m_withCheckpoint;
            p.decisionId = m_withDecisionId;
            publishRevision(base->home, base->record, p);
        });
}

// Prints the diff and the verdict; publishes unless --dry-run.
void Command::publishRevision(const QString &home, const engine::RunRecord &record,
                              const engine::RevisionProposal &p)
{
    const bool json = isSet(QStringLiteral("json"));
    const bool dryRun = isSet(QStringLiteral("dry-run"));
    const int number = engine::nextRevisionNumber(p.baseRevision, p.refused);
    const QList<engine::WorkflowChange> changes = engine::diffWorkflows(p.base, p.proposed);
    QStringList summary;
    for (const engine::WorkflowChange &c : changes)
        summary << engine::describeChange(c);
    const QString diff = engine::revisionText(p.base, p.proposed, p.baseRevision, number);
    QStringList problems;
    if (changes.isEmpty())
        problems << QStringLiteral("%1 is the same as revision %2 (%3): no change")
                        .arg(m_proposedPath)
                        .arg(p.baseRevision)
                        .arg(revisionName(p.baseRevision));
    else if (auto ok = engine::checkRevision(p.base, p.proposed, p.states); !ok)
        problems = ok.errorString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    auto report = [this, json, dryRun, number, summary, diff, p](bool published,
                                                                 const QStringList &found) {
        if (json)
            outJson(QJsonDocument(
                QJsonObject{{QStringLiteral("run"), m_run},
                            {QStringLiteral("base_revision"), p.baseRevision},
                            {QStringLiteral("revision"), number},
                            {QStringLiteral("published"), published},
                            {QStringLiteral("dry_run"), dryRun},
                            {QStringLiteral("summary"), QJsonArray::fromStringList(summary)},
                            {QStringLiteral("diff"), diff},
                            {QStringLiteral("problems"), QJsonArray::fromStringList(found)}}));
    };
    if (!json) {
        out(QStringLiteral("run %1: revision %2 from revision %3 (%4)")
                .arg(printable(m_run))
                .arg(number)
                .arg(p.baseRevision)
                .arg(revisionName(p.baseRevision)));
        // The workflow's own text, escaped: a file may hold anything.
        for (const QString &line : diff.split(QLatin1Char('\n')))
            out(printable(line));
    }
    if (!problems.isEmpty()) {
        report(false, problems);
        err(QStringLiteral("revision %1 of run %2 is refused; nothing published:")
                .arg(number)
                .arg(m_run));
        for (const QString &line : std::as_const(problems))
            diagnostic(line);
        finish(Failed);
        return;
    }
    if (dryRun) {
        report(false, {});
        if (!json)
            out(QStringLiteral("dry run: revision %1 is acceptable now (nothing published; the "
                               "engine checks it again when it takes it)")
                    .arg(number));
        finish(Ok);
        return;
    }
    Site *site = m_supervisor->site(home);
    const QString runDir = site->runDirectory(m_run);
    engine::proposeRevision(
        site->transport(), runDir, p, this,
        [this, json, home, runDir, record, report, p](Result<int> published) {
            if (!published) {
                if (published.error().kind == Error::Kind::AlreadyExists) {
                    revisionLostRace(home, published.errorString());
                    return;
                }
                report(false, published.errorString().split(QLatin1Char('\n')));
                fail(QStringLiteral("run %1: %2").arg(m_run, published.errorString()));
                return;
            }
            report(true, {});
            if (m_afterPublish) {
                if (!json)
                    out(QStringLiteral("revision %1 published on site %2 (%3/%4) by %5@%6; the "
                                       "engine applies it with decision %7 on %8, and refuses "
                                       "it if another decision holds %8")
                            .arg(*published)
                            .arg(home, runDir,
                                 engine::revisionPath(*published, QStringLiteral("toml")),
                                 printable(p.author), printable(p.host), p.decisionId,
                                 p.checkpoint));
                m_afterPublish(*published);
                return;
            }
            if (!json)
                out(QStringLiteral("revision %1 published on site %2 (%3/%4) by %5@%6; the engine "
                                   "following the run checks it and applies it at its next cycle "
                                   "(in effect now: revision %7)")
                        .arg(*published)
                        .arg(home, runDir, engine::revisionPath(*published, QStringLiteral("toml")),
                             printable(p.author), printable(p.host))
                        .arg(record.revision));
            finish(Ok);
        });
}

// Someone published a revision since this one was read: who, and what to do.
void Command::revisionLostRace(const QString &home, const QString &why)
{
    Site *site = m_supervisor->site(home);
    const QString dir =
        site->runDirectory(m_run) + QLatin1Char('/') + QLatin1String(engine::kRevisionsDir);
    site->transport()->listDirectory(
        dir, this, [this, home, why](Result<QList<FileEntry>> listing) {
            const QList<int> numbers =
                listing ? engine::publishedRevisions(*listing) : QList<int>();
            if (numbers.isEmpty()) {
                fail(QStringLiteral("run %1: %2").arg(m_run, why), Lost);
                return;
            }
            const int latest = numbers.last();
            m_supervisor->readRunFile(
                home, m_run, engine::revisionPath(latest, QStringLiteral("json")), kMaxJsonBytes,
                this, [this, latest](Result<QByteArray> data) {
                    auto info = data ? engine::parseRevisionInfo(*data, QStringLiteral("json"))
                                     : Result<engine::RevisionInfo>(data.error());
                    fail(
                        QStringLiteral("revision %1 was published meanwhile by %2; look at it "
                                       "with `vigilctl revise %3 --list` and try again")
                            .arg(latest)
                            .arg(info ? printable(info->author) : QStringLiteral("someone"), m_run),
                        Lost);
                });
        });
}

// revise RUN --list: revision 1 (workflow.toml), then each revisions/NNNN.
void Command::listRevisions(const QString &home, const engine::RunRecord &record)
{
    Site *site = m_supervisor->site(home);
    const QString dir =
        site->runDirectory(m_run) + QLatin1Char('/') + QLatin1String(engine::kRevisionsDir);
    site->transport()->listDirectory(
        dir, this, [this, home, record, dir](Result<QList<FileEntry>> listing) {
            if (!listing && listing.error().kind != Error::Kind::NotFound) {
                fail(QStringLiteral("cannot list %1 on site %2: %3")
                         .arg(dir, home, listing.errorString()));
                return;
            }
            auto numbers = std::make_shared<QList<int>>(
                listing ? engine::publishedRevisions(*listing) : QList<int>());
            auto rows = std::make_shared<QJsonArray>();
            rows->append(QJsonObject{{QStringLiteral("revision"), 1},
                                     {QStringLiteral("state"), revisionState(1, record)},
                                     {QStringLiteral("file"), revisionName(1)}});
            auto next = std::make_shared<std::function<void()>>();
            *next = [this, home, record, numbers, rows, next] {
                if (numbers->isEmpty()) {
                    // Clearing *next destroys this lambda and its captures:
                    // what runs next is copied to the stack first.
                    auto *self = this;
                    const QString where = home;
                    const engine::RunRecord rec = record;
                    const QJsonArray all = *rows;
                    const auto keep = next;
                    *next = nullptr;
                    self->printRevisions(where, rec, all);
                    return;
                }
                const int n = numbers->takeFirst();
                const QString file = engine::revisionPath(n, QStringLiteral("json"));
                m_supervisor->readRunFile(
                    home, m_run, file, kMaxJsonBytes, this,
                    [record, rows, next, n, file](Result<QByteArray> data) {
                        QJsonObject row{{QStringLiteral("revision"), n},
                                        {QStringLiteral("state"), revisionState(n, record)},
                                        {QStringLiteral("file"), revisionName(n)}};
                        auto info = data ? engine::parseRevisionInfo(*data, file)
                                         : Result<engine::RevisionInfo>(data.error());
                        if (info) {
                            row.insert(QStringLiteral("base_revision"), info->baseRevision);
                            row.insert(QStringLiteral("author"), info->author);
                            row.insert(QStringLiteral("host"), info->host);
                            row.insert(QStringLiteral("created_at"), isoTime(info->createdAt));
                            row.insert(QStringLiteral("comment"), info->comment);
                            row.insert(QStringLiteral("summary"),
                                       QJsonArray::fromStringList(info->summary));
                        } else {
                            row.insert(QStringLiteral("problem"),
                                       QStringLiteral("%1: %2").arg(file, info.errorString()));
                        }
                        rows->append(row);
                        (*next)();
                    });
            };
            (*next)();
        });
}

void Command::printRevisions(const QString &home, const engine::RunRecord &record,
                             const QJsonArray &rows)
{
    QJsonArray refused;
    for (int n : record.refusedRevisions)
        refused << n;
    if (isSet(QStringLiteral("json"))) {
        outJson(QJsonDocument(QJsonObject{{QStringLiteral("run"), m_run},
                                          {QStringLiteral("site"), home},
                                          {QStringLiteral("in_effect"), record.revision},
                                          {QStringLiteral("refused"), refused},
                                          {QStringLiteral("revisions"), rows}}));
        finish(Ok);
        return;
    }
    out(QStringLiteral("run %1 on site %2: revision %3 in effect")
            .arg(printable(m_run), home)
            .arg(record.revision));
    out(QStringLiteral("REVISION\tSTATE\tBASE\tBY\tHOST\tCREATED\tCOMMENT"));
    for (const QJsonValue &v : rows) {
        const QJsonObject r = v.toObject();
        const int n = r.value(QStringLiteral("revision")).toInt();
        const QString base = r.contains(QStringLiteral("base_revision"))
                                 ? QString::number(r.value(QStringLiteral("base_revision")).toInt())
                                 : QStringLiteral("-");
        out(QStringLiteral("%1\t%2\t%3\t%4\t%5\t%6\t%7")
                .arg(n)
                .arg(r.value(QStringLiteral("state")).toString(), base,
                     printable(orDash(r.value(QStringLiteral("author")).toString())),
                     printable(orDash(r.value(QStringLiteral("host")).toString())),
                     orDash(r.value(QStringLiteral("created_at")).toString()),
                     n == 1 ? QStringLiteral("launched")
                            : printable(orDash(r.value(QStringLiteral("comment")).toString()))));
        for (const QJsonValue &s : r.value(QStringLiteral("summary")).toArray())
            out(QStringLiteral("  %1").arg(printable(s.toString())));
        if (r.contains(QStringLiteral("problem")))
            out(QStringLiteral("  problem: %1")
                    .arg(printable(r.value(QStringLiteral("problem")).toString())));
    }
    finish(Ok);
}

} // namespace vigil::ctl
