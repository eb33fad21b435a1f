// SPDX-License-Identifier: GPL-3.0-or-later
// checkpoints/<id>/decision.json: parseDecision and its writer, then the checks
// the helper runs before it applies a decision (against a request with one
// parameter of every type, posted by the real vigil-job).

#include "protocol/decision.h"
#include "roundtrip.h"

using namespace vigil::protocol;

namespace {

constexpr std::string_view kRequest =
    R"json({"approver_uids":[0],"approvers":["root"],"attachments":[],"body":"Loss is **falling**.","created_at":"2026-11-26T16:37:49Z","created_by_uid":0,"deadline":"2026-11-26T17:37:49Z","default_on_timeout":"continue","format":{"name":"vigil.request","version":"1.0"},"id":"review","job":{"host":"vm","slurm_job_id":null,"slurm_step_id":null},"metrics":[{"columns":["loss","acc"],"file":"metrics.csv","x":"epoch"}],"nonce":"5f386db77636d7d2fb33a1997152dd7b","options":[{"default":true,"label":"Continue","name":"continue"},{"default":false,"label":"Stop","name":"stop"},{"default":false,"label":"Retrain, lower lr","name":"retrain"}],"params":[{"choices":[],"default":0.001,"label":"Learning rate","max":1.0,"min":0.0,"name":"lr","type":"number"},{"choices":[],"default":10,"label":"","max":1000,"min":1,"name":"epochs","type":"integer"},{"choices":[],"default":"fast","label":"","max":null,"min":null,"name":"note","type":"string"},{"choices":[],"default":true,"label":"","max":null,"min":null,"name":"aug","type":"boolean"},{"choices":["adam","sgd"],"default":"adam","label":"","max":null,"min":null,"name":"opt","type":"enum"}],"task":"train","title":"Keep training?"})json";

const Request &request()
{
    static const Request r = [] {
        auto parsed = parseRequest(kRequest);
        FUZZ_CHECK(parsed.ok());
        return *parsed;
    }();
    return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto input = vigil::fuzz::text(data, size);
    vigil::fuzz::roundTrip(
        input, [](std::string_view t) { return parseDecision(t); },
        [](const Decision &d) { return serializeDecision(d); });

    auto decision = parseDecision(input);
    if (!decision)
        return 0;
    const Request &r = request();
    const bool answers = checkDecision(r, *decision).ok();
    const bool trusted = checkDecisionOwner(r, *decision, 0).ok();
    // An owner outside the approvers is refused, whatever the decision says.
    FUZZ_CHECK(!checkDecisionOwner(r, *decision, 4242).ok());
    if (answers) {
        // Every parameter gets a value, and each passes its declaration.
        const auto params = effectiveParams(r, *decision);
        for (const Param &p : r.params) {
            FUZZ_CHECK(params.contains(p.name));
            FUZZ_CHECK(checkParamValue(p, params.at(p.name), p.name).ok());
        }
    }
    (void)trusted;
    return 0;
}
