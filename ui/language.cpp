// SPDX-License-Identifier: GPL-3.0-or-later
#include "language.h"

#include "settings.h"

#include <QActionGroup>
#include <QCoreApplication>
#include <QLibraryInfo>
#include <QMenu>
#include <QMessageBox>
#include <QTranslator>

namespace vigil {

QList<Language> availableLanguages()
{
    // Names in their own language: whoever reads the menu finds theirs.
    return {{QStringLiteral("en"), QStringLiteral("English")},
            {QStringLiteral("es"), QStringLiteral("Español")},
            {QStringLiteral("ca"), QStringLiteral("Català")}};
}

QLocale interfaceLocale()
{
    const QString chosen = settings::language.value();
    for (const Language &l : availableLanguages())
        if (l.code == chosen)
            return QLocale(chosen);
    return QLocale();
}

bool installTranslations(QCoreApplication *app, const QLocale &locale)
{
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return true;
    auto *qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    auto *own = new QTranslator(app);
    if (!own->load(locale, QStringLiteral("vigil"), QStringLiteral("_"),
                   QStringLiteral(":/i18n"))) {
        delete own;
        return false;
    }
    QCoreApplication::installTranslator(own);
    return true;
}

QMenu *languageMenu(QWidget *window)
{
    auto *menu = new QMenu(QCoreApplication::translate("vigil::Language", "&Language"), window);
    menu->setObjectName(QStringLiteral("languageMenu"));
    auto *group = new QActionGroup(menu);
    const QString chosen = settings::language.value();
    const auto add = [&](const QString &code, const QString &text) {
        QAction *a = menu->addAction(text);
        a->setObjectName(QStringLiteral("language-") +
                         (code.isEmpty() ? QStringLiteral("system") : code));
        a->setCheckable(true);
        a->setChecked(code == chosen);
        a->setData(code);
        group->addAction(a);
    };
    add(QString(), QCoreApplication::translate("vigil::Language", "System Default"));
    menu->addSeparator();
    for (const Language &l : availableLanguages())
        add(l.code, l.name);
    QObject::connect(group, &QActionGroup::triggered, menu, [window](QAction *a) {
        const QString code = a->data().toString();
        if (code == settings::language.value())
            return;
        settings::language.set(code);
        auto *box = new QMessageBox(
            QMessageBox::Information, QCoreApplication::translate("vigil::Language", "Language"),
            QCoreApplication::translate("vigil::Language",
                                        "Vigil will use %1 when it is started again.")
                .arg(a->text().remove(QLatin1Char('&'))),
            QMessageBox::Ok, window);
        box->setObjectName(QStringLiteral("languageChangedBox"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    return menu;
}

} // namespace vigil
