// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared helpers of the protocol tests.

#include "protocol/decision.h"
#include "protocol/fileio.h"
#include "protocol/request.h"
#include "protocol/rundir.h"

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTest>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace vigil::test {

inline QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

inline std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void writeText(const std::string &path, const std::string &text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

inline std::vector<std::string> lines(const std::string &text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

inline QString jobBinary()
{
    return qEnvironmentVariable("VIGIL_JOB_BINARY");
}

inline QString sourceDir()
{
    return qEnvironmentVariable("VIGIL_SOURCE_DIR");
}

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs `program args`; `env` entries ("NAME=value") are added to the environment.
inline ProcessResult runProgram(const QString &program, const QStringList &args,
                                const QStringList &env = {}, int timeoutMs = 60000)
{
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.remove(QStringLiteral("VIGIL_RUN_DIR"));
    e.remove(QStringLiteral("VIGIL_TASK"));
    for (const QString &kv : env) {
        const qsizetype eq = kv.indexOf(QLatin1Char('='));
        e.insert(kv.left(eq), kv.mid(eq + 1));
    }
    p.setProcessEnvironment(e);
    p.start(program, args);
    ProcessResult r;
    if (!p.waitForStarted(10000))
        return r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

inline ProcessResult runJob(const QStringList &args, const QStringList &env = {})
{
    return runProgram(jobBinary(), args, env);
}

inline ProcessResult runPython(const QStringList &args, const QStringList &env = {})
{
    QStringList all{sourceDir() + QStringLiteral("/python/vigil_job.py")};
    all += args;
    return runProgram(QStringLiteral("python3"), all, env);
}

// A valid request with a bit of everything.
inline protocol::Request sampleRequest(const std::string &id = "lr-check")
{
    using namespace vigil::protocol;
    Request r;
    r.id = id;
    r.nonce = "0123456789abcdef0123456789abcdef";
    r.title = "Lower the learning rate?";
    r.body = "Loss is **flat** since step 1200.\n\n- a\n- b\n";
    r.options = {{"continue", "Continue", true}, {"lower", "Lower it", false}, {"stop", "", false}};
    Param lr;
    lr.name = "lr";
    lr.label = "Learning rate";
    lr.type = ParamType::Number;
    lr.defaultValue = 0.001;
    lr.min = 0.0;
    lr.max = 1.0;
    Param epochs;
    epochs.name = "epochs";
    epochs.type = ParamType::Integer;
    epochs.defaultValue = 10;
    epochs.min = 1;
    epochs.max = 100;
    Param opt;
    opt.name = "optimizer";
    opt.type = ParamType::Enum;
    opt.defaultValue = "adam";
    opt.choices = {"adam", "sgd"};
    Param note;
    note.name = "note";
    note.type = ParamType::String;
    note.defaultValue = "";
    Param flag;
    flag.name = "warmup";
    flag.type = ParamType::Boolean;
    flag.defaultValue = false;
    r.params = {lr, epochs, opt, note, flag};
    r.metrics = {{"metrics/loss.csv", std::string("step"), {"loss", "val_loss"}}};
    r.attachments = {"plots/confusion.png"};
    r.deadline = parseUtc("2030-01-01T00:00:00Z").value();
    r.defaultOnTimeout = "stop";
    r.approvers = {"root"};
    r.approverUids = {0};
    r.job = {"node042", std::string("123456"), std::string("0")};
    r.task = "train";
    r.createdAt = parseUtc("2025-03-01T14:05:09Z").value();
    r.createdByUid = ::geteuid();
    return r;
}

// A human decision for `r` (not yet written).
inline protocol::Decision sampleDecision(const protocol::Request &r,
                                         const std::string &option = "lower")
{
    auto d = protocol::makeDecision(r, option, {{"lr", 0.0005}}, "looks flat", "root", "laptop",
                                    std::string(64, 'a'), protocol::now());
    return d.value();
}

} // namespace vigil::test
