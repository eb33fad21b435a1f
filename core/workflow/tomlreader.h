// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Reading Vigil's TOML files (workflows, the site registry) with errors that
// say FILE:LINE:COL. Internal to core/workflow.

#include "protocol/ids.h"
#include "result.h"

#include <QString>
#include <QStringList>
#include <string_view>
#include <toml++/toml.h>

namespace vigil {

struct SiteSpec;

namespace workflowtoml {

inline QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

class Reader
{
public:
    explicit Reader(QString source) : m_source(std::move(source)) {}

    Error error(const toml::node *node, const QString &what) const
    {
        if (node && node->source().begin) {
            const auto &b = node->source().begin;
            return Error(
                QStringLiteral("%1:%2:%3: %4").arg(m_source).arg(b.line).arg(b.column).arg(what),
                Error::Kind::Malformed);
        }
        return Error(QStringLiteral("%1: %2").arg(m_source, what), Error::Kind::Malformed);
    }

    // Rejects keys the format does not know: a typo must not be silently ignored.
    Result<void> onlyKeys(const toml::table &t, std::initializer_list<std::string_view> allowed,
                          const QString &where) const
    {
        for (const auto &[k, v] : t) {
            bool known = false;
            for (auto a : allowed)
                known = known || a == k.str();
            if (!known) {
                const QString msg =
                    QStringLiteral("unknown key \"%1\" in %2").arg(qs(k.str()), where);
                if (k.source().begin)
                    return Error(QStringLiteral("%1:%2:%3: %4")
                                     .arg(m_source)
                                     .arg(k.source().begin.line)
                                     .arg(k.source().begin.column)
                                     .arg(msg),
                                 Error::Kind::Malformed);
                return error(&v, msg);
            }
        }
        return {};
    }

    Result<QString> string(const toml::table &t, std::string_view key, const QString &where,
                           bool required = false) const
    {
        const toml::node *n = t.get(key);
        if (!n) {
            if (required)
                return error(&t, QStringLiteral("%1 needs \"%2\"").arg(where, qs(key)));
            return QString();
        }
        if (!n->is_string())
            return error(n, QStringLiteral("%1.%2 must be a string").arg(where, qs(key)));
        return qs(n->as_string()->get());
    }

    Result<QStringList> stringList(const toml::table &t, std::string_view key,
                                   const QString &where) const
    {
        const toml::node *n = t.get(key);
        QStringList out;
        if (!n)
            return out;
        const toml::array *a = n->as_array();
        if (!a)
            return error(n,
                         QStringLiteral("%1.%2 must be an array of strings").arg(where, qs(key)));
        for (const toml::node &e : *a) {
            if (!e.is_string())
                return error(&e,
                             QStringLiteral("%1.%2 must contain only strings").arg(where, qs(key)));
            out << qs(e.as_string()->get());
        }
        return out;
    }

    Result<void> validId(const toml::node *n, const QString &id, const QString &what) const
    {
        if (auto r = protocol::validateId(id.toStdString(), what.toStdString()); !r)
            return error(n, QString::fromStdString(r.errorString()));
        return {};
    }

private:
    QString m_source;
};

// A [sites.NAME] table: kind, host, run_root, partition, account,
// container_runtime and the connection fields, validated.
Result<SiteSpec> readSite(const Reader &rd, const QString &name, const toml::node &node);

} // namespace workflowtoml
} // namespace vigil
