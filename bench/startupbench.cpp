// SPDX-License-Identifier: GPL-3.0-or-later
// Start-up of `vigil` to its first painted window, and its memory
// (docs/performance.md, "Start-up"), each variant started the same number of
// times in turn, in the same run:
//   floor: this program again with --floor, a bare QApplication + QMainWindow
//   of the same size, shown and painted (what Qt itself costs);
//   vigil with an empty store and no site;
//   vigil with a big store (100 runs, 10,000 job-history rows, written through
//   Store) and no site;
//   vigil with the big store and a local site whose run root holds the same
//   100 runs: the first paint, and the moment the Runs view's model lists the
//   100 runs (the site's scan by vigil-job; the window does not read runs
//   from the store).
// `vigil --exit-after-first-paint [--exit-after-runs N]` prints one line per
// moment (app/gui/screenshot.h, StartupProbe); the wall time is taken here,
// from QProcess::start to the line. Every start is checked: exit code 0, the
// line there, and 100 runs listed where they must be. Each variant has its
// own HOME, XDG directories and VIGIL_STORE_PATH under a temporary directory;
// QT_QPA_PLATFORM=offscreen.
// Usage: vigil-startup-bench [--markdown FILE]

#include "benchutil.h"
#include "protocol/rundir.h"
#include "sites/siteregistry.h"
#include "store/store.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMainWindow>
#include <QProcess>
#include <QScreen>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <unistd.h>

using namespace vigil;

namespace {

constexpr int kRuns = 100;
constexpr int kJobs = 2500; // jobs of the history, 25 per run
constexpr int kStates = 4;  // each job seen in 4 states: 10,000 rows
constexpr int kWarmUps = 2; // starts of each variant not counted
constexpr int kTimed = 10;  // starts of each variant counted
const QString kSite = QStringLiteral("here");

[[noreturn]] void fail(const QString &why)
{
    std::fprintf(stderr, "vigil-startup-bench: %s\n", qPrintable(why));
    std::exit(1);
}

// "VmHWM" or "VmRSS" of /proc/self/status, in kB.
qint64 statusKb(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(key) + ':';
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// --floor: a bare main window of the size vigil takes, shown; on its first
// paint prints the line vigil prints and quits.
class FloorProbe : public QObject
{
public:
    FloorProbe(QMainWindow *window, QElapsedTimer sinceMain)
        : m_window(window), m_sinceMain(sinceMain)
    {
        window->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_window && event->type() == QEvent::Paint && !m_painted) {
            m_painted = true;
            QTimer::singleShot(0, this, [this] {
                std::printf("vigil-startup first-paint main-ms=%.1f vmhwm-kb=%lld vmrss-kb=%lld "
                            "runs=0 jobs=0\n",
                            double(m_sinceMain.nsecsElapsed()) / 1e6, statusKb("VmHWM"),
                            statusKb("VmRSS"));
                std::fflush(stdout);
                QCoreApplication::exit(0);
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QMainWindow *m_window;
    QElapsedTimer m_sinceMain;
    bool m_painted = false;
};

int floorMain(int argc, char *argv[], QElapsedTimer sinceMain)
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.setCentralWidget(new QLabel(QStringLiteral("Vigil"), &window));
    const QRect avail = QGuiApplication::primaryScreen()->availableGeometry();
    window.resize(std::min(1240, avail.width() - 40), std::min(780, avail.height() - 40));
    FloorProbe probe(&window, sinceMain);
    window.show();
    return app.exec();
}

// The environment of one variant: everything vigil reads under `dir`.
QProcessEnvironment environment(const QString &dir, const QString &store)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), dir + QLatin1String("/home"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir + QLatin1String("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir + QLatin1String("/data"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), dir + QLatin1String("/cache"));
    env.insert(QStringLiteral("VIGIL_STORE_PATH"), store);
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.remove(QStringLiteral("VIGIL_JOB_BINARY"));
    for (const char *sub : {"home", "config", "data", "cache"})
        QDir().mkpath(dir + QLatin1Char('/') + QLatin1String(sub));
    return env;
}

// The big store: the site, its 100 runs and 10,000 job-state rows, written
// through Store and waited for. Checks the rows it was told were added.
void fillStore(const QString &path, const QList<RunInfo> &runs)
{
    Store store(path);
    QEventLoop loop;
    QString error;
    store.whenOpen(&loop, [&error](Result<void> r) {
        if (!r)
            error = r.errorString();
    });
    store.recordSite(kSite, QStringLiteral("local"), QStringLiteral("localhost"));
    store.recordRuns(kSite, runs);
    const QStringList states{QStringLiteral("PENDING"), QStringLiteral("RUNNING"),
                             QStringLiteral("COMPLETING"), QStringLiteral("COMPLETED")};
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addDays(-1);
    int added = 0;
    for (int s = 0; s < kStates; ++s) {
        QList<JobInfo> jobs;
        for (int j = 0; j < kJobs; ++j) {
            JobInfo job;
            job.site = kSite;
            job.jobId = QString::number(100000 + j);
            job.name = QStringLiteral("train-%1").arg(j % 25);
            job.state = states.at(s);
            job.reason = s == 0 ? QStringLiteral("Priority") : QString();
            job.runId = runs.at(j % kRuns).runId;
            job.task = job.name;
            job.exitCode = s == kStates - 1 ? 0 : -1;
            jobs << job;
        }
        const bool last = s == kStates - 1;
        store.recordJobStates(kSite, jobs, t0.addSecs(60 * s), &loop,
                              [&added, &error, &loop, last](Result<int> r) {
                                  if (r)
                                      added += *r;
                                  else
                                      error = r.errorString();
                                  if (last)
                                      loop.quit();
                              });
    }
    loop.exec();
    int stored = -1;
    store.runs(&loop, [&stored, &loop](Result<QList<StoredRun>> r) {
        stored = r ? int(r->size()) : -1;
        loop.quit();
    });
    loop.exec();
    if (!error.isEmpty())
        fail(QStringLiteral("the store %1: %2").arg(path, error));
    if (added != kJobs * kStates || stored != kRuns)
        fail(QStringLiteral("the store holds %1 runs and %2 job-state rows, not %3 and %4")
                 .arg(stored)
                 .arg(added)
                 .arg(kRuns)
                 .arg(kJobs * kStates));
}

// 100 run directories under `root`, made as `vigil-job init-run` makes them.
QList<RunInfo> makeRuns(const QString &root)
{
    QDir().mkpath(root);
    QList<RunInfo> runs;
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addDays(-2);
    for (int i = 0; i < kRuns; ++i) {
        RunInfo r;
        r.site = kSite;
        r.runId = QStringLiteral("train-%1").arg(i, 3, 10, QLatin1Char('0'));
        r.workflowName = QStringLiteral("train-review");
        r.createdAt = t0.addSecs(600 * i);
        protocol::RunInfo p;
        p.runId = r.runId.toStdString();
        p.workflowName = r.workflowName.toStdString();
        p.createdAt = protocol::TimePoint(std::chrono::seconds(r.createdAt.toSecsSinceEpoch()));
        p.createdByUid = ::getuid();
        const auto made =
            protocol::initRun(QString(root + QLatin1Char('/') + r.runId).toStdString(), p);
        if (!made)
            fail(QStringLiteral("cannot make run %1: %2")
                     .arg(r.runId, QString::fromStdString(made.errorString())));
        runs << r;
    }
    return runs;
}

struct Variant
{
    QString what;
    QString program;
    QStringList args;
    QProcessEnvironment env;
    int wantRuns = 0; // > 0: wait for the runs-shown line with this many runs
    // Figures of the counted starts.
    QList<double> paintMs, paintMainMs, paintHwmMb, runsMs, runsMainMs, runsHwmMb;

    Variant(QString what_, QString program_, QStringList args_, QProcessEnvironment env_,
            int wantRuns_ = 0)
        : what(std::move(what_)), program(std::move(program_)), args(std::move(args_)),
          env(std::move(env_)), wantRuns(wantRuns_)
    {}
};

// The fields of a "vigil-startup WHAT key=value ..." line.
std::map<QString, QString> fields(const QByteArray &line)
{
    std::map<QString, QString> out;
    const QList<QByteArray> words = line.trimmed().split(' ');
    for (qsizetype i = 2; i < words.size(); ++i) {
        const qsizetype eq = words.at(i).indexOf('=');
        if (eq > 0)
            out[QString::fromUtf8(words.at(i).left(eq))] =
                QString::fromUtf8(words.at(i).mid(eq + 1));
    }
    return out;
}

// One start of a variant; its figures are kept when `counted`.
void start(Variant &v, bool counted)
{
    QProcess p;
    p.setProcessEnvironment(v.env);
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.setStandardErrorFile(QProcess::nullDevice());
    QElapsedTimer wall;
    wall.start();
    p.start(v.program, v.args);
    QByteArray buffer;
    double paintMs = -1, runsMs = -1;
    std::map<QString, QString> paint, shown;
    while (p.state() != QProcess::NotRunning || p.bytesAvailable() > 0) {
        if (!p.canReadLine())
            p.waitForReadyRead(20000);
        if (wall.elapsed() > 60000)
            fail(v.what + QStringLiteral(": no answer in 60 s"));
        while (p.canReadLine()) {
            const QByteArray line = p.readLine();
            const double ms = double(wall.nsecsElapsed()) / 1e6;
            if (line.startsWith("vigil-startup first-paint ")) {
                paintMs = ms;
                paint = fields(line);
            } else if (line.startsWith("vigil-startup runs-shown ")) {
                runsMs = ms;
                shown = fields(line);
            } else if (line.startsWith("vigil-startup ")) {
                fail(v.what + QStringLiteral(": ") + QString::fromUtf8(line.trimmed()));
            }
        }
        if (p.state() == QProcess::NotRunning && !p.canReadLine())
            break;
    }
    p.waitForFinished(10000);
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        fail(v.what + QStringLiteral(": exit code %1").arg(p.exitCode()));
    if (paintMs < 0)
        fail(v.what + QStringLiteral(": no first-paint line"));
    if (v.wantRuns > 0 && (runsMs < 0 || shown[QStringLiteral("runs")].toInt() != v.wantRuns))
        fail(v.what + QStringLiteral(": the Runs view did not list %1 runs (%2)")
                          .arg(v.wantRuns)
                          .arg(shown[QStringLiteral("runs")]));
    if (v.wantRuns == 0 && paint[QStringLiteral("runs")].toInt() != 0)
        fail(v.what + QStringLiteral(": runs listed without a site"));
    if (!counted)
        return;
    v.paintMs << paintMs;
    v.paintMainMs << paint[QStringLiteral("main-ms")].toDouble();
    v.paintHwmMb << paint[QStringLiteral("vmhwm-kb")].toDouble() / 1024;
    if (v.wantRuns > 0) {
        v.runsMs << runsMs;
        v.runsMainMs << shown[QStringLiteral("main-ms")].toDouble();
        v.runsHwmMb << shown[QStringLiteral("vmhwm-kb")].toDouble() / 1024;
    }
}

struct Stats
{
    double median = 0, p95 = 0, min = 0, max = 0;
};

Stats stats(QList<double> xs)
{
    std::sort(xs.begin(), xs.end());
    const qsizetype n = xs.size();
    // p95: nearest rank (with 10 starts, the slowest one).
    const qsizetype rank = qsizetype(std::ceil(0.95 * double(n))) - 1;
    const double median = n % 2 ? xs.at(n / 2) : (xs.at(n / 2 - 1) + xs.at(n / 2)) / 2;
    return {median, xs.at(std::clamp<qsizetype>(rank, 0, n - 1)), xs.first(), xs.last()};
}

QString row(const QString &what, const QList<double> &wall, const QList<double> &inMain,
            const QList<double> &hwm)
{
    const Stats w = stats(wall), m = stats(inMain), h = stats(hwm);
    return QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 |")
        .arg(what)
        .arg(w.median, 0, 'f', 1)
        .arg(w.p95, 0, 'f', 1)
        .arg(w.min, 0, 'f', 1)
        .arg(m.median, 0, 'f', 1)
        .arg(h.median, 0, 'f', 1)
        .arg(h.max, 0, 'f', 1)
        .arg(wall.size());
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    return QString::fromUtf8(f.readAll()).section(QLatin1Char(' '), 0, 2);
}

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    if (argc == 2 && qstrcmp(argv[1], "--floor") == 0)
        return floorMain(argc, argv, sinceMain);

    QCoreApplication app(argc, argv);
    if (!bench::benchArguments(app.arguments(), "vigil-startup-bench"))
        return 2;
    const QString vigil =
        QFileInfo(QCoreApplication::applicationDirPath() + QLatin1String("/../app/gui/vigil"))
            .canonicalFilePath();
    if (vigil.isEmpty())
        fail(QStringLiteral("vigil is not built beside this bench (../app/gui/vigil)"));

    QTemporaryDir tmp;
    if (!tmp.isValid())
        fail(QStringLiteral("no temporary directory"));
    const QString emptyDir = tmp.filePath(QStringLiteral("empty"));
    const QString bigDir = tmp.filePath(QStringLiteral("big"));
    const QString siteDir = tmp.filePath(QStringLiteral("site"));
    const QString bigStore = bigDir + QLatin1String("/store.sqlite");

    QElapsedTimer setup;
    setup.start();
    const QProcessEnvironment emptyEnv =
        environment(emptyDir, emptyDir + QLatin1String("/store.sqlite"));
    const QProcessEnvironment bigEnv = environment(bigDir, bigStore);
    // The same big store, and a site registry with the local site.
    const QProcessEnvironment siteEnv = environment(siteDir, bigStore);
    const QList<RunInfo> runs = makeRuns(siteDir + QLatin1String("/runs"));
    fillStore(bigStore, runs);
    SiteSpec site;
    site.name = kSite;
    site.kind = SiteSpec::Kind::Local;
    site.runRoot = siteDir + QLatin1String("/runs");
    SiteRegistry registry(siteDir + QLatin1String("/config/vigil/sites.toml"));
    if (const Result<void> added = registry.add(site); !added)
        fail(added.errorString());
    if (const Result<void> saved = registry.save(); !saved)
        fail(saved.errorString());
    std::printf("store: %s, %lld bytes; made in %.0f ms\n", qPrintable(bigStore),
                QFileInfo(bigStore).size(), double(setup.elapsed()));

    const QStringList probe{QStringLiteral("--exit-after-first-paint")};
    std::vector<Variant> variants{
        {QStringLiteral("floor: QApplication + QMainWindow"),
         QCoreApplication::applicationFilePath(),
         {QStringLiteral("--floor")},
         emptyEnv},
        {QStringLiteral("vigil, empty store, no site"), vigil, probe, emptyEnv},
        {QStringLiteral("vigil, big store, no site"), vigil, probe, bigEnv},
        {QStringLiteral("vigil, big store, local site with the 100 runs"), vigil,
         probe + QStringList{QStringLiteral("--exit-after-runs"), QString::number(kRuns)}, siteEnv,
         kRuns},
    };
    // Round after round, each variant in turn, so that a busy moment of the
    // machine falls on all of them alike.
    for (int round = 0; round < kWarmUps + kTimed; ++round)
        for (Variant &v : variants)
            start(v, round >= kWarmUps);

    QStringList table{
        QStringLiteral(
            "| what | median ms | p95 ms | min ms | in main(), median ms | VmHWM median MB "
            "| VmHWM max MB | starts |"),
        QStringLiteral("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")};
    for (const Variant &v : variants)
        table << row(v.what + QStringLiteral(": first paint"), v.paintMs, v.paintMainMs,
                     v.paintHwmMb);
    const Variant &site100 = variants.back();
    table << row(site100.what + QStringLiteral(": the 100 runs listed"), site100.runsMs,
                 site100.runsMainMs, site100.runsHwmMb);

    const QString text =
        QStringLiteral(
            "Command: `build/bench/vigil-startup-bench` (run by `./dev bench`, offscreen, "
            "Qt %1).\n\n"
            "Measured %2 on %3 (%4 cores); load average %5 at the end of the run.\n\n"
            "The store: %6 runs and %7 job-history rows (%8 bytes). %9 starts of each variant "
            "after %10 warm-up starts, taken in turn (p95 of %9: the slowest). Wall time from "
            "`QProcess::start` to the line the program prints (after its first paint pass; "
            "\"listed\": once the Runs view's model holds the 100 runs); \"in main()\" is the "
            "program's own count from the top of `main()`; VmHWM is the peak resident memory "
            "at that moment.\n\n")
            .arg(QString::fromLatin1(qVersion()),
                 QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")),
                 QSysInfo::prettyProductName(), QString::number(QThread::idealThreadCount()),
                 loadAverage(), QString::number(kRuns), QString::number(kJobs * kStates),
                 QString::number(QFileInfo(bigStore).size()), QString::number(kTimed),
                 QString::number(kWarmUps)) +
        table.join(QLatin1Char('\n')) + QLatin1Char('\n');
    std::printf("%s", qPrintable(text));
    if (app.arguments().size() == 3)
        bench::writeBlock(app.arguments().at(2), QStringLiteral("startup"), text);
    return 0;
}
