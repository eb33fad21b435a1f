// SPDX-License-Identifier: GPL-3.0-or-later
#include "datamover.h"

#include "logging.h"
#include "shellquote.h"
#include "site.h"
#include "transport.h"

#include <QFileInfo>
#include <QProcess>
#include <QTimer>
#include <algorithm>
#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace vigil {

namespace {

constexpr qint64 kChunk = qint64(1024) * 1024;
constexpr qsizetype kMaxStderr = 8 * 1024;
// After SIGTERM, rsync gets this long to remove its temporary file and exit.
constexpr int kTermGraceMs = 5000;

QString parentOf(const QString &path)
{
    return QFileInfo(path).path();
}

QString join(const QString &dir, const QString &name)
{
    return dir.endsWith(QLatin1Char('/')) ? QString(dir + name)
                                          : QString(dir + QLatin1Char('/') + name);
}

// One word of rsync's -e command: rsync splits it at spaces and honours
// single quotes, but has no escape for a quote inside quotes.
Result<QString> rsyncShellWord(const QString &word)
{
    if (word.contains(QLatin1Char('\'')) || word.contains(QLatin1Char('\\')) ||
        word.contains(QLatin1Char('\n')))
        return Error(QObject::tr("rsync's -e option cannot carry %1 (a quote, a backslash or a "
                                 "newline)")
                         .arg(shellQuote(word)));
    return shellQuote(word);
}

QString lastLine(const QByteArray &text)
{
    const QList<QByteArray> lines = text.trimmed().split('\n');
    return lines.isEmpty() ? QString() : QString::fromUtf8(lines.last()).trimmed();
}

} // namespace

DataMover::DataMover(DataMoveOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{}

DataMover::~DataMover()
{
    if (m_rsync) {
        m_rsync->disconnect(this);
        signalRsync(SIGKILL); // with its ssh; ~QProcess (a child of this object) reaps it
    }
}

void DataMover::cancel()
{
    if (!m_done || m_cancelled)
        return;
    m_cancelled = true;
    qCInfo(lcSite).noquote() << "moving" << m_source << "cancelled";
    if (!m_rsync) {
        // The copy through the connections stops at its next step, which may
        // be far off (a site still connecting, a sign-in dialog open): the
        // move ends now, and whatever answers later finds it ended.
        QTimer::singleShot(0, this, [this] { cancelled(); });
        return;
    }
    // rsync and the ssh it started, in their own process group: SIGTERM lets
    // rsync remove its temporary file; the finished() handler reports.
    signalRsync(SIGTERM);
    QTimer::singleShot(kTermGraceMs, m_rsync, [this, p = QPointer<QProcess>(m_rsync)] {
        if (p && p == m_rsync)
            signalRsync(SIGKILL);
    });
}

void DataMover::signalRsync(int signal)
{
    const qint64 pid = m_rsync ? m_rsync->processId() : 0;
    if (pid <= 0)
        return;
    // The group, unless the child has not made it yet: then rsync alone.
    if (::kill(-pid_t(pid), signal) != 0)
        ::kill(pid_t(pid), signal);
}

bool DataMover::cancelled()
{
    if (!m_cancelled)
        return false;
    fail(tr("moving %1 from site %2 was cancelled")
             .arg(m_source, m_from ? m_from->name() : QString()),
         Error::Kind::Cancelled);
    return true;
}

Result<QStringList> DataMover::rsyncArguments(const DataMoveOptions &options,
                                              const SiteSpec &remote, bool upload, bool directory,
                                              const QString &localPath, const QString &remotePath)
{
    if (remote.host.isEmpty() || remote.host.startsWith(QLatin1Char('-')) ||
        remote.host.contains(QLatin1Char(':')) || remote.host.contains(QLatin1Char('@')))
        return Error(QObject::tr("site %1: host %2 cannot be given to rsync")
                         .arg(remote.name, shellQuote(remote.host)));
    QStringList ssh{options.sshProgram};
    if (!options.sshConfigFile.isEmpty())
        ssh << QStringLiteral("-F") << options.sshConfigFile;
    // Never asks (no passphrase, no OTP: those go through Vigil's own
    // connection) and never trusts an unknown host key.
    ssh << QStringLiteral("-o") << QStringLiteral("BatchMode=yes") << QStringLiteral("-o")
        << QStringLiteral("StrictHostKeyChecking=yes") << QStringLiteral("-o")
        << QStringLiteral("ConnectTimeout=10");
    if (!remote.knownHostsFile.isEmpty())
        ssh << QStringLiteral("-o")
            << QStringLiteral("UserKnownHostsFile=") + remote.knownHostsFile;
    if (!remote.identityFile.isEmpty())
        ssh << QStringLiteral("-i") << remote.identityFile;
    if (remote.port > 0)
        ssh << QStringLiteral("-p") << QString::number(remote.port);
    if (!remote.user.isEmpty())
        ssh << QStringLiteral("-l") << remote.user;
    if (!remote.proxyJump.isEmpty() && remote.proxyJump != QLatin1String("none"))
        ssh << QStringLiteral("-J") << remote.proxyJump;
    QStringList words;
    for (const QString &w : std::as_const(ssh)) {
        auto quoted = rsyncShellWord(w);
        if (!quoted)
            return quoted.error();
        words << *quoted;
    }
    // A directory's contents go into the target directory (trailing slashes).
    const QString slash = directory ? QStringLiteral("/") : QString();
    const QString local = localPath + slash;
    const QString far = remote.host + QLatin1Char(':') + remotePath + slash;
    // --protect-args: the remote path reaches the remote rsync as it is, never
    // split or expanded by the remote shell. --ignore-times: a file rewritten
    // within the same second with the same size is still compared (rsync's
    // quick check would skip it); only the changed blocks are sent. No
    // --partial: an interrupted transfer leaves the target as it was (rsync
    // writes a temp file, then renames it).
    QStringList args{options.rsyncProgram,
                     QStringLiteral("--archive"),
                     QStringLiteral("--protect-args"),
                     QStringLiteral("--ignore-times"),
                     QStringLiteral("--info=progress2"),
                     QStringLiteral("--rsync-path=") + options.rsyncProgram,
                     QStringLiteral("-e"),
                     words.join(QLatin1Char(' '))};
    args << options.rsyncExtraArgs;
    args << QStringLiteral("--") << (upload ? local : far) << (upload ? far : local);
    return args;
}

std::optional<qint64> DataMover::parseProgress(QByteArrayView line)
{
    const QList<QByteArray> words = line.toByteArray().simplified().split(' ');
    if (words.size() < 2 || !words.at(1).endsWith('%'))
        return std::nullopt;
    QByteArray digits = words.at(0);
    digits.replace(',', "").replace('.', "");
    bool ok = false;
    const qint64 bytes = digits.toLongLong(&ok);
    if (!ok || bytes < 0)
        return std::nullopt;
    return bytes;
}

void DataMover::move(Site *from, const QString &source, Site *to, const QString &target,
                     Callback<DataMoveResult> done)
{
    m_from = from;
    m_to = to;
    m_source = source;
    m_target = target;
    m_done = std::move(done);
    m_result = {};
    m_total = -1;
    m_cancelled = false;
    from->whenConnected(this, [this](Result<void> a) {
        if (cancelled())
            return;
        if (!a)
            return fail(tr("site %1: %2").arg(m_from->name(), a.errorString()), a.error().kind);
        m_to->whenConnected(this, [this](Result<void> b) {
            if (cancelled())
                return;
            if (!b)
                return fail(tr("site %1: %2").arg(m_to->name(), b.errorString()), b.error().kind);
            examineSource();
        });
    });
}

void DataMover::examineSource()
{
    const QString name = QFileInfo(m_source).fileName();
    m_from->transport()->listDirectory(
        parentOf(m_source), this, [this, name](Result<QList<FileEntry>> entries) {
            if (cancelled())
                return;
            if (!entries)
                return fail(
                    tr("%1 on site %2: %3").arg(m_source, m_from->name(), entries.errorString()),
                    entries.error().kind);
            const auto it = std::find_if(entries->cbegin(), entries->cend(),
                                         [&](const FileEntry &e) { return e.name == name; });
            if (it == entries->cend())
                return fail(
                    tr("%1 on site %2: no such file or directory").arg(m_source, m_from->name()),
                    Error::Kind::NotFound);
            if (it->isSymlink)
                return fail(tr("%1 on site %2 is a symbolic link: not followed")
                                .arg(m_source, m_from->name()),
                            Error::Kind::Permission);
            if (!it->isDir)
                m_total = it->size;
            chooseMethod(it->isDir);
        });
}

void DataMover::chooseMethod(bool directory)
{
    const bool fromLocal = m_from->spec().kind == SiteSpec::Kind::Local;
    const bool toLocal = m_to->spec().kind == SiteSpec::Kind::Local;
    if (!m_options.useRsync)
        return copyByConnections(directory, tr("rsync is turned off"));
    if (fromLocal == toLocal)
        return copyByConnections(directory, fromLocal ? tr("both ends are this machine")
                                                      : tr("neither end is this machine"));
    Site *local = fromLocal ? m_from.data() : m_to.data();
    Site *remote = fromLocal ? m_to.data() : m_from.data();
    auto args = rsyncArguments(m_options, remote->spec(), fromLocal, directory,
                               fromLocal ? m_source : m_target, fromLocal ? m_target : m_source);
    if (!args)
        return copyByConnections(directory, args.errorString());
    const QStringList version{m_options.rsyncProgram, QStringLiteral("--version")};
    // Is rsync on both ends? Asked through each site's own connection (this
    // machine's through its worker thread: no process start on this thread).
    local->transport()->exec(
        version, {}, this, [=, this, remote = QPointer<Site>(remote)](Result<ExecResult> here) {
            if (cancelled())
                return;
            if (!here || here->exitCode != 0)
                return copyByConnections(directory, tr("rsync is not on this machine"));
            if (!remote)
                return fail(tr("the site went away"));
            remote->transport()->exec(version, {}, this, [=, this](Result<ExecResult> there) {
                if (cancelled())
                    return;
                if (!there || there->exitCode != 0)
                    return copyByConnections(directory,
                                             tr("rsync is not on site %1").arg(remote->name()));
                const QString dir = directory ? m_target : parentOf(m_target);
                m_to->transport()->makeDirectories(dir, 0700, this, [=, this](Result<void> mk) {
                    if (cancelled())
                        return;
                    if (!mk)
                        return fail(
                            tr("%1 on site %2: %3").arg(dir, m_to->name(), mk.errorString()),
                            mk.error().kind);
                    m_rsyncErr.clear();
                    auto *p = new QProcess(this);
                    m_rsync = p;
                    p->setProgram(args->first());
                    p->setArguments(args->mid(1));
                    // Its own process group, so that cancel() reaches the ssh it starts.
                    p->setChildProcessModifier([] { ::setpgid(0, 0); });
                    auto buffer = std::make_shared<QByteArray>();
                    connect(p, &QProcess::readyReadStandardOutput, this, [=, this] {
                        *buffer += p->readAllStandardOutput();
                        qsizetype cut;
                        while ((cut = std::max(buffer->indexOf('\r'), buffer->indexOf('\n'))) >=
                               0) {
                            const QByteArray line = buffer->left(cut);
                            buffer->remove(0, cut + 1);
                            if (auto b = parseProgress(line)) {
                                m_result.bytes = *b;
                                Q_EMIT progress(*b, m_total);
                            }
                        }
                    });
                    connect(p, &QProcess::readyReadStandardError, this, [=, this] {
                        m_rsyncErr += p->readAllStandardError();
                        if (m_rsyncErr.size() > kMaxStderr)
                            m_rsyncErr = m_rsyncErr.right(kMaxStderr);
                    });
                    connect(
                        p, &QProcess::finished, this,
                        [=, this](int code, QProcess::ExitStatus status) {
                            m_rsync = nullptr;
                            p->deleteLater();
                            if (cancelled())
                                return;
                            if (status == QProcess::NormalExit && code == 0) {
                                m_result.method = DataMoveResult::Method::Rsync;
                                return succeed();
                            }
                            const QString why =
                                tr("rsync exited with %1: %2").arg(code).arg(lastLine(m_rsyncErr));
                            qCInfo(lcSite).noquote()
                                << why << "; moving" << m_source << "through the connections";
                            m_result.bytes = 0;
                            copyByConnections(directory, why);
                        });
                    connect(p, &QProcess::errorOccurred, this, [=, this](QProcess::ProcessError e) {
                        if (e != QProcess::FailedToStart)
                            return;
                        m_rsync = nullptr;
                        p->deleteLater();
                        if (cancelled())
                            return;
                        copyByConnections(directory,
                                          tr("rsync did not start: %1").arg(p->errorString()));
                    });
                    qCDebug(lcSite).noquote() << "rsync:" << shellJoin(*args);
                    p->start();
                });
            });
        });
}

void DataMover::copyByConnections(bool directory, const QString &whyNotRsync)
{
    m_result.method = DataMoveResult::Method::Connections;
    m_result.whyNotRsync = whyNotRsync;
    if (!directory) {
        m_to->transport()->makeDirectories(parentOf(m_target), 0700, this, [this](Result<void> mk) {
            if (cancelled())
                return;
            if (!mk)
                return fail(
                    tr("%1 on site %2: %3").arg(parentOf(m_target), m_to->name(), mk.errorString()),
                    mk.error().kind);
            copyFile(m_source, m_target, m_total, [this] { succeed(); });
        });
        return;
    }
    m_to->transport()->makeDirectories(m_target, 0700, this, [this](Result<void> mk) {
        if (cancelled())
            return;
        if (!mk)
            return fail(tr("%1 on site %2: %3").arg(m_target, m_to->name(), mk.errorString()),
                        mk.error().kind);
        copyTree(m_source, m_target, [this] { succeed(); });
    });
}

void DataMover::copyTree(const QString &source, const QString &target, std::function<void()> next)
{
    m_from->transport()->listDirectory(source, this, [=, this](Result<QList<FileEntry>> listed) {
        if (cancelled())
            return;
        if (!listed)
            return fail(tr("%1 on site %2: %3").arg(source, m_from->name(), listed.errorString()),
                        listed.error().kind);
        auto entries = std::make_shared<QList<FileEntry>>();
        for (const FileEntry &e : *listed) {
            if (e.name == QLatin1String(".") || e.name == QLatin1String("..") || e.name.isEmpty())
                continue;
            if (e.name.contains(QLatin1Char('/')))
                return fail(
                    tr("%1 on site %2: a listed name contains '/'").arg(source, m_from->name()),
                    Error::Kind::Malformed);
            if (e.isSymlink)
                return fail(tr("%1 on site %2 is a symbolic link: not followed")
                                .arg(join(source, e.name), m_from->name()),
                            Error::Kind::Permission);
            entries->append(e);
        }
        std::sort(entries->begin(), entries->end(),
                  [](const FileEntry &a, const FileEntry &b) { return a.name < b.name; });
        auto step = std::make_shared<std::function<void(qsizetype)>>();
        // The callbacks handed out hold the chain; it holds only itself weakly.
        *step = [=, this, weak = std::weak_ptr(step)](qsizetype i) {
            if (i == entries->size())
                return next();
            const auto self = weak.lock();
            const FileEntry &e = entries->at(i);
            const QString from = join(source, e.name);
            const QString to = join(target, e.name);
            auto again = [self, i] { (*self)(i + 1); };
            if (!e.isDir)
                return copyFile(from, to, e.size, again);
            m_to->transport()->makeDirectories(to, 0700, this, [=, this](Result<void> mk) {
                if (cancelled())
                    return;
                if (!mk)
                    return fail(tr("%1 on site %2: %3").arg(to, m_to->name(), mk.errorString()),
                                mk.error().kind);
                copyTree(from, to, again);
            });
        };
        (*step)(0);
    });
}

void DataMover::copyFile(const QString &source, const QString &target, qint64 size,
                         std::function<void()> next)
{
    if (cancelled())
        return;
    if (++m_result.files > m_options.maxFiles)
        return fail(tr("%1 on site %2: more than %3 files")
                        .arg(m_source, m_from->name())
                        .arg(m_options.maxFiles),
                    Error::Kind::TooLarge);
    if (m_result.bytes + size > m_options.maxSftpBytes)
        return fail(tr("%1 on site %2: more than %3 bytes to move through the connections")
                        .arg(m_source, m_from->name())
                        .arg(m_options.maxSftpBytes),
                    Error::Kind::TooLarge);
    auto data = std::make_shared<QByteArray>();
    auto read = std::make_shared<std::function<void()>>();
    *read = [=, this, weak = std::weak_ptr(read)] {
        m_from->transport()->readFile(
            source, data->size(), kChunk, this,
            [=, this, keep = weak.lock()](Result<FileChunk> chunk) {
                if (cancelled())
                    return;
                if (!chunk)
                    return fail(tr("reading %1 on site %2: %3")
                                    .arg(source, m_from->name(), chunk.errorString()),
                                chunk.error().kind);
                if (m_result.bytes + chunk->fileSize > m_options.maxSftpBytes)
                    return fail(tr("%1 on site %2: more than %3 bytes to move through the "
                                   "connections")
                                    .arg(m_source, m_from->name())
                                    .arg(m_options.maxSftpBytes),
                                Error::Kind::TooLarge);
                *data += chunk->data;
                Q_EMIT progress(m_result.bytes + data->size(), m_total);
                if (cancelled()) // by a receiver of progress()
                    return;
                if (!chunk->data.isEmpty() && data->size() < chunk->fileSize)
                    return (*keep)();
                m_to->transport()->writeFileAtomic(
                    target, *data, 0600, this, [=, this](Result<void> w) {
                        if (cancelled())
                            return;
                        if (!w)
                            return fail(tr("writing %1 on site %2: %3")
                                            .arg(target, m_to->name(), w.errorString()),
                                        w.error().kind);
                        m_result.bytes += data->size();
                        next();
                    });
            });
    };
    (*read)();
}

void DataMover::fail(const QString &message, Error::Kind kind)
{
    if (auto done = std::exchange(m_done, nullptr))
        done(Error(message, kind));
}

void DataMover::succeed()
{
    if (auto done = std::exchange(m_done, nullptr))
        done(m_result);
}

} // namespace vigil
