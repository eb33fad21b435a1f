// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhooksdialog.h"

#include "inbackground.h"
#include "notify/secretstore.h"
#include "notify/webhookdispatcher.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>
#include <memory>

namespace vigil {

namespace {

QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &s : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!s.trimmed().isEmpty())
            out << s.trimmed();
    return out;
}

} // namespace

WebhooksDialog::WebhooksDialog(SecretStore *secrets, WebhookDispatcher *dispatcher, QWidget *parent,
                               QString path)
    : QDialog(parent), m_secrets(secrets), m_dispatcher(dispatcher), m_path(std::move(path)),
      m_list(new QListWidget(this)), m_name(new QLineEdit(this)), m_kind(new QComboBox(this)),
      m_url(new QLineEdit(this)), m_token(new QLineEdit(this)), m_priority(new QComboBox(this)),
      m_click(new QLineEdit(this)), m_arrived(new QCheckBox(tr("A checkpoint arrives"), this)),
      m_deadline(new QCheckBox(tr("Its deadline nears"), this)),
      m_decided(new QCheckBox(tr("It is decided"), this)), m_sites(new QLineEdit(this)),
      m_runs(new QLineEdit(this)), m_status(new QLabel(this)),
      m_test(new QPushButton(tr("Send Test"), this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this))
{
    setWindowTitle(tr("Phone Notifications"));
    m_kind->addItem(tr("ntfy"), int(WebhookTarget::Kind::Ntfy));
    m_kind->addItem(tr("Slack / Mattermost"), int(WebhookTarget::Kind::Slack));
    const QStringList priorities{tr("1 (min)"), tr("2 (low)"), tr("3 (default)"), tr("4 (high)"),
                                 tr("5 (max)")};
    m_priority->addItems(priorities);
    m_token->setEchoMode(QLineEdit::Password);
    m_click->setPlaceholderText(tr("optional: https://…/{site}/{run}/{checkpoint}"));
    m_sites->setPlaceholderText(tr("every site (or: mn5, edge)"));
    m_runs->setPlaceholderText(tr("every run"));
    // Wide enough for a pasted URL and the hints in the empty fields.
    const int wide = fontMetrics().averageCharWidth() * 60;
    for (QLineEdit *e : {m_url, m_token, m_click})
        e->setMinimumWidth(wide);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *add = new QPushButton(tr("Add"), this);
    auto *remove = new QPushButton(tr("Remove"), this);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    left->addLayout(listButtons);

    auto *form = new QFormLayout;
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Kind:"), m_kind);
    form->addRow(tr("Webhook URL:"), m_url);
    form->addRow(tr("Access token:"), m_token);
    form->addRow(tr("Priority:"), m_priority);
    form->addRow(tr("Open on tap:"), m_click);
    auto *events = new QVBoxLayout;
    events->addWidget(m_arrived);
    events->addWidget(m_deadline);
    events->addWidget(m_decided);
    form->addRow(tr("Notify when:"), events);
    form->addRow(tr("Sites:"), m_sites);
    form->addRow(tr("Runs:"), m_runs);
    form->addRow(QString(), m_test);

    auto *columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(form, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    connect(add, &QPushButton::clicked, this, &WebhooksDialog::addWebhook);
    connect(remove, &QPushButton::clicked, this, &WebhooksDialog::removeWebhook);
    connect(m_test, &QPushButton::clicked, this, &WebhooksDialog::sendTest);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &WebhooksDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &WebhooksDialog::kindChanged);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        storeForm();
        showEntry(row);
    });
    showEntry(-1);
    load();
}

QString WebhooksDialog::statusText() const
{
    return m_status->text();
}

void WebhooksDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void WebhooksDialog::load()
{
    const QString path = m_path;
    inBackground<Result<QList<WebhookTarget>>>(
        this, [path] { return webhookconfig::load(path); },
        [this](Result<QList<WebhookTarget>> r) {
            if (!r) {
                setStatus(r.errorString(), true);
            } else {
                for (const WebhookTarget &t : std::as_const(*r)) {
                    m_entries << Entry{t, {}};
                    m_list->addItem(t.name);
                }
                if (!m_entries.isEmpty())
                    m_list->setCurrentRow(0);
            }
            Q_EMIT loaded();
        });
}

void WebhooksDialog::kindChanged()
{
    const bool ntfy = m_kind->currentData().toInt() == int(WebhookTarget::Kind::Ntfy);
    m_token->setEnabled(ntfy);
    m_priority->setEnabled(ntfy);
    m_click->setEnabled(ntfy);
    m_url->setPlaceholderText(
        ntfy ? tr("paste the ntfy topic URL, e.g. https://ntfy.sh/your-topic")
             : tr("paste the incoming-webhook URL (kept in the system keyring)"));
}

void WebhooksDialog::showEntry(int row)
{
    m_current = row;
    const bool valid = row >= 0 && row < m_entries.size();
    for (QWidget *w : std::initializer_list<QWidget *>{m_name, m_kind, m_url, m_token, m_priority,
                                                       m_click, m_arrived, m_deadline, m_decided,
                                                       m_sites, m_runs, m_test})
        w->setEnabled(valid);
    const Entry e = valid ? m_entries[row] : Entry{};
    const WebhookTarget &t = e.target;
    m_name->setText(t.name);
    m_kind->setCurrentIndex(m_kind->findData(int(t.kind)));
    const bool slack = t.kind == WebhookTarget::Kind::Slack;
    m_url->setText(slack ? e.newSecret : t.url);
    m_token->setText(slack ? QString() : e.newSecret);
    m_token->setPlaceholderText(tr("optional; a stored token is kept unless you type a new one"));
    m_priority->setCurrentIndex(qBound(1, t.priority, 5) - 1);
    m_click->setText(t.clickUrl);
    m_arrived->setChecked(t.onArrived);
    m_deadline->setChecked(t.onDeadline);
    m_decided->setChecked(t.onDecided);
    m_sites->setText(t.sites.join(QStringLiteral(", ")));
    m_runs->setText(t.runs.join(QStringLiteral(", ")));
    if (valid)
        kindChanged();
}

void WebhooksDialog::storeForm()
{
    if (m_current < 0 || m_current >= m_entries.size())
        return;
    Entry &e = m_entries[m_current];
    WebhookTarget &t = e.target;
    t.name = m_name->text().trimmed();
    t.kind = WebhookTarget::Kind(m_kind->currentData().toInt());
    if (t.kind == WebhookTarget::Kind::Slack) {
        e.newSecret = m_url->text().trimmed();
        t.url.clear();
    } else {
        t.url = m_url->text().trimmed();
        e.newSecret = m_token->text();
    }
    t.priority = m_priority->currentIndex() + 1;
    t.clickUrl = m_click->text().trimmed();
    t.onArrived = m_arrived->isChecked();
    t.onDeadline = m_deadline->isChecked();
    t.onDecided = m_decided->isChecked();
    t.sites = splitList(m_sites->text());
    t.runs = splitList(m_runs->text());
    if (QListWidgetItem *item = m_list->item(m_current))
        item->setText(t.name);
}

void WebhooksDialog::addWebhook()
{
    storeForm();
    Entry e;
    e.target.name = tr("phone%1").arg(m_entries.size() + 1);
    m_entries << e;
    m_list->addItem(e.target.name);
    m_list->setCurrentRow(int(m_entries.size()) - 1);
    m_url->setFocus();
}

void WebhooksDialog::removeWebhook()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_entries.size())
        return;
    m_removed << m_entries[row].target.secretKey();
    m_current = -1; // the form is not stored into the entry being removed
    m_entries.removeAt(row);
    delete m_list->takeItem(row);
    showEntry(m_list->currentRow());
}

Result<QList<WebhookTarget>> WebhooksDialog::targets()
{
    storeForm();
    QList<WebhookTarget> out;
    QStringList names;
    for (const Entry &e : std::as_const(m_entries)) {
        if (auto r = webhookconfig::validate(e.target); !r)
            return Error(tr("Webhook \"%1\": %2").arg(e.target.name, r.errorString()));
        if (names.contains(e.target.name))
            return Error(tr("Two webhooks are named \"%1\".").arg(e.target.name));
        names << e.target.name;
        out << e.target;
    }
    return out;
}

void WebhooksDialog::sendTest()
{
    storeForm();
    if (m_current < 0 || m_current >= m_entries.size())
        return;
    const Entry e = m_entries[m_current];
    const bool slack = e.target.kind == WebhookTarget::Kind::Slack;
    if (!e.newSecret.isEmpty() || !m_secrets) {
        sendTestWith(e.target, e.newSecret);
        return;
    }
    setStatus(tr("Reading the stored secret…"), false);
    m_secrets->read(e.target.secretKey(), this, [this, e, slack](Result<QString> secret) {
        if (!secret && (slack || secret.error().kind != Error::Kind::NotFound)) {
            const QString why = secret.error().kind == Error::Kind::NotFound
                                    ? tr("paste the webhook URL first")
                                    : secret.errorString();
            setStatus(tr("Test not sent: %1").arg(why), true);
            Q_EMIT testFinished(false, why);
            return;
        }
        sendTestWith(e.target, secret ? *secret : QString());
    });
}

void WebhooksDialog::sendTestWith(const WebhookTarget &target, const QString &secret)
{
    const WebhookRequest request = buildWebhookRequest(
        target, WebhookEvent{WebhookEvent::Kind::Test, {}}, secret, QDateTime::currentDateTime());
    const QString shown = webhookShownUrl(request.url);
    m_test->setEnabled(false);
    setStatus(tr("Sending a test message to %1…").arg(shown), false);
    sendWebhookRequest(&m_nam, request, 15000, this, [this, shown](const WebhookResponse &r) {
        m_test->setEnabled(true);
        const bool ok = r.error.isEmpty();
        const QString message =
            ok ? tr("Test message sent to %1 (HTTP %2).").arg(shown).arg(r.status)
               : tr("Test message to %1 failed: %2").arg(shown, r.error);
        setStatus(message, !ok);
        Q_EMIT testFinished(ok, message);
    });
}

void WebhooksDialog::save()
{
    auto t = targets();
    if (!t) {
        setStatus(t.errorString(), true);
        Q_EMIT saveFailed(t.errorString());
        return;
    }
    m_buttons->setEnabled(false);
    setStatus(tr("Saving…"), false);
    writeSecrets(m_entries, *t);
}

// The secrets one by one (typed ones written, removed webhooks' removed),
// then the file: a file never names a webhook whose secret could not be kept.
void WebhooksDialog::writeSecrets(QList<Entry> entries, QList<WebhookTarget> targets)
{
    const auto fail = [this](const QString &why) {
        m_buttons->setEnabled(true);
        const QString message = tr("Not saved: %1").arg(why);
        setStatus(message, true);
        Q_EMIT saveFailed(message);
    };
    if (!m_secrets)
        return fail(tr("no secret store"));
    if (!m_removed.isEmpty()) {
        const QString key = m_removed.takeFirst();
        m_secrets->remove(key, this, [this, entries, targets, fail, key](Result<void> r) {
            if (!r) {
                m_removed.prepend(key);
                return fail(r.errorString());
            }
            writeSecrets(entries, targets);
        });
        return;
    }
    while (!entries.isEmpty() && entries.first().newSecret.isEmpty())
        entries.removeFirst();
    if (entries.isEmpty())
        return writeFile(targets);
    const Entry e = entries.takeFirst();
    m_secrets->write(e.target.secretKey(), e.newSecret, this,
                     [this, entries, targets, fail](Result<void> r) {
                         if (!r)
                             return fail(r.errorString());
                         writeSecrets(entries, targets);
                     });
}

void WebhooksDialog::writeFile(const QList<WebhookTarget> &targets)
{
    const QString path = m_path;
    inBackground<Result<void>>(
        this, [path, targets] { return webhookconfig::save(path, targets); },
        [this, targets](Result<void> r) {
            m_buttons->setEnabled(true);
            if (!r) {
                setStatus(tr("Not saved: %1").arg(r.errorString()), true);
                Q_EMIT saveFailed(r.errorString());
                return;
            }
            for (Entry &e : m_entries)
                e.newSecret.clear();
            if (m_dispatcher)
                m_dispatcher->setTargets(targets);
            setStatus(tr("Saved %n webhook(s); secrets are in the system keyring.", nullptr,
                         int(targets.size())),
                      false);
            Q_EMIT saved(targets);
        });
}

} // namespace vigil
