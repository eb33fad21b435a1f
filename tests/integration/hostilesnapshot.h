// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A before/after picture of what a remote user could have written, taken over
// SSH with find(1): "no file written outside the run directory" shown, not
// only sampled through marker names (hostilefixture.h uses it).
//
// Walked: the given roots (the user's home, /tmp, ...), one file system each
// (-xdev), as the user itself, so directories it cannot enter are not
// entered (it cannot write into them either, unless it may write but not
// read them: such a directory is still recorded, its mtime shows a change).
// Recorded: every entry the user owns (only its own processes create those),
// and every directory it may write (a file created and removed again leaves
// its mark there: the directory's mtime and ctime). For each: type, inode,
// mode, link count, owner, size, mtime, ctime, symlink target.
//
// Not seen: a change to a file of another owner that the user may write
// (none under the roots when this was written but the shared sockets of the
// sandbox's munge and MariaDB); a file created and removed again in a
// directory everybody may write (/tmp: anyone changes its mtime, so it is not
// compared); access times (reads); anything outside the roots.

#include "../ssh/sshtesthelpers.h"

#include <QDateTime>
#include <QMap>
#include <QSet>

namespace vigil::test {

struct FsEntry
{
    QByteArray type, inode, mode, links, owner, size, mtime, ctime, target;
};

struct FsSnapshot
{
    QMap<QByteArray, FsEntry> entries; // by path
    QList<QByteArray> vanishedMidWalk; // listed by find, gone before it looked at them
};

// Something that legitimately changes: `path` itself, and with `subtree`
// everything below it.
struct FsExclusion
{
    QByteArray path;
    bool subtree = true;
};

namespace snapshot_detail {

// `path` as a find -path pattern that matches only itself.
inline QString globEscaped(const QString &path)
{
    QString out;
    for (QChar c : path) {
        if (c == QLatin1Char('*') || c == QLatin1Char('?') || c == QLatin1Char('[') ||
            c == QLatin1Char(']') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}

// A path as text fit for a test message: control bytes escaped.
inline QString shown(const QByteArray &path)
{
    QString out;
    for (QChar c : QString::fromUtf8(path))
        out += c.unicode() < 0x20 || c.unicode() == 0x7f
                   ? QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'))
                   : QString(c);
    return out;
}

// find's %T@ ("1795826245.3444593460") as UTC date and time.
inline QString shownTime(const QByteArray &t)
{
    const qsizetype dot = t.indexOf('.');
    bool ok = false;
    const qint64 secs = t.left(dot).toLongLong(&ok);
    if (!ok)
        return QString::fromLatin1(t);
    return QDateTime::fromSecsSinceEpoch(secs, Qt::UTC)
               .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) +
           (dot < 0 ? QString() : QString::fromLatin1(t.mid(dot, 10))) + QLatin1Char('Z');
}

inline QString typeName(const QByteArray &type)
{
    static const QMap<QByteArray, QString> names{
        {"f", QStringLiteral("file")},        {"d", QStringLiteral("directory")},
        {"l", QStringLiteral("symlink")},     {"s", QStringLiteral("socket")},
        {"p", QStringLiteral("fifo")},        {"c", QStringLiteral("character device")},
        {"b", QStringLiteral("block device")}};
    return names.value(type, QString::fromLatin1(type));
}

inline QString described(const FsEntry &e)
{
    QString out =
        QStringLiteral("%1, mode %2, owner %3, %4 bytes, modified %5")
            .arg(typeName(e.type), QString::fromLatin1(e.mode), QString::fromLatin1(e.owner),
                 QString::fromLatin1(e.size), shownTime(e.mtime));
    if (e.type == "l")
        out += QStringLiteral(", -> ") + shown(e.target);
    return out;
}

inline bool isBelow(const QByteArray &path, const QByteArray &dir)
{
    return path.startsWith(dir) && path.size() > dir.size() && path[dir.size()] == '/';
}

inline QByteArray parentOf(const QByteArray &path)
{
    const qsizetype slash = path.lastIndexOf('/');
    return slash <= 0 ? QByteArray("/") : path.left(slash);
}

} // namespace snapshot_detail

// Walks `roots` on the other side of `t` as the user it is logged in as, whose
// numeric id is `uid`; `skip` (a directory) is neither walked nor recorded.
// With `topOnly`, records only the roots themselves.
inline Result<FsSnapshot> takeFsSnapshot(Transport &t, const QStringList &roots, const QString &uid,
                                         const QString &skip = {}, bool topOnly = false)
{
    // One record: ten NUL-terminated fields, the path last.
    constexpr int kFields = 10;
    QStringList argv{QStringLiteral("env"), QStringLiteral("LC_ALL=C"), QStringLiteral("find")};
    argv << roots << QStringLiteral("-xdev");
    if (topOnly)
        argv << QStringLiteral("-maxdepth") << QStringLiteral("0");
    if (!skip.isEmpty())
        argv << QStringLiteral("-path") << snapshot_detail::globEscaped(skip)
             << QStringLiteral("-prune") << QStringLiteral("-o");
    argv << QStringLiteral("(")
         // A directory it cannot list and enter is not entered (no error)...
         << QStringLiteral("(") << QStringLiteral("-type") << QStringLiteral("d")
         << QStringLiteral("!") << QStringLiteral("(") << QStringLiteral("-readable")
         << QStringLiteral("-executable") << QStringLiteral(")") << QStringLiteral("-prune")
         << QStringLiteral("-o") << QStringLiteral("-true")
         << QStringLiteral(")")
         // ... but recorded like any other if it is the user's or writable.
         << QStringLiteral("(") << QStringLiteral("-uid") << uid << QStringLiteral("-o")
         << QStringLiteral("-type") << QStringLiteral("d") << QStringLiteral("-writable")
         << QStringLiteral(")") << QStringLiteral("-printf")
         << QStringLiteral("%y\\0%i\\0%m\\0%n\\0%U:%G\\0%s\\0%T@\\0%C@\\0%l\\0%p\\0")
         << QStringLiteral(")");
    auto r = execWait(t, argv);
    if (!r)
        return r.error();
    FsSnapshot snap;
    // Other programs' files in /tmp come and go: find then complains that an
    // entry it had read from a directory is gone (and exits 1). Such an entry
    // is not in the snapshot, which is right (it does not exist); any other
    // complaint makes the snapshot fail.
    for (const QByteArray &line : r->err.split('\n')) {
        static const QByteArray gone = "': No such file or directory";
        if (line.isEmpty())
            continue;
        if (!line.startsWith("find: '") || !line.endsWith(gone))
            return Error(QStringLiteral("find on %1 failed (exit %2): %3")
                             .arg(roots.join(QLatin1Char(' ')))
                             .arg(r->exitCode)
                             .arg(QString::fromUtf8(r->err)));
        snap.vanishedMidWalk << line.mid(7, line.size() - 7 - gone.size());
    }
    if (r->exitCode != 0 && (r->exitCode != 1 || snap.vanishedMidWalk.isEmpty()))
        return Error(QStringLiteral("find on %1 failed (exit %2): %3")
                         .arg(roots.join(QLatin1Char(' ')))
                         .arg(r->exitCode)
                         .arg(QString::fromUtf8(r->err)));
    QList<QByteArray> fields = r->out.split('\0');
    if (fields.isEmpty() || !fields.takeLast().isEmpty() || fields.size() % kFields != 0)
        return Error(
            QStringLiteral("find printed %1 bytes that are no whole records").arg(r->out.size()));
    for (qsizetype i = 0; i < fields.size(); i += kFields) {
        FsEntry e{fields[i],     fields[i + 1], fields[i + 2], fields[i + 3], fields[i + 4],
                  fields[i + 5], fields[i + 6], fields[i + 7], fields[i + 8]};
        snap.entries.insert(fields[i + 9], std::move(e));
    }
    for (const QString &root : roots)
        if (!snap.entries.contains(root.toUtf8()))
            return Error(QStringLiteral("%1 is missing from the snapshot: it does not exist, or "
                                        "the user neither owns nor may write it")
                             .arg(root));
    return snap;
}

// What appeared, vanished or changed from `before` to `after`, one line each,
// but for `excluded` entries. `uid` is the user's numeric id. A directory's
// mtime, ctime and link count may change when an excluded entry directly in
// it appeared or vanished.
inline QStringList fsChanges(const FsSnapshot &before, const FsSnapshot &after,
                             const QList<FsExclusion> &excluded, const QString &uid)
{
    using namespace snapshot_detail;
    auto isExcluded = [&](const QByteArray &path) {
        for (const FsExclusion &x : excluded)
            if (path == x.path || (x.subtree && isBelow(path, x.path)))
                return true;
        return false;
    };
    auto owned = [&](const FsEntry &e) {
        return e.owner.startsWith(QByteArray(uid.toLatin1() + ':'));
    };
    QSet<QByteArray> excused; // directories in which an excluded entry came or went
    for (const auto *m : {&before.entries, &after.entries})
        for (auto it = m->cbegin(); it != m->cend(); ++it)
            if (isExcluded(it.key()) &&
                before.entries.contains(it.key()) != after.entries.contains(it.key()))
                excused.insert(parentOf(it.key()));

    QStringList out;
    for (auto it = after.entries.cbegin(); it != after.entries.cend(); ++it) {
        // A directory of another owner that the user may write: the user
        // cannot have made it.
        if (!isExcluded(it.key()) && !before.entries.contains(it.key()) && owned(*it))
            out << QStringLiteral("appeared: %1 (%2)").arg(shown(it.key()), described(*it));
    }
    for (auto it = before.entries.cbegin(); it != before.entries.cend(); ++it) {
        if (isExcluded(it.key()))
            continue;
        const auto now = after.entries.constFind(it.key());
        if (now == after.entries.cend()) {
            // One of another owner: removed by its owner (the user could
            // remove only an empty one, from a directory it may write, whose
            // mtime then shows it).
            if (owned(*it))
                out << QStringLiteral("vanished: %1 (was %2)").arg(shown(it.key()), described(*it));
            continue;
        }
        // A directory of another owner that the user may write (/tmp, or
        // one of its group): others may write it too, so its times are
        // not the user's.
        const bool shared = !owned(*it) && it->type == "d";
        const bool timesFree = shared || excused.contains(it.key()); // and size, links
        QStringList what;
        auto field = [&](const char *name, const QByteArray FsEntry::*f, bool time = false) {
            if ((*it).*f != (*now).*f)
                what << QStringLiteral("%1 %2 -> %3")
                            .arg(QLatin1String(name), time ? shownTime((*it).*f) : shown((*it).*f),
                                 time ? shownTime((*now).*f) : shown((*now).*f));
        };
        field("type", &FsEntry::type);
        field("inode", &FsEntry::inode);
        field("mode", &FsEntry::mode);
        field("owner", &FsEntry::owner);
        field("target", &FsEntry::target);
        if (!timesFree) {
            // (A directory grows, and its link count changes, with entries.)
            field("size", &FsEntry::size);
            field("links", &FsEntry::links);
            field("mtime", &FsEntry::mtime, true);
            field("ctime", &FsEntry::ctime, true);
        }
        if (!what.isEmpty())
            out << QStringLiteral("changed: %1: %2").arg(shown(it.key()), what.join(u", "));
    }
    return out;
}

} // namespace vigil::test
