// SPDX-License-Identifier: GPL-3.0-or-later
// The user's TOML files beside the workflows: sites.toml
// (vigil::parseSiteTables, the site registry's format) and webhooks.toml
// (vigil::webhookconfig::parse). The same bytes go to both.
//
// Oracle: an error says SOURCE:LINE:COL; what is accepted passes
// validateSite / webhookconfig::validate, and is written back (SiteRegistry::
// format, webhookconfig::format) as text that parses to the same value and is
// written identically again.

#include "fuzzcheck.h"
#include "notify/webhookconfig.h"
#include "sites/siteregistry.h"
#include "workflow/workflow.h"

namespace {

void checkError(const QString &message, const QString &source)
{
    // "SOURCE:LINE:COL: what" (the column may be missing for a whole-file problem).
    FUZZ_CHECK(message.startsWith(source + QLatin1Char(':')));
    FUZZ_CHECK(message.size() > source.size() + 2);
}

void checkSites(const QByteArray &input)
{
    const QString source = QStringLiteral("sites.toml");
    const auto sites = vigil::parseSiteTables(input, source);
    if (!sites) {
        checkError(sites.errorString(), source);
        return;
    }
    for (const vigil::SiteSpec &s : *sites)
        FUZZ_CHECK(vigil::validateSite(s).ok());
    const QByteArray written = vigil::SiteRegistry::format(*sites);
    const auto again = vigil::parseSiteTables(written, QStringLiteral("written.toml"));
    if (!again)
        std::fprintf(stderr, "re-reading sites failed: %s\n%s\n", qPrintable(again.errorString()),
                     written.constData());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(*again == *sites);
    FUZZ_CHECK(vigil::SiteRegistry::format(*again) == written);
}

void checkWebhooks(const QByteArray &input)
{
    namespace wc = vigil::webhookconfig;
    const QString source = QStringLiteral("webhooks.toml");
    const auto hooks = wc::parse(input, source);
    if (!hooks) {
        checkError(hooks.errorString(), source);
        return;
    }
    for (const vigil::WebhookTarget &w : *hooks) {
        FUZZ_CHECK(wc::validate(w).ok());
        // A Slack/Mattermost URL is a secret: never read from the file.
        FUZZ_CHECK(w.kind == vigil::WebhookTarget::Kind::Ntfy || w.url.isEmpty());
    }
    const QByteArray written = wc::format(*hooks);
    const auto again = wc::parse(written, QStringLiteral("written.toml"));
    if (!again)
        std::fprintf(stderr, "re-reading webhooks failed: %s\n%s\n",
                     qPrintable(again.errorString()), written.constData());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(*again == *hooks);
    FUZZ_CHECK(wc::format(*again) == written);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    checkSites(input);
    checkWebhooks(input);
    return 0;
}
