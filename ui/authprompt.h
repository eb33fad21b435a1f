// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ssh/sshtarget.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <functional>

class QDialog;
class QPushButton;
class QVBoxLayout;
class QWidget;

namespace vigil {

class Supervisor;

// Asks what a site's server asks when signing in: keyboard-interactive or
// password prompts, rendered as the server sent them (its name, instruction,
// one field per prompt, hidden when the server says not to echo), and the
// passphrase of an encrypted key file. One non-modal dialog per site; the
// window stays usable meanwhile. OK answers the Supervisor; Cancel or closing
// answers empty (the prompts are cancelled, the key is skipped). What was
// typed is cleared from the fields once it is sent.
class AuthPrompter : public QObject
{
    Q_OBJECT
public:
    AuthPrompter(Supervisor *supervisor, QWidget *window);

    // Show the questions (also called by the Supervisor's signals). A new
    // question for a site replaces one still open there, which is then not
    // answered.
    QDialog *askPrompts(const QString &site, const QString &name, const QString &instruction,
                        const QList<vigil::AuthPrompt> &prompts);
    QDialog *askPassphrase(const QString &site, const QString &keyFile);

    // The dialog open for a site, or null (for tests).
    QDialog *dialog(const QString &site) const { return m_open.value(site); }

Q_SIGNALS:
    // A dialog was closed: given is false when it was cancelled. What was
    // typed is not in the signal.
    void answered(const QString &site, bool given);

private:
    QDialog *newDialog(const QString &site, const QString &objectName, const QString &title);
    // OK and Cancel at the bottom of `layout`; `answer(given)` runs once when
    // the dialog closes. Returns the OK button.
    QPushButton *finishDialog(QDialog *dialog, QVBoxLayout *layout, const QString &site,
                              std::function<void(bool)> answer);

    QPointer<Supervisor> m_supervisor;
    QWidget *m_window;
    QHash<QString, QPointer<QDialog>> m_open;
};

} // namespace vigil
