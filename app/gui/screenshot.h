// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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

} // namespace vigil
