// SPDX-License-Identifier: GPL-3.0-or-later
// vigilctl: the sites in scope (a workflow's, the registry's, --site) and
// their supervisor; the site registry (site add, list, remove), one site's
// test and the helper's deployment.
#include "ctlcommands.h"
#include "ctloutput.h"
#include "ctlprobe.h"
#include "sites/site.h"
#include "store/store.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTimer>
#include <memory>
#include <utility>

namespace vigil::ctl {

namespace {

// A file named on the command line, for a registry that outlives this
// directory: made absolute, except ~/... which stays the user's home.
QString storedPath(const QString &path)
{
    if (path.isEmpty() || path.startsWith(QLatin1String("~/")))
        return path;
    return QFileInfo(path).absoluteFilePath();
}

QString expandHome(const QString &path)
{
    return path.startsWith(QLatin1String("~/")) ? QDir::homePath() + path.mid(1) : path;
}

// --port and --poll: an integer within [lo, hi], or an error message.
std::optional<int> intOption(const QString &value, int lo, int hi)
{
    bool ok = false;
    const int v = value.toInt(&ok);
    if (!ok || v < lo || v > hi)
        return std::nullopt;
    return v;
}

// Every command that reads the sites first lets the supervisor send what
// the outbox still holds for them (it does so on connecting: decisions of an
// earlier vigilctl or GUI that never reached their site), and waits until
// each of those tries has ended before it goes on, so that the program does
// not exit in the middle of one. It says on stderr what became of each.
class OutboxDrain : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxWaitMs = 60000;

    OutboxDrain(Store *store, QObject *parent) : QObject(parent), m_store(store)
    {
        connect(store, &Store::sendAttemptEnded, this, [this](const QString &id) {
            m_ended.insert(id);
            if (m_waiting.remove(id) && m_waiting.isEmpty())
                report();
        });
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &OutboxDrain::report);
    }

    // `then` runs once every unconfirmed decision of `sites` has been tried
    // by this program (or after kMaxWaitMs).
    void whenTried(const QSet<QString> &sites, std::function<void()> then)
    {
        m_sites = sites;
        m_then = std::move(then);
        m_store->outbox(this, [this](Result<QList<OutboxEntry>> r) {
            if (r)
                for (const OutboxEntry &e : std::as_const(*r))
                    if (m_sites.contains(e.site) && isOpen(e) && !m_ended.contains(e.decisionId))
                        m_waiting.insert(e.decisionId);
            if (m_waiting.isEmpty())
                report();
            else
                m_timer.start(kMaxWaitMs);
        });
    }

private:
    static bool isOpen(const OutboxEntry &e)
    {
        return e.state == OutboxEntry::State::Queued || e.state == OutboxEntry::State::Sent;
    }

    void report()
    {
        m_timer.stop();
        if (!m_then)
            return;
        m_store->outbox(this, [this](Result<QList<OutboxEntry>> r) {
            if (r)
                for (const OutboxEntry &e : std::as_const(*r))
                    if (m_sites.contains(e.site) && !m_reported.contains(e.decisionId) &&
                        (m_ended.contains(e.decisionId) || m_waiting.contains(e.decisionId))) {
                        m_reported.insert(e.decisionId);
                        err(describe(e));
                    }
            m_waiting.clear();
            if (auto then = std::exchange(m_then, nullptr))
                then();
        });
    }

    QString describe(const OutboxEntry &e) const
    {
        const QString which =
            QStringLiteral("decision %1 on %2/%3/%4 (option %5) from the outbox")
                .arg(e.decisionId, e.site, e.runId, e.checkpointId, printable(e.option));
        switch (e.state) {
        case OutboxEntry::State::Confirmed:
            return QStringLiteral("%1: written").arg(which);
        case OutboxEntry::State::Lost:
            return QStringLiteral("%1: not applied, %2 decided first (option %3)")
                .arg(which, printable(e.winnerBy), printable(e.winnerOption));
        case OutboxEntry::State::Failed:
            return QStringLiteral("%1: cannot be written: %2").arg(which, e.lastError);
        case OutboxEntry::State::Queued:
        case OutboxEntry::State::Sent:
            break;
        }
        return QStringLiteral("%1: %2; it stays in the outbox")
            .arg(which, m_waiting.contains(e.decisionId)
                            ? QStringLiteral("still being sent after %1 s").arg(kMaxWaitMs / 1000)
                            : QStringLiteral("not sent (%1)").arg(e.lastError));
    }

    QPointer<Store> m_store;
    QSet<QString> m_sites;
    QSet<QString> m_ended;   // decisions whose try ended in this program
    QSet<QString> m_waiting; // tries still going on
    QSet<QString> m_reported;
    std::function<void()> m_then;
    QTimer m_timer;
};

} // namespace

void Command::runSiteCommand()
{
    const QString sub = m_args.value(1);
    const bool named = sub == QLatin1String("add") || sub == QLatin1String("remove") ||
                       sub == QLatin1String("test");
    if (!named && sub != QLatin1String("list")) {
        fail(
            sub.isEmpty()
                ? QStringLiteral("site needs add, list, remove or test (see --help)")
                : QStringLiteral("unknown site command \"%1\": add, list, remove or test").arg(sub),
            Usage);
        return;
    }
    if (named && m_args.size() != 3) {
        fail(QStringLiteral("site %1 takes one NAME: vigilctl site %1 NAME").arg(sub), Usage);
        return;
    }
    if (!named && m_args.size() != 2) {
        fail(QStringLiteral("site list takes no argument (\"%1\"?)").arg(m_args.value(2)), Usage);
        return;
    }
    const QString workflow = option(QStringLiteral("workflow"));
    if (!workflow.isEmpty()) {
        if (sub == QLatin1String("add") || sub == QLatin1String("remove")) {
            fail(QStringLiteral("site %1 edits the site registry only: --workflow does not apply")
                     .arg(sub),
                 Usage);
            return;
        }
        if (!loadWorkflowFile(workflow))
            return;
    }
    if (sub == QLatin1String("add"))
        doSiteAdd(m_args[2]);
    else if (sub == QLatin1String("remove"))
        doSiteRemove(m_args[2]);
    else if (sub == QLatin1String("test"))
        doSiteTest(m_args[2]);
    else
        doSiteList();
}

void Command::doSiteAdd(const QString &name)
{
    SiteSpec s;
    s.name = name;
    const QString kind = option(QStringLiteral("kind"));
    if (kind == QLatin1String("slurm"))
        s.kind = SiteSpec::Kind::Slurm;
    else if (kind == QLatin1String("ssh"))
        s.kind = SiteSpec::Kind::Ssh;
    else if (kind == QLatin1String("local"))
        s.kind = SiteSpec::Kind::Local;
    else {
        fail(kind.isEmpty()
                 ? QStringLiteral("site add needs --kind slurm, ssh or local")
                 : QStringLiteral("--kind is \"%1\"; expected slurm, ssh or local").arg(kind),
             Usage);
        return;
    }
    s.host = option(QStringLiteral("host"));
    s.user = option(QStringLiteral("user"));
    s.identityFile = storedPath(option(QStringLiteral("identity")));
    s.knownHostsFile = storedPath(option(QStringLiteral("known-hosts")));
    s.proxyJump = option(QStringLiteral("proxy-jump"));
    s.runRoot = option(QStringLiteral("run-root"));
    if (s.runRoot.isEmpty())
        s.runRoot = QStringLiteral("vigil-runs");
    s.partition = option(QStringLiteral("partition"));
    s.account = option(QStringLiteral("account"));
    if (isSet(QStringLiteral("port"))) {
        const auto port = intOption(option(QStringLiteral("port")), 1, 65535);
        if (!port) {
            fail(QStringLiteral("--port must be a number from 1 to 65535, not \"%1\"")
                     .arg(option(QStringLiteral("port"))),
                 Usage);
            return;
        }
        s.port = *port;
    }
    if (isSet(QStringLiteral("poll"))) {
        const auto poll = intOption(option(QStringLiteral("poll")), SiteSpec::kMinPollSeconds,
                                    SiteSpec::kMaxPollSeconds);
        if (!poll) {
            fail(QStringLiteral("--poll must be a number of seconds from %1 to %2, not \"%3\"")
                     .arg(SiteSpec::kMinPollSeconds)
                     .arg(SiteSpec::kMaxPollSeconds)
                     .arg(option(QStringLiteral("poll"))),
                 Usage);
            return;
        }
        s.pollSeconds = *poll;
    }
    if (s.kind != SiteSpec::Kind::Local && s.host.isEmpty()) {
        fail(QStringLiteral("a site of kind %1 needs --host (an ssh_config alias or a host "
                            "name)")
                 .arg(kind),
             Usage);
        return;
    }
    if (!loadRegistry(true))
        return;
    const bool existed = m_registry.site(name) != nullptr;
    if (auto r = m_registry.add(s, isSet(QStringLiteral("replace"))); !r) {
        fail(r.errorString(), r.error().kind == Error::Kind::AlreadyExists ? Failed : Usage);
        return;
    }
    if (auto r = m_registry.save(); !r) {
        fail(r.errorString());
        return;
    }
    for (const QString &f : {s.identityFile, s.knownHostsFile})
        if (!f.isEmpty() && !QFileInfo::exists(expandHome(f)))
            err(QStringLiteral("warning: %1 does not exist (yet)").arg(f));
    const QString action = existed ? QStringLiteral("replaced") : QStringLiteral("added");
    if (isSet(QStringLiteral("json")))
        outJson(QJsonDocument(
            QJsonObject{{QStringLiteral("action"), action},
                        {QStringLiteral("registry"), m_registry.path()},
                        {QStringLiteral("site"), siteJson(s, QStringLiteral("registry"))}}));
    else
        out(QStringLiteral("%1 site %2 (%3, %4) in %5")
                .arg(action, name, kind, siteAddress(s), m_registry.path()));
    finish(Ok);
}

void Command::doSiteList()
{
    if (!loadRegistry(true))
        return;
    QList<QPair<SiteSpec, QString>> rows;
    for (const SiteSpec &s : std::as_const(m_workflow.sites))
        rows << qMakePair(s, QStringLiteral("workflow"));
    for (const SiteSpec &s :
         mergeSites(m_workflow.sites, m_registry.sites()).mid(m_workflow.sites.size()))
        rows << qMakePair(s, QStringLiteral("registry"));
    if (isSet(QStringLiteral("json"))) {
        QJsonArray arr;
        for (const auto &[s, source] : std::as_const(rows))
            arr << siteJson(s, source);
        outJson(QJsonDocument(QJsonObject{{QStringLiteral("registry"), m_registry.path()},
                                          {QStringLiteral("workflow"), m_workflowPath},
                                          {QStringLiteral("sites"), arr}}));
        finish(Ok);
        return;
    }
    if (rows.isEmpty()) {
        out(QStringLiteral("no sites in %1 (add one with `vigilctl site add NAME --kind ...`)")
                .arg(m_registry.path()));
        finish(Ok);
        return;
    }
    out(QStringLiteral("NAME\tKIND\tADDRESS\tIDENTITY\tRUN_ROOT\tPARTITION\tPOLL\tSOURCE"));
    for (const auto &[s, source] : std::as_const(rows))
        out(QStringList{s.name, siteKindName(s.kind), siteAddress(s), orDash(s.identityFile),
                        s.runRoot, orDash(s.partition),
                        QStringLiteral("%1s").arg(
                            s.pollSeconds > 0 ? s.pollSeconds : SiteSpec::kDefaultPollSeconds),
                        source}
                .join(QLatin1Char('\t')));
    finish(Ok);
}

void Command::doSiteRemove(const QString &name)
{
    if (!loadRegistry(true))
        return;
    if (auto r = m_registry.remove(name); !r) {
        fail(r.errorString());
        return;
    }
    if (auto r = m_registry.save(); !r) {
        fail(r.errorString());
        return;
    }
    if (isSet(QStringLiteral("json")))
        outJson(QJsonDocument(QJsonObject{{QStringLiteral("action"), QStringLiteral("removed")},
                                          {QStringLiteral("registry"), m_registry.path()},
                                          {QStringLiteral("site"), name}}));
    else
        out(QStringLiteral("removed site %1 from %2").arg(name, m_registry.path()));
    finish(Ok);
}

// The workflow's site of that name, else the registry's.
const SiteSpec *Command::findSite(const QString &name)
{
    if (const SiteSpec *s = m_workflow.site(name))
        return s;
    return m_registryLoaded ? m_registry.site(name) : nullptr;
}

void Command::doSiteTest(const QString &name)
{
    if (!loadRegistry(false))
        return;
    const SiteSpec *spec = findSite(name);
    if (!spec) {
        fail(QStringLiteral("no site \"%1\" in %2").arg(name, whereSitesAre()));
        return;
    }
    auto *probe = new SiteProbe(*spec, option(QStringLiteral("ssh-config")),
                                isSet(QStringLiteral("accept-new-host-key")), this);
    connect(probe, &SiteProbe::finished, this, [this](const ProbeReport &report) {
        if (isSet(QStringLiteral("json")))
            outJson(QJsonDocument(report.toJson()));
        else
            for (const QString &line : report.toLines())
                out(line);
        if (report.ok())
            finish(Ok);
        else
            fail(QStringLiteral("site %1: %2").arg(report.site, report.error));
    });
    probe->start();
}

void Command::runHelperCommand()
{
    if (m_args.value(1) != QLatin1String("deploy") || m_args.size() != 2) {
        fail(QStringLiteral("expected: vigilctl helper deploy --site NAME"), Usage);
        return;
    }
    const QString workflow = option(QStringLiteral("workflow"));
    if (!workflow.isEmpty() && !loadWorkflowFile(workflow))
        return;
    if (!resolveSites())
        return;
    if (m_sites.size() != 1) {
        fail(QStringLiteral("helper deploy needs --site (there are %1 sites)").arg(m_sites.size()),
             Usage);
        return;
    }
    startSupervisor(m_sites);
    doHelperDeploy();
}

void Command::doHelperDeploy()
{
    Site *site = m_supervisor->site(m_sites.first().name);
    site->whenConnected(this, [this, site](Result<void> connected) {
        if (!connected) {
            fail(QStringLiteral("site %1: %2").arg(site->name(), connected.errorString()));
            return;
        }
        // What is there first, to tell an upload from a helper already in place.
        const QString dir = remoteHelperDirectory(site->transport()->homeDirectory());
        site->transport()->listDirectory(dir, this, [this, site](Result<QList<FileEntry>> before) {
            QStringList present;
            if (before)
                for (const FileEntry &e : *before)
                    present << e.name;
            site->ensureHelper(this, [this, site, present](Result<QString> path) {
                if (!path) {
                    fail(QStringLiteral("site %1: %2").arg(site->name(), path.errorString()));
                    return;
                }
                const bool uploaded = site->spec().kind != SiteSpec::Kind::Local &&
                                      !present.contains(path->section(QLatin1Char('/'), -1));
                if (isSet(QStringLiteral("json")))
                    outJson(QJsonDocument(
                        QJsonObject{{QStringLiteral("site"), site->name()},
                                    {QStringLiteral("path"), *path},
                                    {QStringLiteral("version"), site->helperVersion()},
                                    {QStringLiteral("uploaded"), uploaded}}));
                else
                    out(QStringLiteral("%1 at %2 on %3 (%4)")
                            .arg(site->helperVersion(), *path, site->name(),
                                 uploaded ? QStringLiteral("uploaded")
                                          : QStringLiteral("already there")));
                finish(Ok);
            });
        });
    });
}

bool Command::loadWorkflowFile(const QString &path)
{
    auto wf = loadWorkflow(path);
    if (!wf) {
        fail(wf.errorString());
        return false;
    }
    m_workflowPath = path;
    m_workflow = *wf;
    return true;
}

// The registry, once. A broken registry stops the commands that need it; with
// a workflow at hand the others go on with its sites and say why.
bool Command::loadRegistry(bool required)
{
    if (m_registryLoaded)
        return true;
    if (auto r = m_registry.load(); !r) {
        if (required || m_workflowPath.isEmpty()) {
            fail(r.errorString());
            return false;
        }
        err(QStringLiteral("warning: %1 (the registry's sites are left out)").arg(r.errorString()));
        return true;
    }
    m_registryLoaded = true;
    return true;
}

QString Command::whereSitesAre() const
{
    return m_workflowPath.isEmpty() ? QStringLiteral("the site registry %1").arg(m_registry.path())
                                    : QStringLiteral("workflow %1 or the site registry %2")
                                          .arg(m_workflowPath, m_registry.path());
}

// --site-override NAME=SITE: the workflow's site NAME becomes the registry's
// site SITE (its connection and defaults), still called NAME.
bool Command::applySiteOverrides()
{
    const QStringList overrides = m_parser.values(QStringLiteral("site-override"));
    if (overrides.isEmpty())
        return true;
    if (m_workflowPath.isEmpty()) {
        fail(QStringLiteral("--site-override needs a workflow"), Usage);
        return false;
    }
    for (const QString &o : overrides) {
        const qsizetype eq = o.indexOf(QLatin1Char('='));
        const QString name = o.left(eq).trimmed();
        const QString target = o.mid(eq + 1).trimmed();
        if (eq <= 0 || name.isEmpty() || target.isEmpty()) {
            fail(QStringLiteral("--site-override %1: expected NAME=SITE").arg(printable(o)), Usage);
            return false;
        }
        auto it = std::find_if(m_workflow.sites.begin(), m_workflow.sites.end(),
                               [&](const SiteSpec &s) { return s.name == name; });
        if (it == m_workflow.sites.end()) {
            fail(QStringLiteral("--site-override %1: workflow %2 has no site \"%3\"")
                     .arg(printable(o), m_workflowPath, printable(name)));
            return false;
        }
        const SiteSpec *from = m_registryLoaded ? m_registry.site(target) : nullptr;
        if (!from) {
            fail(QStringLiteral("--site-override %1: no site \"%2\" in the site registry %3")
                     .arg(printable(o), printable(target), m_registry.path()));
            return false;
        }
        SiteSpec replaced = *from;
        replaced.name = name;
        *it = replaced;
        m_sitesOverridden = true;
    }
    return true;
}

// The sites in scope: the workflow's, then the registry's, limited by --site.
bool Command::resolveSites()
{
    if (!loadRegistry(false))
        return false;
    if (!applySiteOverrides())
        return false;
    m_sites =
        mergeSites(m_workflow.sites, m_registryLoaded ? m_registry.sites() : QList<SiteSpec>());
    const QString only = option(QStringLiteral("site"));
    if (!only.isEmpty()) {
        QList<SiteSpec> one;
        for (const SiteSpec &s : std::as_const(m_sites))
            if (s.name == only)
                one << s;
        if (one.isEmpty()) {
            fail(QStringLiteral("no site \"%1\" in %2").arg(only, whereSitesAre()));
            return false;
        }
        m_sites = one;
    }
    if (m_sites.isEmpty()) {
        fail(QStringLiteral("no sites: add one with `vigilctl site add NAME --kind ...` (the "
                            "registry is %1) or name a workflow")
                 .arg(m_registry.path()));
        return false;
    }
    return true;
}

void Command::startSupervisor(const QList<SiteSpec> &sites)
{
    SupervisorOptions opts;
    opts.sshConfigFile = option(QStringLiteral("ssh-config"));
    opts.hostKeyPolicy = hostKeyPolicy();
    opts.pollSeconds = std::max(1, option(QStringLiteral("poll")).toInt());
    const bool pollGiven = isSet(QStringLiteral("poll"));
    m_supervisor = new Supervisor(opts, this);
    // Before any site connects: every try of this program is seen.
    if (Store *store = Store::applicationStore())
        new OutboxDrain(store, m_supervisor);
    for (SiteSpec s : sites) {
        if (pollGiven)
            s.pollSeconds = 0; // --poll wins over the sites' own interval
        m_supervisor->addSite(s);
    }
}

// One refresh of every site, then the tries of the outbox's decisions for
// them; fails on the first site that cannot be read.
void Command::refreshAll(std::function<void()> then)
{
    if (auto *drain =
            m_supervisor->findChild<OutboxDrain *>(QString(), Qt::FindDirectChildrenOnly)) {
        QSet<QString> names;
        for (const SiteSpec &s : std::as_const(m_sites))
            names.insert(s.name);
        then = [drain, names, then = std::move(then)] { drain->whenTried(names, then); };
    }
    auto remaining = std::make_shared<QSet<QString>>();
    for (const SiteSpec &s : std::as_const(m_sites))
        remaining->insert(s.name);
    if (remaining->isEmpty()) {
        then();
        return;
    }
    auto conn = std::make_shared<QMetaObject::Connection>();
    *conn = connect(m_supervisor, &Supervisor::refreshed, this,
                    [this, remaining, conn, then](const QString &site, bool ok) {
                        if (!remaining->remove(site))
                            return;
                        if (!ok) {
                            disconnect(*conn);
                            fail(QStringLiteral("site %1: %2")
                                     .arg(site, m_supervisor->siteStatus(site).lastError));
                            return;
                        }
                        if (remaining->isEmpty()) {
                            disconnect(*conn);
                            then();
                        }
                    });
    m_supervisor->refresh();
}

} // namespace vigil::ctl

#include "ctlsites.moc"
