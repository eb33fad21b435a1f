// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/reminders.h"
#include "models/statefmt.h"

#include <QHash>
#include <QIcon>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <functional>

class QSystemTrayIcon;

namespace vigil {

class CheckpointsModel;
class NotificationsInterface;

// Desktop notifications: through org.freedesktop.Notifications on the
// session bus when a server answers there (with actions: Open, and Approve
// when a checkpoint has a one-click option), else through the system tray
// icon, else nowhere (never an error). Notifications that arrive together
// are merged into one. Runs can be muted (kept in the settings); reminders of
// pending checkpoints come as their deadline nears (Reminders' schedule).
class Notifier : public QObject
{
    Q_OBJECT
public:
    enum class Backend { None, Tray, DBus };
    Q_ENUM(Backend)

    struct Options
    {
        // Use the bus on the offscreen/minimal platforms too (tests: a
        // private bus). Otherwise a headless process notifies nowhere.
        bool busWhenHeadless = false;
        // The bus to use; empty: the session bus.
        QString busAddress;
        int batchMsec = 1500;     // notifications closer than this are merged
        int reminderMsec = 30000; // how often deadlines are looked at
        Clock clock;              // empty: the system clock
    };

    explicit Notifier(const QIcon &icon, QObject *parent = nullptr);
    Notifier(const QIcon &icon, Options options, QObject *parent = nullptr);
    ~Notifier() override;

    // None until the bus answered (or did not).
    Backend backend() const { return m_backend; }
    bool backendKnown() const { return !m_probing; }
    // The server shows the notifications' action buttons.
    bool hasActions() const { return m_actions; }

    void notify(const QString &title, const QString &body);
    // A checkpoint waits for a decision: Open, and Approve when it has a
    // one-click option. Nothing for a muted run.
    void notifyCheckpoint(const CheckpointInfo &checkpoint);
    // Shown as the tray icon's tooltip.
    void setStatus(const QString &status);

    // The option "Approve" chooses: the checkpoint's default option, when a
    // decision without parameters is valid (every parameter has a default);
    // empty otherwise.
    static QString oneClickOption(const CheckpointInfo &checkpoint);

    // Whether a site is read-only (a review bundle: Supervisor::isReadOnly).
    using ReadOnlySite = std::function<bool(const QString &site)>;

    // Reminds of the pending checkpoints of `model` as their deadlines near,
    // except those of the sites `readOnly` names: a review bundle's
    // checkpoints cannot be decided.
    void followDeadlines(CheckpointsModel *model, ReadOnlySite readOnly = {});
    // Looks at the deadlines now (the timer does it every reminderMsec).
    void checkReminders();

    bool isRunMuted(const QString &runId) const { return m_muted.contains(runId); }
    QStringList mutedRuns() const;

public Q_SLOTS:
    void setRunMuted(const QString &runId, bool muted);

Q_SIGNALS:
    // The user clicked the tray icon or a merged notification.
    void activated();
    // The user chose Open (or clicked) on one checkpoint's notification.
    void openRequested(const QString &checkpointKey);
    // The user chose Approve: decide `option` on the checkpoint.
    void approveRequested(const QString &checkpointKey, const QString &option);
    void runMutedChanged(const QString &runId, bool muted);
    void backendChanged(vigil::Notifier::Backend backend);

private:
    struct Note
    {
        QString key; // checkpoint; empty: not about one checkpoint
        QString runId;
        QString title;
        QString body;
        QString approveOption;
        QString approveLabel;
        Reminders::Urgency urgency = Reminders::Urgency::Normal;
    };
    struct Shown
    {
        QString key;
        QString approveOption;
    };

    void probeBus();
    void useTrayOrNothing();
    void setBackend(Backend backend);
    void queue(Note note);
    void flush();
    void sendDBus(const Note &note, const QStringList &actions);
    void actionInvoked(uint id, const QString &action);
    Note checkpointNote(const CheckpointInfo &checkpoint, const QString &title) const;

    Options m_options;
    Backend m_backend = Backend::None;
    bool m_probing = false;
    bool m_actions = false;
    QIcon m_icon;
    QSystemTrayIcon *m_tray = nullptr;
    NotificationsInterface *m_bus = nullptr;
    QTimer m_batch;
    QTimer m_reminderTimer;
    QList<Note> m_queue;
    QHash<uint, Shown> m_shown;    // notification id -> what its actions act on
    QHash<QString, uint> m_lastId; // checkpoint key -> its last notification
    QString m_trayKey;             // the checkpoint of the tray's last message
    QSet<QString> m_muted;
    QPointer<CheckpointsModel> m_checkpoints;
    ReadOnlySite m_readOnly;
    Reminders m_reminders;
};

} // namespace vigil
