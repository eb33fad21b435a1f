// SPDX-License-Identifier: GPL-3.0-or-later
#include "taskproperties.h"

#include "shellquote.h"
#include "statecolors.h"
#include "workflow/values.h"
#include "workflowdocument.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace vigil {

namespace {

// Applies the form when a multi-line field loses the focus.
class FocusOutFilter : public QObject
{
public:
    FocusOutFilter(std::function<void()> onLeave, QObject *parent)
        : QObject(parent), m_onLeave(std::move(onLeave))
    {}
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::FocusOut)
            m_onLeave();
        return false;
    }

private:
    std::function<void()> m_onLeave;
};

QStringList nonEmptyLines(const QString &text)
{
    QStringList out;
    for (const QString &l : text.split(QLatin1Char('\n')))
        if (!l.trimmed().isEmpty())
            out << l.trimmed();
    return out;
}

} // namespace

// ---- Line formats ---------------------------------------------------------------

Result<QMap<QString, QString>> TaskProperties::parseEnvironment(const QString &text)
{
    QMap<QString, QString> env;
    int n = 0;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        ++n;
        if (line.trimmed().isEmpty())
            continue;
        const int eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return Error(tr("environment, line %1: expected NAME=VALUE").arg(n));
        env.insert(line.left(eq).trimmed(), line.mid(eq + 1));
    }
    return env;
}

// "go: +train +report -cleanup": the option, the tasks it enables (+) and skips (-).
Result<QList<GateOption>> TaskProperties::parseOptions(const QString &text)
{
    QList<GateOption> out;
    int n = 0;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        ++n;
        if (line.trimmed().isEmpty())
            continue;
        GateOption o;
        const int colon = line.indexOf(QLatin1Char(':'));
        o.name = (colon < 0 ? line : line.left(colon)).trimmed();
        if (o.name.isEmpty() || o.name.contains(QLatin1Char(' ')))
            return Error(tr("options, line %1: expected NAME: +enabled -skipped").arg(n));
        const QString rest = colon < 0 ? QString() : line.mid(colon + 1);
        for (const QString &word : rest.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            if (word.startsWith(QLatin1Char('+')) && word.size() > 1)
                o.enables << word.mid(1);
            else if (word.startsWith(QLatin1Char('-')) && word.size() > 1)
                o.skips << word.mid(1);
            else
                return Error(tr("options, line %1: \"%2\": write +TASK to enable a task, -TASK to "
                                "skip one")
                                 .arg(n)
                                 .arg(word));
        }
        out << o;
    }
    return out;
}

QString TaskProperties::formatOptions(const QList<GateOption> &options)
{
    QStringList lines;
    for (const GateOption &o : options) {
        QStringList words{o.name + QLatin1Char(':')};
        for (const QString &e : o.enables)
            words << QLatin1Char('+') + e;
        for (const QString &s : o.skips)
            words << QLatin1Char('-') + s;
        lines << words.join(QLatin1Char(' '));
    }
    return lines.join(QLatin1Char('\n'));
}

// "lr number 0.01 [0 1]", "mode enum fast fast|slow": name, type, default,
// then bounds (number, integer) or choices (enum).
Result<QList<ParamSpec>> TaskProperties::parseParams(const QString &text)
{
    QList<ParamSpec> out;
    int n = 0;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        ++n;
        const QStringList w = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (w.isEmpty())
            continue;
        if (w.size() < 3)
            return Error(tr("params, line %1: expected NAME TYPE DEFAULT").arg(n));
        ParamSpec p;
        p.name = w[0];
        const QString type = w[1];
        bool known = false;
        for (auto t : {ParamSpec::Type::Number, ParamSpec::Type::Integer, ParamSpec::Type::String,
                       ParamSpec::Type::Boolean, ParamSpec::Type::Enum})
            if (paramTypeName(t) == type) {
                p.type = t;
                known = true;
            }
        if (!known)
            return Error(tr("params, line %1: type \"%2\": number, integer, string, boolean or "
                            "enum")
                             .arg(n)
                             .arg(type));
        p.defaultValue = w[2];
        if (p.type == ParamSpec::Type::String && !p.defaultValue.startsWith(QLatin1Char('"')))
            p.defaultValue = QLatin1Char('"') + p.defaultValue + QLatin1Char('"');
        if (p.type == ParamSpec::Type::Enum) {
            if (w.size() != 4)
                return Error(tr("params, line %1: an enum needs its choices: NAME enum DEFAULT "
                                "a|b|c")
                                 .arg(n));
            p.choices = w[3].split(QLatin1Char('|'), Qt::SkipEmptyParts);
            p.defaultValue = QLatin1Char('"') + w[2] + QLatin1Char('"');
        } else if (w.size() == 5) {
            p.min = w[3];
            p.max = w[4];
        } else if (w.size() != 3) {
            return Error(tr("params, line %1: expected NAME TYPE DEFAULT [MIN MAX]").arg(n));
        }
        out << p;
    }
    return out;
}

QString TaskProperties::formatParams(const QList<ParamSpec> &params)
{
    QStringList lines;
    for (const ParamSpec &p : params) {
        QString def = p.defaultValue;
        if (def.size() >= 2 && def.startsWith(QLatin1Char('"')) && def.endsWith(QLatin1Char('"')))
            def = def.mid(1, def.size() - 2);
        QStringList w{p.name, paramTypeName(p.type), def};
        if (p.type == ParamSpec::Type::Enum)
            w << p.choices.join(QLatin1Char('|'));
        else if (!p.min.isEmpty() || !p.max.isEmpty())
            w << p.min << p.max;
        lines << w.join(QLatin1Char(' '));
    }
    return lines.join(QLatin1Char('\n'));
}

// ---- The form ------------------------------------------------------------------

TaskProperties::TaskProperties(WorkflowDocument *doc, QWidget *parent)
    : QWidget(parent), m_doc(doc), m_title(new QLabel(this)), m_taskName(new QLineEdit(this)),
      m_jobBox(new QGroupBox(tr("Job"), this)), m_gateBox(new QGroupBox(tr("Human gate"), this)),
      m_message(new QLabel(this)), m_problems(new QLabel(this))
{
    setObjectName(QStringLiteral("taskProperties"));
    auto *inner = new QWidget;
    auto *layout = new QVBoxLayout(inner);
    QFont big = m_title->font();
    big.setBold(true);
    m_title->setFont(big);
    layout->addWidget(m_title);
    auto *common = new QFormLayout;
    m_taskName->setObjectName(QStringLiteral("taskName"));
    common->addRow(tr("&Name:"), m_taskName);
    layout->addLayout(common);

    auto *job = new QFormLayout(m_jobBox);
    m_site = new QComboBox(m_jobBox);
    m_site->setObjectName(QStringLiteral("taskSite"));
    job->addRow(tr("&Site:"), m_site);
    m_command = addLine(job, tr("&Command:"),
                        tr("The program and its arguments, quoted as in a shell: python3 "
                           "train.py --lr 0.1"));
    m_command->setObjectName(QStringLiteral("taskCommand"));
    m_workDir = addLine(job, tr("&Working directory:"),
                        tr("Absolute, or relative to the run directory; empty: the run directory"));
    m_image = addLine(job, tr("Container &image:"),
                      tr("Run in a container of this image; empty: no container"));
    m_runtime = new QComboBox(m_jobBox);
    m_runtime->addItem(tr("(the site's)"), QString());
    for (const char *r : {"apptainer", "singularity", "podman", "docker"})
        m_runtime->addItem(QLatin1String(r), QLatin1String(r));
    job->addRow(tr("Container &runtime:"), m_runtime);
    m_time = addLine(job, tr("&Time limit:"), tr("SLURM's format: 01:00:00, 2-00:00:00"));
    auto spin = [&](const QString &label, int max) {
        auto *s = new QSpinBox(m_jobBox);
        s->setRange(0, max);
        s->setSpecialValueText(tr("default"));
        job->addRow(label, s);
        connect(s, &QSpinBox::editingFinished, this, &TaskProperties::apply);
        return s;
    };
    m_cpus = spin(tr("CP&Us:"), 4096);
    m_gpus = spin(tr("&GPUs:"), 64);
    m_memory = addLine(job, tr("&Memory:"), tr("4G, 500M"));
    m_nodes = spin(tr("N&odes:"), 10000);
    m_partition = addLine(job, tr("&Partition:"), QString());
    m_retries = spin(tr("&Retries:"), 100);
    m_environment = addText(job, tr("&Environment:"), tr("One NAME=VALUE a line"));
    m_checkpoints = addText(job, tr("Check&points:"),
                            tr("The checkpoints the job will post, one \"id: title\" a line"));
    layout->addWidget(m_jobBox);

    auto *gate = new QFormLayout(m_gateBox);
    m_question = addLine(gate, tr("&Question:"), QString());
    m_question->setObjectName(QStringLiteral("gateQuestion"));
    m_body = addText(gate, tr("&Body:"), tr("Markdown shown to the reviewer"));
    m_options = addText(gate, tr("&Options:"),
                        tr("One option a line: NAME: +TASK (enabled by it) -TASK (skipped by it)"));
    m_options->setObjectName(QStringLiteral("gateOptions"));
    m_params = addText(gate, tr("P&arams:"),
                       tr("One a line: NAME TYPE DEFAULT [MIN MAX], or NAME enum DEFAULT a|b|c"));
    m_approvers = addLine(gate, tr("&Approvers:"),
                          tr("User names, separated by commas; empty: "
                             "the workflow's"));
    m_deadline = addLine(gate, tr("&Deadline:"), tr("30m, 2h, 1d12h; empty: none"));
    m_default = new QComboBox(m_gateBox);
    gate->addRow(tr("De&fault:"), m_default);
    layout->addWidget(m_gateBox);

    m_message->setWordWrap(true);
    m_message->setObjectName(QStringLiteral("propertiesMessage"));
    m_problems->setWordWrap(true);
    m_problems->setObjectName(QStringLiteral("taskProblems"));
    QPalette warn = m_problems->palette();
    warn.setColor(QPalette::WindowText, stateColor(StateClass::Failed));
    m_problems->setPalette(warn);
    m_message->setPalette(warn);
    layout->addWidget(m_message);
    layout->addWidget(m_problems);
    layout->addStretch(1);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(inner);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(m_taskName, &QLineEdit::editingFinished, this, &TaskProperties::rename);
    for (QComboBox *c : {m_site, m_runtime, m_default})
        connect(c, &QComboBox::activated, this, &TaskProperties::apply);
    connect(doc, &WorkflowDocument::taskChanged, this, [this](const QString &name) {
        if (name == m_name)
            load();
    });
    connect(doc, &WorkflowDocument::taskRenamed, this,
            [this](const QString &from, const QString &to) {
                if (from == m_name)
                    setTask(to);
            });
    connect(doc, &WorkflowDocument::taskRemoved, this, [this](const QString &name) {
        if (name == m_name)
            setTask(QString());
    });
    connect(doc, &WorkflowDocument::workflowReset, this, [this] { setTask(QString()); });
    connect(doc, &WorkflowDocument::problemsChanged, this, &TaskProperties::load);
    setTask(QString());
}

QLineEdit *TaskProperties::addLine(QFormLayout *form, const QString &label, const QString &tip)
{
    auto *e = new QLineEdit(form->parentWidget());
    e->setToolTip(tip);
    e->setPlaceholderText(tip.section(QLatin1Char(';'), 0, 0));
    form->addRow(label, e);
    connect(e, &QLineEdit::editingFinished, this, &TaskProperties::apply);
    return e;
}

QPlainTextEdit *TaskProperties::addText(QFormLayout *form, const QString &label, const QString &tip)
{
    auto *e = new QPlainTextEdit(form->parentWidget());
    e->setToolTip(tip);
    e->setPlaceholderText(tip);
    e->setTabChangesFocus(true);
    e->setFixedHeight(e->fontMetrics().lineSpacing() * 4 + 12);
    e->installEventFilter(new FocusOutFilter([this] { apply(); }, e));
    form->addRow(label, e);
    return e;
}

QString TaskProperties::message() const
{
    return m_message->text();
}

void TaskProperties::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void TaskProperties::setTask(const QString &name)
{
    m_name = name;
    showMessage(QString());
    load();
}

void TaskProperties::load()
{
    const TaskSpec *t = m_doc->task(m_name);
    m_jobBox->setVisible(t && !t->isGate());
    m_gateBox->setVisible(t && t->isGate());
    m_taskName->setEnabled(t);
    if (!t) {
        m_title->setText(tr("No task selected"));
        m_taskName->clear();
        m_problems->clear();
        return;
    }
    const QSignalBlocker b1(m_site), b2(m_runtime), b3(m_default);
    m_loading = true;
    m_title->setText(t->isGate() ? tr("Gate %1").arg(t->name) : tr("Task %1").arg(t->name));
    m_taskName->setText(t->name);
    if (!t->isGate()) {
        m_site->clear();
        for (const SiteSpec &s : m_doc->workflow().sites)
            m_site->addItem(s.name, s.name);
        if (m_site->findData(t->site) < 0)
            m_site->addItem(t->site.isEmpty() ? tr("(none)") : t->site, t->site);
        m_site->setCurrentIndex(m_site->findData(t->site));
        m_command->setText(shellJoin(t->command));
        m_workDir->setText(t->workDirectory);
        m_image->setText(t->container.image);
        m_runtime->setCurrentIndex(std::max(0, m_runtime->findData(t->container.runtime)));
        m_time->setText(t->resources.time);
        m_cpus->setValue(t->resources.cpus);
        m_gpus->setValue(t->resources.gpus);
        m_memory->setText(t->resources.memory);
        m_nodes->setValue(t->resources.nodes);
        m_partition->setText(t->resources.partition);
        m_retries->setValue(t->retries);
        QStringList env, cps;
        for (auto it = t->environment.cbegin(); it != t->environment.cend(); ++it)
            env << it.key() + QLatin1Char('=') + it.value();
        for (const CheckpointDecl &c : t->checkpoints)
            cps << (c.title.isEmpty() ? c.id : c.id + QStringLiteral(": ") + c.title);
        m_environment->setPlainText(env.join(QLatin1Char('\n')));
        m_checkpoints->setPlainText(cps.join(QLatin1Char('\n')));
    } else {
        m_question->setText(t->gate.question);
        m_body->setPlainText(t->gate.body);
        m_options->setPlainText(formatOptions(t->gate.options));
        m_params->setPlainText(formatParams(t->gate.params));
        m_approvers->setText(t->gate.approvers.join(QStringLiteral(", ")));
        m_deadline->setText(t->gate.deadline);
        m_default->clear();
        m_default->addItem(tr("(the first option)"), QString());
        for (const GateOption &o : t->gate.options)
            m_default->addItem(o.name, o.name);
        m_default->setCurrentIndex(std::max(0, m_default->findData(t->gate.defaultOption)));
    }
    m_loading = false;
    const QStringList problems = m_doc->problemsOf(m_name);
    m_problems->setText(problems.isEmpty() ? QString()
                                           : tr("Problems:") + QStringLiteral("\n• ") +
                                                 problems.join(QStringLiteral("\n• ")));
}

void TaskProperties::rename()
{
    if (m_loading || m_name.isEmpty() || m_taskName->text() == m_name)
        return;
    QString why;
    if (!m_doc->renameTask(m_name, m_taskName->text().trimmed(), &why)) {
        showMessage(why);
        m_taskName->setText(m_name);
        return;
    }
    showMessage(QString());
}

void TaskProperties::apply()
{
    const TaskSpec *current = m_doc->task(m_name);
    if (m_loading || !current)
        return;
    TaskSpec t = *current;
    if (!t.isGate()) {
        t.site = m_site->currentData().toString();
        auto command = shellSplit(m_command->text());
        if (!command) {
            showMessage(tr("command: %1").arg(command.errorString()));
            return;
        }
        t.command = *command;
        t.workDirectory = m_workDir->text().trimmed();
        t.container.image = m_image->text().trimmed();
        t.container.runtime = m_runtime->currentData().toString();
        t.resources.time = m_time->text().trimmed();
        t.resources.cpus = m_cpus->value();
        t.resources.gpus = m_gpus->value();
        t.resources.memory = m_memory->text().trimmed();
        t.resources.nodes = m_nodes->value();
        t.resources.partition = m_partition->text().trimmed();
        t.retries = m_retries->value();
        auto env = parseEnvironment(m_environment->toPlainText());
        if (!env) {
            showMessage(env.errorString());
            return;
        }
        t.environment = *env;
        t.checkpoints.clear();
        for (const QString &line : nonEmptyLines(m_checkpoints->toPlainText())) {
            CheckpointDecl c;
            c.id = line.section(QLatin1Char(':'), 0, 0).trimmed();
            c.title = line.section(QLatin1Char(':'), 1).trimmed();
            // Keep what was declared about its options.
            for (const CheckpointDecl &old : current->checkpoints)
                if (old.id == c.id)
                    c.options = old.options;
            t.checkpoints << c;
        }
    } else {
        t.gate.question = m_question->text();
        t.gate.body = m_body->toPlainText();
        auto options = parseOptions(m_options->toPlainText());
        if (!options) {
            showMessage(options.errorString());
            return;
        }
        // Labels are not in the line format: kept by option name.
        for (GateOption &o : *options)
            for (const GateOption &old : current->gate.options)
                if (old.name == o.name)
                    o.label = old.label;
        t.gate.options = *options;
        auto params = parseParams(m_params->toPlainText());
        if (!params) {
            showMessage(params.errorString());
            return;
        }
        for (ParamSpec &p : *params)
            for (const ParamSpec &old : current->gate.params)
                if (old.name == p.name)
                    p.label = old.label;
        t.gate.params = *params;
        t.gate.approvers.clear();
        for (const QString &a : m_approvers->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
            t.gate.approvers << a.trimmed();
        t.gate.deadline = m_deadline->text().trimmed();
        t.gate.deadlineSeconds = 0;
        if (!t.gate.deadline.isEmpty()) {
            auto seconds = workflowvalues::parseDuration(t.gate.deadline);
            if (!seconds) {
                showMessage(tr("deadline: %1").arg(seconds.errorString()));
                return;
            }
            t.gate.deadlineSeconds = *seconds;
        }
        t.gate.defaultOption = m_default->currentData().toString();
    }
    QString why;
    if (!m_doc->editTask(m_name, t, &why)) {
        showMessage(why);
        return;
    }
    showMessage(QString());
}

} // namespace vigil
