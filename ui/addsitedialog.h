// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "sites/siteregistry.h"
#include "ssh/sshhosts.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace vigil {

class Supervisor;

// "Add Site…": a SLURM cluster, an SSH host or this computer, by a Host alias
// of the ssh_config file (listed from the Supervisor's sshConfigFile, else
// ~/.ssh/config) or a typed [user@]host[:port]. OK checks the site with the
// registry's rules and shows what is wrong in the dialog; a good site is
// saved to the site registry on a pool thread, then added to the Supervisor
// (which connects: an unknown host key is asked about as usual).
class AddSiteDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AddSiteDialog(Supervisor *supervisor, QWidget *parent = nullptr,
                           QString registryPath = SiteRegistry::defaultPath());

    // The site the fields describe, or what is wrong with it.
    Result<SiteSpec> site() const;
    // The problem shown in the dialog; empty when none is.
    QString errorText() const;
    // The Host aliases offered (once loaded: hostsLoaded()).
    QList<SshConfigHost> configHosts() const { return m_hosts; }

public Q_SLOTS:
    void accept() override;
    void reject() override;

Q_SIGNALS:
    void hostsLoaded();
    // The site was saved to the registry and added to the Supervisor.
    void siteAdded(const QString &name);
    // Saving failed (the message is shown in the dialog too).
    void saveFailed(const QString &message);

private:
    void loadHosts();
    void kindChanged();
    void hostChanged(const QString &text);
    void setError(const QString &message);
    void setSaving(bool saving);
    void saved(const SiteSpec &spec, const Result<void> &result);

    QPointer<Supervisor> m_supervisor;
    QString m_registryPath;
    QComboBox *m_kind;
    QLineEdit *m_name;
    QComboBox *m_host;
    QLabel *m_hostHint;
    QLineEdit *m_identity;
    QSpinBox *m_poll;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    QList<SshConfigHost> m_hosts;
    bool m_nameEdited = false; // the user typed a name: it is not suggested any more
    bool m_saving = false;
};

} // namespace vigil
