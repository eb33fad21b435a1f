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
#include <QSet>
#include <QVBoxLayout>
#include <memory>
#include <optional>

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
      m_url(new QLineEdit(this)), m_token(new QLineEdit(this)),
      m_clearToken(new QPushButton(tr("Clear Token"), this)), m_priority(new QComboBox(this)),
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
    m_clearToken->setToolTip(tr("Remove the stored access token from the system keyring on Save"));
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
    auto *token = new QHBoxLayout;
    token->addWidget(m_token, 1);
    token->addWidget(m_clearToken);
    form->addRow(tr("Access token:"), token);
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
    connect(m_clearToken, &QPushButton::clicked, this, &WebhooksDialog::clearToken);
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
                    m_entries << Entry{t, t.name, {}, false};
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
    m_clearToken->setEnabled(ntfy);
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
    for (QWidget *w : std::initializer_list<QWidget *>{m_name, m_kind, m_url, m_token, m_clearToken,
                                                       m_priority, m_click, m_arrived, m_deadline,
                                                       m_decided, m_sites, m_runs, m_test})
        w->setEnabled(valid);
    const Entry e = valid ? m_entries[row] : Entry{};
    const WebhookTarget &t = e.target;
    m_name->setText(t.name);
    m_kind->setCurrentIndex(m_kind->findData(int(t.kind)));
    const bool slack = t.kind == WebhookTarget::Kind::Slack;
    m_url->setText(slack ? e.newSecret : t.url);
    m_token->setText(slack ? QString() : e.newSecret);
    m_token->setPlaceholderText(
        e.clearSecret ? tr("the stored token is removed when you save")
                      : tr("optional; a stored token is kept unless you type a new one"));
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
        e.clearSecret = false; // the URL is the secret: it is replaced, never cleared
        t.url.clear();
    } else {
        t.url = m_url->text().trimmed();
        e.newSecret = m_token->text();
        if (!e.newSecret.isEmpty())
            e.clearSecret = false; // a typed token replaces the stored one
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
    if (!m_entries[row].savedName.isEmpty())
        m_removed << storedKey(m_entries[row]);
    m_current = -1; // the form is not stored into the entry being removed
    m_entries.removeAt(row);
    delete m_list->takeItem(row);
    showEntry(m_list->currentRow());
}

void WebhooksDialog::clearToken()
{
    if (m_current < 0 || m_current >= m_entries.size())
        return;
    storeForm();
    Entry &e = m_entries[m_current];
    if (e.target.kind != WebhookTarget::Kind::Ntfy)
        return;
    e.newSecret.clear();
    e.clearSecret = true;
    m_token->clear();
    showEntry(m_current);
    setStatus(tr("The access token of \"%1\" is removed from the system keyring when you save.")
                  .arg(e.target.name),
              false);
}

QString WebhooksDialog::storedKey(const Entry &e)
{
    WebhookTarget saved;
    saved.name = e.savedName;
    return saved.secretKey();
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
    if (!e.newSecret.isEmpty() || !m_secrets || (e.clearSecret && !slack)) {
        sendTestWith(e.target, e.newSecret);
        return;
    }
    setStatus(tr("Reading the stored secret…"), false);
    // Stored under the name it was saved with (a rename moves it on Save).
    m_secrets->read(e.savedName.isEmpty() ? e.target.secretKey() : storedKey(e), this,
                    [this, e, slack](Result<QString> secret) {
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

// One Save's keyring work, in this order: read the secrets that move with
// renamed webhooks, write the typed and moved ones under the new names, then
// remove those of removed webhooks, of old names and of cleared tokens (but
// never a key a webhook keeps or was just given). Then the file: a file
// never names a webhook whose secret could not be kept.
struct WebhooksDialog::SecretPlan
{
    struct Move
    {
        QString from;
        QString to;
        std::optional<QString> secret; // read from `from`; none: nothing stored
    };
    QList<Move> moves; // renamed webhooks without a typed secret
    int read = 0;      // moves read so far
    bool planned = false;
    QList<QPair<QString, QString>> writes; // key, secret
    QStringList removes;
    QSet<QString> kept; // keys that hold a webhook's secret after the save
    QList<WebhookTarget> targets;
};

void WebhooksDialog::save()
{
    auto t = targets();
    if (!t) {
        setStatus(t.errorString(), true);
        Q_EMIT saveFailed(t.errorString());
        return;
    }
    auto plan = std::make_shared<SecretPlan>();
    plan->targets = *t;
    plan->removes = m_removed;
    for (const Entry &e : std::as_const(m_entries)) {
        const QString key = e.target.secretKey();
        const QString old = e.savedName.isEmpty() ? QString() : storedKey(e);
        if (!old.isEmpty() && old != key)
            plan->removes << old;
        if (!e.newSecret.isEmpty()) {
            plan->writes.append({key, e.newSecret});
            plan->kept.insert(key);
        } else if (e.clearSecret) {
            plan->removes << key;
        } else if (!old.isEmpty() && old != key) {
            plan->moves.append({old, key, std::nullopt});
        } else if (!old.isEmpty()) {
            plan->kept.insert(key);
        }
    }
    m_buttons->setEnabled(false);
    setStatus(tr("Saving…"), false);
    runSecretSteps(plan);
}

void WebhooksDialog::runSecretSteps(std::shared_ptr<SecretPlan> plan)
{
    const auto fail = [this](const QString &why) {
        m_buttons->setEnabled(true);
        const QString message = tr("Not saved: %1").arg(why);
        setStatus(message, true);
        Q_EMIT saveFailed(message);
    };
    if (!m_secrets)
        return fail(tr("no secret store"));
    const auto next = [this, plan, fail](Result<void> r) {
        if (!r)
            return fail(r.errorString());
        runSecretSteps(plan);
    };
    if (plan->read < plan->moves.size()) {
        const int i = plan->read++;
        m_secrets->read(plan->moves.at(i).from, this,
                        [this, plan, i, fail](Result<QString> secret) {
                            if (secret)
                                plan->moves[i].secret = *secret;
                            else if (secret.error().kind != Error::Kind::NotFound)
                                return fail(secret.errorString());
                            runSecretSteps(plan);
                        });
        return;
    }
    if (!plan->planned) {
        plan->planned = true;
        for (const SecretPlan::Move &m : std::as_const(plan->moves)) {
            if (m.secret) {
                plan->writes.append({m.to, *m.secret});
                plan->kept.insert(m.to);
            }
        }
        plan->removes.removeDuplicates();
        plan->removes.removeIf([&plan](const QString &key) { return plan->kept.contains(key); });
    }
    if (!plan->writes.isEmpty()) {
        const auto [key, secret] = plan->writes.takeFirst();
        m_secrets->write(key, secret, this, next);
        return;
    }
    if (!plan->removes.isEmpty()) {
        m_secrets->remove(plan->removes.takeFirst(), this, next);
        return;
    }
    writeFile(plan->targets);
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
            for (Entry &e : m_entries) {
                e.savedName = e.target.name;
                e.newSecret.clear();
                e.clearSecret = false;
            }
            m_removed.clear();
            if (m_current >= 0 && m_current < m_entries.size())
                showEntry(m_current);
            if (m_dispatcher)
                m_dispatcher->setTargets(targets);
            setStatus(tr("Saved %n webhook(s); secrets are in the system keyring.", nullptr,
                         int(targets.size())),
                      false);
            Q_EMIT saved(targets);
        });
}

} // namespace vigil
