// SPDX-License-Identifier: GPL-3.0-or-later
#include "hostkeyprompt.h"

#include "supervisor.h"

#include <QMessageBox>
#include <QPushButton>

namespace vigil {

HostKeyPrompt::HostKeyPrompt(Supervisor *supervisor, QWidget *window)
    : QObject(window), m_supervisor(supervisor), m_window(window)
{
    if (supervisor)
        connect(supervisor, &Supervisor::hostKeyUnknown, this, &HostKeyPrompt::ask);
    connect(this, &HostKeyPrompt::answered, this, [this](const QString &site, bool trust) {
        if (m_supervisor)
            m_supervisor->answerHostKey(site, trust);
    });
}

QMessageBox *HostKeyPrompt::ask(const QString &site, const QString &host,
                                const QString &fingerprint)
{
    if (QMessageBox *open = m_open.value(site)) {
        open->raise();
        return open;
    }
    auto *box = new QMessageBox(m_window);
    box->setObjectName(QStringLiteral("hostKeyPrompt"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(QMessageBox::Warning);
    box->setWindowTitle(tr("Unknown host key"));
    box->setText(tr("The host key of %1 (site %2) is not known yet.").arg(host, site));
    box->setInformativeText(
        tr("Its fingerprint is:\n\n%1\n\nTrust it only if it matches the fingerprint published "
           "by the administrators of %2. Vigil will remember it in known_hosts.")
            .arg(fingerprint, host));
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPushButton *trust = box->addButton(tr("&Trust and Connect"), QMessageBox::AcceptRole);
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(cancel);
    box->setEscapeButton(cancel);
    m_open.insert(site, box);
    connect(box, &QMessageBox::finished, this, [this, box, trust, site] {
        m_open.remove(site);
        Q_EMIT answered(site, box->clickedButton() == trust);
    });
    box->open();
    return box;
}

} // namespace vigil
