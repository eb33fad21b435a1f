// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON files: round trips, versions, strict validation.

#include "protocol/decision.h"
#include "protocol/evidence.h"
#include "protocol/format.h"
#include "protocol/request.h"
#include "protocol/run.h"
#include "protocol/text.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QTest>

using namespace vigil::protocol;
using nlohmann::json;
using vigil::test::qs;
using vigil::test::sampleDecision;
using vigil::test::sampleRequest;

Q_DECLARE_METATYPE(std::function<void(json &)>)

using Mutation = std::function<void(json &)>;

class TestFormats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestRoundTrip();
    void decisionRoundTrip();
    void sha256KnownAnswers();
    void ackRoundTrip();
    void runInfoRoundTrip();
    void taskStateRoundTrip();
    void serializationIsStable();
    void newerMajorRejected_data();
    void newerMajorRejected();
    void newerMinorAccepted();
    void readerNameInMessage();
    void malformedRequest_data();
    void malformedRequest();
    void notJson_data();
    void notJson();
    void decisionAgainstRequest_data();
    void decisionAgainstRequest();
    void decisionOwner();
    void timeoutDecision();
    void sameQuestion();
    void invalidRequestNotWritten();
};

void TestFormats::requestRoundTrip()
{
    const Request r = sampleRequest();
    QVERIFY(validateRequest(r).ok());
    const std::string text = serializeRequest(r);
    auto back = parseRequest(text);
    QVERIFY2(back.ok(), back.errorString().c_str());
    QVERIFY(*back == r);
    // The integer parameter stays an integer, the number a number.
    const json doc = json::parse(text);
    QVERIFY(doc["params"][1]["default"].is_number_integer());
    QVERIFY(doc["params"][0]["default"].is_number_float());
    QCOMPARE(qs(doc["format"]["name"].get<std::string>()), QStringLiteral("vigil.request"));
    QCOMPARE(qs(doc["format"]["version"].get<std::string>()), QStringLiteral("1.0"));
    QCOMPARE(qs(doc["deadline"].get<std::string>()), QStringLiteral("2030-01-01T00:00:00Z"));
}

void TestFormats::decisionRoundTrip()
{
    const Request r = sampleRequest();
    Decision d = sampleDecision(r);
    QVERIFY(checkDecision(r, d).ok());
    auto back = parseDecision(serializeDecision(d));
    QVERIFY2(back.ok(), back.errorString().c_str());
    QVERIFY(*back == d);
    QCOMPARE(qs(toJson(d)["kind"].get<std::string>()), QStringLiteral("human"));
    QVERIFY(isLowerHex(d.decisionId, 32));
    QVERIFY(d.decisionId != makeDecision(r, "stop", {}, "", "root", "", "", now())->decisionId);
    // Without byte counts (older desktops): no evidence_bytes key at all.
    QVERIFY(!d.evidenceBytes);
    QVERIFY(!toJson(d).contains("evidence_bytes"));

    // With them: written as an array of integers, read back the same.
    d.evidenceBytes = std::vector<std::int64_t>{0, 4096};
    QVERIFY(!checkDecision(r, d).ok()); // the request has one metric file
    d.evidenceBytes = std::vector<std::int64_t>{kMaxEvidenceFileBytes};
    QVERIFY(checkDecision(r, d).ok());
    QCOMPARE(qs(toJson(d)["evidence_bytes"].dump()), QStringLiteral("[1099511627776]"));
    back = parseDecision(serializeDecision(d));
    QVERIFY2(back.ok(), back.errorString().c_str());
    QVERIFY(*back == d);
    d.evidenceBytes = std::vector<std::int64_t>{kMaxEvidenceFileBytes + 1};
    QVERIFY(!validateDecision(d).ok());
}

void TestFormats::sha256KnownAnswers()
{
    // FIPS 180-2 examples, and lengths around the 56- and 64-byte padding edges, against Qt's.
    const std::pair<std::string, std::string> known[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    for (const auto &[text, hex] : known) {
        Sha256 h;
        h.add(text);
        QCOMPARE(qs(h.hexDigest()), qs(hex));
    }
    for (const std::size_t n : {55, 56, 57, 63, 64, 65, 119, 1000, 100000}) {
        std::string data;
        for (std::size_t i = 0; i < n; ++i)
            data += char(i * 7 + 3);
        Sha256 whole;
        whole.add(data);
        Sha256 pieces; // fed in uneven pieces
        for (std::size_t at = 0; at < n; at += 13)
            pieces.add(std::string_view(data).substr(at, 13));
        const QString qt = QString::fromLatin1(
            QCryptographicHash::hash(QByteArray::fromStdString(data), QCryptographicHash::Sha256)
                .toHex());
        QCOMPARE(qs(whole.hexDigest()), qt);
        QCOMPARE(qs(pieces.hexDigest()), qt);
    }
}

void TestFormats::ackRoundTrip()
{
    const Ack a{"lr-check", std::string(32, 'e'), parseUtc("2025-03-01T14:05:09Z").value(),
                "lr set to 5e-4\nresumed"};
    auto back = parseAck(serializeAck(a));
    QVERIFY2(back.ok(), back.errorString().c_str());
    QVERIFY(*back == a);
}

void TestFormats::runInfoRoundTrip()
{
    const RunInfo info{"run-7", "edge retrain", parseUtc("2025-03-01T14:05:09Z").value(), 1000,
                       true};
    auto back = parseRunInfo(serializeRunInfo(info));
    QVERIFY2(back.ok(), back.errorString().c_str());
    QVERIFY(*back == info);
}

void TestFormats::taskStateRoundTrip()
{
    TaskState s;
    s.task = "train";
    s.state = TaskStatus::Failed;
    s.startedAt = parseUtc("2025-03-01T14:05:09Z").value();
    s.endedAt = parseUtc("2025-03-01T15:05:09Z").value();
    s.host = "gpu12";
    s.pid = 4242;
    s.slurmJobId = "991";
    s.exitCode = 143;
    s.signal = 15;
    auto back = parseTaskState(serializeTaskState(s));
    QVERIFY2(back.ok(), back.errorString().c_str());
    QVERIFY(*back == s);
}

void TestFormats::serializationIsStable()
{
    // Keys sorted, two-space indent, one trailing newline: what vigil_job.py writes too.
    const Ack a{"x", std::string(32, '0'), TimePoint{}, "\xc3\xa9"};
    const std::string expected = "{\n"
                                 "  \"applied_at\": \"1970-01-01T00:00:00Z\",\n"
                                 "  \"checkpoint\": \"x\",\n"
                                 "  \"decision_id\": \"00000000000000000000000000000000\",\n"
                                 "  \"format\": {\n"
                                 "    \"name\": \"vigil.ack\",\n"
                                 "    \"version\": \"1.0\"\n"
                                 "  },\n"
                                 "  \"outcome\": \"\xc3\xa9\"\n"
                                 "}\n";
    QCOMPARE(qs(serializeAck(a)), qs(expected));
}

void TestFormats::newerMajorRejected_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("message");
    QTest::newRow("request 2.0")
        << QStringLiteral("request.json") << QStringLiteral("2.0")
        << QStringLiteral(
               "request.json has format version 2.0; this vigil-job understands 1.x: upgrade it");
    QTest::newRow("decision 3.1")
        << QStringLiteral("decision.json") << QStringLiteral("3.1")
        << QStringLiteral(
               "decision.json has format version 3.1; this vigil-job understands 1.x: upgrade it");
    QTest::newRow("ack 10.0")
        << QStringLiteral("ack.json") << QStringLiteral("10.0")
        << QStringLiteral(
               "ack.json has format version 10.0; this vigil-job understands 1.x: upgrade it");
    QTest::newRow("older 0.9") << QStringLiteral("request.json") << QStringLiteral("0.9")
                               << QStringLiteral("request.json has format version 0.9, older "
                                                 "than 1.0: not supported");
    QTest::newRow("not a version") << QStringLiteral("request.json") << QStringLiteral("two")
                                   << QStringLiteral("request.json: field \"format.version\": "
                                                     "expected a string \"MAJOR.MINOR\"");
}

void TestFormats::newerMajorRejected()
{
    QFETCH(QString, file);
    QFETCH(QString, version);
    QFETCH(QString, message);
    const Request r = sampleRequest();
    std::string error;
    if (file == QStringLiteral("request.json")) {
        json doc = toJson(r);
        doc["format"]["version"] = version.toStdString();
        auto p = requestFromJson(doc);
        QVERIFY(!p.ok());
        error = p.error().message;
        QCOMPARE(p.error().kind, version.contains(QLatin1Char('.')) ? Error::Kind::Unsupported
                                                                    : Error::Kind::Malformed);
    } else if (file == QStringLiteral("decision.json")) {
        json doc = toJson(sampleDecision(r));
        doc["format"]["version"] = version.toStdString();
        auto p = decisionFromJson(doc);
        QVERIFY(!p.ok());
        error = p.error().message;
    } else {
        json doc = toJson(Ack{"x", std::string(32, '0'), TimePoint{}, ""});
        doc["format"]["version"] = version.toStdString();
        auto p = ackFromJson(doc);
        QVERIFY(!p.ok());
        error = p.error().message;
    }
    QCOMPARE(qs(error), message);
}

void TestFormats::newerMinorAccepted()
{
    json doc = toJson(sampleRequest());
    doc["format"]["version"] = "1.7";
    doc["a_field_from_the_future"] = {{"x", 1}};
    doc["options"][0]["colour"] = "green";
    auto r = requestFromJson(doc);
    QVERIFY2(r.ok(), r.errorString().c_str());
    QVERIFY(*r == sampleRequest());
}

void TestFormats::readerNameInMessage()
{
    json doc = toJson(sampleRequest());
    doc["format"]["version"] = "2.0";
    setReaderName("Vigil");
    const std::string message = requestFromJson(doc).errorString();
    setReaderName("vigil-job");
    QCOMPARE(qs(message), QStringLiteral("request.json has format version 2.0; this Vigil "
                                         "understands 1.x: upgrade it"));
}

void TestFormats::malformedRequest_data()
{
    QTest::addColumn<Mutation>("mutate");
    QTest::addColumn<QString>("message");

    auto row = [](const char *name, Mutation m, const char *message) {
        QTest::newRow(name) << m << QString::fromUtf8(message);
    };
    row(
        "title wrong type", [](json &d) { d["title"] = 5; },
        "request.json: field \"title\": expected a string, got an integer");
    row(
        "missing nonce", [](json &d) { d.erase("nonce"); },
        "request.json: field \"nonce\": is missing");
    row(
        "short nonce", [](json &d) { d["nonce"] = "abc"; },
        "request.json: field \"nonce\": expected 32 lower-case hex digits");
    row(
        "upper-case nonce", [](json &d) { d["nonce"] = std::string(32, 'A'); },
        "request.json: field \"nonce\": expected 32 lower-case hex digits");
    row(
        "empty title", [](json &d) { d["title"] = ""; },
        "request.json: field \"title\": must not be empty");
    row(
        "title with newline", [](json &d) { d["title"] = "a\nb"; },
        "request.json: field \"title\": contains control characters");
    row(
        "hostile id", [](json &d) { d["id"] = "$(reboot)"; },
        "request.json: field \"id\": invalid checkpoint id \"$(reboot)\"");
    row(
        "no options", [](json &d) { d["options"] = json::array(); },
        "request.json: field \"options\": a checkpoint needs at least one option");
    row(
        "two defaults", [](json &d) { d["options"][1]["default"] = true; },
        "request.json: field \"options\": exactly one option must be the default (found 2)");
    row(
        "no default", [](json &d) { d["options"][0]["default"] = false; },
        "request.json: field \"options\": exactly one option must be the default (found 0)");
    row(
        "duplicate option", [](json &d) { d["options"][1]["name"] = "continue"; },
        "request.json: field \"options[1].name\": option \"continue\" is listed twice");
    row(
        "option not an object", [](json &d) { d["options"][2] = "stop"; },
        "request.json: field \"options[2]\": expected an object, got a string");
    row(
        "default above max", [](json &d) { d["params"][0]["default"] = 5.0; },
        "request.json: field \"params[0].default\": 5.0 is above the maximum 1.0");
    row(
        "integer default is float", [](json &d) { d["params"][1]["default"] = 2.5; },
        "request.json: field \"params[1].default\": expected an integer, got a number");
    row(
        "min above max", [](json &d) { d["params"][1]["min"] = 200; },
        "request.json: field \"params[1].min\": the minimum 200 is above the maximum 100");
    row(
        "enum default not a choice", [](json &d) { d["params"][2]["default"] = "rmsprop"; },
        "request.json: field \"params[2].default\": \"rmsprop\" is not one of the choices "
        "(\"adam\", \"sgd\")");
    row(
        "enum without choices", [](json &d) { d["params"][2]["choices"] = json::array(); },
        "request.json: field \"params[2].choices\": an enum parameter needs at least one choice");
    row(
        "bounds on a string", [](json &d) { d["params"][3]["min"] = 1; },
        "request.json: field \"params[3].min\": only number and integer parameters have bounds");
    row(
        "unknown param type", [](json &d) { d["params"][0]["type"] = "complex"; },
        "request.json: field \"params[0].type\": \"complex\" is not a parameter type");
    row(
        "param without default", [](json &d) { d["params"][0].erase("default"); },
        "request.json: field \"params[0].default\": is missing");
    row(
        "boolean default wrong", [](json &d) { d["params"][4]["default"] = "no"; },
        "request.json: field \"params[4].default\": expected true or false, got a string");
    row(
        "absolute attachment", [](json &d) { d["attachments"][0] = "/etc/shadow"; },
        "request.json: field \"attachments[0]\": invalid attachment \"/etc/shadow\"");
    row(
        "escaping metric file", [](json &d) { d["metrics"][0]["file"] = "../../x.csv"; },
        "request.json: field \"metrics[0].file\": invalid metric file \"../../x.csv\"");
    row(
        "timeout option unknown", [](json &d) { d["default_on_timeout"] = "explode"; },
        "request.json: field \"default_on_timeout\": \"explode\" is not one of the options");
    row(
        "bad deadline", [](json &d) { d["deadline"] = "tomorrow"; },
        "request.json: field \"deadline\": invalid time \"tomorrow\"");
    row(
        "uid count mismatch", [](json &d) { d["approver_uids"].push_back(5); },
        "request.json: field \"approver_uids\": has 2 entries but approvers has 1");
    row(
        "negative uid", [](json &d) { d["approver_uids"][0] = -1; },
        "request.json: field \"approver_uids[0]\": expected a numeric uid, got an integer");
    row(
        "uid as string", [](json &d) { d["created_by_uid"] = "0"; },
        "request.json: field \"created_by_uid\": expected a numeric uid, got a string");
    row(
        "hostile approver", [](json &d) { d["approvers"][0] = "-oProxyCommand=x"; },
        "request.json: field \"approvers[0]\": invalid user name");
    row(
        "job missing", [](json &d) { d.erase("job"); }, "request.json: field \"job\": is missing");
    row(
        "task hostile", [](json &d) { d["task"] = "a;b"; },
        "request.json: field \"task\": invalid task name \"a;b\"");
    row(
        "format missing", [](json &d) { d.erase("format"); },
        "request.json: field \"format\" is missing (not a vigil.request file)");
    row(
        "wrong format name", [](json &d) { d["format"]["name"] = "vigil.decision"; },
        "request.json: field \"format.name\" is \"vigil.decision\", expected \"vigil.request\"");
    row(
        "too many options",
        [](json &d) {
            for (int i = 0; i < 40; ++i)
                d["options"].push_back({{"name", "o" + std::to_string(i)}, {"label", ""}});
        },
        "request.json: field \"options\": has 43 entries (at most 32)");
}

void TestFormats::malformedRequest()
{
    QFETCH(Mutation, mutate);
    QFETCH(QString, message);
    json doc = toJson(sampleRequest());
    mutate(doc);
    auto r = parseRequest(doc.dump());
    QVERIFY(!r.ok());
    QVERIFY2(qs(r.error().message).startsWith(message),
             qPrintable(qs(r.error().message) + QStringLiteral("\nexpected: ") + message));
    QCOMPARE(r.error().kind, Error::Kind::Malformed);
}

void TestFormats::notJson_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("request.json: not valid JSON");
    QTest::newRow("truncated") << QByteArray("{\"format\": {")
                               << QStringLiteral("request.json: not valid JSON");
    QTest::newRow("NaN") << QByteArray("{\"x\": NaN}")
                         << QStringLiteral("request.json: not valid JSON");
    QTest::newRow("number overflow")
        << QByteArray("{\"x\": 1e999}")
        << QStringLiteral("request.json: not valid JSON: number overflow");
    QTest::newRow("invalid UTF-8")
        << QByteArray("{\"title\": \"\xff\"}") << QStringLiteral("request.json: not valid JSON");
    QTest::newRow("array") << QByteArray("[1,2]")
                           << QStringLiteral("request.json: expected a JSON object");
    QTest::newRow("deep nesting") << (QByteArray(100000, '[') + QByteArray(100000, ']'))
                                  << QStringLiteral("request.json: expected a JSON object");
    QTest::newRow("binary") << QByteArray("\x7f"
                                          "ELF\x02\x01",
                                          6)
                            << QStringLiteral("request.json: not valid JSON");
}

void TestFormats::notJson()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    auto r = parseRequest(std::string_view(text.constData(), size_t(text.size())));
    QVERIFY(!r.ok());
    QVERIFY2(qs(r.error().message).startsWith(message), r.error().message.c_str());
}

void TestFormats::decisionAgainstRequest_data()
{
    QTest::addColumn<Mutation>("mutate");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    auto row = [](const char *name, Mutation m, Error::Kind kind, const char *message) {
        QTest::newRow(name) << m << int(kind) << QString::fromUtf8(message);
    };
    row(
        "valid", [](json &) {}, Error::Kind::Generic, "");
    row(
        "wrong nonce", [](json &d) { d["nonce"] = std::string(32, 'f'); }, Error::Kind::Refused,
        "decision.json: its nonce does not match the request's (a stale or forged decision)");
    row(
        "other checkpoint", [](json &d) { d["checkpoint"] = "other"; }, Error::Kind::Refused,
        "decision.json: it answers checkpoint \"other\", not \"lr-check\"");
    row(
        "unknown option", [](json &d) { d["option"] = "explode"; }, Error::Kind::Malformed,
        "decision.json: field \"option\": \"explode\" is not an option of checkpoint "
        "\"lr-check\" (continue, lower, stop)");
    row(
        "param above max", [](json &d) { d["params"]["lr"] = 3.5; }, Error::Kind::Malformed,
        "decision.json: field \"params.lr\": 3.5 is above the maximum 1.0");
    row(
        "param below min", [](json &d) { d["params"]["epochs"] = 0; }, Error::Kind::Malformed,
        "decision.json: field \"params.epochs\": 0 is below the minimum 1");
    row(
        "param wrong type", [](json &d) { d["params"]["epochs"] = "ten"; }, Error::Kind::Malformed,
        "decision.json: field \"params.epochs\": expected an integer, got a string");
    row(
        "unknown param", [](json &d) { d["params"]["dropout"] = 0.1; }, Error::Kind::Malformed,
        "decision.json: field \"params\": \"dropout\" is not a parameter of checkpoint");
    row(
        "enum not a choice", [](json &d) { d["params"]["optimizer"] = "lbfgs"; },
        Error::Kind::Malformed,
        "decision.json: field \"params.optimizer\": \"lbfgs\" is not one of the choices");
    row(
        "params not an object", [](json &d) { d["params"] = json::array(); },
        Error::Kind::Malformed, "decision.json: field \"params\": expected an object");
    row(
        "bad decision id", [](json &d) { d["decision_id"] = "x"; }, Error::Kind::Malformed,
        "decision.json: field \"decision_id\": expected 32 lower-case hex digits");
    row(
        "bad evidence", [](json &d) { d["evidence_sha256"] = "zz"; }, Error::Kind::Malformed,
        "decision.json: field \"evidence_sha256\": expected 64 lower-case hex digits");
    row(
        "evidence bytes", [](json &d) { d["evidence_bytes"] = {120}; }, Error::Kind::Generic, "");
    row(
        "evidence bytes null: none recorded", [](json &d) { d["evidence_bytes"] = nullptr; },
        Error::Kind::Generic, "");
    row(
        "evidence bytes of an empty file", [](json &d) { d["evidence_bytes"] = {0}; },
        Error::Kind::Generic, "");
    row(
        "evidence bytes not an array", [](json &d) { d["evidence_bytes"] = 120; },
        Error::Kind::Malformed,
        "decision.json: field \"evidence_bytes\": expected an array, got an integer");
    row(
        "evidence bytes not integers", [](json &d) { d["evidence_bytes"] = {1.5}; },
        Error::Kind::Malformed,
        "decision.json: field \"evidence_bytes[0]\": expected an integer, got a number");
    row(
        "evidence bytes negative", [](json &d) { d["evidence_bytes"] = {-1}; },
        Error::Kind::Malformed,
        "decision.json: field \"evidence_bytes[0]\": -1 is not a byte count (0 to "
        "1099511627776)");
    row(
        "evidence bytes huge", [](json &d) { d["evidence_bytes"] = {std::uint64_t(1) << 63}; },
        Error::Kind::Malformed,
        "decision.json: field \"evidence_bytes[0]\": 9223372036854775808 is not a byte count");
    row(
        "evidence bytes without a hash",
        [](json &d) {
            d["evidence_sha256"] = "";
            d["evidence_bytes"] = {120};
        },
        Error::Kind::Malformed,
        "decision.json: field \"evidence_bytes\": given without evidence_sha256");
    row(
        "evidence bytes: too many",
        [](json &d) { d["evidence_bytes"] = json(std::vector<int>(33, 1)); },
        Error::Kind::Malformed,
        "decision.json: field \"evidence_bytes\": has 33 counts (at most 32)");
    row(
        "evidence bytes: not one per metric file",
        [](json &d) {
            d["evidence_bytes"] = {1, 2};
        },
        Error::Kind::Malformed,
        "decision.json: field \"evidence_bytes\": has 2 byte counts, but checkpoint "
        "\"lr-check\" has 1 metric files");
    row(
        "unknown kind", [](json &d) { d["kind"] = "robot"; }, Error::Kind::Malformed,
        "decision.json: field \"kind\": \"robot\" is not a decision kind");
    row(
        "missing decided_by", [](json &d) { d.erase("decided_by"); }, Error::Kind::Malformed,
        "decision.json: field \"decided_by\": is missing");
    row(
        "timeout chose other option",
        [](json &d) {
            d["kind"] = "timeout-default";
            d["option"] = "continue";
        },
        Error::Kind::Refused, "decision.json: a timeout default must choose \"stop\"");
}

void TestFormats::decisionAgainstRequest()
{
    QFETCH(Mutation, mutate);
    QFETCH(int, kind);
    QFETCH(QString, message);
    const Request r = sampleRequest();
    json doc = toJson(sampleDecision(r));
    mutate(doc);
    auto d = parseDecision(doc.dump());
    Result<void> verdict = d ? checkDecision(r, *d) : Result<void>(d.error());
    QCOMPARE(verdict.ok(), message.isEmpty());
    if (!verdict.ok()) {
        QVERIFY2(qs(verdict.error().message).startsWith(message), verdict.error().message.c_str());
        QCOMPARE(int(verdict.error().kind), kind);
    }
}

void TestFormats::decisionOwner()
{
    Request r = sampleRequest();
    const Decision d = sampleDecision(r);
    r.approvers = {"alice", "bob"};
    r.approverUids = {1001, 1002};
    QVERIFY(checkDecisionOwner(r, d, 1002).ok());
    const auto refused = checkDecisionOwner(r, d, 65534);
    QCOMPARE(refused.error().kind, Error::Kind::Refused);
    QCOMPARE(qs(refused.error().message),
             QStringLiteral("decision.json: the file is owned by uid 65534, who is not an "
                            "approver of checkpoint \"lr-check\" (allowed uids: 1001, 1002)"));
    // The job owner is not an approver here: a human decision of theirs is refused...
    QVERIFY(!checkDecisionOwner(r, d, r.createdByUid).ok());
    // ...but the timeout default the helper commits as the job owner is accepted.
    Decision timeout = makeTimeoutDecision(r, "node", now()).value();
    QVERIFY(checkDecisionOwner(r, timeout, r.createdByUid).ok());
    // Without approvers, only the job owner decides.
    r.approvers.clear();
    r.approverUids.clear();
    QVERIFY(checkDecisionOwner(r, d, r.createdByUid).ok());
    QVERIFY(!checkDecisionOwner(r, d, r.createdByUid + 1).ok());
}

void TestFormats::timeoutDecision()
{
    const Request r = sampleRequest();
    const Decision d = makeTimeoutDecision(r, "node042", now()).value();
    QCOMPARE(qs(d.option), QStringLiteral("stop"));
    QCOMPARE(qs(d.decidedBy), QStringLiteral("vigil-job"));
    QCOMPARE(d.kind, DecisionKind::TimeoutDefault);
    QCOMPARE(d.nonce, r.nonce);
    QVERIFY(checkDecision(r, d).ok());
    const json params = effectiveParams(r, d);
    QCOMPARE(params["lr"].get<double>(), 0.001);
    QCOMPARE(params["epochs"].get<int>(), 10);
    QCOMPARE(qs(params["optimizer"].get<std::string>()), QStringLiteral("adam"));

    // Without default_on_timeout the default option is used.
    Request r2 = r;
    r2.defaultOnTimeout.reset();
    QCOMPARE(qs(makeTimeoutDecision(r2, "", now())->option), QStringLiteral("continue"));

    // A human decision's missing params are completed with the defaults.
    const json human = effectiveParams(r, sampleDecision(r));
    QCOMPARE(human["lr"].get<double>(), 0.0005);
    QCOMPARE(human["epochs"].get<int>(), 10);
}

void TestFormats::sameQuestion()
{
    const Request a = sampleRequest();
    Request b = a;
    b.nonce = std::string(32, 'b');
    b.createdAt = now();
    b.deadline = parseUtc("2031-01-01T00:00:00Z").value(); // a relative deadline moves
    b.job.slurmJobId = "999";
    QVERIFY(vigil::protocol::sameQuestion(a, b));
    b.title = "Another question";
    QVERIFY(!vigil::protocol::sameQuestion(a, b));
    b = a;
    b.options[1].label = "Lower";
    QVERIFY(!vigil::protocol::sameQuestion(a, b));
}

void TestFormats::invalidRequestNotWritten()
{
    Request r = sampleRequest();
    r.options[0].isDefault = false;
    const auto v = validateRequest(r, "checkpoints/lr-check/request.json");
    QVERIFY(!v.ok());
    QCOMPARE(qs(v.error().message),
             QStringLiteral("checkpoints/lr-check/request.json: field \"options\": exactly one "
                            "option must be the default (found 0)"));
}

QTEST_GUILESS_MAIN(TestFormats)
#include "tst_formats.moc"
