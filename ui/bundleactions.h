// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// File > Export Run… and File > Open Review Bundle… (docs/bundles.md): the
// file dialogs, then the work off the GUI thread, listed with its progress
// and Cancel in the Supervisor's operations (the status bar shows them).
// Failures go to the Issues list. Opened bundles are extracted into private
// temporary directories, removed when this object goes; a bundle still being
// opened then is cancelled, and what it extracted removed.

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <memory>

class QWidget;

namespace vigil {

class Supervisor;

class BundleActions : public QObject
{
    Q_OBJECT
public:
    BundleActions(Supervisor *supervisor, QWidget *window);
    ~BundleActions() override;

    // Asks where (RUN.tar.zst in the home directory; .zip offered), then exports.
    void exportRun(const QString &site, const QString &runId);
    void exportRunTo(const QString &site, const QString &runId, const QString &file);
    // Asks for a bundle, then opens it.
    void openBundle();
    void openBundleFile(const QString &file);

Q_SIGNALS:
    void exported(const QString &file);
    // The bundle is shown as the read-only site `site`, holding run `runId`.
    void opened(const QString &file, const QString &site, const QString &runId);
    void failed(const QString &message);

private:
    struct Opening;
    void report(const QString &subject, const QString &message);

    Supervisor *m_supervisor;
    QPointer<QWidget> m_window;
    QStringList m_extracted;                   // directories to remove
    QList<std::shared_ptr<Opening>> m_opening; // bundles being opened
};

} // namespace vigil
