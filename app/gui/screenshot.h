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
// (or after the delay at the latest), grabs the window to PATH; then the
// review dialog of the first pending checkpoint, once its metrics are drawn,
// to PATH-review.png, and the workflow editor to PATH-editor.png; then ends
// the application: exit code 0 when every image was saved, 1 otherwise.
class ScreenshotTaker : public QObject
{
    Q_OBJECT
public:
    ScreenshotTaker(Supervisor *supervisor, MainWindow *window, QString path, int maxDelayMs,
                    QObject *parent = nullptr);

private:
    void siteRefreshed(const QString &site);
    void settle();
    void take();
    void takeReview();
    void takeEditor();
    bool save(QWidget *widget, const QString &path);
    QString sibling(const QString &suffix) const;

    Supervisor *m_supervisor;
    MainWindow *m_window;
    QString m_path;
    QSet<QString> m_refreshed;
    QTimer m_deadline;
    bool m_taken = false;
};

} // namespace vigil
