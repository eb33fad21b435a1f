// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A run directory for the trust tests (tst_trust.cpp, tst_trust_evidence.cpp):
// one fresh run per test function, and what they read back from it.

#include "core/runs/evidence.h"
#include "protocol/checkpoint.h"
#include "protocol/events.h"
#include "protocol/format.h"
#include "protocol/rundir.h"
#include "protocol/scan.h"
#include "protocol/users.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <optional>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace vigil::test::trust {

using namespace vigil::protocol;
using nlohmann::json;

inline std::vector<json> events(const std::string &run)
{
    std::vector<json> out;
    for (const std::string &line : vigil::test::lines(readText(run + "/events.jsonl")))
        out.push_back(json::parse(line));
    return out;
}

inline std::vector<json> eventsOfType(const std::string &run, std::string_view type)
{
    std::vector<json> out;
    for (const json &e : events(run)) {
        if (e["type"] == type)
            out.push_back(e);
    }
    return out;
}

inline std::vector<std::string> refusedFiles(const std::string &cpDir)
{
    std::vector<std::string> out;
    for (const auto &e : std::filesystem::directory_iterator(cpDir)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("decision.refused-", 0) == 0)
            out.push_back(name);
    }
    return out;
}

// The hash as the desktop makes it: the desktop's own function
// (core/runs/evidence.cpp, Qt's SHA-256), so the job's is checked against it.
inline std::string
desktopEvidenceHash(const std::vector<std::pair<std::string, std::string>> &files)
{
    QList<std::pair<QString, QByteArray>> seen;
    for (const auto &[path, bytes] : files)
        seen.append({QString::fromStdString(path), QByteArray::fromStdString(bytes)});
    return vigil::evidenceSha256(seen).toStdString();
}

// Inherited by a test class next to QObject: setUp() from its init() slot.
struct TrustRun
{
    void setUp();
    Request post(Request r);
    void writeDecision(const Decision &d, uid_t owner = ::geteuid());
    void writeMetrics(const std::string &text);

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::string m_run;
    std::optional<RunDir> m_rd;
};

inline void TrustRun::setUp()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_run = m_tmp->path().toStdString() + "/run-a";
    QVERIFY(initRun(m_run, RunInfo{"run-a", "wf", now(), ::geteuid(), false}).ok());
    auto rd = RunDir::open(m_run);
    QVERIFY(rd.ok());
    m_rd.emplace(std::move(*rd));
}

inline Request TrustRun::post(Request r)
{
    r.approvers.clear();
    r.approverUids.clear();
    auto posted = postCheckpoint(*m_rd, r);
    if (!posted)
        qFatal("post failed: %s", posted.error().message.c_str());
    return posted->request;
}

inline void TrustRun::writeDecision(const Decision &d, uid_t owner)
{
    const std::string path = m_run + "/" + RunLayout::decision(d.checkpoint);
    QVERIFY(createFileNoClobber(path, serializeDecision(d), 0600).ok());
    if (owner != ::geteuid())
        QVERIFY(::chown(path.c_str(), owner, owner) == 0);
}

inline void TrustRun::writeMetrics(const std::string &text)
{
    std::filesystem::create_directories(m_run + "/metrics");
    writeText(m_run + "/metrics/loss.csv", text);
}

} // namespace vigil::test::trust
