// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Moving a task's declared data (a file or a directory tree) from one site to
// another: with rsync over OpenSSH when one end is this machine and rsync is
// on both ends (only what changed is sent), else through the two sites'
// connections (SFTP: read from one, written atomically to the other). A
// failed rsync (OpenSSH cannot log in non-interactively, the host key is not
// in its known_hosts...) falls back to the connections; the result says which
// way was taken and why.

#include "result.h"
#include "workflow/workflow.h"

#include <QByteArrayView>
#include <QObject>
#include <QPointer>
#include <optional>

class QProcess;

namespace vigil {

class Site;
struct FileEntry;

struct DataMoveOptions
{
    QString sshConfigFile; // like ssh -F (the Supervisor's); empty: ~/.ssh/config
    bool useRsync = true;  // false: always through the connections
    QString rsyncProgram = QStringLiteral("rsync");  // on this machine and on the remote end
    QString sshProgram = QStringLiteral("ssh");      // the OpenSSH client rsync runs
    qint64 maxSftpBytes = qint64(256) * 1024 * 1024; // total, through the connections
    int maxFiles = 10000;                            // in a directory tree, through the connections
    // Added to rsync's command line before its paths, e.g. "--bwlimit=1000".
    QStringList rsyncExtraArgs;
};

struct DataMoveResult
{
    enum class Method { Rsync, Connections };
    Method method = Method::Connections;
    qint64 bytes = 0;    // sent through the connections; for rsync, what it reported
    int files = 0;       // through the connections
    QString whyNotRsync; // empty when rsync was used
};

// One move at a time per object. cancel() stops it: the callback then gets an
// Error of kind Cancelled, and no half-written file is left at the target.
class DataMover : public QObject
{
    Q_OBJECT
public:
    explicit DataMover(DataMoveOptions options = {}, QObject *parent = nullptr);
    ~DataMover() override;

    // Copies `source` (absolute, on `from`) to `target` (absolute, on `to`):
    // a file replaces the target file atomically; a directory's files go into
    // the target directory (made when missing; files not in the source are
    // left alone). Symbolic links are not followed: a link in a tree is an
    // error that names it.
    void move(Site *from, const QString &source, Site *to, const QString &target,
              Callback<DataMoveResult> done);
    // Stops the move under way: rsync's process group is terminated (rsync
    // removes its temporary file; the target keeps what it had), a copy
    // through the connections stops before its next chunk or file (each
    // file is written whole and atomically, so the one being written, if
    // any, is complete). The callback follows, asynchronously, with
    // Error::Kind::Cancelled. Nothing under way: nothing happens.
    void cancel();
    bool isMoving() const { return bool(m_done); }

    // The rsync command line for one local and one remote end (`upload`:
    // local -> remote), or why rsync cannot carry it (a value rsync's -e
    // option cannot quote: a single quote or a backslash). Pure.
    static Result<QStringList> rsyncArguments(const DataMoveOptions &options,
                                              const SiteSpec &remote, bool upload, bool directory,
                                              const QString &localPath, const QString &remotePath);
    // The bytes done of one line of rsync's --info=progress2 output, e.g.
    // "  1,048,576  50%  12.00MB/s  0:00:01 (xfr#1, to-chk=0/1)".
    static std::optional<qint64> parseProgress(QByteArrayView line);

Q_SIGNALS:
    // `total` is -1 when unknown.
    void progress(qint64 done, qint64 total);

private:
    struct Pending;
    void examineSource();
    void chooseMethod(bool directory);
    void runRsync(bool directory);
    void copyByConnections(bool directory, const QString &whyNotRsync);
    void copyTree(const QString &source, const QString &target, std::function<void()> next);
    void copyFile(const QString &source, const QString &target, qint64 size,
                  std::function<void()> next);
    void fail(const QString &message, Error::Kind kind = Error::Kind::Generic);
    // True (and the callback told) when cancel() was called: the caller stops.
    bool cancelled();
    void signalRsync(int signal);
    void succeed();

    DataMoveOptions m_options;
    QPointer<Site> m_from;
    QPointer<Site> m_to;
    QString m_source;
    QString m_target;
    Callback<DataMoveResult> m_done;
    DataMoveResult m_result;
    QProcess *m_rsync = nullptr;
    QByteArray m_rsyncErr;
    qint64 m_total = -1;
    bool m_cancelled = false;
};

} // namespace vigil
