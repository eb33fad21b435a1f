// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QSet>
#include <QTimer>

class QWidget;

namespace vigil {

class Supervisor;

// `vigil --screenshot PATH`: once every site has finished its first refresh
// (or after the delay at the latest), grabs the window to PATH and ends the
// application: exit code 0 when the image was saved, 1 otherwise.
class ScreenshotTaker : public QObject
{
    Q_OBJECT
public:
    ScreenshotTaker(Supervisor *supervisor, QWidget *window, QString path, int maxDelayMs,
                    QObject *parent = nullptr);

private:
    void siteRefreshed(const QString &site);
    void settle();
    void take();

    Supervisor *m_supervisor;
    QWidget *m_window;
    QString m_path;
    QSet<QString> m_refreshed;
    QTimer m_deadline;
    bool m_taken = false;
};

} // namespace vigil
