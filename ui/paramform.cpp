// SPDX-License-Identifier: GPL-3.0-or-later
#include "paramform.h"

#include "statecolors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QVBoxLayout>

namespace vigil {

namespace {

QString jsonText(const QJsonValue &v)
{
    if (v.isDouble()) // as short as reads back equal: 0.001, 1e-06, 30
        return QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest);
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return QString();
}

} // namespace

ParamForm::ParamForm(const QList<CheckpointParam> &params, QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("paramForm"));
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    for (const CheckpointParam &p : params) {
        Field f;
        f.param = p;
        if (p.type == QLatin1String("boolean")) {
            auto *box = new QCheckBox(this);
            box->setChecked(p.defaultValue.toBool());
            connect(box, &QCheckBox::toggled, this, &ParamForm::changed);
            f.editor = box;
        } else if (p.type == QLatin1String("enum")) {
            auto *combo = new QComboBox(this);
            combo->addItems(p.choices);
            combo->setCurrentText(p.defaultValue.toString());
            connect(combo, &QComboBox::currentTextChanged, this, &ParamForm::changed);
            f.editor = combo;
        } else {
            auto *edit = new QLineEdit(jsonText(p.defaultValue), this);
            edit->setPlaceholderText(hint(p));
            f.editor = edit;
        }
        f.editor->setObjectName(QStringLiteral("param-") + p.name);
        f.editor->setToolTip(
            tr("Parameter %1 (%2)%3")
                .arg(p.name, p.type,
                     hint(p).isEmpty() ? QString() : QStringLiteral(": ") + hint(p)));
        f.problem = new QLabel(this);
        f.problem->setObjectName(QStringLiteral("paramProblem-") + p.name);
        f.problem->setWordWrap(true);
        QPalette pal = f.problem->palette();
        pal.setColor(QPalette::WindowText, stateColor(StateClass::Failed));
        f.problem->setPalette(pal);
        f.problem->hide();

        auto *cell = new QWidget(this);
        auto *column = new QVBoxLayout(cell);
        column->setContentsMargins(0, 0, 0, 0);
        column->setSpacing(2);
        auto *row = new QHBoxLayout;
        const bool box = qobject_cast<QCheckBox *>(f.editor);
        row->addWidget(f.editor, box ? 0 : 1);
        if (const QString h = hint(p); !h.isEmpty() && p.type != QLatin1String("enum"))
            row->addWidget(new QLabel(h, this));
        if (box)
            row->addStretch(1);
        column->addLayout(row);
        column->addWidget(f.problem);
        form->addRow(label(p) + QLatin1Char(':'), cell);
        m_fields << f;
    }
    for (const Field &f : std::as_const(m_fields))
        if (auto *edit = qobject_cast<QLineEdit *>(f.editor)) {
            const QString name = f.param.name;
            connect(edit, &QLineEdit::textChanged, this, [this, name] {
                for (const Field &g : std::as_const(m_fields))
                    if (g.param.name == name)
                        check(g);
                Q_EMIT changed();
            });
        }
}

QString ParamForm::label(const CheckpointParam &p)
{
    return p.label.isEmpty() ? p.name : p.label;
}

QString ParamForm::hint(const CheckpointParam &p)
{
    const bool hasMin = !p.min.isNull() && !p.min.isUndefined();
    const bool hasMax = !p.max.isNull() && !p.max.isUndefined();
    if (hasMin && hasMax)
        return tr("%1 to %2").arg(jsonText(p.min), jsonText(p.max));
    if (hasMin)
        return tr("at least %1").arg(jsonText(p.min));
    if (hasMax)
        return tr("at most %1").arg(jsonText(p.max));
    if (p.type == QLatin1String("enum"))
        return p.choices.join(QStringLiteral(", "));
    return QString();
}

Result<QJsonValue> ParamForm::value(const Field &f) const
{
    if (auto *box = qobject_cast<QCheckBox *>(f.editor))
        return QJsonValue(box->isChecked());
    QString text;
    if (auto *combo = qobject_cast<QComboBox *>(f.editor))
        text = combo->currentText();
    else if (auto *edit = qobject_cast<QLineEdit *>(f.editor))
        text = edit->text();
    return paramValueFromText(f.param, text);
}

void ParamForm::check(const Field &f)
{
    const Result<QJsonValue> v = value(f);
    f.problem->setText(v ? QString() : v.errorString());
    f.problem->setVisible(!v);
}

Result<QJsonObject> ParamForm::values() const
{
    QJsonObject out;
    for (const Field &f : m_fields) {
        const Result<QJsonValue> v = value(f);
        if (!v)
            return Error(QStringLiteral("%1: %2").arg(label(f.param), v.errorString()),
                         Error::Kind::Malformed);
        out.insert(f.param.name, *v);
    }
    return out;
}

void ParamForm::setValues(const QJsonObject &values)
{
    for (const Field &f : std::as_const(m_fields)) {
        if (!values.contains(f.param.name))
            continue;
        const QJsonValue v = values.value(f.param.name);
        if (auto *box = qobject_cast<QCheckBox *>(f.editor))
            box->setChecked(v.toBool());
        else if (auto *combo = qobject_cast<QComboBox *>(f.editor))
            combo->setCurrentText(v.toString());
        else if (auto *edit = qobject_cast<QLineEdit *>(f.editor))
            edit->setText(jsonText(v));
    }
}

QWidget *ParamForm::field(const QString &name) const
{
    for (const Field &f : m_fields)
        if (f.param.name == name)
            return f.editor;
    return nullptr;
}

QString ParamForm::problem(const QString &name) const
{
    for (const Field &f : m_fields)
        if (f.param.name == name)
            return f.problem->text();
    return QString();
}

} // namespace vigil
