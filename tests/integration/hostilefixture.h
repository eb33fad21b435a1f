// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the hostile-name tests (tst_hostile_exec, tst_hostile_ids,
// tst_hostile_listings): the values thrown at the system, a private directory
// on the sandbox with vigil-job in it, the /tmp/pwned-* markers that a
// value which got executed would leave behind, and a snapshot of what the
// sandbox user could write, taken before the test and compared after it.

#include "../ssh/sshtesthelpers.h"
#include "hostilesnapshot.h"
#include "protocol/text.h"
#include "vigilctlrunner.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace vigil::test {

using namespace Qt::StringLiterals;

// The values every hostile test throws at the system. `m` is a marker prefix
// (/tmp/pwned-TAG or pwned-TAG): a value that got executed would create a file
// whose name starts with it.
inline QList<std::pair<QByteArray, QString>> hostileValues(const QString &m)
{
    QString control;
    for (char16_t c = 1; c < 0x20; ++c)
        control += QChar(c);
    control += QChar(0x7f);
    return {
        {"single quote", u"it's"_s},
        {"double quote", u"say \"hi\""_s},
        {"command substitution", u"$(touch %1-1)"_s.arg(m)},
        {"backticks", u"`touch %1-2`"_s.arg(m)},
        {"semicolon", u"x; touch %1-3"_s.arg(m)},
        {"newline", u"x\ntouch %1-4\n"_s.arg(m)},
        {"quote breakout", u"'; touch %1-5; echo '"_s.arg(m)},
        {"double quote breakout", u"\"; touch %1-6; echo \""_s.arg(m)},
        {"pipe and ampersand", u"| touch %1-7 & touch %1-8 &&"_s.arg(m)},
        {"redirect", u"> %1-9"_s.arg(m)},
        {"spaces", u" two  words "_s},
        {"tabs", u"a\tb\t"_s},
        {"unicode", u"ñandú 訓練 🚀"_s},
        {"leading dash", u"-rf"_s},
        {"help option", u"--help"_s},
        {"leading dot", u".hidden"_s},
        {"dot dot", u".."_s},
        {"slash", u"/"_s},
        {"path escape", u"../../etc/passwd"_s},
        {"empty", QString()},
        {"variables", u"$HOME ${PATH} $0 $$ $? $@"_s},
        {"glob and tilde", u"* ? [a-z] ~ ~root"_s},
        {"backslashes", u"a\\b\\\\c\\"_s},
        {"percent", u"100%j %x %%"_s},
        {"history and comment", u"!! #x"_s},
        {"assignment", u"VIGIL_X=1"_s},
        {"control characters", control},
        {"terminal escape", u"\x1b]0;title\x07\x1b[31mred"_s},
        {"C1 control and bidi", u"\u009b31m \u202eevil"_s},
        {"very long", u"ab'\"$ ;`\n"_s.repeated(4000)},
    };
}

// Valid ids at the edges of the rule: accepted and kept exactly.
inline QList<std::pair<QByteArray, QString>> edgeIds()
{
    return {{"id with dots", u"a..b"_s},
            {"id ending with a dot", u"x."_s},
            {"id with every class", u"A.b_c-9"_s},
            {"id of 64 characters", QString(64, QLatin1Char('x'))}};
}

// A TOML basic string holding exactly `s`.
inline QString tomlString(const QString &s)
{
    QString out = u"\""_s;
    for (QChar c : s) {
        if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\') + c;
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += u"\\u%1"_s.arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out + QLatin1Char('"');
}

// The first byte of `text` that a terminal would take as a control (C0
// other than tab and newline, DEL, or a UTF-8 encoded C1), described; or "".
inline QString rawControlByte(const QByteArray &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const auto u = static_cast<unsigned char>(text[i]);
        const bool c1 = u == 0xc2 && i + 1 < text.size() &&
                        (static_cast<unsigned char>(text[i + 1]) & 0xe0) == 0x80;
        if ((u < 0x20 && u != '\t' && u != '\n') || u == 0x7f || c1)
            return u"raw byte 0x%1 at %2 in: %3"_s.arg(c1 ? 0xc2 : u, 2, 16, QLatin1Char('0'))
                .arg(i)
                .arg(QString::fromUtf8(
                    text.mid(std::max<qsizetype>(0, i - 40), 80).toPercentEncoding(" \t\n/:\"'")));
    }
    return {};
}

inline QByteArray withoutFinalNewline(const QByteArray &text)
{
    return text.endsWith('\n') ? text.chopped(1) : text;
}

inline QByteArray nulJoined(const QStringList &words)
{
    QByteArray out;
    for (const QString &w : words)
        out += w.toUtf8() + '\0';
    return out;
}

inline QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

// The sandbox side of every hostile test: an SSH transport, a private
// directory below the sandbox user's home with vigil-job in it, markers.
class HostileFixture : public QObject
{
public:
    // Called from initTestCase(); check QTest::currentTestFailed() after it.
    void setUpSandbox()
    {
        VIGIL_REQUIRE_SANDBOX(m_env);
        QVERIFY(m_local.isValid());
        QVERIFY2(!qEnvironmentVariable("VIGILCTL").isEmpty(), "VIGILCTL is not set");
        m_t = std::make_unique<SshTransport>(sandboxTarget(m_env));
        m_t->open();
        QTRY_COMPARE_WITH_TIMEOUT(m_t->state(), Transport::State::Connected, 30000);
        const QString tag =
            u"%1-%2"_s.arg(QCoreApplication::applicationPid())
                .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        m_rel = u"vigil-hostile-"_s + tag;
        m_abs = m_t->homeDirectory() + QLatin1Char('/') + m_rel;
        m_markerName = u"pwned-"_s + tag;
        m_marker = u"/tmp/"_s + m_markerName;

        // A job an earlier test left behind could still write in its run
        // directory while this test looks: they are waited for.
        QStringList queued;
        for (QDeadlineTimer quiet(60000);;) {
            auto q = execWait(*m_t, {u"squeue"_s, u"-h"_s, u"-u"_s, m_env.user, u"-o"_s, u"%i"_s});
            VIGIL_VERIFY_OK(q);
            QVERIFY2(q->exitCode == 0, q->err.constData());
            queued = QString::fromUtf8(q->out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            if (queued.isEmpty() || quiet.hasExpired())
                break;
            QTest::qWait(500);
        }
        QVERIFY2(queued.isEmpty(), qPrintable(u"jobs of %1 still queued after 60 s: %2"_s.arg(
                                       m_env.user, queued.join(u' '))));

        // Before anything is made: what the sandbox user could write.
        auto uid = execWait(*m_t, {u"id"_s, u"-u"_s});
        VIGIL_VERIFY_OK(uid);
        m_uid = QString::fromLatin1(uid->out.trimmed());
        QVERIFY2(uid->exitCode == 0 && !m_uid.isEmpty(), uid->err.constData());
        auto before = takeFsSnapshot(*m_t, snapshotRoots(), m_uid, m_abs);
        VIGIL_VERIFY_OK(before);
        m_before = *before;
        qInfo("snapshot of %lld entries below %s (%lld gone while find walked)",
              static_cast<long long>(m_before.entries.size()),
              qPrintable(snapshotRoots().join(u' ')),
              static_cast<long long>(m_before.vanishedMidWalk.size()));

        VIGIL_VERIFY_OK(mkdirWait(*m_t, m_rel, 0700));
        // Making the test's directory changed the home directory's times:
        // they are taken again, so that any later change shows.
        auto home = takeFsSnapshot(*m_t, {m_t->homeDirectory()}, m_uid, {}, true);
        VIGIL_VERIFY_OK(home);
        m_before.entries.insert(m_t->homeDirectory().toUtf8(),
                                home->entries.value(m_t->homeDirectory().toUtf8()));

        QFile bin(qEnvironmentVariable("VIGIL_JOB_BINARY"));
        QVERIFY2(bin.open(QIODevice::ReadOnly), qPrintable(bin.fileName()));
        m_helper = m_abs + u"/vigil-job"_s;
        VIGIL_VERIFY_OK(writeWait(*m_t, m_helper, bin.readAll(), 0700));
    }

    // Called from cleanupTestCase().
    void tearDownSandbox()
    {
        if (m_t && !m_rel.isEmpty()) {
            (void)execWait(*m_t, {u"rm"_s, u"-rf"_s, u"--"_s, m_abs});
            (void)execWait(*m_t,
                           {u"find"_s, u"/tmp"_s, m_t->homeDirectory(), u"-maxdepth"_s, u"1"_s,
                            u"-name"_s, m_markerName + QLatin1Char('*'), u"-delete"_s});
        }
        m_t.reset();
    }

    // The marker files on the sandbox (its own /tmp and the user's home, where
    // file-name values without '/' would land), seen over SSH.
    QStringList markersFound()
    {
        // A glob, not find: find fails when another program's file in /tmp
        // vanishes while it looks.
        auto r = execWait(
            *m_t, {u"sh"_s, u"-c"_s,
                   u"for f in /tmp/\"$1\"* \"$HOME\"/\"$1\"*; do "
                   "if [ -e \"$f\" ] || [ -L \"$f\" ]; then printf '%s\\n' \"$f\"; fi; done"_s,
                   u"sh"_s, m_markerName});
        if (!r || r->exitCode != 0)
            return {u"(cannot look for markers: %1)"_s.arg(r ? QString::fromUtf8(r->err)
                                                             : r.errorString())};
        return QString::fromUtf8(r->out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

    // Where the sandbox user can write, one file system each. A walk of the
    // whole machine as that user (find / -xdev -writable, and -user) found
    // nothing else it owns or may write, but its terminals in /dev/pts.
    QStringList snapshotRoots() const
    {
        return {m_t->homeDirectory(), u"/tmp"_s, u"/var/tmp"_s, u"/dev/shm"_s, u"/run/lock"_s};
    }

    // What appeared, vanished or changed outside the test's directory since
    // setUpSandbox(), one line each; empty when nothing did.
    QStringList writtenOutsideTestDirectory()
    {
        auto after = takeFsSnapshot(*m_t, snapshotRoots(), m_uid, m_abs);
        if (!after)
            return {u"(cannot take the snapshot: %1)"_s.arg(after.errorString())};
        const QByteArray home = m_t->homeDirectory().toUtf8();
        const QList<FsExclusion> excluded{
            // The test's own directory: the run roots and every file the
            // test makes.
            {m_abs.toUtf8()},
            // The helper deployed by a site on first use (Site::deployHelper,
            // core/sites/site.cpp): bin/vigil-job-VERSION-HASH and
            // python/VERSION-HASH/vigil_job.py, named by their content, so
            // new ones come with every new build of the helper.
            {home + "/.local/share/vigil"},
            // Made (mkdir -p) by that deployment where it never ran; nothing
            // below them but share/vigil is excluded.
            {home + "/.local", false},
            {home + "/.local/share", false},
        };
        QStringList changes = fsChanges(m_before, *after, excluded, m_uid);
        if (changes.isEmpty())
            return {};
        if (const qsizetype more = changes.size() - 40; more > 0) {
            changes.resize(40);
            changes << u"... and %1 more"_s.arg(more);
        }
        if (!m_before.vanishedMidWalk.isEmpty() || !after->vanishedMidWalk.isEmpty())
            changes << u"(gone while find walked, before: %1; after: %2)"_s.arg(
                QString::fromUtf8(m_before.vanishedMidWalk.join(' ')),
                QString::fromUtf8(after->vanishedMidWalk.join(' ')));
        // Another program running as the sandbox user at the same time (a
        // test run alongside this one) would explain a change: show them.
        auto ps = execWait(*m_t, {u"ps"_s, u"-u"_s, m_uid, u"-o"_s, u"pid=,etimes=,args="_s});
        changes << u"processes of %1 now:\n%2"_s.arg(
            m_env.user, ps ? QString::fromUtf8(ps->out).trimmed() : ps.errorString());
        return changes;
    }

    Result<ExecResult> helper(const QStringList &args)
    {
        return execWait(*m_t, QStringList{m_helper} + args);
    }

    // A workflow file in the local temporary directory.
    QString writeWorkflow(const QString &name, const QByteArray &toml)
    {
        const QString path = m_local.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(toml) != toml.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    // A workflow of one SLURM site "sbx" on the sandbox whose runs live in
    // runRootRel (relative to the sandbox user's home).
    QString siteWorkflow(const QString &name, const QString &runRootRel)
    {
        return writeWorkflow(
            name + u".toml"_s,
            QStringLiteral("[workflow]\nname = \"hostile\"\n[sites.sbx]\nkind = \"slurm\"\n"
                           "host = %1\npartition = \"debug\"\nrun_root = %2\n"
                           "[tasks.t]\nsite = \"sbx\"\ncommand = [\"true\"]\n")
                .arg(tomlString(m_env.hostAlias), tomlString(runRootRel))
                .toUtf8());
    }

    QStringList ctlArgs(const QString &command, const QString &wf,
                        const QStringList &more = {}) const
    {
        return QStringList{u"-F"_s, m_env.sshConfig, command, wf} + more;
    }

    // The checkpoint `id` of run `run` as `vigilctl checkpoints --json --all`
    // shows it; empty when it is not listed.
    QJsonObject checkpointJson(const QString &wf, const QString &run, const QString &id)
    {
        const CtlResult r =
            runCtl(ctlArgs(u"checkpoints"_s, wf, {u"--json"_s, u"--all"_s, u"--run"_s, run}));
        for (const QJsonValue &c : r.jsonArray())
            if (c.toObject().value(u"id"_s).toString() == id)
                return c.toObject();
        return {};
    }

protected:
    SandboxEnv m_env;
    std::unique_ptr<SshTransport> m_t;
    QTemporaryDir m_local;
    QString m_rel;        // the test's directory, relative to the sandbox user's home
    QString m_abs;        // the same, absolute
    QString m_marker;     // /tmp/pwned-TAG
    QString m_markerName; // pwned-TAG: file names hold no '/', so theirs land in the home directory
    QString m_helper;     // vigil-job, uploaded into m_abs
    QString m_uid;        // the sandbox user's numeric id
    FsSnapshot m_before;  // what it could write, before the test
};

} // namespace vigil::test

// Fails the test function, naming them, if any marker exists.
#define VERIFY_NO_MARKERS()                                                                        \
    do {                                                                                           \
        const QStringList found_ = markersFound();                                                 \
        QVERIFY2(found_.isEmpty(), qPrintable(found_.join(u", "_s)));                              \
    } while (false)

// Fails the test function, listing them, if anything outside the test's
// directory appeared, vanished or changed since setUpSandbox().
#define VERIFY_NOTHING_WRITTEN_OUTSIDE()                                                           \
    do {                                                                                           \
        const QStringList written_ = writtenOutsideTestDirectory();                                \
        QVERIFY2(written_.isEmpty(),                                                               \
                 qPrintable(u"written outside %1:\n"_s.arg(m_abs) + written_.join(u'\n')));        \
    } while (false)
