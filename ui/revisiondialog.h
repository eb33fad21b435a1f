// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/revisionbase.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace vigil {

// Shows what publishing an edited workflow as a run's next revision would
// change (the readable diff against the revision in effect) and why it would
// be refused; Publish is offered only for a change that is acceptable now.
class RevisionDialog : public QDialog
{
    Q_OBJECT
public:
    RevisionDialog(const QString &runId, const engine::RevisionPreview &preview,
                   QWidget *parent = nullptr);

    QString comment() const;
    QPushButton *publishButton() const { return m_publish; }
    QString diffText() const;

private:
    QPlainTextEdit *m_diff;
    QLineEdit *m_comment;
    QPushButton *m_publish;
};

} // namespace vigil
