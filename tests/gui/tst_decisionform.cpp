// SPDX-License-Identifier: GPL-3.0-or-later
// The review dialog's decision form: a field per typed param with its default
// and bounds, values checked as vigil-job will check them (a bad one keeps the
// decision from being sent and says why), the values sent with the option;
// and the evidence hash of the metric files the dialog showed.
#include "runs/evidence.h"
#include "ui/checkpointdialog.h"
#include "ui/metricschart.h"
#include "ui/paramform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;

namespace {

CheckpointParam param(const QString &name, const QString &type, const QJsonValue &def,
                      const QJsonValue &min = QJsonValue::Null,
                      const QJsonValue &max = QJsonValue::Null, const QStringList &choices = {})
{
    CheckpointParam p;
    p.name = name;
    p.label = name == QLatin1String("lr") ? QStringLiteral("Learning rate") : QString();
    p.type = type;
    p.defaultValue = def;
    p.min = min;
    p.max = max;
    p.choices = choices;
    return p;
}

CheckpointInfo checkpoint()
{
    CheckpointInfo c;
    c.site = QStringLiteral("mn5");
    c.runId = QStringLiteral("20250301-120000-abcd");
    c.id = QStringLiteral("tune");
    c.task = QStringLiteral("train");
    c.title = QStringLiteral("Change the learning rate?");
    c.createdAt = QDateTime::currentDateTimeUtc().addSecs(-60);
    for (const QString &name : {QStringLiteral("go"), QStringLiteral("stop")}) {
        CheckpointOption o;
        o.name = name;
        c.options << o;
    }
    c.params = {param(QStringLiteral("lr"), QStringLiteral("number"), 0.01, 1e-06, 1.0),
                param(QStringLiteral("epochs"), QStringLiteral("integer"), 30, 5, 200),
                param(QStringLiteral("mode"), QStringLiteral("enum"), QStringLiteral("fast"),
                      QJsonValue::Null, QJsonValue::Null,
                      {QStringLiteral("fast"), QStringLiteral("slow")}),
                param(QStringLiteral("note"), QStringLiteral("string"), QStringLiteral("")),
                param(QStringLiteral("warm"), QStringLiteral("boolean"), false)};
    return c;
}

template <typename T> T *fieldOf(CheckpointDialog &d, const char *name)
{
    return qobject_cast<T *>(d.paramForm()->field(QLatin1String(name)));
}

void retype(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace

class TestDecisionForm : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fieldsWithDefaultsAndBounds()
    {
        CheckpointDialog d(checkpoint());
        d.show();
        QVERIFY(d.paramForm());
        QCOMPARE(fieldOf<QLineEdit>(d, "lr")->text(), QStringLiteral("0.01"));
        QCOMPARE(fieldOf<QLineEdit>(d, "epochs")->text(), QStringLiteral("30"));
        QCOMPARE(fieldOf<QComboBox>(d, "mode")->currentText(), QStringLiteral("fast"));
        QCOMPARE(fieldOf<QComboBox>(d, "mode")->count(), 2);
        QVERIFY(!fieldOf<QCheckBox>(d, "warm")->isChecked());
        // The bounds are said next to the field.
        bool saidBounds = false;
        for (const QLabel *l : d.paramForm()->findChildren<QLabel *>())
            saidBounds = saidBounds || l->text() == QLatin1String("1e-06 to 1");
        QVERIFY(saidBounds);
        // A checkpoint without params has no form.
        CheckpointInfo plain = checkpoint();
        plain.params.clear();
        QVERIFY(!CheckpointDialog(plain).paramForm());
    }

    void badValueIsNotSent()
    {
        CheckpointDialog d(checkpoint());
        d.show();
        QSignalSpy decided(&d, &CheckpointDialog::decisionRequested);
        retype(fieldOf<QLineEdit>(d, "lr"), QStringLiteral("2"));
        QVERIFY(d.paramForm()->problem(QStringLiteral("lr")).contains(QLatin1String("1")));
        QTest::mouseClick(d.optionButton(QStringLiteral("go")), Qt::LeftButton);
        QCOMPARE(decided.count(), 0);
        QVERIFY2(d.statusText().contains(QLatin1String("Learning rate")),
                 qPrintable(d.statusText()));
        // Not an integer.
        retype(fieldOf<QLineEdit>(d, "lr"), QStringLiteral("0.5"));
        QVERIFY(d.paramForm()->problem(QStringLiteral("lr")).isEmpty());
        retype(fieldOf<QLineEdit>(d, "epochs"), QStringLiteral("12.5"));
        QVERIFY(!d.paramForm()->problem(QStringLiteral("epochs")).isEmpty());
        QTest::mouseClick(d.optionButton(QStringLiteral("go")), Qt::LeftButton);
        QCOMPARE(decided.count(), 0);
        // Below the minimum.
        retype(fieldOf<QLineEdit>(d, "epochs"), QStringLiteral("4"));
        QVERIFY(!d.paramForm()->problem(QStringLiteral("epochs")).isEmpty());
        QTest::mouseClick(d.optionButton(QStringLiteral("go")), Qt::LeftButton);
        QCOMPARE(decided.count(), 0);
        // Every option stays available for another try.
        QVERIFY(d.optionButton(QStringLiteral("go"))->isEnabled());
    }

    void valuesGoWithTheOption()
    {
        CheckpointDialog d(checkpoint());
        d.show();
        QSignalSpy decided(&d, &CheckpointDialog::decisionRequested);
        retype(fieldOf<QLineEdit>(d, "lr"), QStringLiteral("0.001"));
        retype(fieldOf<QLineEdit>(d, "epochs"), QStringLiteral("50"));
        fieldOf<QComboBox>(d, "mode")->setCurrentText(QStringLiteral("slow"));
        QTest::mouseClick(fieldOf<QCheckBox>(d, "warm"), Qt::LeftButton);
        QTest::keyClicks(fieldOf<QLineEdit>(d, "note"), QStringLiteral("from \"step 3\""));
        QTest::mouseClick(d.optionButton(QStringLiteral("go")), Qt::LeftButton);
        QCOMPARE(decided.count(), 1);
        const auto input = decided.at(0).at(0).value<DecisionInput>();
        QCOMPARE(input.option, QStringLiteral("go"));
        const QJsonObject p = input.params;
        QCOMPARE(p.value(QStringLiteral("lr")).toDouble(), 0.001);
        QCOMPARE(p.value(QStringLiteral("epochs")).toInteger(), 50);
        QCOMPARE(p.value(QStringLiteral("mode")).toString(), QStringLiteral("slow"));
        QCOMPARE(p.value(QStringLiteral("warm")).toBool(), true);
        QCOMPARE(p.value(QStringLiteral("note")).toString(), QStringLiteral("from \"step 3\""));
        QCOMPARE(p.size(), 5);
        // While it is sent the form cannot change.
        QVERIFY(!d.paramForm()->isEnabled());
    }

    void decidedShowsItsValues()
    {
        CheckpointInfo c = checkpoint();
        c.status = CheckpointInfo::Status::Decided;
        c.decidedOption = QStringLiteral("go");
        c.decidedBy = QStringLiteral("ana");
        c.decidedParams = {{QStringLiteral("lr"), 0.25}, {QStringLiteral("warm"), true}};
        CheckpointDialog d(c);
        QCOMPARE(fieldOf<QLineEdit>(d, "lr")->text(), QStringLiteral("0.25"));
        QVERIFY(fieldOf<QCheckBox>(d, "warm")->isChecked());
        QCOMPARE(fieldOf<QLineEdit>(d, "epochs")->text(), QStringLiteral("30")); // its default
        QVERIFY(!d.paramForm()->isEnabled());

        // Open while pending, then decided elsewhere: the form follows.
        CheckpointDialog open(checkpoint());
        retype(fieldOf<QLineEdit>(open, "lr"), QStringLiteral("0.5"));
        open.setCheckpoint(c);
        QCOMPARE(fieldOf<QLineEdit>(open, "lr")->text(), QStringLiteral("0.25"));
        QVERIFY(fieldOf<QCheckBox>(open, "warm")->isChecked());
        QVERIFY(!open.paramForm()->isEnabled());
    }

    void evidenceOfTheMetricsShown()
    {
        CheckpointInfo c = checkpoint();
        c.params.clear();
        c.metrics = {MetricRef{
            QStringLiteral("metrics/train.csv"), QStringLiteral("step"), {QStringLiteral("loss")}}};
        const QByteArray csv = "step,loss\n1,0.9\n2,0.5\n3,0.4\n";
        // Before the file is read, the decision carries no evidence.
        CheckpointDialog early(c);
        early.show();
        QSignalSpy decidedEarly(&early, &CheckpointDialog::decisionRequested);
        QTest::mouseClick(early.optionButton(QStringLiteral("stop")), Qt::LeftButton);
        QCOMPARE(decidedEarly.count(), 1);
        QVERIFY(decidedEarly.at(0).at(0).value<DecisionInput>().evidenceSha256.isEmpty());

        CheckpointDialog d(c);
        d.show();
        QSignalSpy decided(&d, &CheckpointDialog::decisionRequested);
        d.setRunFileFetcher([csv](const QString &path, QObject *, Callback<QByteArray> done) {
            if (path == QLatin1String("metrics/train.csv"))
                done(csv);
            else
                done(Error(QStringLiteral("no such file"), Error::Kind::NotFound));
        });
        QTRY_VERIFY(d.charts().first()->seriesCount() > 0);
        QTest::mouseClick(d.optionButton(QStringLiteral("stop")), Qt::LeftButton);
        QCOMPARE(decided.count(), 1);
        // SHA-256 of path, NUL, bytes: computed here independently.
        QCryptographicHash h(QCryptographicHash::Sha256);
        h.addData(QByteArrayView("metrics/train.csv"));
        h.addData(QByteArrayView("\0", 1));
        h.addData(csv);
        const QString expected = QString::fromLatin1(h.result().toHex());
        QCOMPARE(decided.at(0).at(0).value<DecisionInput>().evidenceSha256, expected);
        QCOMPARE(evidenceSha256({{QStringLiteral("metrics/train.csv"), csv}}), expected);

        // A file that could not be read: no evidence claimed.
        CheckpointDialog unread(c);
        unread.show();
        QSignalSpy decided2(&unread, &CheckpointDialog::decisionRequested);
        unread.setRunFileFetcher([](const QString &, QObject *, Callback<QByteArray> done) {
            done(Error(QStringLiteral("no such file"), Error::Kind::NotFound));
        });
        QTest::mouseClick(unread.optionButton(QStringLiteral("stop")), Qt::LeftButton);
        QCOMPARE(decided2.count(), 1);
        QVERIFY(decided2.at(0).at(0).value<DecisionInput>().evidenceSha256.isEmpty());

        // Two charts of one file: the file counts twice, as vigilctl hashes it.
        CheckpointInfo twice = c;
        twice.metrics << MetricRef{
            QStringLiteral("metrics/train.csv"), QStringLiteral("step"), {QStringLiteral("loss")}};
        CheckpointDialog both(twice);
        both.show();
        QSignalSpy decided3(&both, &CheckpointDialog::decisionRequested);
        both.setRunFileFetcher(
            [csv](const QString &, QObject *, Callback<QByteArray> done) { done(csv); });
        QTRY_VERIFY(both.charts().last()->seriesCount() > 0);
        QTest::mouseClick(both.optionButton(QStringLiteral("stop")), Qt::LeftButton);
        QCOMPARE(decided3.count(), 1);
        QCOMPARE(decided3.at(0).at(0).value<DecisionInput>().evidenceSha256,
                 evidenceSha256({{QStringLiteral("metrics/train.csv"), csv},
                                 {QStringLiteral("metrics/train.csv"), csv}}));

        // A file that cannot be plotted is no evidence either.
        CheckpointDialog broken(c);
        broken.show();
        QSignalSpy decided4(&broken, &CheckpointDialog::decisionRequested);
        broken.setRunFileFetcher([](const QString &, QObject *, Callback<QByteArray> done) {
            done(QByteArray("a,b\n1,2\n")); // no step column: nothing to plot
        });
        QCOMPARE(broken.charts().first()->seriesCount(), 0);
        QTest::mouseClick(broken.optionButton(QStringLiteral("stop")), Qt::LeftButton);
        QCOMPARE(decided4.count(), 1);
        QVERIFY(decided4.at(0).at(0).value<DecisionInput>().evidenceSha256.isEmpty());
    }
};

QTEST_MAIN(TestDecisionForm)
#include "tst_decisionform.moc"
