// SPDX-License-Identifier: GPL-3.0-or-later
#include "addsitedialog.h"

#include "inbackground.h"
#include "statecolors.h"
#include "supervisor.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThreadPool>
#include <QVBoxLayout>

namespace vigil {

namespace {

// A site name from what was typed, for a start: "ann@gpu1.example.org:22"
// -> "gpu1"; an address is kept whole ("10.0.0.7", "fe80--1").
QString suggestName(const QString &typed)
{
    const Result<SiteSpec> address = parseSiteAddress(typed);
    if (!address)
        return QString();
    QString host = address->host;
    const QString first = host.section(QLatin1Char('.'), 0, 0);
    bool numeric = false;
    first.toInt(&numeric);
    if (!numeric && !host.contains(QLatin1Char(':')))
        host = first;
    QString name;
    for (const QChar c : std::as_const(host)) {
        const bool allowed = (c.isLetterOrNumber() && c.unicode() < 0x80) ||
                             c == QLatin1Char('.') || c == QLatin1Char('_');
        if (allowed || (c == QLatin1Char('-') || c == QLatin1Char(':')))
            name += allowed ? c : QLatin1Char('-');
    }
    while (name.startsWith(QLatin1Char('-')) || name.startsWith(QLatin1Char('.')))
        name.remove(0, 1);
    return name;
}

constexpr int kDefaultPoll = SiteSpec::kMinPollSeconds - 1; // the spin box's "default" value

} // namespace

AddSiteDialog::AddSiteDialog(Supervisor *supervisor, QWidget *parent, QString registryPath)
    : QDialog(parent), m_supervisor(supervisor), m_registryPath(std::move(registryPath)),
      m_kind(new QComboBox(this)), m_name(new QLineEdit(this)), m_host(new QComboBox(this)),
      m_hostHint(new QLabel(this)), m_identity(new QLineEdit(this)), m_poll(new QSpinBox(this)),
      m_error(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("addSiteDialog"));
    setWindowTitle(tr("Add Site"));

    m_kind->setObjectName(QStringLiteral("siteKind"));
    m_kind->addItem(tr("SLURM cluster"), int(SiteSpec::Kind::Slurm));
    m_kind->addItem(tr("SSH host"), int(SiteSpec::Kind::Ssh));
    m_kind->addItem(tr("This computer"), int(SiteSpec::Kind::Local));
    m_name->setObjectName(QStringLiteral("siteName"));
    m_name->setPlaceholderText(tr("letters, digits, . _ -"));
    m_host->setObjectName(QStringLiteral("siteHost"));
    m_host->setEditable(true);
    m_host->setInsertPolicy(QComboBox::NoInsert);
    m_host->lineEdit()->setPlaceholderText(tr("a Host of ssh_config, or user@host:port"));
    m_host->setToolTip(tr("Pick a Host alias of your ssh_config file, or type host, user@host, "
                          "host:port or [IPv6 address]:port"));
    m_hostHint->setObjectName(QStringLiteral("hostHint"));
    m_hostHint->setTextFormat(Qt::PlainText);
    m_hostHint->setEnabled(false); // a quieter look
    m_identity->setObjectName(QStringLiteral("identityFile"));
    m_identity->setPlaceholderText(tr("optional, e.g. ~/.ssh/id_ed25519"));
    m_identity->setToolTip(tr("A private key file; its passphrase is asked for, never stored"));
    m_poll->setObjectName(QStringLiteral("pollInterval"));
    m_poll->setRange(kDefaultPoll, SiteSpec::kMaxPollSeconds);
    m_poll->setSuffix(tr(" s"));
    m_poll->setSpecialValueText(
        tr("Default (%1 s)")
            .arg(supervisor ? supervisor->options().pollSeconds : SiteSpec::kDefaultPollSeconds));
    m_poll->setValue(kDefaultPoll);
    m_error->setObjectName(QStringLiteral("addSiteError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, stateColor(StateClass::Failed));
    m_error->setPalette(errorPalette);
    m_error->hide();
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Add Site"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Kind:"), m_kind);
    form->addRow(tr("&Host:"), m_host);
    form->addRow(QString(), m_hostHint);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Identity file:"), m_identity);
    form->addRow(tr("&Poll every:"), m_poll);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &AddSiteDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &AddSiteDialog::reject);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &AddSiteDialog::kindChanged);
    connect(m_host, &QComboBox::currentTextChanged, this, &AddSiteDialog::hostChanged);
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameEdited = true; });
    for (QLineEdit *edit : {m_name, m_host->lineEdit(), m_identity})
        connect(edit, &QLineEdit::textEdited, this, [this] { setError(QString()); });
    loadHosts();
}

void AddSiteDialog::loadHosts()
{
    const QString config = m_supervisor ? m_supervisor->options().sshConfigFile : QString();
    inBackground<Result<QList<SshConfigHost>>>(
        this, [config] { return listSshConfigHosts(config); },
        [this](Result<QList<SshConfigHost>> hosts) {
            if (!hosts) {
                m_hostHint->setText(hosts.errorString());
                Q_EMIT hostsLoaded();
                return;
            }
            m_hosts = *hosts;
            const QString typed = m_host->currentText();
            const QSignalBlocker block(m_host);
            for (const SshConfigHost &h : std::as_const(m_hosts)) {
                m_host->addItem(h.alias);
                m_host->setItemData(m_host->count() - 1, h.summary(), Qt::ToolTipRole);
            }
            m_host->setCurrentIndex(-1);
            m_host->setEditText(typed);
            Q_EMIT hostsLoaded();
        });
}

void AddSiteDialog::kindChanged()
{
    const bool remote = SiteSpec::Kind(m_kind->currentData().toInt()) != SiteSpec::Kind::Local;
    m_host->setEnabled(remote);
    m_identity->setEnabled(remote);
    if (!m_nameEdited)
        m_name->setText(remote ? suggestName(m_host->currentText()) : QStringLiteral("local"));
    setError(QString());
}

void AddSiteDialog::hostChanged(const QString &text)
{
    QString hint;
    for (const SshConfigHost &h : std::as_const(m_hosts))
        if (h.alias == text.trimmed())
            hint = h.summary().isEmpty() ? tr("from %1").arg(h.where)
                                         : tr("%1, from %2").arg(h.summary(), h.where);
    m_hostHint->setText(hint);
    if (!m_nameEdited)
        m_name->setText(suggestName(text));
}

Result<SiteSpec> AddSiteDialog::site() const
{
    SiteSpec spec;
    spec.name = m_name->text().trimmed();
    spec.kind = SiteSpec::Kind(m_kind->currentData().toInt());
    spec.runRoot = QStringLiteral("vigil-runs");
    spec.pollSeconds = m_poll->value() == kDefaultPoll ? 0 : m_poll->value();
    if (spec.kind != SiteSpec::Kind::Local) {
        Result<SiteSpec> parsed = parseSiteAddress(m_host->currentText(), spec);
        if (!parsed)
            return Error(tr("Host: %1").arg(parsed.errorString()), parsed.error().kind);
        spec = *parsed;
        spec.identityFile = m_identity->text().trimmed();
    }
    if (Result<void> valid = validateSite(spec); !valid)
        return valid.error();
    if (m_supervisor && m_supervisor->site(spec.name))
        return Error(tr("A site named \"%1\" already exists: choose another name.").arg(spec.name),
                     Error::Kind::AlreadyExists);
    return spec;
}

QString AddSiteDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void AddSiteDialog::setError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void AddSiteDialog::setSaving(bool saving)
{
    m_saving = saving;
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_kind, m_name, m_host, m_identity, m_poll, m_buttons})
        w->setEnabled(!saving);
    if (!saving)
        kindChanged();
}

void AddSiteDialog::accept()
{
    if (m_saving)
        return;
    const Result<SiteSpec> spec = site();
    if (!spec) {
        setError(spec.errorString());
        return;
    }
    setError(QString());
    setSaving(true);
    const QString path = m_registryPath;
    const SiteSpec s = *spec;
    inBackground<Result<void>>(
        this,
        [path, s]() -> Result<void> {
            SiteRegistry registry(path);
            if (Result<void> r = registry.load(); !r)
                return r;
            if (Result<void> r = registry.add(s); !r)
                return r;
            return registry.save();
        },
        [this, s](Result<void> r) { saved(s, r); });
}

void AddSiteDialog::saved(const SiteSpec &spec, const Result<void> &result)
{
    setSaving(false);
    if (!result) {
        const QString message =
            result.error().kind == Error::Kind::AlreadyExists
                ? tr("The site registry %1 already has a site named \"%2\": choose another name.")
                      .arg(m_registryPath, spec.name)
                : tr("Could not save the site: %1").arg(result.errorString());
        setError(message);
        Q_EMIT saveFailed(message);
        return;
    }
    if (m_supervisor)
        m_supervisor->addSite(spec);
    Q_EMIT siteAdded(spec.name);
    QDialog::accept();
}

void AddSiteDialog::reject()
{
    if (!m_saving) // the registry is being written: the site is added when it is done
        QDialog::reject();
}

} // namespace vigil
