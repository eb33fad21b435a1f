// SPDX-License-Identifier: GPL-3.0-or-later
// The shared test vectors (tests/protocol/vectors/manifest.json): the C++
// library gives every file the verdict the manifest states. test_vigil_job.py
// reads the same files with the Python twin.

#include "protocol/decision.h"
#include "protocol/format.h"
#include "protocol/request.h"
#include "protocol/run.h"
#include "testutil.h"

#include <QFile>
#include <QTest>

using namespace vigil::protocol;
using nlohmann::json;
using vigil::test::qs;
using vigil::test::readText;

class TestVectors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void vectors_data();
    void vectors();
};

namespace {

std::string vectorDir()
{
    return vigil::test::sourceDir().toStdString() + "/tests/protocol/vectors";
}

} // namespace

void TestVectors::vectors_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("request");
    QVERIFY2(!vigil::test::sourceDir().isEmpty(), "VIGIL_SOURCE_DIR is not set");
    const json manifest = json::parse(readText(vectorDir() + "/manifest.json"));
    QVERIFY(manifest["vectors"].size() >= 20);
    for (const json &v : manifest["vectors"]) {
        const std::string file = v["file"].get<std::string>();
        QTest::newRow(file.c_str())
            << qs(file) << qs(v["kind"].get<std::string>()) << v["valid"].get<bool>()
            << qs(v.value("error", "")) << qs(v.value("request", ""));
    }
}

void TestVectors::vectors()
{
    QFETCH(QString, file);
    QFETCH(QString, kind);
    QFETCH(bool, valid);
    QFETCH(QString, error);
    QFETCH(QString, request);
    const std::string path = vectorDir() + "/" + file.toStdString();
    QVERIFY2(QFile::exists(qs(path)), path.c_str());
    const std::string bytes = readText(path);
    const std::string name = file.toStdString();
    std::string message;
    if (kind == QLatin1String("request")) {
        message = parseRequest(bytes, name).errorString();
    } else if (kind == QLatin1String("decision")) {
        const auto r = parseRequest(readText(vectorDir() + "/" + request.toStdString()));
        QVERIFY2(r.ok(), r.errorString().c_str());
        const auto d = parseDecision(bytes, name);
        message = d ? checkDecision(*r, *d, name).errorString() : d.errorString();
    } else if (kind == QLatin1String("ack")) {
        message = parseAck(bytes, name).errorString();
    } else if (kind == QLatin1String("state")) {
        message = parseTaskState(bytes, name).errorString();
    } else {
        QFAIL("unknown kind in the manifest");
    }
    if (valid) {
        QVERIFY2(message.empty(), message.c_str());
    } else {
        QVERIFY2(!message.empty(), "accepted an invalid file");
        QVERIFY2(qs(message).contains(error), message.c_str());
        QVERIFY2(qs(message).startsWith(file), message.c_str()); // names the file
    }
}

QTEST_GUILESS_MAIN(TestVectors)
#include "tst_vectors.moc"
