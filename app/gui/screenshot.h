// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QTimer>

class QWidget;

namespace vigil {

class MainWindow;
class Supervisor;

// `vigil --screenshot PATH`: once every site has finished its first refresh
// and, when `checkpoint` is given, a checkpoint with that id is pending, and
// then settleMs more (or after the delay at the latest), grabs the window to
// PATH; then the review
// dialog of that checkpoint (else of the first pending one), once its charts
// have their series, to PATH-review.png, and the workflow editor to
// PATH-editor.png; then ends the application: exit code 0 when every image
// was saved, 1 otherwise.
class ScreenshotTaker : public QObject
{
    Q_OBJECT
public:
    ScreenshotTaker(Supervisor *supervisor, MainWindow *window, QString path, int maxDelayMs,
                    QString checkpoint = QString(), int settleMs = 400, QObject *parent = nullptr);

private:
    void siteRefreshed(const QString &site);
    bool ready() const;
    QString reviewKey() const;
    void waitForCharts(const QString &key, int triesLeft);
    void settle();
    void take();
    void takeReview();
    void takeEditor();
    bool save(QWidget *widget, const QString &path);
    QString sibling(const QString &suffix) const;

    Supervisor *m_supervisor;
    MainWindow *m_window;
    QString m_path;
    QString m_checkpoint;
    int m_settleMs;
    QSet<QString> m_refreshed;
    QTimer m_deadline;
    bool m_taken = false;
};

// `vigil --exit-after-first-paint [--exit-after-runs N]` (hidden options, for
// bench/startupbench.cpp): on the main window's first paint, once that paint
// pass is over, prints to stdout
//   vigil-startup first-paint main-ms=M vmhwm-kb=H vmrss-kb=R runs=N jobs=J
// (M: milliseconds since the top of main(), `sinceMain`; H and R: VmHWM and
// VmRSS of /proc/self/status; N and J: the rows of the Runs and Jobs docks'
// models at that moment), then ends the application with exit code 0. With
// `runs` > 0 it goes on until the Runs dock's model holds at least that many
// rows, prints the same line with "runs-shown" instead of "first-paint" and
// ends then (exit code 1 after 60 s without them).
class StartupProbe : public QObject
{
    Q_OBJECT
public:
    StartupProbe(MainWindow *window, const QElapsedTimer &sinceMain, int runs,
                 QObject *parent = nullptr);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void report(const char *what);
    void checkRuns();

    MainWindow *m_window;
    QElapsedTimer m_sinceMain;
    int m_runs;
    bool m_painted = false;
    bool m_done = false;
    QTimer m_deadline;
};

} // namespace vigil
