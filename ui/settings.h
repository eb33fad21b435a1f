// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace vigil::settings {

// A typed QSettings key with its default: every key the GUI stores is below.
template <typename T> class Key
{
public:
    Key(const char *name, T def = T()) : m_name(name), m_default(std::move(def)) {}

    QString name() const { return QString::fromLatin1(m_name); }
    T value() const
    {
        return QSettings().value(name(), QVariant::fromValue(m_default)).template value<T>();
    }
    void set(const T &v) const { QSettings().setValue(name(), QVariant::fromValue(v)); }

private:
    const char *m_name;
    T m_default;
};

inline const Key<QByteArray> windowGeometry("window/geometry");
inline const Key<QByteArray> windowState("window/state");
inline const Key<QByteArray> jobsHeader("jobs/header");
inline const Key<QByteArray> runsHeader("runs/header");
inline const Key<bool> inboxShowAll("inbox/showAll", false);
// The interface's language code ("es", "ca", "en"); empty: the system's.
inline const Key<QString> language("ui/language");
// Runs whose checkpoints are not notified (run ids).
inline const Key<QStringList> mutedRuns("notifications/mutedRuns");

} // namespace vigil::settings
