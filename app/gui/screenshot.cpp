// SPDX-License-Identifier: GPL-3.0-or-later
#include "screenshot.h"

#include "sites/site.h"
#include "supervisor.h"

#include <QCoreApplication>
#include <QImageWriter>
#include <QPixmap>
#include <QWidget>
#include <cstdio>

namespace vigil {

namespace {
// Time for the views to take in the last data before the grab.
constexpr int kSettleMs = 400;
} // namespace

ScreenshotTaker::ScreenshotTaker(Supervisor *supervisor, QWidget *window, QString path,
                                 int maxDelayMs, QObject *parent)
    : QObject(parent), m_supervisor(supervisor), m_window(window), m_path(std::move(path))
{
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(std::max(0, maxDelayMs));
    connect(&m_deadline, &QTimer::timeout, this, &ScreenshotTaker::take);
    m_deadline.start();
    connect(supervisor, &Supervisor::refreshed, this, &ScreenshotTaker::siteRefreshed);
    if (supervisor->sites().isEmpty())
        settle();
}

void ScreenshotTaker::siteRefreshed(const QString &site)
{
    m_refreshed.insert(site);
    for (const Site *s : m_supervisor->sites())
        if (!m_refreshed.contains(s->name()))
            return;
    settle();
}

void ScreenshotTaker::settle()
{
    QTimer::singleShot(kSettleMs, this, &ScreenshotTaker::take);
}

void ScreenshotTaker::take()
{
    if (m_taken)
        return;
    m_taken = true;
    const QPixmap shot = m_window->grab();
    QImageWriter writer(m_path);
    if (!writer.write(shot.toImage())) {
        std::fprintf(stderr, "vigil: cannot save the screenshot to %s: %s\n", qPrintable(m_path),
                     qPrintable(writer.errorString()));
        QCoreApplication::exit(1);
        return;
    }
    QCoreApplication::exit(0);
}

} // namespace vigil
