// SPDX-License-Identifier: GPL-3.0-or-later
// The job table with 100,000 jobs (docs/performance.md, "Job table"), each
// figure next to its baseline in the same run:
//   parsing 100,000 lines of the batched squeue query (the -o format with the
//   unit separator that SlurmSite asks for);
//   Vigil: the next cycle applied to JobsModel as a diff (dataChanged for the
//   rows that changed, rows inserted and removed; no reset), with the Jobs
//   dock's sorting proxy and a table view attached, events processed;
//   baseline: the same cycle as a model reset of a plain table model with the
//   same columns, the same proxy and the same view.
// Every step checks its result: the rows parsed, the rows in the view after
// the update, the signals the diff sent.
// Usage: vigil-jobs-bench [--markdown FILE]   (offscreen; no cluster needed)

#include "benchutil.h"
#include "models/jobsfilterproxy.h"
#include "models/jobsmodel.h"
#include "models/statefmt.h"
#include "sites/slurmparse.h"

#include <QApplication>
#include <QDateTime>
#include <QSignalSpy>
#include <QSysInfo>
#include <QTableView>
#include <QThread>
#include <cstdio>

using namespace vigil;
using bench::timeRuns;
using bench::Timing;

namespace {

constexpr int kJobs = 100000;
constexpr int kGone = 100; // jobs that left the queue between two cycles
constexpr int kNew = 100;  // jobs that entered it

QString hms(qint64 s)
{
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600, 2, 10, QLatin1Char('0'))
        .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

// squeue output of one cycle: jobs [first, first + count). Every other job
// runs (its elapsed time is `tick` seconds further on each cycle); one job in
// a hundred is an element of an array; one in four is a task of a Vigil run.
QByteArray squeueOutput(int first, int count, int tick)
{
    const QString sep = QString(QChar(slurm::kSep));
    QString out;
    out.reserve(count * 96);
    for (int i = first; i < first + count; ++i) {
        const bool running = i % 2 == 0;
        const bool array = i % 100 == 7;
        const QString id = QString::number(1000000 + i);
        const QString jobId = array ? id + QStringLiteral("_3") : id;
        const QString comment = i % 4 == 0
                                    ? slurm::jobComment(QStringLiteral("run-%1").arg(i / 400),
                                                        QStringLiteral("train-%1").arg(i % 400), 1)
                                    : QString();
        out += QStringList{jobId,
                           running ? QStringLiteral("RUNNING") : QStringLiteral("PENDING"),
                           running ? QStringLiteral("None") : QStringLiteral("Priority"),
                           hms(running ? 60 + i % 5000 + tick : 0),
                           hms(3600 * 4 - (running ? tick : 0)),
                           QStringLiteral("gpu"),
                           comment.isEmpty() ? QStringLiteral("(null)") : comment,
                           array ? id : QStringLiteral("N/A"),
                           array ? QStringLiteral("3") : QStringLiteral("N/A"),
                           QStringLiteral("job-%1").arg(i)}
                   .join(sep) +
               QLatin1Char('\n');
    }
    return out.toUtf8();
}

// The baseline: the same columns, reset on every cycle. Its data() is lighter
// than JobsModel's (no tooltips, no exit codes), which favours the baseline.
class ResetJobsModel : public QAbstractTableModel
{
public:
    void reset(QList<JobInfo> jobs)
    {
        beginResetModel();
        m_rows = std::move(jobs);
        endResetModel();
    }
    int rowCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : JobsModel::ColumnCount;
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        const JobInfo &j = m_rows.at(index.row());
        if (role == JobsModel::SortRole) {
            switch (index.column()) {
            case JobsModel::JobId:
                return j.jobId.split(QLatin1Char('_')).first().toLongLong();
            case JobsModel::Elapsed:
                return j.elapsedSeconds;
            case JobsModel::TimeLeft:
                return j.timeLeftSeconds;
            default:
                break;
            }
        } else if (role == JobsModel::StateRole) {
            return j.state;
        } else if (role != Qt::DisplayRole) {
            return {};
        }
        switch (index.column()) {
        case JobsModel::Site:
            return j.site;
        case JobsModel::JobId:
            return j.jobId;
        case JobsModel::Name:
            return j.name;
        case JobsModel::Run:
            return j.runId;
        case JobsModel::Task:
            return j.task;
        case JobsModel::State:
            return j.state;
        case JobsModel::Reason:
            return j.reason;
        case JobsModel::Elapsed:
            return formatDuration(j.elapsedSeconds);
        case JobsModel::TimeLeft:
            return formatDuration(j.timeLeftSeconds);
        }
        return {};
    }

private:
    QList<JobInfo> m_rows;
};

QList<JobInfo> parsed(const QByteArray &output, int expected)
{
    auto jobs = slurm::parseSqueue(output);
    if (!jobs || jobs->size() != expected) {
        std::fprintf(stderr, "squeue parse: %s\n",
                     jobs ? qPrintable(QString::number(jobs->size()))
                          : qPrintable(jobs.errorString()));
        std::exit(1);
    }
    return *jobs;
}

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "wrong result: %s\n", what);
        std::exit(1);
    }
}

// A view like the Jobs dock's: sorted by elapsed time, the largest first.
struct Table
{
    explicit Table(QAbstractItemModel *model)
    {
        proxy.setSourceModel(model);
        view.setModel(&proxy);
        view.setSortingEnabled(true);
        view.sortByColumn(JobsModel::Elapsed, Qt::DescendingOrder);
        view.resize(1000, 700);
        view.show();
        QApplication::processEvents();
    }
    JobsFilterProxy proxy;
    QTableView view;
};

QString row(const QString &what, const Timing &t)
{
    return QStringLiteral("| %1 | %2 |").arg(what, bench::timingCells(t));
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", QByteArrayLiteral("offscreen"));
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (!bench::benchArguments(args, "vigil-jobs-bench"))
        return 2;
    const QString site = QStringLiteral("cluster");

    // Cycles alternate between two states, so that every timed update changes
    // the elapsed time of each running job, drops kGone jobs and adds kNew.
    const QByteArray outA = squeueOutput(0, kJobs, 0);
    const QByteArray outB = squeueOutput(kGone, kJobs, 20);
    const Timing parse = timeRuns(7, [&] { parsed(outA, kJobs); });
    const QList<JobInfo> a = parsed(outA, kJobs), b = parsed(outB, kJobs);
    check(a.at(7).arrayTaskId == QLatin1String("3") && a.at(4).runId == QLatin1String("run-0") &&
              a.at(4).task == QLatin1String("train-4") && a.at(0).elapsedSeconds == 60,
          "the fields parsed");

    // Vigil: JobsModel's diff.
    JobsModel model;
    Table vigilTable(&model);
    model.setJobs(site, a);
    QApplication::processEvents();
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    int cycle = 0;
    const Timing diff = timeRuns(6, [&] {
        model.setJobs(site, ++cycle % 2 ? b : a);
        QApplication::processEvents();
        vigilTable.view.viewport()->grab();
    });
    // Each cycle: one dataChanged over the rows that changed (the running
    // jobs' elapsed time and time left), kGone rows removed and kNew
    // inserted; never a reset. The rows hold the last cycle's jobs (a).
    qsizetype removedRows = 0, insertedRows = 0;
    for (const auto &s : removed)
        removedRows += s.at(2).toInt() - s.at(1).toInt() + 1;
    for (const auto &s : inserted)
        insertedRows += s.at(2).toInt() - s.at(1).toInt() + 1;
    check(resets.isEmpty(), "no reset");
    check(removedRows == 6 * kGone && insertedRows == 6 * kNew, "rows removed and inserted");
    check(changed.size() == 6 &&
              changed.at(0).at(0).value<QModelIndex>().column() == JobsModel::Elapsed &&
              changed.at(0).at(1).value<QModelIndex>().column() == JobsModel::TimeLeft,
          "one dataChanged per update, over the columns that changed");
    for (int i : {0, 1, 2, 7, 4000, kJobs - 1}) {
        JobInfo expected = a.at(i);
        expected.site = site;
        const int r = model.rowOf(site, expected.jobId);
        check(r >= 0 && model.job(r) == expected, "the rows after the diff");
    }
    const int running = (kJobs - kGone) / 2; // queued in both cycles, and running
    check(vigilTable.proxy.rowCount() == kJobs && model.rowOf(site, QStringLiteral("1000000")) >= 0,
          "the rows after the diff");
    const QModelIndex top = vigilTable.proxy.index(0, JobsModel::Elapsed);
    check(top.data(JobsModel::SortRole).toLongLong() == 60 + 4998 + 0, "sorted by elapsed");

    // Baseline: a reset of the same rows.
    ResetJobsModel plain;
    Table plainTable(&plain);
    QList<JobInfo> aSite = a, bSite = b;
    for (JobInfo &j : aSite)
        j.site = site;
    for (JobInfo &j : bSite)
        j.site = site;
    plain.reset(aSite);
    QApplication::processEvents();
    cycle = 0;
    const Timing reset = timeRuns(6, [&] {
        plain.reset(++cycle % 2 ? bSite : aSite);
        QApplication::processEvents();
        plainTable.view.viewport()->grab();
    });
    check(plainTable.proxy.rowCount() == kJobs, "the rows after the reset");

    // A cycle where nothing changed (all jobs pending: nothing ticks).
    const Timing same = timeRuns(6, [&] {
        model.setJobs(site, cycle % 2 ? b : a);
        QApplication::processEvents();
    });

    const QString text =
        QStringLiteral("Command: `build/bench/vigil-jobs-bench` (run by `./dev bench`, offscreen, "
                       "Qt %1).\n\nMeasured %2 on %3 (%4 cores): %5 jobs, half of them running; "
                       "each update moves the elapsed time of every running job, removes %6 "
                       "jobs and adds %7. A table view sorted by elapsed time (the Jobs dock's "
                       "proxy) is attached; each update includes processing the events and "
                       "drawing the view.\n\n"
                       "| what | median ms | min ms | max ms | runs |\n"
                       "| --- | ---: | ---: | ---: | ---: |\n")
            .arg(QString::fromLatin1(qVersion()))
            .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")))
            .arg(QSysInfo::prettyProductName())
            .arg(QThread::idealThreadCount())
            .arg(kJobs)
            .arg(kGone)
            .arg(kNew) +
        row(QStringLiteral("parse 100,000 squeue lines"), parse) + QLatin1Char('\n') +
        row(QStringLiteral("Vigil: apply as a diff (%1 rows changed, %2 removed, %3 inserted "
                           "per update; no reset)")
                .arg(running)
                .arg(kGone)
                .arg(kNew),
            diff) +
        QLatin1Char('\n') +
        row(QStringLiteral("Vigil: apply the same jobs again (nothing changed)"), same) +
        QLatin1Char('\n') + row(QStringLiteral("baseline: model reset"), reset) + QLatin1Char('\n');
    std::fputs(qPrintable(text), stdout);
    if (args.size() == 3)
        bench::writeBlock(args.at(2), QStringLiteral("jobs"), text);
    return 0;
}
