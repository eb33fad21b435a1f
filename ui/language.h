// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QLocale>
#include <QString>

class QCoreApplication;
class QMenu;
class QWidget;

namespace vigil {

// The languages Vigil speaks, the choice in the settings (ui/language: a
// language code, or empty for the system's), and the translators.
struct Language
{
    QString code; // "en", "es", "ca"
    QString name; // in that language: "English", "Español", "Català"
};

QList<Language> availableLanguages();

// The locale the interface uses: the one chosen in the settings when it is
// one of availableLanguages(), else the system's.
QLocale interfaceLocale();

// Loads Qt's and Vigil's translations for `locale` (Vigil's from :/i18n)
// into the application; English needs none. False when Vigil has no
// translation for that locale's language.
bool installTranslations(QCoreApplication *app, const QLocale &locale);

// A "Language" menu: the system's default, then each language, checkable;
// a choice is saved and takes effect when Vigil starts again (said in a
// message box parented to `window`).
QMenu *languageMenu(QWidget *window);

} // namespace vigil
