// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "workflow/workflow.h"

#include <QWidget>

class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace vigil {

class WorkflowDocument;

// The property panel of the workflow editor: a form for the selected task,
// one per kind (a job: site, command, container, resources, environment,
// declared checkpoints; a gate: question, body, options and their branches,
// params, approvers, deadline, default). A field is applied to the document
// (one undo step) when it is left or Enter is pressed; what the document
// refuses, or a line it cannot read, is said under the form. The task's
// problems are listed at the bottom.
class TaskProperties : public QWidget
{
    Q_OBJECT
public:
    explicit TaskProperties(WorkflowDocument *doc, QWidget *parent = nullptr);

    // The task shown; "" for none.
    void setTask(const QString &name);
    QString task() const { return m_name; }
    QString message() const;

    // Line formats of the multi-line fields, for tests and tooltips.
    static Result<QMap<QString, QString>> parseEnvironment(const QString &text);
    static Result<QList<GateOption>> parseOptions(const QString &text);
    static QString formatOptions(const QList<GateOption> &options);
    static Result<QList<ParamSpec>> parseParams(const QString &text);
    static QString formatParams(const QList<ParamSpec> &params);

private:
    void load();
    void apply(); // every field into a copy of the task, then one edit
    void rename();
    void showMessage(const QString &text);
    QLineEdit *addLine(QFormLayout *form, const QString &label, const QString &tip);
    QPlainTextEdit *addText(QFormLayout *form, const QString &label, const QString &tip);

    WorkflowDocument *m_doc;
    QString m_name;
    bool m_loading = false;
    QLabel *m_title;
    QLineEdit *m_taskName;
    QGroupBox *m_jobBox;
    QComboBox *m_site;
    QLineEdit *m_command, *m_workDir, *m_image, *m_time, *m_memory, *m_partition;
    QComboBox *m_runtime;
    QSpinBox *m_cpus, *m_gpus, *m_nodes, *m_retries;
    QPlainTextEdit *m_environment, *m_checkpoints;
    QGroupBox *m_gateBox;
    QLineEdit *m_question, *m_deadline, *m_approvers;
    QPlainTextEdit *m_body, *m_options, *m_params;
    QComboBox *m_default;
    QLabel *m_message;
    QLabel *m_problems;
};

} // namespace vigil
