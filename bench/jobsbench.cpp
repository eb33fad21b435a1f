// SPDX-License-Identifier: GPL-3.0-or-later
// The job table with 100,000 jobs (docs/performance.md, "Job table"), each
// figure next to its baseline in the same run:
//   parsing 100,000 lines of the batched squeue query (the -o format with the
//   unit separator that SlurmSite asks for);
//   Vigil: a refresh cycle applied to JobsModel as a diff (dataChanged for
//   what changed in place; rows that leave, arrive or move as row signals,
//   or as one layout change when they are spread; no reset), the model
//   sorting itself as the Jobs dock shows it, a table view attached, events
//   processed, view drawn;
//   baseline: the same cycle as a model reset of a plain table model with the
//   same columns, sorted by a QSortFilterProxyModel, the same view.
// A cycle is 20 s after the one before: every running job is 20 s further
// on, 1% of the jobs change their reason, 100 running jobs spread over the
// table leave the queue and 100 enter it. A worst case where every running
// job's times jump (not as the clock moves them) is measured as well.
// Every step checks its result: the rows parsed, the rows and their shown
// times after the update, the signals the diff sent.
// Usage: vigil-jobs-bench [--markdown FILE]   (offscreen; no cluster needed)

#include "benchutil.h"
#include "models/jobsmodel.h"
#include "models/statefmt.h"
#include "sites/slurmparse.h"
#include "sitespanel.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSysInfo>
#include <QTableView>
#include <QThread>
#include <cstdio>
#include <memory>

using namespace vigil;
using bench::row;
using bench::timeRuns;
using bench::Timing;

namespace {

constexpr int kJobs = 100000;
constexpr int kGone = 100; // running jobs that left the queue between two cycles
constexpr int kNew = 100;  // jobs that entered it
constexpr int kCycles = 7; // the first fills the table, six are timed

// The cycle in which job i ends: one running job in a thousand each cycle,
// spread over the whole table as jobs that end are; 0 for never.
int endCycle(int i)
{
    const int slot = i % 1000;
    return i < kJobs && slot % 2 == 0 && slot / 2 >= 1 && slot / 2 < kCycles ? slot / 2 : 0;
}

QString hms(qint64 s)
{
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600, 2, 10, QLatin1Char('0'))
        .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

// squeue output of cycle k (k * 20 s after cycle 0): jobs [0, kJobs + k *
// kNew) but those that ended in cycles 1 to k (endCycle). Every other job runs, started at its own
// time and `skew` seconds further on than the clock says (the worst case); one pending job in a
// hundred waits for "Resources" instead of "Priority", a different one each cycle; one job in a
// hundred is an element of an array; one in four is a task of a Vigil run.
QByteArray squeueOutput(int k, int skew = 0)
{
    const QString sep = QString(QChar(slurm::kSep));
    const int tick = 20 * k + skew;
    QString out;
    out.reserve(kJobs * 96);
    for (int i = 0; i < kJobs + k * kNew; ++i) {
        if (const int end = endCycle(i); end > 0 && end <= k)
            continue;
        const bool running = i % 2 == 0;
        const bool array = i % 100 == 7;
        const QString id = QString::number(1000000 + i);
        const QString jobId = array ? id + QStringLiteral("_3") : id;
        const QString comment = i % 4 == 0
                                    ? slurm::jobComment(QStringLiteral("run-%1").arg(i / 400),
                                                        QStringLiteral("train-%1").arg(i % 400), 1)
                                    : QString();
        const QString reason = running                  ? QStringLiteral("None")
                               : (i / 2 + k) % 100 == 0 ? QStringLiteral("Resources")
                                                        : QStringLiteral("Priority");
        out += QStringList{jobId,
                           running ? QStringLiteral("RUNNING") : QStringLiteral("PENDING"),
                           reason,
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

// A view like the Jobs dock's (its table settings), sorted by elapsed time,
// the largest first: by the model itself (JobsModel), or through a sorting
// proxy (the baseline's plain model).
struct Table
{
    explicit Table(QAbstractItemModel *model, bool withProxy = false)
    {
        proxy.setSourceModel(model);
        proxy.setSortRole(JobsModel::SortRole);
        configureTable(&view);
        view.setModel(withProxy ? static_cast<QAbstractItemModel *>(&proxy) : model);
        view.setSortingEnabled(true);
        view.sortByColumn(JobsModel::Elapsed, Qt::DescendingOrder);
        view.resize(1000, 700);
        view.show();
        QApplication::processEvents();
    }
    QSortFilterProxyModel proxy;
    QTableView view;
};

// Where the departures of a cycle go: kGone rows spread over the table leave
// (timed) and come back (not timed), with nothing attached to the model and
// with the table view. The model sorts itself by elapsed time. Spread over
// the table, the departures are one layout change; the view's current row
// must stay on its job. The rows are checked after each step.
QList<Timing> departures(const QString &site, const QList<JobInfo> &all)
{
    // Run r: the rows at r + 500 modulo 1000 leave; those of earlier runs came
    // back at the end of the table, so each run's rows are still spread.
    const auto without = [&all](int run) {
        QList<JobInfo> fewer;
        for (qsizetype i = 0; i < all.size(); ++i)
            if (i % (kJobs / kGone) != kJobs / kGone / 2 + run)
                fewer << all.at(i);
        return fewer;
    };
    QList<Timing> timings;
    for (int attached = 0; attached < 2; ++attached) {
        JobsModel model;
        model.sort(JobsModel::Elapsed, Qt::DescendingOrder);
        std::unique_ptr<Table> table;
        if (attached == 1)
            table = std::make_unique<Table>(&model);
        model.setJobs(site, all);
        QApplication::processEvents();
        const QString kept = all.at(kJobs / 3).jobId;
        if (table)
            table->view.setCurrentIndex(model.index(model.rowOf(site, kept), JobsModel::Name));
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
        QList<double> ms;
        for (int run = 0; run < kCycles - 1; ++run) {
            const QList<JobInfo> fewer = without(run);
            check(fewer.size() == all.size() - kGone, "the rows that leave");
            const qsizetype layoutsBefore = layouts.size();
            QElapsedTimer t;
            t.start();
            model.setJobs(site, fewer);
            QApplication::processEvents();
            if (table)
                table->view.viewport()->grab();
            ms << double(t.nsecsElapsed()) / 1e6;
            check(model.rowCount() == fewer.size() &&
                      (!table || table->view.verticalHeader()->count() == fewer.size()),
                  "the rows after the departures");
            check(layouts.size() == layoutsBefore + 1, "one layout change for the departures");
            check(model.rowOf(site, all.at(kJobs / kGone / 2 + run).jobId) < 0,
                  "a departed job is gone");
            check(!table ||
                      table->view.currentIndex().data(JobsModel::JobIdRole).toString() == kept,
                  "the current row stays on its job");
            model.setJobs(site, all);
            QApplication::processEvents();
        }
        check(removed.isEmpty(), "no row removed one by one");
        check(model.rowCount() == all.size(), "the rows back");
        std::sort(ms.begin(), ms.end());
        timings << Timing{ms.at(ms.size() / 2), ms.first(), ms.last(), int(ms.size())};
    }
    return timings;
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

    // Seven cycles, 20 s apart.
    const Timing parse = timeRuns(7, [&, out = squeueOutput(0)] { parsed(out, kJobs); });
    // Each cycle's jobs as SlurmSite hands them on: parsed, the site set.
    QList<QList<JobInfo>> cycles;
    for (int k = 0; k < kCycles; ++k) {
        cycles << parsed(squeueOutput(k), kJobs);
        for (JobInfo &j : cycles.last())
            j.site = site;
    }
    const QList<JobInfo> &first = cycles.first();
    check(first.at(7).arrayTaskId == QLatin1String("3") &&
              first.at(4).runId == QLatin1String("run-0") &&
              first.at(4).task == QLatin1String("train-4") && first.at(0).elapsedSeconds == 60,
          "the fields parsed");
    const QDateTime start = QDateTime::currentDateTimeUtc();
    QDateTime now = start;

    // Vigil: JobsModel's diff.
    JobsModel model;
    model.setClock([&now] { return now; });
    Table vigilTable(&model);
    model.setJobs(site, first);
    QApplication::processEvents();
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
    // The supervisor's current row: a job that stays through every cycle.
    const QString current = first.at(kJobs / 3).jobId;
    vigilTable.view.setCurrentIndex(model.index(model.rowOf(site, current), JobsModel::Name));
    int k = 0;
    const Timing diff = timeRuns(kCycles - 1, [&] {
        now = start.addSecs(20 * ++k);
        model.setJobs(site, cycles.at(k));
        QApplication::processEvents();
        vigilTable.view.viewport()->grab();
    });
    // Each cycle: one dataChanged over the rows whose reason changed (the
    // running jobs moved only as the clock did); the kGone departures and kNew
    // arrivals, spread over the sorted table, as one layout change; never a
    // reset; the current row on its job.
    check(resets.isEmpty(), "no reset");
    check(layouts.size() == kCycles - 1 && removed.isEmpty() && inserted.isEmpty(),
          "one layout change per cycle for the spread departures and arrivals");
    check(vigilTable.view.currentIndex().data(JobsModel::JobIdRole).toString() == current,
          "the current row stays on its job");
    for (int i = 0; i < kJobs + (kCycles - 1) * kNew; ++i) {
        const bool departed = endCycle(i) > 0;
        const int r = model.rowOf(site, QString::number(1000000 + i) +
                                            (i % 100 == 7 ? QStringLiteral("_3") : QString()));
        check(departed ? r < 0 : r >= 0, "departed jobs gone, arrived jobs present");
    }
    check(changed.size() == kCycles - 1 &&
              changed.at(0).at(0).value<QModelIndex>().column() == JobsModel::Reason &&
              changed.at(0).at(1).value<QModelIndex>().column() == JobsModel::Reason,
          "one dataChanged per update, over the column that changed");
    const QList<JobInfo> &last = cycles.last();
    const qint64 nowMs = now.toMSecsSinceEpoch();
    for (int i : {0, 1, 2, 7, 4000, kJobs - 1}) {
        const JobInfo &expected = last.at(i);
        const int r = model.rowOf(site, expected.jobId);
        check(r >= 0 && model.job(r).state == expected.state &&
                  model.job(r).reason == expected.reason &&
                  model.elapsedAt(r, nowMs) == expected.elapsedSeconds &&
                  model.timeLeftAt(r, nowMs) == expected.timeLeftSeconds,
              "the rows and their times after the diff");
    }
    check(model.rowCount() == kJobs && vigilTable.view.verticalHeader()->count() == kJobs,
          "the rows after the diff");
    for (int r = 1; r < kJobs; ++r)
        check(model.elapsedAt(r - 1, nowMs) >= model.elapsedAt(r, nowMs), "sorted by elapsed");
    const QModelIndex top = model.index(0, JobsModel::Elapsed);
    check(top.data(JobsModel::SortRole).toLongLong() == 60 + 4998 + 20 * (kCycles - 1),
          "sorted by elapsed");
    QHash<QString, QString> reasonBefore;
    for (const JobInfo &j : cycles.at(0))
        reasonBefore.insert(j.jobId, j.reason);
    int reasonChanges = 0;
    for (const JobInfo &j : cycles.at(1))
        reasonChanges += reasonBefore.contains(j.jobId) && reasonBefore.value(j.jobId) != j.reason;

    // The same report again: no signal at all.
    changed.clear();
    const Timing same = timeRuns(kCycles - 1, [&] {
        model.setJobs(site, last);
        QApplication::processEvents();
    });
    check(changed.isEmpty(), "no signal when nothing changed");

    // The worst case: every running job's times jump (a clock the reports do
    // not follow), in two states taken in turn.
    QList<JobInfo> skewed = parsed(squeueOutput(kCycles - 1, 600), kJobs);
    for (JobInfo &j : skewed)
        j.site = site;
    // Sorted by elapsed time, every running job moves: one layout change.
    int turn = 0;
    layouts.clear();
    const Timing jump = timeRuns(kCycles - 1, [&] {
        model.setJobs(site, ++turn % 2 ? skewed : last);
        QApplication::processEvents();
        vigilTable.view.viewport()->grab();
    });
    check(layouts.size() == kCycles - 1 && resets.isEmpty(), "one layout change per update");
    for (int r = 1; r < kJobs; ++r)
        check(model.elapsedAt(r - 1, nowMs) >= model.elapsedAt(r, nowMs),
              "sorted by elapsed after the jumps");
    check(vigilTable.view.currentIndex().data(JobsModel::JobIdRole).toString() == current,
          "the current row stays on its job through the jumps");

    // Baseline: a reset of the same rows, cycle by cycle.
    ResetJobsModel plain;
    Table plainTable(&plain, true);
    plain.reset(cycles.first());
    QApplication::processEvents();
    k = 0;
    const Timing reset = timeRuns(kCycles - 1, [&] {
        plain.reset(cycles.at(++k));
        QApplication::processEvents();
        plainTable.view.viewport()->grab();
    });
    check(plainTable.proxy.rowCount() == kJobs, "the rows after the reset");
    const QList<Timing> gone = departures(site, last);

    const QString text =
        QStringLiteral("Command: `build/bench/vigil-jobs-bench` (run by `./dev bench`, offscreen, "
                       "Qt %1).\n\nMeasured %2 on %3 (%4 cores): %5 jobs, half of them running. "
                       "A cycle comes 20 s after the one before: every running job is 20 s "
                       "further on, %6 jobs change their reason, %7 running jobs spread over the "
                       "table leave the queue and %8 "
                       "enter it. A table view sorted by elapsed time is attached: JobsModel "
                       "sorts itself, as in the Jobs dock; the baseline's plain model is sorted "
                       "by a QSortFilterProxyModel. An update includes processing the events and "
                       "drawing the view.\n\n"
                       "| what | median ms | min ms | max ms | runs |\n"
                       "| --- | ---: | ---: | ---: | ---: |\n")
            .arg(QString::fromLatin1(qVersion()))
            .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")))
            .arg(QSysInfo::prettyProductName())
            .arg(QThread::idealThreadCount())
            .arg(kJobs)
            .arg(reasonChanges)
            .arg(kGone)
            .arg(kNew) +
        row(QStringLiteral("parse 100,000 squeue lines"), parse) + QLatin1Char('\n') +
        row(QStringLiteral("Vigil: one cycle as a diff (no reset)"), diff) + QLatin1Char('\n') +
        row(QStringLiteral("baseline: the same cycle as a model reset"), reset) +
        QLatin1Char('\n') + row(QStringLiteral("Vigil: the same report again (no signal)"), same) +
        QLatin1Char('\n') +
        row(QStringLiteral("Vigil, worst case: every running job's times jump (%1 rows "
                           "changed)")
                .arg(kJobs / 2),
            jump) +
        QLatin1Char('\n') +
        row(QStringLiteral("where departures go: %1 rows spread over the table leave, nothing "
                           "attached to the model")
                .arg(kGone),
            gone.at(0)) +
        QLatin1Char('\n') + row(QStringLiteral("… the same, the table view attached"), gone.at(1)) +
        QLatin1Char('\n');
    std::fputs(qPrintable(text), stdout);
    if (args.size() == 3)
        bench::writeBlock(args.at(2), QStringLiteral("jobs"), text);
    return 0;
}
