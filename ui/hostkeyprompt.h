// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>

class QMessageBox;
class QWidget;

namespace vigil {

class Supervisor;

// Asks whether to trust a host key that is not in known_hosts, showing its
// SHA256 fingerprint, and answers the Supervisor. One question per site at a
// time; the window stays usable meanwhile.
class HostKeyPrompt : public QObject
{
    Q_OBJECT
public:
    HostKeyPrompt(Supervisor *supervisor, QWidget *window);

    // Shows the question (also used by tests and by the Supervisor's signal).
    QMessageBox *ask(const QString &site, const QString &host, const QString &fingerprint);

Q_SIGNALS:
    void answered(const QString &site, bool trust);

private:
    QPointer<Supervisor> m_supervisor;
    QWidget *m_window;
    QHash<QString, QPointer<QMessageBox>> m_open;
};

} // namespace vigil
