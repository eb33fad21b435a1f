// SPDX-License-Identifier: GPL-3.0-or-later
#include "revisiondialog.h"

#include "models/statefmt.h"
#include "statecolors.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace vigil {

RevisionDialog::RevisionDialog(const QString &runId, const engine::RevisionPreview &preview,
                               QWidget *parent)
    : QDialog(parent), m_diff(new QPlainTextEdit(this)), m_comment(new QLineEdit(this)),
      m_publish(nullptr)
{
    setObjectName(QStringLiteral("revisionDialog"));
    setWindowTitle(tr("Revision %1 of run %2").arg(preview.number).arg(runId));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(
        preview.problems.isEmpty()
            ? tr("Published, the engine following run %1 takes this change at its next cycle; "
                 "the running jobs are not touched.")
                  .arg(runId)
            : tr("This change cannot be made to run %1 now:").arg(runId),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    if (!preview.problems.isEmpty()) {
        auto *problems =
            new QLabel(QStringLiteral("• ") + preview.problems.join(QStringLiteral("\n• ")), this);
        problems->setObjectName(QStringLiteral("revisionProblems"));
        problems->setWordWrap(true);
        QPalette pal = problems->palette();
        pal.setColor(QPalette::WindowText, stateColor(StateClass::Failed));
        problems->setPalette(pal);
        layout->addWidget(problems);
    }
    m_diff->setReadOnly(true);
    m_diff->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_diff->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_diff->setPlainText(preview.text);
    layout->addWidget(m_diff, 1);
    auto *form = new QFormLayout;
    m_comment->setPlaceholderText(tr("Why (kept with the revision)"));
    form->addRow(tr("&Comment:"), m_comment);
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_publish = buttons->addButton(tr("&Publish Revision %1").arg(preview.number),
                                   QDialogButtonBox::AcceptRole);
    m_publish->setEnabled(preview.problems.isEmpty());
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(760, 520);
}

QString RevisionDialog::comment() const
{
    return m_comment->text();
}

QString RevisionDialog::diffText() const
{
    return m_diff->toPlainText();
}

} // namespace vigil
