// SPDX-License-Identifier: GPL-3.0-or-later
#include "submitter.h"

#include "logging.h"

#include <QPointer>

namespace vigil::engine {

std::optional<QString> findAttemptJob(const QList<JobInfo> &jobs, int attempt,
                                      const QStringList &otherAttemptJobIds)
{
    std::optional<QString> best;
    auto newer = [](const QString &a, const QString &b) {
        return a.size() != b.size() ? a.size() > b.size() : a > b;
    };
    for (const JobInfo &j : jobs) {
        const QString id = j.submittedId();
        const bool match = j.attempt > 0 ? j.attempt == attempt : !otherAttemptJobIds.contains(id);
        if (match && (!best || newer(id, *best)))
            best = id;
    }
    return best;
}

namespace {

void lookUp(Site *site, const JobLookup &lookup, int attempt, const QStringList &others,
            QObject *context, std::function<void(Result<std::optional<QString>>)> done)
{
    site->findTaskJobs(lookup, context,
                       [attempt, others, done = std::move(done)](Result<QList<JobInfo>> jobs) {
                           if (!jobs)
                               done(jobs.error());
                           else
                               done(findAttemptJob(*jobs, attempt, others));
                       });
}

} // namespace

void submitOnce(Site *site, const Submission &submission, const JobLookup &lookup,
                const QStringList &otherAttemptJobIds, QObject *context,
                Callback<SubmitOutcome> done)
{
    QPointer<QObject> ctx(context);
    QPointer<Site> s(site);
    const int attempt = submission.attempt;
    lookUp(site, lookup, attempt, otherAttemptJobIds, context,
           [=, done = std::move(done)](Result<std::optional<QString>> found) mutable {
               if (!ctx || !s)
                   return;
               if (!found) {
                   done(Error(QStringLiteral("cannot tell whether task %1 (attempt %2) was "
                                             "submitted to %3 already, so it was not submitted: "
                                             "%4")
                                  .arg(submission.task)
                                  .arg(attempt)
                                  .arg(s->name(), found.errorString()),
                              found.error().kind));
                   return;
               }
               if (*found) {
                   qCInfo(lcEngine).noquote()
                       << "task" << submission.task << "attempt" << attempt << "is job" << **found
                       << "on" << s->name() << "already: adopted, not submitted again";
                   done(SubmitOutcome{**found, true});
                   return;
               }
               s->submit(submission, ctx, [=, done = std::move(done)](Result<QString> id) mutable {
                   if (id) {
                       qCInfo(lcEngine).noquote()
                           << "submitted" << submission.task << "attempt" << attempt << "as job"
                           << *id << "on" << s->name();
                       done(SubmitOutcome{*id, false});
                       return;
                   }
                   if (id.error().kind != Error::Kind::AlreadyExists || !s || !ctx) {
                       done(id.error());
                       return;
                   }
                   // The site's own record says this attempt started meanwhile.
                   lookUp(s, lookup, attempt, otherAttemptJobIds, ctx,
                          [done = std::move(done),
                           err = id.error()](Result<std::optional<QString>> again) {
                              if (again && *again)
                                  done(SubmitOutcome{**again, true});
                              else
                                  done(err);
                          });
               });
           });
}

} // namespace vigil::engine
