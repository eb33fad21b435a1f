// SPDX-License-Identifier: GPL-3.0-or-later
#include "sftpscan.h"

#include "logging.h"
#include "protocol/format.h"
#include "protocol/scan.h"
#include "protocol/text.h"

#include <QDir>
#include <algorithm>
#include <cerrno>
#include <deque>
#include <map>

namespace vigil {

namespace {

namespace proto = vigil::protocol;
using nlohmann::json;

// Far more passes than the deepest path of a run directory needs (about 7).
constexpr int kMaxPasses = 32;

// Why a listing or a read failed, as the helper would say it after "<file>: ".
struct Failure
{
    proto::Error::Kind kind = proto::Error::Kind::Generic;
    std::string reason;
};

struct Entry
{
    std::string name;
    proto::DirEntry::Type type = proto::DirEntry::Type::File;
    std::int64_t size = 0;
    std::uint32_t uid = 0;
    std::uint32_t mode = 0; // permission bits
    std::int64_t mtime = 0;
};

struct Listing
{
    std::optional<Failure> failure;
    std::vector<Entry> entries;

    const Entry *find(std::string_view name) const
    {
        for (const Entry &e : entries)
            if (e.name == name)
                return &e;
        return nullptr;
    }
};

struct FetchedFile
{
    std::optional<Failure> failure;
    std::string bytes;         // at most limit + 1 bytes
    std::int64_t fileSize = 0; // when it was opened
};

// What a pass lacked: a directory to list or a file to read.
struct Fetch
{
    bool listing = true;
    std::string path; // relative to the root
    std::size_t limit = 0;
    bool operator==(const Fetch &o) const { return listing == o.listing && path == o.path; }
};

// Everything fetched so far, keyed by the path relative to the root ("" is
// the root). A pass records what it asked for and did not find in `misses`.
struct Snapshot
{
    std::map<std::string, Listing, std::less<>> listings;
    std::map<std::string, FetchedFile, std::less<>> files;
    mutable std::vector<Fetch> misses;

    void miss(Fetch f) const
    {
        if (std::find(misses.begin(), misses.end(), f) == misses.end())
            misses.push_back(std::move(f));
    }
};

std::string join(std::string_view a, std::string_view b)
{
    if (a.empty())
        return std::string(b);
    if (b.empty())
        return std::string(a);
    return std::string(a) + "/" + std::string(b);
}

// A pass must not use its result: something it needed is not fetched yet.
proto::Error notFetched()
{
    return proto::Error("(not fetched yet)", proto::Error::Kind::Generic);
}

// A ScanSource over the snapshot: the run root (prefix "") or one run
// directory in it, with the messages Dir would give.
class SnapshotSource final : public proto::ScanSource
{
public:
    SnapshotSource(const Snapshot &snapshot, std::string prefix, std::string display)
        : m_snap(snapshot), m_prefix(std::move(prefix)), m_display(std::move(display))
    {}

    std::string displayOf(std::string_view rel) const override
    {
        if (m_display.empty())
            return std::string(rel);
        if (rel.empty())
            return m_display;
        return m_display + "/" + std::string(rel);
    }

    std::optional<struct stat> stat(std::string_view rel) const override;
    proto::Result<std::vector<proto::DirEntry>> list(std::string_view rel) const override;
    proto::Result<std::unique_ptr<proto::ScanSource>> openRun(std::string_view name) const override;
    proto::Result<proto::FileData> read(std::string_view rel, std::size_t limit) const override;

private:
    // The listing of the directory that holds the last component of `rel`,
    // walking the components before it as Dir::openParent does (no symlink,
    // each one a directory that can be opened). Null with `error` set when
    // the walk fails or something is not fetched yet.
    const Listing *parentListing(std::string_view rel, std::string &parentPath, std::string &leaf,
                                 proto::Error &error) const;
    // The listing of `path` (relative to the root) that Dir would show as `shown`.
    const Listing *listingOf(const std::string &path, const std::string &shown,
                             proto::Error &error) const;

    const Snapshot &m_snap;
    std::string m_prefix;
    std::string m_display;
};

const Listing *SnapshotSource::listingOf(const std::string &path, const std::string &shown,
                                         proto::Error &error) const
{
    const auto it = m_snap.listings.find(path);
    if (it == m_snap.listings.end()) {
        m_snap.miss({true, path, 0});
        error = notFetched();
        return nullptr;
    }
    if (it->second.failure) {
        error = proto::Error(shown + ": " + it->second.failure->reason, it->second.failure->kind);
        return nullptr;
    }
    return &it->second;
}

// Why an entry cannot be opened as a directory (Dir::openSub's messages).
std::optional<proto::Error> notADirectory(const Entry *e, const std::string &shown)
{
    if (e == nullptr)
        return proto::Error(shown + ": " + proto::errnoText(ENOENT), proto::Error::Kind::NotFound);
    if (e->type == proto::DirEntry::Type::Symlink)
        return proto::Error(shown + ": is a symbolic link: refused",
                            proto::Error::Kind::Unsupported);
    if (e->type != proto::DirEntry::Type::Directory)
        return proto::Error(shown + ": " + proto::errnoText(ENOTDIR));
    return std::nullopt;
}

const Listing *SnapshotSource::parentListing(std::string_view rel, std::string &parentPath,
                                             std::string &leaf, proto::Error &error) const
{
    const std::vector<std::string_view> parts = proto::splitPath(rel);
    if (parts.empty()) {
        error = proto::Error(displayOf(rel) + ": empty path");
        return nullptr;
    }
    std::string dir = m_prefix; // relative to the root
    std::string walked;         // relative to this source
    const Listing *listing = listingOf(dir, displayOf(walked), error);
    for (std::size_t i = 0; listing != nullptr && i + 1 < parts.size(); ++i) {
        if (parts[i] == "..") {
            error = proto::Error(displayOf(rel) + ": \"..\" is not allowed",
                                 proto::Error::Kind::Unsupported);
            return nullptr;
        }
        walked = join(walked, parts[i]);
        if (auto bad = notADirectory(listing->find(parts[i]), displayOf(walked))) {
            error = std::move(*bad);
            return nullptr;
        }
        dir = join(dir, parts[i]);
        listing = listingOf(dir, displayOf(walked), error);
    }
    if (listing == nullptr)
        return nullptr;
    leaf = parts.back();
    if (leaf == "..") {
        error = proto::Error(displayOf(rel) + ": \"..\" is not allowed",
                             proto::Error::Kind::Unsupported);
        return nullptr;
    }
    parentPath = dir;
    return listing;
}

std::optional<struct stat> SnapshotSource::stat(std::string_view rel) const
{
    std::string parent, leaf;
    proto::Error error;
    const Listing *listing = parentListing(rel, parent, leaf, error);
    const Entry *e = listing ? listing->find(leaf) : nullptr;
    if (e == nullptr)
        return std::nullopt;
    struct stat st
    {
    };
    st.st_mode = static_cast<mode_t>(e->mode & 07777) |
                 (e->type == proto::DirEntry::Type::Directory ? S_IFDIR
                  : e->type == proto::DirEntry::Type::Symlink ? S_IFLNK
                                                              : S_IFREG);
    st.st_size = static_cast<off_t>(e->size);
    st.st_uid = e->uid;
    st.st_mtim.tv_sec = static_cast<time_t>(e->mtime);
    return st;
}

proto::Result<proto::FileData> SnapshotSource::read(std::string_view rel, std::size_t limit) const
{
    const std::string shown = displayOf(rel);
    std::string parent, leaf;
    proto::Error error;
    const Listing *listing = parentListing(rel, parent, leaf, error);
    if (listing == nullptr)
        return error;
    const Entry *e = listing->find(leaf);
    if (e == nullptr)
        return proto::Error(shown + ": " + proto::errnoText(ENOENT), proto::Error::Kind::NotFound);
    if (e->type == proto::DirEntry::Type::Symlink)
        return proto::Error(shown + ": is a symbolic link: refused",
                            proto::Error::Kind::Unsupported);
    if (e->type != proto::DirEntry::Type::File)
        return proto::Error(shown + ": not a regular file: refused",
                            proto::Error::Kind::Unsupported);
    const auto tooLarge = [&](std::int64_t size) {
        return proto::Error(shown + ": the file is " + std::to_string(size) +
                                " bytes, over the limit of " + proto::sizeText(limit) + ": refused",
                            proto::Error::Kind::TooLarge);
    };
    if (e->size > static_cast<std::int64_t>(limit))
        return tooLarge(e->size); // refused unread
    const std::string path = join(parent, leaf);
    const auto it = m_snap.files.find(path);
    if (it == m_snap.files.end()) {
        m_snap.miss({false, path, limit});
        return notFetched();
    }
    const FetchedFile &f = it->second;
    if (f.failure)
        return proto::Error(shown + ": " + f.failure->reason, f.failure->kind);
    if (f.fileSize > static_cast<std::int64_t>(limit))
        return tooLarge(f.fileSize);
    if (f.bytes.size() > limit)
        return proto::Error(shown + ": the file grew over the limit of " + proto::sizeText(limit) +
                                " while being read: refused",
                            proto::Error::Kind::TooLarge);
    proto::FileData out;
    out.bytes = f.bytes;
    out.ownerUid = e->uid;
    out.mode = static_cast<mode_t>(e->mode & 07777);
    out.mtime = e->mtime;
    return out;
}

proto::Result<std::vector<proto::DirEntry>> SnapshotSource::list(std::string_view rel) const
{
    proto::Error error;
    const Listing *listing = nullptr;
    if (rel.empty()) {
        listing = listingOf(m_prefix, displayOf(rel), error);
    } else {
        std::string parent, leaf;
        const Listing *up = parentListing(rel, parent, leaf, error);
        if (up == nullptr)
            return error;
        if (auto bad = notADirectory(up->find(leaf), displayOf(rel)))
            return std::move(*bad);
        listing = listingOf(join(parent, leaf), displayOf(rel), error);
    }
    if (listing == nullptr)
        return error;
    std::vector<proto::DirEntry> out;
    out.reserve(listing->entries.size());
    for (const Entry &e : listing->entries)
        out.push_back({e.name, e.type});
    return out;
}

proto::Result<std::unique_ptr<proto::ScanSource>>
SnapshotSource::openRun(std::string_view name) const
{
    // Opening a directory needs what listing it needs (read permission).
    auto entries = list(name);
    if (!entries)
        return std::move(entries).error();
    return std::unique_ptr<proto::ScanSource>(
        std::make_unique<SnapshotSource>(m_snap, join(m_prefix, name), std::string()));
}

// A transport's error as the helper's reason after "<file>: ".
Failure failureOf(const Error &error)
{
    const QString &m = error.message;
    if (m.startsWith(QLatin1String("refusing to follow symlink")))
        return {proto::Error::Kind::Unsupported, "is a symbolic link: refused"};
    if (m.contains(QLatin1String("not a regular file")) ||
        m.startsWith(QLatin1String("refusing to read")))
        return {proto::Error::Kind::Unsupported, "not a regular file: refused"};
    switch (error.kind) {
    case Error::Kind::NotFound:
        return {proto::Error::Kind::NotFound, proto::errnoText(ENOENT)};
    case Error::Kind::Permission:
        return {proto::Error::Kind::Permission, proto::errnoText(EACCES)};
    default:
        return {proto::Error::Kind::Generic, m.toStdString()};
    }
}

bool isConnectionError(const Error &error)
{
    return error.kind == Error::Kind::Network || error.kind == Error::Kind::Cancelled;
}

// One scan: passes over the snapshot, each followed by the fetches it lacked,
// until a pass lacks nothing.
class SftpScanJob : public QObject
{
public:
    SftpScanJob(Transport *transport, SftpScanOptions options, Callback<SftpScanResult> done,
                QObject *parent)
        : QObject(parent), m_transport(transport), m_options(std::move(options)),
          m_done(std::move(done))
    {
        m_clean = QDir::cleanPath(m_options.root);
        m_result.uid = m_options.uid;
    }

    void start()
    {
        if (!m_options.root.startsWith(QLatin1Char('/'))) {
            finish(Error(QStringLiteral("cannot scan %1 over SFTP: the run root must be an "
                                        "absolute path")
                             .arg(m_options.root)));
            return;
        }
        if (m_result.uid) {
            pass();
            return;
        }
        // The root's owner, from its parent's listing.
        const QString parent = m_clean.section(QLatin1Char('/'), 0, -2);
        const QString name = m_clean.section(QLatin1Char('/'), -1);
        ++m_result.listings;
        m_transport->listDirectory(parent.isEmpty() ? QStringLiteral("/") : parent, this,
                                   [this, name](Result<QList<FileEntry>> r) {
                                       if (!r && isConnectionError(r.error())) {
                                           finish(r.error());
                                           return;
                                       }
                                       if (r)
                                           for (const FileEntry &e : *r)
                                               if (e.name == name)
                                                   m_result.uid = e.uid;
                                       pass();
                                   });
    }

private:
    QString remotePath(const std::string &rel) const
    {
        return rel.empty() ? m_clean : m_clean + QLatin1Char('/') + QString::fromStdString(rel);
    }

    void pass()
    {
        if (++m_result.passes > kMaxPasses) {
            finish(Error(QStringLiteral("the SFTP scan of %1 did not settle after %2 passes")
                             .arg(m_options.root)
                             .arg(kMaxPasses)));
            return;
        }
        m_snap.misses.clear();
        SnapshotSource root(m_snap, std::string(), m_options.root.toStdString());
        proto::Result<json> runs = proto::scanRuns(root);
        if (!m_snap.misses.empty()) {
            m_queue.assign(m_snap.misses.begin(), m_snap.misses.end());
            fetchNext();
            return;
        }
        if (!runs) {
            finish(Error(QString::fromStdString(runs.error().message),
                         runs.error().kind == proto::Error::Kind::NotFound ? Error::Kind::NotFound
                                                                           : Error::Kind::Generic));
            return;
        }
        json out = proto::scanDocument(proto::rootName(m_options.root.toStdString()),
                                       m_options.host.toStdString(), m_result.uid.value_or(0),
                                       proto::now(), nullptr, std::move(*runs));
        if (!m_result.uid)
            out["uid"] = nullptr;
        m_result.document = QByteArray::fromStdString(proto::dumpLine(out)) + '\n';
        finish(m_result);
    }

    void fetchNext()
    {
        if (m_queue.empty()) {
            pass();
            return;
        }
        const Fetch f = m_queue.front();
        m_queue.pop_front();
        if (f.listing) {
            ++m_result.listings;
            m_transport->listDirectory(
                remotePath(f.path), this, [this, f](Result<QList<FileEntry>> r) {
                    if (!r && isConnectionError(r.error())) {
                        finish(r.error());
                        return;
                    }
                    Listing &l = m_snap.listings[f.path];
                    if (!r) {
                        l.failure = failureOf(r.error());
                    } else {
                        for (const FileEntry &e : *r) {
                            Entry entry;
                            entry.name = e.name.toStdString();
                            entry.type = e.isDir       ? proto::DirEntry::Type::Directory
                                         : e.isSymlink ? proto::DirEntry::Type::Symlink
                                                       : proto::DirEntry::Type::File;
                            entry.size = e.size;
                            entry.uid = e.uid;
                            entry.mode = e.permissions;
                            entry.mtime = e.mtime;
                            l.entries.push_back(std::move(entry));
                        }
                    }
                    fetchNext();
                });
            return;
        }
        ++m_result.reads;
        m_transport->readFile(remotePath(f.path), 0, qint64(f.limit) + 1, this,
                              [this, f](Result<FileChunk> r) {
                                  if (!r && isConnectionError(r.error())) {
                                      finish(r.error());
                                      return;
                                  }
                                  FetchedFile &file = m_snap.files[f.path];
                                  if (!r) {
                                      file.failure = failureOf(r.error());
                                  } else {
                                      file.bytes = r->data.toStdString();
                                      file.fileSize = r->fileSize;
                                  }
                                  fetchNext();
                              });
    }

    void finish(Result<SftpScanResult> r)
    {
        if (!m_done)
            return;
        if (r)
            qCDebug(lcSite).noquote()
                << "SFTP scan of" << m_options.root << ":" << r->listings << "listings," << r->reads
                << "reads," << r->passes << "passes";
        const auto done = std::exchange(m_done, nullptr);
        deleteLater();
        done(std::move(r));
    }

    Transport *m_transport;
    SftpScanOptions m_options;
    Callback<SftpScanResult> m_done;
    QString m_clean; // the root, without a trailing slash
    Snapshot m_snap;
    std::deque<Fetch> m_queue;
    SftpScanResult m_result;
};

} // namespace

void scanOverSftp(Transport *transport, SftpScanOptions options, QObject *context,
                  Callback<SftpScanResult> done)
{
    auto *job = new SftpScanJob(transport, std::move(options), std::move(done), context);
    job->start();
}

} // namespace vigil
