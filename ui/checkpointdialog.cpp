// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpointdialog.h"

#include "logtailview.h"
#include "metricschart.h"
#include "models/metricsfeed.h"
#include "paramform.h"
#include "runs/evidence.h"
#include "statecolors.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace vigil {

namespace {

// Renders the job's Markdown without loading anything it points to: a
// checkpoint body must not make the desktop read local files or the network.
class BodyBrowser : public QTextBrowser
{
public:
    using QTextBrowser::QTextBrowser;
    QVariant loadResource(int, const QUrl &) override { return {}; }
};

QString optionText(const CheckpointOption &o)
{
    return o.label.isEmpty() ? o.name : o.label;
}

} // namespace

CheckpointDialog::CheckpointDialog(const CheckpointInfo &checkpoint, QWidget *parent)
    : QDialog(parent), m_checkpoint(checkpoint), m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("checkpointDialog"));
    build();
    m_timer->setInterval(15 * 1000);
    connect(m_timer, &QTimer::timeout, this, &CheckpointDialog::updateTimes);
    m_timer->start();
}

CheckpointDialog::~CheckpointDialog() = default;

void CheckpointDialog::build()
{
    const CheckpointInfo &c = m_checkpoint;
    setWindowTitle(tr("Checkpoint: %1").arg(c.title.isEmpty() ? c.id : c.title));

    m_title = new QLabel(c.title.isEmpty() ? c.id : c.title, this);
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.35);
    m_title->setFont(big);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);

    const auto value = [this](const QString &text) {
        auto *l = new QLabel(text, this);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return l;
    };
    const auto name = [this](const QString &text) {
        auto *l = new QLabel(text, this);
        l->setForegroundRole(QPalette::PlaceholderText);
        return l;
    };
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(4);
    m_where = value(QString());
    QStringList where{tr("run %1").arg(c.runId)};
    if (!c.task.isEmpty())
        where << tr("task %1").arg(c.task);
    if (!c.jobId.isEmpty())
        where << tr("job %1").arg(c.jobId);
    where << tr("site %1").arg(c.site);
    m_where->setText(where.join(QStringLiteral(" · ")));
    m_posted = value(QString());
    m_deadline = value(QString());
    grid->addWidget(name(tr("Where")), 0, 0);
    grid->addWidget(m_where, 0, 1, 1, 3);
    grid->addWidget(name(tr("Posted")), 1, 0);
    grid->addWidget(m_posted, 1, 1);
    grid->addWidget(name(tr("Deadline")), 1, 2);
    grid->addWidget(m_deadline, 1, 3);
    m_job = value(tr("not known yet"));
    m_job->setObjectName(QStringLiteral("jobState"));
    grid->addWidget(name(tr("Job")), 2, 0);
    grid->addWidget(m_job, 2, 1, 1, 3);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 2);

    m_body = new BodyBrowser(this);
    m_body->setObjectName(QStringLiteral("checkpointBody"));
    m_body->setOpenLinks(false);
    m_body->setMarkdown(c.body.isEmpty() ? tr("*The job gave no details.*") : c.body);
    connect(m_body, &QTextBrowser::anchorClicked, this, [](const QUrl &url) {
        if (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"))
            QDesktopServices::openUrl(url);
    });

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    split->addWidget(m_body);
    // Tabs: one per metrics file, the job's log, the attachments.
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("reviewTabs"));
    m_tabs->setDocumentMode(true);
    for (const MetricRef &ref : c.metrics) {
        auto *panel = new MetricsPanel(m_tabs);
        panel->chart()->setMessage(tr("Metrics not loaded"));
        m_tabs->addTab(panel, QFileInfo(ref.file).fileName());
        m_tabs->setTabToolTip(m_tabs->count() - 1, ref.file);
        m_panels << panel;
        m_charts << panel->chart();
    }
    m_logView = new LogTailView(m_tabs);
    m_logView->setObjectName(QStringLiteral("checkpointLog"));
    m_logView->setStatusText(c.task.isEmpty() ? tr("The checkpoint names no task: no log.")
                                              : tr("Log not available"));
    m_tabs->addTab(m_logView, tr("Log"));
    m_tabs->setTabToolTip(m_tabs->count() - 1, tr("The log of the job that asks, as it grows"));
    if (!c.attachments.isEmpty()) {
        m_attachments = new AttachmentsView(m_tabs);
        m_attachments->setObjectName(QStringLiteral("checkpointAttachments"));
        m_attachments->setAttachments(c.attachments);
        m_tabs->addTab(m_attachments, tr("Attachments (%1)").arg(c.attachments.size()));
    }
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    // The body as tall as its text (within 3 to 12 lines), the tabs the rest.
    const int lineHeight = m_body->fontMetrics().lineSpacing();
    m_body->document()->setTextWidth(720);
    const int bodyHeight =
        std::clamp(int(m_body->document()->size().height()) + 2 * m_body->frameWidth() + 8,
                   3 * lineHeight, 12 * lineHeight);
    split->setSizes({bodyHeight, c.metrics.isEmpty() ? 2 * bodyHeight : 4 * bodyHeight});

    if (!c.params.isEmpty()) {
        m_params = new ParamForm(c.params, this);
        if (c.status != CheckpointInfo::Status::Pending)
            m_params->setValues(c.decidedParams);
    }

    m_comment = new QPlainTextEdit(this);
    m_comment->setObjectName(QStringLiteral("decisionComment"));
    m_comment->setPlaceholderText(tr("Comment (optional): recorded with the decision"));
    m_comment->setTabChangesFocus(true);
    const int line = m_comment->fontMetrics().lineSpacing();
    m_comment->setFixedHeight(3 * line + 12);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("decisionStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QHBoxLayout;
    int i = 0;
    for (const CheckpointOption &o : c.options) {
        const bool isDefault = o.isDefault || o.name == c.defaultOnTimeout;
        auto *b = new QPushButton(isDefault ? tr("%1 (default)").arg(optionText(o)) : optionText(o),
                                  this);
        b->setObjectName(QStringLiteral("option-") + o.name);
        b->setProperty("option", o.name);
        b->setAutoDefault(false);
        b->setDefault(false);
        if (isDefault) {
            QFont f = b->font();
            f.setBold(true);
            b->setFont(f);
        }
        ++i;
        QString tip = tr("Decide \"%1\"").arg(o.name);
        if (i <= 9) {
            b->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + i)));
            tip = tr("Decide \"%1\" (%2)")
                      .arg(o.name, b->shortcut().toString(QKeySequence::NativeText));
        }
        b->setToolTip(tip);
        const QString option = o.name;
        connect(b, &QPushButton::clicked, this, [this, option] { choose(option); });
        buttons->addWidget(b);
        m_optionButtons << b;
    }
    buttons->addStretch(1);
    m_log = new QPushButton(tr("Job &Log…"), this);
    m_log->setObjectName(QStringLiteral("jobLogButton"));
    m_log->setAutoDefault(false);
    m_log->setToolTip(tr("Follow the log of the job that asks, as it runs"));
    m_log->setEnabled(!c.task.isEmpty());
    connect(m_log, &QPushButton::clicked, this, &CheckpointDialog::logRequested);
    buttons->addWidget(m_log);
    auto *close = new QPushButton(tr("Close"), this);
    close->setAutoDefault(false);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    buttons->addWidget(close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(grid);
    layout->addWidget(split, 1);
    if (m_params)
        layout->addWidget(m_params);
    layout->addWidget(m_comment);
    layout->addWidget(m_status);
    layout->addLayout(buttons);

    QSize size = c.metrics.isEmpty() ? QSize(640, 520) : QSize(780, 720);
    if (const QScreen *screen = parentWidget() ? parentWidget()->screen() : this->screen())
        size = size.boundedTo(screen->availableGeometry().size() - QSize(40, 60));
    resize(size);
    updateTimes();
    updateState();
}

void CheckpointDialog::setClock(Clock clock)
{
    m_clock = std::move(clock);
    updateTimes();
}

void CheckpointDialog::updateTimes()
{
    const CheckpointInfo &c = m_checkpoint;
    const QDateTime now = m_clock();
    m_posted->setText(c.createdAt.isValid() ? tr("%1 (%2)").arg(formatDateTime(c.createdAt),
                                                                formatRelative(c.createdAt, now))
                                            : emDash());
    if (!c.deadline.isValid()) {
        m_deadline->setText(tr("none"));
        return;
    }
    QString text = tr("%1 (%2)").arg(formatDateTime(c.deadline), formatRelative(c.deadline, now));
    const QString def = c.defaultOnTimeout.isEmpty() ? QString() : c.defaultOnTimeout;
    if (!def.isEmpty())
        text = tr("%1, then \"%2\"").arg(text, def);
    m_deadline->setText(text);
}

void CheckpointDialog::setStatus(const QString &text, const QColor &color)
{
    m_status->setText(text);
    QPalette pal = palette();
    if (color.isValid())
        pal.setColor(QPalette::WindowText, color);
    m_status->setPalette(pal);
}

void CheckpointDialog::updateState()
{
    const CheckpointInfo &c = m_checkpoint;
    const bool pending = c.status == CheckpointInfo::Status::Pending;
    const bool canDecide = pending && !m_sending && !m_sent && m_readOnly.isEmpty();
    for (QPushButton *b : std::as_const(m_optionButtons)) {
        b->setEnabled(canDecide);
        const bool chosen = !pending && b->property("option").toString() == c.decidedOption;
        QFont f = b->font();
        f.setUnderline(chosen);
        b->setFont(f);
    }
    m_comment->setReadOnly(!canDecide);
    if (m_params)
        m_params->setEnabled(canDecide);

    switch (c.status) {
    case CheckpointInfo::Status::Pending:
        if (!m_readOnly.isEmpty())
            setStatus(m_readOnly);
        else if (!m_sending && !m_sent)
            setStatus(c.options.isEmpty() ? tr("The job offers no options to choose from.")
                                          : QString());
        break;
    case CheckpointInfo::Status::Decided:
    case CheckpointInfo::Status::Applied: {
        QStringList text;
        if (m_sent && m_won)
            text << tr("Decision sent.");
        text << (c.decisionKind == QLatin1String("timeout-default")
                     ? tr("The deadline passed; the job took the default: %1.").arg(c.decidedOption)
                     : tr("Decided by %1 at %2: %3.")
                           .arg(c.decidedBy, formatDateTime(c.decidedAt), c.decidedOption));
        if (c.status == CheckpointInfo::Status::Applied)
            text << (c.outcome.isEmpty() ? tr("The job applied it.")
                                         : tr("The job applied it: %1").arg(c.outcome));
        else
            text << tr("The job has not read it yet.");
        setStatus(text.join(QLatin1Char(' ')),
                  m_sent && m_won ? stateColor(StateClass::Succeeded) : QColor());
        break;
    }
    case CheckpointInfo::Status::Refused:
        setStatus(tr("The job refused the decision: %1").arg(c.problem),
                  stateColor(StateClass::Failed));
        break;
    case CheckpointInfo::Status::Broken:
        setStatus(tr("This checkpoint cannot be decided: %1").arg(c.problem),
                  stateColor(StateClass::Failed));
        break;
    case CheckpointInfo::Status::Closed:
        setStatus(tr("No decision is needed any more: the %1").arg(c.problem), QColor());
        break;
    }
}

void CheckpointDialog::setCheckpoint(const CheckpointInfo &checkpoint)
{
    m_checkpoint = checkpoint;
    // Decided (here or elsewhere): the values it was decided with.
    if (m_params && checkpoint.status != CheckpointInfo::Status::Pending)
        m_params->setValues(checkpoint.decidedParams);
    updateTimes();
    if (!m_sending) // else the outcome of our own decision will tell
        updateState();
}

void CheckpointDialog::choose(const QString &option)
{
    if (m_sending || m_sent || !m_readOnly.isEmpty() ||
        m_checkpoint.status != CheckpointInfo::Status::Pending)
        return;
    QJsonObject params;
    if (m_params) {
        const Result<QJsonObject> values = m_params->values();
        if (!values) {
            setStatus(tr("Not sent: %1").arg(values.errorString()), stateColor(StateClass::Failed));
            return;
        }
        params = *values;
    }
    m_sending = true;
    updateState();
    setStatus(tr("Sending the decision \"%1\"…").arg(option));
    DecisionInput input;
    input.site = m_checkpoint.site;
    input.runId = m_checkpoint.runId;
    input.checkpointId = m_checkpoint.id;
    input.option = option;
    input.comment = m_comment->toPlainText().trimmed();
    input.params = params;
    // The evidence: the metric files as this dialog read them, when it has
    // read every one (else the decision records none).
    // A followed file's evidence is what its chart plots now.
    QHash<QString, QByteArray> followed;
    for (const MetricsFeed *feed : std::as_const(m_feeds))
        if (feed->hasTable())
            followed.insert(feed->ref().file, feed->evidence());
    const QHash<QString, QByteArray> &read = m_feeds.isEmpty() ? m_evidence : followed;
    QList<std::pair<QString, QByteArray>> files;
    for (const MetricRef &ref : std::as_const(m_checkpoint.metrics)) {
        if (!read.contains(ref.file)) {
            files.clear();
            break;
        }
        files.append({ref.file, read.value(ref.file)});
    }
    if (!files.isEmpty() || m_checkpoint.metrics.isEmpty()) {
        input.evidenceSha256 = evidenceSha256(files);
        input.evidenceBytes = evidenceBytes(files);
    }
    Q_EMIT decisionRequested(input);
}

void CheckpointDialog::showOutcome(const Result<DecisionOutcome> &outcome)
{
    m_sending = false;
    if (!outcome.ok()) {
        updateState();
        setStatus(tr("Could not send the decision: %1").arg(outcome.errorString()),
                  stateColor(StateClass::Failed));
        return;
    }
    const DecisionOutcome &o = *outcome;
    m_sent = true;
    m_won = o.won;
    updateState();
    if (o.won)
        setStatus(tr("Decision sent: %1").arg(o.option), stateColor(StateClass::Succeeded));
    else
        setStatus(tr("Already decided by %1 at %2: option %3")
                      .arg(o.decidedBy, formatDateTime(o.decidedAt), o.option),
                  attentionColor());
}

QPushButton *CheckpointDialog::optionButton(const QString &option) const
{
    for (QPushButton *b : m_optionButtons)
        if (b->property("option").toString() == option)
            return b;
    return nullptr;
}

QString CheckpointDialog::statusText() const
{
    return m_status->text();
}

void CheckpointDialog::setComment(const QString &comment)
{
    m_comment->setPlainText(comment);
}

void CheckpointDialog::setRunFileFetcher(RunFileFetcher fetch)
{
    if (!fetch) {
        setRunFileReader(nullptr);
        return;
    }
    setRunFileReader([fetch](const QString &path, qint64, QObject *context,
                             Callback<QByteArray> done) { fetch(path, context, std::move(done)); });
}

void CheckpointDialog::setComparisonRuns(const QList<ComparedRun> &runs, OtherRunFileReader read)
{
    for (qsizetype i = 0; i < m_panels.size(); ++i)
        m_panels.at(i)->compare()->setRuns(m_checkpoint.metrics.at(i), runs, read);
}

void CheckpointDialog::setJob(const JobInfo &job, bool listed)
{
    if (!listed) {
        m_job->setText(job.jobId.isEmpty()
                           ? tr("not listed by the scheduler")
                           : tr("%1: not listed by the scheduler (ended, or not started by Vigil)")
                                 .arg(job.jobId));
        m_job->setPalette(palette());
        return;
    }
    QStringList parts{tr("%1 %2").arg(job.jobId, job.state)};
    if (!job.reason.isEmpty() && job.reason != QLatin1String("None"))
        parts << job.reason;
    if (job.elapsedSeconds >= 0)
        parts << tr("%1 elapsed").arg(formatDuration(job.elapsedSeconds));
    if (job.timeLeftSeconds >= 0 && job.isActive())
        parts << tr("%1 left").arg(formatDuration(job.timeLeftSeconds));
    if (job.exitCode >= 0 && job.isFinished())
        parts << tr("exit code %1").arg(job.exitCode);
    m_job->setText(parts.join(QStringLiteral(" · ")));
    QPalette pal = palette();
    pal.setColor(QPalette::WindowText, stateColor(classifyJob(job)));
    m_job->setPalette(pal);
}

QString CheckpointDialog::jobText() const
{
    return m_job->text();
}

void CheckpointDialog::setRunFileReader(RunFileReader read)
{
    if (m_attachments)
        m_attachments->load(read);
    if (!m_feeds.isEmpty())
        return; // the charts follow their files
    for (qsizetype i = 0; i < m_charts.size(); ++i) {
        MetricsChart *chart = m_charts.at(i);
        const MetricRef ref = m_checkpoint.metrics.at(i);
        if (!read) {
            chart->setMessage(tr("Metrics not available"));
            continue;
        }
        chart->setMessage(tr("Loading %1…").arg(ref.file));
        read(ref.file, maxMetricsBytes(), chart,
             [this, chart = QPointer<MetricsChart>(chart), ref](Result<QByteArray> r) {
                 if (!chart || !m_feeds.isEmpty())
                     return; // gone, or followed since
                 if (!r) {
                     chart->setMessage(tr("Could not read %1: %2").arg(ref.file, r.errorString()));
                     return;
                 }
                 if (r->size() > maxMetricsBytes()) {
                     chart->setMessage(tr("%1 is %2 bytes, more than the %3 bytes shown at most")
                                           .arg(ref.file)
                                           .arg(r->size())
                                           .arg(maxMetricsBytes()));
                     return;
                 }
                 auto table = parseMetrics(*r, ref);
                 if (!table) {
                     chart->setMessage(table.errorString());
                     return;
                 }
                 chart->setTable(*table);
                 m_evidence.insert(ref.file, *r); // shown: the decision's evidence
             });
    }
}

void CheckpointDialog::setRunFileFollower(RunFileFollower follow)
{
    qDeleteAll(m_feeds);
    m_feeds.clear();
    if (!follow)
        return;
    for (qsizetype i = 0; i < m_charts.size(); ++i) {
        MetricsChart *chart = m_charts.at(i);
        const MetricRef ref = m_checkpoint.metrics.at(i);
        auto tail = follow(ref.file, this);
        if (!tail) {
            chart->setMessage(tr("Could not read %1: %2").arg(ref.file, tail.errorString()));
            m_feeds << nullptr;
            continue;
        }
        auto *feed = new MetricsFeed(*tail, ref, maxMetricsBytes(), this);
        m_feeds << feed;
        chart->setMessage(tr("Loading %1…").arg(ref.file));
        chart->setNote(QString());
        connect(feed, &MetricsFeed::tableChanged, chart, [chart](const MetricTable &t) {
            chart->updateTable(t);
            chart->setNote(QString());
        });
        // Nothing plotted (the file was replaced and has no rows yet): a
        // message, and no evidence (MetricsFeed::evidence() is empty).
        connect(feed, &MetricsFeed::problem, chart, [chart, feed](const QString &message) {
            if (feed->hasTable())
                chart->setNote(message); // the chart stays as it was
            else
                chart->setMessage(message);
        });
        feed->start(m_metricsPoll);
    }
    m_feeds.removeAll(nullptr);
}

void CheckpointDialog::setMetricsPollInterval(std::chrono::milliseconds interval)
{
    m_metricsPoll = interval;
    for (MetricsFeed *feed : std::as_const(m_feeds))
        if (feed->following())
            feed->start(interval);
}

void CheckpointDialog::setReadOnly(const QString &why)
{
    m_readOnly = why;
    updateState();
}

} // namespace vigil
