// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "runs/runinfo.h"

#include <QJsonObject>
#include <QWidget>

class QFormLayout;
class QLabel;

namespace vigil {

// The decision form of a checkpoint's typed params: a field per param with
// its label, its default filled in and its bounds or choices said next to it
// (number and integer: a text field checked as typed; string: a text field;
// boolean: a check box; enum: a list of the choices). Values are checked with
// the protocol's rules, the ones vigil-job applies when it reads the decision.
class ParamForm : public QWidget
{
    Q_OBJECT
public:
    explicit ParamForm(const QList<CheckpointParam> &params, QWidget *parent = nullptr);

    // name -> value of every param, or the first problem ("Learning rate:
    // 2 is above the maximum 1").
    Result<QJsonObject> values() const;
    // Fills the fields from a decision's params (one left out keeps its field).
    void setValues(const QJsonObject &values);
    // The field of a param (QLineEdit, QCheckBox or QComboBox), for tests.
    QWidget *field(const QString &name) const;
    // The problem shown under a field; empty when its value is good.
    QString problem(const QString &name) const;

Q_SIGNALS:
    void changed();

private:
    struct Field
    {
        CheckpointParam param;
        QWidget *editor = nullptr;
        QLabel *problem = nullptr;
    };
    Result<QJsonValue> value(const Field &f) const;
    void check(const Field &f);
    static QString label(const CheckpointParam &p);
    static QString hint(const CheckpointParam &p);

    QList<Field> m_fields;
};

} // namespace vigil
