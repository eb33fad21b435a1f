// SPDX-License-Identifier: GPL-3.0-or-later
#include "authprompt.h"

#include "supervisor.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace vigil {

namespace {

QLabel *wrappingLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText); // the server's text is never rich text
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// The typed answers, the fields emptied: a secret stays in no widget.
QStringList takeAnswers(const QList<QLineEdit *> &fields)
{
    QStringList answers;
    for (QLineEdit *field : fields) {
        answers << field->text();
        field->clear();
    }
    return answers;
}

} // namespace

AuthPrompter::AuthPrompter(Supervisor *supervisor, QWidget *window)
    : QObject(window), m_supervisor(supervisor), m_window(window)
{
    if (!supervisor)
        return;
    connect(supervisor, &Supervisor::authPromptsRequested, this, &AuthPrompter::askPrompts);
    connect(supervisor, &Supervisor::passphraseRequested, this, &AuthPrompter::askPassphrase);
    // A question outlives its connection attempt when the server gives up
    // (LoginGraceTime) or the attempt ends otherwise: its dialog goes too,
    // unanswered (an answer would reach nobody).
    connect(supervisor, &Supervisor::siteChanged, this, [this](const QString &site) {
        QDialog *open = m_open.value(site);
        if (!open || !m_supervisor)
            return;
        const Transport::State state = m_supervisor->siteStatus(site).connection;
        if (state == Transport::State::Connected || state == Transport::State::Failed ||
            state == Transport::State::Disconnected) {
            m_open.remove(site);
            open->disconnect(this);
            open->close();
        }
    });
}

QDialog *AuthPrompter::newDialog(const QString &site, const QString &objectName,
                                 const QString &title)
{
    if (QDialog *stale = m_open.take(site)) {
        stale->disconnect(this); // replaced: its answer would be for an older question
        stale->close();
    }
    auto *dialog = new QDialog(m_window);
    dialog->setObjectName(objectName);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::NonModal);
    dialog->setWindowTitle(title);
    m_open.insert(site, dialog);
    return dialog;
}

QPushButton *AuthPrompter::finishDialog(QDialog *dialog, QVBoxLayout *layout, const QString &site,
                                        std::function<void(bool)> answer)
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(dialog, &QDialog::finished, this,
            [this, dialog, site, answer = std::move(answer)](int result) {
                if (m_open.value(site) == dialog)
                    m_open.remove(site);
                const bool given = result == QDialog::Accepted;
                answer(given);
                Q_EMIT answered(site, given);
            });
    return buttons->button(QDialogButtonBox::Ok);
}

QDialog *AuthPrompter::askPrompts(const QString &site, const QString &name,
                                  const QString &instruction, const QList<AuthPrompt> &prompts)
{
    QDialog *dialog = newDialog(site, QStringLiteral("authPrompt"), tr("Sign in to %1").arg(site));
    auto *layout = new QVBoxLayout(dialog);
    auto *heading =
        wrappingLabel(name.isEmpty() ? tr("The server of site %1 asks:").arg(site) : name, dialog);
    heading->setObjectName(QStringLiteral("authName"));
    QFont bold = heading->font();
    bold.setBold(true);
    heading->setFont(bold);
    layout->addWidget(heading);
    if (!instruction.isEmpty()) {
        auto *text = wrappingLabel(instruction, dialog);
        text->setObjectName(QStringLiteral("authInstruction"));
        layout->addWidget(text);
    }
    auto *form = new QFormLayout;
    QList<QLineEdit *> fields;
    for (qsizetype i = 0; i < prompts.size(); ++i) {
        auto *field = new QLineEdit(dialog);
        field->setObjectName(QStringLiteral("answer%1").arg(i));
        field->setEchoMode(prompts.at(i).echo ? QLineEdit::Normal : QLineEdit::Password);
        auto *label = wrappingLabel(prompts.at(i).text.trimmed(), dialog);
        label->setBuddy(field);
        form->addRow(label, field);
        fields << field;
    }
    layout->addLayout(form);
    QPushButton *ok = finishDialog(dialog, layout, site, [this, site, fields](bool given) {
        const QStringList answers = takeAnswers(fields);
        if (m_supervisor)
            m_supervisor->answerAuthPrompts(site, given ? answers : QStringList());
    });
    ok->setText(tr("&Sign In"));
    if (!fields.isEmpty())
        fields.first()->setFocus();
    dialog->show();
    return dialog;
}

QDialog *AuthPrompter::askPassphrase(const QString &site, const QString &keyFile)
{
    QDialog *dialog =
        newDialog(site, QStringLiteral("passphrasePrompt"), tr("Key passphrase for %1").arg(site));
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(wrappingLabel(
        tr("The key file %1 is protected by a passphrase. Enter it to sign in to site %2, or "
           "cancel to skip this key.")
            .arg(keyFile, site),
        dialog));
    auto *field = new QLineEdit(dialog);
    field->setObjectName(QStringLiteral("passphrase"));
    field->setEchoMode(QLineEdit::Password);
    auto *form = new QFormLayout;
    form->addRow(tr("&Passphrase:"), field);
    layout->addLayout(form);
    finishDialog(dialog, layout, site, [this, site, field](bool given) {
        const QString passphrase = takeAnswers({field}).constFirst();
        if (m_supervisor)
            m_supervisor->answerPassphrase(site, given ? passphrase : QString());
    });
    field->setFocus();
    dialog->show();
    return dialog;
}

} // namespace vigil
